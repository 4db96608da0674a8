import { isDeepStrictEqual } from 'node:util';
import type Docker from 'dockerode';
import type { CreateBody } from './containers-run';

/** Cloning a container's engine config for recreate: everything it had, not only what run options model. */

type EndpointConfig = Record<string, unknown>;

export interface ClonedContainer {
  name: string;
  body: CreateBody;
  /** Networks beyond the first: the API creates with one, the others are connected before the start. */
  extraNetworks: Array<{ name: string; config: EndpointConfig }>;
}

const BUILT_IN_MODES = /^(?:host|none|container:.*)$/;

/**
 * The create body of a copy of `c`. With the image's config at hand, values the container only
 * inherited from the image (cmd, entrypoint, env, labels, exposed ports, volumes...) are left out,
 * so a changed or updated image brings its own. Anonymous volumes are mounted again by name, so
 * their data stays.
 */
export function cloneContainer(c: Docker.ContainerInspectInfo, image?: Docker.ImageInspectInfo | null): ClonedContainer {
  const cfg = c.Config as Docker.ContainerInspectInfo['Config'] & Record<string, unknown>;
  const shortId = c.Id.slice(0, 12);
  const hc = structuredClone(c.HostConfig) as CreateBody['HostConfig'];
  // Podman's inspect names ulimits as the kernel does (RLIMIT_NOFILE); its create, like Docker's, only takes nofile.
  for (const u of (hc as { Ulimits?: Array<{ Name?: string }> }).Ulimits ?? []) if (u.Name?.startsWith('RLIMIT_')) u.Name = u.Name.slice(7).toLowerCase();
  const body: CreateBody = {
    Image: cfg.Image,
    Hostname: cfg.Hostname === shortId ? '' : cfg.Hostname,
    Domainname: cfg.Domainname,
    User: cfg.User,
    AttachStdin: cfg.AttachStdin,
    AttachStdout: cfg.AttachStdout,
    AttachStderr: cfg.AttachStderr,
    Tty: cfg.Tty,
    OpenStdin: cfg.OpenStdin,
    StdinOnce: cfg.StdinOnce,
    Env: [...(cfg.Env ?? [])],
    Cmd: cfg.Cmd ?? undefined,
    Entrypoint: cfg.Entrypoint ?? undefined,
    Labels: { ...(cfg.Labels ?? {}) },
    Volumes: { ...(cfg.Volumes ?? {}) },
    WorkingDir: cfg.WorkingDir,
    ExposedPorts: { ...(cfg.ExposedPorts ?? {}) },
    HostConfig: hc,
  };
  for (const k of ['StopSignal', 'StopTimeout', 'Healthcheck', 'MacAddress', 'Shell', 'OnBuild'] as const) {
    if (cfg[k] !== undefined && cfg[k] !== null && cfg[k] !== '') (body as Record<string, unknown>)[k] = structuredClone(cfg[k]);
  }
  if (image) stripImageDefaults(body, image.Config as unknown as Record<string, unknown>);

  // Anonymous volumes (a volume mount without a source, or not named in Binds or Mounts) are mounted again by name.
  const binds = new Set((hc.Binds ?? []).map((b) => b.split(':')[1] ?? ''));
  const mounts = ((hc as { Mounts?: unknown[] }).Mounts ??= []) as Array<Record<string, unknown>>;
  for (const m of c.Mounts ?? []) {
    if (m.Type !== 'volume' || !m.Name || binds.has(m.Destination)) continue;
    const declared = mounts.find((x) => x.Target === m.Destination);
    if (!declared) mounts.push({ Type: 'volume', Source: m.Name, Target: m.Destination, ReadOnly: !m.RW });
    else if (!declared.Source) declared.Source = m.Name;
  }

  const mode = hc.NetworkMode ?? 'default';
  const extraNetworks: ClonedContainer['extraNetworks'] = [];
  if (!BUILT_IN_MODES.test(mode)) {
    const primary = mode === 'default' ? 'bridge' : mode;
    const endpoints: Record<string, EndpointConfig> = {};
    for (const [name, ep] of Object.entries(c.NetworkSettings?.Networks ?? {})) {
      const e = ep as Record<string, unknown>;
      const conf: EndpointConfig = {};
      if (e.IPAMConfig) conf.IPAMConfig = e.IPAMConfig;
      if (Array.isArray(e.Links) && e.Links.length) conf.Links = e.Links;
      const aliases = (Array.isArray(e.Aliases) ? (e.Aliases as string[]) : []).filter((a) => a !== shortId && a !== c.Id);
      if (aliases.length && name !== 'bridge') conf.Aliases = aliases;
      if (e.DriverOpts) conf.DriverOpts = e.DriverOpts;
      if (name === primary || e.NetworkID === primary) endpoints[name] = conf;
      else extraNetworks.push({ name, config: conf });
    }
    body.NetworkingConfig = { EndpointsConfig: endpoints };
  }
  return { name: c.Name.replace(/^\//, ''), body, extraNetworks };
}

function stripImageDefaults(body: CreateBody, img: Record<string, unknown>) {
  const b = body as Record<string, unknown>;
  const same = (k: string) => b[k] !== undefined && isDeepStrictEqual(b[k] ?? null, img[k] ?? null);
  const entrypointInherited = same('Entrypoint') || (b.Entrypoint == null && img.Entrypoint == null);
  if (entrypointInherited && same('Cmd')) delete b.Cmd;
  if (same('Entrypoint')) delete b.Entrypoint;
  for (const k of ['WorkingDir', 'User', 'StopSignal', 'Healthcheck', 'Shell', 'OnBuild']) if (same(k)) delete b[k];
  const imageEnv = new Set((img.Env as string[] | null) ?? []);
  body.Env = (body.Env ?? []).filter((e) => !imageEnv.has(e));
  const imageLabels = (img.Labels as Record<string, string> | null) ?? {};
  for (const [k, v] of Object.entries(imageLabels)) if (body.Labels?.[k] === v) delete body.Labels[k];
  for (const k of Object.keys((img.ExposedPorts as object | null) ?? {})) if (!body.HostConfig.PortBindings?.[k]) delete body.ExposedPorts?.[k];
  for (const k of Object.keys((img.Volumes as object | null) ?? {})) delete body.Volumes?.[k];
}
