// The engine model of a content as a derived artefact (issue 13: the first reachability answer after a restart), so
// that a model thread loads it instead of building the model from the stored content (JSON.parse of the whole
// content, then `buildSnapshot`: ~0.35 s of CPU at 10k pods). What it holds:
//   - every field of the built Snapshot except its policies, as data (workloads and their pods, namespaces, nodes,
//     split workloads, …), with what JSON loses kept by tags (null-prototype records, Maps, undefined fields);
//   - the content objects the policies compile from (everything but pods and workload controllers), with their
//     positions, so the policies (whose compiled selectors and matchers are code, not data) are compiled by the
//     engine's own `buildSnapshot`, from the same objects at the same positions as the full build.
// Format 2 (the first answer after a restart waits for the decode): the workloads and their pods, ~70 % of the
// model's text at 10k pods, are rows of values, their labels, ports and owners interned (one stored value per distinct
// one, shared as the engine shares a replica's labels with its first sibling's); equal policy specs are stored once
// (one object for equal specs). At 10k pods, 8.5 MB of JSON (519 kB gzip) became 2.9 MB (376 kB): JSON.parse and
// its garbage were most of the decode.
// A stored model has no `objects` (the content's parsed objects): the computations that read them (diffs, lint,
// reports, …) load the model from the content. Staleness: rows are keyed by engine version (analysis_results), the
// kind names the format, and the payload carries a signature of the model's shape as this build of the engine makes
// it, so a model stored by code that shaped the model otherwise is refused (then built from the content).
import { buildSnapshot, registeredKind, SNAPSHOT_CONTENT_FILE, WORKLOAD_KINDS, type EngineOptions, type KubeObject, type ParsedObject, type PodModel, type Snapshot, type Workload } from '@netpol-atlas/engine';
import { createHash } from 'node:crypto';
import { gunzipSync, gzipSync, constants } from 'node:zlib';

/** Bump when the stored form changes (the kind carries it: rows of another format are never read). */
export const STORED_MODEL_FORMAT = 3;
export const STORED_MODEL_KIND = `model-v${STORED_MODEL_FORMAT}`;

interface StoredModelData {
  readonly format: number;
  /** `modelShapeSignature()` of the code that stored it. */
  readonly signature: string;
  /** Number of content objects (the positions of `kept` are among them). */
  readonly count: number;
  /** [position, object, source, shared spec] of the objects the policies compile from; with a shared spec (1), the
   *  object's `spec` is an index in `specs`. */
  readonly kept: readonly (readonly [number, unknown, unknown, 0 | 1])[];
  /** Distinct `spec`s of the kept objects (JSON data, as the objects are). */
  readonly specs: readonly unknown[];
  /** The Snapshot's fields but `policies`, tagged (`toData`); `workloads` is null when `workloads` below holds them. */
  readonly snapshot: unknown;
  /** The workloads as rows (`encodeWorkloads`), when every workload and pod has the fields this code knows. */
  readonly workloads?: StoredWorkloads;
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
  const kept: [number, unknown, unknown, 0 | 1][] = [];
  const specs: unknown[] = [];
  const specIndex = new Map<string, number>();
  for (let i = 0; i < objects.length; i++) {
    const o = objects[i]!;
    if (!compilesPolicies(o.object)) continue;
    const source = toData(o.source, 'source');
    const spec = (o.object as { spec?: unknown }).spec;
    // The objects are JSON data (the stored content, parsed): equal texts are equal specs.
    if (spec === null || typeof spec !== 'object' || Array.isArray(spec) || Object.getPrototypeOf(spec) !== Object.prototype) {
      kept.push([i, o.object, source, 0]);
      continue;
    }
    const text = JSON.stringify(spec);
    let index = specIndex.get(text);
    if (index === undefined) {
      specIndex.set(text, (index = specs.length));
      specs.push(spec);
    }
    kept.push([i, { ...o.object, spec: index }, source, 1]);
  }
  const rest: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(snapshot)) if (key !== 'policies') rest[key] = value;
  const workloads = encodeWorkloads(snapshot.workloads);
  if (workloads) rest.workloads = null;
  const stored = toData(rest, 'snapshot');
  const data: StoredModelData = {
    format: STORED_MODEL_FORMAT,
    signature: modelShapeSignature(),
    count: objects.length,
    kept,
    specs,
    snapshot: stored,
    tagged: taggedPaths(stored),
    ...(workloads ? { workloads } : {}),
  };
  // Level 1: the payload is read on the first question after a restart; pglz would not compress it further.
  return gzipSync(JSON.stringify(data), { level: constants.Z_BEST_SPEED });
}

