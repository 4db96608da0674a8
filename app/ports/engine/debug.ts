/** Toolbox containers that look into another container (debug shells). */
export interface DebugOps {
  /**
   * Makes sure `image` is on the engine: the default is built from the host's static busybox when
   * missing; any other image missing is IMAGE_NOT_FOUND (never pulled).
   */
  ensureImage(image: string, isDefault: boolean, signal: AbortSignal): Promise<void>;
  /** Creates and starts the toolbox (PID + network namespaces of the target, auto-removed, labelled); returns its id. */
  startToolbox(target: string, image: string, signal: AbortSignal): Promise<string>;
}
