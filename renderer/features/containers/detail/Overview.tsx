import { useState, type ReactNode } from 'react';
import type { ContainerDetails } from '../../../../app/contract/containers';
import { Button } from '../../../components/Button';
import { KeyValueList, type KeyValueItem } from '../../../components/KeyValueList';
import { formatBytes, portLinks, shortId } from '../model';
import { looksSecret } from '../../run/secrets';
import { joinWords } from '../../run/parse';
import { useEngineHas } from '../../../stores/engines';

function Block({ title, children, count }: { title: string; children: ReactNode; count?: number }) {
  return (
    <section className="ov-block" aria-label={title}>
      <h3 className="ov-title">
        {title}
        {count !== undefined && <span className="ov-count">{count}</span>}
      </h3>
      {children}
    </section>
  );
}

const when = (t: string | null | undefined) => (t && !t.startsWith('0001-') ? new Date(t).toLocaleString() : null);
const yes = (b: boolean) => (b ? 'Yes' : 'No');
const none = <span className="muted">None</span>;

function EnvList({ env }: { env: ContainerDetails['config']['env'] }) {
  const [shown, setShown] = useState<ReadonlySet<string>>(() => new Set());
  if (env.length === 0) return none;
  return (
    <ul className="ov-env">
      {env.map((e) => {
        const secret = looksSecret(e.name);
        const visible = !secret || shown.has(e.name);
        return (
          <li key={e.name} className="ov-env-row">
            <span className="mono ov-env-name">{e.name}</span>
            <span className="mono ov-env-value">{visible ? e.value : '••••••••'}</span>
            {secret && (
              <Button
                size="sm"
                variant="ghost"
                aria-label={visible ? `Hide the value of ${e.name}` : `Show the value of ${e.name}`}
                onClick={() => setShown((s) => (s.has(e.name) ? new Set([...s].filter((x) => x !== e.name)) : new Set([...s, e.name])))}
              >
                {visible ? 'Hide' : 'Show'}
              </Button>
            )}
          </li>
        );
      })}
    </ul>
  );
}

