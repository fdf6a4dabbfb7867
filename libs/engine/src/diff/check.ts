// The CI gate's verdict: which pair changes a policy forbids. Ports gained in a changed pair count as added,
// ports lost as removed.
import type { ConnectivityDiff, PairChange } from './types.js';

export type FailOn = 'added' | 'removed' | 'any';
export const FAIL_ON_VALUES: readonly FailOn[] = ['added', 'removed', 'any'];

export function isForbidden(change: PairChange, failOn: FailOn): boolean {
  const opens = change.type === 'added' || (change.type === 'changed' && !change.gained.isEmpty);
  const closes = change.type === 'removed' || (change.type === 'changed' && !change.lost.isEmpty);
  return failOn === 'any' ? true : failOn === 'added' ? opens : closes;
}

export interface CheckResult {
  readonly failOn: FailOn;
  readonly passed: boolean;
  /** In diff order. */
  readonly forbidden: readonly PairChange[];
}

export function checkDiff(diff: ConnectivityDiff, failOn: FailOn = 'added'): CheckResult {
  const forbidden = diff.pairs.filter((p) => isForbidden(p, failOn));
  return { failOn, passed: forbidden.length === 0, forbidden };
}
