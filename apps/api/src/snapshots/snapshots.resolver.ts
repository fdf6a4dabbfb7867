import { Args, ArgsType, Field, ID, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import { IsOptional, IsString } from 'class-validator';
import { connectionFromSortedList } from '../graphql/connection.js';
import { badUserInput, notFound } from '../graphql/errors.js';
import { PageArgs, validateArgs } from '../graphql/page-args.js';
import { NamespaceConnection, PolicyConnection, WorkloadConnection } from './inventory/inventory.models.js';
import { namespaceKey, policyKey, workloadKey } from './inventory/snapshot-inventory.js';
import { SnapshotInventoryService } from './inventory/snapshot-inventory.service.js';
import { Snapshot } from './snapshot.model.js';
import { toSnapshotModel } from './snapshot-views.js';
import { SnapshotsService } from './snapshots.service.js';

@ArgsType()
class NamespacedPageArgs extends PageArgs {
  @Field(() => String, { nullable: true, description: 'Only items of this namespace.' })
  @IsOptional()
  @IsString()
  namespace?: string | null;
}

@Resolver(() => Snapshot)
export class SnapshotsResolver {
  constructor(
    private readonly snapshots: SnapshotsService,
    private readonly inventories: SnapshotInventoryService,
  ) {}

  @Query(() => Snapshot, { nullable: true, description: 'A snapshot by id; NOT_FOUND when there is none.' })
  async snapshot(@Args('id', { type: () => ID }) id: string): Promise<Snapshot> {
    if (!this.snapshots.isSnapshotId(id)) throw badUserInput(`snapshot id must be a UUID, got ${JSON.stringify(id)}`, { argument: 'id' });
    const entity = await this.snapshots.findById(id);
    if (!entity) throw notFound(`snapshot ${id} not found`);
    return toSnapshotModel(entity);
  }

  @ResolveField(() => NamespaceConnection, { description: 'Namespaces, sorted by name.' })
  async namespaces(@Parent() snapshot: Snapshot, @Args(validateArgs) page: PageArgs): Promise<NamespaceConnection> {
    const { namespaces } = await this.inventories.inventory(snapshot.contentSha256);
    return connectionFromSortedList(namespaces, page, 'namespace', namespaceKey);
  }

  @ResolveField(() => WorkloadConnection, { description: 'Workloads, sorted by namespace, kind, name.' })
  async workloads(@Parent() snapshot: Snapshot, @Args(validateArgs) page: NamespacedPageArgs): Promise<WorkloadConnection> {
    const { workloads } = await this.inventories.inventory(snapshot.contentSha256);
    const selected = page.namespace == null ? workloads : workloads.filter((w) => w.namespace === page.namespace);
    return connectionFromSortedList(selected, page, 'workload', workloadKey);
  }

  @ResolveField(() => PolicyConnection, { description: 'Policies, sorted by namespace, kind, name.' })
  async policies(@Parent() snapshot: Snapshot, @Args(validateArgs) page: NamespacedPageArgs): Promise<PolicyConnection> {
    const { policies } = await this.inventories.inventory(snapshot.contentSha256);
    const selected = page.namespace == null ? policies : policies.filter((p) => p.namespace === page.namespace);
    return connectionFromSortedList(selected, page, 'policy', policyKey);
  }
}
