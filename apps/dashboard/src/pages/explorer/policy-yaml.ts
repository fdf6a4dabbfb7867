// A policy's YAML as the policy page shows it: the line span of every rule (`spec.ingress[0]` …) so rule paths can
// be linked and highlighted, a one-line summary of each rule, and a light syntax colouring per line.
import { isMap, isSeq, parseDocument, type Node } from 'yaml';

export interface RuleSpan {
  /** 0-based field path, as the API and the engine name rules: `spec.ingress[2]`. */
  path: string;
  direction: 'ingress' | 'egress';
  index: number;
  /** 1-based, inclusive. */
  firstLine: number;
  lastLine: number;
  /** `from: podSelector app=frontend · ports: TCP 8080`. */
  summary: string;
  /** allow, deny, pass or log (Policy.rules); absent: a NetworkPolicy rule read from its YAML (allow). */
  action?: string;
}

function lineOf(text: string, offset: number): number {
  let line = 1;
  for (let i = 0; i < offset && i < text.length; i++) if (text.charCodeAt(i) === 10) line++;
  return line;
}

function selectorText(value: unknown): string {
  if (!value || typeof value !== 'object') return 'all';
  const selector = value as { matchLabels?: Record<string, string>; matchExpressions?: { key: string; operator: string; values?: string[] }[] };
  const parts = Object.entries(selector.matchLabels ?? {}).map(([k, v]) => `${k}=${v}`);
  for (const e of selector.matchExpressions ?? []) parts.push(`${e.key} ${e.operator}${e.values ? ` (${e.values.join(',')})` : ''}`);
  return parts.length > 0 ? parts.join(', ') : 'all';
}

function peerText(peer: Record<string, unknown>): string {
  const parts: string[] = [];
  if (peer.ipBlock && typeof peer.ipBlock === 'object') {
    const block = peer.ipBlock as { cidr?: string; except?: string[] };
    parts.push(`ipBlock ${block.cidr ?? '?'}${block.except?.length ? ` except ${block.except.join(', ')}` : ''}`);
  }
  if ('namespaceSelector' in peer) parts.push(`namespaces ${selectorText(peer.namespaceSelector)}`);
  if ('podSelector' in peer) parts.push(`pods ${selectorText(peer.podSelector)}`);
  return parts.join(' and ') || 'every peer';
}

function portsText(ports: unknown): string {
  if (!Array.isArray(ports) || ports.length === 0) return 'all ports';
  return ports
    .map((p: { protocol?: string; port?: number | string; endPort?: number }) =>
      `${p.protocol ?? 'TCP'} ${p.port ?? 'all'}${p.endPort ? `-${p.endPort}` : ''}`,
    )
    .join(', ');
}

export function ruleSpans(yamlText: string): RuleSpan[] {
  const document = parseDocument(yamlText);
  const spans: RuleSpan[] = [];
  for (const direction of ['ingress', 'egress'] as const) {
    const rules = document.getIn(['spec', direction], true) as Node | undefined;
    if (!isSeq(rules)) continue;
    rules.items.forEach((item, index) => {
      const node = item as Node;
      const range = node.range;
      if (!range) return;
      const rule = (isMap(node) ? node.toJSON() : {}) as Record<string, unknown>;
      const peers = rule[direction === 'ingress' ? 'from' : 'to'];
      const peerList = Array.isArray(peers) && peers.length > 0 ? peers.map((p) => peerText(p as Record<string, unknown>)).join('; ') : 'every peer (pods and IPs)';
      // A map item's range starts at its first key; the `- ` before it is on the same line.
      const lastOffset = Math.max(range[0], range[1] - 1);
      spans.push({
        path: `spec.${direction}[${index}]`,
        direction,
        index,
        firstLine: lineOf(yamlText, range[0]),
        lastLine: lineOf(yamlText, lastOffset),
        summary: `${direction === 'ingress' ? 'from' : 'to'}: ${peerList} · ports: ${portsText(rule.ports)}`,
      });
    });
  }
  return spans;
}

/** A rule as the API reads it (Policy.rules): its path and a one-line summary. */
export interface RuleRef {
  path: string;
  direction: string;
  summary: string;
  action?: string;
}

/** `spec.ingress[2]` / `specs[1].egressDeny[0]` as YAML keys: ['spec', 'ingress', 2]. */
export function pathKeys(path: string): (string | number)[] {
  const keys: (string | number)[] = [];
  for (const part of path.split('.')) {
    const match = /^([^[\]]*)((?:\[\d+\])*)$/.exec(part);
    if (!match) return [];
    if (match[1]) keys.push(match[1]);
    for (const index of match[2].matchAll(/\[(\d+)\]/g)) keys.push(Number(index[1]));
  }
  return keys;
}

/** The line span of each rule the API names, in its order; a path the YAML does not hold spans no line (0–0). */
export function spansOfRules(yamlText: string, rules: readonly RuleRef[]): RuleSpan[] {
  const document = parseDocument(yamlText);
  const counts = new Map<string, number>();
  return rules.map((rule) => {
    const direction = rule.direction === 'egress' ? 'egress' : 'ingress';
    const index = counts.get(direction) ?? 0;
    counts.set(direction, index + 1);
    const node = document.getIn(pathKeys(rule.path), true) as Node | undefined;
    const range = node && typeof node === 'object' && 'range' in node ? node.range : undefined;
    const [firstLine, lastLine] = range ? [lineOf(yamlText, range[0]), lineOf(yamlText, Math.max(range[0], range[1] - 1))] : [0, 0];
    return { path: rule.path, direction, index, firstLine, lastLine, summary: rule.summary, ...(rule.action ? { action: rule.action } : {}) };
  });
}

export type Token = { kind: 'key' | 'string' | 'number' | 'plain'; text: string };

/** Colours one YAML line: the key before `: `, quoted strings and numbers in the value. */
export function highlightLine(line: string): Token[] {
  const match = /^(\s*(?:- )?)([^\s:'"][^:]*?)(:)(\s.*|$)/.exec(line);
  if (!match) return [valueToken(line)];
  const [, indent = '', key = '', colon = '', rest = ''] = match;
  return [{ kind: 'plain', text: indent }, { kind: 'key', text: key }, { kind: 'plain', text: colon }, valueToken(rest)];
}

function valueToken(text: string): Token {
  const value = text.trim().replace(/^- /, '');
  if (/^-?\d+(\.\d+)?$/.test(value)) return { kind: 'number', text };
  if (/^['"].*['"]$/.test(value) || /^[\w./-]+$/.test(value)) return { kind: value === '' ? 'plain' : 'string', text };
  return { kind: 'plain', text };
}
