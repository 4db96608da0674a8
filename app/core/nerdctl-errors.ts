import { BerthError, type ErrorCode } from '../contract/errors';

/**
 * nerdctl's failures: a logrus line on stderr, `time="…" level=fatal msg="…"` (Go-quoted, `\n` and
 * `\"` escaped), exit code 1 (255 from `limactl shell` when ssh fails). These helpers read the
 * message and map nerdctl's own wording; the adapter falls back to the Docker wording rules.
 */

/** The messages of error/fatal lines, unquoted; the raw text when there is no logrus line. */
export function nerdctlMessage(stderr: string): string {
  const msgs: string[] = [];
  for (const line of stderr.split('\n')) {
    if (!/level=(?:fatal|error)/.test(line)) continue;
    const m = /msg="((?:[^"\\]|\\.)*)"/.exec(line) ?? /msg=(\S+)/.exec(line);
    if (!m?.[1]) continue;
    let text = m[1];
    try {
      text = JSON.parse(`"${m[1]}"`) as string;
    } catch {
      // Not a valid Go/JSON quoted string (an odd escape): keep it as printed.
    }
    msgs.push(text.replace(/^\d+ errors?:\n/, '').trim());
  }
  // "some volumes could not be inspected" says why only in the warning before it ("not found").
  if (msgs.some((m) => /could not be (?:inspected|removed)/.test(m))) {
    for (const line of stderr.split('\n')) {
      const w = /level=warning msg="((?:[^"\\]|\\.)*)"/.exec(line);
      if (w?.[1] && /not found|does not exist|in use/.test(w[1])) msgs.unshift(w[1].replace(/\\n/g, ' ').replace(/\\"/g, '"'));
    }
  }
  if (msgs.length > 0) return msgs.join('\n');
  return stderr.trim().split('\n').slice(-3).join('\n');
}

/** nerdctl exits 0 on `rm -f` of a missing container but still logs an error line: such lines are warnings. */
export const hasErrorLine = (stderr: string) => /level=(?:fatal|error)/.test(stderr);

export interface NerdctlErrorContext {
  endpoint: string;
  /** e.g. "start container". */
  op: string;
  subject?: string;
}

interface Rule {
  test: RegExp;
  code: ErrorCode;
  message: (c: NerdctlErrorContext, x: RegExpExecArray, m: string) => string;
  hint?: string;
  details?: (x: RegExpExecArray) => Record<string, unknown>;
}

const subj = (c: NerdctlErrorContext) => (c.subject ? ` "${c.subject}"` : '');

const ROOTLESS_PORT_HINT = 'Rootless containerd cannot pick a host port by itself: give one (such as 8080:80). Ports below 1024 need rootful mode or a higher port.';

