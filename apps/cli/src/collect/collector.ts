// Reads one cluster: namespaces, workloads, services and every policy API that exists, following pagination.
// A 403 on a resource does not stop the collection: the resource is recorded as missing and reported.
import type { KubeApiClient } from './kube-api.js';
import { type JsonObject, failure, getWithRetry, listAll, refusalOf } from './list.js';
import { BUILTIN_RESOURCES, NAMESPACES, OPTIONAL_RESOURCES, type ResourceType, discoveryPath, displayName, groupVersion, listPath } from './resources.js';
import { CollectError, EXIT_FAILURE } from './errors.js';
import { CNI_NAMESPACES, detectCni, type CniDetection, type DaemonSetRef } from './cni-detection.js';

const DAEMONSETS = BUILTIN_RESOURCES.find((type) => type.kind === 'DaemonSet')!;

/** `allNamespaces`, or the sorted, de-duplicated namespaces to read. */
export type CollectScope = { readonly allNamespaces: true } | { readonly allNamespaces: false; readonly namespaces: readonly string[] };

/** A resource the collector could not read (the snapshot lacks it). */
export interface MissingResource {
  readonly resource: string;
  readonly namespace?: string;
  readonly status: number;
  readonly reason: string;
  readonly message: string;
}

export interface CollectionReport {
  readonly missing: readonly MissingResource[];
  /** Optional policy APIs the cluster does not serve, e.g. `globalnetworkpolicies.projectcalico.org`. */
  readonly notInstalled: readonly string[];
  /** The CNI the cluster runs, when its signals show one (cni-detection.ts). */
  readonly cni?: CniDetection;
}

export interface Collection {
  readonly items: JsonObject[];
  readonly report: CollectionReport;
}

export interface CollectLog {
  /** A finished step, e.g. `pods (all namespaces): 9 objects in 5 pages`. */
  info(line: string): void;
  /** Something missing from the snapshot. */
  warn(line: string): void;
  /** Transient progress inside a long list. */
  progress(line: string): void;
}

export interface CollectOptions {
  readonly chunkSize: number;
  /** Reduces each object to what the snapshot keeps (the engine projection). */
  readonly project: (object: JsonObject) => JsonObject;
  readonly log: CollectLog;
  readonly sleep?: (ms: number) => Promise<void>;
}

export async function collectCluster(client: KubeApiClient, scope: CollectScope, options: CollectOptions): Promise<Collection> {
  const run = new CollectionRun(client, scope, options);
  await run.readNamespaces();
  for (const type of BUILTIN_RESOURCES) await run.readType(type, 'missing');
  await run.readOptionalTypes();
  await run.detectCni();
  return run.result();
}

class CollectionRun {
  private readonly items: JsonObject[] = [];
  private readonly missing: MissingResource[] = [];
  private readonly notInstalled: string[] = [];
  private readonly servedGroups = new Set<string>();
  private cni: CniDetection | undefined;

  constructor(
    private readonly client: KubeApiClient,
    private readonly scope: CollectScope,
    private readonly options: CollectOptions,
  ) {}

  result(): Collection {
    const report = { missing: this.missing, notInstalled: [...this.notInstalled].sort() };
    return { items: this.items, report: this.cni ? { ...report, cni: this.cni } : report };
  }

  async readNamespaces(): Promise<void> {
    if (this.scope.allNamespaces) {
      await this.readType(NAMESPACES, 'missing');
      return;
    }
    for (const namespace of this.scope.namespaces) {
      const path = `/api/v1/namespaces/${encodeURIComponent(namespace)}`;
      const response = await getWithRetry(this.client, path, {}, this.options.sleep);
      if (response.status === 404) throw new CollectError(`namespace "${namespace}" not found`, EXIT_FAILURE);
      if (response.status === 403) {
        // Namespace-scoped RBAC often may list pods but not get its Namespace object (whose labels policies select).
        this.recordMissing(NAMESPACES, namespace, refusalOf(response));
        continue;
      }
      if (response.status !== 200) throw failure(path, response);
      this.items.push(this.options.project(withTypeMeta(response.body as JsonObject, 'v1', 'Namespace')));
      this.options.log.info(`namespaces/${namespace}: 1 object`);
    }
  }

  /** Lists a type in the scope; a 404 means missing (built-in) or not installed (optional API). */
  async readType(type: ResourceType, on404: 'missing' | 'not-installed'): Promise<void> {
    const namespaces = type.namespaced && !this.scope.allNamespaces ? this.scope.namespaces : [undefined];
    for (const namespace of namespaces) {
      const where = namespace === undefined ? (type.namespaced ? ' (all namespaces)' : '') : ` in ${namespace}`;
      const label = `${displayName(type)}${where}`;
      const outcome = await listAll(this.client, listPath(type, namespace), {
        chunkSize: this.options.chunkSize,
        sleep: this.options.sleep,
        transform: (item, listApiVersion, itemKind) =>
          this.options.project(withTypeMeta(item, listApiVersion || groupVersion(type), itemKind || type.kind)),
        onPage: (count, page) => this.options.log.progress(`${label}: ${count} objects (page ${page})`),
      });
      if (outcome.ok) {
        this.items.push(...outcome.items);
        this.options.log.info(`${label}: ${plural(outcome.items.length, 'object')} in ${plural(outcome.pages, 'page')}`);
      } else if (outcome.status === 404 && on404 === 'not-installed') {
        this.recordNotInstalled(type, 'not served (404)');
        return;
      } else {
        this.recordMissing(type, namespace, outcome);
      }
    }
  }

