// The normalised objects tables (migration StoreSnapshotObjects): batched inserts inside the upload's transaction
// (the rows encoded by snapshot-object-columns.ts, in the parse worker for big uploads),
// and keyset-paged reads. Insert and read only, like the rest of the evidence.
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import type { SnapshotCounts } from '../snapshot-counts.js';
import { objectColumns, type ObjectColumns, type ObjectTable } from './snapshot-object-columns.js';
import type { Labels, NamespaceRow, PodRow, PolicyRow, SnapshotObjects, WorkloadRow } from './snapshot-objects.js';

export { INSERT_BATCH } from './snapshot-object-columns.js';

/**
 * INSERT of one batch per table: $1 the content, $2 the rows as one JSON array (snapshot-object-columns.ts: UTF-8
 * bytes, sent as binary text), read by field name. JSON arrays become the text[] columns; a cluster-scoped policy's
 * namespace (null) is stored as ''.
 */
const INSERT_SQL: Readonly<Record<ObjectTable, string>> = {
  namespaces: `INSERT INTO snapshot_namespaces (content_sha256, name, labels, declared)
     SELECT $1, r.name, r.labels, r.declared FROM jsonb_to_recordset($2::text::jsonb) AS r (name text, labels jsonb, declared boolean)`,
  workloads: `INSERT INTO snapshot_workloads (content_sha256, namespace, kind, name, replicas, pods, labels)
     SELECT $1, r.namespace, r.kind, r.name, r.replicas, r.pods, r.labels
     FROM jsonb_to_recordset($2::text::jsonb) AS r (namespace text, kind text, name text, replicas integer, pods integer, labels jsonb)`,
  pods: `INSERT INTO snapshot_pods (content_sha256, namespace, name, synthetic, workload_kind, workload_name, labels, ips)
     SELECT $1, r.namespace, r.name, r.synthetic, r."workloadKind", r."workloadName", r.labels, r.ips
     FROM jsonb_to_recordset($2::text::jsonb)
       AS r (namespace text, name text, synthetic boolean, "workloadKind" text, "workloadName" text, labels jsonb, ips text[])`,
  policies: `INSERT INTO snapshot_policies (content_sha256, namespace, kind, name, api_version, policy_types, labels, analysed)
     SELECT $1, coalesce(r.namespace, ''), r.kind, r.name, r."apiVersion", r."policyTypes", r.labels, r.analysed
     FROM jsonb_to_recordset($2::text::jsonb)
       AS r (namespace text, kind text, name text, "apiVersion" text, "policyTypes" text[], labels jsonb, analysed boolean)`,
};

/** Equality (`value`) or presence (`value` null) of one label; filters AND them. */
export interface LabelFilter {
  readonly key: string;
  readonly value?: string | null;
}

export interface ObjectFilter {
  readonly namespace?: string | null;
  /** Text `namespace/name` contains, case-insensitive. */
  readonly search?: string | null;
  readonly labels?: readonly LabelFilter[] | null;
}

export interface PodFilter extends ObjectFilter {
  /** Pods of this top-level workload (needs `namespace`). */
  readonly workload?: { readonly kind: string; readonly name: string } | null;
}

export interface Page<T> {
  readonly rows: T[];
  readonly totalCount: number;
}

interface Table<T> {
  readonly name: string;
  readonly columns: string;
  readonly keyColumns: readonly string[];
  readonly fromDb: (row: Record<string, unknown>) => T;
}

const labelsOf = (value: unknown) => sortedKeys(value as Record<string, string>);
function sortedKeys(labels: Record<string, string>): Labels {
  const out: Record<string, string> = {};
  for (const key of Object.keys(labels).sort()) out[key] = labels[key];
  return out;
}

const NAMESPACES: Table<NamespaceRow> = {
  name: 'snapshot_namespaces',
  columns: 'name, labels, declared',
  keyColumns: ['name'],
  fromDb: (r) => ({ name: r.name as string, labels: labelsOf(r.labels), declared: r.declared as boolean }),
};

const WORKLOADS: Table<WorkloadRow> = {
  name: 'snapshot_workloads',
  columns: 'namespace, kind, name, replicas, pods, labels',
  keyColumns: ['namespace', 'kind', 'name'],
  fromDb: (r) => ({
    namespace: r.namespace as string,
    kind: r.kind as string,
    name: r.name as string,
    replicas: r.replicas as number | null,
    pods: r.pods as number,
    labels: labelsOf(r.labels),
  }),
};

