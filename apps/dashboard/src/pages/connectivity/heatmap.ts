// The connectivity heatmap's pure parts: the shade of a namespace cell (share of workload pairs allowed), the
// drill-down's workload × workload matrix.

/** Opacity of the accent colour for a share in [0, 1]: light for a few pairs, strong for all of them. */
export function heatAlpha(share: number): number {
  const clamped = Math.min(1, Math.max(0, share));
  return Math.round((0.08 + 0.5 * clamped) * 100) / 100;
}

export const HEAT_STOPS = [0, 0.25, 0.5, 0.75, 1] as const;

export interface MatrixPeer {
  type: 'WORKLOAD' | 'IP_RANGE';
  namespace: string | null;
  kind: string | null;
  name: string | null;
  ipRange: string | null;
}

export interface WorkloadMatrix {
  sources: string[];
  targets: string[];
  /** `source\u0000target` → np-guard ports text. */
  cells: Map<string, string>;
}

const label = (peer: MatrixPeer) => (peer.type === 'IP_RANGE' ? (peer.ipRange ?? '') : `${peer.name}`);

/** Rows of one namespace pair as a matrix of workload names (sorted), cells holding the allowed ports. */
export function workloadMatrix(rows: readonly { from: MatrixPeer; to: MatrixPeer; portsText: string }[]): WorkloadMatrix {
  const sources = new Set<string>();
  const targets = new Set<string>();
  const cells = new Map<string, string>();
  for (const row of rows) {
    if (row.from.type !== 'WORKLOAD' || row.to.type !== 'WORKLOAD') continue;
    sources.add(label(row.from));
    targets.add(label(row.to));
    cells.set(`${label(row.from)}\u0000${label(row.to)}`, row.portsText);
  }
  const sorted = (set: Set<string>) => [...set].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  return { sources: sorted(sources), targets: sorted(targets), cells };
}

