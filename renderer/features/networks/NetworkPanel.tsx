import type { NetworkContainer, NetworkSummary } from '../../../app/contract/networks';
import { Button, CopyButton, IconPlus, IconTrash, KeyValueList, LabelList, SidePanel } from '../../components';
import { href } from '../../lib/router';
import { fullDate, relativeTime } from '../../lib/format';
import { BUILT_IN_TIP, ENGINE_NO_CONNECT_TIP, connectBlockedTip, gatewayText, subnetText } from './columns';
import { useEngineHas } from '../../stores/engines';

export interface NetworkPanelProps {
  network: NetworkSummary;
  /** A disconnect or removal is running on this network. */
  busy: boolean;
  onClose(): void;
  onConnect(): void;
  onDisconnect(c: NetworkContainer): void;
  onRemove(): void;
}

/** The active network in detail, with its attached containers (each with Disconnect) and Connect. */
export function NetworkPanel({ network: n, busy, onClose, onConnect, onDisconnect, onRemove }: NetworkPanelProps) {
  const engineConnects = useEngineHas('networkConnect');
  const connectTip = connectBlockedTip(n, engineConnects);
  const connectable = connectTip === null;
  return (
    <SidePanel label={`Network ${n.name}`} title={n.name} onClose={onClose}>
      <div className="side-panel-body">
        <KeyValueList
          dense
          items={[
            { key: 'Id', value: n.id.slice(0, 12), mono: true, copy: n.id },
            { key: 'Driver', value: n.driver },
            { key: 'Scope', value: n.scope },
            { key: 'Subnet', value: subnetText(n), mono: true },
            { key: 'Gateway', value: gatewayText(n), mono: true },
            { key: 'Internal', value: n.internal ? 'Yes: no route outside' : 'No' },
            { key: 'Attachable', value: n.attachable ? 'Yes' : 'No' },
            { key: 'Created', value: n.created ? `${relativeTime(n.created)} (${fullDate(n.created)})` : null },
          ]}
        />
        <h3 className="side-panel-subtitle">Attached containers</h3>
        {n.containers.length === 0 ? (
          <p className="muted panel-note">No running container is attached.</p>
        ) : (
          <ul className="attached" aria-label={`Containers attached to ${n.name}`}>
            {n.containers.map((c) => (
              <li key={c.id}>
                <a className="attached-name" href={href('containers', c.id)}>
                  {c.name}
                </a>
                {c.ipv4 && <span className="attached-ip mono">{c.ipv4}</span>}
                {c.ipv4 && <CopyButton text={c.ipv4} label={`Copy the address of ${c.name}`} />}
                <Button size="sm" variant="ghost" disabled={busy} aria-disabled={!engineConnects || undefined} title={engineConnects ? undefined : ENGINE_NO_CONNECT_TIP} onClick={() => engineConnects && onDisconnect(c)} aria-label={`Disconnect ${c.name} from ${n.name}`}>
                  Disconnect
                </Button>
              </li>
            ))}
          </ul>
        )}
        <p className="muted panel-note">Stopped containers connected to this network are listed once they run.</p>
        <h3 className="side-panel-subtitle">Labels</h3>
        <LabelList labels={n.labels} />
        <div className="side-panel-actions">
          <Button size="sm" icon={<IconPlus />} aria-disabled={!connectable || undefined} title={connectTip ?? undefined} onClick={() => connectable && onConnect()}>
            Connect a container…
          </Button>
          <Button
            size="sm"
            variant="danger"
            icon={<IconTrash />}
            disabled={busy}
            aria-disabled={n.builtIn || undefined}
            title={n.builtIn ? BUILT_IN_TIP : undefined}
            onClick={() => !n.builtIn && onRemove()}
          >
            Remove…
          </Button>
        </div>
      </div>
    </SidePanel>
  );
}
