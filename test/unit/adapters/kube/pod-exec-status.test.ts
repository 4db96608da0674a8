import { describe, expect, it } from 'vitest';
import { exitCodeOf } from '../../../../app/adapters/kube/streams';

describe('the exit code of a pod exec, from the API server’s final Status', () => {
  it('Success is 0; NonZeroExitCode carries the code in its ExitCode cause; anything else is unknown', () => {
    expect(exitCodeOf({ metadata: {}, status: 'Success' })).toBe(0);
    expect(
      exitCodeOf({
        metadata: {}, status: 'Failure', reason: 'NonZeroExitCode', message: 'command terminated with non-zero exit code: error executing command [sh], exit code 7',
        details: { causes: [{ reason: 'ExitCode', message: '7' }] },
      }),
    ).toBe(7);
    expect(exitCodeOf({ metadata: {}, status: 'Failure', reason: 'InternalError', message: 'no running task found', code: 500 })).toBeNull();
    expect(exitCodeOf(null)).toBeNull();
  });
});