  /** Discovers each optional group version once, then lists the policy types it serves. */
  async readOptionalTypes(): Promise<void> {
    const byGroupVersion = new Map<string, ResourceType[]>();
    for (const type of OPTIONAL_RESOURCES) {
      const key = groupVersion(type);
      byGroupVersion.set(key, [...(byGroupVersion.get(key) ?? []), type]);
    }
    const servedGroups = this.servedGroups;
    for (const [key, types] of byGroupVersion) {
      // Calico's CRDs (crd.projectcalico.org) hold what its API server (projectcalico.org/v3) serves: read them only
      // when there is no API server, never both.
      if (types[0].group === 'crd.projectcalico.org' && servedGroups.has('projectcalico.org')) {
        for (const type of types) this.recordNotInstalled(type, 'read through projectcalico.org/v3 instead');
        continue;
      }
      const path = discoveryPath(types[0]);
      const response = await getWithRetry(this.client, path, {}, this.options.sleep);
      if (response.status === 404) {
        for (const type of types) this.recordNotInstalled(type, `${key} is not served`);
        continue;
      }
      if (response.status === 403) {
        for (const type of types) this.recordMissing(type, undefined, refusalOf(response));
        continue;
      }
      if (response.status !== 200) throw failure(path, response);
      servedGroups.add(types[0].group);
      const served = servedResources(response.body);
      for (const type of types) {
        const entry = served.get(type.resource);
        if (entry === undefined || !entry.verbs.includes('list')) {
          this.recordNotInstalled(type, `${key} does not serve ${type.resource}`);
          continue;
        }
        await this.readType({ ...type, kind: entry.kind ?? type.kind, namespaced: entry.namespaced ?? type.namespaced }, 'not-installed');
      }
    }
  }

  /**
   * The CNI from its agent DaemonSet: those collected, plus (when the scope leaves them out) a read of the CNI
   * namespaces' DaemonSets that is not part of the snapshot; a refused read there only weakens the detection.
   */
  async detectCni(): Promise<void> {
    const daemonSets: DaemonSetRef[] = [];
    for (const item of this.items) {
      const metadata = item.metadata as JsonObject | undefined;
      if (item.kind === 'DaemonSet' && typeof metadata?.namespace === 'string' && typeof metadata.name === 'string') {
        daemonSets.push({ namespace: metadata.namespace, name: metadata.name });
      }
    }
    const scope = this.scope;
    const unread = scope.allNamespaces ? [] : CNI_NAMESPACES.filter((ns) => !scope.namespaces.includes(ns));
    for (const namespace of unread) {
      const path = listPath(DAEMONSETS, namespace);
      const response = await getWithRetry(this.client, path, {}, this.options.sleep);
      if (response.status !== 200) continue;
      const items = (response.body as JsonObject | undefined)?.items;
      for (const item of Array.isArray(items) ? (items as JsonObject[]) : []) {
        const name = (item?.metadata as JsonObject | undefined)?.name;
        if (typeof name === 'string') daemonSets.push({ namespace, name });
      }
    }
    this.cni = detectCni(daemonSets, this.servedGroups);
    this.options.log.info(this.cni ? `CNI: ${this.cni.cni} (${this.cni.evidence})` : 'CNI: not detected (no known agent DaemonSet or policy API group)');
  }

  private recordMissing(type: ResourceType, namespace: string | undefined, refusal: { status: number; reason: string; message: string }): void {
    const resource = displayName(type);
    this.missing.push({ resource, ...(namespace !== undefined ? { namespace } : {}), status: refusal.status, reason: refusal.reason, message: refusal.message });
    const where = namespace === undefined ? '' : ` in ${namespace}`;
    this.options.log.warn(`${resource}${where} NOT collected: ${refusal.status} ${refusal.reason}${refusal.message ? ` (${refusal.message})` : ''}; the snapshot lacks it`);
  }

  private recordNotInstalled(type: ResourceType, why: string): void {
    this.notInstalled.push(displayName(type));
    this.options.log.info(`${displayName(type)}: skipped, ${why}`);
  }
}

interface ServedResource {
  readonly kind?: string;
  readonly namespaced?: boolean;
  readonly verbs: readonly string[];
}

/** Reads an APIResourceList (sub-resources such as `x/status` are ignored). */
function servedResources(body: unknown): Map<string, ServedResource> {
  const served = new Map<string, ServedResource>();
  const resources = (body as JsonObject | undefined)?.resources;
  if (!Array.isArray(resources)) return served;
  for (const raw of resources as JsonObject[]) {
    if (typeof raw?.name !== 'string' || raw.name.includes('/')) continue;
    served.set(raw.name, {
      kind: typeof raw.kind === 'string' ? raw.kind : undefined,
      namespaced: typeof raw.namespaced === 'boolean' ? raw.namespaced : undefined,
      verbs: Array.isArray(raw.verbs) ? raw.verbs.filter((v): v is string => typeof v === 'string') : [],
    });
  }
  return served;
}

/** List items come without `apiVersion`/`kind` (built-in types); put them first, as kubectl prints them. */
function withTypeMeta(item: JsonObject, apiVersion: string, kind: string): JsonObject {
  const { apiVersion: itemApiVersion, kind: itemKind, ...rest } = item;
  return {
    apiVersion: typeof itemApiVersion === 'string' && itemApiVersion !== '' ? itemApiVersion : apiVersion,
    kind: typeof itemKind === 'string' && itemKind !== '' ? itemKind : kind,
    ...rest,
  };
}

function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}