const PODS: Table<PodRow> = {
  name: 'snapshot_pods',
  columns: 'namespace, name, synthetic, workload_kind, workload_name, labels, ips',
  keyColumns: ['namespace', 'name', 'synthetic'],
  fromDb: (r) => ({
    namespace: r.namespace as string,
    name: r.name as string,
    synthetic: r.synthetic as boolean,
    workloadKind: r.workload_kind as string,
    workloadName: r.workload_name as string,
    labels: labelsOf(r.labels),
    ips: r.ips as string[],
  }),
};

const POLICIES: Table<PolicyRow> = {
  name: 'snapshot_policies',
  columns: 'namespace, kind, name, api_version, policy_types, labels, analysed',
  keyColumns: ['namespace', 'kind', 'name', 'api_version'],
  fromDb: (r) => ({
    namespace: r.namespace === '' ? null : (r.namespace as string),
    kind: r.kind as string,
    name: r.name as string,
    apiVersion: r.api_version as string,
    policyTypes: r.policy_types as string[],
    labels: labelsOf(r.labels),
    analysed: r.analysed as boolean,
  }),
};

/** Key values of a row as stored (a cluster-scoped policy's namespace is ''), in key-column order. */
export const storedKey = {
  namespace: (row: NamespaceRow) => [row.name],
  workload: (row: Pick<WorkloadRow, 'namespace' | 'kind' | 'name'>) => [row.namespace, row.kind, row.name],
  pod: (row: PodRow) => [row.namespace, row.name, String(row.synthetic)],
  policy: (row: Pick<PolicyRow, 'namespace' | 'kind' | 'name' | 'apiVersion'>) => [row.namespace ?? '', row.kind, row.name, row.apiVersion],
};

