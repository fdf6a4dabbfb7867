// Plain-data result of the exposure analysis (np-guard `list --exposure`, FORMAT.md section 10): what each
// workload could talk to beyond the workloads present in the input.
import type { IpFamily } from '../algebra/ip-set.js';
import type { NamedPortRef } from '../algebra/rule-ports.js';
import type { SelectorOperator } from '../algebra/selector.js';
import type { Direction } from '../model/types.js';
import type { ConnRangeOut } from '../output/conn-string.js';

export interface ExposureNamedPort {
  readonly protocol: NamedPortRef['protocol'] | '';
  readonly name: string;
}

/** A label selector as written in a policy rule (matchExpressions values keep their written order). */
export interface LabelSelectorOut {
  readonly matchLabels: Readonly<Record<string, string>>;
  readonly matchExpressions: readonly { readonly key: string; readonly operator: SelectorOperator; readonly values: readonly string[] }[];
}

export interface ExposureConnection {
  /** np-guard's text, e.g. `All Connections`, `TCP 8080`, `TCP 53,dns` (unresolvable named ports stay names). */
  readonly text: string;
  readonly all: boolean;
  /** Numeric port ranges, TCP then UDP then SCTP. */
  readonly ranges: readonly ConnRangeOut[];
  /** Named ports no real container resolves (the other end is the entire cluster or a representative peer);
   *  protocol '' for an AdminNetworkPolicy `namedPort`, which names no protocol. */
  readonly namedPorts: readonly ExposureNamedPort[];
}

/**
 * A potential peer that stands for any pod some rule's selectors could match, real or not yet existing.
 * `name` is np-guard's `<namespace part>/<pod part>`.
 */
export interface RepresentativePeerOut {
  readonly type: 'representative';
  readonly name: string;
  /** `{}` (no labels, no expressions) = all namespaces. A rule without namespaceSelector gets its policy's
   *  namespace as `kubernetes.io/metadata.name`. */
  readonly namespaceSelector: LabelSelectorOut;
  /** null or `{}` = all pods of the selected namespaces. */
  readonly podSelector: LabelSelectorOut | null;
  /** Set when the namespace part is exactly one namespace name. */
  readonly namespace?: string;
}

export type ExposureTarget =
  | {
      readonly type: 'entire-cluster';
      readonly name: 'entire-cluster';
      /** Set when a rule reaches every namespace only through AdminNetworkPolicy-like peers (`namespaces: {}`), which
       *  never match a host-network pod: the line does not speak for those pods. np-guard's txt and json keep its name
       *  `entire-cluster` (as np-guard prints such lines); csv and md say `entire-cluster except host-network pods`. */
      readonly exceptHostNetwork?: true;
    }
  | RepresentativePeerOut
  | { readonly type: 'ip'; readonly name: string; readonly family: IpFamily; readonly range: string };

export interface ExposureLine {
  readonly target: ExposureTarget;
  readonly connection: ExposureConnection;
}

export interface DirectionExposure {
  readonly direction: Direction;
  /** False when no policy selects the workload for this direction (it is then open to everything). */
  readonly protected: boolean;
  /** Sorted by target name (byte order): IP ranges, `[...]` peers, then plain names and `entire-cluster`. */
  readonly lines: readonly ExposureLine[];
}

export interface WorkloadExposure {
  /** np-guard's peer name `namespace/name[Kind]`. */
  readonly workload: string;
  readonly namespace: string;
  readonly name: string;
  readonly kind: string;
  readonly egress: DirectionExposure;
  readonly ingress: DirectionExposure;
}

export interface ExposureResult {
  /** Workloads with something to report, sorted by name. */
  readonly workloads: readonly WorkloadExposure[];
  /** Representative peers generated from the policies' rules (after real pods absorbed some), sorted by name. */
  readonly representatives: readonly RepresentativePeerOut[];
  /** Set when the snapshot `showsIcmp`: connection texts name ICMP whenever allowed. */
  readonly showsIcmp?: true;
  /** Rules whose far end no representative peer can stand for (Calico selectors), sorted by message; absent when none. */
  readonly caveats?: readonly ExposureCaveat[];
}

/** A rule the exposure can show only through the real pods it matches. */
export interface ExposureCaveat {
  readonly code: 'UNREPRESENTED_SELECTOR';
  readonly kind: string;
  /** '' for a cluster-scoped policy. */
  readonly namespace: string;
  readonly name: string;
  /** The rule side, e.g. `spec.ingress[0].source`. */
  readonly path: string;
  readonly message: string;
}
