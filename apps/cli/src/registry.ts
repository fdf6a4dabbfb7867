// The `netpol` subcommands, loaded on demand.
//
// How a command registers: add one entry to COMMANDS with its `name`, a one-line `summary` (what `netpol --help`
// prints without loading anything) and `load`, a dynamic `import()` of its module returning the function that builds
// its commander `Command` (options, arguments, action). Keep heavy imports (the engine, the Kubernetes client) in
// that module or below it, never here or in main.ts: main.ts loads only the module of the command being run.
import type { Command } from 'commander';

export interface CommandEntry {
  readonly name: string;
  readonly summary: string;
  readonly load: () => Promise<() => Command>;
  /** What each exit code means for this command, as `netpol --help` and the README table print it (the CLI's
   *  exit-codes spec runs every command into each code it documents). */
  readonly exitCodes: Readonly<Partial<Record<ExitCode, string>>>;
}

export type ExitCode = 0 | 1 | 2;

/** Exit 0 and 2 of a command that prints a report (or answer) whenever its input is usable. */
const REPORT_EXITS = { 0: 'the report is printed (warnings on stderr)', 2: 'unusable input (located issues on stderr) or a usage error' } as const;

export const COMMANDS: readonly CommandEntry[] = [
  {
    name: 'list',
    summary: 'every allowed connection (np-guard formats), --explain, --exposure',
    load: async () => (await import('./commands/list.js')).listCommand,
    exitCodes: REPORT_EXITS,
  },
  {
    name: 'eval',
    summary: 'whether one connection is allowed, and which policies and rules decide it',
    load: async () => (await import('./commands/eval.js')).evalCommand,
    exitCodes: { 0: 'verdict printed (allowed or denied)', 2: 'unusable input, an unknown peer (with candidates) or a usage error' },
  },
  {
    name: 'collect',
    summary: 'read a live cluster and write (or upload) one snapshot',
    load: async () => (await import('./commands/collect.js')).collectCommand,
    exitCodes: { 0: 'snapshot written, possibly incomplete (warnings on stderr)', 1: 'the upload server is unreachable or failed', 2: 'nothing written: bad options, kubeconfig, API server unreachable or failing, upload refused' },
  },
  {
    name: 'diff',
    summary: 'connectivity diff between two snapshots (folders, files or server refs)',
    load: async () => (await import('./commands/diff.js')).diffCommand,
    exitCodes: REPORT_EXITS,
  },
  {
    name: 'check',
    summary: 'CI gate: fail when the connectivity of a folder gains (or loses) connections against a baseline',
    load: async () => (await import('./commands/check.js')).checkCommand,
    exitCodes: { 0: 'nothing forbidden changed (--against); every allowed crossing conforms and no exception expired (--intents)', 1: 'a forbidden change, an intents violation or an expired exception (both flags: the worse)', 2: REPORT_EXITS[2] },
  },
  {
    name: 'push',
    summary: 'upload manifests to a Netpol Atlas server as one snapshot',
    load: async () => (await import('./commands/push.js')).pushCommand,
    exitCodes: { 0: 'uploaded', 1: 'the server cannot be reached or fails', 2: 'invalid input or a refused upload (issues on stderr)' },
  },
  {
    name: 'lint',
    summary: 'lint findings of a snapshot (txt, json, SARIF); --fail-on warning|error',
    load: async () => (await import('./commands/lint.js')).lintCommand,
    exitCodes: { 0: 'no finding reaches --fail-on (default error; never: always 0)', 1: 'a finding reaches --fail-on', 2: REPORT_EXITS[2] },
  },
  {
    name: 'report',
    summary: 'a compliance report (PCI-DSS, SOC 2, CIS, ISO 27001, NIST) from computed reachability',
    load: async () => (await import('./commands/report.js')).reportCommand,
    exitCodes: REPORT_EXITS,
  },
  {
    name: 'probe-plan',
    summary: 'a runnable script of positive and negative connection probes covering every rule and boundary',
    load: async () => (await import('./commands/probe-plan.js')).probePlanCommand,
    exitCodes: REPORT_EXITS,
  },
  {
    name: 'verify',
    summary: 'check an evidence pack offline: every hash and the signature',
    load: async () => (await import('./commands/verify.js')).verifyCommand,
    exitCodes: { 0: 'every hash and the signature hold', 1: 'a hash or the signature does not', 2: 'unreadable pack or key' },
  },
  {
    name: 'audit',
    summary: 'check the server audit log hash chain (audit verify)',
    load: async () => (await import('./commands/audit.js')).auditCommand,
    exitCodes: { 0: 'the audit log chain is intact', 1: 'a link is broken', 2: 'the log cannot be read (server, token)' },
  },
  {
    name: 'who-can-reach',
    summary: 'every workload and IP range allowed to reach a peer (the GraphQL whoCanReach JSON)',
    load: async () => (await import('./commands/reach.js')).whoCanReachCommand,
    exitCodes: REPORT_EXITS,
  },
  {
    name: 'reachable-from',
    summary: 'every workload and IP range a peer may reach (the GraphQL reachableFrom JSON)',
    load: async () => (await import('./commands/reach.js')).reachableFromCommand,
    exitCodes: REPORT_EXITS,
  },
];

/** The command an argument list runs (`netpol eval …`, `netpol help eval`); undefined for `--help`, `--version`. */
export function commandToLoad(args: readonly string[]): CommandEntry | undefined {
  const words = args.filter((arg) => !arg.startsWith('-'));
  const name = words[0] === 'help' ? words[1] : words[0];
  return COMMANDS.find((entry) => entry.name === name);
}

/** The exit codes of every command, for `netpol --help`: one block per code, a line per command. */
export function exitCodesHelp(): string {
  const lines = ['', 'Exit codes:'];
  for (const code of [0, 1, 2] as const) {
    lines.push(`  ${code}`);
    for (const entry of COMMANDS) {
      const meaning = entry.exitCodes[code];
      if (meaning) lines.push(`    ${entry.name.padEnd(15)} ${meaning}`);
    }
  }
  return `${lines.join('\n')}\n`;
}

/** The same as a Markdown table (the README's "Exit codes"). */
export function exitCodesMarkdown(): string {
  const cell = (text: string | undefined) => text ?? '—';
  const rows = COMMANDS.map((entry) => `| \`${entry.name}\` | ${cell(entry.exitCodes[0])} | ${cell(entry.exitCodes[1])} | ${cell(entry.exitCodes[2])} |`);
  return ['| command | 0 | 1 | 2 |', '|---|---|---|---|', ...rows].join('\n') + '\n';
}
