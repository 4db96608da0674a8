import fs from 'node:fs/promises';
import path from 'node:path';
import { renderLimaConfig, type ResolvedVm, type TemplateSources } from '../../core/lima-template';
import { yaml } from '../lazy-modules';

type Overrides = Pick<TemplateSources, 'images' | 'containerdArchives'>;

/** Reads resources/lima/berth.yaml and moby.yaml. */
export async function loadTemplateSources(resourcesDir: string, overrides: Overrides = {}): Promise<TemplateSources> {
  const read = async (name: string) => yaml().parse(await fs.readFile(path.join(resourcesDir, 'lima', name), 'utf8')) as Record<string, unknown>;
  const [base, moby] = await Promise.all([read('berth.yaml'), read('moby.yaml')]);
  return { base, moby, ...overrides };
}

/** The instance's lima.yaml text for these settings. */
export function renderLimaTemplate(vm: ResolvedVm, src: TemplateSources): string {
  return `# Rendered by Berth from its VM settings: change those, not this file.\n${yaml().stringify(renderLimaConfig(vm, src), { lineWidth: 0 })}`;
}
