/**
 * What each input of the run form is called on screen, so a summary of problems can name it
 * ("Memory: at least 6m") even when it sits on another tab. Keys are the form's field keys
 * (`memory`, `ports.2`, `mounts.0.target`, `env.1.name`…).
 */
const LABELS: Record<string, string> = {
  image: 'Image',
  name: 'Name',
  command: 'Command',
  entrypoint: 'Entrypoint',
  workingDir: 'Working directory',
  user: 'User',
  platform: 'Platform',
  envFile: 'Env file',
  cpus: 'CPUs',
  memory: 'Memory',
  pids: 'Processes (pids)',
  readonlyRootfs: 'Read-only root file system',
  capAdd: 'Add capabilities',
  capDrop: 'Drop capabilities',
  noNewPrivileges: 'No new privileges',
  seccompProfile: 'Seccomp profile',
  apparmorProfile: 'AppArmor profile',
  privileged: 'Privileged',
  network: 'Network',
  hostname: 'Host name',
  restart: 'Restart policy',
  maxRetries: 'Maximum retries',
  autoRemove: 'Remove when it stops',
  ports: 'Ports',
  mounts: 'Volumes',
  env: 'Environment',
  labels: 'Labels',
};

const ROW: Record<string, string> = { ports: 'Port', mounts: 'Mount', env: 'Variable', labels: 'Label' };
const PART: Record<string, string> = { name: 'name', value: 'value', source: 'source', target: 'target', type: 'type' };

export function fieldLabel(field: string): string {
  const [head = '', index, part] = field.split('.');
  const exact = LABELS[field];
  if (exact) return exact;
  const row = ROW[head];
  if (row && index !== undefined && /^\d+$/.test(index)) {
    const n = Number(index) + 1;
    const what = part ? (head === 'labels' && part === 'name' ? 'key' : (PART[part] ?? part)) : '';
    return what ? `${row} ${n} ${what}` : `${row} ${n}`;
  }
  return LABELS[head] ?? field;
}

/** The DOM id of a field's input (the same rule as `useFieldIds`). */
export const fieldDomId = (base: string, field: string) => `${base}-${field.replace(/\./g, '-')}`;
