// The probe plan as a runnable bash script (kubectl exec … nc -zv -w 3 host port, in the brief's style) or JSON.
// The script prints expected vs observed per probe and exits with the number of mismatches.
import type { Probe, ProbeEnd, ProbePlan } from './plan.js';

export const PROBE_PLAN_FORMATS = ['sh', 'json'] as const;
export type ProbePlanFormat = (typeof PROBE_PLAN_FORMATS)[number];

/** Single-quoted for bash. */
function q(text: string): string {
  return `'${text.replace(/'/g, `'\\''`)}'`;
}

function target(end: ProbeEnd): string {
  if (end.ip) return q(end.ip);
  return `"$(pod_ip ${q(end.namespace ?? '')} ${q(end.selector ?? '')})"`;
}

function probeLine(p: Probe): string {
  if (p.kind === 'dns') {
    return `probe ${p.id} ${p.expected} ${q(p.from.namespace ?? '')} ${q(p.from.selector ?? '')} ${q(`${p.from.name} DNS lookup`)} nslookup -timeout=3 kubernetes.default.svc.cluster.local`;
  }
  const nc = p.protocol === 'UDP' ? 'nc -zuv -w 3' : p.protocol === 'SCTP' ? 'nc -zv --sctp -w 3' : 'nc -zv -w 3';
  return `probe ${p.id} ${p.expected} ${q(p.from.namespace ?? '')} ${q(p.from.selector ?? '')} ${q(`${p.from.name} -> ${p.to.name} ${p.protocol} ${p.port}`)} ${nc} ${target(p.to)} ${p.port}`;
}

export function formatProbePlan(plan: ProbePlan, format: ProbePlanFormat): string {
  if (format === 'json') return `${JSON.stringify(plan, null, 2)}\n`;
  const positives = plan.probes.filter((p) => p.kind === 'positive').length;
  const negatives = plan.probes.filter((p) => p.kind === 'negative').length;
  const dns = plan.probes.filter((p) => p.kind === 'dns').length;
  const c = plan.coverage;
  const lines = [
    '#!/usr/bin/env bash',
    '# Netpol Atlas probe plan (PCI-DSS 11.4.5 segmentation testing): run with kubectl access to the cluster.',
    `# Scope: ${plan.scope}.`,
    `# ${plan.probes.length} probes: ${positives} positive (expected to connect) cover ${c.rules.covered} of ${c.rules.total} allowing rules;`,
    `# ${negatives} negative (expected to time out) cover ${c.boundaries.covered} of ${c.boundaries.total} isolation boundaries; ${dns} DNS checks.`,
    ...c.boundaries.uncovered.map((b) => `# Not covered (no denied peer found): ${b}`),
    '# UDP probes are indicative only: nc cannot always tell a silent UDP service from a blocked one.',
    '# Exit status: the number of probes whose observed result differs from the expected one.',
    'set -u',
    'mismatches=0',
    '',
    '# The IP of a running pod of a workload (namespace, label selector).',
    'pod_ip() {',
    '  kubectl get pods -n "$1" -l "$2" --field-selector=status.phase=Running -o jsonpath=\'{.items[0].status.podIP}\'',
    '}',
    '',
    '# probe ID EXPECTED NAMESPACE SELECTOR DESCRIPTION COMMAND...: runs COMMAND in a pod of the source workload.',
    'probe() {',
    '  local id="$1" expected="$2" namespace="$3" selector="$4" description="$5"',
    '  shift 5',
    '  local pod observed verdict',
    '  pod=$(kubectl get pods -n "$namespace" -l "$selector" --field-selector=status.phase=Running -o jsonpath=\'{.items[0].metadata.name}\')',
    '  if [ -n "$pod" ] && kubectl exec -n "$namespace" "$pod" -- "$@" >/dev/null 2>&1; then observed=connect; else observed=blocked; fi',
    '  if [ "$observed" = "$expected" ]; then verdict=ok; else verdict=MISMATCH; mismatches=$((mismatches + 1)); fi',
    '  printf \'%s %-8s expected=%-7s observed=%-7s %s\\n\' "$id" "$verdict" "$expected" "$observed" "$description"',
    '}',
    '',
  ];
  for (const p of plan.probes) {
    lines.push(`# ${p.id} ${p.kind}: ${p.reason}${p.boundaries.length ? ` (boundary: ${p.boundaries.join(', ')})` : ''}`);
    lines.push(probeLine(p));
  }
  // Exit statuses wrap at 256: cap so that many mismatches never read as success.
  lines.push('', 'echo "mismatches: $mismatches"', 'if [ "$mismatches" -gt 255 ]; then exit 255; fi', 'exit "$mismatches"', '');
  return lines.join('\n');
}