@Injectable()
export class SnapshotObjectsRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /** Counts of a content whose objects are stored; null when they are not (yet). */
  async counts(contentSha256: string, manager: EntityManager = this.db.manager): Promise<SnapshotCounts | null> {
    const rows: SnapshotCounts[] = await manager.query(
      'SELECT namespaces, pods, workloads, policies FROM snapshot_object_sets WHERE content_sha256 = $1',
      [contentSha256],
    );
    return rows[0] ? { namespaces: rows[0].namespaces, pods: rows[0].pods, workloads: rows[0].workloads, policies: rows[0].policies } : null;
  }

  /** Contents stored without their objects (stored before this table existed). */
  async contentsWithoutObjects(): Promise<string[]> {
    const rows: { sha256: string }[] = await this.db.query(
      `SELECT c.sha256 FROM snapshot_contents c
       WHERE NOT EXISTS (SELECT 1 FROM snapshot_object_sets s WHERE s.content_sha256 = c.sha256) ORDER BY c.sha256`,
    );
    return rows.map((row) => row.sha256);
  }

  /** Writes every row of one content, in batches, with the caller's transaction (rows, or their encoded columns). */
  async insert(manager: EntityManager, contentSha256: string, objects: SnapshotObjects | ObjectColumns): Promise<void> {
    const encoded = 'batches' in objects ? objects : objectColumns(objects);
    const { counts } = encoded;
    await manager.query(
      'INSERT INTO snapshot_object_sets (content_sha256, namespaces, workloads, pods, policies) VALUES ($1, $2, $3, $4, $5)',
      [contentSha256, counts.namespaces, counts.workloads, counts.pods, counts.policies],
    );
    for (const batch of encoded.batches) {
      // A Buffer (not a bare Uint8Array, as a batch arrives from the parse worker) is what node-pg sends as binary.
      const json = Buffer.from(batch.json.buffer, batch.json.byteOffset, batch.json.byteLength);
      await manager.query(INSERT_SQL[batch.table], [contentSha256, json]);
    }
  }

  namespaces(contentSha256: string, filter: ObjectFilter, limit: number, after?: readonly string[]): Promise<Page<NamespaceRow>> {
    return this.page(NAMESPACES, contentSha256, { labels: filter.labels }, limit, after);
  }

  workloads(contentSha256: string, filter: ObjectFilter, limit: number, after?: readonly string[]): Promise<Page<WorkloadRow>> {
    return this.page(WORKLOADS, contentSha256, filter, limit, after);
  }

  pods(contentSha256: string, filter: PodFilter, limit: number, after?: readonly string[]): Promise<Page<PodRow>> {
    const extra: [string, unknown][] = filter.workload
      ? [
          ['workload_kind', filter.workload.kind],
          ['workload_name', filter.workload.name],
        ]
      : [];
    return this.page(PODS, contentSha256, filter, limit, after, extra);
  }

  /** `groupKinds`: only policies of these `<API group>/<kind>` (a dialect's kinds). */
  policies(contentSha256: string, filter: ObjectFilter, limit: number, after?: readonly string[], groupKinds?: readonly string[]): Promise<Page<PolicyRow>> {
    const condition = groupKinds
      ? (bind: (value: unknown) => string) =>
          `((CASE WHEN strpos(api_version, '/') > 0 THEN split_part(api_version, '/', 1) ELSE '' END) || '/' || kind) = ANY(${bind(groupKinds)}::text[])`
      : undefined;
    return this.page(POLICIES, contentSha256, filter, limit, after, [], condition);
  }

  /** Workloads of one content by key ([namespace, kind, name]), in key order. */
  workloadsByKeys(contentSha256: string, keys: readonly (readonly string[])[]): Promise<WorkloadRow[]> {
    return this.byKeys(WORKLOADS, contentSha256, keys);
  }

  /** Policies of one content by stored key ([namespace or '', kind, name, apiVersion]), in key order. */
  policiesByKeys(contentSha256: string, keys: readonly (readonly string[])[]): Promise<PolicyRow[]> {
    return this.byKeys(POLICIES, contentSha256, keys);
  }

  private async byKeys<T>(table: Table<T>, contentSha256: string, keys: readonly (readonly string[])[]): Promise<T[]> {
    if (keys.length === 0) return [];
    const columns = table.keyColumns;
    const arrays = columns.map((_, i) => keys.map((key) => key[i]));
    const unnest = columns.map((_, i) => `$${i + 2}::text[]`).join(', ');
    const rows: Record<string, unknown>[] = await this.db.query(
      `SELECT ${table.columns} FROM ${table.name}
       WHERE content_sha256 = $1 AND (${columns.join(', ')}) IN (SELECT * FROM unnest(${unnest}))
       ORDER BY ${columns.join(', ')}`,
      [contentSha256, ...arrays],
    );
    return rows.map(table.fromDb);
  }

  private async page<T>(
    table: Table<T>,
    contentSha256: string,
    filter: ObjectFilter,
    limit: number,
    after: readonly string[] | undefined,
    extra: readonly [string, unknown][] = [],
    condition?: (bind: (value: unknown) => string) => string,
  ): Promise<Page<T>> {
    const parameters: unknown[] = [contentSha256];
    const where = ['content_sha256 = $1'];
    const bind = (value: unknown) => `$${parameters.push(value)}`;
    if (filter.namespace != null) where.push(`namespace = ${bind(filter.namespace)}`);
    if (filter.search) where.push(`strpos(lower(namespace || '/' || name), ${bind(filter.search.toLowerCase())}) > 0`);
    for (const [column, value] of extra) where.push(`${column} = ${bind(value)}`);
    if (condition) where.push(condition(bind));
    const equal: Record<string, string> = {};
    const present: string[] = [];
    for (const label of filter.labels ?? []) {
      if (label.value == null) present.push(label.key);
      else equal[label.key] = label.value;
    }
    if (Object.keys(equal).length > 0) where.push(`labels @> ${bind(JSON.stringify(equal))}::jsonb`);
    if (present.length > 0) where.push(`labels ?& ${bind(present)}::text[]`);
    const filtered = where.join(' AND ');
    const countParameters = [...parameters];
    const keys = table.keyColumns.join(', ');
    if (after) {
      // `synthetic` is boolean; the cursor carries it as text like every key part.
      const values = after.map((value, i) => (table.keyColumns[i] === 'synthetic' ? `${bind(value)}::boolean` : bind(value)));
      where.push(`(${keys}) > (${values.join(', ')})`);
    }
    const [rows, count] = await Promise.all([
      this.db.query(`SELECT ${table.columns} FROM ${table.name} WHERE ${where.join(' AND ')} ORDER BY ${keys} LIMIT ${bind(limit)}`, parameters),
      this.db.query(`SELECT count(*)::int AS n FROM ${table.name} WHERE ${filtered}`, countParameters),
    ]);
    return { rows: (rows as Record<string, unknown>[]).map(table.fromDb), totalCount: (count as { n: number }[])[0].n };
  }
}
