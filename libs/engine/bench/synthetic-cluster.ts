// Seeded synthetic cluster for the benchmarks (issue 3): tenant namespaces (team / env labels) holding workloads of
// tiers web / api / worker / db / cache with replicas and named ports, system namespaces (kube-system with kube-dns,
// ingress-nginx, monitoring), and per-namespace policy sets. Output is one `kubectl get ... -A -o json` List:
// Deployments → ReplicaSets → Pods and StatefulSets / DaemonSets → Pods, linked by controller ownerReferences,
// so the pods group into workloads exactly as in a real dump.
import { Random } from './random.js';
import {
  controllerObject,
  namespaceObject,
  networkPolicyObject,
  ObjectFactory,
  podObject,
  type ContainerPort,
  type Json,
  type PodTemplate,
} from './synthetic-objects.js';
import { systemPolicies, tenantPolicies, type TenantNamespace, type Tier } from './synthetic-policies.js';

export type SizeName = 'S' | 'M' | 'L';

export interface SizePreset {
  readonly pods: number;
  /** Tenant namespaces; ~9 policies each gives the policy counts. */
  readonly namespaces: number;
}

export const SIZE_PRESETS: Readonly<Record<SizeName, SizePreset>> = {
  S: { pods: 1_000, namespaces: 45 },
  M: { pods: 10_000, namespaces: 440 },
  L: { pods: 50_000, namespaces: 2_000 },
};

export interface SyntheticCluster {
  /** The `kind: List` object, ready for JSON.stringify. */
  readonly list: Json;
  readonly counts: { namespaces: number; pods: number; workloads: number; policies: number };
}

const TEAMS = ['payments', 'search', 'identity', 'catalog', 'checkout', 'growth', 'media', 'data', 'platform', 'ads', 'risk', 'support'];
const ENVS = ['prod', 'staging', 'dev'];
const APP_NAMES: Record<Tier, string[]> = {
  web: ['storefront', 'portal', 'frontend', 'console', 'admin'],
  api: ['orders', 'catalog', 'payments', 'users', 'search', 'billing', 'auth', 'inventory'],
  worker: ['mailer', 'indexer', 'reports', 'sync', 'thumbnailer'],
  db: ['postgres', 'pg'],
  cache: ['redis', 'memcached'],
};
const PODS_PER_NODE = 30;

function tierPorts(random: Random, tier: Tier, app: string): ContainerPort[] {
  switch (tier) {
    case 'web':
      // The same port name on different numbers across workloads: named ports resolve per pod.
      return [{ name: 'http', containerPort: random.chance(0.7) ? 8080 : 3000 }];
    case 'api':
      return [
        { name: 'http', containerPort: random.chance(0.8) ? 8080 : 3000 },
        { name: 'grpc', containerPort: 9090 },
        { name: 'metrics', containerPort: 9102 },
      ];
    case 'worker':
      return [{ name: 'metrics', containerPort: 9102 }, { name: 'gossip', containerPort: 7946, protocol: 'UDP' }];
    case 'db':
      return [{ name: 'postgres', containerPort: 5432 }, { name: 'patroni', containerPort: 8008 }, { name: 'metrics', containerPort: 9187 }];
    case 'cache':
      return app === 'redis'
        ? [{ name: 'redis', containerPort: 6379 }, { name: 'metrics', containerPort: 9121 }]
        : [{ name: 'memcache', containerPort: 11211 }, { name: 'metrics', containerPort: 9150 }];
  }
}

interface WorkloadPlan {
  tier: Tier;
  app: string;
  replicas: number;
}

/** Which workloads a namespace runs and how the pod budget spreads over them. */
function planWorkloads(random: Random, budget: number): WorkloadPlan[] {
  const tiers: Tier[] = ['web', 'api', 'db'];
  for (const [tier, p] of [['worker', 0.8], ['cache', 0.7], ['api', 0.5], ['worker', 0.3], ['web', 0.3], ['api', 0.2]] as const) {
    if (random.chance(p)) tiers.push(tier);
  }
  while (tiers.length > Math.max(1, budget)) tiers.pop();
  const used = new Set<string>();
  const plans = tiers.map((tier) => {
    let app = random.pick(APP_NAMES[tier]);
    while (used.has(app)) app = `${app}-${random.suffix(2)}`;
    used.add(app);
    return { tier, app, replicas: 1 };
  });
  // Spread the rest: stateful tiers stay small, stateless ones take the load.
  const growable = plans.filter((p) => p.tier !== 'db' && p.tier !== 'cache');
  for (let left = budget - plans.length; left > 0; left--) {
    let target = random.chance(0.1) ? random.pick(plans) : random.pick(growable.length > 0 ? growable : plans);
    const full = (target.tier === 'db' || target.tier === 'cache') && target.replicas >= 3;
    if (full && growable.length > 0) target = growable[0];
    target.replicas++;
  }
  return plans;
}

