// The engine model of a content as a derived artefact (issue 13: the first reachability answer after a restart), so
// that a model thread loads it instead of building the model from the stored content (JSON.parse of the whole
// content, then `buildSnapshot`: ~0.35 s of CPU at 10k pods). What it holds:
//   - every field of the built Snapshot except its policies, as data (workloads and their pods, namespaces, nodes,
//     split workloads, …), with what JSON loses kept by tags (null-prototype records, Maps, undefined fields);
//   - the content objects the policies compile from (everything but pods and workload controllers), with their
//     positions, so the policies (whose compiled selectors and matchers are code, not data) are compiled by the
//     engine's own `buildSnapshot`, from the same objects at the same positions as the full build.
// A stored model has no `objects` (the content's parsed objects): the computations that read them (diffs, lint,
// reports, …) load the model from the content. Staleness: rows are keyed by engine version (analysis_results), the
// kind names the format, and the payload carries a signature of the model's shape as this build of the engine makes
// it, so a model stored by code that shaped the model otherwise is refused (then built from the content).
import { buildSnapshot, registeredKind, SNAPSHOT_CONTENT_FILE, WORKLOAD_KINDS, type EngineOptions, type KubeObject, type ParsedObject, type Snapshot } from '@netpol-atlas/engine';
import { createHash } from 'node:crypto';
import { gunzipSync, gzipSync, constants } from 'node:zlib';

/** Bump when the stored form changes (the kind carries it: rows of another format are never read). */
export const STORED_MODEL_FORMAT = 1;
export const STORED_MODEL_KIND = `model-v${STORED_MODEL_FORMAT}`;

interface StoredModelData {
  readonly format: number;
  /** `modelShapeSignature()` of the code that stored it. */
  readonly signature: string;
  /** Number of content objects (the positions of `kept` are among them). */
  readonly count: number;
  /** [position, object, source] of the objects the policies compile from. */
  readonly kept: readonly (readonly [number, unknown, unknown])[];
  /** The Snapshot's fields but `policies`, tagged (`toData`). */
  readonly snapshot: unknown;
  /** Where in `snapshot` the outermost tagged values are (keys and indices): decoding visits those only, not the
   *  hundreds of thousands of plain values around them (at 10k pods: the namespaces, nodes and split workloads). */
  readonly tagged: readonly (readonly (string | number)[])[];
}

// Tags: one key `\u0000` naming what the value was. Model records never hold such a key (toData refuses one).
const TAG = '\u0000';

/** A value as JSON data, with null-prototype records, Maps, undefined fields and bigints tagged; throws on anything
 *  else JSON would change or lose (functions, class instances, non-finite numbers), naming the field (`at`). */
export function toData(value: unknown, at = '$'): unknown {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return value;
  if (value === undefined) return { [TAG]: 'undefined' };
  if (typeof value === 'number') {
    if (!Number.isFinite(value) || Object.is(value, -0)) throw new Error(`${at}: ${value} is not storable`);
    return value;
  }
  if (typeof value === 'bigint') return { [TAG]: 'bigint', v: value.toString() };
  if (typeof value !== 'object') throw new Error(`${at}: a ${typeof value} is not storable`);
  // Field names only (not whole paths): a path string per value would cost more than the encoding at 10k pods.
  if (Array.isArray(value)) {
    const out = new Array<unknown>(value.length);
    for (let i = 0; i < value.length; i++) {
      if (!(i in value)) throw new Error(`${at}[]: a hole is not storable`);
      out[i] = toData(value[i], at);
    }
    return out;
  }
  if (value instanceof Map) return { [TAG]: 'map', v: [...value].map(([k, v]) => [toData(k, at), toData(v, at)]) };
  const prototype = Object.getPrototypeOf(value) as unknown;
  if (prototype !== Object.prototype && prototype !== null) throw new Error(`${at}: a ${(value as object).constructor?.name ?? 'class'} instance is not storable`);
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(value)) {
    if (key.startsWith(TAG)) throw new Error(`${at}: key ${JSON.stringify(key)} is not storable`);
    out[key] = toData((value as Record<string, unknown>)[key], key);
  }
  if (Object.getOwnPropertySymbols(value).length > 0) throw new Error(`${at}: symbol keys are not storable`);
  const frozen = Object.isFrozen(value);
  if (prototype === null) return { [TAG]: frozen ? 'null-frozen' : 'null', v: out };
  return frozen ? { [TAG]: 'frozen', v: out } : out;
}

