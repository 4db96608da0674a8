/**
 * Parses the JSON messages of a classic-builder build (`{stream}`, `{aux: {ID}}`, `{error}`)
 * into items a UI can show: whole log lines and "Step i/n : INSTRUCTION" markers. Pure.
 */
export interface BuildStep {
  index: number;
  total: number;
  instruction: string;
}

export type BuildOutputItem = { kind: 'log'; text: string } | ({ kind: 'step' } & BuildStep);

export interface BuildMessage {
  stream?: string;
  status?: string;
  id?: string;
  progressDetail?: { current?: number; total?: number };
  aux?: { ID?: string };
  error?: string;
  errorDetail?: { message?: string; code?: number };
}

const STEP_RE = /^Step (\d+)\/(\d+) : (.*)$/;
/** Progress lines of a base-image pull inside a build: too chatty to log one by one. */
const NOISY_STATUS = new Set(['Downloading', 'Extracting', 'Waiting', 'Verifying Checksum']);
const TAIL_CHARS = 4000;

export class BuildOutputParser {
  private partial = '';
  /** The image the build produced (from the engine's aux message). */
  imageId: string | null = null;
  /** The engine's error, when the build failed. */
  error: { message: string; code?: number } | null = null;
  step: BuildStep | null = null;
  /** The last few thousand characters the current step printed (to explain a failure). */
  stepOutput = '';

  push(m: BuildMessage): BuildOutputItem[] {
    if (m.aux?.ID) this.imageId = m.aux.ID;
    if (typeof m.error === 'string' || m.errorDetail?.message) {
      const e: { message: string; code?: number } = { message: (m.errorDetail?.message || m.error || 'unknown error').trim() };
      if (typeof m.errorDetail?.code === 'number') e.code = m.errorDetail.code;
      this.error = e;
      return this.flush();
    }
    if (typeof m.stream === 'string') return this.text(m.stream);
    if (typeof m.status === 'string' && !NOISY_STATUS.has(m.status)) {
      return [...this.flush(), ...this.lines([`${m.id ? `${m.id}: ` : ''}${m.status}`])];
    }
    return [];
  }

  /** Whatever is left of an unterminated last line. */
  end(): BuildOutputItem[] {
    return this.flush();
  }

  private text(chunk: string): BuildOutputItem[] {
    const all = this.partial + chunk;
    const parts = all.split('\n');
    this.partial = parts.pop() ?? '';
    return this.lines(parts);
  }

  private flush(): BuildOutputItem[] {
    if (this.partial === '') return [];
    const rest = this.partial;
    this.partial = '';
    return this.lines([rest]);
  }

  private lines(lines: string[]): BuildOutputItem[] {
    const out: BuildOutputItem[] = [];
    let log: string[] = [];
    const flushLog = () => {
      if (log.length) out.push({ kind: 'log', text: `${log.join('\n')}\n` });
      log = [];
    };
    for (const line of lines) {
      const s = STEP_RE.exec(line);
      if (s) {
        flushLog();
        this.step = { index: Number(s[1]), total: Number(s[2]), instruction: s[3] ?? '' };
        this.stepOutput = '';
        out.push({ kind: 'step', ...this.step });
        continue;
      }
      log.push(line);
      this.stepOutput = (this.stepOutput + line + '\n').slice(-TAIL_CHARS);
    }
    flushLog();
    return out;
  }
}

/** Removes the ANSI colour codes the classic builder wraps around stderr output. */
const ANSI_SGR = new RegExp(`${String.fromCharCode(27)}\\[[0-9;]*m`, 'g');
export const stripAnsi = (s: string): string => s.replace(ANSI_SGR, '');
