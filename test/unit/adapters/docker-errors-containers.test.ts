import { describe, expect, it } from 'vitest';
import { mapDockerError } from '../../../app/adapters/engine/docker-api/errors';

/** Engine failures as dockerode hands them over, with the exact texts dockerd 20.10 sent in the containers suites. */
const engineError = (statusCode: number, message: string) =>
  Object.assign(new Error(`(HTTP code ${statusCode}) unexpected - ${message}`), { statusCode, json: { message } });

const ctx = (op: string, subject?: string) => ({ endpoint: 'unix:///tmp/berth-d-x/docker.sock', op, ...(subject ? { subject } : {}) });

describe('mapDockerError: messages the containers area relies on', () => {
  it('NAME_IN_USE on create and on rename', () => {
    const id = 'f5bb288bade62bbf0929ef46f6c7118635bc0ff9b2c11a19277d860d48c482b1';
    const create = mapDockerError(
      engineError(409, `Conflict. The container name "/berth-p-cpappc" is already in use by container "${id}". You have to remove (or rename) that container to be able to reuse that name.`),
      ctx('create a container from', 'berth-test/busybox:latest'),
    );
    expect(create.code).toBe('NAME_IN_USE');
    expect(create.message).toBe('The name "berth-p-cpappc" is already in use.');
    const rename = mapDockerError(
      engineError(409, `Error when allocating new name: Conflict. The container name "/berth-p-cpappc" is already in use by container "${id}". You have to remove (or rename) that container to be able to reuse that name.`),
      ctx('rename the container', 'x'),
    );
    expect(rename.code).toBe('NAME_IN_USE');
    expect(rename.message).toBe('The name "berth-p-cpappc" is already in use.');
  });

  it('PORT_ALLOCATED names the port', () => {
    const e = mapDockerError(
      engineError(500, 'driver failed programming external connectivity on endpoint recursing_sanderson (67b9c2f94d82046d418ecd14b1d23b3dbe25aac684285a914d7d479ef8924bdc): Bind for 127.0.0.1:43469 failed: port is already allocated'),
      ctx('start the container', 'recursing_sanderson'),
    );
    expect(e.code).toBe('PORT_ALLOCATED');
    expect(e.message).toBe('Could not start the container "recursing_sanderson": host port 43469 is already in use.');
    expect(e.details?.port).toBe(43469);
  });

  it('NOT_FOUND for a missing container', () => {
    const e = mapDockerError(engineError(404, 'No such container: berth-ghost'), ctx('inspect the container', 'berth-ghost'));
    expect(e.code).toBe('NOT_FOUND');
    expect(e.message).toBe('"berth-ghost" does not exist (No such container: berth-ghost).');
  });

  it('NOT_FOUND for a missing network at start', () => {
    const e = mapDockerError(engineError(404, 'network berth-nonet not found'), ctx('start the container', 'happy_mcnulty'));
    expect(e.code).toBe('NOT_FOUND');
    expect(e.details?.engineMessage).toBe('network berth-nonet not found');
  });

  it('CONTAINER_RUNNING on remove without force', () => {
    const id = '45cd010a9258503e7297d3771fd67e559cc42a32eb409641160c633a6b5cecef';
    const e = mapDockerError(
      engineError(409, `You cannot remove a running container ${id}. Stop the container before attempting removal or force remove`),
      ctx('remove the container', id),
    );
    expect(e.code).toBe('CONTAINER_RUNNING');
    expect(e.message).toBe(`The container "${id}" is running.`);
    expect(e.hint).toMatch(/force/);
  });

  it('IMAGE_NOT_FOUND on create, with a hint to pull', () => {
    const ref = '127.0.0.1:37501/berth-missing-x:latest';
    const e = mapDockerError(engineError(404, `No such image: ${ref}`), ctx('create a container from', ref));
    expect(e.code).toBe('IMAGE_NOT_FOUND');
    expect(e.message).toBe(`The image "${ref}" was not found.`);
    expect(e.hint).toMatch(/Pull/);
  });

  it('INVALID_REFERENCE for an unparsable image reference', () => {
    const e = mapDockerError(engineError(400, 'invalid reference format: repository name must be lowercase'), ctx('create a container from', 'UPPER/Case'));
    expect(e.code).toBe('INVALID_REFERENCE');
    expect(e.message).toBe('"UPPER/Case" is not a valid image reference (invalid reference format: repository name must be lowercase).');
  });

  it('INVALID_INPUT for what the engine refuses as a bad parameter', () => {
    const e = mapDockerError(engineError(400, 'invalid mount config for type "bind": bind source path does not exist: /nonexistent-berth'), ctx('create a container from', 'img'));
    expect(e.code).toBe('INVALID_INPUT');
    expect(e.message).toContain('bind source path does not exist: /nonexistent-berth');
    const cpus = mapDockerError(engineError(400, 'Range of CPUs is from 0.01 to 2.00, as there are only 2 CPUs available'), ctx('create a container from', 'img'));
    expect(cpus.code).toBe('INVALID_INPUT');
  });

  it('CONFLICT when killing or pausing a stopped container', () => {
    const e = mapDockerError(engineError(409, 'Cannot kill container: c1: Container abc is not running'), ctx('kill the container', 'c1'));
    expect(e.code).toBe('CONFLICT');
    expect(e.message).toBe('Could not kill the container "c1": Cannot kill container: c1: Container abc is not running');
  });

  it('ENGINE_UNREACHABLE names the socket', () => {
    const err = Object.assign(new Error('connect ENOENT /tmp/nope.sock'), { code: 'ENOENT' });
    const e = mapDockerError(err, { endpoint: 'unix:///tmp/nope.sock', op: 'list containers' });
    expect(e.code).toBe('ENGINE_UNREACHABLE');
    expect(e.message).toContain('unix:///tmp/nope.sock');
  });
});
