import { describe, expect, it } from 'vitest';
import { mapDockerError } from '../../../app/adapters/engine/docker-api/errors';

/**
 * The exact texts dockerd 20.10 sent for image operations (recorded against the private engine
 * and the local registry), and the codes errors.ts gives them. No rule needed changing.
 */
const http = (statusCode: number, message: string, json = true) =>
  Object.assign(new Error(`(HTTP code ${statusCode}) unexpected - ${message} `), { statusCode, json: json ? { message } : null });
const inStream = (message: string) => new Error(message);
const ctx = (op: string, subject: string) => ({ endpoint: 'unix:///tmp/d.sock', op, subject });

describe('engine texts of the images area', () => {
  it.each([
    // inspect / history / remove / tag of a missing image
    [http(404, 'no such image: nope-zz:1: No such image: nope-zz:1'), 'IMAGE_NOT_FOUND'],
    [http(404, 'No such image: nope-zz:latest'), 'IMAGE_NOT_FOUND'],
    // pull of a missing repository or tag from a registry (HTTP 404 before streaming, no JSON body)
    [http(404, 'manifest for 127.0.0.1:37587/missing-abc:x not found: manifest unknown: manifest unknown', false), 'IMAGE_NOT_FOUND'],
    // pull without / with wrong credentials (HTTP 500 before streaming)
    [http(500, 'Head "http://127.0.0.1:33089/v2/berth-test/multi/manifests/1": no basic auth credentials', false), 'AUTH_REQUIRED'],
    [http(500, 'unauthorized: authentication required', false), 'AUTH_REQUIRED'],
    // push without / with wrong credentials (in the stream)
    [inStream('no basic auth credentials'), 'AUTH_REQUIRED'],
    [inStream('unauthorized: authentication required'), 'AUTH_REQUIRED'],
    // invalid references (the adapter refuses them first; these are the engine's own words)
    [http(400, 'invalid reference format: repository name must be lowercase', false), 'INVALID_REFERENCE'],
    [http(500, 'invalid reference format: repository name must be lowercase'), 'INVALID_REFERENCE'],
    // in use: 409 conflicts
    [http(409, 'conflict: unable to remove repository reference "x/used:1" (must force) - container 8ba6219ab5a7 is using its referenced image 871fd9a65cd7'), 'CONFLICT'],
    [http(409, 'conflict: unable to delete 871fd9a65cd7 (must be forced) - image is being used by stopped container 8ba6219ab5a7'), 'CONFLICT'],
    [http(409, 'conflict: unable to delete 871fd9a65cd7 (must be forced) - image is referenced in multiple repositories'), 'CONFLICT'],
    // a pull that does not fit (in the stream), and a build step whose output said so (the
    // adapter appends the output's "no space left on device" to the step's error)
    [inStream('write /tmp/berth-d-z17AYS/data/tmp/GetImageBlob521024382: no space left on device'), 'DISK_FULL'],
    [inStream("The command '/bin/sh -c dd if=/dev/zero of=/big bs=1M count=80' returned a non-zero code: 1: no space left on device"), 'DISK_FULL'],
    // build failures that are the user's
    [inStream("The command '/bin/sh -c exit 3' returned a non-zero code: 3"), 'COMMAND_FAILED'],
    [http(400, 'dockerfile parse error line 2: unknown instruction: FOO', false), 'INVALID_INPUT'],
    [inStream('Error processing tar file(exit status 1): unexpected EOF'), 'COMMAND_FAILED'],
  ])('%s → %s', (err, code) => {
    expect(mapDockerError(err, ctx('pull image', 'x')).code).toBe(code);
  });

  it('words them for the user', () => {
    expect(mapDockerError(http(404, 'No such image: nope:1'), ctx('inspect image', 'nope:1'))).toMatchObject({
      message: 'The image "nope:1" was not found.',
      hint: 'Pull it first, or check the name and tag.',
    });
    expect(mapDockerError(inStream('no basic auth credentials'), ctx('push image', '127.0.0.1:5000/a:1')).message).toBe(
      'The registry asked for credentials to push image "127.0.0.1:5000/a:1".',
    );
    expect(mapDockerError(inStream('write /x: no space left on device'), ctx('pull image', 'a:1')).message).toBe('Could not pull image "a:1": the engine\'s disk is full.');
  });
});
