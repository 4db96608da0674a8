import { useEffect, useRef, useState } from 'react';
import type { ErrorShape } from '../../../app/contract/errors';
import type { BuildItem } from '../../../app/contract/images';
import type { BuildGraph, Builder } from '../../../app/contract/images-build';
import { BuildGraphView } from './BuildGraphView';
import { Button, Dialog, ErrorBanner, ProgressBar } from '../../components';
import { buildImage } from '../../stores/images';
import { useActiveEngine, useEngineHas } from '../../stores/engines';
import { builderLabel, builderNote } from './build-route';
import { RunImageButton } from '../run';
import { useLogLines } from './build-log';
import { BuildLog } from './BuildLog';
import { BuildFields } from './BuildFields';
import { checkBuildForm, emptyBuildForm, type BuildForm } from './build-form';
import { useFocusOnChange } from './focus';
import { reproKey, reproVerdict, type BuildRecord, type ReproVerdict } from './build-repro';
import { shortId } from './model';

type Step = Extract<BuildItem, { kind: 'step' }>;
type Phase =
  | { kind: 'form' }
  | { kind: 'running'; step: Step | null }
  | { kind: 'done'; id: string; tags: string[] }
  | { kind: 'failed'; error: ErrorShape; step: Step | null }
  | { kind: 'cancelled' };

/**
 * Build an image from a folder: Dockerfile, tags, build args, target, no-cache and pull; a live
 * log while it runs (cancel stops the engine's build); the new image is in the list when done.
 */
