// The lint rules, one table. Each rule reads the model (and, where the model keeps nothing, the parsed objects)
// and the computed reachability: findings are decided by what can actually reach what, not by presence.
import { ConnectionSet, type Protocol } from '../algebra/connection-set.js';
import { familyMax, ipBlockSet, IpSet, parseCidr } from '../algebra/ip-set.js';
import { namedPortMap } from '../algebra/rule-ports.js';
import { Selector, type LabelSelectorSpec } from '../algebra/selector.js';
import type { KubeObject } from '../manifest/types.js';
import type { Analysis, IpBlockPeerModel, PodPeerModel, PolicyModel, RuleModel, Workload } from '../compliance/engine-api.js';
import {
  compareText,
  isEgressIsolated,
  isIngressIsolated,
  located,
  objectsOfKind,
  peerMatchesAnyWorkload,
  peerWorkloads,
  selectedWorkloads,
  selectsAnyWorkload,
  workloadsMatching,
  workloadToAnyIp,
  workloadToWorkload,
} from './query.js';
import type { LintContext, LintFinding, LintRule, LintSeverity } from './types.js';

const DNS_PORT = 53;
const PRIVATE_V4 = ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16'];
const PRIVATE_V6 = ['fc00::/7'];
/** Well-known UDP services a port written without protocol (TCP by default) probably meant. */
const UDP_SERVICES = new Map<number, string>([
  [53, 'DNS'],
  [67, 'DHCP'],
  [69, 'TFTP'],
  [123, 'NTP'],
  [161, 'SNMP'],
  [514, 'syslog'],
  [1812, 'RADIUS'],
  [4789, 'VXLAN'],
  [5353, 'mDNS'],
  [8125, 'StatsD'],
]);
/** CNIs that do not enforce NetworkPolicy on their own (flannel without Canal/Calico, kubenet). */
export const NON_ENFORCING_CNI = /(^|[-_])(flannel|kubenet)([-_]|$)/;
export const ENFORCING_CNI = /(calico|canal|cilium|weave|antrea|kube-router|romana|aws-network-policy|azure-npm)/;

function policyFinding(
  rule: string,
  severity: LintSeverity,
  policy: PolicyModel,
  path: string,
  message: string,
  explanation: string,
  fix: string,
): LintFinding {
  return {
    rule,
    severity,
    object: { kind: 'NetworkPolicy', namespace: policy.namespace, name: policy.name },
    ...located(policy.source, path),
    message,
    explanation,
    fix,
  };
}

function workloadFinding(rule: string, severity: LintSeverity, w: Workload, message: string, explanation: string, fix: string): LintFinding {
  return {
    rule,
    severity,
    object: { kind: w.topLevel.kind || w.kind, namespace: w.namespace, name: w.topLevel.name || w.name },
    ...located(w.source, ''),
    message,
    explanation,
    fix,
  };
}

function* rulesOf(policy: PolicyModel): Generator<RuleModel> {
  yield* policy.ingress.rules;
  yield* policy.egress.rules;
}

function podPeers(rule: RuleModel): { peer: PodPeerModel; index: number }[] {
  return (rule.peers ?? []).flatMap((peer, index) => (peer.kind === 'pods' ? [{ peer, index }] : []));
}

/** The written peer list of a rule (`from` or `to`), from the parsed policy. */
function writtenPeers(policy: PolicyModel, rule: RuleModel): Record<string, unknown>[] {
  const spec = policy.object.spec as Record<string, unknown> | undefined;
  const list = spec?.[rule.direction] as Record<string, unknown>[] | undefined;
  const written = list?.[rule.index]?.[rule.direction === 'ingress' ? 'from' : 'to'];
  return Array.isArray(written) ? (written as Record<string, unknown>[]) : [];
}

function writtenPorts(policy: PolicyModel, rule: RuleModel): Record<string, unknown>[] {
  const spec = policy.object.spec as Record<string, unknown> | undefined;
  const list = spec?.[rule.direction] as Record<string, unknown>[] | undefined;
  const ports = list?.[rule.index]?.ports;
  return Array.isArray(ports) ? (ports as Record<string, unknown>[]) : [];
}

function peerField(rule: RuleModel): 'from' | 'to' {
  return rule.direction === 'ingress' ? 'from' : 'to';
}

function isDnsWorkload(w: Workload, services: readonly KubeObject[]): boolean {
  if (w.namespace !== 'kube-system') return false;
  const app = w.labels['k8s-app'];
  if (app === 'kube-dns' || app === 'coredns') return true;
  return services.some((s) => {
    const selector = (s.spec as { selector?: Record<string, string> } | undefined)?.selector;
    return s.metadata.namespace === 'kube-system' && s.metadata.name === 'kube-dns' && selector && Selector.compile({ matchLabels: selector }).matches(w.labels);
  });
}

