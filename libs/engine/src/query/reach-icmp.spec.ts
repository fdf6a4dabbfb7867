// whoCanReach / reachableFrom texts on a Calico snapshot name ICMP allowed next to ports (as the list does).
import { describe, expect, it } from 'vitest';
import { calicoServerInObject } from '../../../../tools/testing/client-server.js';
import { clientServerAnalysis } from '../../test/builders.js';
import { reachableFrom, whoCanReach } from './reach.js';

describe('reachability texts name ICMP on Calico snapshots', () => {
  it('whoCanReach and reachableFrom: `ICMP,TCP 80` where a Calico policy allows both', () => {
    const analysis = clientServerAnalysis(calicoServerInObject([
      { action: 'Allow', protocol: 'TCP', source: { selector: "app == 'client'" }, destination: { ports: [80] } },
      { action: 'Allow', protocol: 'ICMP', source: { selector: "app == 'client'" } },
    ]));
    const from = whoCanReach(analysis, { namespace: 'a', pod: 'server' }, undefined).find((r) => r.peer.name === 'client');
    expect(from?.portsText).toBe('ICMP,TCP 80');
    const to = reachableFrom(analysis, { namespace: 'a', pod: 'client' }).find((r) => r.peer.name === 'server');
    expect(to?.portsText).toBe('ICMP,TCP 80');
  });
});
