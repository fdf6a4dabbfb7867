// A small cluster and an edited copy with two UNRELATED edits, for the diff/whatIf API tests:
//  1. NetworkPolicy shop/api-ingress: its ingress rule's port 8080 becomes 8080-8090 (opens web → api 8081-8090);
//  2. Deployment shop/api gains the label role=db-client, which db-ingress admits (opens api → db 5432).
// Each changed pair must name only its own edit as its cause.

const deployment = (name: string, labels: Record<string, string>, port: number) => `apiVersion: apps/v1
kind: Deployment
metadata: {name: ${name}, namespace: shop}
spec:
  replicas: 1
  selector: {matchLabels: {app: ${name}}}
  template:
    metadata: {labels: ${JSON.stringify(labels)}}
    spec: {containers: [{name: main, image: example/${name}, ports: [{containerPort: ${port}}]}]}
`;

export const API_INGRESS_OLD = `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: api-ingress, namespace: shop}
spec:
  podSelector: {matchLabels: {app: api}}
  policyTypes: [Ingress]
  ingress:
    - from: [{podSelector: {matchLabels: {app: web}}}]
      ports: [{protocol: TCP, port: 8080}]
`;

export const API_INGRESS_NEW = `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: api-ingress, namespace: shop}
spec:
  podSelector: {matchLabels: {app: api}}
  policyTypes: [Ingress]
  ingress:
    - from: [{podSelector: {matchLabels: {app: web}}}]
      ports: [{protocol: TCP, port: 8080, endPort: 8090}]
`;

const DB_INGRESS = `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: db-ingress, namespace: shop}
spec:
  podSelector: {matchLabels: {app: db}}
  policyTypes: [Ingress]
  ingress:
    - from: [{podSelector: {matchLabels: {role: db-client}}}]
      ports: [{protocol: TCP, port: 5432}]
`;

const NAMESPACE = `apiVersion: v1
kind: Namespace
metadata: {name: shop, labels: {team: shop}}
`;

export const OLD_CLUSTER = [
  NAMESPACE,
  deployment('web', { app: 'web' }, 80),
  deployment('api', { app: 'api' }, 8080),
  deployment('db', { app: 'db' }, 5432),
  API_INGRESS_OLD,
  DB_INGRESS,
].join('---\n');

export const API_DEPLOYMENT_NEW = deployment('api', { app: 'api', role: 'db-client' }, 8080);

export const NEW_CLUSTER = [
  NAMESPACE,
  deployment('web', { app: 'web' }, 80),
  API_DEPLOYMENT_NEW,
  deployment('db', { app: 'db' }, 5432),
  API_INGRESS_NEW,
  DB_INGRESS,
].join('---\n');
