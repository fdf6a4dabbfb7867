// GraphQL output types of `diff`, `whatIf`, `Snapshot.stagedWhatIf` and `policyDiff`: the engine's connectivity diff
// (issue 5) with causes.
import { Field, Int, ObjectType, registerEnumType } from '@nestjs/graphql';
import { NetworkPeer, PortRange } from '../analysis/analysis.models.js';
import { Connection } from '../graphql/connection.js';
import { ManifestIssue } from '../ingest/ingest.models.js';
import { Caveat } from '../reachability/reachability.models.js';
import { CNI_PROFILE_NOTE_DESCRIPTION } from '../analysis/cni-profile-answer.js';

export enum DiffPairType {
  CHANGED = 'changed',
  ADDED = 'added',
  REMOVED = 'removed',
}
registerEnumType(DiffPairType, {
  name: 'DiffPairType',
  description: '`ADDED`: no connection before, some now; `REMOVED`: the reverse; `CHANGED`: some before and now, different ports.',
});

export enum ObjectChangeType {
  ADDED = 'added',
  REMOVED = 'removed',
  MODIFIED = 'modified',
}
registerEnumType(ObjectChangeType, { name: 'ObjectChangeType' });

@ObjectType({ description: 'What the diff counts over all pairs (whatever the filter).' })
export class DiffCounts {
  @Field(() => Int)
  changed: number;

  @Field(() => Int)
  added: number;

  @Field(() => Int)
  removed: number;

  @Field(() => Int, { description: 'Workloads only in the new snapshot.' })
  workloadsAdded: number;

  @Field(() => Int, { description: 'Workloads only in the old snapshot.' })
  workloadsRemoved: number;
}

@ObjectType({ description: 'A reference to one object change (`ObjectChange.id` or `ObjectFieldChange.id`) with its summary.' })
export class DiffCause {
  @Field({ description: 'The id of an object change, or of a field change of a modified object.' })
  change: string;

  @Field()
  summary: string;
}

@ObjectType({ description: 'A peer pair whose allowed connections differ between the two snapshots.' })
export class DiffPair {
  @Field(() => DiffPairType)
  type: DiffPairType;

  @Field(() => NetworkPeer)
  from: NetworkPeer;

  @Field(() => NetworkPeer)
  to: NetworkPeer;

  @Field({ description: 'np-guard name of `from`, e.g. `default/frontend[Deployment]` or `0.0.0.0-9.255.255.255[External]`.' })
  source: string;

  @Field({ description: 'np-guard name of `to`.' })
  destination: string;

  @Field(() => [PortRange], { description: 'Allowed in the old snapshot.' })
  old: PortRange[];

  @Field({ description: 'The same as np-guard text, e.g. `TCP 8080` or `No Connections`.' })
  oldText: string;

  @Field(() => [PortRange], { description: 'Allowed in the new snapshot.' })
  new: PortRange[];

  @Field()
  newText: string;

  @Field(() => [PortRange], { description: 'Allowed now, not before.' })
  gained: PortRange[];

  @Field(() => [PortRange], { description: 'Allowed before, not now.' })
  lost: PortRange[];

  @Field(() => String, { nullable: true, description: 'np-guard `workloads-diff-info`, e.g. `workload default/x[Deployment] added`.' })
  workloadsDiffInfo: string | null;

  @Field(() => [DiffCause], {
    description: 'Object changes whose revert alone (everything else kept) alters this pair; empty when none does.',
  })
  causes: DiffCause[];

  @Field(() => [DiffCause], {
    description: 'When no single change explains the pair: a minimal set whose joint revert alters it (else empty).',
  })
  jointCauses: DiffCause[];
}

@ObjectType()
export class DiffPairConnection extends Connection(DiffPair, 'DiffPair') {}

@ObjectType({ description: 'A Kubernetes object named by API group and kind, namespace ("" when cluster-scoped) and name.' })
export class ObjectRef {
  @Field()
  kind: string;

  @Field({ description: 'The API group that identifies the kind with it ("" for the core group), e.g. `networking.k8s.io` or `projectcalico.org`.' })
  apiGroup: string;

  @Field()
  namespace: string;

  @Field()
  name: string;
}

@ObjectType({ description: 'One analysis-relevant field of a modified object, e.g. `spec.ingress[1].ports`.' })
export class ObjectFieldChange {
  @Field({ description: 'Unique within the diff; what `DiffCause.change` names.' })
  id: string;

  @Field({ description: '0-based path in the new object (in the old one for a removed rule).' })
  path: string;

  @Field(() => ObjectChangeType)
  change: ObjectChangeType;

  @Field(() => String, { nullable: true, description: 'The old value as JSON (canonical, RFC 8785); null when added.' })
  before: string | null;

  @Field(() => String, { nullable: true, description: 'The new value as JSON; null when removed.' })
  after: string | null;