class ClusterBuilder {
  readonly items: { namespaces: Json[]; controllers: Json[]; pods: Json[]; policies: Json[] } = { namespaces: [], controllers: [], pods: [], policies: [] };
  workloads = 0;
  private readonly factory: ObjectFactory;

  constructor(private readonly random: Random, private readonly nodes: number) {
    this.factory = new ObjectFactory(random);
  }

  namespace(name: string, labels: Record<string, string>): void {
    this.items.namespaces.push(namespaceObject(this.factory, name, labels));
  }

  policy(namespace: string, name: string, spec: Json): void {
    this.items.policies.push(networkPolicyObject(this.factory, namespace, name, spec));
  }

  private node(): { name: string; ip: string } {
    const n = this.random.int(0, this.nodes - 1);
    return { name: `node-${String(n).padStart(4, '0')}`, ip: `10.0.${n >> 8}.${n & 255}` };
  }

  deployment(namespace: string, name: string, template: PodTemplate, replicas: number): void {
    this.workloads++;
    const dep = controllerObject(this.factory, 'Deployment', namespace, name, template, replicas);
    const hash = this.random.suffix(10);
    const rs = controllerObject(this.factory, 'ReplicaSet', namespace, `${name}-${hash}`, template, replicas, { 'pod-template-hash': hash }, dep.ref);
    this.items.controllers.push(dep.object, rs.object);
    for (let i = 0; i < replicas; i++) {
      const node = this.node();
      this.items.pods.push(podObject(this.factory, namespace, `${rs.ref.name}-${this.random.suffix(5)}`, template, { 'pod-template-hash': hash }, rs.ref, node.name, node.ip));
    }
  }

  statefulSet(namespace: string, name: string, template: PodTemplate, replicas: number): void {
    this.workloads++;
    const sts = controllerObject(this.factory, 'StatefulSet', namespace, name, template, replicas);
    this.items.controllers.push(sts.object);
    const revision = `${name}-${this.random.hex(10)}`;
    for (let i = 0; i < replicas; i++) {
      const node = this.node();
      // A label unique to each pod: no selector uses it, so it must not split identity classes.
      const extra = { 'controller-revision-hash': revision, 'statefulset.kubernetes.io/pod-name': `${name}-${i}` };
      this.items.pods.push(podObject(this.factory, namespace, `${name}-${i}`, template, extra, sts.ref, node.name, node.ip));
    }
  }

  daemonSet(namespace: string, name: string, template: PodTemplate): void {
    this.workloads++;
    const ds = controllerObject(this.factory, 'DaemonSet', namespace, name, template, this.nodes);
    this.items.controllers.push(ds.object);
    const revision = this.random.hex(10);
    for (let n = 0; n < this.nodes; n++) {
      const node = { name: `node-${String(n).padStart(4, '0')}`, ip: `10.0.${n >> 8}.${n & 255}` };
      this.items.pods.push(podObject(this.factory, namespace, `${name}-${this.random.suffix(5)}`, template, { 'controller-revision-hash': revision }, ds.ref, node.name, node.ip));
    }
  }
}