/** The inverse of `toData` (on JSON.parse's output, in place where it can). */
export function fromData(data: unknown): unknown {
  if (data === null || typeof data !== 'object') return data;
  if (Array.isArray(data)) {
    for (let i = 0; i < data.length; i++) data[i] = fromData(data[i]);
    return data;
  }
  const record = data as Record<string, unknown>;
  const tag = record[TAG];
  if (tag === undefined) {
    for (const key in record) record[key] = fromData(record[key]);
    return record;
  }
  switch (tag) {
    case 'undefined':
      return undefined;
    case 'bigint':
      return BigInt(record.v as string);
    case 'map':
      return new Map((record.v as [unknown, unknown][]).map(([k, v]) => [fromData(k), fromData(v)]));
    case 'null':
    case 'null-frozen':
    case 'frozen': {
      const out = (tag === 'frozen' ? {} : Object.create(null)) as Record<string, unknown>;
      const fields = record.v as Record<string, unknown>;
      for (const key in fields) out[key] = fromData(fields[key]);
      return tag === 'null' ? out : Object.freeze(out);
    }
    default:
      throw new Error(`unknown stored model tag ${String(tag)}`);
  }
}

/** The paths of the outermost tagged values in `toData`'s output (fromData decodes what is inside them). */
function taggedPaths(data: unknown): (string | number)[][] {
  const paths: (string | number)[][] = [];
  const path: (string | number)[] = [];
  const walk = (value: unknown): void => {
    if (value === null || typeof value !== 'object') return;
    if (Array.isArray(value)) {
      for (let i = 0; i < value.length; i++) {
        path.push(i);
        walk(value[i]);
        path.pop();
      }
      return;
    }
    if ((value as Record<string, unknown>)[TAG] !== undefined) {
      if (path.length === 0) throw new Error('the stored model itself cannot be tagged');
      paths.push([...path]);
      return;
    }
    for (const key of Object.keys(value)) {
      path.push(key);
      walk((value as Record<string, unknown>)[key]);
      path.pop();
    }
  };
  walk(data);
  return paths;
}

/** Whether `buildSnapshot` reads the object beyond building workloads (policies, their auxiliary objects,
 *  namespaces, nodes, service accounts, …): everything but pods and workload controllers of no dialect. */
function compilesPolicies(object: KubeObject): boolean {
  return !(object.kind === 'Pod' || WORKLOAD_KINDS.has(object.kind)) || registeredKind(object.apiVersion, object.kind) !== undefined;
}

/** The stored model of a built, error-free model; throws when a field is not storable (then none is stored). */
export function encodeStoredModel(snapshot: Snapshot, objects: readonly ParsedObject[]): Buffer {
  const kept: [number, unknown, unknown][] = [];
  for (let i = 0; i < objects.length; i++) {
    const o = objects[i]!;
    if (compilesPolicies(o.object)) kept.push([i, o.object, toData(o.source, 'source')]);
  }
  const rest: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(snapshot)) if (key !== 'policies') rest[key] = value;
  const stored = toData(rest, 'snapshot');
  const data: StoredModelData = { format: STORED_MODEL_FORMAT, signature: modelShapeSignature(), count: objects.length, kept, snapshot: stored, tagged: taggedPaths(stored) };
  // Level 1: the payload is read on the first question after a restart; pglz would not compress it further.
  return gzipSync(JSON.stringify(data), { level: constants.Z_BEST_SPEED });
}

const PLACEHOLDER: ParsedObject = Object.freeze({
  object: Object.freeze({ apiVersion: '', kind: '', metadata: Object.freeze({ name: '' }) }) as KubeObject,
  source: Object.freeze({ file: SNAPSHOT_CONTENT_FILE, document: 0, pathPrefix: '' }),
});

/**
 * The snapshot of a stored model under `options` (those of its key), or undefined when it is of another format or
 * shape, or does not agree with the policies compiled now (then build the model from the content).
 */
