import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import YAML from 'yaml';

const ROOT = path.resolve(__dirname, '../../..');

interface BuilderConfig {
  extraResources?: Array<{ from: string; to: string }>;
  asarUnpack?: string[];
  mac?: { icon?: string };
  win?: { icon?: string };
  linux?: { icon?: string };
}

describe('electron-builder.yml names only what exists', () => {
  const cfg = YAML.parse(fs.readFileSync(path.join(ROOT, 'electron-builder.yml'), 'utf8')) as BuilderConfig;

  it('every extra resource folder exists (for this platform where the path has ${os}-${arch})', () => {
    for (const r of cfg.extraResources ?? []) {
      const from = r.from.replace('${os}', 'linux').replace('${arch}', process.arch);
      expect(fs.existsSync(path.join(ROOT, from)), r.from).toBe(true);
    }
  });

  it('every icon exists', () => {
    for (const icon of [cfg.mac?.icon, cfg.win?.icon, cfg.linux?.icon].filter(Boolean)) expect(fs.existsSync(path.join(ROOT, icon!)), icon).toBe(true);
  });

  it('every package named in asarUnpack is installed', () => {
    for (const pattern of cfg.asarUnpack ?? []) {
      const m = /node_modules\/(.+?)\/\*\*$/.exec(pattern);
      if (!m) continue;
      const name = m[1]!;
      const dir = path.join(ROOT, 'node_modules', path.dirname(name));
      const base = path.basename(name);
      const re = new RegExp(`^${base.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*')}$`);
      const found = fs.existsSync(dir) && fs.readdirSync(dir).some((e) => re.test(e));
      expect(found, pattern).toBe(true);
    }
  });
});
