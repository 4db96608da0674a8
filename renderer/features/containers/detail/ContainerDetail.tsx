import { useEffect } from 'react';
import type { ContainerSummary } from '../../../../app/contract/containers';
import { EmptyState } from '../../../components/EmptyState';
import { ErrorBanner } from '../../../components/ErrorBanner';
import { IconButton } from '../../../components/IconButton';
import { IconClose, IconContainers } from '../../../components/Icons';
import { Spinner } from '../../../components/Spinner';
import { Tabs } from '../../../components/Tabs';
import { isTypingTarget } from '../../../lib/keys';
import { useContainerDetail } from '../../../stores/containers-detail';
import { StateCell } from '../cells';
import { DetailActions } from './DetailActions';
import { EditTab } from './EditTab';
import { Overview } from './Overview';
import { detailTab, type SlotTab } from './slots';
import { DETAIL_TABS, type DetailTabId } from './tabs';
// Plugs in the Logs, Stats, Inspect and Terminal tabs (they register themselves in ./slots).
import '../../container-detail';

export { DETAIL_TABS, isDetailTab, type DetailTabId } from './tabs';

const NOT_BUILT: Record<SlotTab, string> = {
  logs: 'Following, searching and downloading the logs of this container comes with the logs view.',
  stats: 'Live CPU, memory, network and disk charts of this container come with the stats view.',
  inspect: "The engine's raw inspect document, with search and copy, comes with the inspect view.",
  terminal: 'A shell inside this container comes with the terminal view.',
  security: 'The security posture of this container comes with the security view.',
  files: "Browsing, downloading and uploading this container's files comes with the files view.",
};

export interface ContainerDetailProps {
  id: string;
  tab: DetailTabId;
  summary: ContainerSummary | undefined;
  onTab(tab: DetailTabId): void;
  onClose(): void;
  /** Edit replaced the container: show the new one. */
  onReplaced(newId: string): void;
}

/** The detail pane: Overview and Edit here; Logs, Stats, Inspect and Terminal from their own feature. */
export function ContainerDetail({ id, tab, summary, onTab, onClose, onReplaced }: ContainerDetailProps) {
  const { details, status, error } = useContainerDetail();
  const loadedId = useContainerDetail((s) => s.id);
  const load = useContainerDetail((s) => s.load);

  // Reload when the container's row changes (the change feed refreshed the list): never on a timer.
  useEffect(() => {
    void load(id);
  }, [id, summary, load]);
  useEffect(() => () => useContainerDetail.getState().clear(), []);

  const d = loadedId === id ? details : null;
  const name = summary?.name ?? d?.name ?? id.slice(0, 12);
  const gone = error?.code === 'NOT_FOUND' && loadedId === id;
  const Slot = tab !== 'overview' && tab !== 'edit' ? detailTab(tab) : undefined;

  return (
    <section
      className="detail"
      aria-label={`Details of ${name}`}
      onKeyDown={(e) => {
        // Escape closes the pane, unless something inside (a field, the terminal, a dialog) uses it.
        if (e.key === 'Escape' && !e.defaultPrevented && !isTypingTarget(e.target) && !(e.target as HTMLElement).closest('dialog')) {
          e.preventDefault();
          onClose();
        }
      }}
    >
      <header className="detail-header">
        <div className="detail-heading">
          <h2 className="detail-title truncate" title={name}>
            {name}
          </h2>
          {summary && <StateCell c={summary} />}
        </div>
        {summary && <DetailActions c={summary} />}
        <IconButton label="Close the details" icon={<IconClose />} onClick={onClose} />
      </header>
      {gone ? (
        <EmptyState icon={<IconContainers />} title="This container no longer exists">
          It was removed or replaced. Pick another container in the list.
        </EmptyState>
      ) : (
        <Tabs label="Container details" className="detail-tabs" tabs={DETAIL_TABS} value={tab} onChange={(t) => onTab(t as DetailTabId)}>
          {error && status === 'error' && !gone && <ErrorBanner className="detail-banner" title="Could not inspect the container" error={error} onRetry={() => void load(id)} />}
          {!d && status === 'loading' && (
            <div className="detail-loading">
              <Spinner size="md" /> Inspecting…
            </div>
          )}
          {tab === 'overview' && d && <Overview d={d} />}
          {tab === 'edit' && d && <EditTab key={d.id} d={d} onReplaced={onReplaced} />}
          {tab !== 'overview' && tab !== 'edit' &&
            (Slot ? (
              <Slot id={id} summary={summary} details={d} />
            ) : (
              <EmptyState title={`${DETAIL_TABS.find((t) => t.id === tab)?.label} is not built yet`}>{NOT_BUILT[tab]}</EmptyState>
            ))}
        </Tabs>
      )}
    </section>
  );
}
