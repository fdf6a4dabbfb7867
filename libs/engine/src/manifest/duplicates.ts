// One object per API group + kind + namespace + name, as in a cluster: a second definition is DUPLICATE_OBJECT
// (an error) naming both locations. API group, not apiVersion: apps/v1 and apps/v1beta1 Deployments of one name
// are the same object; a projectcalico.org NetworkPolicy and a networking.k8s.io one are not.
import { apiGroup } from './kinds.js';
import type { Issue, ParsedObject } from './types.js';

/** Kinds without a namespace (of the kinds the engine keeps). */
const CLUSTER_SCOPED = new Set(['Namespace', 'AdminNetworkPolicy', 'BaselineAdminNetworkPolicy', 'CiliumClusterwideNetworkPolicy', 'GlobalNetworkPolicy']);

/** Where kubectl puts an object without `metadata.namespace`. */
const DEFAULT_NAMESPACE = 'default';

export class DuplicateTracker {
  private readonly seen = new Map<string, ParsedObject>();

  /** The DUPLICATE_OBJECT issue when `parsed` was seen before, else undefined (and it is remembered). */
  add(parsed: ParsedObject): Issue | undefined {
    const { object, source } = parsed;
    const namespace = CLUSTER_SCOPED.has(object.kind) ? '' : object.metadata.namespace || DEFAULT_NAMESPACE;
    const group = apiGroup(object.apiVersion);
    // NUL-joined, not JSON.stringify (one per object of 50k): a kept object's names hold no NUL (validate/characters.ts).
    const key = `${group}\u0000${object.kind}\u0000${namespace}\u0000${object.metadata.name}`;
    const first = this.seen.get(key);
    if (!first) {
      this.seen.set(key, parsed);
      return undefined;
    }
    const name = namespace ? `${namespace}/${object.metadata.name}` : object.metadata.name;
    return {
      code: 'DUPLICATE_OBJECT',
      severity: 'error',
      message: `${object.kind}${group ? ` (${group})` : ''} ${name} is defined more than once: first at ${describe(first)}, again here (${describe(parsed)})`,
      ...(source.file !== undefined ? { file: source.file } : {}),
      document: source.document,
      path: joinPath(source.pathPrefix, 'metadata.name'),
      ...(source.line !== undefined ? { line: source.line } : {}),
    };
  }
}

function describe({ source }: ParsedObject): string {
  const parts = [source.file, `document ${source.document}`];
  if (source.pathPrefix) parts.push(source.pathPrefix);
  if (source.line !== undefined) parts.push(`line ${source.line}`);
  return parts.join(', ');
}

function joinPath(prefix: string, path: string): string {
  return prefix ? `${prefix}.${path}` : path;
}
