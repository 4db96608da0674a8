import { z } from 'zod';
import { mutation } from './rpc';
import { engineSel, ObjectRef } from './common';

/** The toolbox image when none is chosen: busybox, built by Berth on the engine from the host's static busybox (never pulled). */
export const DEBUG_IMAGE_DEFAULT = 'berth/debug-busybox:1';

/** The label every toolbox container carries: the id of the container it debugs. */
export const DEBUG_LABEL = 'io.berth.debug-toolbox-for';

/** Where a toolbox writes its main process id (the shell's exit stops it, so it is removed). */
export const DEBUG_PID_FILE = '/.berth-toolbox-pid';

/**
 * The shell a terminal runs in a toolbox: in the target's root file system (through /proc/1/root,
 * PID 1 being the target's process), and on exit it stops the toolbox (which is then removed).
 */
export const debugShellCommand = (): string[] => [
  'sh',
  '-c',
  // The toolbox is stopped a moment after the shell ends, from a detached child holding none of the
  // terminal's descriptors: the exec (and so the terminal) ends first, then the container goes.
  `trap '(sleep 1; kill $(cat ${DEBUG_PID_FILE})) </dev/null >/dev/null 2>&1 &' EXIT HUP TERM; export PS1='debug # '; cd /proc/1/root 2>/dev/null || echo "berth: cannot enter the target's root (/proc/1/root)"; sh; true`,
];

export const DebugStartResult = z.object({
  /** The toolbox container (labelled DEBUG_LABEL, removed when it stops). */
  toolbox: z.string(),
  image: z.string(),
  /** Open this in the terminal dock: kind container, on the toolbox, running debugShellCommand(). */
  command: z.array(z.string()),
});
export type DebugStartResult = z.infer<typeof DebugStartResult>;

export const debugApi = {
  'debug.start': mutation(
    "Start a toolbox container for a running container: it joins the target's PID and network namespaces (ps, netstat, wget see the target's processes and sockets), is labelled as Berth's and removed when its shell ends; the target is not modified. The image is `image`, else settings debug.image, else Berth's busybox built locally from the host's static busybox; any other must already be on the engine (never pulled)",
    z.object({ ...engineSel, container: ObjectRef, image: z.string().min(1).max(512).optional() }).strict(),
    DebugStartResult,
  ),
};
