// A compiled policy's rules as the engine reads them, in words (the policy page of every dialect): what it selects,
// then per rule its action, peers and ports. Runs in the model thread on the engine's PolicyModel, so the page shows
// what the analysis uses, not a second reading of the YAML.
import { portsText, type PeerModel, type PolicyModel, type RuleModel, type Selector } from '@netpol-atlas/engine';

export interface PolicyRuleView {
  readonly direction: 'ingress' | 'egress';
  /** 0-based field path, e.g. `spec.ingress[2]`. */
  readonly path: string;
  /** The rule's own name (AdminNetworkPolicy, ClusterNetworkPolicy), else null. */
  readonly name: string | null;
  readonly action: 'allow' | 'deny' | 'pass' | 'log';
  /** The peers it matches, each in words; null: every peer (pods and IP addresses). */
  readonly peers: readonly string[] | null;
  /** The ports it matches (`TCP:[80], UDP`), or `all ports`. */
  readonly ports: string;
  /** What the analysis does not decide here (unmodelled peers, layer-7 limits, source ports), in words. */
  readonly notes: readonly string[];
}

export interface PolicyRulesView {
  /** The pods the policy applies to, in words (`pods app=web in namespace production`). */
  readonly subject: string;
  readonly rules: readonly PolicyRuleView[];
}

/** AdminNetworkPolicy and its kin never select or match a pod with `hostNetwork: true`, whatever its labels. */
const HOST_NETWORK_EXCEPTED = ' (host-network pods excepted)';

/** `every namespace` for an empty selector, else `namespaces app=x` (a Calico selector expression as written). */
const everything = (selector: Selector, all: string, noun: string) =>
  selector.isEverything ? all : `${noun} ${selector.toString().replace(/^calico:/, 'where ')}`;

/** The value at a 0-based field path of an object (`spec.ingress[0].source`), or undefined. */
function valueAt(object: unknown, path: string): unknown {
  let value = object;
  for (const segment of path.split(/\.|(?=\[)/)) {
    if (value === null || typeof value !== 'object') return undefined;
    const index = /^\[(\d+)\]$/.exec(segment);
    value = index ? (value as readonly unknown[])[Number(index[1])] : (value as Record<string, unknown>)[segment];
  }
  return value;
}

/** A Calico rule side (`source` / `destination`) without its ports (the ports column has them), as written. */
function calicoSideText(side: unknown): string {
  if (side === null || typeof side !== 'object') return '';
  return Object.entries(side)
    .filter(([key]) => key !== 'ports' && key !== 'notPorts')
    .map(([key, value]) => `${key} ${typeof value === 'string' ? value : JSON.stringify(value)}`)
    .join(', ');
}

/** A peer the dialect matches itself (Calico selectors, nets): its canonical key is internal, so the rule's own
 *  fields are shown — the far end, then what the near end narrows the selected pods to. */
function matcherText(object: unknown, path: string, direction: 'ingress' | 'egress'): string {
  const rule = valueAt(object, path);
  if (rule !== null && typeof rule === 'object' && ('source' in rule || 'destination' in rule || 'action' in rule)) {
    const { source, destination } = rule as { source?: unknown; destination?: unknown };
    const [far, near] = direction === 'ingress' ? [source, destination] : [destination, source];
    const farText = calicoSideText(far) || 'every peer';
    const nearText = calicoSideText(near);
    return nearText ? `${farText}; only for selected pods matching ${nearText}` : farText;
  }
  return rule === undefined ? path : JSON.stringify(rule);
}

function peerText(peer: PeerModel, object: unknown, direction: 'ingress' | 'egress'): string {
  switch (peer.kind) {
    case 'pods': {
      const pods = peer.podSelector === null ? 'every pod' : everything(peer.podSelector, 'every pod', 'pods');
      const where = peer.namespaceSelector === null ? "of the policy's namespace" : `in ${everything(peer.namespaceSelector, 'every namespace', 'namespaces')}`;
      return `${pods} ${where}${peer.excludesHostNetwork ? HOST_NETWORK_EXCEPTED : ''}`;
    }
    case 'ipBlock':
      return `addresses ${peer.cidr}${peer.except.length > 0 ? ` except ${peer.except.join(', ')}` : ''}`;
    case 'matcher':
      return matcherText(object, peer.path, direction);
  }
}

function portsOf(rule: RuleModel): string {
  if (rule.ports === null) return 'all ports';
  const numeric = rule.allowed.numeric.isEmpty ? '' : portsText(rule.allowed.numeric, true);
  const named = rule.allowed.named.map((ref) => `${ref.protocol} port named ${ref.name}`);
  const parts = [numeric, ...named].filter((part) => part !== '');
  // A port list that compiles to nothing: say so rather than print an empty cell.
  return parts.length > 0 ? parts.join(', ') : 'no port';
}

function notesOf(rule: RuleModel): string[] {
  const notes = (rule.unmodelledPeers ?? []).map((peer) => `${peer.kind} peer at ${peer.path}: not decided from a snapshot (matches nothing here)`);
  for (const limit of rule.l7 ?? []) notes.push(`layer 7: ${limit}`);
  if (rule.sourcePorts) notes.push(`only from ${rule.sourcePorts}`);
  return notes;
}

/** The policy's subject and rules, ingress then egress, each in its written order. */
export function policyRulesView(policy: PolicyModel): PolicyRulesView {
  const namespaces =
    policy.subjectNamespaces === null ? `in namespace ${policy.namespace}` : `in ${everything(policy.subjectNamespaces, 'every namespace', 'namespaces')}`;
  const pods = everything(policy.podSelector, 'every pod', 'pods');
  const written = (rules: readonly RuleModel[]) => [...rules].sort((a, b) => a.index - b.index);
  const rules = [...written(policy.ingress.rules), ...written(policy.egress.rules)].map(
    (rule): PolicyRuleView => ({
      direction: rule.direction,
      path: rule.path,
      name: rule.name ?? null,
      action: rule.action,
      peers: rule.peers === null ? null : rule.peers.map((peer) => peerText(peer, policy.object, rule.direction)),
      ports: portsOf(rule),
      notes: notesOf(rule),
    }),
  );
  const accounts = policy.subjectServiceAccounts ? ', with the service accounts it names' : '';
  return { subject: `${pods} ${namespaces}${accounts}${policy.subjectExcludesHostNetwork ? HOST_NETWORK_EXCEPTED : ''}`, rules };
}
