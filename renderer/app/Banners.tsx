import { ErrorBanner } from '../components/ErrorBanner';
import { useApp } from '../stores/app';
import { useConnection } from '../stores/connection';
import { useActiveEngine, useEngines } from '../stores/engines';

/** The link to the core is down: nothing works until it is back. */
function CoreBanner() {
  const link = useConnection((s) => s.link);
  const retry = useConnection((s) => s.retry);
  if (!link || link.status === 'open' || (!link.everOpened && link.attempt < 2)) return null;
  const hint = link.everOpened
    ? 'Berth reconnects by itself once the core is back. Is “npm run web” (or the app) still running?'
    : 'If Berth was restarted, open the new URL it printed: it carries a new access token.';
  return (
    <ErrorBanner
      title="Lost the connection to Berth's core"
      error={{ code: 'ENGINE_UNREACHABLE', message: link.reason ? `The connection ${link.status === 'connecting' ? 'is being re-established' : 'closed'}: ${link.reason}.` : 'Reconnecting…', hint }}
      onRetry={link.status === 'closed' ? retry : undefined}
      retrying={false}
    />
  );
}

/** The active engine is down: say why, with the hint, and let the user re-check. */
function EngineBanner() {
  const engine = useActiveEngine();
  const checking = useEngines((s) => s.status === 'loading' || s.refreshing);
  const link = useConnection((s) => s.link);
  if (!engine || engine.status !== 'down' || link?.status !== 'open') return null;
  const error = engine.error ?? { code: 'ENGINE_UNREACHABLE' as const, message: `The engine at ${engine.endpoint} does not answer.` };
  return (
    <ErrorBanner
      title={`${engine.name} is not reachable`}
      error={error}
      onRetry={() => void useEngines.getState().load()}
      retrying={checking}
    />
  );
}

/** Problems found at start-up (e.g. a corrupt settings file was set aside). Dismissible. */
function StartupWarnings() {
  const warnings = useApp((s) => s.info?.warnings);
  const dismissed = useApp((s) => s.dismissedWarnings);
  const dismiss = useApp((s) => s.dismissWarning);
  const visible = (warnings ?? []).filter((w) => !dismissed.includes(w));
  return (
    <>
      {visible.map((w) => (
        <ErrorBanner key={w} tone="warning" showCode={false} title="Berth started with a warning" error={{ code: 'INTERNAL', message: w }} onDismiss={() => dismiss(w)} />
      ))}
    </>
  );
}

/** App-wide banners above every page. */
export function Banners() {
  const appError = useApp((s) => s.error);
  const appStatus = useApp((s) => s.status);
  const link = useConnection((s) => s.link);
  return (
    <div className="app-banners">
      <CoreBanner />
      {appStatus === 'error' && appError && link?.status === 'open' && (
        <ErrorBanner title="Could not read Berth's settings" error={appError} onRetry={() => void useApp.getState().load()} />
      )}
      <StartupWarnings />
      <EngineBanner />
    </div>
  );
}
