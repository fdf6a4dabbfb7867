import { Args, Info, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import type { ConnectivityDiff as EngineDiff, ObjectChange as EngineObjectChange } from '@netpol-atlas/engine';
import type { GraphQLResolveInfo } from 'graphql';
import { mapAnalysisErrors } from '../analysis/analysis-errors.js';
import { SnapshotLookup, type AnalysisInput } from '../analysis/snapshot-lookup.js';
import { connectionFromSortedList } from '../graphql/connection.js';
import { badUserInput } from '../graphql/errors.js';
import { validateArgs } from '../graphql/page-args.js';
import { SnapshotsService } from '../snapshots/snapshots.service.js';
import { diffPair, filterPairs, manifestIssue, objectChange, objectRefModel } from './diff-views.js';
import { DiffArgs, PolicyDiffArgs, StagedWhatIfArgs, WhatIfArgs, type DiffFilter } from './diff.args.js';
import { ConnectivityDiff, ObjectChangeType, PolicyDiff, StagedWhatIfDiff, WhatIfDiff, type DiffPairConnection, type StagedAction } from './diff.models.js';
import { Snapshot } from '../snapshots/snapshot.model.js';
import { DiffService, WhatIfRejectedError } from './diff.service.js';
import { selectsAnyField } from './selected-fields.js';
import type { CniProfileAnswer } from '../analysis/cni-profile-answer.js';

/** Fields only causation fills: without them in the query, the diff is computed without it (much cheaper). */
const CAUSATION_FIELDS: ReadonlySet<string> = new Set(['causes', 'jointCauses', 'uncheckedChanges']);

@Resolver()
export class DiffResolver {
  constructor(
    private readonly diffs: DiffService,
    private readonly lookup: SnapshotLookup,
    private readonly snapshots: SnapshotsService,
  ) {}

  @Query(() => ConnectivityDiff, {
    description:
      'Connectivity diff between two snapshots (same cluster over time, or two clusters): counts, the changed pairs ' +
      '(paged) with the object changes that caused each. NOT_FOUND for an unknown snapshot.',
  })
  async diff(@Args(validateArgs) args: DiffArgs, @Info() info: GraphQLResolveInfo): Promise<ConnectivityDiff> {
    const [from, to] = [await this.contentOf(args.from, 'from'), await this.contentOf(args.to, 'to')];
    return mapAnalysisErrors(async () => {
      const profiles = sideProfiles(await this.diffs.cniProfile(from), await this.diffs.cniProfile(to));
      if (selectsAnyField(info, CAUSATION_FIELDS)) {
        const explained = await this.diffs.explainedDiff(from, to);
        return { ...this.diffModel(explained.diff, explained.changes, explained.unchecked, args), ...profiles };
      }
      const [plain, changes] = await Promise.all([
        this.diffs.plainDiff(from, to),
        selectsAnyField(info, new Set(['changes'])) ? this.diffs.objectChanges(from, to) : [],
      ]);
      return { ...this.diffModel(plain, changes, [], args), ...profiles };
    });
  }

  @Query(() => WhatIfDiff, {
    description:
      'What a proposed change would do to a snapshot: the manifests replace or add objects, `delete` removes some; the ' +
      'diff is computed in memory (nothing is stored). Manifests with errors are refused: BAD_USER_INPUT with `issues`.',
  })
  async whatIf(@Args(validateArgs) args: WhatIfArgs): Promise<WhatIfDiff> {
    const base = await this.contentOf(args.snapshotId, 'snapshotId');
    const deletions = (args.delete ?? []).map((ref) => ({ kind: ref.kind, apiGroup: ref.apiGroup ?? undefined, namespace: ref.namespace ?? undefined, name: ref.name }));
    try {
      const result = await mapAnalysisErrors(() => this.diffs.whatIf(base, args.manifests, deletions));
      const profile = await this.diffs.cniProfile(base);
      return {
        ...this.diffModel(result.diff, result.changes, result.unchecked, args),
        ...sideProfiles(profile, profile),
        issues: result.issues.map(manifestIssue),
        deletionsNotFound: result.notFound.map(objectRefModel),
      };
    } catch (error) {
      if (error instanceof WhatIfRejectedError) {
        throw badUserInput(error.message, { argument: 'manifests', issues: error.result.issues.map(manifestIssue) });
      }
      throw error;
    }
  }

  @Query(() => PolicyDiff, { description: 'Policies added, removed or modified between two snapshots, rule by rule.' })
  async policyDiff(@Args(validateArgs) args: PolicyDiffArgs): Promise<PolicyDiff> {
    const [from, to] = [await this.contentOf(args.from, 'from'), await this.contentOf(args.to, 'to')];
    const changes = await mapAnalysisErrors(() => this.diffs.policyDiff(from, to));
    const of = (type: string) => changes.filter((change) => change.change === type).map(objectChange);
    return { added: of(ObjectChangeType.ADDED), removed: of(ObjectChangeType.REMOVED), modified: of(ObjectChangeType.MODIFIED) };
  }

  /** BAD_USER_INPUT (naming the argument) when not a UUID, NOT_FOUND when absent. */
  private async contentOf(id: string, argument: string): Promise<AnalysisInput> {
    if (!this.snapshots.isSnapshotId(id)) throw badUserInput(`snapshot id must be a UUID, got ${JSON.stringify(id)}`, { argument });
    return this.lookup.analysisInput(id);
  }

  private diffModel(
    result: EngineDiff,
    changes: readonly EngineObjectChange[],
    unchecked: readonly string[],
    page: { first: number; after?: string | null; filter?: DiffFilter | null },
  ): Omit<ConnectivityDiff, 'fromCniProfile' | 'toCniProfile'> {
    const connection = connectionFromSortedList(filterPairs(result.pairs, page.filter ?? {}), page, 'diffPair', (item) => item.key);
    const pairs = { ...connection, edges: connection.edges.map((edge) => ({ cursor: edge.cursor, node: diffPair(edge.node.pair, result.showsIcmp) })) };
    return {
      counts: { ...result.counts },
      pairs: pairs as DiffPairConnection,
      changes: changes.map(objectChange),
      uncheckedChanges: [...unchecked],
    };
  }
}

/** `Snapshot.stagedWhatIf`: the snapshot's Calico staged policies as if enforced, diffed with causes. */
@Resolver(() => Snapshot)
export class StagedWhatIfResolver {
  constructor(
    private readonly diffs: DiffService,
    private readonly lookup: SnapshotLookup,
  ) {}

  @ResolveField(() => StagedWhatIfDiff, {
    description:
      'What would change if this snapshot\'s Calico staged policies were enforced (stagedAction Set creates or replaces ' +
      'the live policy of the same name, Delete removes it): the connectivity diff from the live snapshot, with causes.',
  })
  async stagedWhatIf(@Parent() snapshot: Snapshot, @Args(validateArgs) args: StagedWhatIfArgs): Promise<StagedWhatIfDiff> {
    // The cluster's CNI options, as `diff` and `whatIf` use them.
    const input = await this.lookup.analysisInput(snapshot.id);
    const result = await mapAnalysisErrors(() => this.diffs.stagedWhatIf(input));
    const profile = await this.diffs.cniProfile(input);
    const connection = connectionFromSortedList(filterPairs(result.diff.pairs, args.filter ?? {}), args, 'diffPair', (item) => item.key);
    return {
      counts: { ...result.diff.counts },
      pairs: { ...connection, edges: connection.edges.map((edge) => ({ cursor: edge.cursor, node: diffPair(edge.node.pair, result.diff.showsIcmp) })) } as DiffPairConnection,
      changes: result.changes.map(objectChange),
      uncheckedChanges: [...result.unchecked],
      ...sideProfiles(profile, profile),
      staged: result.staged.map((s) => ({ action: s.action as StagedAction, staged: objectRefModel(s.staged), target: objectRefModel(s.target), targetExists: s.targetExists })),
      issues: result.issues.map(manifestIssue),
      caveats: result.caveats.map((c) => ({ ...c })),
    };
  }
}

/** Each side's profile and note, as `ConnectivityDiff` names them. */
function sideProfiles(from: CniProfileAnswer, to: CniProfileAnswer): Pick<ConnectivityDiff, 'fromCniProfile' | 'toCniProfile' | 'fromCniProfileNote' | 'toCniProfileNote'> {
  return {
    fromCniProfile: from.cniProfile,
    toCniProfile: to.cniProfile,
    ...(from.cniProfileNote === undefined ? {} : { fromCniProfileNote: from.cniProfileNote }),
    ...(to.cniProfileNote === undefined ? {} : { toCniProfileNote: to.cniProfileNote }),
  };
}
