// Why a rule did not allow the asked port, in words (the API's `Denial.reason` codes).
import type { PortRangeValue } from '../api/types.js';
import { formatRuleTraffic } from './ports.js';

const REASONS: Record<string, string> = {
  'no-rules': 'has no rules for this direction, so it only isolates (denies everything not allowed elsewhere)',
  'no-peer-match': 'the rule’s peers do not match the other side',
  'port-not-listed': 'the other side matches, but the rule’s ports do not include the asked port',
  'named-port-unresolved': 'the rule names a port the destination’s containers do not define',
};

/**
 * For `port-not-listed` with the rule's ports and ICMP (the API's `Denial.ports` and `Denial.icmp`): what the rule does
 * allow, so a Calico/Cilium rule allowing only ICMP reads as its ICMP rather than as no port at all.
 */
export function describeDenialReason(reason: string, ports?: readonly PortRangeValue[] | null, icmp?: string | null): string {
  if (reason === 'port-not-listed' && ((ports && ports.length > 0) || icmp)) {
    return `the other side matches, but the rule allows only ${formatRuleTraffic(ports ?? [], icmp)}, not the asked port`;
  }
  return REASONS[reason] ?? reason;
}
