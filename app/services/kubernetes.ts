/**
 * Kubernetes in the VM (issue 17): follows the VM and the settings; before the VM starts, the configured k3s release
 * is in the host cache (downloaded with progress); once the VM runs, k3s' kubeconfig is copied to the host renamed
 * to `berth`; the opt-in merge into the user's kubeconfig is refreshed when the cluster's credentials change.
 */
import type { KubernetesResetStatement, KubernetesStatus } from '../contract/kubernetes';
import { BerthError } from '../contract/errors';
import type { VmStatus } from '../contract/vm';
import { K3S_RESET_DELETES, type K3sArch } from '../core/k3s';
import type { K3sCachePort, KubeconfigStore, KubernetesGuest, UserKubeconfigPort } from '../ports/kubernetes';
import type { Logger } from '../ports/logger';
import type { SettingsStore } from '../ports/settings-store';
import { watchStatus } from './watch-status';

export interface KubernetesDeps {
  settings: SettingsStore;
  vm: { status(): VmStatus; subscribe(l: (s: VmStatus) => void): () => void };
  cache: K3sCachePort;
  arch: K3sArch;
  user: UserKubeconfigPort;
  guest: KubernetesGuest;
  store: KubeconfigStore;
  /** The VM's k3s kubeconfig renamed to `berth` with the server on the forwarded port. */
  rename(k3sYaml: string, port: number): string;
  log: Logger;
  /** How often to look for k3s' kubeconfig and readiness while it starts (ms). */
  pollMs?: number;
  /** Give up waiting for k3s after this long (ms). */
  startTimeoutMs?: number;
}

type Listener = (s: KubernetesStatus) => void;

export class KubernetesService {
  private download: KubernetesStatus['download'];
  private phase: 'idle' | 'downloading' | 'starting' | 'running' | 'error' = 'idle';
  private reason: string | undefined;
  private copied: string | null = null;
  private cached: KubernetesStatus['cached'] = [];
  private merge: KubernetesStatus['merge'];
  private readonly listeners = new Set<Listener>();
  private wait: AbortController | null = null;
  private readonly offVm: () => void;
  private lastVm: VmStatus['state'] | null = null;

  constructor(private readonly d: KubernetesDeps) {
    this.merge = { file: d.user.file, merged: false, contexts: [], current: null };
    this.offVm = d.vm.subscribe((s) => this.onVm(s));
  }

  async init(): Promise<void> {
    await this.refreshFiles();
    this.emit();
  }

  status(): KubernetesStatus {
    const k = this.d.settings.get().vm;
    const vm = this.d.vm.status();
    let state: KubernetesStatus['state'];
    if (this.phase === 'downloading') state = 'downloading';
    else if (!k.kubernetes) state = 'off';
    else if (this.phase === 'error') state = 'error';
    else if (vm.state !== 'running' && vm.state !== 'degraded') state = vm.state === 'starting' ? 'starting' : 'vm-stopped';
    else state = this.phase === 'running' ? 'running' : 'starting';
    return {
      enabled: k.kubernetes,
      version: k.kubernetesVersion,
      port: k.kubernetesPort,
      state,
      ...(state === 'error' && this.reason ? { reason: this.reason } : {}),
      ...(this.download ? { download: this.download } : {}),
      kubeconfig: this.copied,
      cached: this.cached,
      merge: this.merge,
    };
  }

  subscribe(l: Listener): () => void {
    this.listeners.add(l);
    l(this.status());
    return () => this.listeners.delete(l);
  }

  watch(emit: (s: KubernetesStatus) => Promise<void>, signal: AbortSignal): Promise<void> {
    return watchStatus((l) => this.subscribe(l), emit, signal);
  }

  /** The configured release in the host cache; called before every VM start (the cache folder is always mounted). */
  async prepare(signal?: AbortSignal): Promise<KubernetesStatus> {
    const k = this.d.settings.get().vm;
    if (!k.kubernetes) return this.status();
    if (!(await this.d.cache.cached(k.kubernetesVersion, this.d.arch))) {
      this.phase = 'downloading';
      this.emit();
      let last = 0;
      try {
        await this.d.cache.ensure(
          k.kubernetesVersion,
          this.d.arch,
          (p) => {
            this.download = p;
            const now = Date.now();
            if (now - last > 250 || p.receivedBytes === p.totalBytes) {
              last = now;
              this.emit();
            }
          },
          signal,
        );
      } catch (err) {
        this.phase = 'error';
        this.reason = `k3s ${k.kubernetesVersion} could not be downloaded: ${err instanceof Error ? err.message : String(err)}`;
        this.download = undefined;
        await this.refreshFiles();
        this.emit();
        throw err;
      }
      this.download = undefined;
      this.phase = 'idle';
    }
    await this.refreshFiles();
    this.emit();
    return this.status();
  }

