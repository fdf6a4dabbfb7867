// GraphQL types of the compliance feature: lint findings, stored intents, reports with controls and paged evidence.
import { ArgsType, Field, GraphQLISODateTime, ID, Int, ObjectType } from '@nestjs/graphql';
import { IsOptional, IsString, MaxLength } from 'class-validator';
import type { LintSource } from './reports.service.js';
import { Connection } from '../graphql/connection.js';
import { PageArgs } from '../graphql/page-args.js';
import { CNI_PROFILE_NOTE_DESCRIPTION } from '../analysis/cni-profile-answer.js';

@ObjectType({ description: 'A lint finding: rule, severity, the object and field path, explanation and fix.' })
export class LintFinding {
  @Field({ description: 'Rule id, e.g. dns-unreachable.' }) rule: string;
  @Field({ description: 'error, warning or info.' }) severity: string;
  @Field() kind: string;
  @Field({ description: "'' for cluster-scoped objects." }) namespace: string;
  @Field() name: string;
  @Field({ description: 'Field path inside the object, e.g. spec.ingress[0].from[1].' }) path: string;
  @Field() message: string;
  @Field() explanation: string;
  @Field() fix: string;
}

@ObjectType()
export class LintFindingConnection extends Connection(LintFinding, 'LintFinding') {}

@ArgsType()
export class LintFindingsPageArgs extends PageArgs {
  @Field(() => String, { nullable: true, description: 'Only findings of this severity (error, warning or info).' })
  @IsOptional()
  @IsString()
  @MaxLength(64)
  severity?: string | null;

  @Field(() => String, { nullable: true, description: 'Only findings of this rule.' })
  @IsOptional()
  @IsString()
  @MaxLength(253)
  rule?: string | null;

  @Field(() => String, { nullable: true, description: 'Only findings of objects in this namespace.' })
  @IsOptional()
  @IsString()
  @MaxLength(253)
  namespace?: string | null;
}

@ObjectType({ description: 'Lint findings of a snapshot: every one (`findings`), or pages of them filtered (`findingsPage`), with their counts.' })
export class LintResult {
  /** Where the finding fields ask for findings (not a GraphQL field): the lint stays in its model thread. */
  source: LintSource;
  @Field(() => Int) errors: number;
  @Field(() => Int) warnings: number;
  @Field(() => Int) info: number;
  @Field(() => String, { description: "The CNI profile whose semantics produced it (the cluster's CNI, else the one its content implies)." }) cniProfile: string;
  @Field(() => String, { nullable: true, description: CNI_PROFILE_NOTE_DESCRIPTION }) cniProfileNote?: string;
  @Field(() => [String], { description: 'The namespaces of objects with some finding, sorted (cluster-scoped objects left out).' }) namespaces: readonly string[];
  @Field(() => [String], { description: "The rules with some finding, sorted (a filter's choices)." }) rules: readonly string[];
}

@ObjectType({ description: 'One version of a cluster\'s segmentation intents (each change is a new version).' })
export class SegmentationIntentsVersion {
  @Field(() => ID) id: string;
  @Field(() => Int) version: number;
  @Field() name: string;
  @Field({ description: 'The YAML document as submitted.' }) content: string;
  @Field() sha256: string;
  @Field(() => GraphQLISODateTime) createdAt: Date;
}

@ObjectType()
export class ReportCount {
  @Field() key: string;
  @Field(() => Int) value: number;
}

@ObjectType()
export class ReportException {
  @Field() path: string;
  @Field() owner: string;
  @Field() justification: string;
  @Field() expires: string;
  @Field() from: string;
  @Field() to: string;
  @Field(() => Int) connections: number;
}

@ObjectType({ description: 'A row of evidence: a connection with the rules that allow it, a finding, a namespace, a probe.' })
export class EvidenceRow {
  @Field() kind: string;
  @Field({ description: 'pass, fail or info: fail rows are why the control fails.' }) status: string;
  @Field() subject: string;
  @Field(() => String, { nullable: true }) peer: string | null;
  @Field(() => String, { nullable: true }) zones: string | null;
  @Field(() => String, { nullable: true }) ports: string | null;
  @Field() detail: string;
}

@ObjectType()
export class EvidenceRowConnection extends Connection(EvidenceRow, 'EvidenceRow') {}

@ObjectType()
export class ReportControl {
  @Field() id: string;
  @Field() reference: string;
  @Field() title: string;
  @Field() requirement: string;
  @Field() evidenceNeeded: string;
  @Field() decision: string;
  @Field({ description: 'pass, fail, not-applicable or manual.' }) status: string;
  @Field() summary: string;
  @Field(() => [ReportCount]) counts: ReportCount[];
  @Field(() => [ReportException]) exceptions: ReportException[];
  /** `evidence` is paged from the stored report (compliance.resolver.ts ReportControlResolver). */
  reportId: string;
  evidenceCount: number;
}

