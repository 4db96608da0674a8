import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { HostShellSpec } from '../../ports/pty';

export interface HostShellOptions {
  platform: NodeJS.Platform;
  env: Record<string, string | undefined>;
  /** Berth's bundled CLI folder (docker, nerdctl, limactl...), put first on PATH when it exists. */
  cliDir?: string;
  /** The shell from the settings (a path, or a name found on PATH); empty: the login shell. */
  shell?: string;
}

/** The user's login shell from the account database, then $SHELL, then /bin/sh (PowerShell on Windows). */
export function loginShell(platform: NodeJS.Platform, env: Record<string, string | undefined>): { file: string; args: string[] } {
  if (platform === 'win32') return { file: 'powershell.exe', args: ['-NoLogo'] };
  let shell = '';
  try {
    shell = os.userInfo().shell ?? '';
  } catch {
    // No account entry for this uid (some containers): fall back to $SHELL below.
    shell = '';
  }
  if (!shell || !fs.existsSync(shell) || shell.endsWith('/nologin') || shell.endsWith('/false')) shell = env.SHELL ?? '';
  if (!shell || !fs.existsSync(shell)) shell = '/bin/sh';
  // macOS terminal apps start login shells (the profile sets PATH there); on Linux an interactive
  // non-login shell, as desktop terminals do: a login shell's /etc/profile would reset PATH and
  // drop Berth's CLI folder from its front.
  return { file: shell, args: platform === 'darwin' ? ['-l'] : [] };
}

/**
 * How to start a host shell pointing `docker` at Berth's engine: the login shell, with
 * DOCKER_HOST set (when the engine is reached through the Docker API) and the bundled CLI
 * folder first on PATH. Nothing on disk is written: the user's rc files stay untouched.
 */
export function hostShellSpec(opts: HostShellOptions, dockerHost: string | null): HostShellSpec {
  const chosen = opts.shell?.trim();
  const { file, args } = chosen ? { file: chosen, args: [] } : loginShell(opts.platform, opts.env);
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(opts.env)) if (v !== undefined) env[k] = v;
  env.TERM = 'xterm-256color';
  env.COLORTERM = 'truecolor';
  env.TERM_PROGRAM = 'Berth';
  if (dockerHost) env.DOCKER_HOST = dockerHost;
  else delete env.DOCKER_HOST;
  // A `docker context use` of the user's would otherwise win over DOCKER_HOST only when it is unset; set, DOCKER_HOST wins.
  delete env.DOCKER_CONTEXT;
  const sep = opts.platform === 'win32' ? ';' : ':';
  if (opts.cliDir && fs.existsSync(opts.cliDir)) env.PATH = [opts.cliDir, env.PATH ?? ''].filter(Boolean).join(sep);
  const home = opts.env.HOME ?? opts.env.USERPROFILE ?? os.homedir();
  const cwd = home && fs.existsSync(home) ? home : path.parse(process.cwd()).root;
  return { file, args, env, cwd };
}
