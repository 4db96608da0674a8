import { StrictMode, useState } from 'react';
import { createRoot } from 'react-dom/client';
import '../styles/tokens.css';
import '../styles/base.css';
import '../styles/components.css';
import '../styles/table.css';
import '../styles/frame.css';
import '../styles/forms.css';
import '../styles/pages.css';
import './gallery.css';
import { Button, EmptyState, ErrorBanner, IconImages, IconPlay, IconRefresh, KeyValueList, ProgressBar, Spinner, StatusDot, Tabs, Toaster } from '../components';
import { notify } from '../stores/toasts';
import { TableDemo } from './TableDemo';

/**
 * The component gallery (`renderer/dev/gallery.html`): every building block on one page, in
 * the theme given by `?theme=dark`. Not part of the app build; the e2e component test builds it.
 */
document.documentElement.dataset.theme = new URLSearchParams(location.search).get('theme') === 'dark' ? 'dark' : 'light';

function Basics() {
  const [tab, setTab] = useState('logs');
  return (
    <>
      <section aria-labelledby="buttons">
        <h2 className="gallery-h" id="buttons">Buttons</h2>
        <div className="gallery-row">
          <Button variant="primary" icon={<IconPlay />}>
            Start
          </Button>
          <Button>Secondary</Button>
          <Button variant="ghost">Ghost</Button>
          <Button variant="danger">Remove</Button>
          <Button busy>Pulling</Button>
          <Button size="sm" icon={<IconRefresh />}>
            Small
          </Button>
          <Button disabled>Disabled</Button>
          <Button onClick={() => notify.success('Started web-1', 'It is running on port 8080.')}>Success toast</Button>
          <Button
            onClick={() => notify.error('Could not start web-1', { code: 'PORT_ALLOCATED', message: 'Port 8080 is already in use.', hint: 'Pick another host port.' })}
          >
            Error toast
          </Button>
        </div>
      </section>
      <section aria-labelledby="status">
        <h2 className="gallery-h" id="status">Status, progress, spinner</h2>
        <div className="gallery-row">
          <StatusDot status="up" label="Running" />
          <StatusDot status="down" label="Stopped with an error" />
          <StatusDot status="connecting" label="Connecting" />
          <StatusDot status="idle" label="Unknown" />
          <Spinner label="Loading" />
          <div style={{ width: '12rem' }}>
            <ProgressBar label="Pulling busybox" value={0.42} valueText="42 MB of 100 MB" showCaption />
          </div>
          <div style={{ width: '12rem' }}>
            <ProgressBar label="Waiting" showCaption />
          </div>
        </div>
      </section>
      <section aria-labelledby="banners">
        <h2 className="gallery-h" id="banners">Banners</h2>
        <ErrorBanner
          title="Could not list containers"
          error={{ code: 'ENGINE_UNREACHABLE', message: 'The engine at unix:///var/run/docker.sock does not answer.', hint: 'Start Docker, or pick another socket in Settings.', details: { endpoint: 'unix:///var/run/docker.sock', errno: 'ECONNREFUSED' } }}
          onRetry={() => undefined}
        />
        <ErrorBanner tone="warning" showCode={false} title="Berth started with a warning" error={{ code: 'INTERNAL', message: 'The settings file was unreadable and was set aside.' }} onDismiss={() => undefined} />
      </section>
      <section aria-labelledby="kv">
        <h2 className="gallery-h" id="kv">KeyValueList and Tabs</h2>
        <Tabs label="Details" value={tab} onChange={setTab} tabs={[{ id: 'logs', label: 'Logs' }, { id: 'inspect', label: 'Inspect' }, { id: 'stats', label: 'Stats', disabled: true }]}>
          {tab === 'logs' ? (
            <p style={{ padding: '0.75rem' }}>The logs panel.</p>
          ) : (
            <div style={{ padding: '0.75rem' }}>
              <KeyValueList items={[{ key: 'Id', value: '3f4e…a91', mono: true, copy: '3f4ea91' }, { key: 'Image', value: 'busybox:latest' }, { key: 'Command', value: '' }]} />
            </div>
          )}
        </Tabs>
      </section>
      <section aria-labelledby="empty">
        <h2 className="gallery-h" id="empty">EmptyState</h2>
        <EmptyState icon={<IconImages />} title="No images yet" action={<Button variant="primary">Pull an image</Button>}>
          Pull one from a registry, or build one.
        </EmptyState>
      </section>
    </>
  );
}

createRoot(document.getElementById('root') as HTMLElement).render(
  <StrictMode>
    <main className="gallery" aria-label="Component gallery">
      <h1>Berth components</h1>
      <TableDemo />
      <Basics />
    </main>
    <Toaster />
  </StrictMode>,
);
