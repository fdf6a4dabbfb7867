// `netpol check --intents` output: txt (a violation table) and md (a PR comment), json is the result itself.
import type { IntentsCheckResult } from './check.js';

export function formatIntentsCheck(result: IntentsCheckResult, format: 'txt' | 'md' | 'json'): string {
  if (format === 'json') return `${JSON.stringify(result, null, 2)}\n`;
  const lines: string[] = [];
  const md = format === 'md';
  const verdict = result.passed ? 'PASS' : 'FAIL';
  lines.push(md ? `## Segmentation intents \`${result.intents}\`: **${verdict}**` : `segmentation intents ${result.intents}: ${verdict}`);
  lines.push(
    `${result.checked} connection(s) cross a zone boundary: ${result.conforming} conform, ${result.violations.length} violate; ` +
      `${result.exceptionsApplied.length} live exception(s), ${result.expiredExceptions.length} expired (judged at ${result.at})`,
  );
  if (md) lines.push('');
  for (const z of result.zones) lines.push(`${md ? '- ' : '  '}zone ${z.name}: ${z.workloads.join(', ') || '(empty)'}`);
  if (result.violations.length > 0) {
    lines.push(md ? '\n| source | destination | zones | ports | allowed by |\n|---|---|---|---|---|' : 'violations:');
    for (const v of result.violations) {
      if (md) lines.push(`| ${v.src} | ${v.dst} | ${v.srcZone} → ${v.dstZone} | ${v.ports} | ${v.allowedBy} |`);
      else lines.push(`  ${v.src} => ${v.dst} : ${v.ports} (${v.srcZone} -> ${v.dstZone}); ${v.allowedBy}`);
    }
  }
  if (result.expiredExceptions.length > 0) {
    lines.push(md ? '\n**Expired exceptions**\n' : 'expired exceptions:');
    for (const e of result.expiredExceptions) {
      lines.push(`${md ? '- ' : '  '}${e.path} ${e.from} -> ${e.to} (owner ${e.owner}, expired ${e.expires}): ${e.justification}`);
    }
  }
  if (result.exceptionsApplied.length > 0) {
    lines.push(md ? '\n**Exceptions applied**\n' : 'exceptions applied:');
    for (const e of result.exceptionsApplied) {
      lines.push(`${md ? '- ' : '  '}${e.path} ${e.from} -> ${e.to} (owner ${e.owner}, expires ${e.expires}, ${e.connections} connection(s)): ${e.justification}`);
    }
  }
  return `${lines.join('\n')}\n`;
}
