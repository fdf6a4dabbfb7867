// The golden output behind ENGINE_VERSIONS (src/analysis/engine-versions.ts): `netpol list` txt and
// `netpol list --exposure` txt of a FIXED list of np-guard cases, computed in-process with the engine, concatenated
// with a header per section. The list is written out (not read from the corpus folder) so that new corpus cases do
// not change the digest; changing the list changes the digest, which then needs a new engine version.
import { createHash } from 'node:crypto';
import {
  analyze,
  buildSnapshot,
  exposure,
  formatConnlist,
  formatExposureReport,
  iterateConnectivity,
  parseManifests,
} from '@netpol-atlas/engine';
import { caseDocuments } from './np-guard.js';

export const GOLDEN_CASES = [
  'core_pods_without_host_ip',
  'example_pods_w_same_owner_and_labels_gap_no_policy',
  'example_pods_w_same_owner_and_labels_gap_with_good_match_expression',
  'example_pods_w_same_owner_and_labels_gap_with_policy_selector_not_in_gap',
  'exposure_test_pod_exposed_only_to_representative_peers',
  'ipblockstest',
  'ipblockstest_2',
  'ipblockstest_3',
  'minimal_test_in_ns',
  'multiple_topology_resources_1',
  'multiple_topology_resources_2',
  'multiple_topology_resources_3',
  'netpol-analysis-example-minimal',
  'netpol_named_port_test',
  'netpol_named_port_test_2',
  'new_online_boutique',
  'online_boutique_workloads_no_ns',
  'onlineboutique',
  'onlineboutique_workloads',
  'semanticDiff-different-topologies-policy-a',
  'semanticDiff-different-topologies-policy-a-with-ipblock',
  'semanticDiff-different-topologies-policy-b',
  'semanticDiff-orig-topologies-no-policy',
  'semanticDiff-orig-topologies-policy-a',
  'semanticDiff-same-topologies-new1',
  'semanticDiff-same-topologies-new1a',
  'semanticDiff-same-topologies-new3',
  'semanticDiff-same-topologies-old1',
  'semanticDiff-same-topologies-old2',
  'semanticDiff-same-topologies-old3',
  'test_with_named_ports',
  'test_with_named_ports_changed_netpol',
  'with_end_port_example',
  'with_end_port_example_new',
] as const;

/** The golden text of one case: its connlist, then its exposure report (both np-guard txt). */
export function goldenCaseText(name: string): string {
  const { objects } = parseManifests(caseDocuments(name));
  const analysis = analyze(buildSnapshot(objects).snapshot);
  const list = formatConnlist(iterateConnectivity(analysis), 'txt');
  const exposed = formatExposureReport(iterateConnectivity(analysis), exposure(analysis), 'txt');
  return `## ${name} list\n${list}## ${name} list --exposure\n${exposed}`;
}

export function goldenDigest(): string {
  const hash = createHash('sha256');
  for (const name of GOLDEN_CASES) hash.update(goldenCaseText(name), 'utf8');
  return hash.digest('hex');
}