function missingText(missing: readonly Protocol[]): string {
  return missing.map((p) => `${p} 53`).join(' and ');
}

const dnsUnreachable: LintRule = {
  id: 'dns-unreachable',
  severity: 'error',
  title: 'Egress-isolated pods cannot reach DNS',
  description:
    'A workload whose egress is isolated must reach the cluster DNS (kube-dns / CoreDNS, found by labels or by the kube-dns Service) on UDP 53 and TCP 53; otherwise every name lookup fails (TCP carries truncated and large answers).',
  *check({ snapshot, analysis, objects }) {
    const services = objectsOfKind(objects, 'Service').map((o) => o.object);
    const dns = snapshot.workloads.filter((w) => isDnsWorkload(w, services));
    for (const w of snapshot.workloads) {
      if (!isEgressIsolated(analysis, w) || dns.includes(w)) continue;
      let reach = ConnectionSet.NONE;
      if (dns.length > 0) for (const d of dns) reach = reach.union(workloadToWorkload(analysis, w, d));
      else {
        // No DNS pods in the snapshot: DNS may live outside it; only flag a workload that cannot send to port 53 anywhere.
        reach = workloadToAnyIp(analysis, w);
        for (const d of snapshot.workloads) reach = reach.union(workloadToWorkload(analysis, w, d));
      }
      const missing = (['UDP', 'TCP'] as const).filter((p) => !reach.contains(p, DNS_PORT));
      if (missing.length === 0) continue;
      const target = dns.length > 0 ? dns.map((d) => d.displayName).join(', ') : 'any DNS server';
      yield workloadFinding(
        'dns-unreachable',
        'error',
        w,
        `${w.displayName} is egress-isolated and cannot reach ${target} on ${missingText(missing)}`,
        'Name resolution fails (or fails intermittently, for answers that fall back to TCP): the classic outage after a default-deny egress policy.',
        'Add an egress rule to namespaceSelector kubernetes.io/metadata.name=kube-system with podSelector k8s-app=kube-dns, ports UDP 53 and TCP 53.',
      );
    }
  },
};

const policySelectsNothing: LintRule = {
  id: 'policy-selects-nothing',
  severity: 'warning',
  title: 'Policy selects no pod',
  description: 'The policy\'s podSelector matches no workload of its namespace in the snapshot: it has no effect.',
  *check({ snapshot }) {
    for (const policy of snapshot.policies) {
      // A NetworkPolicy's podSelector; other dialects select by their own subjects.
      if (policy.dialect !== 'networking-v1') continue;
      if (selectsAnyWorkload(snapshot, policy)) continue;
      yield policyFinding(
        'policy-selects-nothing',
        'warning',
        policy,
        'spec.podSelector',
        `${policy.fullName} selects no pod (podSelector ${policy.podSelector.toString()})`,
        'A policy that selects nothing protects nothing; often a label typo or a policy left behind.',
        'Fix the podSelector labels, or delete the policy.',
      );
    }
  },
};

const peerSelectsNothing: LintRule = {
  id: 'peer-selects-nothing',
  severity: 'warning',
  title: 'Rule peer selects nothing',
  description: 'A namespaceSelector/podSelector peer of a rule matches no workload in the snapshot.',
  *check({ snapshot }) {
    for (const policy of snapshot.policies) {
      if (!selectsAnyWorkload(snapshot, policy)) continue; // reported by policy-selects-nothing
      for (const rule of rulesOf(policy)) {
        for (const { peer, index } of podPeers(rule)) {
          if (peerMatchesAnyWorkload(snapshot, policy, peer)) continue;
          yield policyFinding(
            'peer-selects-nothing',
            'warning',
            policy,
            `${rule.path}.${peerField(rule)}[${index}]`,
            `${rule.path}.${peerField(rule)}[${index}] of ${policy.fullName} matches no pod in the snapshot`,
            'The rule allows nothing today: a label typo or a namespace without the expected labels.',
            'Check the selector labels against the pods and namespaces they are meant for.',
          );
        }
      }
    }
  },
};

