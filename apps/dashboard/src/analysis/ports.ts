// Port ranges as people read them: `TCP 8080`, `TCP 30000-32767`, `TCP 5432 (postgres)`, `all TCP ports`.
import type { PortRangeValue } from '../api/types.js';

export function formatPortRange(range: PortRangeValue): string {
  if (range.from === 1 && range.to === 65535) return `all ${range.protocol} ports`;
  const span = range.from === range.to ? `${range.from}` : `${range.from}-${range.to}`;
  return `${range.protocol} ${span}${range.name ? ` (${range.name})` : ''}`;
}

export function formatPortRanges(ranges: readonly PortRangeValue[]): string {
  return ranges.length === 0 ? 'none' : ranges.map(formatPortRange).join(', ');
}

/**
 * What a rule allows: its ports, then its ICMP (the API's `icmp`, as `netpol eval --explain` names it: `ICMP type 8`).
 * A Calico or Cilium rule can allow ICMP alone; its ports are then empty and its ICMP is the whole answer.
 */
export function formatRuleTraffic(ranges: readonly PortRangeValue[], icmp?: string | null): string {
  if (!icmp) return formatPortRanges(ranges);
  return ranges.length === 0 ? icmp : `${formatPortRanges(ranges)}, ${icmp}`;
}
