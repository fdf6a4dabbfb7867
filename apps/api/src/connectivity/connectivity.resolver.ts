import { Args, ID, Query, Resolver } from '@nestjs/graphql';
import { mapAnalysisErrors } from '../analysis/analysis-errors.js';
import { AnalysisService } from '../analysis/analysis.service.js';
import { portRanges } from '@netpol-atlas/engine';
import { SnapshotLookup } from '../analysis/snapshot-lookup.js';
import { connString } from '@netpol-atlas/engine';
import { connectionFromSortedList } from '../graphql/connection.js';
import { validateArgs } from '../graphql/page-args.js';
import { ConnectivityArgs, ConnectivityRowConnection, NamespaceMatrix, type ConnectivityRow } from './connectivity.models.js';
import { filterRows, namespaceMatrix, rowsWithMergedIpRanges, workloadRows, type WorkloadRow } from './workload-rows.js';

const toRow = (row: WorkloadRow, icmp: boolean): ConnectivityRow => ({ from: row.from, to: row.to, ports: portRanges(row.conn), portsText: connString(row.conn, icmp) });

@Resolver()
export class ConnectivityResolver {
  constructor(
    private readonly lookup: SnapshotLookup,
    private readonly analyses: AnalysisService,
  ) {}

  @Query(() => ConnectivityRowConnection, {
    description: 'Allowed connections between workloads (by top-level controller) and IP ranges, sorted by (from, to), paged.',
  })
  async connectivity(@Args(validateArgs) args: ConnectivityArgs): Promise<ConnectivityRowConnection> {
    const { sha, options } = await this.lookup.analysisInput(args.snapshotId);
    const table = await mapAnalysisErrors(async () => (await this.analyses.connectivity(sha, options)).value);
    const profile = await this.analyses.cniProfileAnswer(sha, options);
    const rows = filterRows(args.mergeIpRanges ? rowsWithMergedIpRanges(table) : workloadRows(table).rows, args.filter ?? {});
    const page = connectionFromSortedList(rows, args, 'connectivity', (row) => row.key);
    return { ...page, edges: page.edges.map((edge) => ({ cursor: edge.cursor, node: toRow(edge.node, table.showsIcmp) })), ...profile } as ConnectivityRowConnection;
  }

  @Query(() => NamespaceMatrix, { description: 'Namespace × namespace counts of allowed workload pairs (for big clusters).' })
  async namespaceMatrix(@Args('snapshotId', { type: () => ID }) snapshotId: string): Promise<NamespaceMatrix> {
    const { sha, options } = await this.lookup.analysisInput(snapshotId);
    const table = await mapAnalysisErrors(async () => (await this.analyses.connectivity(sha, options)).value);
    return { ...namespaceMatrix(workloadRows(table)), ...(await this.analyses.cniProfileAnswer(sha, options)) };
  }
}
