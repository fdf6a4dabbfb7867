// Documents of the snapshot explorer's workload and policy pages.
import { graphql } from '../../gql/index.js';

export const WORKLOAD_PAGE_QUERY = graphql(`
  query DashboardWorkloadPage($id: ID!, $namespace: String!, $search: String!, $kind: String!, $name: String!, $workload: String!) {
    snapshot(id: $id) {
      id
      workloads(namespace: $namespace, search: $search, first: 20) {
        edges {
          node {
            namespace
            kind
            name
            replicas
            pods
            labels { key value }
            policies(first: 100) { totalCount edges { node { namespace kind apiVersion name policyTypes } } }
          }
        }
      }
      pods(namespace: $namespace, workload: { kind: $kind, name: $name }, first: 100) {
        totalCount
        edges { node { name ips synthetic } }
      }
    }
    exposure(snapshotId: $id, workload: $workload) {
      internetExposed { workload { namespace kind name } publicRanges portsText }
      clusterWideExposed { workload { namespace kind name } portsText exceptHostNetwork }
      unprotected { workload { namespace kind name } ingress egress }
      selectorExposed { workload { namespace kind name } direction peer namespaces pods portsText }
    }
  }
`);

/** The workload's reach both ways, asked apart from the page: a snapshot whose listing is past the server's bound
 *  answers LISTING_TOO_LARGE here, and the rest of the page still shows. */
export const WORKLOAD_REACH_QUERY = graphql(`
  query DashboardWorkloadReach($id: ID!, $workload: String!) {
    connectivity(snapshotId: $id, filter: { workload: $workload }, first: 100, mergeIpRanges: true) {
      totalCount
      edges { node { from { ...NetworkPeerParts } to { ...NetworkPeerParts } portsText } }
    }
  }
`);

export const POLICY_PAGE_QUERY = graphql(`
  query DashboardPolicyPage($id: ID!, $namespace: String!, $search: String!) {
    snapshot(id: $id) {
      id
      policies(namespace: $namespace, search: $search, first: 20) {
        edges {
          node {
            namespace
            kind
            apiVersion
            dialect
            name
            policyTypes
            analysed
            tier
            priority
            order
            subject
            rules { direction path name action peers ports notes }
            labels { key value }
            manifest
            workloads(first: 100) { totalCount edges { node { namespace kind name pods } } }
          }
        }
      }
    }
  }
`);

// Separate from the page's query: the YAML shows at once while the analysis explains the rules.
export const POLICY_RULE_CONNECTIONS_QUERY = graphql(`
  query DashboardPolicyRuleConnections($id: ID!, $namespace: String!, $search: String!) {
    snapshot(id: $id) {
      id
      policies(namespace: $namespace, search: $search, first: 20) {
        edges { node { namespace kind apiVersion name ruleConnections { rule direction action subject peer ports deniedByOtherSide } } }
      }
    }
  }
`);