// The workloads as rows. A workload's and a pod's fields, in the order the engine builds them (model/workloads.ts):
// rows hold them by position and the decoder writes records with these keys in this order (`source`, and a pod's
// `node`, may be absent). A model whose workloads or pods have other fields (another engine) is stored field by field
// (`toData`).
const WORKLOAD_KEYS = ['namespace', 'name', 'kind', 'displayName', 'topLevel', 'labels', 'ports', 'hostNetwork', 'serviceAccount', 'pods', 'replicas', 'source', 'id'];
const POD_KEYS = ['name', 'namespace', 'labels', 'ports', 'hostNetwork', 'serviceAccount', 'ips', 'synthetic', 'node', 'source'];
/** Keys a record may lack (then its row holds 0 there). */
const OPTIONAL_KEYS = ['node', 'source'];
const SOURCE_KEYS = ['file', 'document', 'pathPrefix'];

/** A source location as [file (an index in `values`), document, path prefix], another one as `toData` data, or 0
 *  when absent. */
type SourceCell = readonly [number, number, string] | Record<string, unknown> | 0;
/** name, namespace (0: the workload's), labels, ports (indices in `values`), hostNetwork, serviceAccount, ips,
 *  synthetic, node (0: absent), source. */
type PodRow = readonly [string, string | 0, number, number, boolean, string | null, readonly string[], boolean, string | 0, SourceCell];
/** namespace, name, kind, displayName, topLevel, labels, ports (indices in `values`), hostNetwork, serviceAccount,
 *  pods, replicas, source, id. */
type WorkloadRow = readonly [string, string, string, string, number, number, number, boolean, string | null, readonly PodRow[], number, SourceCell, number];

interface StoredWorkloads {
  /** Interned values (`toData`): label sets, port lists, owners, file names; each decoded once, then shared. */
  readonly values: readonly unknown[];
  readonly rows: readonly WorkloadRow[];
}

/** Not of the shape the rows hold: the workloads are stored field by field. */
class NotRows extends Error {}

function plainRecord(value: unknown, keys: readonly string[]): value is Record<string, unknown> {
  if (value === null || typeof value !== 'object' || Object.getPrototypeOf(value) !== Object.prototype || Object.isFrozen(value)) throw new NotRows();
  if (Object.getOwnPropertySymbols(value).length > 0) throw new NotRows();
  const actual = Object.keys(value);
  const expected = keys.filter((key) => !OPTIONAL_KEYS.includes(key) || key in value);
  if (actual.length !== expected.length || actual.some((key, i) => key !== expected[i])) throw new NotRows();
  return true;
}

const string = (value: unknown): string => {
  if (typeof value !== 'string') throw new NotRows();
  return value;
};
const boolean = (value: unknown): boolean => {
  if (typeof value !== 'boolean') throw new NotRows();
  return value;
};
const integer = (value: unknown): number => {
  if (!Number.isSafeInteger(value) || Object.is(value, -0)) throw new NotRows();
  return value as number;
};
const accountOf = (value: unknown): string | null => (value === null ? null : string(value));

function encodeWorkloads(workloads: readonly Workload[]): StoredWorkloads | undefined {
  const values: unknown[] = [];
  const index = new Map<string, number>();
  const intern = (value: unknown, at: string): number => {
    const data = toData(value, at);
    const text = JSON.stringify(data);
    let i = index.get(text);
    if (i === undefined) {
      index.set(text, (i = values.length));
      values.push(data);
    }
    return i;
  };
  const sourceCell = (record: Record<string, unknown>): SourceCell => {
    if (!('source' in record)) return 0;
    const source = record.source as Record<string, unknown>;
    try {
      plainRecord(source, SOURCE_KEYS);
      return [intern(string(source.file), 'file'), integer(source.document), string(source.pathPrefix)];
    } catch (error) {
      if (!(error instanceof NotRows)) throw error;
      return toData(source, 'source') as Record<string, unknown>;
    }
  };
  const ipsOf = (value: unknown): readonly string[] => {
    if (!Array.isArray(value) || Object.isFrozen(value) || Object.getPrototypeOf(value) !== Array.prototype) throw new NotRows();
    for (let i = 0; i < value.length; i++) string(value[i]);
    return value as string[];
  };
  try {
    if (!Array.isArray(workloads) || Object.isFrozen(workloads)) throw new NotRows();
    const rows = workloads.map((w): WorkloadRow => {
      plainRecord(w, WORKLOAD_KEYS);
      const pods = w.pods as unknown;
      if (!Array.isArray(pods) || Object.isFrozen(pods) || Object.getPrototypeOf(pods) !== Array.prototype) throw new NotRows();
      const podRows = (pods as unknown[]).map((pod): PodRow => {
        plainRecord(pod, POD_KEYS);
        const p = pod as unknown as Record<string, unknown>;
        const namespace = string(p.namespace);
        return [string(p.name), namespace === w.namespace ? 0 : namespace, intern(p.labels, 'labels'), intern(p.ports, 'ports'), boolean(p.hostNetwork), accountOf(p.serviceAccount), ipsOf(p.ips), boolean(p.synthetic), 'node' in p ? string(p.node) : 0, sourceCell(p)];
      });
      const record = w as unknown as Record<string, unknown>;
      return [
        string(w.namespace),
        string(w.name),
        string(w.kind),
        string(w.displayName),
        intern(w.topLevel, 'topLevel'),
        intern(w.labels, 'labels'),
        intern(w.ports, 'ports'),
        boolean(w.hostNetwork),
        accountOf(w.serviceAccount),
        podRows,
        integer(w.replicas),
        sourceCell(record),
        integer(w.id),
      ];
    });
    return { values, rows };
  } catch (error) {
    if (error instanceof NotRows) return undefined;
    throw error;
  }
}