function defaultDenyRule(direction: 'ingress' | 'egress'): LintRule {
  const id = `namespace-without-default-deny-${direction}`;
  return {
    id,
    severity: 'warning',
    title: `Namespace without default-deny ${direction}`,
    description: `A namespace with workloads and no policy that selects every pod (podSelector {}) for ${direction} with no ${direction} rule: pods not named by a policy stay open.`,
    *check({ snapshot, objects }) {
      const withWorkloads = [...new Set(snapshot.workloads.map((w) => w.namespace))].sort(compareText);
      const declared = new Map(objectsOfKind(objects, 'Namespace').map((o) => [o.object.metadata.name, o.source]));
      // One pass over the policies, not one per namespace.
      const denied = new Set(
        snapshot.policies.filter((p) => p.podSelector.isEverything && p[direction].affects && p[direction].rules.length === 0).map((p) => p.namespace),
      );
      for (const namespace of withWorkloads) {
        if (denied.has(namespace)) continue;
        yield {
          rule: id,
          severity: 'warning',
          object: { kind: 'Namespace', namespace: '', name: namespace },
          ...located(declared.get(namespace), ''),
          message: `namespace ${namespace} has no default-deny ${direction} policy`,
          explanation: `New pods in ${namespace} are open for ${direction} until some policy names them.`,
          fix: `Add a NetworkPolicy with podSelector {} and policyTypes [${direction === 'ingress' ? 'Ingress' : 'Egress'}] and no rules, then allow what is needed.`,
        } satisfies LintFinding;
      }
    },
  };
}

const splitPeerSelectors: LintRule = {
  id: 'split-peer-selectors',
  severity: 'warning',
  title: 'namespaceSelector and podSelector in separate peers',
  description:
    'One from/to list holds a peer with only a namespaceSelector next to a peer with only a podSelector: two OR-ed peers (every pod of those namespaces, or those pods of the own namespace), usually meant as one AND-ed peer.',
  *check({ snapshot }) {
    for (const policy of snapshot.policies) {
      for (const rule of rulesOf(policy)) {
        const written = writtenPeers(policy, rule);
        const nsOnly = written.findIndex((p) => p.namespaceSelector !== undefined && p.podSelector === undefined && p.ipBlock === undefined);
        const podOnly = written.findIndex((p) => p.podSelector !== undefined && p.namespaceSelector === undefined && p.ipBlock === undefined);
        if (nsOnly < 0 || podOnly < 0 || Math.abs(nsOnly - podOnly) !== 1) continue;
        const first = Math.min(nsOnly, podOnly);
        yield policyFinding(
          'split-peer-selectors',
          'warning',
          policy,
          `${rule.path}.${peerField(rule)}[${first}]`,
          `${rule.path}.${peerField(rule)}[${nsOnly}] (namespaceSelector) and [${podOnly}] (podSelector) are two peers, OR-ed`,
          'As written the rule admits every pod of the selected namespaces, and separately the selected pods of the policy\'s own namespace.',
          'If both conditions must hold, put namespaceSelector and podSelector in one list item (no "-" before podSelector).',
        );
      }
    }
  },
};

const ipBlockAnyAddress: LintRule = {
  id: 'ipblock-any-address',
  severity: 'warning',
  title: 'ipBlock 0.0.0.0/0 or ::/0 without excluding private ranges',
  description: 'An ipBlock of every address that does not except the private ranges (10/8, 172.16/12, 192.168/16; fc00::/7) also admits node and internal network addresses.',
  *check({ snapshot }) {
    for (const policy of snapshot.policies) {
      for (const rule of rulesOf(policy)) {
        for (const [index, peer] of (rule.peers ?? []).entries()) {
          if (peer.kind !== 'ipBlock') continue;
          const parsed = parseCidr(peer.cidr);
          if (!parsed || parsed.first !== 0n || parsed.last !== familyMax(parsed.family)) continue;
          const privates = parsed.family === 4 ? PRIVATE_V4 : PRIVATE_V6;
          const remaining = privateLeft(peer, privates);
          if (remaining.length === 0) continue;
          yield policyFinding(
              'ipblock-any-address',
              'warning',
              policy,
              `${peer.path}.cidr`,
              `${rule.path}.${peerField(rule)}[${index}] admits ${peer.cidr} without excepting ${remaining.join(', ')}`,
              'Meant as "the internet", it also matches private addresses: nodes, the cloud metadata network, other internal services.',
              `Add except: [${privates.join(', ')}] (and any other internal range).`,
          );
        }
      }
    }
  },
};

function privateLeft(peer: IpBlockPeerModel, privates: readonly string[]): string[] {
  return privates.filter((cidr) => {
    const range = ipBlockSet(cidr);
    if (!range) return false;
    // Still admitted when some address of the private range is in the block (range minus what is outside the block).
    return range.family === peer.set.family && !range.subtract(range.subtract(peer.set)).isEmpty;
  });
}

