// Snapshot object lists (read from the normalised tables, keyset-paged) and the policy ⇄ workload selection
// (from the engine's model of the content).
import { Args, Float, Int, Parent, ResolveField, Resolver } from '@nestjs/graphql';
import { registeredKind, registeredKinds, type EngineOptions } from '@netpol-atlas/engine';
import { stringify as stringifyYaml } from 'yaml';
import { mapAnalysisErrors } from '../../analysis/analysis-errors.js';
import { clusterEngineOptions } from '../../analysis/snapshot-lookup.js';
import { AnalysisService } from '../../analysis/analysis.service.js';
import { connectionFromSortedList, type ConnectionShape } from '../../graphql/connection.js';
import { badUserInput } from '../../graphql/errors.js';
import { labelPairs } from '../../graphql/labels.js';
import { PageArgs, validateArgs } from '../../graphql/page-args.js';
import { SnapshotModelService, policyKeyText, workloadKeyText } from '../model/snapshot-model.service.js';
import { Snapshot } from '../snapshot.model.js';
import { decodeKeyCursor, encodeKeyCursor, keyText } from './object-cursors.js';
import {
  LabelledPageArgs,
  Namespace,
  NamespaceConnection,
  ObjectPageArgs,
  Pod,
  PodConnection,
  PodPageArgs,
  Policy,
  PolicyConnection,
  PolicyPageArgs,
  PolicyRule,
  Workload,
  WorkloadConnection,
} from './snapshot-objects.models.js';
import type { NamespaceRow, PodRow, PolicyRow, WorkloadRow } from './snapshot-objects.js';
import { SnapshotObjectsRepository, storedKey, type Page } from './snapshot-objects.repository.js';
import { CNI_PROFILE_NOTE_DESCRIPTION } from '../../analysis/cni-profile-answer.js';

export const toNamespaceModel = (row: NamespaceRow): Namespace => ({ name: row.name, labels: labelPairs(row.labels), declared: row.declared });

export const toWorkloadModel = (contentSha256: string, options: EngineOptions, row: WorkloadRow): Workload => ({
  contentSha256,
  options,
  namespace: row.namespace,
  kind: row.kind,
  name: row.name,
  replicas: row.replicas,
  pods: row.pods,
  labels: labelPairs(row.labels),
});

export const toPodModel = (row: PodRow): Pod => ({
  namespace: row.namespace,
  name: row.name,
  synthetic: row.synthetic,
  workload: { namespace: row.namespace, kind: row.workloadKind, name: row.workloadName },
  labels: labelPairs(row.labels),
  ips: row.ips,
});

export const toPolicyModel = (contentSha256: string, options: EngineOptions, row: PolicyRow): Policy => ({
  contentSha256,
  options,
  namespace: row.namespace,
  kind: row.kind,
  apiVersion: row.apiVersion,
  name: row.name,
  policyTypes: row.policyTypes,
  labels: labelPairs(row.labels),
  analysed: row.analysed,
  dialect: registeredKind(row.apiVersion, row.kind)?.dialect.id ?? 'unknown',
});

/** A connection from one keyset page (`rows` holds up to first+1 rows). */
function connectionFromPage<R, T>(page: Page<R>, first: number, kind: string, keyOf: (row: R) => string[], toModel: (row: R) => T): ConnectionShape<T> {
  const rows = page.rows.slice(0, first);
  const edges = rows.map((row) => ({ cursor: encodeKeyCursor(kind, keyOf(row)), node: toModel(row) }));
  return { edges, pageInfo: { hasNextPage: page.rows.length > first, endCursor: edges.at(-1)?.cursor ?? null }, totalCount: page.totalCount };
}

/** Pages a sorted key list in memory, then loads the rows of that page. */
async function connectionFromKeys<T>(
  keys: readonly (readonly string[])[],
  page: PageArgs,
  kind: string,
  load: (keys: readonly (readonly string[])[]) => Promise<T[]>,
  keyOf: (node: T) => readonly string[],
): Promise<ConnectionShape<T>> {
  const keysPage = connectionFromSortedList(keys, page, kind, keyText);
  const nodes = new Map((await load(keysPage.edges.map((edge) => edge.node))).map((node) => [keyText(keyOf(node)), node]));
  return {
    ...keysPage,
    edges: keysPage.edges.map((edge) => {
      const node = nodes.get(keyText(edge.node));
      if (!node) throw new Error(`selected ${kind} ${keyText(edge.node)} has no stored row`);
      return { cursor: edge.cursor, node };
    }),
  };
}

@Resolver(() => Snapshot)
export class SnapshotObjectsResolver {
  constructor(
    private readonly objects: SnapshotObjectsRepository,
    private readonly analyses: AnalysisService,
  ) {}

