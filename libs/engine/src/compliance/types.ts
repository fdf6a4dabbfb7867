// Compliance frameworks as data (one file per framework and version) and the report they produce: each
// control decided from computed reachability, with the evidence rows that justify it.
import type { AppliedException } from '../intents/check.js';

export type ControlStatus = 'pass' | 'fail' | 'not-applicable' | 'manual';

/** How a control is decided (see checks.ts): each names one computation over the snapshot. */
export type CheckId =
  | 'lint-errors'
  | 'zone-inbound'
  | 'zone-outbound'
  | 'internet-inbound'
  | 'internet-boundary'
  | 'zone-segregation'
  | 'default-deny'
  | 'namespaces-have-policies'
  | 'cni-enforces'
  | 'probe-plan';

/** `cde`: the CDE zone (or the intents' zones); `cluster`: every workload. */
export type CheckScope = 'cde' | 'cluster';

export interface ControlDefinition {
  readonly id: string;
  /** The framework's own reference text, e.g. `PCI DSS v4.0.1 Req. 1.3.1`. */
  readonly reference: string;
  readonly title: string;
  /** The requirement, paraphrased. */
  readonly requirement: string;
  /** What evidence the control needs. */
  readonly evidenceNeeded: string;
  /** How this product decides it. */
  readonly decision: string;
  readonly checks: readonly CheckId[];
  readonly scope: CheckScope;
}

export interface FrameworkDefinition {
  /** `pci-dss-4.0`, `soc2`, `cis`, `iso27001`, `nist-800-53`. */
  readonly id: string;
  readonly version: string;
  readonly title: string;
  readonly controls: readonly ControlDefinition[];
}

export type EvidenceKind = 'connection' | 'finding' | 'namespace' | 'workload' | 'probe';

export interface EvidenceRow {
  readonly control: string;
  readonly kind: EvidenceKind;
  /** This row's own outcome: `fail` rows are why the control fails. */
  readonly status: 'pass' | 'fail' | 'info';
  readonly subject: string;
  /** The other end of a connection. */
  readonly peer?: string;
  readonly zones?: string;
  /** np-guard conn text, e.g. `TCP 443`. */
  readonly ports?: string;
  /** The explanation: the policy rules that allow it, the finding, the reason. */
  readonly detail: string;
}

export interface ControlResult extends ControlDefinition {
  readonly status: ControlStatus;
  /** One sentence: why this status. */
  readonly summary: string;
  readonly counts: Readonly<Record<string, number>>;
  readonly evidence: readonly EvidenceRow[];
  readonly exceptions: readonly AppliedException[];
}

export interface ReportSnapshotInfo {
  readonly id?: string;
  readonly cluster?: string;
  readonly contentSha256?: string;
  readonly capturedAt?: string;
  /** The CNI profile the analysis behind the report ran under (the API records it; a stored report is evidence). */
  readonly cniProfile?: string;
}

export interface ReportChanges {
  readonly previousReportId?: string;
  readonly previousGeneratedAt: string;
  readonly flipped: readonly { readonly control: string; readonly from: ControlStatus; readonly to: ControlStatus }[];
  readonly newViolations: readonly EvidenceRow[];
  readonly resolvedViolations: readonly EvidenceRow[];
}

export interface ComplianceReport {
  readonly schema: 'netpol-atlas/compliance-report/v1';
  readonly framework: { readonly id: string; readonly version: string; readonly title: string };
  /** From the caller (the snapshot's capture time or the request), never the clock inside the engine. */
  readonly generatedAt: string;
  readonly engineVersion: string;
  readonly snapshot: ReportSnapshotInfo;
  readonly intents: {
    readonly name: string;
    /** `file`: a SegmentationIntents document; `cde-selector`: the --cde convention. */
    readonly source: 'file' | 'cde-selector';
    /** `cde-selector` only: the user gave the selector (`--cde`), even where it is the default `pci=cde`; absent:
     *  the default convention drew the CDE (and reports made before this field say nothing either way). */
    readonly selectorGiven?: true;
    readonly version?: string;
    readonly zones: readonly { readonly name: string; readonly members: readonly string[] }[];
  };
  readonly summary: Readonly<Record<ControlStatus, number>> & { readonly controls: number; readonly verdict: 'pass' | 'fail' | 'incomplete' };
  readonly controls: readonly ControlResult[];
  readonly changes?: ReportChanges;
}
