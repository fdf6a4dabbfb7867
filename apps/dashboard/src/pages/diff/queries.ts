// Documents of the diff and what-if pages: the snapshots to pick from, and the two diffs.
import { graphql } from '../../gql/index.js';

export const SNAPSHOT_CHOICES_QUERY = graphql(`
  query DashboardSnapshotChoices {
    clusters(first: 100) {
      edges { node { name snapshots(first: 30) { edges { node { id capturedAt contentSha256 } } } } }
    }
  }
`);

export const DIFF_PAIR_FRAGMENT = graphql(`
  fragment DiffPairParts on DiffPair {
    type
    from { ...NetworkPeerParts }
    to { ...NetworkPeerParts }
    oldText
    newText
    workloadsDiffInfo
    causes { change summary }
    jointCauses { change summary }
  }
`);

export const OBJECT_CHANGE_FRAGMENT = graphql(`
  fragment ObjectChangeParts on ObjectChange {
    id
    change
    summary
    object { kind namespace name }
    fields { id change path summary }
  }
`);

export const DIFF_QUERY = graphql(`
  query DashboardDiff($from: ID!, $to: ID!, $first: Int!) {
    fromSnapshot: snapshot(id: $from) { id capturedAt cluster { name } }
    toSnapshot: snapshot(id: $to) { id capturedAt cluster { name } }
    diff(from: $from, to: $to, first: $first) {
      counts { added removed changed workloadsAdded workloadsRemoved }
      changes { ...ObjectChangeParts }
      uncheckedChanges
      pairs { totalCount edges { node { ...DiffPairParts } } }
    }
  }
`);

export const WHAT_IF_QUERY = graphql(`
  query DashboardWhatIf($id: ID!, $manifests: String!, $first: Int!) {
    whatIf(snapshotId: $id, manifests: $manifests, first: $first) {
      counts { added removed changed workloadsAdded workloadsRemoved }
      changes { ...ObjectChangeParts }
      uncheckedChanges
      issues { code severity message document line path }
      deletionsNotFound { kind namespace name }
      pairs { totalCount edges { node { ...DiffPairParts } } }
    }
  }
`);
