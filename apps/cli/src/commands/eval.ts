// `netpol eval <path>… --src S --dst D --port N|NAME`: one connection's verdict and why. txt starts with
// `allowed` or `denied`; -o json prints the object the GraphQL `reachability` query returns (with each side's tiered
// decision `steps`).
import {
  connectionExplanationLines,
  EvaluateError,
  evaluate,
  evaluateIcmp,
  evaluateIcmpWithSteps,
  evaluateWithSteps,
  decisionText,
  explainConnection,
  forPodLevel,
  isProtocol,
  parsePeerRef,
  peerSuggestions,
  type PeerSpec,
  type PortRangeOut,
  type Protocol,
  type SideExplanation,
  type Snapshot,
  type SteppedVerdict,
  type Verdict,
} from '@netpol-atlas/engine';
import { Command, InvalidArgumentError, Option } from 'commander';
import { cniEngineOptions, cniOption, type CniOptions } from '../cni-option.js';
import { didYouMean } from '../suggest.js';
import { loadInputSnapshot } from '../parse-threads.js';
import { InputError } from '../read-inputs.js';
import { EXIT_OK, EXIT_UNUSABLE, processIo, reportIssues, reportNothingUsable, reportProfileNote, Timings, type ReportIo, usageExit } from '../report-io.js';

export interface EvalOptions extends CniOptions {
  readonly src?: CliPeer;
  readonly dst?: CliPeer;
  readonly port?: string;
  /** Answer many questions in one process: JSON lines on stdin, one verdict line each on stdout. */
  readonly batch?: boolean;
  readonly protocol?: Protocol | 'ICMP';
  readonly icmpType?: number;
  readonly icmpCode?: number;
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
    .option('--src <peer>', 'source: ns/name, ns/name[Kind] or an IP (a bare name lists its namespaced candidates; required without --batch)', parsePeer)
    .option('--dst <peer>', 'destination: ns/name, ns/name[Kind] or an IP (required without --batch)', parsePeer)
    .option('--port <port>', 'port number, or a named container port of the destination (required without --batch)')
    .option(
      '--batch',
      'read questions as JSON lines on stdin ({"from","to","port","protocol"}, or {"from","to","protocol":"ICMP","icmpType","icmpCode"}) and print one JSON line per question ' +
        '({"verdict":"allowed"|"denied"} or {"error"}; with --explain also "explanation", as -o json has it: both sides with their tiered steps), in order, from one parse and analysis',
    )
    .option('--protocol <protocol>', 'TCP, UDP, SCTP or ICMP (default TCP, or the named port\'s protocol; ICMP takes no --port: ping)', parseProtocol)
    .option('--icmp-type <type>', 'with --protocol ICMP: the ICMP type (default: echo request, 8 for IPv4, 128 for IPv6)', parseIcmpNumber)
    .option('--icmp-code <code>', 'with --protocol ICMP and --icmp-type: the ICMP code (default 0)', parseIcmpNumber)
    .option('--explain', 'print every policy and rule of both sides (with --batch: each answer carries the explanation and its steps)')
    .addOption(cniOption())
    .addOption(new Option('-o, --output <format>', 'output format').choices(['txt', 'json']).default('txt'))
    .option('--timings', 'print phase timings and peak RSS on stderr')
    .exitOverride(usageExit)
    .action(async (paths: string[], options: EvalOptions) => {
      setExitCode(await runEval(paths, options, io));
    });
}

