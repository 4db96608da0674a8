import crypto from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import type { HostIntegration } from '../../ports/vm';

const CONTEXT = 'berth';
const BEGIN = '# >>> berth: bundled CLIs on PATH (added by Berth; remove with Berth > VM > Configure PATH) >>>';
const END = '# <<< berth <<<';

export interface HostIntegrationOptions {
  /** The user's home folder (the tests use a temp one). */
  home: string;
  /** DOCKER_CONFIG when set, else ~/.docker. */
  dockerConfigDir?: string;
  platform: NodeJS.Platform;
}

const exists = (p: string) =>
  fs.stat(p).then(
    () => true,
    () => false,
  );

/** The shell start-up files "Configure PATH" edits: those that exist, or ~/.profile when none does. */
async function rcFiles(home: string): Promise<string[]> {
  const candidates = ['.zshrc', '.bashrc', '.profile'].map((f) => path.join(home, f));
  const found: string[] = [];
  for (const f of candidates) if (await exists(f)) found.push(f);
  return found.length ? found : [path.join(home, '.profile')];
}

/** Removes Berth's block and the one newline Berth put before it: the file is as it was before. */
const stripBlock = (text: string): string => {
  const at = text.indexOf(BEGIN);
  if (at < 0) return text;
  const end = text.indexOf(END, at);
  if (end < 0) return text;
  let after = end + END.length;
  if (text[after] === '\n') after++;
  const start = at > 0 && text[at - 1] === '\n' ? at - 1 : at;
  return text.slice(0, start) + text.slice(after);
};

/** A folder inside double quotes in sh: $, `, " and \ escaped. */
const shQuote = (dir: string) => `"${dir.replace(/[$`"\\]/g, (c) => `\\${c}`)}`;

/**
 * The `berth` docker context (written in the Docker CLI's context store, no CLI needed) and the opt-in
 * PATH block in the shell start-up files, each undone exactly: nothing else in those files is touched.
 */
export function createHostIntegration(o: HostIntegrationOptions): HostIntegration {
  const dockerDir = o.dockerConfigDir ?? path.join(o.home, '.docker');
  const metaDir = path.join(dockerDir, 'contexts', 'meta', crypto.createHash('sha256').update(CONTEXT).digest('hex'));
  const metaFile = path.join(metaDir, 'meta.json');
  return {
    async dockerContext() {
      try {
        const meta = JSON.parse(await fs.readFile(metaFile, 'utf8')) as { Endpoints?: { docker?: { Host?: string } } };
        return { name: CONTEXT, host: meta.Endpoints?.docker?.Host ?? null, file: metaFile };
      } catch {
        return { name: CONTEXT, host: null, file: metaFile };
      }
    },
    async setDockerContext(socketPath) {
      if (socketPath === null) {
        await fs.rm(metaDir, { recursive: true, force: true });
        return;
      }
      await fs.mkdir(metaDir, { recursive: true });
      const meta = { Name: CONTEXT, Metadata: { Description: 'Berth VM (moby)' }, Endpoints: { docker: { Host: `unix://${socketPath}`, SkipTLSVerify: false } } };
      await fs.writeFile(metaFile, `${JSON.stringify(meta)}\n`, { mode: 0o644 });
    },
    async pathConfig() {
      if (o.platform === 'win32') return { supported: false, files: [] };
      const files: string[] = [];
      for (const f of await rcFiles(o.home)) if ((await fs.readFile(f, 'utf8').catch(() => '')).includes(BEGIN)) files.push(f);
      return { supported: true, files };
    },
    async setPathConfig(cliDir) {
      if (o.platform === 'win32') return [];
      const changed: string[] = [];
      for (const f of await rcFiles(o.home)) {
        const text = await fs.readFile(f, 'utf8').catch(() => '');
        const clean = stripBlock(text);
        const next = cliDir === null ? clean : `${clean}\n${BEGIN}\nexport PATH=${shQuote(cliDir)}:$PATH"\n${END}\n`;
        if (next === text) continue;
        await fs.writeFile(f, next);
        changed.push(f);
      }
      return changed;
    },
  };
}