const RULES: Rule[] = [
  {
    // A registry that wants credentials: none found ("no basic auth credentials"), or refused (HTTP 401).
    test: /no basic auth credentials|: 401 Unauthorized|unauthorized: authentication required/i,
    code: 'AUTH_REQUIRED',
    message: (c) => `The registry asked for credentials to ${c.op}${subj(c)}.`,
    hint: 'Give a user name and password, or log in once with `nerdctl login <registry>` where nerdctl runs.',
  },
  {
    test: /instance [`"]?([\w.-]+)[`"]? is stopped|instance [`"]?([\w.-]+)[`"]? does not exist/i,
    code: 'VM_NOT_RUNNING',
    message: (_c, x) => `The Berth VM (${x[1] ?? x[2] ?? ''}) is not running.`,
    hint: 'Start the VM from the VM page or the tray.',
  },
  {
    test: /(?:failed to dial|connection refused|cannot access containerd socket|no such file or directory).*containerd\.sock|containerd\.sock.*(?:connection refused|no such file)/i,
    code: 'ENGINE_UNREACHABLE',
    message: (c) => `containerd is not reachable through ${c.endpoint}.`,
    hint: 'Start containerd (or the Berth VM), or fix the nerdctl address in settings.',
  },
  {
    test: /permission denied.*containerd\.sock|containerd\.sock.*permission denied|rootless containerd not running/i,
    code: 'PERMISSION_DENIED',
    message: (c) => `nerdctl may not use containerd through ${c.endpoint}.`,
    hint: 'Run containerd rootless for your user (containerd-rootless-setuptool.sh install), or give nerdctl the right --address.',
  },
  {
    // `network create --subnet` of a range another CNI network has.
    test: /subnet (\S+) overlaps with other one/i,
    code: 'CONFLICT',
    message: (c, x) => `Could not ${c.op}${subj(c)}: the subnet ${x[1] ?? ''} overlaps a subnet another network already uses.`,
    hint: 'Pick a subnet no other network uses, or leave it empty for an automatic one.',
  },
  {
    test: /unsupported cni driver "?([^"\s]+)"?/i,
    code: 'INVALID_INPUT',
    message: (c, x) => `Could not ${c.op}${subj(c)}: the network driver "${x[1] ?? ''}" is not available on nerdctl (it has bridge, macvlan and ipvlan).`,
    hint: 'Use bridge (the default).',
  },
  {
    test: /automatic port allocation is not implemented for rootless mode/i,
    code: 'INVALID_INPUT',
    message: (c) => `Could not ${c.op}${subj(c)}: rootless containerd needs an explicit host port for every published port.`,
    hint: ROOTLESS_PORT_HINT,
  },
  {
    test: /(?:cannot expose privileged port (\d+)|bind: permission denied.*:(\d+)|:(\d+): bind: permission denied)/i,
    code: 'PERMISSION_DENIED',
    message: (c, x) => `Could not ${c.op}${subj(c)}: rootless containerd cannot publish host port ${x[1] ?? x[2] ?? x[3] ?? ''} (below 1024).`,
    hint: ROOTLESS_PORT_HINT,
    details: (x) => ({ port: Number(x[1] ?? x[2] ?? x[3]) }),
  },
  {
    test: /(?:bind for [^\s]*?:(\d+) failed: port is already allocated|address already in use|port is already allocated)/i,
    code: 'PORT_ALLOCATED',
    message: (c, x) => `Could not ${c.op}${subj(c)}: host port ${x[1] ?? ''} is already in use.`.replace('port  is', 'port is'),
    hint: 'Pick another host port.',
    details: (x) => (x[1] ? { port: Number(x[1]) } : {}),
  },
  {
    test: /name "([^"]+)" is already used by ID/i,
    code: 'NAME_IN_USE',
    message: (_c, x) => `The name "${x[1] ?? ''}" is already in use.`,
    hint: 'Choose another name, or remove the container that has it.',
  },
  {
    test: /name-store error/i,
    code: 'NAME_IN_USE',
    message: (c, x) => `The name "${x[1] ?? c.subject ?? ''}" is already in use.`,
    hint: 'Choose another name, or remove the container that has it.',
  },
  {
    test: /network with name (\S+) already exists|volume "?([^" ]+)"? already exists/i,
    code: 'NAME_IN_USE',
    message: (c, x) => `The name "${x[1] ?? x[2] ?? c.subject ?? ''}" is already in use.`,
    hint: 'Choose another name, or remove the object that has it.',
  },
  {
    test: /is in running status|is running\. .*(?:stop|force)|cannot remove a running container/i,
    code: 'CONTAINER_RUNNING',
    message: (c) => `The container${subj(c)} is running.`,
    hint: 'Stop it first, or remove it with force.',
  },
  {
    test: /volume "?([^" ]+)"? is in use|volume .* is being used/i,
    code: 'VOLUME_IN_USE',
    message: (c) => `The volume${subj(c)} is used by a container.`,
    hint: 'Remove the containers that use it first.',
  },
  {
    test: /network "?([^" ]+)"? is in use by container/i,
    code: 'CONFLICT',
    message: (c, x) => `The network "${x[1] ?? c.subject ?? ''}" is used by a container.`,
    hint: 'Disconnect or remove its containers first.',
  },
  {
    test: /image not available|no such image|failed to resolve image: .*: not found|failed to resolve reference .*: not found|image ".*" not found/i,
    code: 'IMAGE_NOT_FOUND',
    message: (c) => `The image${subj(c)} was not found.`,
    hint: 'Pull it first, or check the name and tag.',
  },
  {
    // A container whose network is gone fails at start, in the CNI hook: `no such network: "name"`.
    test: /no such network: \\?"([^"\\]+)\\?"/i,
    code: 'NOT_FOUND',
    message: (c, x) => `Could not ${c.op}${subj(c)}: the network "${x[1] ?? ''}" does not exist.`,
    hint: 'Create the network again, or recreate the container on another network.',
  },
  {
    test: /no such container|no such volume|no such network|network "?[^" ]+"? not found|volume "?[^" ]+"? not found|not found: container|volume-store error not found|no network found matching|unable to find any network matching/i,
    code: 'NOT_FOUND',
    message: (c, _x, m) => `${c.subject ? `"${c.subject}"` : 'It'} does not exist (${m.split('\n')[0]}).`,
    hint: 'It may have been removed; refresh the list.',
  },
  {
    test: /is not paused|is not running|is already paused|cannot pause|is already stopped/i,
    code: 'CONFLICT',
    message: (c, _x, m) => `Could not ${c.op}${subj(c)}: ${m.split('\n')[0]}`,
  },
];

/** nerdctl's own failures as BerthErrors; null when none of its wordings matches (the caller maps the rest). */
export function mapNerdctlMessage(message: string, c: NerdctlErrorContext, extra: Record<string, unknown> = {}): BerthError | null {
  for (const r of RULES) {
    const x = r.test.exec(message);
    if (!x) continue;
    const opts: { hint?: string; details: Record<string, unknown> } = { details: { engineMessage: message, ...extra, ...r.details?.(x) } };
    if (r.hint) opts.hint = r.hint;
    return new BerthError(r.code, r.message(c, x, message), opts);
  }
  return null;
}