export async function runEval(paths: readonly string[], options: EvalOptions, io: ReportIo): Promise<number> {
  if (options.batch) return runBatch(paths, options, io);
  const icmp = options.protocol === 'ICMP';
  if (icmp && options.port !== undefined) {
    io.writeStderr('error: --protocol ICMP takes no --port (use --icmp-type/--icmp-code)\n');
    return EXIT_UNUSABLE;
  }
  if (!icmp && (options.icmpType !== undefined || options.icmpCode !== undefined)) {
    io.writeStderr('error: --icmp-type and --icmp-code need --protocol ICMP\n');
    return EXIT_UNUSABLE;
  }
  if (!options.src || !options.dst || (options.port === undefined && !icmp)) {
    const missing = !options.src ? '--src <peer>' : !options.dst ? '--dst <peer>' : '--port <port>';
    io.writeStderr(`error: required option '${missing}' not specified (without --batch)\n`);
    return EXIT_UNUSABLE;
  }
  const { src: srcOption, dst: dstOption } = options;
  const timings = new Timings();
  try {
    const loaded = await timings.measure('parse', async () => loadInputSnapshot(paths, { ...cniEngineOptions(options), project: true }));
    // Per-pod answers never refuse for pods of one owner that differ; a named workload that one answer cannot
    // stand for is refused by evaluate (SPLIT_WORKLOAD, with its pods as candidates).
    if (reportIssues(forPodLevel(loaded.issues), io) || reportNothingUsable(loaded.objectCount, io)) return EXIT_UNUSABLE;
    const portOption = options.port ?? '';
    const port = /^\d+$/.test(portOption) ? Number(portOption) : portOption;
    const protocol = options.protocol === 'ICMP' ? undefined : options.protocol;
    const src = requirePeer(loaded.snapshot, '--src', srcOption);
    const dst = requirePeer(loaded.snapshot, '--dst', dstOption);
    let verdict: Verdict;
    try {
      // json is the GraphQL `reachability` object, so it carries each side's tiered decision steps too.
      const stepped = options.output === 'json';
      const icmpAsked = { type: options.icmpType, code: options.icmpCode };
      verdict = await timings.measure('analyze', () =>
        icmp
          ? (stepped ? evaluateIcmpWithSteps : evaluateIcmp)(loaded.snapshot, src, dst, icmpAsked)
          : (stepped ? evaluateWithSteps : evaluate)(loaded.snapshot, src, dst, port, protocol),
      );
    } catch (error) {
      // The engine's message names the near workloads ("did you mean …"), as the API's NOT_FOUND does.
      if (error instanceof EvaluateError && error.code === 'UNKNOWN_PEER') throw new PeerError(error.message);
      throw error;
    }
    // --explain (txt) ends with np-guard's wording: the class of the asked port and the rules of both sides.
    // np-guard's wording knows allow-only NetworkPolicy semantics: with Cilium's deny rules it would contradict the
    // verdict, so it is left out there (the lines above name every deciding rule and its action).
    const npGuardExplainable = !loaded.snapshot.policies.some((p) => p.dialect === 'cilium');
    const explained =
      options.explain && options.output !== 'json' && !icmp && npGuardExplainable
        ? `\n${connectionExplanationLines(explainConnection(loaded.snapshot, src, dst, port, protocol)).join('\n')}\n`
        : '';
    for (const caveat of verdict.caveats) io.writeStderr(`warning: ${caveat.message}\n`);
    await timings.measure('output', () =>
      io.writeStdout(options.output === 'json' ? `${JSON.stringify(verdict, null, 2)}\n` : verdictText(verdict, options.explain === true) + explained),
    );
  } catch (error) {
    if (error instanceof EvaluateError) {
      io.writeStderr(`error: ${error.message}\n`);
      if (error.candidates.length > 0) io.writeStderr(`candidates:\n${error.candidates.map((c) => `  ${c}\n`).join('')}`);
      return EXIT_UNUSABLE;
    }
    if (error instanceof InputError || error instanceof PeerError) {
      io.writeStderr(`error: ${error.message}\n`);
      return EXIT_UNUSABLE;
    }
    throw error;
  }
  if (options.timings) io.writeStderr(timings.line());
  return EXIT_OK;
}

interface BatchQuestion {
  readonly from?: unknown;
  readonly to?: unknown;
  readonly port?: unknown;
  readonly protocol?: unknown;
  readonly icmpType?: unknown;
  readonly icmpCode?: unknown;
}

