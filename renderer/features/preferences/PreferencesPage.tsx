import { useEffect } from 'react';
import { Page } from '../../components';
import { useApp } from '../../stores/app';
import { useEngines } from '../../stores/engines';
import { AppearanceSection } from './AppearanceSection';
import { BehaviourSection } from './BehaviourSection';
import { DataSection } from './DataSection';
import { EngineSection } from './EngineSection';
import { TerminalSection } from './TerminalSection';
import { DebugSection } from './DebugSection';
import { KubernetesSection } from './KubernetesSection';
import { VmSection } from './VmSection';
import './preferences.css';

/** `#/preferences`: every setting Berth has, each applied live or saying when it applies. */
export function PreferencesPage() {
  useEffect(() => {
    void useEngines.getState().load();
    if (!useApp.getState().settings) void useApp.getState().load();
  }, []);
  return (
    <Page title="Preferences" className="prefs-page">
      <div className="prefs">
        <EngineSection />
        <VmSection />
        <TerminalSection />
        <DebugSection />
        <KubernetesSection />
        <AppearanceSection />
        <BehaviourSection />
        <DataSection />
      </div>
    </Page>
  );
}
