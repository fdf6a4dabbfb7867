// A minimal read-only Kubernetes API client. `@kubernetes/client-node` loads the kubeconfig and applies its
// credentials (CA, client certificates, tokens, exec / auth-provider plugins, proxies); the requests themselves
// are plain GETs that keep the server's JSON as is. The typed API classes are not used on purpose: they
// deserialize into model classes that drop fields the model does not know, and analysis must see what the
// server stored.
import http from 'node:http';
import https from 'node:https';
import { KubeConfig } from '@kubernetes/client-node';
import { CollectError, EXIT_FAILURE } from './errors.js';

export interface ApiResponse {
  readonly status: number;
  /** Parsed JSON body; undefined when the body is empty or not JSON. */
  readonly body: unknown;
}

export interface KubeTarget {
  readonly config: KubeConfig;
  readonly contextName: string;
  readonly server: string;
  /** The context's namespace, else `default` (kubectl's rule). */
  readonly namespace: string;
}

export interface LoadTargetOptions {
  readonly kubeconfig?: string;
  readonly context?: string;
}

/** Loads the kubeconfig (`--kubeconfig`, else `$KUBECONFIG`, `~/.kube/config`, in-cluster) and picks the context. */
export function loadKubeTarget(options: LoadTargetOptions): KubeTarget {
  const config = new KubeConfig();
  try {
    if (options.kubeconfig !== undefined) config.loadFromFile(options.kubeconfig);
    else config.loadFromDefault();
  } catch (error) {
    throw new CollectError(`cannot load kubeconfig: ${messageOf(error)}`, EXIT_FAILURE);
  }
  // loadFromDefault falls back to an unauthenticated http://localhost:8080 when it finds nothing at all.
  if (options.kubeconfig === undefined && config.getCurrentContext() === 'loaded-context' && config.getCurrentCluster()?.server === 'http://localhost:8080') {
    throw new CollectError('no kubeconfig found: pass --kubeconfig or set KUBECONFIG', EXIT_FAILURE);
  }
  if (options.context !== undefined) {
    if (config.getContextObject(options.context) === null) {
      const known = config.getContexts().map((c) => c.name).sort().join(', ') || 'none';
      throw new CollectError(`context "${options.context}" not found in kubeconfig (contexts: ${known})`, EXIT_FAILURE);
    }
    config.setCurrentContext(options.context);
  }
  const contextName = config.getCurrentContext();
  const context = config.getContextObject(contextName);
  const cluster = config.getCurrentCluster();
  if (context === null || cluster === null) {
    throw new CollectError(`kubeconfig has no usable current context${contextName ? ` ("${contextName}")` : ''}: pass --context`, EXIT_FAILURE);
  }
  return { config, contextName, server: cluster.server, namespace: context.namespace || 'default' };
}

export class KubeApiClient {
  constructor(
    private readonly target: KubeTarget,
    private readonly timeoutMs: number,
  ) {}

  /** GET a path; resolves with any HTTP status, rejects (exit 2) when the server cannot be reached. */
  async get(path: string, query: Readonly<Record<string, string | undefined>> = {}): Promise<ApiResponse> {
    const url = new URL(this.target.server + path);
    for (const [key, value] of Object.entries(query)) if (value !== undefined && value !== '') url.searchParams.set(key, value);
    const options: https.RequestOptions = { method: 'GET', headers: { Accept: 'application/json', 'User-Agent': 'netpol-atlas-collector' } };
    try {
      await this.target.config.applyToHTTPSOptions(options);
    } catch (error) {
      throw new CollectError(`cannot apply kubeconfig credentials: ${messageOf(error)}`, EXIT_FAILURE);
    }
    const transport = url.protocol === 'http:' ? http : https;
    return new Promise<ApiResponse>((resolve, reject) => {
      const request = transport.request(url, options, (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('error', (error) => reject(unreachable(url, error)));
        response.on('end', () => resolve({ status: response.statusCode ?? 0, body: parseJson(Buffer.concat(chunks).toString('utf8')) }));
      });
      request.setTimeout(this.timeoutMs, () => request.destroy(new Error(`no answer within ${this.timeoutMs / 1000} s`)));
      request.on('error', (error) => reject(unreachable(url, error)));
      request.end();
    });
  }
}

function unreachable(url: URL, error: Error): CollectError {
  return new CollectError(`cannot reach the API server ${url.origin}: ${messageOf(error)}`, EXIT_FAILURE);
}

function parseJson(text: string): unknown {
  if (text === '') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

export function messageOf(error: unknown): string {
  if (error instanceof Error) {
    const code = (error as NodeJS.ErrnoException).code;
    return code && !error.message.includes(code) ? `${error.message} (${code})` : error.message;
  }
  return String(error);
}