/** A rule's pods and IPs, as sets the redundancy check compares. */
function ruleReach(context: LintContext, policy: PolicyModel, rule: RuleModel): { all: boolean; workloads: Set<number>; ips: IpSet[] } {
  if (rule.peers === null) return { all: true, workloads: new Set(), ips: [] };
  const workloads = new Set<number>();
  let v4 = IpSet.empty(4);
  let v6 = IpSet.empty(6);
  for (const peer of rule.peers) {
    if (peer.kind === 'pods') for (const w of peerWorkloads(context.snapshot, policy, peer)) workloads.add(w.id);
    // A dialect matcher (Calico) is not compared for redundancy: it reaches nothing here.
    else if (peer.kind === 'matcher') continue;
    else if (peer.set.family === 4) v4 = v4.union(peer.set);
    else v6 = v6.union(peer.set);
  }
  return { all: false, workloads, ips: [v4, v6] };
}

function portsCovered(inner: RuleModel, outer: RuleModel): boolean {
  if (outer.ports === null) return true;
  if (inner.ports === null) return false;
  const o = outer.allowed;
  const i = inner.allowed;
  if (!i.numeric.isSubsetOf(o.numeric)) return false;
  return i.named.every((n) => o.named.some((m) => m.name === n.name && m.protocol === n.protocol));
}

const redundantRule: LintRule = {
  id: 'redundant-rule',
  severity: 'info',
  title: 'Rule fully shadowed by another allow',
  description: 'Every peer and port a rule allows is already allowed by another rule of the same policy and direction (for the pods of the snapshot).',
  *check(context) {
    for (const policy of context.snapshot.policies) {
      // Shadowing by union is NetworkPolicy's semantics; first-match dialects (AdminNetworkPolicy, Calico) differ.
      if (policy.dialect !== 'networking-v1') continue;
      for (const direction of ['ingress', 'egress'] as const) {
        const rules = policy[direction].rules;
        const reach = rules.map((r) => ruleReach(context, policy, r));
        for (let i = 0; i < rules.length; i++) {
          for (let j = 0; j < rules.length; j++) {
            if (i === j || !portsCovered(rules[i], rules[j])) continue;
            const a = reach[i];
            const b = reach[j];
            const covered =
              b.all || (!a.all && [...a.workloads].every((id) => b.workloads.has(id)) && a.ips.every((set, k) => set.subtract(b.ips[k]).isEmpty));
            // Two identical rules: report only the later one.
            const same = covered && portsCovered(rules[j], rules[i]) && (a.all || (!b.all && [...b.workloads].every((id) => a.workloads.has(id)) && b.ips.every((set, k) => set.subtract(a.ips[k]).isEmpty)));
            if (!covered || (same && j > i)) continue;
            yield policyFinding(
              'redundant-rule',
              'info',
              policy,
              rules[i].path,
              `${rules[i].path} of ${policy.fullName} allows nothing that ${rules[j].path} does not already allow`,
              'A redundant rule hides the real intent and survives edits to the rule that shadows it.',
              `Remove ${rules[i].path}, or narrow ${rules[j].path} if it is broader than meant.`,
            );
            break;
          }
        }
      }
    }
  },
};

const namedPortUndefined: LintRule = {
  id: 'named-port-undefined',
  severity: 'warning',
  title: 'Named port no destination pod defines',
  description: 'A rule names a port (e.g. `http`) that no container of the destination pods declares with that protocol: the port allows nothing.',
  *check({ snapshot }) {
    for (const policy of snapshot.policies) {
      const selected = selectedWorkloads(snapshot, policy);
      if (selected.length === 0) continue;
      for (const rule of rulesOf(policy)) {
        if (rule.ports === null) continue;
        // Ingress: the destination is the selected pods; egress: the peers' pods.
        let destinations: readonly Workload[];
        if (rule.direction === 'ingress') destinations = selected;
        else if (rule.peers === null) destinations = snapshot.workloads;
        else destinations = rulePeerWorkloads(snapshot, policy, rule);
        if (rule.direction === 'egress' && destinations.length === 0) continue;
        for (const [index, port] of rule.ports.entries()) {
          if (typeof port.port !== 'string') continue;
          const name = port.port;
          const defined = destinations.some((w) => portMapOf(w).get(name)?.protocol === port.protocol);
          if (defined) continue;
          yield policyFinding(
              'named-port-undefined',
              'warning',
              policy,
              `${rule.path}.ports[${index}].port`,
              `named port ${port.protocol}/${name} in ${rule.path} of ${policy.fullName} is defined by no destination pod`,
              'A named port resolves on the destination pod; with no container port of that name and protocol the rule allows nothing there.',
              `Name the container port ${name} (protocol ${port.protocol}) on the destination pods, or use the port number.`,
          );
        }
      }
    }
  },
};

