import type { BuildInput } from '../../../app/contract/images';
import { argProblems, argsToRecord, type ArgRow } from './BuildArgs';
import { tagTargetProblem } from './ref';

/** The build dialog's fields as typed, and how they become a `images.build` input. */
export interface BuildForm {
  contextDir: string;
  dockerfile: string;
  tags: string;
  args: ArgRow[];
  target: string;
  noCache: boolean;
  pull: boolean;
}

export const emptyBuildForm = (): BuildForm => ({ contextDir: '', dockerfile: 'Dockerfile', tags: '', args: [], target: '', noCache: false, pull: false });

export const splitTags = (s: string): string[] => s.split(/[\s,]+/).filter(Boolean);

const isAbsolute = (p: string) => p.startsWith('/') || /^[A-Za-z]:[\\/]/.test(p) || p.startsWith('\\\\');

export interface BuildCheck {
  errors: Partial<Record<'contextDir' | 'dockerfile' | 'tags' | 'target', string>>;
  argProblems: Map<number, string>;
  input: Omit<BuildInput, 'engineId'> | null;
}

export function checkBuildForm(f: BuildForm): BuildCheck {
  const errors: BuildCheck['errors'] = {};
  const dir = f.contextDir.trim();
  if (!dir) errors.contextDir = 'Enter the folder to build, e.g. /home/me/app.';
  else if (!isAbsolute(dir)) errors.contextDir = 'Give the full path of the folder (starting with /).';
  const dockerfile = f.dockerfile.trim() || 'Dockerfile';
  if (isAbsolute(dockerfile)) errors.dockerfile = 'Give the path inside the folder, e.g. Dockerfile or docker/Dockerfile.prod.';
  else if (dockerfile.split(/[\\/]/).includes('..')) errors.dockerfile = 'The Dockerfile must be inside the folder (no "..").';
  const tags = splitTags(f.tags);
  const bad = tags.map((t) => [t, tagTargetProblem(t)] as const).find(([, p]) => p);
  if (bad) errors.tags = `${bad[0]}: ${bad[1]}`;
  else if (tags.length > 32) errors.tags = 'At most 32 names.';
  else if (new Set(tags).size !== tags.length) errors.tags = 'A name is given twice.';
  const target = f.target.trim();
  if (target && !/^[A-Za-z0-9][A-Za-z0-9_.-]*$/.test(target)) errors.target = 'A stage name has letters, digits, _ . and -.';
  const problems = argProblems(f.args);
  const ok = Object.keys(errors).length === 0 && problems.size === 0;
  return {
    errors,
    argProblems: problems,
    input: ok
      ? {
          contextDir: dir,
          dockerfile,
          tags,
          buildArgs: argsToRecord(f.args),
          ...(target ? { target } : {}),
          noCache: f.noCache,
          pull: f.pull,
          labels: {},
        }
      : null,
  };
}
