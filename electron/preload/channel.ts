/**
 * The IPC channel, kept here so the sandboxed preload bundle does not pull in zod with
 * app/contract/wire.ts. test/unit/electron/preload.test.ts checks it equals IPC_CHANNEL there.
 */
export const IPC_CHANNEL = 'berth:rpc';