const portProtocolMismatch: LintRule = {
  id: 'port-without-protocol-udp',
  severity: 'warning',
  title: 'Port without protocol where the workload serves UDP',
  description: 'A rule port with no protocol means TCP; when the destination serves that port over UDP (53 DNS, 123 NTP…) the UDP traffic stays blocked.',
  *check({ snapshot }) {
    for (const policy of snapshot.policies) {
      const selected = selectedWorkloads(snapshot, policy);
      for (const rule of rulesOf(policy)) {
        const written = writtenPorts(policy, rule);
        // The rule's destinations, found once for all its ports (and only when a port lacks its protocol).
        let ruleDestinations: readonly Workload[] | undefined;
        const destinationsOf = (): readonly Workload[] => {
          if (rule.direction === 'ingress') return selected;
          if (rule.peers === null) return [];
          return rulePeerWorkloads(snapshot, policy, rule);
        };
        for (const [index, port] of written.entries()) {
          if (port.protocol !== undefined || typeof port.port !== 'number') continue;
          const number = port.port;
          const destinations = (ruleDestinations ??= destinationsOf());
          const servesUdp = destinations.some((w) => w.ports.some((p) => p.port === number && p.protocol === 'UDP'));
          if (!servesUdp && !(destinations.length === 0 && UDP_SERVICES.has(number))) continue;
          const service = UDP_SERVICES.get(number);
          yield policyFinding(
              'port-without-protocol-udp',
              'warning',
              policy,
              `${rule.path}.ports[${index}]`,
              `${rule.path}.ports[${index}] allows port ${number} without protocol (TCP only)${service ? `, but ${service} uses UDP` : ''}${servesUdp ? '; the destination serves it over UDP' : ''}`,
              'protocol defaults to TCP: the UDP traffic on this port stays blocked.',
              `Add a second entry with protocol: UDP, port: ${number} (or set the protocol explicitly).`,
          );
        }
      }
    }
  },
};

const cniNotEnforcing: LintRule = {
  id: 'cni-not-enforcing',
  severity: 'error',
  title: 'CNI does not enforce NetworkPolicy',
  description: 'A flannel or kubenet network plugin runs in kube-system with no policy engine beside it (Calico/Canal, Cilium, Antrea…): every NetworkPolicy is silently ignored.',
  *check({ snapshot, objects }) {
    const daemonsets = objectsOfKind(objects, 'DaemonSet').filter((o) => o.object.metadata.namespace === 'kube-system');
    const names = (o: KubeObject) => [o.metadata.name, ...Object.values(o.metadata.labels ?? {})].map((s) => s.toLowerCase());
    if (daemonsets.some((d) => names(d.object).some((n) => ENFORCING_CNI.test(n)))) return;
    for (const d of daemonsets) {
      if (!names(d.object).some((n) => NON_ENFORCING_CNI.test(n))) continue;
      yield {
        rule: 'cni-not-enforcing',
        severity: 'error',
        object: { kind: 'DaemonSet', namespace: 'kube-system', name: d.object.metadata.name },
        ...located(d.source, ''),
        message: `kube-system/${d.object.metadata.name} is a network plugin that does not enforce NetworkPolicy; the ${snapshot.policies.length} policies of the snapshot are ignored`,
        explanation: 'Kubernetes accepts NetworkPolicy objects whatever the CNI; only a policy-enforcing plugin applies them. Every isolation this report computes is not in force.',
        fix: 'Install a policy engine (Canal = flannel + Calico policy, or Calico / Cilium), or move to a CNI that enforces NetworkPolicy.',
      };
    }
  },
};

const hostNetworkSelected: LintRule = {
  id: 'host-network-selected',
  severity: 'warning',
  title: 'hostNetwork pods that a policy seems meant to protect',
  description: 'A policy selects pods that use the host network; most CNIs do not apply NetworkPolicy to them (they share the node\'s address).',
  *check({ snapshot }) {
    for (const policy of snapshot.policies) {
      const hosts = selectedWorkloads(snapshot, policy).filter((w) => w.hostNetwork);
      for (const w of hosts) {
        yield policyFinding(
          'host-network-selected',
          'warning',
          policy,
          'spec.podSelector',
          `${policy.fullName} selects ${w.displayName}, which uses hostNetwork`,
          'Traffic of hostNetwork pods is the node\'s traffic: the policy most likely does not protect it.',
          'Protect the workload with host firewall rules (or the CNI\'s host policies), or drop hostNetwork.',
        );
      }
    }
  },
};

