import { useId, useMemo, useState } from 'react';
import { Tabs } from '../../components/Tabs';
import { FormIds } from './fields';
import type { FieldErrors } from './form';
import { BasicPanel, NetworkPanel, ResourcesPanel, type PanelProps } from './panels-basic';
import { PortsPanel } from './panels-lists';
import { SecurityPanel } from './panel-security';
import { tabOfField, type RunTab } from './validate';
import './run.css';

const TABS: { id: RunTab; label: string }[] = [
  { id: 'basic', label: 'Basic' },
  { id: 'ports', label: 'Ports, volumes, env' },
  { id: 'resources', label: 'Resources' },
  { id: 'security', label: 'Security' },
  { id: 'network', label: 'Network' },
];

/** The run options in tabs; a tab with errors says how many. Shared by the Run dialog and the Edit tab. */
export function RunFormTabs(props: PanelProps & { shownErrors: FieldErrors; tab?: RunTab; onTabChange?(t: RunTab): void; idBase?: string }) {
  const generated = `run${useId().replace(/:/g, '')}`;
  const base = props.idBase ?? generated;
  const [innerTab, setInnerTab] = useState<RunTab>('basic');
  const tab = props.tab ?? innerTab;
  const setTab = props.onTabChange ?? setInnerTab;
  const perTab = useMemo(() => {
    const n: Record<RunTab, number> = { basic: 0, ports: 0, resources: 0, security: 0, network: 0 };
    for (const f of Object.keys(props.shownErrors)) n[tabOfField(f)]++;
    return n;
  }, [props.shownErrors]);
  const panel = { ...props, errors: props.shownErrors };
  return (
    <FormIds.Provider value={{ base, errors: props.shownErrors }}>
      <Tabs
        label="Run options"
        className="run-tabs"
        value={tab}
        onChange={(id) => setTab(id as RunTab)}
        tabs={TABS.map((t) => ({
          id: t.id,
          label: (
            <>
              {t.label}
              {perTab[t.id] > 0 && (
                <>
                  <span className="run-tab-errors" aria-hidden="true">
                    {perTab[t.id]}
                  </span>
                  <span className="visually-hidden">, {perTab[t.id]} to fix</span>
                </>
              )}
            </>
          ),
        }))}
      >
        {tab === 'basic' && <BasicPanel {...panel} />}
        {tab === 'ports' && <PortsPanel {...panel} />}
        {tab === 'resources' && <ResourcesPanel {...panel} />}
        {tab === 'security' && <SecurityPanel {...panel} />}
        {tab === 'network' && <NetworkPanel {...panel} />}
      </Tabs>
    </FormIds.Provider>
  );
}
