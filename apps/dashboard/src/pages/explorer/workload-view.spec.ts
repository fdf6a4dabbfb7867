import { describe, expect, it } from 'vitest';
import type { ConnectivityRow } from '../../api/types.js';
import { firstPort, splitByDirection } from './workload-view.js';

const w = (namespace: string, name: string, kind = 'Deployment') => ({ type: 'WORKLOAD' as const, namespace, name, kind, ipRange: null });
const ip = (ipRange: string) => ({ type: 'IP_RANGE' as const, namespace: null, name: null, kind: null, ipRange });
const row = (from: ConnectivityRow['from'], to: ConnectivityRow['to'], portsText: string): ConnectivityRow => ({ from, to, portsText });

describe('workload page helpers', () => {
  it('splits rows into outbound and inbound by the exact workload (kind too)', () => {
    const rows = [
      row(w('production', 'frontend'), w('production', 'backend'), 'TCP 8080'),
      row(w('production', 'backend'), ip('0.0.0.0-9.255.255.255'), 'TCP 443'),
      row(w('ingress-nginx', 'ingress-nginx-controller'), w('production', 'backend'), 'TCP 8080'),
      row(w('production', 'backend', 'StatefulSet'), w('production', 'frontend'), 'TCP 1'),
    ];
    const { outbound, inbound } = splitByDirection(rows, { namespace: 'production', kind: 'Deployment', name: 'backend' });
    expect(outbound.map((r) => r.to.ipRange ?? r.to.name)).toEqual(['0.0.0.0-9.255.255.255']);
    expect(inbound.map((r) => r.from.name)).toEqual(['frontend', 'ingress-nginx-controller']);
  });

  it('reads the first port of np-guard connection text', () => {
    expect(firstPort('TCP 53,443,UDP 53')).toEqual({ protocol: 'TCP', port: 53 });
    expect(firstPort('UDP 53')).toEqual({ protocol: 'UDP', port: 53 });
    expect(firstPort('SCTP 9000-9100')).toEqual({ protocol: 'SCTP', port: 9000 });
    expect(firstPort('All Connections')).toEqual({ protocol: 'TCP', port: 1 });
    expect(firstPort('No Connections')).toBeUndefined();
  });
});
