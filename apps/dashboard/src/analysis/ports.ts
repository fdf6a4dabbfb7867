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
