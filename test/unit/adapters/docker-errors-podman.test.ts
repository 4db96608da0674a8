import { describe, expect, it } from 'vitest';
import { mapDockerError } from '../../../app/adapters/engine/docker-api/errors';

/** Failures as dockerode hands them over, with the exact texts Podman 4.3's compat API sent (recorded against the private Podman). */
const engineError = (statusCode: number, message: string) =>
  Object.assign(new Error(`(HTTP code ${statusCode}) unexpected - ${message}`), { statusCode, json: { message } });

const ctx = (op: string, subject?: string) => ({ endpoint: 'unix:///tmp/berth-p-x/podman.sock', op, ...(subject ? { subject } : {}) });
const id = '6f87a4d0294935e0183908a6ae4ce64878c9731117990b80fd554c7b25b3f2e9';

describe('mapDockerError: Podman 4.3 texts', () => {
  it('NAME_IN_USE on rename, create and network create', () => {
    const rename = mapDockerError(engineError(409, `renaming container ${id}: name a1 already in use, cannot rename container ${id}: container already exists`), ctx('rename the container', 'a2'));
    expect([rename.code, rename.message]).toEqual(['NAME_IN_USE', 'The name "a1" is already in use.']);
    const create = mapDockerError(
      engineError(500, `container create: creating container storage: the container name "a1" is already in use by ${id}. You have to remove that container to be able to reuse that name: that name is already in use`),
      ctx('create a container from', 'busybox'),
    );
    expect([create.code, create.message]).toEqual(['NAME_IN_USE', 'The name "a1" is already in use.']);
    const net = mapDockerError(engineError(500, 'network name n1 already used: network already exists'), ctx('create the network', 'n1'));
    expect([net.code, net.message]).toEqual(['NAME_IN_USE', 'The name "n1" is already in use.']);
  });

  it('CONTAINER_RUNNING, VOLUME_IN_USE', () => {
    const rm = mapDockerError(engineError(500, `cannot remove container ${id} as it is running - running or paused containers cannot be removed without force: container state improper`), ctx('remove the container', 'a1'));
    expect(rm.code).toBe('CONTAINER_RUNNING');
    const vol = mapDockerError(engineError(409, `volume v1 is being used by the following container(s): ${id}: volume is being used`), ctx('remove the volume', 'v1'));
    expect(vol.code).toBe('VOLUME_IN_USE');
  });

  it('CONFLICT for an exec in a stopped container, saying it is not running', () => {
    const e = mapDockerError(engineError(500, 'can only create exec sessions on running containers: container state improper'), ctx('run a command in', 'a3'));
    expect(e.code).toBe('CONFLICT');
    expect(e.message).toBe('Could not run a command in "a3": the container is not running.');
  });

  it('IMAGE_NOT_FOUND and a missing network', () => {
    const img = mapDockerError(engineError(404, 'failed to find image nosuch:1: docker.io/library/nosuch:1: image not known'), ctx('tag the image', 'nosuch:1'));
    expect(img.code).toBe('IMAGE_NOT_FOUND');
    const net = mapDockerError(engineError(500, 'container create: unable to find network with name or ID nonet: network not found'), ctx('create a container from', 'busybox'));
    expect(net.code).toBe('NOT_FOUND');
  });

  it('PORT_ALLOCATED names the port', () => {
    const e = mapDockerError(engineError(500, 'cannot listen on the TCP port: listen tcp4 :18999: bind: address already in use'), ctx('start the container', 'p2'));
    expect(e.code).toBe('PORT_ALLOCATED');
    expect(e.details).toMatchObject({ port: 18999 });
  });
});
