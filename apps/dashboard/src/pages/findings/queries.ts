// Documents of the Findings page.
import { graphql } from '../../gql/index.js';

export const LINT_QUERY = graphql(`
  query DashboardLint($id: ID!) {
    lint(snapshotId: $id) {
      errors
      warnings
      info
      findings { rule severity kind namespace name path message explanation fix }
    }
  }
`);