@ObjectType()
export class ReportSummary {
  @Field({ description: 'pass, fail or incomplete (some control is manual).' }) verdict: string;
  @Field(() => Int) pass: number;
  @Field(() => Int) fail: number;
  @Field(() => Int) manual: number;
  @Field(() => Int) notApplicable: number;
}

@ObjectType()
export class ControlFlip {
  @Field() control: string;
  @Field() from: string;
  @Field() to: string;
}

@ObjectType({
  description:
    'What changed since the previous report of the same cluster and framework judged on the same basis: stored intents (any version), or none (the CDE convention).',
})
export class ReportChanges {
  @Field(() => ID, { nullable: true }) previousReportId: string | null;
  @Field(() => [ControlFlip]) flipped: ControlFlip[];
  /** `newViolations` and `resolvedViolations` are read from the stored report (ReportChangesResolver). */
  reportId: string;
}

@ObjectType({ description: 'A stored compliance report (evidence: never updated; a new engine version makes a new report).' })
export class ComplianceReportRecord {
  @Field(() => ID) id: string;
  @Field() cluster: string;
  @Field(() => ID) snapshotId: string;
  @Field() snapshotSha256: string;
  @Field({ description: 'pci-dss-4.0, soc2, cis, iso27001, nist-800-53.' }) framework: string;
  @Field() frameworkVersion: string;
  @Field() engineVersion: string;
  @Field(() => ID, { nullable: true }) intentsId: string | null;
  @Field(() => Int, { nullable: true }) intentsVersion: number | null;
  @Field(() => GraphQLISODateTime) generatedAt: Date;
  @Field({ description: 'Lowercase hex SHA-256 of the report\'s canonical JSON (JCS).' }) reportSha256: string;
  @Field({ description: 'Base64 Ed25519 signature of the row manifest, by the key at GET /api/v1/signing-key.' }) signature: string;
  @Field(() => ReportSummary) summary: ReportSummary;
  @Field(() => [ReportControl]) controls: ReportControl[];
  @Field(() => ReportChanges, { nullable: true }) changes: ReportChanges | null;
  @Field({ description: 'Evidence pack download path (deterministic zip).' }) evidenceUrl: string;
  /** `snapshot.cniProfile` of the signed report: the profile the cluster had chosen (absent: the content implied one). */
  recordedCniProfile: string | null;
}

@ObjectType()
export class ComplianceReportConnection extends Connection(ComplianceReportRecord, 'ComplianceReport') {}

@ObjectType({ description: 'Which frameworks are reported on for every new snapshot of a cluster.' })
export class ComplianceProfile {
  @Field(() => ID) id: string;
  @Field(() => [String]) frameworks: string[];
  @Field(() => ID, { nullable: true }) intentsId: string | null;
  @Field(() => GraphQLISODateTime) createdAt: Date;
}

@ObjectType({ description: 'A policy rule that allows a connection: the policy named by kind, API group, namespace/name, and the rule path.' })
export class AllowingRuleRef {
  @Field({ description: 'egress or ingress.' }) direction: string;
  @Field({ description: 'namespace/name.' }) policy: string;
  @Field({ description: 'The policy kind (`NetworkPolicy`, `AdminNetworkPolicy`, `GlobalNetworkPolicy`, …).' }) kind: string;
  @Field({
    description:
      'The policy’s API group (`networking.k8s.io`, `policy.networking.k8s.io`, `projectcalico.org`, …): with `kind`, tells a Calico NetworkPolicy from a Kubernetes one of the same namespace and name.',
  })
  apiGroup: string;
  @Field({ description: 'e.g. spec.egress[1].' }) rule: string;
}

@ObjectType({ description: 'An allowed connection the intents do not allow, with the rules that allow it.' })
export class IntentViolation {
  @Field() src: string;
  @Field() dst: string;
  @Field() srcZone: string;
  @Field() dstZone: string;
  @Field({ description: 'The ports no flow or exception covers (np-guard conn text).' }) ports: string;
  @Field(() => [AllowingRuleRef]) rules: AllowingRuleRef[];
  @Field({ description: 'The rules in words, per side (a side no policy isolates allows by default).' }) allowedBy: string;
}

@ObjectType()
export class IntentsCheck {
  @Field() passed: boolean;
  @Field({ description: 'When exception expiries were judged (the snapshot capture time).' }) at: string;
  @Field(() => Int, { description: 'Allowed connections that cross a zone boundary.' }) checked: number;
  @Field(() => Int) conforming: number;
  @Field(() => [IntentViolation]) violations: IntentViolation[];
  @Field(() => [ReportException]) exceptionsApplied: ReportException[];
  @Field(() => [ReportException], { description: 'Expired exceptions (findings; `connections` is 0).' }) expiredExceptions: ReportException[];
  @Field(() => String, { description: "The CNI profile whose semantics produced it (the cluster's CNI, else the one its content implies)." }) cniProfile: string;
  @Field(() => String, { nullable: true, description: CNI_PROFILE_NOTE_DESCRIPTION }) cniProfileNote?: string;
}
