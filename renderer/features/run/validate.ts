import { RunOptions, runOptionsWarnings, type ContainerSummary, type RunOptionsIn } from '../../../app/contract/containers';
import { formToOptions, type FieldErrors, type RowIndex, type RunForm } from './form';

/**
 * Inline validation of the run form: the inputs' syntax, the contract's own schema and checks
 * (the same the core applies), and what only the list of containers knows (a name or a host
 * port already taken).
 */
export interface Validation {
  /** The options to send, when there is no error. */
  options: RunOptionsIn | null;
  /** Parsed options even when invalid (for the command preview of what is valid so far). */
  draft: RunOptionsIn;
  errors: FieldErrors;
  /** Issues that belong to no single input. */
  formErrors: string[];
  /** Dangerous settings to confirm (privileged, host network...). */
  warnings: string[];
}

export interface ValidationContext {
  containers: readonly ContainerSummary[];
  /** The container being edited: its own name and ports do not conflict with itself. */
  editingId?: string;
}

const SECURITY_FIELDS = new Set(['readonlyRootfs', 'capAdd', 'capDrop', 'noNewPrivileges', 'seccompProfile', 'apparmorProfile', 'privileged']);

/** The input a schema issue belongs to. */
export function fieldOf(path: readonly PropertyKey[], rows: RowIndex): string | null {
  const [head, a, b] = path;
  switch (head) {
    case 'ports':
      return typeof a === 'number' ? `ports.${rows.ports[a] ?? a}` : 'ports';
    case 'mounts':
      return typeof a === 'number' ? `mounts.${rows.mounts[a] ?? a}.${b === 'source' ? 'source' : 'target'}` : 'mounts';
    case 'env':
      return typeof a === 'number' ? `env.${rows.env[a] ?? a}.name` : 'env';
    case 'labels':
      return typeof a === 'string' && rows.labels[a] !== undefined ? `labels.${rows.labels[a]}.name` : 'labels';
    case 'limits':
      return a === 'cpus' ? 'cpus' : a === 'memoryBytes' ? 'memory' : a === 'pidsLimit' ? 'pids' : null;
    case 'security':
      return typeof a === 'string' && SECURITY_FIELDS.has(a) ? a : null;
    case 'restartPolicy':
      return a === 'maximumRetryCount' ? 'maxRetries' : 'restart';
    case undefined:
      return null;
    default:
      return String(head);
  }
}

const overlaps = (a: string | null | undefined, b: string | null | undefined) =>
  !a || !b || a === b || a === '0.0.0.0' || b === '0.0.0.0' || a === '::' || b === '::';

export function validateForm(form: RunForm, ctx: ValidationContext): Validation {
  const t = formToOptions(form);
  const errors: FieldErrors = { ...t.errors };
  const formErrors: string[] = [];
  const put = (field: string | null, message: string) => {
    if (field === null) formErrors.push(message);
    else errors[field] ??= message;
  };
  if (t.options.image === '') put('image', 'Give the image to run, e.g. a name from the Images page');

  const parsed = RunOptions.safeParse(t.options);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const field = fieldOf(issue.path, t.rows);
      put(field, field === null ? `${issue.path.join('.') || 'options'}: ${issue.message}` : issue.message);
    }
  }

  const others = ctx.containers.filter((c) => c.id !== ctx.editingId);
  const name = t.options.name?.replace(/^\//, '');
  if (name) {
    const taken = others.find((c) => c.name === name);
    if (taken) put('name', `A container named "${name}" already exists (${taken.state}); pick another name or remove it first`);
  }

  (t.options.ports ?? []).forEach((p, i) => {
    if (p.hostPort === undefined) return;
    for (const c of others) {
      const hit = c.ports.find((q) => q.hostPort === p.hostPort && q.protocol === (p.protocol ?? 'tcp') && overlaps(q.hostIp, p.hostIp));
      if (hit) {
        put(`ports.${t.rows.ports[i] ?? i}`, `Host port ${p.hostPort}/${hit.protocol} is already published by ${c.name}; choose another or leave the host port out (e.g. "${p.containerPort}") to get a free one`);
        return;
      }
    }
  });

  const valid = Object.keys(errors).length === 0 && formErrors.length === 0;
  return {
    options: valid ? t.options : null,
    draft: t.options,
    errors,
    formErrors,
    warnings: parsed.success ? runOptionsWarnings(parsed.data) : [],
  };
}

/** Which tab each input lives on (to show error counts on the tabs). */
export function tabOfField(field: string): RunTab {
  const head = field.split('.')[0] ?? '';
  if (['ports', 'mounts', 'env', 'envFile'].includes(head)) return 'ports';
  if (['cpus', 'memory', 'pids'].includes(head)) return 'resources';
  if (SECURITY_FIELDS.has(head)) return 'security';
  if (['network', 'hostname', 'labels', 'restart', 'maxRetries', 'autoRemove'].includes(head)) return 'network';
  return 'basic';
}

export type RunTab = 'basic' | 'ports' | 'resources' | 'security' | 'network';
