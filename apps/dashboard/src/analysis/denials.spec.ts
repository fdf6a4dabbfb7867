import { describe, expect, it } from 'vitest';
import { describeDenialReason } from './denials.js';

describe('describeDenialReason', () => {
  it('port-not-listed names the ports the rule does allow', () => {
    expect(describeDenialReason('port-not-listed', [{ protocol: 'TCP', from: 5432, to: 5432, name: null }])).toBe(
      'the other side matches, but the rule allows only TCP 5432, not the asked port',
    );
    expect(describeDenialReason('port-not-listed', [{ protocol: 'TCP', from: 9187, to: 9187, name: 'metrics' }, { protocol: 'UDP', from: 53, to: 53, name: null }])).toBe(
      'the other side matches, but the rule allows only TCP 9187 (metrics), UDP 53, not the asked port',
    );
  });

  it('port-not-listed names the ICMP a Calico/Cilium rule allows (icmp), alone or after its ports', () => {
    expect(describeDenialReason('port-not-listed', [], 'ICMP type 8')).toBe('the other side matches, but the rule allows only ICMP type 8, not the asked port');
    expect(describeDenialReason('port-not-listed', null, 'ICMP,ICMPv6')).toBe('the other side matches, but the rule allows only ICMP,ICMPv6, not the asked port');
    expect(describeDenialReason('port-not-listed', [{ protocol: 'TCP', from: 80, to: 80, name: null }], 'ICMP type 8')).toBe(
      'the other side matches, but the rule allows only TCP 80, ICMP type 8, not the asked port',
    );
    // icmp belongs to port-not-listed only: another reason keeps its own words.
    expect(describeDenialReason('no-peer-match', [], 'ICMP type 8')).toBe('the rule’s peers do not match the other side');
  });

  it('without ports (an older server) the generic sentence stays', () => {
    expect(describeDenialReason('port-not-listed')).toBe('the other side matches, but the rule’s ports do not include the asked port');
    expect(describeDenialReason('no-peer-match', null)).toBe('the rule’s peers do not match the other side');
  });
});
