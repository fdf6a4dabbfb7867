import { describe, expect, it } from 'vitest';
import { namedPortMap } from '../algebra/rule-ports.js';
import { ExposureConn, KEEP_NAMES } from './exposure-conn.js';

const tcp = (port: number | string) => ({ protocol: 'TCP' as const, port });

describe('ExposureConn (FORMAT.md 10.5)', () => {
  it('prints named ports after the numeric ports of their protocol, names sorted', () => {
    const conn = ExposureConn.fromRulePorts([tcp('local-dns'), tcp(8080), tcp('http'), { protocol: 'UDP', port: 53 }], KEEP_NAMES);
    expect(conn.toString()).toBe('TCP 8080,http,local-dns,UDP 53');
    expect(ExposureConn.fromRulePorts([tcp('http')], KEEP_NAMES).toString()).toBe('TCP http');
  });

  it('writes a protocol open on every port as 1-65535 next to restricted ones', () => {
    const conn = ExposureConn.fromRulePorts(
      [{ protocol: 'SCTP' }, { protocol: 'UDP' }, { protocol: 'TCP', port: 1, endPort: 9089 }, { protocol: 'TCP', port: 9091, endPort: 65535 }],
      KEEP_NAMES,
    );
    expect(conn.toString()).toBe('SCTP 1-65535,TCP 1-9089,9091-65535,UDP 1-65535');
    expect(ExposureConn.fromRulePorts(null, KEEP_NAMES).toString()).toBe('All Connections');
    expect(ExposureConn.NONE.toString()).toBe('No Connections');
  });

  it('resolves named ports on a real destination (name and protocol must match) and drops the rest', () => {
    const ports = namedPortMap([
      { name: 'http', port: 8090, protocol: 'TCP' },
      { name: 'dns', port: 53, protocol: 'UDP' },
    ]);
    const conn = ExposureConn.fromRulePorts([tcp('http'), tcp('dns'), tcp('missing')], { keep: false, ports });
    expect(conn.toString()).toBe('TCP 8090');
    expect(ExposureConn.fromRulePorts([tcp('missing')], { keep: false, ports }).isEmpty).toBe(true);
  });

  it('replaces declared names by their number in the rule protocol, keeping undeclared names (np-guard ingress quirk)', () => {
    const ports = namedPortMap([{ name: 'dns', port: 53, protocol: 'UDP' }]);
    const conn = ExposureConn.fromRulePorts([tcp('dns'), tcp('web')], KEEP_NAMES).replaceDeclaredNames(ports);
    expect(conn.toString()).toBe('TCP 53,web');
  });

  it('compares numeric ports only and needs every used protocol on the other side', () => {
    const wide = ExposureConn.fromRulePorts([tcp(8000)], KEEP_NAMES);
    expect(ExposureConn.fromRulePorts([tcp('http')], KEEP_NAMES).containedIn(wide)).toBe(true);
    expect(ExposureConn.fromRulePorts([tcp(8000)], KEEP_NAMES).containedIn(wide)).toBe(true);
    expect(ExposureConn.fromRulePorts([tcp(8000), tcp(9000)], KEEP_NAMES).containedIn(wide)).toBe(false);
    expect(ExposureConn.fromRulePorts([{ protocol: 'UDP', port: 'dns' }], KEEP_NAMES).containedIn(wide)).toBe(false);
    expect(ExposureConn.ALL.containedIn(wide)).toBe(false);
    expect(wide.containedIn(ExposureConn.ALL)).toBe(true);
  });

  it('unions numeric ports and names; everything absorbs names', () => {
    const a = ExposureConn.fromRulePorts([tcp('http')], KEEP_NAMES);
    const b = ExposureConn.fromRulePorts([tcp(80)], KEEP_NAMES);
    expect(a.union(b).toString()).toBe('TCP 80,http');
    expect(a.union(ExposureConn.ALL).isAll).toBe(true);
    expect(a.union(b).namedPorts()).toEqual([{ protocol: 'TCP', name: 'http' }]);
  });
});
