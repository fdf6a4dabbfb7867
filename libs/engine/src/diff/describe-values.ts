// Short human texts for policy fragments, used in change summaries ("spec.ingress[1].ports changed from
// 8080 to 8080-8090").

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Structural equality of JSON data (object key order ignored; an undefined member equals a missing one). */
export function jsonEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) || Array.isArray(b)) {
    if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!jsonEqual(a[i], b[i])) return false;
    return true;
  }
  const x = a as Record<string, unknown>;
  const y = b as Record<string, unknown>;
  let count = 0;
  for (const k in x) {
    if (x[k] === undefined) continue;
    if (!jsonEqual(x[k], y[k])) return false;
    count++;
  }
  for (const k in y) if (y[k] !== undefined) count--;
  return count === 0;
}

/** JSON with object keys sorted, so equal values give equal text. */
export function stableJson(value: unknown): string {
  if (Array.isArray(value)) return '[' + value.map(stableJson).join(',') + ']';
  if (isRecord(value)) {
    const keys = Object.keys(value)
      .filter((k) => value[k] !== undefined)
      .sort();
    return '{' + keys.map((k) => JSON.stringify(k) + ':' + stableJson(value[k])).join(',') + '}';
  }
  return value === undefined ? 'null' : JSON.stringify(value);
}

export function describeSelector(selector: unknown): string {
  if (!isRecord(selector)) return '{}';
  const parts: string[] = [];
  if (isRecord(selector.matchLabels)) {
    for (const k of Object.keys(selector.matchLabels).sort()) parts.push(`${k}=${String(selector.matchLabels[k])}`);
  }
  if (Array.isArray(selector.matchExpressions)) {
    for (const e of selector.matchExpressions) {
      if (!isRecord(e)) continue;
      const values = Array.isArray(e.values) ? e.values.map(String).join(',') : '';
      const op = String(e.operator);
      if (op === 'Exists') parts.push(String(e.key));
      else if (op === 'DoesNotExist') parts.push(`!${String(e.key)}`);
      else parts.push(`${String(e.key)} ${op.toLowerCase()} (${values})`);
    }
  }
  return '{' + parts.join(', ') + '}';
}

function describePeer(peer: unknown): string {
  if (!isRecord(peer)) return stableJson(peer);
  const parts: string[] = [];
  if (isRecord(peer.ipBlock)) {
    const except = Array.isArray(peer.ipBlock.except) && peer.ipBlock.except.length > 0
      ? ` except ${peer.ipBlock.except.map(String).join(', ')}`
      : '';
    parts.push(`ipBlock ${String(peer.ipBlock.cidr)}${except}`);
  }
  if ('namespaceSelector' in peer) parts.push(`namespaceSelector ${describeSelector(peer.namespaceSelector)}`);
  if ('podSelector' in peer) parts.push(`podSelector ${describeSelector(peer.podSelector)}`);
  const known = new Set(['ipBlock', 'namespaceSelector', 'podSelector']);
  if (parts.length === 0 || Object.keys(peer).some((k) => !known.has(k))) return stableJson(peer);
  return parts.join(' AND ');
}

export function describePeers(peers: unknown): string {
  if (peers === undefined || (Array.isArray(peers) && peers.length === 0)) return 'all peers';
  if (!Array.isArray(peers)) return stableJson(peers);
  return peers.map(describePeer).join('; ');
}

function describePort(entry: unknown): string {
  if (!isRecord(entry)) return stableJson(entry);
  const protocol = typeof entry.protocol === 'string' ? entry.protocol : 'TCP';
  let ports = 'all ports';
  if (entry.port !== undefined) ports = entry.endPort !== undefined ? `${String(entry.port)}-${String(entry.endPort)}` : String(entry.port);
  return protocol === 'TCP' && ports !== 'all ports' ? ports : `${protocol} ${ports}`;
}

export function describePorts(ports: unknown): string {
  if (ports === undefined || (Array.isArray(ports) && ports.length === 0)) return 'all ports';
  if (!Array.isArray(ports)) return stableJson(ports);
  return ports.map(describePort).join(', ');
}

/** Describes the value at a field path, choosing the reading by the last path segment. */
export function describeValue(path: string, value: unknown): string {
  if (value === undefined) return 'nothing';
  const last = path.replace(/\[\d+\]$/, '').split('.').pop() ?? '';
  if (last === 'ports' && /\b(ingress|egress)\[\d+\]\.ports$/.test(path)) return describePorts(value);
  if (last === 'from' || last === 'to') return describePeers(value);
  if (/Selector$/.test(last) || last === 'podSelector') return describeSelector(value);
  if (/(ingress|egress)\[\d+\]$/.test(path) && isRecord(value)) {
    const peersKey = 'from' in value ? 'from' : 'to' in value ? 'to' : /ingress/.test(path) ? 'from' : 'to';
    return `${peersKey} ${describePeers(value[peersKey])} on ${describePorts(value.ports)}`;
  }
  return typeof value === 'string' ? value : stableJson(value);
}
