// Documents of the Findings page.
import { graphql } from '../../gql/index.js';

export const LINT_QUERY = graphql(`
  query DashboardLint($id: ID!, $first: Int!, $after: String, $severity: String, $rule: String, $namespace: String) {
    lint(snapshotId: $id) {
      errors
      warnings
      info
      rules
      namespaces
      findingsPage(first: $first, after: $after, severity: $severity, rule: $rule, namespace: $namespace) {
        totalCount
        pageInfo { hasNextPage endCursor }
        edges { node { rule severity kind namespace name path message explanation fix } }
      }
    }
  }
`);
