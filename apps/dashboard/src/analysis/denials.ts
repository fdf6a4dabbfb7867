// Why a rule did not allow the asked port, in words (the API's `Denial.reason` codes).

const REASONS: Record<string, string> = {
  'no-rules': 'has no rules for this direction, so it only isolates (denies everything not allowed elsewhere)',
  'no-peer-match': 'the rule’s peers do not match the other side',
  'port-not-listed': 'the other side matches, but the rule’s ports do not include the asked port',
  'named-port-unresolved': 'the rule names a port the destination’s containers do not define',
};

export function describeDenialReason(reason: string): string {
  return REASONS[reason] ?? reason;
}
