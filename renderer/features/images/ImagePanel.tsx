import { useState, type ReactNode } from 'react';
import type { ImageDetails, ImageSummary } from '../../../app/contract/images';
import { Button, CopyButton, ErrorBanner, IconPlay, IconTrash, KeyValueList, LabelList, SidePanel, Spinner, Tabs } from '../../components';
import { formatBytes, fullDate, plural, relativeTime } from '../../lib/format';
import { LayersTable } from './LayersTable';
import { ImageMinimalitySection } from '../security/ImageMinimalitySection';
import { primaryName, shortId } from './model';
import { useImageDetails, type Loaded } from './use-image-details';

export interface ImageActions {
  run(img: ImageSummary): void;
  push(img: ImageSummary): void;
  tag(img: ImageSummary): void;
  save(img: ImageSummary): void;
  remove(img: ImageSummary): void;
  /** Convert to eStargz (and push): only where the engine pulls lazily. */
  convert?(img: ImageSummary): void;
}

const list = (v: readonly string[] | null | undefined) => (v && v.length ? v.join(' ') : null);

function Loading<T>({ state, what, retry, children }: { state: Loaded<T>; what: string; retry(): void; children(v: T): ReactNode }) {
  if (state.status === 'loading')
    return (
      <p className="prune-loading" role="status">
        <Spinner /> Loading {what}…
      </p>
    );
  if (state.status === 'error') return <ErrorBanner error={state.error} title={`Could not read the ${what}`} onRetry={retry} />;
  return <>{children(state.value)}</>;
}

function Overview({ img, d }: { img: ImageSummary; d: ImageDetails }) {
  const c = d.config;
  return (
    <>
      <KeyValueList
        dense
        items={[
          { key: 'ID', value: d.id, mono: true, copy: d.id },
          { key: 'Names', value: img.repoTags.length ? img.repoTags.join('\n') : '<none>', mono: true },
          { key: 'Digests', value: list(d.repoDigests), mono: true },
          { key: 'Created', value: `${relativeTime(d.created)} (${fullDate(d.created) ?? d.created})` },
          { key: 'Size', value: formatBytes(d.size) },
          { key: 'Platform', value: [d.os, d.architecture, d.variant].filter(Boolean).join('/') },
          ...(img.platforms && img.platforms.length > 1 ? [{ key: 'Platforms held', value: img.platforms.join('\n'), mono: true }] : []),
          ...(d.estargz !== undefined ? [{ key: 'Lazy pulling', value: d.estargz ? 'eStargz: can start before it is downloaded (Pull lazily)' : 'No (not eStargz)' }] : []),
          { key: 'Used by', value: img.inUse ? plural(img.containers, 'container') : 'No container' },
          { key: 'Command', value: list(c.cmd), mono: true },
          { key: 'Entrypoint', value: list(c.entrypoint), mono: true },
          { key: 'Working dir', value: c.workingDir, mono: true },
          { key: 'User', value: c.user, mono: true },
          { key: 'Ports', value: list(c.exposedPorts), mono: true },
          { key: 'Volumes', value: list(c.volumes), mono: true },
          { key: 'Author', value: d.author },
        ]}
      />
      <ImageMinimalitySection id={d.id} />
      <h3 className="side-panel-subtitle">Environment</h3>
      {c.env.length ? (
        <ul className="img-env mono">
          {c.env.map((e) => (
            <li key={e}>{e}</li>
          ))}
        </ul>
      ) : (
        <p className="muted panel-note">None.</p>
      )}
      <h3 className="side-panel-subtitle">Labels</h3>
      <LabelList labels={c.labels} />
    </>
  );
}

/** The active image: overview (inspect), layers (history) and the raw inspect document. */
export function ImagePanel({ image, actions, onClose }: { image: ImageSummary; actions: ImageActions; onClose(): void }) {
  const [tab, setTab] = useState('overview');
  const { details, history, retry } = useImageDetails(image);
  const name = primaryName(image);
  return (
    <SidePanel className="img-panel" label={`Image ${name}`} title={name} mono onClose={onClose}>
      <div className="side-panel-actions img-panel-actions">
        <Button size="sm" icon={<IconPlay />} onClick={() => actions.run(image)}>
          Run…
        </Button>
        <Button size="sm" onClick={() => actions.tag(image)}>
          Tag…
        </Button>
        <Button size="sm" onClick={() => actions.push(image)} disabled={image.repoTags.length === 0}>
          Push…
        </Button>
        <Button size="sm" onClick={() => actions.save(image)}>
          Save…
        </Button>
        {actions.convert && (
          <Button size="sm" onClick={() => actions.convert?.(image)}>
            Convert to eStargz…
          </Button>
        )}
        <Button size="sm" variant="danger" icon={<IconTrash />} onClick={() => actions.remove(image)}>
          Remove…
        </Button>
      </div>
      <Tabs
        label="Image details"
        value={tab}
        onChange={setTab}
        className="img-panel-tabs"
        tabs={[
          { id: 'overview', label: 'Overview' },
          { id: 'layers', label: 'Layers' },
          { id: 'inspect', label: 'Inspect' },
        ]}
      >
        <div className="side-panel-body">
          {tab === 'overview' && (
            <Loading state={details} what="image details" retry={retry}>
              {(d) => <Overview img={image} d={d} />}
            </Loading>
          )}
          {tab === 'layers' && (
            <Loading state={history} what="layers" retry={retry}>
              {(h) => <LayersTable history={h} />}
            </Loading>
          )}
          {tab === 'inspect' && (
            <Loading state={details} what="image details" retry={retry}>
              {(d) => (
                <div className="img-raw">
                  <CopyButton text={JSON.stringify(d.raw, null, 2)} label="Copy the inspect document" />
                  <pre className="mono" tabIndex={0} aria-label={`Inspect document of ${shortId(image.id)}`}>
                    {JSON.stringify(d.raw, null, 2)}
                  </pre>
                </div>
              )}
            </Loading>
          )}
        </div>
      </Tabs>
    </SidePanel>
  );
}
