import { describe, expect, it } from 'vitest';
import { mergeEnv, parseEnvFile, toEnvVars } from '../../../app/core/containers-envfile';

describe('parseEnvFile (docker --env-file rules)', () => {
  const env: Record<string, string> = { FROM_ENV: 'env-value', EMPTY: '' };
  const lookup = (k: string) => env[k];

  it('reads KEY=VALUE lines verbatim: quotes and trailing spaces kept, comments and blanks skipped', () => {
    const r = parseEnvFile(['# comment', '', '   ', 'A=1', '  B=two words  ', 'C="quoted"', "D='single'", 'E=x=y', 'F=', '\t# indented comment'].join('\n'), lookup);
    expect(r.issues).toEqual([]);
    expect(r.vars).toEqual([
      { name: 'A', value: '1' },
      { name: 'B', value: 'two words  ' },
      { name: 'C', value: '"quoted"' },
      { name: 'D', value: "'single'" },
      { name: 'E', value: 'x=y' },
      { name: 'F', value: '' },
    ]);
  });

  it('takes a lone KEY from the environment, and skips it when unset', () => {
    const r = parseEnvFile('FROM_ENV\nNOT_SET\nEMPTY\n', lookup);
    expect(r.vars).toEqual([
      { name: 'FROM_ENV', value: 'env-value' },
      { name: 'EMPTY', value: '' },
    ]);
  });

  it('handles CRLF line ends and a BOM', () => {
    expect(parseEnvFile('\uFEFFA=1\r\nB=2\r\n', lookup).vars).toEqual([
      { name: 'A', value: '1' },
      { name: 'B', value: '2' },
    ]);
  });

  it('reports names with white space and empty names with their line', () => {
    const r = parseEnvFile('OK=1\nBAD NAME=2\n=3\n', lookup);
    expect(r.vars).toEqual([{ name: 'OK', value: '1' }]);
    expect(r.issues).toEqual([
      { line: 2, message: 'variable "BAD NAME" contains white space' },
      { line: 3, message: 'no variable name before "="' },
    ]);
  });
});

describe('env helpers', () => {
  it('normalizes strings and objects', () => {
    expect(toEnvVars(['A=1', 'B=x=y', { name: 'C', value: '' }])).toEqual([
      { name: 'A', value: '1' },
      { name: 'B', value: 'x=y' },
      { name: 'C', value: '' },
    ]);
  });
  it('lets later lists win, keeping first positions', () => {
    expect(mergeEnv([{ name: 'A', value: 'file' }, { name: 'B', value: 'file' }], [{ name: 'A', value: 'env' }])).toEqual([
      { name: 'A', value: 'env' },
      { name: 'B', value: 'file' },
    ]);
  });
});
