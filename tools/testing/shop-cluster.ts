// The small "shop" cluster the diff / check / staged what-if specs build on (CLI and API alike): a `shop` namespace and
// one Deployment per workload, each `app: <name>` with one container port. Policies are the specs' own.

/** A Deployment `name` in namespace `shop`, labelled `app: <name>`, listening on `port`. */
export function shopDeployment(name: string, port: number): string {
  return `apiVersion: apps/v1
kind: Deployment
metadata: {name: ${name}, namespace: shop}
spec:
  selector: {matchLabels: {app: ${name}}}
  template: {metadata: {labels: {app: ${name}}}, spec: {containers: [{name: c, image: i, ports: [{containerPort: ${port}}]}]}}
`;
}

/** YAML documents: the `shop` Namespace, then a Deployment per [name, port] (no trailing `---`). */
export function shopCluster(workloads: readonly (readonly [string, number])[]): string {
  return ['\napiVersion: v1\nkind: Namespace\nmetadata: {name: shop}\n', ...workloads.map(([name, port]) => shopDeployment(name, port))].join('---\n');
}
