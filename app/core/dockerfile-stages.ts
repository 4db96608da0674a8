/**
 * The stages of a Dockerfile (for the build dialog's target picker), from its FROM instructions:
 * comments, blank lines and line continuations (`\`, or the escape character set by a `# escape=`
 * parser directive) are honoured; heredoc bodies are skipped. Pure: the caller reads the file.
 */

export interface DockerfileStage {
  /** 0-based position among the FROMs (what `--target` accepts besides the name). */
  index: number;
  /** `AS name`, lower-cased as BuildKit compares it; null for an unnamed stage. */
  name: string | null;
  /** The base image or stage (`golang:1.22`, `base`, `scratch`). */
  from: string;
  /** `--platform=…` on the FROM, as written. */
  platform: string | null;
  /** 1-based line of the FROM. */
  line: number;
}

/** One instruction of a Dockerfile: its continuation lines joined, 1-based first and last line. */
export interface DockerfileInstruction {
  line: number;
  endLine: number;
  text: string;
}

/** The instructions in file order (comments, blank lines and heredoc bodies left out). */
export function dockerfileInstructions(text: string): DockerfileInstruction[] {
  const lines = text.split(/\r?\n/);
  let escape = '\\';
  // Parser directives: only at the very top, before any other line.
  for (const l of lines) {
    const d = /^#\s*([a-zA-Z]+)\s*=\s*(\S+)\s*$/.exec(l);
    if (!d) break;
    if (d[1]?.toLowerCase() === 'escape' && (d[2] === '`' || d[2] === '\\')) escape = d[2];
  }
  const out: DockerfileInstruction[] = [];
  let heredocEnd: string[] = [];
  for (let i = 0; i < lines.length; i++) {
    let l = lines[i] ?? '';
    if (heredocEnd.length) {
      if (l.replace(/^\t+/, '') === heredocEnd[0]) heredocEnd = heredocEnd.slice(1);
      if (out.length) (out[out.length - 1] as DockerfileInstruction).endLine = i + 1;
      continue;
    }
    if (/^\s*#/.test(l) || !l.trim()) continue;
    const start = i;
    // Join continuations; comment lines inside a continued instruction are dropped, as BuildKit does.
    while (l.trimEnd().endsWith(escape) && i + 1 < lines.length) {
      l = l.trimEnd().slice(0, -1);
      i++;
      const next = lines[i] ?? '';
      if (/^\s*#/.test(next)) {
        l += ' ';
        continue;
      }
      l += ` ${next}`;
    }
    heredocEnd = [...l.matchAll(/<<-?(["']?)([A-Za-z_][A-Za-z0-9_]*)\1/g)].map((m) => m[2] ?? '');
    out.push({ line: start + 1, endLine: i + 1, text: l.trim() });
  }
  return out;
}

export function parseDockerfileStages(text: string): DockerfileStage[] {
  const stages: DockerfileStage[] = [];
  for (const ins of dockerfileInstructions(text)) {
    const words = ins.text.split(/\s+/);
    if (words[0]?.toUpperCase() !== 'FROM') continue;
    let platform: string | null = null;
    const rest = words.slice(1).filter((w) => {
      const p = /^--platform=(.+)$/.exec(w);
      if (p) platform = p[1] ?? null;
      return !w.startsWith('--');
    });
    const from = rest[0] ?? '';
    const name = rest[1]?.toUpperCase() === 'AS' && rest[2] ? rest[2].toLowerCase() : null;
    stages.push({ index: stages.length, name, from, platform, line: ins.line });
  }
  return stages;
}

/** Targets for `--target`: the named stages, in file order. */
export function buildTargets(stages: DockerfileStage[]): string[] {
  return stages.flatMap((s) => (s.name ? [s.name] : []));
}
