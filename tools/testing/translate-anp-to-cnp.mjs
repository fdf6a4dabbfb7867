#!/usr/bin/env node
// Translates np-guard's AdminNetworkPolicy / BaselineAdminNetworkPolicy cases (cases-anp/) to ClusterNetworkPolicy
// (policy.networking.k8s.io/v1alpha2), mechanically: ANP → tier Admin (same priority), BANP → tier Baseline
// (priority 0), Allow → Accept, `ports` → `protocols` (portNumber/portRange → tcp|udp|sctp destinationPort
// number|range, namedPort → destinationNamedPort). Every other object is copied as is; the expected outputs are
// np-guard's, unchanged. Usage: node tools/testing/translate-anp-to-cnp.mjs <cases-anp dir> <out dir>
import { mkdirSync, readdirSync, readFileSync, statSync, writeFileSync, copyFileSync } from 'node:fs';
import path from 'node:path';
import { parseAllDocuments, stringify } from 'yaml';

const [from, to] = process.argv.slice(2);
if (!from || !to) throw new Error('usage: translate-anp-to-cnp.mjs <cases-anp dir> <out dir>');

const ACTION = { Allow: 'Accept', Deny: 'Deny', Pass: 'Pass' };

function protocols(ports) {
  return ports.map((p) => {
    if (p.namedPort !== undefined) return { destinationNamedPort: p.namedPort };
    const number = p.portNumber;
    const range = p.portRange;
    const protocol = String((number ?? range).protocol ?? 'TCP').toLowerCase();
    return { [protocol]: { destinationPort: number ? { number: number.port } : { range: { start: range.start, end: range.end } } } };
  });
}

function rules(list) {
  return list?.map((rule) => {
    const { ports, action, ...rest } = rule;
    return { ...rest, action: ACTION[action] ?? action, ...(ports ? { protocols: protocols(ports) } : {}) };
  });
}

function translate(object) {
  if (!object || object.apiVersion !== 'policy.networking.k8s.io/v1alpha1') return object;
  if (object.kind !== 'AdminNetworkPolicy' && object.kind !== 'BaselineAdminNetworkPolicy') return object;
  const { priority, subject, ingress, egress, ...other } = object.spec ?? {};
  const admin = object.kind === 'AdminNetworkPolicy';
  const spec = { tier: admin ? 'Admin' : 'Baseline', priority: admin ? priority : 0, subject, ...other };
  if (ingress) spec.ingress = rules(ingress);
  if (egress) spec.egress = rules(egress);
  // A BANP is the singleton `default`; as a CNP it keeps a name no ANP of the corpus uses.
  const name = admin ? object.metadata.name : `baseline-${object.metadata.name}`;
  return { apiVersion: 'policy.networking.k8s.io/v1alpha2', kind: 'ClusterNetworkPolicy', metadata: { ...object.metadata, name }, spec };
}

function translateFile(source, target) {
  const text = readFileSync(source, 'utf8');
  if (!/(Baseline)?AdminNetworkPolicy/.test(text)) return copyFileSync(source, target);
  const docs = parseAllDocuments(text).map((d) => d.toJS());
  const out = docs.filter((d) => d !== null && d !== undefined).map((d) => stringify(d.kind === 'List' || Array.isArray(d.items) ? { ...d, items: d.items.map(translate) } : translate(d)));
  writeFileSync(target, out.join('---\n'));
}

function walk(source, target) {
  mkdirSync(target, { recursive: true });
  for (const entry of readdirSync(source).sort()) {
    const s = path.join(source, entry);
    const t = path.join(target, entry);
    if (statSync(s).isDirectory()) walk(s, t);
    else if (/\.(ya?ml|json)$/i.test(entry) && entry !== 'expected.json' && entry !== 'case.json') translateFile(s, t);
  }
}

for (const name of readdirSync(from).sort()) {
  const dir = path.join(from, name);
  if (!statSync(dir).isDirectory()) continue;
  walk(path.join(dir, 'input'), path.join(to, name, 'input'));
  for (const expected of ['expected.txt', 'expected.json']) {
    try {
      copyFileSync(path.join(dir, expected), path.join(to, name, expected));
    } catch {
      // not every case has a JSON expectation
    }
  }
}
