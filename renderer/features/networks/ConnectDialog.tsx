import { useEffect, useState } from 'react';
import type { ErrorShape } from '../../../app/contract/errors';
import type { NetworkConnectSpec, NetworkSummary } from '../../../app/contract/networks';
import { ErrorBanner, Field, FormDialog, Spinner, useFormState } from '../../components';
import { toErrorShape } from '../../lib/errors';
import { connectContainer, listContainerChoices, type ContainerChoice } from '../../stores/networks';
import { notify } from '../../stores/toasts';
import { aliasProblem, ipv4Problem, splitAliases } from './validate';

type Choices = { kind: 'loading' } | { kind: 'failed'; error: ErrorShape } | { kind: 'ready'; items: ContainerChoice[] };

/** Attach a container (picked from every container, running or not) to `network`, with aliases and a fixed address if wanted. */
export function ConnectDialog({ network, onClose }: { network: NetworkSummary | null; onClose(): void }) {
  const [choices, setChoices] = useState<Choices>({ kind: 'loading' });
  const [container, setContainer] = useState('');
  const [aliases, setAliases] = useState('');
  const [ipv4, setIpv4] = useState('');
  const form = useFormState<'container' | 'aliases' | 'ipv4'>();
  const [reload, setReload] = useState(0);

  const open = network !== null;
  useEffect(() => {
    if (!open) return;
    let live = true;
    setChoices({ kind: 'loading' });
    listContainerChoices().then(
      (items) => live && setChoices({ kind: 'ready', items }),
      (e: unknown) => live && setChoices({ kind: 'failed', error: toErrorShape(e) }),
    );
    return () => {
      live = false;
    };
  }, [open, reload]);

  if (!network) return null;
  const candidates = choices.kind === 'ready' ? choices.items.filter((c) => !c.networks.includes(network.name) && !network.containers.some((a) => a.id === c.id)) : [];
  const problems = {
    container: container ? null : 'Pick a container.',
    aliases: aliasProblem(aliases),
    ipv4: ipv4Problem(ipv4, network),
  };
  const shown = (f: keyof typeof problems) => form.shown(f, problems[f]);
  const valid = Object.values(problems).every((p) => p === null);

  const close = () => {
    if (form.busy) return;
    setContainer('');
    setAliases('');
    setIpv4('');
    form.reset();
    onClose();
  };

  const submit = async () => {
    const picked = candidates.find((c) => c.id === container);
    const done = await form.submit(valid, async () => {
      const spec: NetworkConnectSpec = { container };
      const a = splitAliases(aliases);
      if (a.length) spec.aliases = a;
      if (ipv4.trim()) spec.ipv4 = ipv4.trim();
      const r = await connectContainer(network.id, spec);
      notify.success(`Connected ${picked?.name ?? container} to ${network.name}`, r.ipv4 ? `Its address there is ${r.ipv4}.` : undefined);
    });
    if (done) close();
  };

  return (
    <FormDialog
      onClose={close}
      title={`Connect a container to ${network.name}`}
      formId="connect-form"
      submitLabel="Connect"
      busy={form.busy}
      submitDisabled={choices.kind !== 'ready' || candidates.length === 0}
      onSubmit={() => void submit()}
      error={form.error}
      errorTitle={`Could not connect the container to ${network.name}`}
    >
      {choices.kind === 'loading' && (
        <p className="prune-loading" role="status">
          <Spinner /> Listing containers…
        </p>
      )}
      {choices.kind === 'failed' && <ErrorBanner error={choices.error} title="Could not list the containers" onRetry={() => setReload((n) => n + 1)} />}
      {choices.kind === 'ready' && candidates.length === 0 && (
        <p className="muted">
          {choices.items.length === 0
            ? 'There are no containers yet. Run one from the Containers page, then connect it here.'
            : `Every container is already connected to ${network.name}.`}
        </p>
      )}
      {choices.kind === 'ready' && candidates.length > 0 && (
        <>
          <Field label="Container" error={shown('container')} hint="Running or stopped; a stopped one gets its address when it starts.">
            {(p) => (
              <select
                {...p}
                autoFocus
                className="input"
                value={container}
                onChange={(e) => {
                  setContainer(e.target.value);
                  form.touch('container');
                }}
              >
                <option value="">Choose a container…</option>
                {candidates.map((c) => (
                  <option key={c.id} value={c.id}>
                    {c.name} ({c.state})
                  </option>
                ))}
              </select>
            )}
          </Field>
          <Field label="Aliases" optional error={shown('aliases')} hint="Extra names other containers on this network can use for it, separated by spaces or commas.">
            {(p) => (
              <input {...p} className="input mono" value={aliases} spellCheck={false} autoComplete="off" placeholder="db, primary" onChange={(e) => setAliases(e.target.value)} onBlur={() => form.touch('aliases')} />
            )}
          </Field>
          <Field
            label="IPv4 address"
            optional
            error={shown('ipv4')}
            hint={network.ipam.length ? `A fixed address inside ${network.ipam.map((i) => i.subnet).join(', ')} (only on networks created with a subnet).` : 'Empty: the engine assigns one.'}
          >
            {(p) => (
              <input {...p} className="input mono" value={ipv4} spellCheck={false} autoComplete="off" placeholder="automatic" onChange={(e) => setIpv4(e.target.value)} onBlur={() => form.touch('ipv4')} />
            )}
          </Field>
        </>
      )}
    </FormDialog>
  );
}
