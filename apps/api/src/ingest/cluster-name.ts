/** Cluster names are DNS-1123 labels (the migration enforces the same rule). */
export const CLUSTER_NAME = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;

export function clusterNameProblem(name: string): string | undefined {
  return CLUSTER_NAME.test(name)
    ? undefined
    : `cluster name ${JSON.stringify(name)} is not a DNS-1123 label (lowercase letters, digits and '-', 1 to 63 characters, starting and ending with a letter or digit)`;
}