const apiServerUnreachable: LintRule = {
  id: 'api-server-unreachable',
  severity: 'info',
  title: 'Egress-isolated pods with a service-account token cannot reach the API server',
  description: 'A workload that mounts a service-account token (the default) and whose egress allows no TCP 443 / 6443 to any IP cannot call the Kubernetes API (controllers, operators, sidecars).',
  *check({ snapshot, analysis, objects }) {
    const noToken = new Set<string>();
    for (const { object } of objects) {
      const spec = podSpecOf(object);
      if (spec?.automountServiceAccountToken === false) noToken.add(`${object.metadata.namespace ?? ''}/${object.metadata.name}`);
    }
    for (const w of snapshot.workloads) {
      if (!isEgressIsolated(analysis, w) || noToken.has(`${w.namespace}/${w.topLevel.name || w.name}`)) continue;
      const reach = workloadToAnyIp(analysis, w);
      if (reach.contains('TCP', 443) || reach.contains('TCP', 6443)) continue;
      yield workloadFinding(
        'api-server-unreachable',
        'info',
        w,
        `${w.displayName} mounts a service-account token but its egress allows no TCP 443/6443 to the API server`,
        'If the workload talks to the Kubernetes API, every call times out; if it does not, the token is an unneeded credential.',
        'Allow egress to the API server endpoints (ipBlock of the control plane, TCP 443/6443), or set automountServiceAccountToken: false.',
      );
    }
  },
};

function podSpecOf(object: KubeObject): Record<string, unknown> | undefined {
  const spec = object.spec as Record<string, unknown> | undefined;
  if (!spec) return undefined;
  if (object.kind === 'Pod') return spec;
  if (object.kind === 'CronJob') {
    const job = (spec.jobTemplate as { spec?: Record<string, unknown> } | undefined)?.spec;
    return (job?.template as { spec?: Record<string, unknown> } | undefined)?.spec;
  }
  return (spec.template as { spec?: Record<string, unknown> } | undefined)?.spec;
}

const policyTypesIgnoreRules: LintRule = {
  id: 'rules-ignored-by-policy-types',
  severity: 'error',
  title: 'Rules ignored because policyTypes omits their direction',
  description: 'policyTypes lists only one direction while the policy has rules for the other: those rules are never applied.',
  *check({ snapshot }) {
    for (const policy of snapshot.policies) {
      const spec = policy.object.spec as { policyTypes?: string[]; ingress?: unknown[]; egress?: unknown[] } | undefined;
      if (!Array.isArray(spec?.policyTypes)) continue;
      for (const [direction, type] of [
        ['ingress', 'Ingress'],
        ['egress', 'Egress'],
      ] as const) {
        const written = spec[direction];
        if (!Array.isArray(written) || written.length === 0 || spec.policyTypes.includes(type)) continue;
        yield policyFinding(
          'rules-ignored-by-policy-types',
          'error',
          policy,
          `spec.${direction}`,
          `${policy.fullName} has ${written.length} ${direction} rule(s) but policyTypes ${JSON.stringify(spec.policyTypes)} leaves out ${type}: they are ignored`,
          'Kubernetes applies only the directions listed in policyTypes; the rules look enforced but are not.',
          `Add ${type} to policyTypes, or delete spec.${direction}.`,
        );
      }
    }
  },
};

const allowFromAnywhere: LintRule = {
  id: 'ingress-from-anywhere',
  severity: 'warning',
  title: 'Ingress rule with no source restriction',
  description: 'An ingress rule without `from` (or with an empty peer, or a namespaceSelector {} with no podSelector plus any IP) admits every pod of every namespace and every external address.',
  *check({ snapshot }) {
    for (const policy of snapshot.policies) {
      if (!selectsAnyWorkload(snapshot, policy)) continue;
      for (const rule of policy.ingress.rules) {
        if (rule.peers !== null) continue;
        yield policyFinding(
          'ingress-from-anywhere',
          'warning',
          policy,
          rule.path,
          `${rule.path} of ${policy.fullName} admits every source (every pod and every IP)${rule.ports === null ? ' on every port' : ''}`,
          'A rule with no `from` opens the selected pods to the whole cluster and, through load balancers or node ports, the internet.',
          'List the sources (namespaceSelector / podSelector / ipBlock) that need access.',
        );
      }
    }
  },
};

const deadAllowRule: LintRule = {
  id: 'dead-allow-rule',
  severity: 'warning',
  title: 'Allow rule the other side never admits',
  description:
    'A rule allows traffic between the pods it selects and its peers, but the other side\'s isolation blocks all of it: the rule is dead (e.g. an egress allow to pods whose ingress nothing allows).',
  *check({ snapshot, analysis }) {
    for (const policy of snapshot.policies) {
      const selected = selectedWorkloads(snapshot, policy);
      if (selected.length === 0) continue;
      for (const rule of rulesOf(policy)) {
        if (rule.peers === null) continue;
        if (rule.peers.some((p) => p.kind === 'ipBlock')) continue;
        const peers = rulePeerWorkloads(snapshot, policy, rule);
        if (peers.length === 0) continue;
        const [sources, destinations] = rule.direction === 'egress' ? [selected, peers] : [peers, selected];
        if (ruleIsLive(analysis, rule, sources, destinations)) continue;
        const other = rule.direction === 'egress' ? 'ingress of the destination' : 'egress of the source';
        yield policyFinding(
          'dead-allow-rule',
          'warning',
          policy,
          rule.path,
          `${rule.path} of ${policy.fullName} allows traffic that the ${other} always denies (${peers.map((p) => p.displayName).join(', ')})`,
          'Both sides must allow a connection. This rule is never the reason anything connects: usually a missing rule on the other side, an outage waiting for the day someone relies on it.',
          `Add the matching ${rule.direction === 'egress' ? 'ingress' : 'egress'} rule on the other side, or remove this one.`,
        );
      }
    }
  },
};