/** --batch: the snapshot is parsed and analysed once; each stdin line is one question, answered on its own
 *  stdout line (a bad question gets an `error` line and the batch goes on). */
async function runBatch(paths: readonly string[], options: EvalOptions, io: ReportIo): Promise<number> {
  try {
    const loaded = await loadInputSnapshot(paths, { ...cniEngineOptions(options), project: true });
    if (reportIssues(forPodLevel(loaded.issues), io) || reportNothingUsable(loaded.objectCount, io)) return EXIT_UNUSABLE;
    // The answer lines carry the verdict word only: the note goes to stderr once, as for the other reports.
    reportProfileNote(loaded.snapshot, io);
    let input = '';
    for await (const chunk of process.stdin) input += String(chunk);
    const out: string[] = [];
    for (const line of input.split('\n')) {
      if (line.trim() === '') continue;
      out.push(JSON.stringify(answer(loaded.snapshot, line, options.explain === true)));
    }
    await io.writeStdout(out.length > 0 ? `${out.join('\n')}\n` : '');
    return EXIT_OK;
  } catch (error) {
    if (error instanceof InputError) {
      io.writeStderr(`error: ${error.message}\n`);
      return EXIT_UNUSABLE;
    }
    throw error;
  }
}

type BatchAnswer = { verdict: 'allowed' | 'denied'; explanation?: SteppedVerdict['explanation'] } | { error: string };

/** The answer line: the verdict, and with --explain the explanation with its tiered steps (as -o json has it). */
function batchVerdict(verdict: Verdict | SteppedVerdict, explain: boolean): BatchAnswer {
  const word = verdict.allowed ? 'allowed' : 'denied';
  return explain ? { verdict: word, explanation: (verdict as SteppedVerdict).explanation } : { verdict: word };
}

function answer(snapshot: Parameters<typeof evaluate>[0], line: string, explain: boolean): BatchAnswer {
  try {
    const q = JSON.parse(line) as BatchQuestion;
    if (typeof q.from !== 'string' || typeof q.to !== 'string') return { error: 'from and to must be strings (ns/name, ns/name[Kind] or an IP)' };
    const protocol = q.protocol === undefined ? undefined : String(q.protocol).toUpperCase();
    if (protocol === 'ICMP') {
      if (q.port !== undefined) return { error: 'an ICMP question has no port (icmpType/icmpCode instead)' };
      const number = (v: unknown) => (v === undefined || typeof v === 'number' ? v : NaN);
      const icmp = { type: number(q.icmpType), code: number(q.icmpCode) };
      return batchVerdict((explain ? evaluateIcmpWithSteps : evaluateIcmp)(snapshot, batchPeer(snapshot, q.from), batchPeer(snapshot, q.to), icmp), explain);
    }
    if (typeof q.port !== 'number' && typeof q.port !== 'string') return { error: 'port must be a number or a port name' };
    if (protocol !== undefined && !isProtocol(protocol)) return { error: `unsupported protocol ${String(q.protocol)}: expected TCP, UDP, SCTP or ICMP` };
    const port = typeof q.port === 'string' && /^\d+$/.test(q.port) ? Number(q.port) : q.port;
    const from = batchPeer(snapshot, q.from);
    const to = batchPeer(snapshot, q.to);
    return batchVerdict((explain ? evaluateWithSteps : evaluate)(snapshot, from, to, port, protocol), explain);
  } catch (error) {
    return { error: (error as Error).message };
  }
}

/** A batch question's peer: as on the command line; a bare name is an error naming its candidates. */
function batchPeer(snapshot: Snapshot, text: string): PeerSpec {
  const peer = parsePeer(text);
  if (!('bareName' in peer)) return peer;
  const candidates = peerSuggestions(snapshot, { name: peer.bareName });
  throw new Error(`${peer.bareName} needs its namespace (ns/name)${candidates.length > 0 ? didYouMean(candidates) : ''}`);
}

