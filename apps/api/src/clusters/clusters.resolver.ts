import { Args, Mutation, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import { CNI_PROFILE_NAMES, isCniProfileName } from '@netpol-atlas/engine';
import { AuditService } from '../audit/audit.service.js';
import { Requires } from '../auth/permission.guard.js';
import { homeTenant } from '../auth/principal.js';
import { connectionFromRows } from '../graphql/connection.js';
import { decodeCursor, encodeCursor } from '../graphql/cursor.js';
import { alreadyExists, badUserInput, notFound } from '../graphql/errors.js';
import { labelKeyProblem, labelValueProblem, type LabelInput } from '../graphql/labels.js';
import { PageArgs, validateArgs } from '../graphql/page-args.js';
import { parseRfc3339 } from '../ingest/captured-at.js';
import { clusterNameProblem } from '../ingest/cluster-name.js';
import { Snapshot, SnapshotConnection } from '../snapshots/snapshot.model.js';
import { toSnapshotModel } from '../snapshots/snapshot-views.js';
import { SnapshotsService } from '../snapshots/snapshots.service.js';
import { toClusterModel } from './cluster-views.js';
import { ClustersArgs, CreateClusterInput, LabelClusterArgs, SetClusterCniArgs } from './cluster.inputs.js';
import { Cluster, ClusterConnection } from './cluster.model.js';
import { ClustersService } from './clusters.service.js';

/** Labels to set and keys to remove; BAD_USER_INPUT on invalid syntax or a key given twice. */
export function labelChanges(labels: readonly LabelInput[], argument: string, allowRemove: boolean) {
  const set: Record<string, string> = {};
  const remove: string[] = [];
  const seen = new Set<string>();
  for (const { key, value } of labels) {
    const problem = labelKeyProblem(key) ?? (value == null ? undefined : labelValueProblem(value));
    if (problem) throw badUserInput(problem, { argument, label: key });
    if (seen.has(key)) throw badUserInput(`label ${JSON.stringify(key)} is given twice`, { argument, label: key });
    seen.add(key);
    if (value != null) set[key] = value;
    else if (allowRemove) remove.push(key);
    else throw badUserInput(`label ${JSON.stringify(key)} needs a value`, { argument, label: key });
  }
  return { set, remove: remove.sort() };
}

@Resolver(() => Cluster)
export class ClustersResolver {
  constructor(
    private readonly clusterService: ClustersService,
    private readonly snapshotService: SnapshotsService,
    private readonly audit: AuditService,
  ) {}

  @Query(() => ClusterConnection, { description: 'Clusters, sorted by name; `filter` by name substring and labels.' })
  async clusters(@Args(validateArgs) args: ClustersArgs): Promise<ClusterConnection> {
    const afterName = args.after ? decodeCursor('cluster', args.after) : undefined;
    const filter = args.filter ?? {};
    const [rows, totalCount] = await Promise.all([this.clusterService.page(args.first + 1, afterName, filter), this.clusterService.count(filter)]);
    return connectionFromRows(rows.map(toClusterModel), args.first, totalCount, (c) => encodeCursor('cluster', c.name));
  }

  @Query(() => Cluster, { nullable: true, description: 'A cluster by name; NOT_FOUND when there is none.' })
  async cluster(@Args('name') name: string): Promise<Cluster> {
    const entity = await this.clusterService.findByName(name);
    if (!entity) throw notFound(`cluster ${JSON.stringify(name)} not found`);
    return toClusterModel(entity);
  }

  @Mutation(() => Cluster, { description: 'Creates a cluster (admin; in the token\'s first tenant, else `default`); ALREADY_EXISTS when the name is taken.' })
  @Requires('admin')
  async createCluster(@Args('input', validateArgs) input: CreateClusterInput): Promise<Cluster> {
    const nameProblem = clusterNameProblem(input.name);
    if (nameProblem) throw badUserInput(nameProblem, { argument: 'input.name' });
    const { set } = labelChanges(input.labels, 'input.labels', false);
    const created = await this.clusterService.create({ name: input.name, labels: set, provider: input.provider ?? null, cni: input.cni ?? null }, homeTenant());
    if (!created) throw alreadyExists(`cluster ${JSON.stringify(input.name)} already exists`);
    await this.audit.record({ action: 'cluster.create', target: created.name, details: { tenant: created.tenant, labels: set } });
    return toClusterModel(created);
  }

  @Mutation(() => Cluster, {
    description:
      "Sets the cluster's CNI (admin): the semantic profile every analysis of its snapshots uses (which policy kinds are " +
      'enforced, whether ipBlocks match pod IPs, derived labels); null: unknown, the profile the content implies.',
  })
  @Requires('admin')
  async setClusterCni(@Args(validateArgs) args: SetClusterCniArgs): Promise<Cluster> {
    const cni = args.cni ?? null;
    if (cni !== null && !isCniProfileName(cni)) throw badUserInput(`unknown CNI profile ${JSON.stringify(cni)}: one of ${CNI_PROFILE_NAMES.join(', ')}`, { argument: 'cni' });
    const updated = await this.clusterService.setCni(args.name, cni);
    if (!updated) throw notFound(`cluster ${JSON.stringify(args.name)} not found`);
    await this.audit.record({ action: 'cluster.cni', target: updated.name, details: { cni } });
    return toClusterModel(updated);
  }

  @Mutation(() => Cluster, { description: 'Sets labels (value a string) and removes them (value null), like `kubectl label` (admin).' })
  @Requires('admin')
  async labelCluster(@Args(validateArgs) args: LabelClusterArgs): Promise<Cluster> {
    const { set, remove } = labelChanges(args.labels, 'labels', true);
    const updated = await this.clusterService.relabel(args.name, set, remove);
    if (!updated) throw notFound(`cluster ${JSON.stringify(args.name)} not found`);
    await this.audit.record({ action: 'cluster.label', target: updated.name, details: { set, remove } });
    return toClusterModel(updated);
  }

  @ResolveField(() => SnapshotConnection, {
    description: 'Snapshots, newest first (capture time, then the later upload first).',
  })
  async snapshots(@Parent() cluster: Cluster, @Args(validateArgs) page: PageArgs): Promise<SnapshotConnection> {
    const afterId = page.after ? decodeCursor('snapshot', page.after) : undefined;
    if (afterId !== undefined && !this.snapshotService.isSnapshotId(afterId)) throw badUserInput(`invalid snapshot cursor`, { argument: 'after' });
    const [rows, totalCount] = await Promise.all([
      this.snapshotService.pageForCluster(cluster.id, page.first + 1, afterId),
      this.snapshotService.countForCluster(cluster.id),
    ]);
    return connectionFromRows(rows.map(toSnapshotModel), page.first, totalCount, (s) => encodeCursor('snapshot', s.id));
  }

  @ResolveField(() => Snapshot, { nullable: true, description: 'The newest snapshot (see `snapshots`), if any.' })
  async latestSnapshot(@Parent() cluster: Cluster): Promise<Snapshot | null> {
    const [latest] = await this.snapshotService.pageForCluster(cluster.id, 1);
    return latest ? toSnapshotModel(latest) : null;
  }

  @ResolveField(() => Snapshot, {
    nullable: true,
    description:
      'Time travel: the latest snapshot captured at or before `time` (RFC 3339), ties to the later upload; null when none was.',
  })
  async snapshotAt(@Parent() cluster: Cluster, @Args('time') time: string): Promise<Snapshot | null> {
    const instant = parseRfc3339(time);
    if (!instant) throw badUserInput(`time must be an RFC 3339 date-time such as 2026-11-27T10:00:00Z, got ${JSON.stringify(time)}`, { argument: 'time' });
    const found = await this.snapshotService.atForCluster(cluster.id, instant);
    return found ? toSnapshotModel(found) : null;
  }
}
