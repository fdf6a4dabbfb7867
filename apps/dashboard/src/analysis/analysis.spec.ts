import { describe, expect, it } from 'vitest';
import { parseFilter, toApiFilter } from '../pages/connectivity/filter.js';
import { isComplete, parseQuestion, questionToQuery } from '../pages/reachability/question.js';
import { withQuery } from '../routes.js';
import { describeDenialReason } from './denials.js';
import { formatPeer, parsePeer, toPeerInput } from './peer.js';
import { formatPortRange, formatPortRanges, formatRuleTraffic } from './ports.js';

describe('peer URL values', () => {
  it('reads workloads with or without a kind, and IP addresses', () => {
    expect(parsePeer('production/frontend[Deployment]')).toEqual({
      type: 'workload',
      namespace: 'production',
      name: 'frontend',
      kind: 'Deployment',
    });
    expect(parsePeer(' production/frontend ')).toEqual({ type: 'workload', namespace: 'production', name: 'frontend' });
    expect(parsePeer('10.0.0.7')).toEqual({ type: 'ip', ip: '10.0.0.7' });
    expect(parsePeer('fd00::1')).toEqual({ type: 'ip', ip: 'fd00::1' });
  });

  it('rejects empty and malformed values', () => {
    expect(parsePeer('')).toBeUndefined();
    expect(parsePeer(null)).toBeUndefined();
    expect(parsePeer('a/b/c')).toBeUndefined();
    expect(parsePeer('a/b[Deployment')).toBeUndefined();
  });

  it('round-trips and maps to the API PeerInput', () => {
    for (const text of ['production/frontend[Deployment]', 'production/frontend', '203.0.113.7']) {
      const peer = parsePeer(text);
      expect(peer && formatPeer(peer)).toBe(text);
    }
    expect(toPeerInput({ type: 'workload', namespace: 'a', name: 'b' })).toEqual({ namespace: 'a', name: 'b' });
    expect(toPeerInput({ type: 'workload', namespace: 'a', name: 'b', kind: 'CronJob' })).toEqual({
      namespace: 'a',
      name: 'b',
      kind: 'CronJob',
    });
    expect(toPeerInput({ type: 'ip', ip: '1.2.3.4' })).toEqual({ ip: '1.2.3.4' });
  });
});

describe('reachability question in the URL', () => {
  it('parses, defaults the protocol to TCP and writes back the same query', () => {
    const question = parseQuestion('?from=production%2Ffrontend%5BDeployment%5D&to=8.8.8.8&port=http&protocol=udp');
    expect(question).toEqual({
      from: { type: 'workload', namespace: 'production', name: 'frontend', kind: 'Deployment' },
      to: { type: 'ip', ip: '8.8.8.8' },
      port: 'http',
      protocol: 'UDP',
    });
    expect(isComplete(question)).toBe(true);
    expect(withQuery('/snapshots/s/reachability', questionToQuery(question))).toBe(
      '/snapshots/s/reachability?from=production%2Ffrontend%5BDeployment%5D&to=8.8.8.8&port=http&protocol=UDP',
    );
    expect(parseQuestion('?protocol=ICMP').protocol).toBe('TCP');
  });

  it('is incomplete without both ends and a port', () => {
    expect(isComplete(parseQuestion(''))).toBe(false);
    expect(isComplete(parseQuestion('?from=a/b&to=c/d'))).toBe(false);
    expect(isComplete(parseQuestion('?from=a/b&port=80'))).toBe(false);
  });
});

describe('connectivity filter in the URL', () => {
  it('sends only the fields set, and no filter when none is', () => {
    expect(toApiFilter(parseFilter('?fromNamespace=production&workload='))).toEqual({ fromNamespace: 'production' });
    expect(toApiFilter(parseFilter(''))).toBeNull();
  });
});

describe('display helpers', () => {
  it('formats port ranges', () => {
    expect(formatPortRange({ protocol: 'TCP', from: 8080, to: 8080, name: null })).toBe('TCP 8080');
    expect(formatPortRange({ protocol: 'UDP', from: 30000, to: 32767, name: null })).toBe('UDP 30000-32767');
    expect(formatPortRange({ protocol: 'TCP', from: 5432, to: 5432, name: 'postgres' })).toBe('TCP 5432 (postgres)');
    expect(formatPortRanges([{ protocol: 'SCTP', from: 1, to: 65535, name: null }])).toBe('all SCTP ports');
    expect(formatPortRanges([])).toBe('none');
  });

  it('names a rule’s ICMP after its ports, or alone when it allows no port', () => {
    expect(formatRuleTraffic([], 'ICMP type 8')).toBe('ICMP type 8');
    expect(formatRuleTraffic([{ protocol: 'TCP', from: 1, to: 65535, name: null }], 'ICMP,ICMPv6')).toBe('all TCP ports, ICMP,ICMPv6');
    expect(formatRuleTraffic([{ protocol: 'TCP', from: 80, to: 80, name: null }], null)).toBe('TCP 80');
    expect(formatRuleTraffic([])).toBe('none');
  });

  it('explains every denial reason the API documents, and shows unknown ones as given', () => {
    for (const reason of ['no-rules', 'no-peer-match', 'port-not-listed', 'named-port-unresolved']) {
      expect(describeDenialReason(reason)).not.toBe(reason);
    }
    expect(describeDenialReason('new-reason')).toBe('new-reason');
  });
});
