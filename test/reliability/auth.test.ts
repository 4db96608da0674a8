import http from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WS_PROTOCOL, WS_TOKEN_PREFIX } from '../../app/contract/wire';
import { attemptWebSocket } from '../support/transports';
import { startCoreProcess, type CoreProcess } from './support/core-process';
import { record } from './support/figures';

describe('no WebSocket is accepted without the token, our Origin and our Host', () => {
  let core: CoreProcess;
  let accepted = 0;
  let tried = 0;
  beforeAll(async () => {
    core = await startCoreProcess();
  });
  afterAll(async () => {
    record('auth attempts accepted', `${accepted} of ${tried}`);
    await core?.stop();
  });

  const attempts = (): Array<[string, string[], Record<string, string>, string]> => {
    const good = `${WS_TOKEN_PREFIX}${core.token}`;
    const wrong = `${WS_TOKEN_PREFIX}${core.token.slice(0, -1)}${core.token.endsWith('A') ? 'B' : 'A'}`;
    const origin = core.origin;
    const host = `127.0.0.1:${core.port}`;
    return [
      ['no token', [WS_PROTOCOL], { origin }, '/rpc'],
      ['wrong token', [WS_PROTOCOL, wrong], { origin }, '/rpc'],
      ['token prefix only', [WS_PROTOCOL, WS_TOKEN_PREFIX], { origin }, '/rpc'],
      ['token without the protocol', [good], { origin }, '/rpc'],
      ['longer token', [WS_PROTOCOL, `${good}x`], { origin }, '/rpc'],
      ['no Origin', [WS_PROTOCOL, good], {}, '/rpc'],
      ['foreign Origin', [WS_PROTOCOL, good], { origin: 'http://evil.example' }, '/rpc'],
      ['look-alike Origin', [WS_PROTOCOL, good], { origin: `http://127.0.0.1:${core.port}.evil.example` }, '/rpc'],
      ['null Origin', [WS_PROTOCOL, good], { origin: 'null' }, '/rpc'],
      ['rebinding Host', [WS_PROTOCOL, good], { origin, host: `evil.example:${core.port}` }, '/rpc'],
      ['wrong port in Host', [WS_PROTOCOL, good], { origin, host: `127.0.0.1:${core.port + 1}` }, '/rpc'],
      ['other path', [WS_PROTOCOL, good], { origin, host }, '/rpc2'],
      ['bad escape in path', [WS_PROTOCOL, good], { origin, host }, '/%E0%A4%A'],
    ];
  };

  it('refuses each hostile attempt with an HTTP status, and still takes the right one', async () => {
    for (const [why, protocols, headers, p] of attempts()) {
      tried++;
      const { origin, ...rest } = headers;
      const r = await attemptWebSocket(`ws://127.0.0.1:${core.port}${p}`, protocols, { ...(origin ? { origin } : {}), headers: rest });
      if (r.ok) {
        accepted++;
        r.ws.close();
      }
      expect(r.ok, why).toBe(false);
    }
    const ok = await core.socket();
    ok.close();
    expect(core.alive()).toBe(true);
  });

  it('never serves the page to a rebinding Host, and never leaks the token in a response', async () => {
    const body = await new Promise<{ status: number; text: string }>((resolve, reject) => {
      http
        .get({ host: '127.0.0.1', port: core.port, path: '/', headers: { Host: `evil.example:${core.port}` } }, (res) => {
          let text = '';
          res.on('data', (d: Buffer) => (text += d.toString()));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
        })
        .on('error', reject);
    });
    tried++;
    expect(body.status).toBe(421);
    expect(body.text).not.toContain(core.token);
  });
});
