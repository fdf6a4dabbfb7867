// One object per API group + kind + namespace + name, as in a cluster: a second definition is DUPLICATE_OBJECT
// (an error) naming both locations. API group, not apiVersion: apps/v1 and apps/v1beta1 Deployments of one name
// are the same object; a projectcalico.org NetworkPolicy and a networking.k8s.io one are not.
import { apiGroup } from './kinds.js';
import { documentOrdinal } from './path.js';
import type { Issue, ParsedObject } from './types.js';

/** Kinds without a namespace (of the kinds the engine keeps). */
const CLUSTER_SCOPED = new Set(['Namespace', 'AdminNetworkPolicy', 'BaselineAdminNetworkPolicy', 'CiliumClusterwideNetworkPolicy', 'GlobalNetworkPolicy']);

/** Where kubectl puts an object without `metadata.namespace`. */
const DEFAULT_NAMESPACE = 'default';

export class DuplicateTracker {
  /** API group → kind → namespace → name → the first object. Nested maps, not one joined key string per object:
   *  the read strings' hashes are cached, a joined key would be built and hashed anew (50k objects). */
  private readonly seen = new Map<string, Map<string, Map<string, Map<string, ParsedObject>>>>();
  /** While a mark is held: the name maps entries were added to, in order (rollback removes them). */
  private journal: { byName: Map<string, ParsedObject>; name: string }[] | undefined;

  /** Starts (or continues) remembering additions; rollback(mark) forgets those after it. */
  mark(): number {
    this.journal ??= [];
    return this.journal.length;
  }

  rollback(mark: number): void {
    const journal = this.journal ?? [];
    for (let i = journal.length - 1; i >= mark; i--) journal[i]!.byName.delete(journal[i]!.name);
    journal.length = mark;
  }

  /** Stops remembering (what was added stays). */
  release(): void {
    this.journal = undefined;
  }

  /** The DUPLICATE_OBJECT issue when `parsed` was seen before, else undefined (and it is remembered). */
  add(parsed: ParsedObject): Issue | undefined {
    const { object, source } = parsed;
    const namespace = CLUSTER_SCOPED.has(object.kind) ? '' : object.metadata.namespace || DEFAULT_NAMESPACE;
    const group = apiGroup(object.apiVersion);
    const byName = nested(nested(nested(this.seen, group), object.kind), namespace);
    const first = byName.get(object.metadata.name);
    if (!first) {
      byName.set(object.metadata.name, parsed);
      this.journal?.push({ byName, name: object.metadata.name });
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

/** The map under `key`, created when absent. */
function nested<V>(map: Map<string, Map<string, V>>, key: string): Map<string, V> {
  let inner = map.get(key);
  if (!inner) map.set(key, (inner = new Map()));
  return inner;
}

function describe({ source }: ParsedObject): string {
  const parts = [source.file, documentOrdinal(source.document)];
  if (source.pathPrefix) parts.push(source.pathPrefix);
  if (source.line !== undefined) parts.push(`line ${source.line}`);
  return parts.join(', ');
}

function joinPath(prefix: string, path: string): string {
  return prefix ? `${prefix}.${path}` : path;
}
