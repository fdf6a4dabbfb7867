// `--cni NAME`: one option for every command that analyses a snapshot (list, eval, diff, check, lint, report, who-can-reach,
// reachable-from): the CNI semantic profile whose choices apply (engine cni-profiles/).
import { CNI_PROFILE_NAMES, type CniProfileName } from '@netpol-atlas/engine';
import { Option } from 'commander';

export interface CniOptions {
  readonly cni?: CniProfileName;
}

export function cniOption(): Option {
  return new Option(
    '--cni <name>',
    'CNI semantic profile: which policy kinds are enforced, whether ipBlocks match pod IPs, derived labels ' +
      '(default: cilium when the input holds Cilium policies, else np-guard)',
  ).choices(CNI_PROFILE_NAMES);
}

/** The engine options a command's `--cni` gives (none: the engine's default). */
export function cniEngineOptions(options: CniOptions): { cni?: CniProfileName } {
  return options.cni ? { cni: options.cni } : {};
}
