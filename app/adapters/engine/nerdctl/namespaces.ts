import { BerthError } from '../../../contract/errors';
import { NamespaceName } from '../../../contract/engines';
import type { NamespacesOps } from '../../../ports/engine/namespaces';
import type { NerdctlContext } from './context';

/** containerd namespaces: `nerdctl namespace ls -q`; every command of the adapter passes `--namespace`. */
export class NerdctlNamespaces implements NamespacesOps {
  constructor(private readonly ctx: NerdctlContext) {}

  current(): string {
    return this.ctx.namespace;
  }

  async list(signal?: AbortSignal): Promise<string[]> {
    const r = await this.ctx.runner.run(['namespace', 'ls', '-q'], signal ? { signal } : {});
    if (r.exitCode !== 0) throw this.ctx.failure('list the namespaces', undefined, ['namespace', 'ls'], r);
    const found = r.stdout.split('\n').map((s) => s.trim()).filter(Boolean);
    return [...new Set([...found, 'default', this.ctx.namespace])].sort();
  }

  use(name: string): void {
    const ok = NamespaceName.safeParse(name);
    if (!ok.success) throw new BerthError('INVALID_INPUT', `"${name}" is not a containerd namespace name (${ok.error.issues[0]?.message ?? 'invalid'}).`);
    this.ctx.namespace = name;
  }
}
