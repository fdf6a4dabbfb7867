// whoCanReach / reachableFrom texts on a Calico snapshot name ICMP allowed next to ports (as the list does).
import { describe, expect, it } from 'vitest';
import { analyze } from '../analysis/analyze.js';
import { parseManifests } from '../manifest/parse-manifests.js';
import { buildSnapshot } from '../model/snapshot.js';
import { reachableFrom, whoCanReach } from './reach.js';
import { clientServerList } from '../../../../tools/testing/client-server.js';

function analysisOf(policy: object) {
  const parsed = parseManifests([{ path: 'c.json', text: clientServerList(policy) }]);
  return analyze(buildSnapshot(parsed.objects).snapshot);
}

describe('reachability texts name ICMP on Calico snapshots', () => {
  it('whoCanReach and reachableFrom: `ICMP,TCP 80` where a Calico policy allows both', () => {
    const analysis = analysisOf({
      apiVersion: 'projectcalico.org/v3',
      kind: 'NetworkPolicy',
      metadata: { name: 'server-in', namespace: 'a' },
      spec: {
        selector: "app == 'server'",
        types: ['Ingress'],
        ingress: [
          { action: 'Allow', protocol: 'TCP', source: { selector: "app == 'client'" }, destination: { ports: [80] } },
          { action: 'Allow', protocol: 'ICMP', source: { selector: "app == 'client'" } },
        ],
      },
    });
    const from = whoCanReach(analysis, { namespace: 'a', pod: 'server' }, undefined).find((r) => r.peer.name === 'client');
    expect(from?.portsText).toBe('ICMP,TCP 80');
    const to = reachableFrom(analysis, { namespace: 'a', pod: 'client' }).find((r) => r.peer.name === 'server');
    expect(to?.portsText).toBe('ICMP,TCP 80');
  });
});
