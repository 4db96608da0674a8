import { toErrorShape } from '../../lib/errors';
import { call } from '../../lib/rpc';
import { useTerminals } from './store';

/**
 * Starts a debug toolbox for a container (running: its PID and network namespaces, its root as the
 * working directory; stopped: a read-only copy of its files) and opens its shell in the dock. The toolbox is removed when the shell ends.
 * A failure is shown in the dock like any terminal that did not open.
 */
export async function openDebugShell(container: string, name: string, engineId?: string): Promise<string | null> {
  const sel = engineId ? { engineId } : {};
  try {
    const r = await call('debug.start', { ...sel, container });
    return await useTerminals.getState().open({ kind: 'container', ...sel, container: r.toolbox, cmd: r.command }, { title: `debug ${name}${r.copy ? ' (read-only copy)' : ''}`.slice(0, 100) });
  } catch (e) {
    useTerminals.setState({ failure: { target: { kind: 'container', ...sel, container }, error: toErrorShape(e) }, dockOpen: true, pending: false });
    return null;
  }
}
