import * as z from 'zod';
import { mutation } from './rpc';
import { engineSel, ObjectRef } from './common';
import { deferred } from './deferred';

/** The toolbox image when none is chosen: busybox, built by Berth on the engine from the host's static busybox (never pulled). */
export const DEBUG_IMAGE_DEFAULT = 'berth/debug-busybox:1';

/** The label every toolbox container carries: the id of the container it debugs. */
export const DEBUG_LABEL = 'io.berth.debug-toolbox-for';

/** Where the debug shell writes its process id (in the toolbox's own file system); the toolbox lives while that process does. */
export const DEBUG_SHELL_PID_FILE = '/.berth-debug-shell';

/** The label of a stopped container's read-only copy (images and toolbox): Berth removes them with the toolbox. */
export const DEBUG_COPY_LABEL = 'io.berth.debug-copy-of';

/** In a read-only copy: where Berth's busybox is, and the small writable folder holding the shell's pid file. */
export const DEBUG_COPY_TOOLS = '/.berth-toolbox/bin';
export const DEBUG_COPY_RUN = '/.berth-run';

/** How long a toolbox waits for its shell to start before it ends (and is removed) unused. */
export const DEBUG_SHELL_START_SECONDS = 300;

/**
 * The toolbox's main process: it waits for the debug shell to start, then lives exactly as long as
 * that shell, so the toolbox stops (and is removed) however the shell ends: `exit`, Ctrl-D, the
 * terminal closed, the exec's connection lost. It watches from inside (the shell runs in the same
 * PID namespace); nothing depends on a signal reaching a child of the ended terminal session.
 */
export const debugToolboxCommand = (pidFile = DEBUG_SHELL_PID_FILE): string[] => [
  'sh',
  '-c',
  `n=0; until [ -s ${pidFile} ]; do n=$((n+1)); [ $n -gt ${DEBUG_SHELL_START_SECONDS} ] && exit 0; sleep 1; done; ` +
    `while kill -0 "$(cat ${pidFile})" 2>/dev/null; do sleep 1; done`,
];

/**
 * The shell a terminal runs in a toolbox: it records its process id for the toolbox to watch, then
 * works in the target's root file system (through /proc/1/root, PID 1 being the target's process).
 * `root` overrides that folder (a stopped container's file system mounted read-only into the toolbox).
 */
export const debugShellCommand = (root = '/proc/1/root', pidFile = DEBUG_SHELL_PID_FILE): string[] => [
  'sh',
  '-c',
  `echo $$ > ${pidFile}; export PS1='debug # '; cd ${root} 2>/dev/null || echo "berth: cannot enter the target's root (${root})"; exec sh`,
];

/** The shell in a stopped container's read-only copy: its root is the copy's own, Berth's busybox first on PATH. */
export const debugCopyShellCommand = (): string[] => [
  `${DEBUG_COPY_TOOLS}/sh`,
  '-c',
  `export PATH=${DEBUG_COPY_TOOLS}:$PATH; echo "berth: a read-only copy of the stopped container's files (its processes are not running)"; ${debugShellCommand('/', `${DEBUG_COPY_RUN}/shell`)[2]}`,
];

export const DebugStartResult = deferred(() => z.object({
  /** The toolbox container (labelled DEBUG_LABEL, removed when it stops). */
  toolbox: z.string(),
  image: z.string(),
  /** Open this in the terminal dock: kind container, on the toolbox, running debugShellCommand() (debugCopyShellCommand() in a copy). */
  command: z.array(z.string()),
  /** The target was stopped: the toolbox runs in a read-only copy of its file system (no processes, no network). */
  copy: z.boolean(),
}));
export type DebugStartResult = z.infer<typeof DebugStartResult>;

export const debugApi = {
  'debug.start': deferred(() => mutation(
    "Start a toolbox container for a container. Running: it joins the target's PID and network namespaces (ps, netstat, wget see the target's processes and sockets), is labelled as Berth's and removed when its shell ends; the target is not modified. Stopped: the toolbox runs in a read-only copy of its file system (committed to a temporary image with Berth's busybox added, removed with the toolbox), the target is not started. The image is `image`, else settings debug.image, else Berth's busybox built locally from the host's static busybox; any other must already be on the engine (never pulled)",
    z.object({ ...engineSel, container: ObjectRef, image: z.string().min(1).max(512).optional() }).strict(),
    DebugStartResult,
  )),
};
