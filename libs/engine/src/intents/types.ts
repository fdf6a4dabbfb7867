// SegmentationIntents (apiVersion netpol-atlas/v1): zones, the flows allowed between them ("nothing else"),
// and exceptions with owner, justification and expiry. Plain data after validation.
import type { ConnectionSet } from '../algebra/connection-set.js';
import type { IpSet } from '../algebra/ip-set.js';
import type { LabelSelectorSpec } from '../algebra/selector.js';

export const INTENTS_KIND = 'SegmentationIntents';
/** Built-in zone names: IPs outside every declared zone, and workloads in no zone. */
export const EXTERNAL_ZONE = 'external';
export const UNZONED = 'unzoned';

export interface ZoneSpec {
  readonly name: string;
  readonly description?: string;
  /** Workload zones: namespaces by labels and/or names, pods by labels (AND-ed). */
  readonly namespaceSelector?: LabelSelectorSpec;
  readonly namespaces?: readonly string[];
  readonly podSelector?: LabelSelectorSpec;
  /** IP zones: CIDRs (e.g. 0.0.0.0/0 for "the internet"); the zone then holds no workloads. */
  readonly ipBlocks?: readonly string[];
}

export interface FlowEnd {
  readonly zone: string;
  /** Optionally only these workloads of the zone: `namespace/name` of the top-level controller. */
  readonly workloads?: readonly string[];
}

export interface FlowPort {
  readonly protocol: 'TCP' | 'UDP' | 'SCTP';
  /** Absent = every port of the protocol. */
  readonly port?: number;
  readonly endPort?: number;
}

export interface FlowSpec {
  readonly from: FlowEnd;
  readonly to: FlowEnd;
  /** Absent = every port of every protocol. */
  readonly ports?: readonly FlowPort[];
  readonly description?: string;
  /** `allowedFlows[2]` or `exceptions[0]`: where it was written. */
  readonly path: string;
}

export interface ExceptionSpec extends FlowSpec {
  readonly owner: string;
  readonly justification: string;
  /** `YYYY-MM-DD` or RFC 3339. */
  readonly expires: string;
}

export interface SegmentationIntents {
  readonly name: string;
  readonly zones: readonly ZoneSpec[];
  readonly allowedFlows: readonly FlowSpec[];
  readonly exceptions: readonly ExceptionSpec[];
  /** Traffic between two workloads of one zone: allowed unless `deny`. */
  readonly intraZone: 'allow' | 'deny';
  /** The file it came from (display). */
  readonly source?: string;
}

export interface CompiledFlow {
  readonly spec: FlowSpec;
  readonly ports: ConnectionSet;
}

export interface CompiledZone {
  readonly spec: ZoneSpec;
  readonly ips?: { readonly v4: IpSet; readonly v6: IpSet };
}
