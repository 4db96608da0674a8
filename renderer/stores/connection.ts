import { create } from 'zustand';
import type { LinkState } from '../lib/transport';
import { linkState, onLinkState, retryLink } from '../lib/rpc';

/** The link between this window and Berth's core (not the engine: see the engines store). */
interface ConnectionState {
  link: LinkState | null;
  retry(): void;
}

export const useConnection = create<ConnectionState>()(() => ({
  link: null,
  retry: () => retryLink(),
}));

/** Mirror the link's state into the store. Call once after `startLink()`. */
export function bindConnection(): () => void {
  useConnection.setState({ link: linkState() });
  return onLinkState((link) => useConnection.setState({ link }));
}
