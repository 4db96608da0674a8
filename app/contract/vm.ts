import * as z from 'zod';
import { mutation, query, subscription } from './rpc';
import { ErrorShape } from './errors';
import { Settings, SettingsPatch } from './settings';
import { deferred } from './deferred';

export const VmState = deferred(() => z.enum(['absent', 'stopped', 'starting', 'running', 'degraded', 'stopping', 'error']));
export type VmState = z.infer<typeof VmState>;

export const VmStage = deferred(() => z.enum(['downloading', 'booting', 'waiting-ssh', 'provisioning', 'engine']));
export type VmStage = z.infer<typeof VmStage>;

/** The start stages in order, with the words the UI shows. */
export const VM_STAGES: readonly { id: VmStage; label: string }[] = [
  { id: 'downloading', label: 'Downloading the image' },
  { id: 'booting', label: 'Booting' },
  { id: 'waiting-ssh', label: 'Waiting for ssh' },
  { id: 'provisioning', label: 'Provisioning' },
  { id: 'engine', label: 'Starting the engine' },
];

export const VmSettings = deferred(() => Settings.shape.vm.unwrap());
export type VmSettings = z.infer<typeof VmSettings>;
export const VmRuntime = deferred(() => Settings.shape.engine.unwrap().shape.runtime);

export const VmStatus = deferred(() => z.object({
  /** 'native': no VM; the local engine socket is used (Linux). */
  mode: z.enum(['vm', 'native']),
  /** Why native mode is in use (chosen in settings, or no limactl). */
  nativeReason: z.string().optional(),
  state: VmState,
  stage: VmStage.optional(),
  /** What limactl last said while starting. */
  detail: z.string().optional(),
  /** degraded / error: why. */
  reason: z.string().optional(),
  /** The tail of the log that explains a degraded or failed start. */
  logTail: z.string().optional(),
  /** The VM stopped on its own: a restart is offered. */
  crashed: z.boolean().optional(),
  actions: z.object({ start: z.boolean(), stop: z.boolean(), restart: z.boolean(), delete: z.boolean() }),
  limactl: z.object({ path: z.string(), source: z.enum(['bundled', 'path', 'settings']), version: z.string() }).optional(),
  limactlError: ErrorShape.optional(),
  instance: z
    .object({
      name: z.string(),
      dir: z.string(),
      vmType: z.string(),
      arch: z.string(),
      cpus: z.number(),
      memoryBytes: z.number(),
      diskBytes: z.number(),
      limaVersion: z.string(),
      /** Bytes the instance really uses on the host. */
      diskUsageBytes: z.number().optional(),
    })
    .optional(),
  runtime: VmRuntime,
  /** The engine registered for the VM (when it has one). */
  engineId: z.string().optional(),
  /** Where the forwarded engine socket lands (moby). */
  socketPath: z.string().optional(),
  limaHome: z.string().optional(),
  /** Settings changed since the VM last started: they apply at the next start. */
  pendingRestart: z.array(z.string()),
  /** Changes that need the VM to be deleted and created again (Berth never does that on its own). */
  needsRecreate: z.array(z.string()),
}));
export type VmStatus = z.infer<typeof VmStatus>;

export const DeletionItem = deferred(() => z.object({ path: z.string(), what: z.string(), bytes: z.number().optional() }));
export const DeletionStatement = deferred(() => z.object({
  action: z.enum(['delete', 'factory-reset']),
  deletes: z.array(DeletionItem),
  /** What stays, said plainly. */
  keeps: z.array(z.string()),
}));
export type DeletionStatement = z.infer<typeof DeletionStatement>;

export const VmCheck = deferred(() => z.object({ id: z.string(), label: z.string(), ok: z.boolean(), detail: z.string(), hint: z.string().optional() }));
export type VmCheck = z.infer<typeof VmCheck>;

export const VmLogName = deferred(() => z
  .string()
  .max(64)
  .regex(/^(berth\.log|ha\.stderr\.log|ha\.stdout\.log|serial[\w.-]*\.log)$/, 'must be one of the VM logs'));

export const VmHostIntegration = deferred(() => z.object({
  dockerContext: z.object({
    /** The moby runtime forwards a socket; containerd has none to point a context at. */
    available: z.boolean(),
    /** The context exists and points at this VM's socket. */
    enabled: z.boolean(),
    /** Where it points now (null: no such context). */
    host: z.string().nullable(),
    file: z.string(),
  }),
  path: z.object({ supported: z.boolean(), enabled: z.boolean(), files: z.array(z.string()), cliDir: z.string() }),
}));
export type VmHostIntegration = z.infer<typeof VmHostIntegration>;

const empty = deferred(() => z.object({}).strict());
const confirm = deferred(() => z.object({ confirm: z.literal(true) }).strict());

export const vmApi = {
  'vm.status': deferred(() => query('The VM: state, stage, resources, limactl, pending settings', empty, VmStatus)),
  'vm.watch': deferred(() => subscription('The VM status, now and at every change', empty, VmStatus)),
  'vm.start': deferred(() => mutation('Start the VM (creating it first when it does not exist); resolves when it runs or fails', empty, VmStatus)),
  'vm.stop': deferred(() => mutation('Stop the VM gracefully, forced after a timeout', empty, VmStatus)),
  'vm.restart': deferred(() => mutation('Stop, then start the VM (applies pending settings)', empty, VmStatus)),
  'vm.settings': deferred(() => query('The VM settings and the runtime', empty, z.object({ vm: VmSettings, runtime: VmRuntime, hostCpus: z.number(), platform: z.string() }))),
  'vm.updateSettings': deferred(() => mutation(
    'Change VM settings (and the runtime); refused with every problem when they cannot work on this host',
    z.object({ vm: SettingsPatch.shape.vm, runtime: VmRuntime.optional() }).strict(),
    VmStatus,
  )),
  'vm.deletion': deferred(() => query('Exactly what delete or factory reset would delete, and what stays', z.object({ action: DeletionStatement.shape.action }).strict(), DeletionStatement)),
  'vm.delete': deferred(() => mutation('Delete the VM and its disk (confirmed)', confirm, VmStatus)),
  'vm.factoryReset': deferred(() => mutation('Delete everything Berth keeps for its VM (confirmed)', confirm, VmStatus)),
  'vm.checks': deferred(() => query('Troubleshooting checks', empty, z.array(VmCheck))),
  'vm.logs': deferred(() => query('The VM logs that exist', empty, z.array(z.string()))),
  'vm.readLog': deferred(() => query('The tail of one VM log', z.object({ name: VmLogName, maxBytes: z.number().int().min(1).max(4 * 1024 * 1024).default(256 * 1024) }).strict(), z.string())),
  'vm.hostIntegration': deferred(() => query('The berth docker context and the PATH configuration', empty, VmHostIntegration)),
  'vm.setHostIntegration': deferred(() => mutation(
    'Create or remove the berth docker context; add or remove the bundled CLIs on PATH (opt-in; each undone exactly)',
    z.object({ dockerContext: z.boolean().optional(), path: z.boolean().optional() }).strict(),
    VmHostIntegration,
  )),
  'vm.diagnostics': deferred(() => mutation('Write a diagnostics zip (secrets redacted)', empty, z.object({ path: z.string(), bytes: z.number() }))),
};
