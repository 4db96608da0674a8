import type { Client } from '../../app/contract/client';
import type { Api } from '../../app/contract/api';
import type { TerminalEvent } from '../../app/contract/terminals';
import { collect, type Collected } from './streams-support';

export type Attached = Collected<TerminalEvent>;

/** The text of every output batch, in order. */
export const textOf = (items: TerminalEvent[]) =>
  items
    .filter((e): e is Extract<TerminalEvent, { type: 'output' }> => e.type === 'output')
    .map((e) => e.data)
    .join('');

export const exitOf = (items: TerminalEvent[]) => items.find((e): e is Extract<TerminalEvent, { type: 'exit' }> => e.type === 'exit');

export function attach(client: Client<Api>, id: string, from?: number): Attached {
  return collect(client, 'terminals.attach', from === undefined ? { id } : { id, from });
}

/** Types a line and waits until the output (from this attach) matches. */
export async function run(client: Client<Api>, sub: Attached, id: string, line: string, expect: RegExp | string, timeoutMs = 20_000): Promise<string> {
  await client.call('terminals.input', { id, data: `${line}\r` });
  const match = (t: string) => (typeof expect === 'string' ? t.includes(expect) : expect.test(t));
  await sub.until((items) => match(textOf(items)), timeoutMs);
  return textOf(sub.items);
}