export function BuildDialog({ onClose }: { onClose(): void }) {
  const [form, setForm] = useState<BuildForm>(emptyBuildForm);
  const [tried, setTried] = useState(false);
  const [phase, setPhase] = useState<Phase>({ kind: 'form' });
  const log = useLogLines();
  const [graph, setGraph] = useState<BuildGraph | null>(null);
  const [builder, setBuilder] = useState<{ builder: Builder; via?: 'engine' | 'daemon'; reason?: string } | null>(null);
  const cancelRef = useRef<(() => void) | null>(null);
  // The last finished build, to tell whether a rebuild of the same input gave the same digest.
  const lastBuild = useRef<BuildRecord | null>(null);
  const [verdict, setVerdict] = useState<ReproVerdict>(null);
  const [reproducible, setReproducible] = useState(false);
  const dirRef = useRef<HTMLInputElement>(null);
  const stepRef = useRef<HTMLButtonElement>(null);
  const check = checkBuildForm(form);
  // Podman's compatible API keeps building after the connection closes: there, the dialog only stops following.
  const stops = useEngineHas('buildCancel');
  const route = builderNote(useActiveEngine()?.capabilities.buildkit, check.input);

  useEffect(() => () => cancelRef.current?.(), []);

  /** `check`: rebuild the last build's input without the cache and compare the digests (reproducible builds). */
  const build = (override: { noCache?: boolean; check?: boolean } = {}) => {
    setTried(true);
    const input = check.input ? { ...check.input, ...(override.noCache ? { noCache: true } : {}) } : null;
    if (!input) return;
    const key = reproKey(input);
    setVerdict(null);
    setReproducible(input.sourceDateEpoch !== undefined);
    log.clear();
    setGraph(null);
    setBuilder(null);
    log.push('note', `Building ${input.contextDir} (${input.dockerfile})${input.tags.length ? ` as ${input.tags.join(', ')}` : ''}`);
    setPhase({ kind: 'running', step: null });
    let step: Step | null = null;
    let live = true;
    const cancel = buildImage(input, {
      onItem: (item) => {
        if (!live) return;
        if (item.kind === 'log') log.push('out', item.text);
        else if (item.kind === 'graph') setGraph(item.graph);
        else if (item.kind === 'builder') {
          setBuilder({ builder: item.builder, ...(item.via ? { via: item.via } : {}), ...(item.reason ? { reason: item.reason } : {}) });
          if (item.builder === 'classic') log.push('note', `Using the classic builder: ${item.reason ?? 'no BuildKit is available for this engine'}.`);
        } else if (item.kind === 'step') {
          step = item;
          log.push('step', `Step ${item.index}/${item.total} : ${item.instruction}`);
          setPhase({ kind: 'running', step: item });
        } else {
          live = false;
          cancelRef.current = null;
          log.push('note', `Built ${shortId(item.id)}${item.tags.length ? `, tagged ${item.tags.join(', ')}` : ''}.`);
          const record = { key, id: item.id };
          // Only a check compares: an ordinary rebuild may follow a change to the folder's files.
          if (override.check) setVerdict(reproVerdict(lastBuild.current, record));
          lastBuild.current = record;
          setPhase({ kind: 'done', id: item.id, tags: item.tags });
        }
      },
      onError: (err) => {
        if (!live) return;
        live = false;
        cancelRef.current = null;
        log.push('error', err.message);
        setPhase({ kind: 'failed', error: err.toShape(), step });
      },
      onRestart: () => {
        if (!live) return;
        log.push('note', 'The link to the core dropped; the build started again.');
      },
    });
    if (live) cancelRef.current = () => {
      live = false;
      cancel();
    };
  };

  const cancel = () => {
    const c = cancelRef.current;
    if (!c) return;
    cancelRef.current = null;
    c();
    log.push('note', stops ? 'Cancelled.' : 'Stopped following. This engine (Podman) keeps building in the background; the image appears in the list when it is done.');
    setPhase({ kind: 'cancelled' });
  };
  const close = () => {
    cancel();
    onClose();
  };

  const running = phase.kind === 'running';
  useFocusOnChange(phase.kind, phase.kind === 'form' ? dirRef : stepRef);
  const editing = phase.kind === 'form';
  const step = phase.kind === 'running' || phase.kind === 'failed' ? phase.step : null;
  const built = phase.kind === 'done' ? (phase.tags[0] ?? phase.id) : null;

  let footer;
  if (running)
    footer = (
      <Button ref={stepRef} onClick={cancel} title={stops ? undefined : 'This engine cannot stop a build it has started: Berth stops following it'}>
        {stops ? 'Cancel build' : 'Stop following'}
      </Button>
    );
  else if (editing)
    footer = (
      <>
        {/* Which builder these options get: in the footer, in sight while any field is edited. */}
        {route && (
          <p className={`build-route${route.warn ? ' build-route-warn' : ''}`} role="status">
            {route.text}
          </p>
        )}
        <Button onClick={close}>Cancel</Button>
        <Button variant="primary" type="submit" form="build-form">
          Build
        </Button>
      </>
    );
  else
    footer = (
      <>
        <Button variant="ghost" onClick={() => setPhase({ kind: 'form' })}>
          Change settings
        </Button>
        {built && <RunImageButton image={built} onBeforeOpen={onClose} />}
        {phase.kind !== 'done' && <Button onClick={() => build()}>Build again</Button>}
        {phase.kind === 'done' && reproducible && (
          <Button onClick={() => build({ noCache: true, check: true })} title="Build the same source again without the cache and compare the digests">
            Check reproducibility
          </Button>
        )}
        <Button ref={stepRef} variant="primary" onClick={close}>
          Close
        </Button>
      </>
    );

  return (
    <Dialog
      open
      onClose={close}
      title="Build an image"
      size="lg"
      dismissible={!running}
      initialFocus={dirRef}
      description={editing ? 'Builds an image from a folder with a Dockerfile, using the engine’s builder.' : undefined}
      footer={footer}
      className="build-dialog"
    >
      {editing ? (
        <form
          id="build-form"
          className="form"
          noValidate
          onSubmit={(e) => {
            e.preventDefault();
            build();
          }}
        >
          <BuildFields form={form} set={(patch) => setForm((f) => ({ ...f, ...patch }))} check={check} show={tried} dirRef={dirRef} />
        </form>
      ) : (
        <div className="build-run">
          <div className="build-status" role="status">
            {phase.kind === 'running' && (step ? `Step ${step.index} of ${step.total}: ${step.instruction}` : 'Sending the folder to the engine…')}
            {phase.kind === 'done' && (
              <>
                Built <span className="mono">{shortId(phase.id)}</span>
                {phase.tags.length > 0 && (
                  <>
                    {' '}
                    as <span className="mono">{phase.tags.join(', ')}</span>
                  </>
                )}
                . It is in the list.
              </>
            )}
            {phase.kind === 'cancelled' && (stops ? 'Build cancelled.' : 'No longer following the build.')}
            {phase.kind === 'failed' && 'The build failed.'}
          </div>
          {(phase.kind === 'running' || phase.kind === 'done') && (
            <ProgressBar
              label="Build progress"
              value={phase.kind === 'done' ? 1 : step ? (step.index - 1) / step.total : undefined}
              valueText={phase.kind === 'done' ? 'Done' : step ? `Step ${step.index} of ${step.total}` : 'Starting'}
            />
          )}
          {verdict && (
            <div className={`build-repro${verdict.same ? '' : ' build-repro-differs'}`} role="status">
              {verdict.same ? (
                <>
                  Same digest as the previous build of this source (<span className="mono">{shortId(verdict.id)}</span>): reproducible.
                </>
              ) : (
                <>
                  Different digest from the previous build of this source: <span className="mono">{shortId(verdict.previous)}</span> then{' '}
                  <span className="mono">{shortId(verdict.current)}</span>. Something in it changes from build to build.
                </>
              )}
            </div>
          )}
          {builder && (
            <div className={`build-builder${builder.builder === 'classic' ? ' build-builder-classic' : ''}`}>
              {builderLabel(builder)}
            </div>
          )}
          {graph && <BuildGraphView graph={graph} />}
          <BuildLog lines={log.lines} dropped={log.dropped} version={log.version} />
          {phase.kind === 'failed' && <ErrorBanner error={phase.error} title="The build failed" />}
        </div>
      )}
    </Dialog>
  );
}