  @ResolveField(() => String, {
    description:
      "The CNI profile its analyses run under now: its cluster's CNI, else the one its content implies (`cilium` when it holds Cilium policies, else `np-guard`). SNAPSHOT_NOT_ANALYSABLE when the engine cannot analyse it.",
  })
  async cniProfile(@Parent() snapshot: Snapshot): Promise<string> {
    return mapAnalysisErrors(() => this.analyses.cniProfile(snapshot.contentSha256, clusterEngineOptions(snapshot.cluster.cni)));
  }

  @ResolveField(() => String, { nullable: true, description: CNI_PROFILE_NOTE_DESCRIPTION })
  async cniProfileNote(@Parent() snapshot: Snapshot): Promise<string | null> {
    const answer = await mapAnalysisErrors(() => this.analyses.cniProfileAnswer(snapshot.contentSha256, clusterEngineOptions(snapshot.cluster.cni)));
    return answer.cniProfileNote ?? null;
  }

  @ResolveField(() => NamespaceConnection, { description: 'Namespaces, sorted by name.' })
  async namespaces(@Parent() snapshot: Snapshot, @Args(validateArgs) page: LabelledPageArgs): Promise<NamespaceConnection> {
    const after = decodeKeyCursor('namespace', page.after, 1);
    const rows = await this.objects.namespaces(snapshot.contentSha256, { labels: page.labels }, page.first + 1, after);
    return connectionFromPage(rows, page.first, 'namespace', storedKey.namespace, toNamespaceModel);
  }

  @ResolveField(() => WorkloadConnection, { description: 'Workloads (top-level controllers), sorted by namespace, kind, name.' })
  async workloads(@Parent() snapshot: Snapshot, @Args(validateArgs) page: ObjectPageArgs): Promise<WorkloadConnection> {
    const after = decodeKeyCursor('workload', page.after, 3);
    const rows = await this.objects.workloads(snapshot.contentSha256, page, page.first + 1, after);
    return connectionFromPage(rows, page.first, 'workload', storedKey.workload, (row) => toWorkloadModel(snapshot.contentSha256, clusterEngineOptions(snapshot.cluster.cni), row));
  }

  @ResolveField(() => PodConnection, { description: 'Pods, sorted by namespace, name (a Pod object before a synthetic replica).' })
  async pods(@Parent() snapshot: Snapshot, @Args(validateArgs) page: PodPageArgs): Promise<PodConnection> {
    if (page.workload && page.namespace == null) throw badUserInput('`workload` needs `namespace`', { argument: 'workload' });
    const after = decodeKeyCursor('pod', page.after, 3);
    if (after && !['false', 'true'].includes(after[2])) throw badUserInput('invalid cursor for pod', { argument: 'after' });
    const rows = await this.objects.pods(snapshot.contentSha256, page, page.first + 1, after);
    return connectionFromPage(rows, page.first, 'pod', storedKey.pod, toPodModel);
  }

  @ResolveField(() => PolicyConnection, { description: 'Policies, sorted by namespace (cluster-scoped first), kind, name, apiVersion.' })
  async policies(@Parent() snapshot: Snapshot, @Args(validateArgs) page: PolicyPageArgs): Promise<PolicyConnection> {
    const after = decodeKeyCursor('policy', page.after, 4);
    let groupKinds: string[] | undefined;
    if (page.dialect != null) {
      // The registry decides which kinds a dialect owns, so a dialect registered later is filterable as it is.
      const kinds = registeredKinds().filter((k) => k.role === 'policy' && k.dialect.id === page.dialect);
      if (kinds.length === 0) {
        const known = [...new Set(registeredKinds().map((k) => k.dialect.id))].sort();
        throw badUserInput(`unknown dialect "${page.dialect}": expected one of ${known.join(', ')}`, { argument: 'dialect' });
      }
      groupKinds = kinds.map((k) => `${k.group}/${k.kind}`);
    }
    const rows = await this.objects.policies(snapshot.contentSha256, page, page.first + 1, after, groupKinds);
    return connectionFromPage(rows, page.first, 'policy', storedKey.policy, (row) => toPolicyModel(snapshot.contentSha256, clusterEngineOptions(snapshot.cluster.cni), row));
  }
}

@Resolver(() => Workload)
export class WorkloadResolver {
  constructor(
    private readonly objects: SnapshotObjectsRepository,
    private readonly models: SnapshotModelService,
  ) {}

  @ResolveField(() => PolicyConnection, {
    nullable: true,
    description:
      'The analysed policies that select at least one of its pods, sorted by namespace, kind, name (from the engine model; null with SNAPSHOT_NOT_ANALYSABLE when it cannot be built).',
  })
  async policies(@Parent() workload: Workload, @Args(validateArgs) page: PageArgs): Promise<PolicyConnection> {
    const { policiesOfWorkload } = await mapAnalysisErrors(() => this.models.selections(workload.contentSha256, workload.options));
    const keys = policiesOfWorkload.get(workloadKeyText([workload.namespace, workload.kind, workload.name])) ?? [];
    return connectionFromKeys(
      keys,
      page,
      'selecting-policy',
      async (page) => (await this.objects.policiesByKeys(workload.contentSha256, page)).map((row) => toPolicyModel(workload.contentSha256, workload.options, row)),
      (policy) => storedKey.policy(policy),
    );
  }
}