export function decodeStoredModel(payload: Buffer, options: EngineOptions): Snapshot | undefined {
  const data = JSON.parse(gunzipSync(payload).toString('utf8')) as Partial<StoredModelData> | null;
  if (!data || data.format !== STORED_MODEL_FORMAT || data.signature !== modelShapeSignature() || !Array.isArray(data.kept)) return undefined;
  // The policy objects at their positions; every other position holds an object buildSnapshot ignores.
  const objects = new Array<ParsedObject>(data.count!).fill(PLACEHOLDER);
  for (const [index, object, source] of data.kept) objects[index] = { object: object as KubeObject, source: fromData(source) as ParsedObject['source'] };
  const compiled = buildSnapshot(objects, options);
  if (compiled.issues.some((issue) => issue.severity === 'error')) return undefined;
  const stored = data.snapshot as Record<string, unknown>;
  for (const at of data.tagged ?? []) {
    let parent = stored as Record<string | number, unknown>;
    for (const key of at.slice(0, -1)) parent = parent[key] as Record<string | number, unknown>;
    const key = at[at.length - 1]!;
    parent[key] = fromData(parent[key]);
  }
  // The options the policies compiled under must be the stored model's (the detected CNI profile depends on them).
  if (JSON.stringify(toData(compiled.snapshot.options)) !== JSON.stringify(toData(stored.options))) return undefined;
  const snapshot: Record<string, unknown> = {};
  for (const key of Object.keys(compiled.snapshot)) snapshot[key] = key === 'policies' ? compiled.snapshot.policies : stored[key];
  for (const key of Object.keys(stored)) if (!(key in snapshot)) snapshot[key] = stored[key];
  return snapshot as unknown as Snapshot;
}

let signature: string | undefined;

/**
 * What this build of the engine puts in a model, as a digest: every field path (and its kind of value) of the
 * model of a small fixture with pods, controllers, a host-network pod, nodes, a policy and a split workload. A
 * stored model whose signature differs was made by code that shaped the model otherwise.
 */
export function modelShapeSignature(): string {
  if (signature) return signature;
  const paths = new Set<string>();
  const walk = (value: unknown, path: string): void => {
    const kind = value === null ? 'null' : Array.isArray(value) ? 'array' : value instanceof Map ? 'map' : typeof value;
    paths.add(`${path}:${kind}`);
    if (Array.isArray(value)) value.forEach((item) => walk(item, `${path}[]`));
    else if (value instanceof Map) for (const item of value.values()) walk(item, `${path}<>`);
    else if (value !== null && typeof value === 'object') for (const key of Object.keys(value)) walk((value as Record<string, unknown>)[key], path.endsWith('labels') ? `${path}.*` : `${path}.${key}`);
  };
  const { snapshot } = buildSnapshot(SHAPE_FIXTURE.map((object, index) => ({ object, source: { file: SNAPSHOT_CONTENT_FILE, document: 0, pathPrefix: `[${index}]` } })));
  for (const [key, value] of Object.entries(snapshot)) if (key !== 'policies') walk(value, key);
  signature = createHash('sha256').update([...paths].sort().join('\n')).digest('hex');
  return signature;
}

const pod = (name: string, labels: Record<string, string>, owner: string | undefined, extra: Record<string, unknown> = {}): KubeObject =>
  ({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: 'shape', labels, ...(owner ? { ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: owner, controller: true }] } : {}) },
    spec: { containers: [{ name: 'c', ports: [{ name: 'http', containerPort: 8080 }] }], serviceAccountName: 'sa', nodeName: 'n1', ...extra },
    status: { phase: 'Running', podIP: `10.0.0.${Object.keys(labels).length + name.length}` },
  }) as unknown as KubeObject;

const SHAPE_FIXTURE: readonly KubeObject[] = [
  { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'shape', labels: { team: 't' } } },
  { apiVersion: 'v1', kind: 'Node', metadata: { name: 'n1', labels: { zone: 'z' } }, status: { addresses: [{ type: 'InternalIP', address: '10.1.0.1' }] } },
  { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', namespace: 'shape' }, spec: { replicas: 2, template: { metadata: { labels: { app: 'web' } } } } },
  { apiVersion: 'apps/v1', kind: 'ReplicaSet', metadata: { name: 'web-1', namespace: 'shape', ownerReferences: [{ apiVersion: 'apps/v1', kind: 'Deployment', name: 'web', controller: true }] } },
  pod('web-1-a', { app: 'web', tier: 'a' }, 'web-1'),
  pod('web-1-b', { app: 'web', tier: 'b' }, 'web-1'),
  pod('host', { app: 'host' }, undefined, { hostNetwork: true }),
  { apiVersion: 'apps/v1', kind: 'StatefulSet', metadata: { name: 'db', namespace: 'shape' }, spec: { replicas: 1, template: { metadata: { labels: { app: 'db' } } } } },
  {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'NetworkPolicy',
    metadata: { name: 'tier-a', namespace: 'shape' },
    spec: { podSelector: { matchLabels: { tier: 'a' } }, ingress: [{ from: [{ podSelector: {} }] }] },
  },
] as unknown as KubeObject[];