/** `allowed`/`denied`, the summary, and with --explain each side's policies, allowing rules and denials. */
export function verdictText(verdict: Verdict, explain: boolean): string {
  const lines = [verdict.allowed ? 'allowed' : 'denied', verdict.explanation.summary];
  // Which CNI's semantics produced the verdict (the first line stays the verdict word).
  if (verdict.cniProfile) lines.push(`cni profile: ${verdict.cniProfile}`);
  // No CNI declared and Calico policies evaluated under np-guard's reading: the profile's name alone would mislead.
  if (verdict.cniProfileNote) lines.push(`cni profile note: ${verdict.cniProfileNote}`);
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
  'denied-by-rule': 'denies it (action deny)',
};

function sideText(direction: 'egress' | 'ingress', side: SideExplanation): string[] {
  if (!side.checked) return [`${direction}: not checked (an IP outside the cluster)`];
  const head = `${direction} of ${side.subject}: ${side.allowed ? 'allowed' : 'denied'}`;
  if (side.decision) return [`${head}; ${decisionText(side.decision, side.subject ?? '')}`];
  if (!side.isolated && side.allowed) return [`${head} (not isolated: default allow)`];
  const lines = [side.isolated ? `${head}; isolated by ${side.policies.join(', ')}` : `${head}; not isolated`];
  for (const a of side.allowedBy) lines.push(`  allowed by ${a.namespace}/${a.policy} ${a.rule}: ${withIcmp(portList(a.ports), a.icmp) || 'no ports'}`);
  for (const d of side.denials) {
    const reason = d.reason === 'port-not-listed' && d.ports ? `allows only ${withIcmp(portList(d.ports), d.icmp)}, not the asked port` : REASONS[d.reason];
    lines.push(`  ${d.namespace}/${d.policy}${d.rule ? ` ${d.rule}` : ''}: ${reason}`);
  }
  return lines;
}

/** The ports, then the ICMP a Calico or Cilium rule allows too (`TCP 80, ICMP type 8`). */
function withIcmp(ports: string, icmp: string | undefined): string {
  return [ports, icmp].filter((t) => t).join(', ');
}

/** `TCP 5432, TCP 9187 (metrics)`. */
function portList(ports: readonly PortRangeOut[]): string {
  return ports.map((p) => `${p.protocol} ${p.from === p.to ? p.from : `${p.from}-${p.to}`}${p.name ? ` (${p.name})` : ''}`).join(', ');
}

/** `ns/name`, `ns/name[Kind]`, an IP address, or a bare name (resolved against the snapshot: candidates, exit 2). */
export function parsePeer(text: string): CliPeer {
  const ref = parsePeerRef(text);
  if ('invalid' in ref) throw new InvalidArgumentError(ref.invalid);
  return 'peer' in ref ? ref.peer : { bareName: ref.bareName };
}

/** A peer as given on the command line: a bare name still needs its namespace. */
export type CliPeer = PeerSpec | { readonly bareName: string };

class PeerError extends Error {}

/** The engine's peer; a bare name, or a peer the snapshot does not have, becomes an error with the near names. */
function requirePeer(snapshot: Snapshot, option: '--src' | '--dst', peer: CliPeer): PeerSpec {
  if (!('bareName' in peer)) return peer;
  const candidates = peerSuggestions(snapshot, { name: peer.bareName });
  const hint = candidates.length > 0 ? didYouMean(candidates) : '; no workload of that name in the snapshot';
  throw new PeerError(`${option} ${peer.bareName} needs its namespace (ns/name)${hint}`);
}

function parseProtocol(text: string): Protocol | 'ICMP' {
  const upper = text.toUpperCase();
  if (upper === 'ICMP') return upper;
  if (!isProtocol(upper)) throw new InvalidArgumentError('expected TCP, UDP, SCTP or ICMP');
  return upper;
}

function parseIcmpNumber(text: string): number {
  if (!/^\d+$/.test(text) || Number(text) > 255) throw new InvalidArgumentError('expected an integer 0-255');
  return Number(text);
}