@Resolver(() => Policy)
export class PolicyResolver {
  constructor(
    private readonly objects: SnapshotObjectsRepository,
    private readonly models: SnapshotModelService,
  ) {}

  @ResolveField(() => WorkloadConnection, {
    nullable: true,
    description:
      'Workloads with at least one pod this policy selects, sorted by namespace, kind, name; empty when it is not `analysed` (null with SNAPSHOT_NOT_ANALYSABLE when the engine model cannot be built).',
  })
  async workloads(@Parent() policy: Policy, @Args(validateArgs) page: PageArgs): Promise<WorkloadConnection> {
    const keys = policy.analysed
      ? ((await mapAnalysisErrors(() => this.models.selections(policy.contentSha256, policy.options))).workloadsOfPolicy.get(policyKeyText(storedKey.policy(policy))) ?? [])
      : [];
    return connectionFromKeys(
      keys,
      page,
      'selected-workload',
      async (page) => (await this.objects.workloadsByKeys(policy.contentSha256, page)).map((row) => toWorkloadModel(policy.contentSha256, policy.options, row)),
      (workload) => storedKey.workload(workload),
    );
  }

  @ResolveField(() => String, {
    nullable: true,
    description:
      'The policy as stored (the projected object) in YAML, for reading its rules by path (`spec.ingress[0]`); null when it is not `analysed` (null with SNAPSHOT_NOT_ANALYSABLE when the engine model cannot be built).',
  })
  async manifest(@Parent() policy: Policy): Promise<string | null> {
    if (!policy.analysed) return null;
    const model = await mapAnalysisErrors(() => this.models.policyModel(policy.contentSha256, policy.options, policy));
    return model === null ? null : stringifyYaml(model.object, { lineWidth: 0 });
  }

  @ResolveField(() => String, {
    nullable: true,
    description:
      'The tier the engine decides it in: `admin` (AdminNetworkPolicy, ClusterNetworkPolicy tier Admin; before NetworkPolicy), `namespaced` (NetworkPolicy), `baseline` (BaselineAdminNetworkPolicy, tier Baseline; after it), or a dialect\'s own; null when it is not `analysed`.',
  })
  async tier(@Parent() policy: Policy): Promise<string | null> {
    if (!policy.analysed) return null;
    return (await mapAnalysisErrors(() => this.models.policyModel(policy.contentSha256, policy.options, policy)))?.tier ?? null;
  }

  @ResolveField(() => Int, {
    nullable: true,
    description: 'Its `spec.priority` within its tier (lower first); null where the kind has none (NetworkPolicy, BaselineAdminNetworkPolicy) or it is not `analysed`.',
  })
  async priority(@Parent() policy: Policy): Promise<number | null> {
    if (!policy.analysed) return null;
    const model = await mapAnalysisErrors(() => this.models.policyModel(policy.contentSha256, policy.options, policy));
    const spec = model?.object.spec as Readonly<Record<string, unknown>> | undefined;
    return model && typeof spec?.priority === 'number' ? model.priority : null;
  }

  @ResolveField(() => Float, {
    nullable: true,
    description: 'Its `spec.order` (Calico: lower first within its tier; unset: after every ordered policy); null where the kind has none or it is not `analysed`.',
  })
  async order(@Parent() policy: Policy): Promise<number | null> {
    if (!policy.analysed) return null;
    const model = await mapAnalysisErrors(() => this.models.policyModel(policy.contentSha256, policy.options, policy));
    const spec = model?.object.spec as Readonly<Record<string, unknown>> | undefined;
    return typeof spec?.order === 'number' ? spec.order : null;
  }

  @ResolveField(() => String, {
    nullable: true,
    description: 'The pods it applies to, in words, as the engine compiled its selectors (e.g. `pods app=web in namespace shop`); null when it is not `analysed`.',
  })
  async subject(@Parent() policy: Policy): Promise<string | null> {
    if (!policy.analysed) return null;
    return (await mapAnalysisErrors(() => this.models.policyModel(policy.contentSha256, policy.options, policy)))?.subject ?? null;
  }

  @ResolveField(() => [PolicyRule], {
    nullable: true,
    description: 'Its rules as the engine compiled them, ingress then egress, each in written order: action, peers, ports; null when it is not `analysed`.',
  })
  async rules(@Parent() policy: Policy): Promise<PolicyRule[] | null> {
    if (!policy.analysed) return null;
    const model = await mapAnalysisErrors(() => this.models.policyModel(policy.contentSha256, policy.options, policy));
    return model ? model.rules.map((rule) => ({ ...rule })) : null;
  }
}
