// Calico client source ports (`source.ports` / `source.notPorts`). Our questions fix the destination port; a client's
// source port is ephemeral (the kernel picks it), so a rule limited to source ports decides only some connections:
// an Allow allows "source ports … only" (the verdict names the limit, as it names Cilium's L7 constraints), and a
// Deny or Pass decides nothing here: the verdict is the one for other source ports, with a caveat naming the rule.
import { describe, expect, it } from 'vitest';
import { evaluate } from '../../analysis/evaluate.js';
import { parseManifests } from '../../manifest/parse-manifests.js';
import { buildSnapshot } from '../../model/snapshot.js';

const NAMESPACES = ['a', 'b'].map((ns) => `apiVersion: v1\nkind: Namespace\nmetadata: {name: ${ns}}\n`).join('---\n');
const PODS = [
  ['a', 'client', 'client'],
  ['b', 'server', 'server'],
]
  .map(([ns, name, app]) => `apiVersion: v1\nkind: Pod\nmetadata: {name: ${name}, namespace: ${ns}, labels: {app: ${app}}}\nspec: {containers: [{name: c, image: x}]}\n`)
  .join('---\n');
const tier = `apiVersion: projectcalico.org/v3\nkind: Tier\nmetadata: {name: security}\nspec: {order: 100}\n`;
const gnp = (name: string, rules: string, extra = '') =>
  `apiVersion: projectcalico.org/v3\nkind: GlobalNetworkPolicy\nmetadata: {name: ${name}}\nspec:\n${extra}  selector: app == 'server'\n  types: [Ingress]\n  ingress:\n${rules}`;
const rule = (action: string, source: string, destination = '') => `  - action: ${action}\n    protocol: TCP\n    source: {${source}}\n${destination ? `    destination: {${destination}}\n` : ''}`;

function ask(...docs: string[]) {
  const parsed = parseManifests([{ path: 'in.yaml', text: [NAMESPACES, PODS, ...docs].join('---\n') }]);
  expect(parsed.issues.filter((i) => i.severity === 'error')).toEqual([]);
  const { snapshot } = buildSnapshot(parsed.objects);
  const at = (port: number) => evaluate(snapshot, { namespace: 'a', pod: 'client' }, { namespace: 'b', pod: 'server' }, port, 'TCP');
  const v = at(8080);
  const limit = /allowed: (.*) only/.exec(v.explanation.summary)?.[1] ?? null;
  return { tcp8080: v.allowed ? 'allowed' : 'denied', tcp9090: at(9090).allowed ? 'allowed' : 'denied', limit, caveats: v.caveats.map((c) => c.code) };
}

describe('Calico source ports truth table (client a → server b, TCP 8080 and 9090)', () => {
  it.each([
    ['Allow from source ports 1000-2000 only', [gnp('p', rule('Allow', 'ports: ["1000:2000"]'))], ['allowed', 'allowed', 'source ports 1000-2000', []]],
    ['Allow from source ports other than 53', [gnp('p', rule('Allow', 'notPorts: [53]'))], ['allowed', 'allowed', 'source ports other than 53', []]],
    ['Allow from source port 1234 to destination 8080', [gnp('p', rule('Allow', 'ports: [1234]', 'ports: [8080]'))], ['allowed', 'denied', 'source ports 1234', []]],
    [
      'an unlimited Allow beside a limited one: plain allowed',
      [gnp('p', rule('Allow', 'ports: [1234]') + rule('Allow', "selector: app == 'client'"))],
      ['allowed', 'allowed', null, []],
    ],
    ['Deny from source ports, then Allow: the Allow decides the rest', [gnp('p', rule('Deny', 'ports: ["1000:2000"]') + rule('Allow', ''))], ['allowed', 'allowed', null, ['SOURCE_PORT_RULE']]],
    ['Deny from source ports alone: end-of-tier deny for the rest', [gnp('p', rule('Deny', 'ports: ["1000:2000"]'))], ['denied', 'denied', null, ['SOURCE_PORT_RULE']]],
    [
      'Pass from source ports in a tier: its own Deny decides the rest',
      [tier, gnp('sec', rule('Pass', 'ports: [1234]') + rule('Deny', ''), '  tier: security\n'), gnp('dflt', rule('Allow', ''))],
      ['denied', 'denied', null, ['SOURCE_PORT_RULE']],
    ],
  ] as const)('%s', (_name, docs, [tcp8080, tcp9090, limit, caveats]) => {
    expect(ask(...docs)).toEqual({ tcp8080, tcp9090, limit, caveats });
  });

  it('names the limited Deny in the caveat and the summary', () => {
    const parsed = parseManifests([{ path: 'in.yaml', text: [NAMESPACES, PODS, gnp('p', rule('Deny', 'ports: ["1000:2000"]') + rule('Allow', ''))].join('---\n') }]);
    const { snapshot } = buildSnapshot(parsed.objects);
    const v = evaluate(snapshot, { namespace: 'a', pod: 'client' }, { namespace: 'b', pod: 'server' }, 8080, 'TCP');
    expect(v.caveats[0].message).toContain('spec.ingress[0] (Deny) decides only connections from source ports 1000-2000');
    expect(v.explanation.summary).toContain('uncertain: GlobalNetworkPolicy p has Deny / Pass rules limited to client source ports');
  });
});
