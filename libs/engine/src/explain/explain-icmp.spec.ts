// `list --explain` and a policy's rule connections name ICMP on Calico snapshots: a rule there can allow ICMP
// alone, and np-guard's port list (TCP, UDP, SCTP) would print nothing for it.
import { describe, expect, it } from 'vitest';
import { analyze } from '../analysis/analyze.js';
import { parseManifests } from '../manifest/parse-manifests.js';
import { buildSnapshot } from '../model/snapshot.js';
import { formatExplain } from './report.js';
import { policyRuleConnections } from './rule-connections.js';
import { clientServerList } from '../../../../tools/testing/client-server.js';

function analysisOf(policy: object) {
  const parsed = parseManifests([{ path: 'c.json', text: clientServerList(policy) }]);
  return analyze(buildSnapshot(parsed.objects).snapshot);
}

const CALICO = {
  apiVersion: 'projectcalico.org/v3',
  kind: 'NetworkPolicy',
  metadata: { name: 'server-in', namespace: 'a' },
  spec: {
    selector: "app == 'server'",
    types: ['Ingress'],
    ingress: [
      { action: 'Allow', protocol: 'TCP', source: { selector: "app == 'client'" }, destination: { ports: [80] } },
      { action: 'Allow', protocol: 'ICMP', source: { selector: "app == 'client'" }, icmp: { type: 8 } },
    ],
  },
};

describe('explain texts name ICMP on Calico snapshots', () => {
  it('list --explain: the class of the ICMP rule says `ICMP:[type 8]`, never an empty port list', () => {
    const text = formatExplain(analysisOf(CALICO));
    const block = text.split('Connections between ').find((b) => b.startsWith('a/client[Pod] => a/server[Pod]:'));
    const titles = block?.split('\n').filter((l) => /^\t(Allowed|Denied) /.test(l)).map((l) => l.replace(/ due to .*/, '').trim());
    expect(titles).toEqual([
      'Allowed ICMP:[type 8]',
      'Allowed TCP:[80]',
      'Denied TCP:[1-79,81-65535], UDP, SCTP, ICMP:[type 0-7,type 9-255], ICMPv6',
    ]);
  });

  it('rule connections: the ICMP rule allows `ICMP:[type 8]`', () => {
    const result = policyRuleConnections(analysisOf(CALICO), { namespace: 'a', name: 'server-in' });
    if (!result.ok) throw new Error(result.message);
    const rows = result.connections.filter((c) => c.peer === 'a/client[Pod]').map((c) => [c.rule, c.ports]);
    expect(rows).toEqual([
      ['spec.ingress[0]', 'TCP:[80]'],
      ['spec.ingress[1]', 'ICMP:[type 8]'],
    ]);
  });
});
