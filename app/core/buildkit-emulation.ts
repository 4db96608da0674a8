/**
 * Why a BuildKit step for another platform failed, when the reason is that nothing can run its programs:
 * the kernel answers "exec format error" for a binary of a foreign architecture unless an emulator
 * (qemu-user) is registered with binfmt_misc. Pure: the caller hands over the failed step's log and message.
 */
export interface EmulationProblem {
  message: string;
  hint: string;
}

export function emulationProblem(platforms: readonly string[], failure: string, stepLogs: readonly string[]): EmulationProblem | null {
  const text = [failure, ...stepLogs.slice(-20)].join('\n');
  if (!/exec format error/i.test(text)) return null;
  const asked = platforms.length ? platforms.join(', ') : 'the target platform';
  const arches = platforms.map((p) => p.split('/')[1]).filter(Boolean);
  return {
    message: `A step runs a program built for another platform (${asked}) and this engine cannot run it: it has no emulator for it (exec format error).`,
    hint:
      `Building for ${asked} needs emulation where the builder runs: qemu-user registered with binfmt_misc` +
      `${arches.length ? ` (e.g. \`docker run --privileged --rm tonistiigi/binfmt --install ${arches.join(',')}\`, or the qemu-user-static package)` : ''}. ` +
      'Or build only for the engine’s own platform, or use stages that cross-compile (FROM --platform=$BUILDPLATFORM).',
  };
}
