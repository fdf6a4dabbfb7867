// The Compliance page's logic: what the token may do, located intents issues.
export const FRAMEWORKS: ReadonlyArray<[id: string, label: string]> = [
  ['pci-dss-4.0', 'PCI DSS 4.0'],
  ['soc2', 'SOC 2'],
  ['cis', 'CIS Kubernetes Benchmark'],
  ['iso27001', 'ISO 27001:2022'],
  ['nist-800-53', 'NIST 800-53 rev5'],
];

export const frameworkLabel = (id: string) => FRAMEWORKS.find(([f]) => f === id)?.[1] ?? id;

/** Roles and what they may do (README "Security"): `report` for auditors and admins, `admin` for admins only. */
export function permissions(viewer: { auth: string; role: string | null }): { report: boolean; admin: boolean } {
  if (viewer.auth === 'off') return { report: true, admin: true };
  return { report: viewer.role === 'auditor' || viewer.role === 'admin', admin: viewer.role === 'admin' };
}

export interface IntentsIssue {
  readonly code?: string;
  readonly severity?: string;
  readonly message: string;
  readonly path?: string;
  readonly line?: number | null;
}

/** Issues sorted by line (unlocated last), for the list under the editor. */
export function sortIssues(issues: readonly IntentsIssue[]): IntentsIssue[] {
  return [...issues].sort((a, b) => (a.line ?? Number.MAX_SAFE_INTEGER) - (b.line ?? Number.MAX_SAFE_INTEGER) || (a.path ?? '').localeCompare(b.path ?? ''));
}
