/**
 * Many containers for the nerdctl benches, fast: one is made by `nerdctl create` (the template: its OCI spec,
 * runtime and nerdctl's own labels), the rest are copies of its containerd record made through containerd's
 * Containers/Create over one gRPC connection, each with its own id, name, hostname and labels. `nerdctl create`
 * costs about 2 s per container on a loaded machine (2,000 took 40+ min); a copy costs about a millisecond.
 * The copies have no snapshot (they are listed, never started) and no nerdctl files (no port mappings), so
 * `nerdctl ps` reads them as it reads any container (a task call and the spec per container), and Berth's
 * containerd path reads the same records.
 *
 * Also the raw reference of a list through containerd's API: Containers/ListStream + Tasks/List.
 */
import crypto from 'node:crypto';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import * as grpc from '@grpc/grpc-js';
import protobuf from 'protobufjs';
import { ContainerdApi } from '../../app/adapters/engine/nerdctl/containerd-api';
import type { Containerd } from '../support/containerd';
import { fullContainerTypes, GOOGLE_PROTOBUF } from '../support/containerd-record-schema';
import { log, now, parallel } from './support';

const execFileP = promisify(execFile);

const SCHEMA = {
  nested: {
    google: GOOGLE_PROTOBUF,
    c: {
      nested: {
        // Every field (containerd sets the times itself): the copy must carry what nerdctl wrote.
        ...fullContainerTypes(),
        GetContainerRequest: { fields: { id: { type: 'string', id: 1 } } },
        ContainerMessage: { fields: { container: { type: 'Container', id: 1 } } },
      },
    },
  },
};
const root = protobuf.Root.fromJSON(SCHEMA);
const GetReq = root.lookupType('c.GetContainerRequest');
const Msg = root.lookupType('c.ContainerMessage');

interface ContainerRecord {
  id: string;
  labels: Record<string, string>;
  [k: string]: unknown;
}

function call(client: grpc.Client, ns: string, method: string, req: protobuf.Type, arg: object): Promise<{ container: ContainerRecord }> {
  const md = new grpc.Metadata();
  md.set('containerd-namespace', ns);
  return new Promise((resolve, reject) => {
    client.makeUnaryRequest(
      `/containerd.services.containers.v1.Containers/${method}`,
      (v: object) => Buffer.from(req.encode(req.create(v)).finish()),
      (b: Buffer) => Msg.toObject(Msg.decode(b), { defaults: false }) as { container: ContainerRecord },
      arg,
      md,
      {},
      (err, res) => (err || !res ? reject(err ?? new Error(`${method}: no reply`)) : resolve(res)),
    );
  });
}

/**
 * `plans.length` containers (names and labels as given): the first by `nerdctl create`, the others copies of it.
 * Labels of the template that name it (its name, hostname) or come from its plan are not copied.
 */
export async function cloneNerdctlContainers(c: Containerd, image: string, plans: readonly { name: string; labels: Record<string, string> }[]): Promise<string[]> {
  const [first, ...rest] = plans;
  if (!first) return [];
  const t0 = now();
  const label = (l: Record<string, string>) => Object.entries(l).flatMap(([k, v]) => ['--label', `${k}=${v}`]);
  const out = await execFileP(c.nerdctl, [...c.nerdctlArgs, 'create', '--network', 'none', '--name', first.name, ...label(first.labels), image, 'sleep', '1'], { env: { ...process.env, ...c.env } });
  const template = out.stdout.trim().split('\n').pop() ?? '';
  const client = new grpc.Client(`unix://${c.address}`, grpc.credentials.createInsecure());
  try {
    const tpl = (await call(client, c.namespace, 'Get', GetReq, { id: template })).container;
    const own = new Set(['nerdctl/name', 'nerdctl/hostname', ...Object.keys(first.labels)]);
    const base = Object.fromEntries(Object.entries(tpl.labels).filter(([k]) => !own.has(k)));
    const ids = [template];
    await parallel(rest.length, 16, async (i) => {
      const p = rest[i]!;
      const id = crypto.randomBytes(32).toString('hex');
      const labels = { ...base, ...p.labels, 'nerdctl/name': p.name, 'nerdctl/hostname': id.slice(0, 12) };
      await call(client, c.namespace, 'Create', Msg, { container: { ...tpl, id, labels, snapshot_key: '' } });
      ids.push(id);
    });
    log(`nerdctl: ${plans.length} containers made (1 nerdctl create + ${rest.length} copies through containerd's API) in ${((now() - t0) / 1000).toFixed(1)} s`);
    return ids;
  } finally {
    client.close();
  }
}

/**
 * The raw reference of a list through containerd's API, in ms (median of 3): a fresh client each time
 * (connection, Containers/ListStream with every spec parsed for its command, Tasks/List); returns the count too.
 */
export async function rawContainerdListMs(c: Containerd, runs = 3): Promise<{ ms: number; count: number }> {
  const times: number[] = [];
  let count = 0;
  for (let i = 0; i < runs; i++) {
    const api = new ContainerdApi(c.address);
    const t0 = now();
    const [list] = await Promise.all([api.containers(c.namespace, []), api.tasks(c.namespace)]);
    times.push(now() - t0);
    count = list.length;
    api.close();
  }
  times.sort((a, b) => a - b);
  return { ms: times[Math.floor(times.length / 2)] ?? NaN, count };
}
