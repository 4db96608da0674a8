import http from 'node:http';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createDockerEngine } from '../../../app/adapters/engine/docker-api';
import { capabilitiesOf, detectFlavor, DOCKER_API_CAPABILITIES, PODMAN_CAPABILITIES } from '../../../app/adapters/engine/docker-api/flavor';
import { createProcessRunner } from '../../../app/adapters/process/runner';
import { parseDockerHost } from '../../../app/core/docker-host';
import { BerthError } from '../../../app/contract/errors';
import { silentLog } from '../../support/recording-log';

// The /version answers as the real engines give them (Debian's Podman 4.3 compat API and dockerd 20.10), trimmed.
const PODMAN_VERSION = {
  Platform: { Name: 'linux/amd64/debian-12' },
  Components: [
    { Name: 'Podman Engine', Version: '4.3.1', Details: { APIVersion: '4.3.1', Os: 'linux' } },
    { Name: 'Conmon', Version: 'conmon version 2.1.6' },
    { Name: 'OCI Runtime (runc)', Version: 'runc version 1.1.5' },
  ],
  Version: '4.3.1',
  ApiVersion: '1.41',
  MinAPIVersion: '1.24',
  Os: 'linux',
  Arch: 'amd64',
};
const DOCKER_VERSION = {
  Platform: { Name: 'Docker Engine - Community' },
  Components: [
    { Name: 'Engine', Version: '20.10.24+dfsg1' },
    { Name: 'containerd', Version: '1.6.20~ds1' },
    { Name: 'runc', Version: '1.1.5+ds1' },
  ],
  Version: '20.10.24+dfsg1',
  ApiVersion: '1.41',
  Os: 'linux',
  Arch: 'amd64',
};

describe('Docker-API engine flavor', () => {
  it('detects Podman from its components or its platform name, dockerd otherwise', () => {
    expect(detectFlavor(PODMAN_VERSION)).toBe('podman');
    expect(detectFlavor({ Platform: { Name: 'Podman Engine' }, Components: [] })).toBe('podman');
    expect(detectFlavor(DOCKER_VERSION)).toBe('docker');
    expect(detectFlavor({})).toBe('docker');
  });

  it("Podman's capabilities name what it lacks; dockerd's and the not-yet-known ones have none false", () => {
    expect(PODMAN_CAPABILITIES).toMatchObject({ containerUpdate: false, execResize: false, healthChecks: false, buildCancel: false, objectEvents: false, volumeEvents: false });
    for (const caps of [capabilitiesOf('docker'), capabilitiesOf('unknown')]) {
      expect(caps).toBe(DOCKER_API_CAPABILITIES);
      expect(Object.entries(caps).filter(([, v]) => v === false).map(([k]) => k)).toEqual(['namespaces']);
    }
  });
});

describe('createDockerEngine on an engine that answers as Podman', () => {
  const servers: http.Server[] = [];
  afterEach(async () => {
    await Promise.all(servers.splice(0).map((s) => new Promise((r) => s.close(r))));
  });

  /** A socket answering /version with a recorded answer (the real peers run in the `podman` and `engine` projects). */
  async function engineAnswering(version: object) {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'berth-flavor-'));
    const sock = path.join(dir, 'api.sock');
    const seen: string[] = [];
    const server = http.createServer((req, res) => {
      seen.push(`${req.method} ${req.url}`);
      if (req.url?.endsWith('/version')) {
        res.setHeader('content-type', 'application/json');
        res.end(JSON.stringify(version));
      } else {
        res.statusCode = 404;
        res.end(JSON.stringify({ message: 'not found' }));
      }
    });
    servers.push(server);
    await new Promise<void>((r) => server.listen(sock, r));
    const log = silentLog();
    const engine = createDockerEngine({ id: 'p', name: 'P', host: parseDockerHost(`unix://${sock}`), log, runner: createProcessRunner(log), env: {} });
    return { engine, seen };
  }

  it('capabilities change once the version read says Podman', async () => {
    const { engine } = await engineAnswering(PODMAN_VERSION);
    expect(engine.capabilities.containerUpdate).toBeUndefined();
    const v = await engine.system.version();
    expect(v.product).toBe('Podman Engine');
    // Podman builds with Buildah: no BuildKit of the engine's own (issue 16's `buildkit` capability).
    expect(engine.capabilities).toEqual({ ...PODMAN_CAPABILITIES, buildkit: { engine: false, daemon: false } });
  });

  it('containers.update reads the version first and answers NOT_SUPPORTED without calling update', async () => {
    const { engine, seen } = await engineAnswering(PODMAN_VERSION);
    const err = await engine.containers.update('c1', { limits: { pidsLimit: 10 } }).then(
      () => null,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(BerthError);
    expect(err).toMatchObject({ code: 'NOT_SUPPORTED', details: { engine: 'podman', capability: 'containerUpdate' } });
    expect((err as BerthError).message).toMatch(/Podman/);
    expect(seen.some((s) => s.includes('/update'))).toBe(false);
  });

  it('on dockerd the capabilities stay and update reaches the engine', async () => {
    const { engine, seen } = await engineAnswering(DOCKER_VERSION);
    await engine.system.version();
    expect(engine.capabilities).toEqual({ ...DOCKER_API_CAPABILITIES, buildkit: { engine: true, daemon: false } });
    await expect(engine.containers.update('c1', { limits: { pidsLimit: 10 } })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    expect(seen.some((s) => s.includes('/containers/c1/update'))).toBe(true);
  });
});
