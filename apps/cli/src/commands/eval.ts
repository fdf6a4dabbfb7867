// `netpol eval <path>… --src S --dst D --port N|NAME`: one connection's verdict and why. txt starts with
// `allowed` or `denied`; -o json prints the object the GraphQL `reachability` query returns.
import {
  connectionExplanationLines,
  EvaluateError,
  evaluate,
  explainConnection,
  isProtocol,
  loadSnapshot,
  parseIp,
  type PeerSpec,
  type Protocol,
  type SideExplanation,
  type Verdict,
} from '@netpol-atlas/engine';
import { Command, InvalidArgumentError, Option } from 'commander';
import { InputError, readInputs } from '../read-inputs.js';
import { EXIT_OK, EXIT_UNUSABLE, processIo, reportIssues, Timings, type ReportIo, usageExit } from '../report-io.js';

export interface EvalOptions {
  readonly src: PeerSpec;
  readonly dst: PeerSpec;
  readonly port: string;
  readonly protocol?: Protocol;
  readonly explain?: boolean;
  readonly output: 'txt' | 'json';
  readonly timings?: boolean;
}

export function evalCommand(io: ReportIo = processIo(), setExitCode: (code: number) => void = (c) => void (process.exitCode = c)): Command {
  return new Command('eval')
    .description(
      'Whether one connection is allowed, and which policies and rules decide it. ' +
        'Exit 0 when the verdict is printed (allowed or denied), 2 on unusable input or an unknown/ambiguous peer.',
    )
    .argument('<path...>', 'manifest files or directories (read recursively: .yaml, .yml, .json); - for stdin')
    .requiredOption('--src <peer>', 'source: ns/name, ns/name[Kind] or an IP', parsePeer)
    .requiredOption('--dst <peer>', 'destination: ns/name, ns/name[Kind] or an IP', parsePeer)
    .requiredOption('--port <port>', 'port number, or a named container port of the destination')
    .option('--protocol <protocol>', 'TCP, UDP or SCTP (default TCP, or the named port\'s protocol)', parseProtocol)
    .option('--explain', 'print every policy and rule of both sides')
    .addOption(new Option('-o, --output <format>', 'output format').choices(['txt', 'json']).default('txt'))
    .option('--timings', 'print phase timings and peak RSS on stderr')
    .exitOverride(usageExit)
    .action(async (paths: string[], options: EvalOptions) => {
      setExitCode(await runEval(paths, options, io));
    });
}

export async function runEval(paths: readonly string[], options: EvalOptions, io: ReportIo): Promise<number> {
  const timings = new Timings();
  try {
    const loaded = await timings.measure('parse', async () => loadSnapshot(await readInputs(paths)));
    if (reportIssues(loaded.issues, io)) return EXIT_UNUSABLE;
    const port = /^\d+$/.test(options.port) ? Number(options.port) : options.port;
    const verdict = await timings.measure('analyze', () => evaluate(loaded.snapshot, options.src, options.dst, port, options.protocol));
    // --explain (txt) ends with np-guard's wording: the class of the asked port and the rules of both sides.
    const explained =
      options.explain && options.output !== 'json'
        ? `\n${connectionExplanationLines(explainConnection(loaded.snapshot, options.src, options.dst, port, options.protocol)).join('\n')}\n`
        : '';
    await timings.measure('output', () =>
      io.writeStdout(options.output === 'json' ? `${JSON.stringify(verdict, null, 2)}\n` : verdictText(verdict, options.explain === true) + explained),
    );
  } catch (error) {
    if (error instanceof EvaluateError) {
      io.writeStderr(`error: ${error.message}\n`);
      if (error.candidates.length > 0) io.writeStderr(`candidates:\n${error.candidates.map((c) => `  ${c}\n`).join('')}`);
      return EXIT_UNUSABLE;
    }
    if (error instanceof InputError) {
      io.writeStderr(`error: ${error.message}\n`);
      return EXIT_UNUSABLE;
    }
    throw error;
  }
  if (options.timings) io.writeStderr(timings.line());
  return EXIT_OK;
}

/** `allowed`/`denied`, the summary, and with --explain each side's policies, allowing rules and denials. */
export function verdictText(verdict: Verdict, explain: boolean): string {
  const lines = [verdict.allowed ? 'allowed' : 'denied', verdict.explanation.summary];
  if (explain) {
    lines.push('', ...sideText('egress', verdict.explanation.egress), ...sideText('ingress', verdict.explanation.ingress));
  }
  return `${lines.join('\n')}\n`;
}

const REASONS: Record<string, string> = {
  'no-rules': 'has no rule in this direction',
  'no-peer-match': 'no peer matched',
  'port-not-listed': 'port not listed',
  'named-port-unresolved': 'named port unresolved on the destination',
};

function sideText(direction: 'egress' | 'ingress', side: SideExplanation): string[] {
  if (!side.checked) return [`${direction}: not checked (an IP outside the cluster)`];
  const head = `${direction} of ${side.subject}: ${side.allowed ? 'allowed' : 'denied'}`;
  if (!side.isolated) return [`${head} (not isolated: default allow)`];
  const lines = [`${head}; isolated by ${side.policies.join(', ')}`];
  for (const a of side.allowedBy) {
    const ports = a.ports.map((p) => `${p.protocol} ${p.from === p.to ? p.from : `${p.from}-${p.to}`}${p.name ? ` (${p.name})` : ''}`);
    lines.push(`  allowed by ${a.namespace}/${a.policy} ${a.rule}: ${ports.join(', ') || 'no ports'}`);
  }
  for (const d of side.denials) lines.push(`  ${d.namespace}/${d.policy}${d.rule ? ` ${d.rule}` : ''}: ${REASONS[d.reason]}`);
  return lines;
}

/** `ns/name`, `ns/name[Kind]` or an IP address. */
export function parsePeer(text: string): PeerSpec {
  if (parseIp(text)) return { ip: text };
  const m = /^([^/[\]]+)\/([^/[\]]+)(?:\[([^/[\]]+)\])?$/.exec(text.trim());
  if (!m) throw new InvalidArgumentError('expected ns/name, ns/name[Kind] or an IP address');
  return m[3] ? { namespace: m[1], name: m[2], kind: m[3] } : { namespace: m[1], name: m[2] };
}

function parseProtocol(text: string): Protocol {
  const upper = text.toUpperCase();
  if (!isProtocol(upper)) throw new InvalidArgumentError('expected TCP, UDP or SCTP');
  return upper;
}