function addSystemNamespaces(b: ClusterBuilder): void {
  b.namespace('kube-system', {});
  b.namespace('ingress-nginx', { 'app.kubernetes.io/name': 'ingress-nginx' });
  b.namespace('monitoring', { purpose: 'observability' });
  b.deployment('kube-system', 'coredns', {
    labels: { 'k8s-app': 'kube-dns' },
    image: 'registry.k8s.io/coredns/coredns:v1.11.3',
    ports: [{ name: 'dns', containerPort: 53, protocol: 'UDP' }, { name: 'dns-tcp', containerPort: 53 }, { name: 'metrics', containerPort: 9153 }],
  }, 2);
  b.daemonSet('kube-system', 'kube-proxy', { labels: { 'k8s-app': 'kube-proxy' }, image: 'registry.k8s.io/kube-proxy:v1.31.0', ports: [] });
  b.deployment('ingress-nginx', 'ingress-nginx-controller', {
    labels: { 'app.kubernetes.io/name': 'ingress-nginx', 'app.kubernetes.io/component': 'controller' },
    image: 'registry.k8s.io/ingress-nginx/controller:v1.11.2',
    ports: [{ name: 'http', containerPort: 80 }, { name: 'https', containerPort: 443 }, { name: 'metrics', containerPort: 10254 }],
  }, 3);
  b.statefulSet('monitoring', 'prometheus', { labels: { 'app.kubernetes.io/name': 'prometheus' }, image: 'quay.io/prometheus/prometheus:v2.54.1', ports: [{ name: 'web', containerPort: 9090 }] }, 2);
  b.deployment('monitoring', 'grafana', { labels: { 'app.kubernetes.io/name': 'grafana' }, image: 'grafana/grafana:11.2.0', ports: [{ name: 'http', containerPort: 3000 }] }, 1);
  b.daemonSet('monitoring', 'node-exporter', { labels: { 'app.kubernetes.io/name': 'node-exporter', metrics: 'true' }, image: 'quay.io/prometheus/node-exporter:v1.8.2', ports: [{ name: 'metrics', containerPort: 9100 }] });
  for (const [namespace, name, spec] of systemPolicies()) b.policy(namespace, name, spec);
}

/** Pods in system namespaces: two replicas of coredns, three ingress controllers, prometheus ×2, grafana, and two DaemonSets. */
const systemPodCount = (nodes: number) => 2 + 3 + 2 + 1 + 2 * nodes;

export function generateSyntheticCluster(preset: SizePreset, seed: number): SyntheticCluster {
  const random = new Random(seed);
  const nodes = Math.max(1, Math.ceil(preset.pods / PODS_PER_NODE));
  const b = new ClusterBuilder(random, nodes);
  addSystemNamespaces(b);

  const tenantPods = Math.max(preset.namespaces, preset.pods - systemPodCount(nodes));
  const weights = Array.from({ length: preset.namespaces }, () => 0.6 + random.next() * 0.8);
  const total = weights.reduce((a, w) => a + w, 0);
  const budgets = weights.map((w) => Math.max(1, Math.floor((tenantPods * w) / total)));
  for (let left = tenantPods - budgets.reduce((a, n) => a + n, 0), i = 0; left > 0; left--, i++) budgets[i % budgets.length]++;

  budgets.forEach((budget, i) => {
    const team = TEAMS[i % TEAMS.length];
    const env = random.pick(ENVS);
    const name = `${team}-${env}-${String(i).padStart(4, '0')}`;
    const pci = team === 'payments' || random.chance(0.05);
    b.namespace(name, { team, env, ...(pci ? { compliance: 'pci' } : {}) });
    const plans = planWorkloads(random, budget);
    for (const plan of plans) {
      const labels: Record<string, string> = { app: plan.app, tier: plan.tier, team, version: random.pick(['v1', 'v1', 'v2']) };
      if (plan.tier !== 'web') labels.metrics = 'true';
      if (random.chance(0.03)) labels.sandbox = 'true';
      const template: PodTemplate = { labels, image: `registry.example/${team}/${plan.app}:${random.int(1, 40)}`, ports: tierPorts(random, plan.tier, plan.app) };
      const workloadName = `${plan.app}-${plan.tier}`;
      if (plan.tier === 'db') b.statefulSet(name, workloadName, template, plan.replicas);
      else b.deployment(name, workloadName, template, plan.replicas);
    }
    const ns: TenantNamespace = { name, team, env, pci, tiers: new Set(plans.map((p) => p.tier)) };
    for (const [policyName, spec] of tenantPolicies(random, ns, i)) b.policy(name, policyName, spec);
  });

  const { namespaces, controllers, pods, policies } = b.items;
  return {
    list: { apiVersion: 'v1', kind: 'List', items: [...namespaces, ...controllers, ...pods, ...policies], metadata: { resourceVersion: '' } },
    counts: { namespaces: namespaces.length, pods: pods.length, workloads: b.workloads, policies: policies.length },
  };
}
