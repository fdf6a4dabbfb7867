// `list --explain` and a policy's rule connections name ICMP on Calico snapshots: a rule there can allow ICMP
// alone, and np-guard's port list (TCP, UDP, SCTP) would print nothing for it.
import { describe, expect, it } from 'vitest';
import { calicoServerInObject } from '../../../../tools/testing/client-server.js';
import { clientServerAnalysis } from '../../test/builders.js';
import { formatExplain } from './report.js';
import { policyRuleConnections } from './rule-connections.js';

const CALICO = calicoServerInObject([
  { action: 'Allow', protocol: 'TCP', source: { selector: "app == 'client'" }, destination: { ports: [80] } },
  { action: 'Allow', protocol: 'ICMP', source: { selector: "app == 'client'" }, icmp: { type: 8 } },
]);

describe('explain texts name ICMP on Calico snapshots', () => {
  it('list --explain: the class of the ICMP rule says `ICMP:[type 8]`, never an empty port list', () => {
    const text = formatExplain(clientServerAnalysis(CALICO));
    const block = text.split('Connections between ').find((b) => b.startsWith('a/client[Pod] => a/server[Pod]:'));
    const titles = block?.split('\n').filter((l) => /^\t(Allowed|Denied) /.test(l)).map((l) => l.replace(/ due to .*/, '').trim());
    expect(titles).toEqual([
      'Allowed ICMP:[type 8]',
      'Allowed TCP:[80]',
      'Denied TCP:[1-79,81-65535], UDP, SCTP, ICMP:[type 0-7,type 9-255], ICMPv6',
    ]);
  });

  it('rule connections: the ICMP rule allows `ICMP:[type 8]`', () => {
    const result = policyRuleConnections(clientServerAnalysis(CALICO), { namespace: 'a', name: 'server-in' });
    if (!result.ok) throw new Error(result.message);
    const rows = result.connections.filter((c) => c.peer === 'a/client[Pod]').map((c) => [c.rule, c.ports]);
    expect(rows).toEqual([
      ['spec.ingress[0]', 'TCP:[80]'],
      ['spec.ingress[1]', 'ICMP:[type 8]'],
    ]);
  });
});
