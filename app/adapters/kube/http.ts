/**
 * Raw JSON requests to a Kubernetes API server with a kubeconfig's credentials (client certificates, token, CA).
 * Objects stay the API's own JSON (timestamps as strings), which the core's row logic and the YAML view read;
 * client-node's generated clients would turn them into model classes with Date fields.
 */
import http from 'node:http';
import https from 'node:https';
import type { KubeConfig } from '@kubernetes/client-node';
import { BerthError, type ErrorCode } from '../../contract/errors.js';

export interface KubeRequest {
  method?: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  path: string;
  query?: Record<string, string | number | boolean | undefined>;
  body?: string;
  contentType?: string;
  accept?: string;
  signal?: AbortSignal;
}

/** The API server's Status object on failure (metav1.Status). */
interface KubeStatus {
  kind?: string;
  code?: number;
  reason?: string;
  message?: string;
}

const CODE_BY_STATUS: Record<number, ErrorCode> = { 400: 'INVALID_INPUT', 401: 'UNAUTHORIZED', 403: 'PERMISSION_DENIED', 404: 'NOT_FOUND', 409: 'CONFLICT', 410: 'CONFLICT', 422: 'INVALID_INPUT' };

export class KubeApiError extends BerthError {
  constructor(
    readonly status: number,
    readonly reason: string,
    message: string,
    details: Record<string, unknown>,
  ) {
    super(CODE_BY_STATUS[status] ?? (status >= 500 ? 'ENGINE_UNREACHABLE' : 'COMMAND_FAILED'), message, { details: { status, reason, ...details } });
    this.name = 'KubeApiError';
  }
}

export function kubeUrl(kc: KubeConfig, path: string, query: KubeRequest['query'] = {}): URL {
  const cluster = kc.getCurrentCluster();
  if (!cluster) throw new BerthError('INVALID_INPUT', 'The kubeconfig has no current cluster', { hint: 'Pick a context with a cluster in the kubeconfig.' });
  const url = new URL(cluster.server.replace(/\/$/, '') + path);
  for (const [k, v] of Object.entries(query)) if (v !== undefined) url.searchParams.set(k, String(v));
  return url;
}

export async function kubeRequest<T>(kc: KubeConfig, req: KubeRequest): Promise<T> {
  const url = kubeUrl(kc, req.path, req.query);
  const opts: https.RequestOptions = { method: req.method ?? 'GET', headers: { Accept: req.accept ?? 'application/json' } };
  await kc.applyToHTTPSOptions(opts);
  if (req.body !== undefined) opts.headers = { ...opts.headers, 'Content-Type': req.contentType ?? 'application/json' };
  const lib = url.protocol === 'http:' ? http : https;
  return new Promise<T>((resolve, reject) => {
    const r = lib.request(url, { ...opts, signal: req.signal }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('error', reject);
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        const status = res.statusCode ?? 0;
        let parsed: unknown;
        try {
          parsed = text ? JSON.parse(text) : undefined;
        } catch (cause) {
          reject(new BerthError('COMMAND_FAILED', `The API server sent a reply that is not JSON (HTTP ${status})`, { cause, details: { path: req.path, body: text.slice(0, 500) } }));
          return;
        }
        if (status >= 200 && status < 300) {
          resolve(parsed as T);
          return;
        }
        const st = (parsed ?? {}) as KubeStatus;
        reject(new KubeApiError(status, st.reason ?? '', st.message ?? `HTTP ${status} from ${req.method ?? 'GET'} ${req.path}`, { path: req.path }));
      });
    });
    r.on('error', (cause) =>
      reject(
        req.signal?.aborted
          ? new BerthError('CANCELLED', 'The request was cancelled', { cause })
          : new BerthError('ENGINE_UNREACHABLE', `Cannot reach the Kubernetes API server at ${url.origin}: ${cause.message}`, { cause }),
      ),
    );
    if (req.body !== undefined) r.write(req.body);
    r.end();
  });
}
