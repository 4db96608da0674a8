/**
 * Berth's Kubernetes client: a kubeconfig (a path from the settings, else $KUBECONFIG, else ~/.kube/config) and the
 * calls the pods page makes: events, get, delete, server-side apply (field manager "berth").
 */
import { KubeConfig } from '@kubernetes/client-node';
import { parseAllDocuments } from 'yaml';
import { BerthError } from '../../contract/errors.js';
import type { KubeEvent, KubePod } from '../../core/pods-types.js';
import { KubeApiError, kubeRequest } from './http.js';

export const FIELD_MANAGER = 'berth';

export function loadKubeConfig(opts: { path?: string; context?: string; yaml?: string } = {}): KubeConfig {
  const kc = new KubeConfig();
  try {
    if (opts.yaml !== undefined) kc.loadFromString(opts.yaml);
    else if (opts.path) kc.loadFromFile(opts.path);
    else kc.loadFromDefault();
  } catch (cause) {
    throw new BerthError('INVALID_INPUT', `Cannot read the kubeconfig${opts.path ? ` ${opts.path}` : ''}: ${(cause as Error).message}`, { cause });
  }
  if (opts.context) {
    if (!kc.getContexts().some((c) => c.name === opts.context)) {
      throw new BerthError('NOT_FOUND', `The kubeconfig has no context "${opts.context}"`, { details: { contexts: kc.getContexts().map((c) => c.name) } });
    }
    kc.setCurrentContext(opts.context);
  }
  if (!kc.getCurrentCluster()) throw new BerthError('INVALID_INPUT', 'The kubeconfig has no current context with a cluster');
  return kc;
}

const seg = (s: string): string => encodeURIComponent(s);

export interface ApplyResult {
  apiVersion: string;
  kind: string;
  namespace: string | null;
  name: string;
  /** created when the object did not exist before the apply. */
  action: 'created' | 'configured';
}

interface ApiResourceList {
  resources?: { name: string; kind: string; namespaced: boolean }[];
}

export class KubeClient {
  private readonly discovery = new Map<string, Promise<ApiResourceList>>();

  constructor(readonly kc: KubeConfig) {}

  getPod(namespace: string, name: string, signal?: AbortSignal): Promise<KubePod> {
    return kubeRequest<KubePod>(this.kc, { path: `/api/v1/namespaces/${seg(namespace)}/pods/${seg(name)}`, signal });
  }

  async podEvents(namespace: string, name: string, uid?: string): Promise<KubeEvent[]> {
    const selectors = [`involvedObject.kind=Pod`, `involvedObject.name=${name}`, `involvedObject.namespace=${namespace}`];
    if (uid) selectors.push(`involvedObject.uid=${uid}`);
    const list = await kubeRequest<{ items?: KubeEvent[] }>(this.kc, {
      path: `/api/v1/namespaces/${seg(namespace)}/events`,
      query: { fieldSelector: selectors.join(',') },
    });
    return list.items ?? [];
  }

  async deletePod(namespace: string, name: string, opts: { gracePeriodSeconds?: number } = {}): Promise<void> {
    await kubeRequest(this.kc, {
      method: 'DELETE',
      path: `/api/v1/namespaces/${seg(namespace)}/pods/${seg(name)}`,
      query: { gracePeriodSeconds: opts.gracePeriodSeconds },
    });
  }

  private resources(apiVersion: string): Promise<ApiResourceList> {
    let p = this.discovery.get(apiVersion);
    if (!p) {
      const path = apiVersion.includes('/') ? `/apis/${apiVersion}` : `/api/${apiVersion}`;
      p = kubeRequest<ApiResourceList>(this.kc, { path });
      p.catch(() => this.discovery.delete(apiVersion));
      this.discovery.set(apiVersion, p);
    }
    return p;
  }

  /**
   * Server-side apply of every object in a YAML text (documents separated by ---), field manager "berth". The text is
   * parsed and every object's type resolved before anything is sent, so bad input changes nothing.
   */
  async apply(text: string, opts: { defaultNamespace?: string; force?: boolean } = {}): Promise<ApplyResult[]> {
    const docs = parseAllDocuments(text);
    const objects: Record<string, unknown>[] = [];
    for (const [i, doc] of (Array.isArray(docs) ? docs : [docs]).entries()) {
      if (doc.errors.length) throw new BerthError('INVALID_INPUT', `Document ${i + 1} is not valid YAML: ${doc.errors[0]!.message}`);
      const obj = doc.toJS() as unknown;
      if (obj === null || obj === undefined) continue;
      if (typeof obj !== 'object' || Array.isArray(obj)) throw new BerthError('INVALID_INPUT', `Document ${i + 1} is not a Kubernetes object`);
      const o = obj as { apiVersion?: unknown; kind?: unknown; metadata?: { name?: unknown } };
      if (typeof o.apiVersion !== 'string' || typeof o.kind !== 'string' || typeof o.metadata?.name !== 'string' || !o.metadata.name) {
        throw new BerthError('INVALID_INPUT', `Document ${i + 1} needs apiVersion, kind and metadata.name`);
      }
      objects.push(obj as Record<string, unknown>);
    }
    if (!objects.length) throw new BerthError('INVALID_INPUT', 'The YAML holds no object to apply');
    const targets = [];
    for (const obj of objects) {
      const { apiVersion, kind, metadata } = obj as { apiVersion: string; kind: string; metadata: { name: string; namespace?: string } };
      let list: ApiResourceList;
      try {
        list = await this.resources(apiVersion);
      } catch (e) {
        if (e instanceof KubeApiError && e.status === 404) throw new BerthError('INVALID_INPUT', `The cluster does not serve ${apiVersion}`);
        throw e;
      }
      const res = list.resources?.find((r) => r.kind === kind && !r.name.includes('/'));
      if (!res) throw new BerthError('INVALID_INPUT', `The cluster has no ${kind} in ${apiVersion}`);
      const namespace = res.namespaced ? (metadata.namespace ?? opts.defaultNamespace ?? 'default') : null;
      const base = apiVersion.includes('/') ? `/apis/${apiVersion}` : `/api/${apiVersion}`;
      const path = `${base}${namespace ? `/namespaces/${seg(namespace)}` : ''}/${res.name}/${seg(metadata.name)}`;
      const body = namespace ? { ...obj, metadata: { ...metadata, namespace } } : obj;
      targets.push({ apiVersion, kind, namespace, name: metadata.name, path, body });
    }
    const results: ApplyResult[] = [];
    for (const t of targets) {
      let existed = true;
      try {
        await kubeRequest(this.kc, { path: t.path });
      } catch (e) {
        if (!(e instanceof KubeApiError && e.status === 404)) throw e;
        existed = false;
      }
      await kubeRequest(this.kc, {
        method: 'PATCH',
        path: t.path,
        query: { fieldManager: FIELD_MANAGER, force: opts.force ? true : undefined },
        contentType: 'application/apply-patch+yaml',
        body: JSON.stringify(t.body),
      });
      results.push({ apiVersion: t.apiVersion, kind: t.kind, namespace: t.namespace, name: t.name, action: existed ? 'configured' : 'created' });
    }
    return results;
  }
}
