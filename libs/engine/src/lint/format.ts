// Lint output: txt (one line per finding, then its explanation and fix), json (plain data) and SARIF 2.1.0.
import { canonicalJson } from '../manifest/canonical-json.js';
import type { LintFinding, LintResult, LintSeverity } from './types.js';

export const LINT_FORMATS = ['txt', 'json', 'sarif'] as const;
export type LintFormat = (typeof LINT_FORMATS)[number];

export interface LintToolInfo {
  readonly name: string;
  readonly version: string;
  readonly informationUri?: string;
}

const DEFAULT_TOOL: LintToolInfo = { name: 'netpol-atlas', version: '0.1.0', informationUri: 'https://github.com/netpol-atlas/netpol-atlas' };

/** Rules outside the table whose findings lint itself makes. */
const META_RULES = [
  {
    id: 'suppression-expired',
    severity: 'warning' as LintSeverity,
    title: 'Expired suppression',
    description: 'A suppression whose expiry has passed: it no longer applies and must be renewed or removed.',
  },
];

export function formatLint(result: LintResult, format: LintFormat, tool: LintToolInfo = DEFAULT_TOOL): string {
  if (format === 'json') return `${JSON.stringify(lintJson(result), null, 2)}\n`;
  if (format === 'sarif') return `${JSON.stringify(lintSarif(result, tool), null, 2)}\n`;
  return lintText(result);
}

export function lintJson(result: LintResult) {
  const count = (s: LintSeverity) => result.findings.filter((f) => f.severity === s).length;
  return {
    summary: { findings: result.findings.length, errors: count('error'), warnings: count('warning'), info: count('info'), suppressed: result.suppressed.length },
    findings: result.findings,
    suppressed: result.suppressed,
  };
}

function where(f: LintFinding): string {
  const file = f.file ? `${f.file}${f.line !== undefined ? `:${f.line}` : ''}` : '';
  const object = `${f.object.kind} ${f.object.namespace ? `${f.object.namespace}/` : ''}${f.object.name}`;
  return [file, object, f.path].filter(Boolean).join(' ');
}

export function lintText(result: LintResult): string {
  const lines: string[] = [];
  for (const f of result.findings) {
    lines.push(`${f.severity}: ${where(f)}: ${f.message} [${f.rule}]`);
    lines.push(`  why: ${f.explanation}`);
    lines.push(`  fix: ${f.fix}`);
  }
  const j = lintJson(result).summary;
  lines.push(`${j.findings} finding(s): ${j.errors} error(s), ${j.warnings} warning(s), ${j.info} info; ${j.suppressed} suppressed`);
  return `${lines.join('\n')}\n`;
}

const SARIF_LEVEL: Record<LintSeverity, 'error' | 'warning' | 'note'> = { error: 'error', warning: 'warning', info: 'note' };

/** What the CLI names standard input: no file to point at, so the result keeps its logical location only. */
const STDIN = '<stdin>';

/**
 * A SARIF artifact location. A relative path (the CLI makes paths under the current directory relative) is a
 * relative URI against `%SRCROOT%`, as GitHub code scanning maps alerts to repository files; an absolute path (outside
 * the current directory) is a `file://` URI with no base id: SARIF allows a uriBaseId only on a relative URI.
 */
function sarifArtifact(file: string): { uri: string; uriBaseId?: string } {
  const slashed = file.split('\\').join('/');
  const encoded = slashed.split('/').map(encodeURIComponent).join('/');
  if (slashed.startsWith('/')) return { uri: `file://${encoded}` };
  // A Windows drive path (C:/...): the drive's colon stays as it is.
  if (/^[A-Za-z]:\//.test(slashed)) return { uri: `file:///${slashed.slice(0, 2)}${encoded.slice(4)}` };
  return { uri: encoded.replace(/^(\.\/)+/, ''), uriBaseId: SRCROOT };
}

const SRCROOT = '%SRCROOT%';

/** SARIF 2.1.0: one run, the rule table as the driver's rules, one result per finding (suppressed ones carry
 *  an external suppression with its justification). Locations: the file and line, the field path as a logical location. */
export function lintSarif(result: LintResult, tool: LintToolInfo = DEFAULT_TOOL) {
  const rules = [...result.rules.map((r) => ({ id: r.id, severity: r.severity, title: r.title, description: r.description })), ...META_RULES];
  const index = new Map(rules.map((r, i) => [r.id, i]));
  const toResult = (f: LintFinding, suppression?: { reason: string }) => ({
    ruleId: f.rule,
    ruleIndex: index.get(f.rule) ?? 0,
    level: SARIF_LEVEL[f.severity],
    message: { text: `${f.message}. ${f.explanation} Fix: ${f.fix}` },
    locations: [
      {
        ...(f.file && f.file !== STDIN
          ? {
              physicalLocation: {
                artifactLocation: sarifArtifact(f.file),
                ...(f.line !== undefined ? { region: { startLine: f.line } } : {}),
              },
            }
          : {}),
        logicalLocations: [
          {
            name: f.object.name,
            fullyQualifiedName: `${f.object.kind}/${f.object.namespace ? `${f.object.namespace}/` : ''}${f.object.name}${f.path ? `#${f.path}` : ''}`,
            kind: 'resource',
          },
        ],
      },
    ],
    partialFingerprints: { 'netpolAtlas/v1': canonicalJson([f.rule, f.object.kind, f.object.namespace, f.object.name, f.path]) },
    ...(suppression ? { suppressions: [{ kind: 'external', justification: suppression.reason }] } : {}),
  });
  return {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: tool.name,
            version: tool.version,
            ...(tool.informationUri ? { informationUri: tool.informationUri } : {}),
            rules: rules.map((r) => ({
              id: r.id,
              name: r.id.replace(/(^|-)([a-z])/g, (_m, _d, c: string) => c.toUpperCase()),
              shortDescription: { text: r.title },
              fullDescription: { text: r.description },
              defaultConfiguration: { level: SARIF_LEVEL[r.severity] },
            })),
          },
        },
        results: [...result.findings.map((f) => toResult(f)), ...result.suppressed.map((s) => toResult(s.finding, s.suppression))],
      },
    ],
  };
}
