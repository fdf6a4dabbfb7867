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
}

export const COMMANDS: readonly CommandEntry[] = [
  {
    name: 'list',
    summary: 'every allowed connection (np-guard formats), --explain, --exposure',
    load: async () => (await import('./commands/list.js')).listCommand,
  },
  {
    name: 'eval',
    summary: 'whether one connection is allowed, and which policies and rules decide it',
    load: async () => (await import('./commands/eval.js')).evalCommand,
  },
  {
    name: 'collect',
    summary: 'read a live cluster and write (or upload) one snapshot',
    load: async () => (await import('./commands/collect.js')).collectCommand,
  },
  {
    name: 'diff',
    summary: 'connectivity diff between two snapshots (folders, files or server refs)',
    load: async () => (await import('./commands/diff.js')).diffCommand,
  },
  {
    name: 'check',
    summary: 'CI gate: fail when the connectivity of a folder gains (or loses) connections against a baseline',
    load: async () => (await import('./commands/check.js')).checkCommand,
  },
  {
    name: 'push',
    summary: 'upload manifests to a Netpol Atlas server as one snapshot',
    load: async () => (await import('./commands/push.js')).pushCommand,
  },
  {
    name: 'lint',
    summary: 'lint findings of a snapshot (txt, json, SARIF); --fail-on warning|error',
    load: async () => (await import('./commands/lint.js')).lintCommand,
  },
  {
    name: 'report',
    summary: 'a compliance report (PCI-DSS, SOC 2, CIS, ISO 27001, NIST) from computed reachability',
    load: async () => (await import('./commands/report.js')).reportCommand,
  },
  {
    name: 'probe-plan',
    summary: 'a runnable script of positive and negative connection probes covering every rule and boundary',
    load: async () => (await import('./commands/probe-plan.js')).probePlanCommand,
  },
  {
    name: 'verify',
    summary: 'check an evidence pack offline: every hash and the signature',
    load: async () => (await import('./commands/verify.js')).verifyCommand,
  },
  {
    name: 'audit',
    summary: 'check the server audit log hash chain (audit verify)',
    load: async () => (await import('./commands/audit.js')).auditCommand,
  },
  {
    name: 'who-can-reach',
    summary: 'every workload and IP range allowed to reach a peer (the GraphQL whoCanReach JSON)',
    load: async () => (await import('./commands/reach.js')).whoCanReachCommand,
  },
  {
    name: 'reachable-from',
    summary: 'every workload and IP range a peer may reach (the GraphQL reachableFrom JSON)',
    load: async () => (await import('./commands/reach.js')).reachableFromCommand,
  },
];

/** The command an argument list runs (`netpol eval …`, `netpol help eval`); undefined for `--help`, `--version`. */
export function commandToLoad(args: readonly string[]): CommandEntry | undefined {
  const words = args.filter((arg) => !arg.startsWith('-'));
  const name = words[0] === 'help' ? words[1] : words[0];
  return COMMANDS.find((entry) => entry.name === name);
}
