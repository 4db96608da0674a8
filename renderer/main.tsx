import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import './styles/tokens.css';
import './styles/base.css';
import './styles/components.css';
import './styles/table.css';
import './styles/frame.css';
import './styles/forms.css';
import './styles/pages.css';
import { startLink, subscribe } from './lib/rpc';
import { registerChangeTarget, startChangeFeed } from './lib/change-feed';
import { bindAppearance, useApp } from './stores/app';
import { bindConnection } from './stores/connection';
import { activeEngine, useEngines, watchEngines } from './stores/engines';
import { App } from './app/App';
import { DEFAULT_PAGE } from './app/routes';
import { parseHash } from './lib/router';
import { primeContainers } from './stores/containers';
import { NoToken } from './app/NoToken';
import { bindDensity } from './features/preferences/density';
import { watchAlerts } from './features/notifications/alerts';

const root = createRoot(document.getElementById('root') as HTMLElement);
bindAppearance();
bindDensity();
const link = startLink();
if (!link.ok) {
  root.render(
    <StrictMode>
      <NoToken />
    </StrictMode>,
  );
} else {
  bindConnection();
  void useApp.getState().load();
  watchEngines();
  watchAlerts();
  registerChangeTarget('engine', useEngines);
  startChangeFeed({ subscribe: (h) => subscribe('changes.watch', {}, h), activeEngineId: () => activeEngine()?.id });
  // The Containers page (the default one) lists before the first render: with the early reply there, its first render has rows.
  const page = parseHash(location.hash).segments[0] ?? DEFAULT_PAGE;
  if (page === 'containers') primeContainers();
  root.render(
    <StrictMode>
      <App />
    </StrictMode>,
  );
}
