import { describe, expect, it } from 'vitest';
import { ERROR_CODES, ErrorCode, isErrorCode } from '../../../app/contract/errors';
import { toErrorShape } from '../../../renderer/lib/errors';

/** The renderer reads error codes without zod (isErrorCode): it must answer as the schema does. */
describe('error codes without the schema', () => {
  it('the plain list is the schema’s', () => {
    expect(ErrorCode.options).toEqual([...ERROR_CODES]);
  });

  it('isErrorCode agrees with ErrorCode.safeParse', () => {
    const values: unknown[] = [...ERROR_CODES, 'not_found', 'NOPE', '', 'INTERNAL ', 1, null, undefined, {}, ['INTERNAL'], 'toString', '__proto__'];
    for (const v of values) expect(isErrorCode(v), String(v)).toBe(ErrorCode.safeParse(v).success);
  });

  it('toErrorShape keeps a known code and turns an unknown one into INTERNAL', () => {
    expect(toErrorShape({ code: 'NOT_FOUND', message: 'No such container: web' })).toEqual({ code: 'NOT_FOUND', message: 'No such container: web' });
    const odd = toErrorShape(Object.assign(new Error('boom'), { code: 'ENOENT' }));
    expect(odd.code).toBe('INTERNAL');
    expect(odd.message).toBe('Unexpected error: boom');
  });
});
