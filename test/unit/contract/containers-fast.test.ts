import { describe, expect, it } from 'vitest';
import type Docker from 'dockerode';
import { ContainerSummary, containersApi } from '../../../app/contract/containers';
import { isPlainContainerSummary } from '../../../app/contract/containers-fast';
import { checkAheadList, checkedAgainst } from '../../../app/contract/checked';
import { toSummary } from '../../../app/adapters/engine/docker-api/containers-map';
import { summariesFromContainerd } from '../../../app/core/containerd-ps';
import { at, expectNeverLaxer, mutations } from './agrees-with-zod';

/** Engine API rows as `GET /containers/json?all=1` gives them (through JSON, as the early list reads them). */
const rows = JSON.parse(
  JSON.stringify([
    { Id: 'a1', Names: ['/web'], Image: 'nginx', ImageID: 'sha256:1', Command: 'nginx -g', Created: 1700000000, State: 'running', Status: 'Up 3 minutes (healthy)', Ports: [{ IP: '0.0.0.0', PrivatePort: 80, PublicPort: 8080, Type: 'tcp' }, { PrivatePort: 53, Type: 'udp' }], Labels: { 'com.docker.compose.project': 'p', 'com.docker.compose.service': 's', 'com.docker.compose.project.working_dir': '/w', 'com.docker.compose.project.config_files': 'a.yml,b.yml', 'com.docker.compose.container-number': '2', 'com.docker.compose.oneoff': 'False' }, Mounts: [{ Type: 'volume', Name: 'v', Source: '/var/lib/docker/volumes/v', Destination: '/data', Driver: 'local', RW: true }, { Type: 'bind', Source: '/h', Destination: '/c', RW: false }], NetworkSettings: { Networks: { bridge: {}, p_default: {} } } },
    { Id: 'b2', Names: ['/plain'], Image: 'busybox', ImageID: 'sha256:2', Command: 'sleep 1d', Created: 1700000001, State: 'exited', Status: 'Exited (0) 2 hours ago', Ports: [], Labels: {}, Mounts: [], NetworkSettings: { Networks: {} } },
    { Id: 'c3', Names: ['/odd'], Image: 'x', ImageID: 'sha256:3', Created: 1700000002, State: 'weird', Labels: null, Mounts: [{ Type: 'cluster', Destination: '/m', RW: true }] },
  ]),
) as Docker.ContainerInfo[];
const summaries = rows.map(toSummary);

describe('ContainerSummary checked by hand (isPlainContainerSummary), for the window\'s first list', () => {
  it('passes what the Docker route makes, each unchanged by the schema\'s parse', () => {
    for (const s of summaries) {
      expect(isPlainContainerSummary(s)).toBe(true);
      expect(ContainerSummary.parse(s)).toStrictEqual(s);
    }
  });

  it('passes what the nerdctl route (containerd API) makes, each unchanged by the schema\'s parse', () => {
    const labels = { 'nerdctl/name': 'web', team: 'x', 'com.docker.compose.project': 'p', 'com.docker.compose.service': 's', 'nerdctl/networks': '["bridge"]', 'nerdctl/mounts': '[{"Type":"bind","Source":"/a","Destination":"/b","RW":true}]' };
    const rows = summariesFromContainerd(
      [{ id: 'a'.repeat(64), labels, image: 'docker.io/library/nginx:alpine', createdMs: Date.parse('2026-12-05T10:00:00.123Z'), command: 'nginx -g daemon off;' }],
      new Map(),
      () => [{ HostPort: 8080, ContainerPort: 80, Protocol: 'tcp', HostIP: '127.0.0.1' }],
      5000,
    );
    expect(rows[0]).toMatchObject({ compose: { project: 'p' }, networks: ['bridge'], mounts: [{ type: 'bind' }] });
    for (const r of rows) {
      expect(isPlainContainerSummary(r)).toBe(true);
      expect(ContainerSummary.parse(r)).toStrictEqual(r);
    }
  });

  it('is never laxer than the schema: whatever it passes, the parse gives back unchanged; it refuses every spoiled field', () => {
    const full = summaries[0]!;
    const cases: unknown[] = [];
    for (const s of summaries) cases.push(...mutations(s as unknown as Record<string, unknown>));
    for (const part of ['ports', 'mounts'] as const) {
      for (const m of mutations((full[part] as unknown as Array<Record<string, unknown>>)[0]!)) cases.push(at(full, (c) => ((c[part] as unknown[])[0] = m)));
      // A hole in the array.
      cases.push(at(full, (c) => {
        const a = [...(c[part] as unknown[])];
        a.length += 1;
        c[part] = a.reverse();
      }));
    }
    for (const m of mutations(full.compose as unknown as Record<string, unknown>)) cases.push(at(full, (c) => (c.compose = m)));
    cases.push(
      at(full, (c) => (c.labels = { ...full.labels, ['k'.repeat(1025)]: 'v' })),
      at(full, (c) => (c.labels = { ...full.labels, k: 'v'.repeat(65537) })),
      at(full, (c) => (c.labels = { ...full.labels, k: 1 })),
      at(full, (c) => (c.labels = JSON.parse('{"__proto__":"x"}'))),
      at(full, (c) => (c.labels = { [Symbol('s')]: 'v' })),
      at(full, (c) => (c.labels = Object.assign(Object.create({ inherited: 'x' }), { k: 'v' }))),
      at(full, (c) => (c.networks = ['a', 1])),
      at(full, (c) => ((c.compose as Record<string, unknown>).configFiles = ['a', 2])),
      Object.assign(Object.create({ id: 'x' }), full),
      new (class {
        id = 'x';
      })(),
    );
    // What passes is only what keeps the shape (labels within their bounds, say); every spoiled field is refused.
    const { taken, spoiled } = expectNeverLaxer(isPlainContainerSummary, ContainerSummary, cases);
    expect(spoiled).toBeGreaterThan(500);
    // It may refuse more than the parse (an optional key holding undefined, labels without a prototype): those are parsed.
    expect(taken).toBeGreaterThan(0);
    expect(taken).toBeLessThanOrEqual(cases.length - spoiled);
  });

  it('checkAheadList keeps the rows it passes as they are and parses the others; a bad row still fails the list', async () => {
    const schema = containersApi['containers.list'].output;
    let pauses = 0;
    const pause = async () => void pauses++;
    const extra = { ...summaries[1]!, extra: 'stripped' };
    const list = [...summaries, extra];
    const out = await checkAheadList(schema, list, pause, 2, isPlainContainerSummary);
    expect(checkedAgainst(schema, out)).toBe(true);
    expect(out).not.toBe(list);
    expect(out.slice(0, 3).every((s, i) => s === summaries[i])).toBe(true);
    // The unusual row went through the parse: a copy, its extra key stripped.
    expect(out[3]).not.toBe(extra);
    expect(out[3]).toStrictEqual(summaries[1]);
    expect(pauses).toBe(1);
    await expect(checkAheadList(schema, [...summaries, { ...summaries[0]!, state: 'gone' }], pause, 100, isPlainContainerSummary)).rejects.toThrow();
  });
});
