// `netpol collect`: read a live cluster and write or upload one snapshot (see src/collect/).
import { Command, InvalidArgumentError } from 'commander';
import { type CollectIo, runCollect } from '../collect/run.js';
import { writeProcessStdout } from '../stdout.js';

export function collectCommand(
  io: CollectIo = processIo(),
  setExitCode: (code: number) => void = (code) => void (process.exitCode = code),
): Command {
  return new Command('collect')
    .description(
      'Read a live cluster (namespaces, pods, workloads, services, NetworkPolicies and any AdminNetworkPolicy, Calico or ' +
        'Cilium policies) and write one snapshot (a kind: List JSON), or upload it to a Netpol Atlas server. ' +
        'Exit 0: snapshot written, possibly incomplete (warnings on stderr, annotations in the List); exit 2: nothing written ' +
        '(bad options, kubeconfig, API server unreachable or failing, upload refused); exit 1: the upload server is unreachable or failed.',
    )
    .option('--kubeconfig <file>', 'kubeconfig file (default: $KUBECONFIG, then ~/.kube/config, then in-cluster)')
    .option('--context <name>', 'kubeconfig context (default: its current-context)')
    .option('-A, --all-namespaces', 'read every namespace')
    .option('-n, --namespace <namespace...>', "read these namespaces (default: the context's namespace, else default)")
    .option('--out <file>', 'write the snapshot to FILE; - for stdout (the default)')
    .option('--push <url>', 'upload the snapshot gzipped to the server at URL (POST URL/api/v1/clusters/NAME/snapshots)')
    .option('--cluster <name>', 'cluster name for --push')
    .option('--chunk-size <n>', 'objects per list request (limit/continue paging)', positiveNumber, 500)
    .option('--request-timeout <seconds>', 'timeout of each API request', positiveNumber, 60)
    .action(async (options: Parameters<typeof runCollect>[0]) => {
      setExitCode(await runCollect(options, io));
    });
}

function positiveNumber(value: string): number {
  const parsed = Number(value);
  if (!Number.isFinite(parsed) || parsed <= 0) throw new InvalidArgumentError('must be a positive number');
  return parsed;
}

function processIo(): CollectIo {
  return {
    writeStdout: writeProcessStdout,
    writeStderr: (text) => {
      process.stderr.write(text);
    },
    stderrIsTTY: process.stderr.isTTY === true,
    now: () => new Date(),
  };
}