/** Everything about a container a user checks first, read from `containers.inspect`. */
export function Overview({ d }: { d: ContainerDetails }) {
  const runsHealthChecks = useEngineHas('healthChecks');
  const hc = d.hostConfig;
  const s = hc.security;
  const l = hc.limits;
  const ports = portLinks(d);
  const general: KeyValueItem[] = [
    { key: 'Id', value: shortId(d.id), mono: true, copy: d.id },
    { key: 'Image', value: d.image, mono: true, copy: d.image },
    ...(d.lazy ? [{ key: 'Layers', value: 'Pulled lazily (eStargz): fetched from the registry as they are read' }] : []),
    { key: 'Image id', value: shortId(d.imageId.replace(/^sha256:/, '')), mono: true, copy: d.imageId },
    { key: 'Created', value: when(d.created) },
    { key: d.state.running ? 'Started' : 'Last started', value: when(d.state.startedAt) },
    ...(!d.state.running && when(d.state.finishedAt) ? [{ key: 'Finished', value: `${when(d.state.finishedAt)} (exit code ${d.state.exitCode}${d.state.oomKilled ? ', out of memory' : ''})` }] : []),
    ...(d.state.error ? [{ key: 'Error', value: d.state.error }] : []),
    { key: 'Restarts', value: String(d.restartCount) },
    { key: 'Platform', value: d.platform },
  ];
  const command: KeyValueItem[] = [
    { key: 'Runs', value: joinWords([d.path, ...d.args]), mono: true, copy: joinWords([d.path, ...d.args]) },
    // With an entrypoint, "runs" is entrypoint + command: say which part is which.
    ...(d.config.entrypoint?.length
      ? [
          { key: 'Entrypoint', value: joinWords(d.config.entrypoint), mono: true },
          { key: 'Command', value: d.config.cmd ? joinWords(d.config.cmd) : null, mono: true },
        ]
      : []),
    { key: 'Working directory', value: d.config.workingDir, mono: true },
    { key: 'User', value: d.config.user || 'image default', mono: true },
    { key: 'TTY', value: yes(d.config.tty) },
  ];
  const settings: KeyValueItem[] = [
    { key: 'Restart policy', value: hc.restartPolicy.name === 'on-failure' && hc.restartPolicy.maximumRetryCount ? `on-failure (max ${hc.restartPolicy.maximumRetryCount})` : hc.restartPolicy.name || 'no' },
    { key: 'Auto-remove', value: yes(hc.autoRemove) },
    { key: 'CPUs', value: l.cpus === null ? 'No limit' : String(l.cpus) },
    { key: 'Memory', value: l.memoryBytes === null ? 'No limit' : formatBytes(l.memoryBytes) },
    { key: 'Processes', value: l.pidsLimit === null || l.pidsLimit <= 0 ? 'No limit' : String(l.pidsLimit) },
  ];
  const security: KeyValueItem[] = [
    { key: 'Privileged', value: s.privileged ? <strong className="ov-danger">Yes: full access to the host</strong> : 'No' },
    { key: 'Read-only root', value: yes(s.readonlyRootfs) },
    { key: 'No new privileges', value: yes(s.noNewPrivileges) },
    { key: 'Added capabilities', value: s.capAdd.join(', ') || 'None', mono: s.capAdd.length > 0 },
    { key: 'Dropped capabilities', value: s.capDrop.join(', ') || 'None', mono: s.capDrop.length > 0 },
    { key: 'Seccomp', value: s.seccompProfile ?? 'default' },
    { key: 'AppArmor', value: s.apparmorProfile ?? 'default' },
  ];
  const labels = Object.entries(d.config.labels);
  return (
    <div className="ov">
      <Block title="General">
        <KeyValueList items={general} dense />
      </Block>
      {d.state.health && (
        <Block title="Health">
          <KeyValueList
            dense
            items={[
              { key: 'Status', value: d.state.health.status },
              { key: 'Failing streak', value: String(d.state.health.failingStreak) },
              { key: 'Last check', value: d.state.health.log.at(-1)?.output.trim() ?? null, mono: true },
            ]}
          />
          {!runsHealthChecks && (
            <p className="muted" data-testid="health-not-run">
              This engine (Podman) runs health checks from systemd timers; without systemd no check runs and the status stays as it is.
              Run the check yourself with <code>podman healthcheck run</code>.
            </p>
          )}
        </Block>
      )}
      <Block title="Command">
        <KeyValueList items={command} dense />
      </Block>
      <Block title="Ports" count={ports.length}>
        {ports.length === 0 ? (
          none
        ) : (
          <ul className="ov-list">
            {ports.map((p) => (
              <li key={`${p.hostPort}/${p.protocol}`}>
                {p.url ? (
                  <a href={p.url} target="_blank" rel="noopener noreferrer" className="mono">
                    {p.url}
                  </a>
                ) : (
                  <span className="mono">{p.hostPort}</span>
                )}
                <span className="muted">
                  {' '}
                  → {p.containerPort}/{p.protocol}
                  {p.hostIp && p.hostIp !== '0.0.0.0' && p.hostIp !== '::' ? ` on ${p.hostIp}` : ''}
                </span>
              </li>
            ))}
          </ul>
        )}
      </Block>
      <Block title="Environment" count={d.config.env.length}>
        <EnvList env={d.config.env} />
      </Block>
      <Block title="Mounts" count={d.mounts.length}>
        {d.mounts.length === 0 ? (
          none
        ) : (
          <ul className="ov-list">
            {d.mounts.map((m) => (
              <li key={m.target}>
                <span className="ov-tag">{m.type}</span> <span className="mono">{m.type === 'volume' ? (m.name ?? m.source) : m.source || 'tmpfs'}</span>
                <span className="muted"> → </span>
                <span className="mono">{m.target}</span>
                {m.readOnly && <span className="ov-tag">read-only</span>}
              </li>
            ))}
          </ul>
        )}
      </Block>
      <Block title="Networks" count={d.networks.length}>
        {d.networks.length === 0 ? (
          <span className="muted">{hc.networkMode === 'host' ? "The host's network" : 'None'}</span>
        ) : (
          <ul className="ov-list">
            {d.networks.map((n) => (
              <li key={n.networkId || n.name}>
                <strong>{n.name}</strong>
                <span className="mono muted">
                  {' '}
                  {[n.ipAddress && `${n.ipAddress}/${n.ipPrefixLen}`, n.gateway && `gw ${n.gateway}`, n.macAddress].filter(Boolean).join(' · ')}
                </span>
              </li>
            ))}
          </ul>
        )}
      </Block>
      <Block title="Restart and limits">
        <KeyValueList items={settings} dense />
      </Block>
      <Block title="Security">
        <KeyValueList items={security} dense />
      </Block>
      <Block title="Labels" count={labels.length}>
        {labels.length === 0 ? (
          none
        ) : (
          <ul className="ov-list ov-labels">
            {labels.map(([k, v]) => (
              <li key={k} className="mono">
                {k}
                <span className="muted">=</span>
                {v}
              </li>
            ))}
          </ul>
        )}
      </Block>
    </div>
  );
}