/** The workloads a rule's pod peers match, each once, in the order the peers find them (one peer: its kept list). */
function rulePeerWorkloads(snapshot: LintContext['snapshot'], policy: PolicyModel, rule: RuleModel): readonly Workload[] {
  const peers = podPeers(rule);
  if (peers.length === 1) return peerWorkloads(snapshot, policy, peers[0].peer);
  return [...new Set(peers.flatMap(({ peer }) => peerWorkloads(snapshot, policy, peer)))];
}

/**
 * Whether some source may send some destination a connection the rule allows (a workload to itself only with two
 * replicas), pairs in the order the rule's workloads come, stopping at the first. What a pair may send depends only
 * on the two classes, what the rule allows only on the destination's container ports: a (source class, destination
 * class and ports) combination already found dead is not checked again (a dead rule used to check every pair).
 */
function ruleIsLive(analysis: Analysis, rule: RuleModel, sources: readonly Workload[], destinations: readonly Workload[]): boolean {
  const signatures = portSignatures(analysis);
  // Source classes, each with its one workload (null: several, so never only a workload to itself).
  const sourceClasses = new Map<number, Workload | null>();
  for (const w of sources) {
    const cls = analysis.workloadClass[w.id];
    sourceClasses.set(cls, sourceClasses.has(cls) ? null : w);
  }
  // Destination (class, port signature) combinations, each with its one workload (null: several).
  const combinations = new Map<number, { cls: number; first: Workload; only: Workload | null; allowed?: ConnectionSet }>();
  for (const w of destinations) {
    const cls = analysis.workloadClass[w.id];
    // Classes and port signatures both below 2^26: one number per combination.
    const key = cls * 67_108_864 + signatures.of(w);
    const seen = combinations.get(key);
    if (seen) seen.only = null;
    else combinations.set(key, { cls, first: w, only: w });
  }
  for (const [srcClass, onlySource] of sourceClasses) {
    for (const combination of combinations.values()) {
      // The one pair a workload to itself with one replica: no connection to check.
      if (onlySource !== null && onlySource === combination.only && onlySource.replicas < 2) continue;
      combination.allowed ??= rule.allowed.resolve(portMapOf(combination.first));
      if (!analysis.classToClass(srcClass, combination.cls).intersect(combination.allowed).isEmpty) return true;
    }
  }
  return false;
}

const signaturesByAnalysis = new WeakMap<Analysis, { of(w: Workload): number }>();

/** A number per distinct container port list (name, protocol, port, in order), per analysis. */
function portSignatures(analysis: Analysis): { of(w: Workload): number } {
  let signatures = signaturesByAnalysis.get(analysis);
  if (!signatures) {
    const ids = new Map<string, number>();
    const byWorkload = new Map<number, number>();
    signatures = {
      of(w) {
        let id = byWorkload.get(w.id);
        if (id === undefined) {
          const text = JSON.stringify(w.ports.map((p) => [p.name ?? '', p.protocol, p.port]));
          id = ids.get(text);
          if (id === undefined) ids.set(text, (id = ids.size));
          byWorkload.set(w.id, id);
        }
        return id;
      },
    };
    signaturesByAnalysis.set(analysis, signatures);
  }
  return signatures;
}

const portMaps = new WeakMap<Workload, ReturnType<typeof namedPortMap>>();

/** A workload's named ports (first of each name), built once. */
function portMapOf(w: Workload): ReturnType<typeof namedPortMap> {
  let map = portMaps.get(w);
  if (!map) portMaps.set(w, (map = namedPortMap(w.ports)));
  return map;
}

const unprotectedWorkload: LintRule = {
  id: 'unprotected-workload',
  severity: 'info',
  title: 'Workload isolated in neither direction',
  description: 'No policy selects the workload for ingress nor for egress: it accepts and sends anything.',
  *check({ snapshot, analysis }) {
    for (const w of snapshot.workloads) {
      if (isIngressIsolated(analysis, w) || isEgressIsolated(analysis, w)) continue;
      yield workloadFinding(
        'unprotected-workload',
        'info',
        w,
        `${w.displayName} is not selected by any NetworkPolicy`,
        'Without a policy the workload is reachable from every pod and may reach anything.',
        `Add a default-deny policy to namespace ${w.namespace} and allow the flows the workload needs.`,
      );
    }
  },
};

