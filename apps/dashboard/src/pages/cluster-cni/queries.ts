// Documents of the cluster page's CNI card: who may change it, and the change.
import { graphql } from '../../gql/index.js';

export const SET_CLUSTER_CNI_MUTATION = graphql(`
  mutation DashboardSetClusterCni($name: String!, $cni: String) {
    setClusterCni(name: $name, cni: $cni) { name cni cniSource }
  }
`);