  @Field()
  summary: string;
}

@ObjectType({ description: 'An object added, removed or modified (analysis-relevant fields only) between the two sides.' })
export class ObjectChange {
  @Field({ description: 'Unique within the diff, e.g. `NetworkPolicy/default/allow-web`.' })
  id: string;

  @Field(() => ObjectRef)
  object: ObjectRef;

  @Field(() => ObjectChangeType)
  change: ObjectChangeType;

  @Field(() => [ObjectFieldChange], { description: 'For MODIFIED: the fields that differ (rule by rule for policies).' })
  fields: ObjectFieldChange[];

  @Field()
  summary: string;
}

@ObjectType({ description: 'The connectivity diff of two snapshots, with the object changes that caused each pair.' })
export class ConnectivityDiff {
  @Field(() => DiffCounts)
  counts: DiffCounts;

  @Field(() => DiffPairConnection, { description: 'Changed pairs matching the filter: changed, then added, then removed (np-guard order).' })
  pairs: DiffPairConnection;

  @Field(() => [ObjectChange], { description: 'Every analysis-relevant object change between the two sides, sorted by id.' })
  changes: ObjectChange[];

  @Field(() => [String], { description: 'Change ids not tried as causes (the engine re-analyses at most 64 changes per diff).' })
  uncheckedChanges: string[];

  @Field(() => String, { description: "The CNI profile the `from` side was analysed under (its cluster's CNI, else the one its content implies)." })
  fromCniProfile: string;

  @Field(() => String, { description: 'The CNI profile the `to` side was analysed under (for what-if: the base snapshot\'s).' })
  toCniProfile: string;

  @Field(() => String, { nullable: true, description: `\`cniProfileNote\` of the \`from\` side. ${CNI_PROFILE_NOTE_DESCRIPTION}` })
  fromCniProfileNote?: string;

  @Field(() => String, { nullable: true, description: `\`cniProfileNote\` of the \`to\` side (for what-if: the base snapshot's). ${CNI_PROFILE_NOTE_DESCRIPTION}` })
  toCniProfileNote?: string;
}

@ObjectType({ description: 'The diff a proposed change would make to a snapshot (computed in memory; nothing stored).' })
export class WhatIfDiff extends ConnectivityDiff {
  @Field(() => [ManifestIssue], {
    description: 'Warnings on the proposed manifests, located as in an upload (`file` is `manifests`); errors are refused with BAD_USER_INPUT.',
  })
  issues: ManifestIssue[];

  @Field(() => [ObjectRef], { description: 'Deletions that matched no object of the snapshot.' })
  deletionsNotFound: ObjectRef[];
}

@ObjectType({ description: 'NetworkPolicy (and admin policy) changes between two snapshots, rule by rule.' })
export class PolicyDiff {
  @Field(() => [ObjectChange])
  added: ObjectChange[];

  @Field(() => [ObjectChange])
  removed: ObjectChange[];

  @Field(() => [ObjectChange], { description: 'Each with the rules (or rule parts) that differ in `fields`.' })
  modified: ObjectChange[];
}

export enum StagedAction {
  SET = 'Set',
  DELETE = 'Delete',
}
registerEnumType(StagedAction, { name: 'StagedAction', description: '`SET`: creates or replaces the live policy of the same name; `DELETE`: removes it.' });

@ObjectType({ description: 'One Calico staged policy and what enforcing it would do to the live policy it stages.' })
export class StagedPolicyChange {
  @Field(() => StagedAction)
  action: StagedAction;

  @Field(() => ObjectRef, { description: 'The staged policy (StagedNetworkPolicy, StagedGlobalNetworkPolicy, StagedKubernetesNetworkPolicy).' })
  staged: ObjectRef;

  @Field(() => ObjectRef, { description: 'The live policy it sets or deletes (a StagedKubernetesNetworkPolicy stages a networking.k8s.io NetworkPolicy).' })
  target: ObjectRef;

  @Field({ description: 'Whether the snapshot has the target (SET: replaced rather than created; DELETE: false means nothing to delete).' })
  targetExists: boolean;
}

@ObjectType({ description: 'What would change if the snapshot\'s staged policies were enforced: the live snapshot diffed against the same with them promoted.' })
export class StagedWhatIfDiff extends ConnectivityDiff {
  @Field(() => [StagedPolicyChange], { description: 'Every staged policy of the snapshot, sorted.' })
  staged: StagedPolicyChange[];

  @Field(() => [ManifestIssue], {
    description: 'Staged policies left out: an unsupported stagedAction, or a promoted policy its live kind refuses (`file` names the staged policy).',
  })
  issues: ManifestIssue[];

  @Field(() => [Caveat], { description: 'What the diff cannot be certain of on either side (e.g. Calico rules the whole-snapshot analysis does not apply yet).' })
  caveats: Caveat[];
}
