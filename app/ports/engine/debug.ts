/** A started toolbox: its id, and the shell to run in it (debugShellCommand or debugCopyShellCommand). */
export interface StartedToolbox {
  id: string;
  command: string[];
  copy: boolean;
}

/** Toolbox containers that look into another container (debug shells). */
export interface DebugOps {
  /**
   * Makes sure `image` is on the engine: the default is built from the host's static busybox when
   * missing; any other image missing is IMAGE_NOT_FOUND (never pulled).
   */
  ensureImage(image: string, isDefault: boolean, signal: AbortSignal): Promise<void>;
  /**
   * Creates and starts the toolbox (labelled, removed when its shell ends): for a running target in its
   * PID + network namespaces; for a stopped one in a read-only copy of its file system (`copy`).
   */
  startToolbox(target: string, image: string, signal: AbortSignal): Promise<StartedToolbox>;
}
