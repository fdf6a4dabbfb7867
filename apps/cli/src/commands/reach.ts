// `netpol who-can-reach <path> <ns/name> [--port P]` and `netpol reachable-from <path> <ns/name>`: the engine's
// query layer over a manifests folder, printing the same JSON as the GraphQL `whoCanReach` / `reachableFrom`.
import { analyze, EvaluateError, forPodLevel, peerSuggestions, reachableFrom, whoCanReach, type Protocol, type ReachablePeer } from '@netpol-atlas/engine';
import { Command, InvalidArgumentError, Option } from 'commander';
import { loadInputSnapshot } from '../parse-threads.js';
import { InputError } from '../read-inputs.js';
import { EXIT_OK, EXIT_UNUSABLE, processIo, reportIssues, reportNothingUsable, reportProfileNote, type ReportIo } from '../report-io.js';
import { cniEngineOptions, cniOption, type CniOptions } from '../cni-option.js';
import { didYouMean } from '../suggest.js';
import { parsePeer } from './eval.js';
import { usageExit } from './list.js';

interface ReachOptions extends CniOptions {
  readonly port?: string;
  readonly protocol: Protocol;
  readonly output: 'json' | 'txt';
}

export function whoCanReachCommand(io: ReportIo = processIo(), setExitCode: (code: number) => void = (c) => void (process.exitCode = c)): Command {
  return new Command('who-can-reach')
    .description('Every other workload and IP range allowed to reach a peer (on --port: only those allowed on it), with the ports each may use. Exit 0, or 2 on unusable input.')
    .argument('<path>', 'manifest file or directory')
    .argument('<peer>', 'ns/name, ns/name[Kind] or an IP address')
    .option('--port <port>', 'port number or named container port of the peer (default: any port)')
    .addOption(new Option('--protocol <protocol>', 'protocol of --port').choices(['TCP', 'UDP', 'SCTP']).default('TCP'))
    .addOption(new Option('-o, --output <format>', 'output format').choices(['json', 'txt']).default('json'))
    .addOption(cniOption())
    .exitOverride(usageExit)
    .action(async (path: string, peer: string, options: ReachOptions) => {
      setExitCode(await runReach(path, peer, 'who-can-reach', options, io));
    });
}

export function reachableFromCommand(io: ReportIo = processIo(), setExitCode: (code: number) => void = (c) => void (process.exitCode = c)): Command {
  return new Command('reachable-from')
    .description('Every other workload and IP range a peer may reach, with the allowed ports. Exit 0, or 2 on unusable input.')
    .argument('<path>', 'manifest file or directory')
    .argument('<peer>', 'ns/name, ns/name[Kind] or an IP address')
    .addOption(new Option('-o, --output <format>', 'output format').choices(['json', 'txt']).default('json'))
    .addOption(cniOption())
    .exitOverride(usageExit)
    .action(async (path: string, peer: string, options: ReachOptions) => {
      setExitCode(await runReach(path, peer, 'reachable-from', { ...options, protocol: 'TCP' }, io));
    });
}

async function runReach(path: string, peerText: string, query: 'who-can-reach' | 'reachable-from', options: ReachOptions, io: ReportIo): Promise<number> {
  try {
    const parsed = parsePeer(peerText);
    const loaded = await loadInputSnapshot([path], { ...cniEngineOptions(options), project: true });
    if (reportIssues(forPodLevel(loaded.issues), io) || reportNothingUsable(loaded.objectCount, io)) return EXIT_UNUSABLE;
    reportProfileNote(loaded.snapshot, io);
    if ('bareName' in parsed) {
      const candidates = peerSuggestions(loaded.snapshot, { name: parsed.bareName });
      // Worded as eval's --src/--dst: one line, the near names as "did you mean".
      const hint = candidates.length > 0 ? didYouMean(candidates) : '; no workload of that name in the snapshot';
      io.writeStderr(`error: ${parsed.bareName} needs its namespace (ns/name)${hint}\n`);
      return EXIT_UNUSABLE;
    }
    const peer = parsed;
    const analysis = analyze(loaded.snapshot);
    const peers = query === 'who-can-reach' ? whoCanReach(analysis, peer, options.port, options.protocol) : reachableFrom(analysis, peer);
    await io.writeStdout(options.output === 'txt' ? peersText(peers) : `${JSON.stringify(peers, null, 2)}\n`);
    return EXIT_OK;
  } catch (error) {
    if (error instanceof EvaluateError || error instanceof InputError || error instanceof InvalidArgumentError) {
      io.writeStderr(`error: ${error.message}\n`);
      if (error instanceof EvaluateError && error.code !== 'UNKNOWN_PEER' && error.candidates.length > 0) io.writeStderr(`candidates:\n${error.candidates.map((c) => `  ${c}\n`).join('')}`);
      return EXIT_UNUSABLE;
    }
    throw error;
  }
}

function peersText(peers: readonly ReachablePeer[]): string {
  if (peers.length === 0) return 'none\n';
  return peers.map((p) => `${p.peer.type === 'WORKLOAD' ? `${p.peer.namespace}/${p.peer.name}[${p.peer.kind}]` : p.peer.ipRange}: ${p.portsText}\n`).join('');
}