function decodeSource(cell: SourceCell, values: readonly unknown[]): unknown {
  if (Array.isArray(cell)) return { file: values[cell[0]], document: cell[1], pathPrefix: cell[2] };
  return fromData(cell);
}

function decodeWorkloads(stored: StoredWorkloads): Workload[] {
  const values = stored.values.map((value) => fromData(value));
  const workloads = new Array<Workload>(stored.rows.length);
  for (let w = 0; w < stored.rows.length; w++) {
    const row = stored.rows[w]!;
    const namespace = row[0];
    const podRows = row[9];
    const pods = new Array<PodModel>(podRows.length);
    for (let p = 0; p < podRows.length; p++) {
      const r = podRows[p]!;
      const ns = r[1] === 0 ? namespace : r[1];
      // Object literals with the keys in the engine's order (WORKLOAD_KEYS, POD_KEYS).
      const pod: Record<string, unknown> = { name: r[0], namespace: ns, labels: values[r[2]], ports: values[r[3]], hostNetwork: r[4], serviceAccount: r[5], ips: r[6], synthetic: r[7] };
      if (r[8] !== 0) pod.node = r[8];
      if (r[9] !== 0) pod.source = decodeSource(r[9], values);
      pods[p] = pod as unknown as PodModel;
    }
    workloads[w] = (
      row[11] === 0
        ? { namespace, name: row[1], kind: row[2], displayName: row[3], topLevel: values[row[4]], labels: values[row[5]], ports: values[row[6]], hostNetwork: row[7], serviceAccount: row[8], pods, replicas: row[10], id: row[12] }
        : {
            namespace,
            name: row[1],
            kind: row[2],
            displayName: row[3],
            topLevel: values[row[4]],
            labels: values[row[5]],
            ports: values[row[6]],
            hostNetwork: row[7],
            serviceAccount: row[8],
            pods,
            replicas: row[10],
            source: decodeSource(row[11], values),
            id: row[12],
          }
    ) as Workload;
  }
  return workloads;
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
  if (!data || data.format !== STORED_MODEL_FORMAT || data.signature !== modelShapeSignature() || !Array.isArray(data.kept) || !Array.isArray(data.specs)) return undefined;
  // The policy objects at their positions; every other position holds an object buildSnapshot ignores.
  const objects = new Array<ParsedObject>(data.count!).fill(PLACEHOLDER);
  const specs = data.specs;
  for (const [index, object, source, sharedSpec] of data.kept) {
    if (sharedSpec === 1) (object as { spec: unknown }).spec = specs[(object as { spec: number }).spec];
    objects[index] = { object: object as KubeObject, source: fromData(source) as ParsedObject['source'] };
  }
  const compiled = buildSnapshot(objects, options);
  if (compiled.issues.some((issue) => issue.severity === 'error')) return undefined;
  const stored = data.snapshot as Record<string, unknown>;
  for (const at of data.tagged ?? []) {
    let parent = stored as Record<string | number, unknown>;
    for (const key of at.slice(0, -1)) parent = parent[key] as Record<string | number, unknown>;
    const key = at[at.length - 1]!;
    parent[key] = fromData(parent[key]);
  }
  if (data.workloads) stored.workloads = decodeWorkloads(data.workloads);
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