/** AdminNetworkPolicy subject namespaces (namespaces or pods.namespaceSelector), as a selector. */
function anpSubjectNamespaces(spec: Record<string, unknown>): Selector | null {
  const subject = spec.subject as { namespaces?: LabelSelectorSpec; pods?: { namespaceSelector?: LabelSelectorSpec } } | undefined;
  if (subject?.namespaces) return Selector.compile(subject.namespaces);
  if (subject?.pods?.namespaceSelector) return Selector.compile(subject.pods.namespaceSelector);
  return null;
}

const tierContradiction: LintRule = {
  id: 'tier-contradiction',
  severity: 'warning',
  title: 'Contradictory intent across policy tiers',
  description:
    'An AdminNetworkPolicy rule (evaluated before NetworkPolicies) denies traffic that a NetworkPolicy of the subject namespace explicitly allows, or allows traffic into a namespace whose NetworkPolicies deny everything: one of the two intents is dead.',
  *check({ snapshot, objects }) {
    for (const { object, source } of objectsOfKind(objects, 'AdminNetworkPolicy')) {
      const spec = (object.spec ?? {}) as Record<string, unknown>;
      const subjects = anpSubjectNamespaces(spec);
      if (!subjects) continue;
      const namespaces = [...snapshot.namespaces.values()].filter((n) => subjects.matches(n.labels)).map((n) => n.name);
      const ingress = Array.isArray(spec.ingress) ? (spec.ingress as Record<string, unknown>[]) : [];
      const namespacePeers = (rule: Record<string, unknown>) =>
        (Array.isArray(rule.from) ? rule.from : [])
          .map((f: { namespaces?: LabelSelectorSpec }) => (f.namespaces ? Selector.compile(f.namespaces) : null))
          .filter((s): s is Selector => s !== null);
      for (const [index, rule] of ingress.entries()) {
        const action = rule.action;
        const fromNamespaces = namespacePeers(rule);
        // First match wins within the policy: sources an earlier rule matches (Pass, Allow) never reach this one.
        const earlier = ingress.slice(0, index).flatMap(namespacePeers);
        for (const policy of snapshot.policies) {
          if (!namespaces.includes(policy.namespace) || !policy.ingress.affects) continue;
          let conflict: string | undefined;
          if (action === 'Deny') {
            const allowing = policy.ingress.rules.find((r) =>
              podPeers(r).some(({ peer }) =>
                workloadsMatching(snapshot, peer.namespaceSelector, peer.podSelector, policy.namespace).some((w) => {
                  const ns = snapshot.namespaces.get(w.namespace);
                  return ns && fromNamespaces.some((s) => s.matches(ns.labels)) && !earlier.some((s) => s.matches(ns.labels));
                }),
              ),
            );
            if (allowing) conflict = `${policy.fullName} ${allowing.path} allows sources that AdminNetworkPolicy ${object.metadata.name} ingress[${index}] denies first`;
          } else if (action === 'Allow' && policy.podSelector.isEverything && policy.ingress.rules.length === 0) {
            conflict = `${policy.fullName} denies all ingress, but AdminNetworkPolicy ${object.metadata.name} ingress[${index}] allows some of it first`;
          }
          if (!conflict) continue;
          yield {
            rule: 'tier-contradiction',
            severity: 'warning',
            object: { kind: 'AdminNetworkPolicy', namespace: '', name: object.metadata.name },
            ...located(source, `spec.ingress[${index}]`),
            message: conflict,
            explanation: 'The admin tier wins: the namespace owners\' NetworkPolicy says the opposite and will mislead whoever reads it.',
            fix: 'Align the two: narrow the AdminNetworkPolicy rule (or use action Pass), or change the NetworkPolicy to state the real behaviour.',
          };
        }
      }
    }
  },
};

/** Every rule, sorted by id. */
export const LINT_RULES: readonly LintRule[] = [
  dnsUnreachable,
  policySelectsNothing,
  peerSelectsNothing,
  defaultDenyRule('ingress'),
  defaultDenyRule('egress'),
  splitPeerSelectors,
  ipBlockAnyAddress,
  redundantRule,
  namedPortUndefined,
  portProtocolMismatch,
  cniNotEnforcing,
  hostNetworkSelected,
  apiServerUnreachable,
  policyTypesIgnoreRules,
  allowFromAnywhere,
  deadAllowRule,
  unprotectedWorkload,
  tierContradiction,
].sort((a, b) => compareText(a.id, b.id));