  async setMerged(merged: boolean): Promise<KubernetesStatus> {
    if (merged) {
      const text = await this.d.store.read();
      if (!text) throw new BerthError('NOT_FOUND', 'Berth has no kubeconfig yet: Kubernetes has not run in the VM', { hint: 'Turn Kubernetes on in the VM settings and start the VM.' });
      this.merge = await this.d.user.merge(text);
    } else {
      this.merge = await this.d.user.unmerge();
    }
    this.emit();
    return this.status();
  }

  async useContext(context: string): Promise<KubernetesStatus> {
    this.merge = await this.d.user.use(context);
    this.emit();
    return this.status();
  }

  resetStatement(): KubernetesResetStatement {
    const k = this.d.settings.get().vm;
    return {
      deletes: [
        ...K3S_RESET_DELETES.map((x) => ({ path: `VM: ${x.path}`, what: x.what })),
        ...(this.copied ? [{ path: this.copied, what: 'Berth’s copy of the cluster’s kubeconfig (copied again once the new cluster runs)' }] : []),
      ],
      keeps: [
        `The k3s ${k.kubernetesVersion} binary and its images in the VM, and every image you built or pulled`,
        `The k3s releases cached on this computer (${this.d.cache.root})`,
        `Your kubeconfig (${this.d.user.file}): a merged berth context is refreshed with the new cluster’s credentials`,
        'The VM, its containers outside Kubernetes, and Berth’s settings',
      ],
    };
  }

  async reset(): Promise<KubernetesStatus> {
    const vm = this.d.vm.status();
    if (vm.state !== 'running' && vm.state !== 'degraded') throw new BerthError('VM_NOT_RUNNING', 'Kubernetes can be reset while the VM runs', { hint: 'Start the VM, then reset.' });
    this.wait?.abort();
    await this.d.guest.reset();
    await this.d.store.remove();
    this.copied = null;
    this.phase = 'starting';
    this.emit();
    this.follow();
    return this.status();
  }

  dispose(): void {
    this.wait?.abort();
    this.offVm();
    this.listeners.clear();
  }

  private onVm(s: VmStatus): void {
    const was = this.lastVm;
    this.lastVm = s.state;
    if (s.state === was) return;
    if ((s.state === 'running' || s.state === 'degraded') && this.d.settings.get().vm.kubernetes) {
      this.phase = 'starting';
      this.follow();
    } else if (s.state !== 'running' && s.state !== 'degraded') {
      this.wait?.abort();
      if (this.phase !== 'downloading') this.phase = 'idle';
    }
    this.emit();
  }

  /** Waits for k3s' kubeconfig and readiness, then copies it to the host and refreshes a merged context. */
  private follow(): void {
    this.wait?.abort();
    const ac = new AbortController();
    this.wait = ac;
    const poll = this.d.pollMs ?? 2000;
    const deadline = Date.now() + (this.d.startTimeoutMs ?? 180_000);
    const step = async (): Promise<void> => {
      if (ac.signal.aborted) return;
      try {
        const raw = await this.d.guest.readKubeconfig();
        if (raw && (await this.d.guest.ready())) {
          const text = this.d.rename(raw, this.d.settings.get().vm.kubernetesPort);
          await this.d.store.write(text);
          if (ac.signal.aborted) return;
          this.copied = this.d.store.file;
          if ((await this.d.user.state()).merged) this.merge = await this.d.user.merge(text);
          this.phase = 'running';
          this.reason = undefined;
          await this.refreshFiles();
          this.emit();
          return;
        }
      } catch (err) {
        this.d.log.debug('k3s is not ready yet', { error: err instanceof Error ? err.message : String(err) });
      }
      if (Date.now() > deadline) {
        this.phase = 'error';
        this.reason = 'k3s did not become ready in the VM (see `journalctl -u k3s` in a VM shell)';
        this.emit();
        return;
      }
      setTimeout(() => void step(), poll).unref?.();
    };
    void step();
  }

  private async refreshFiles(): Promise<void> {
    try {
      this.cached = (await this.d.cache.list()).map((c) => ({ version: c.version, bytes: c.bytes }));
      this.merge = await this.d.user.state();
      this.copied = (await this.d.store.read()) ? this.d.store.file : null;
    } catch (err) {
      this.d.log.warn('Could not read the Kubernetes files', { error: err instanceof Error ? err.message : String(err) });
    }
  }

  private emit(): void {
    const s = this.status();
    for (const l of this.listeners) l(s);
  }
}
