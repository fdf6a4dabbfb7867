import { Args, ID, Int, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import { mapAnalysisErrors } from '../analysis/analysis-errors.js';
import { AnalysisService } from '../analysis/analysis.service.js';
import { portRanges } from '@netpol-atlas/engine';
import { SnapshotLookup } from '../analysis/snapshot-lookup.js';
import { connString } from '@netpol-atlas/engine';
import { connectionFromSortedList } from '../graphql/connection.js';
import { validateArgs } from '../graphql/page-args.js';
import {
  BusiestNamespacesArgs,
  ConnectivityArgs,
  ConnectivityRowConnection,
  NamespaceCell,
  NamespaceCellCountArgs,
  NamespaceCellsArgs,
  NamespaceMatrix,
  type ConnectivityRow,
} from './connectivity.models.js';
import { busiestNamespaces, matrixCellCount, matrixCells } from '../analysis/namespace-matrix.js';
import { filterRows, rowsWithMergedIpRanges, workloadRows, type WorkloadRow } from './workload-rows.js';

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
    // Computed with the analysis in a thread and stored (namespace-matrix.ts): here only its columns are read.
    const matrix = await mapAnalysisErrors(async () => (await this.analyses.namespaceMatrix(sha, options)).value);
    return {
      matrix,
      namespaces: matrix.namespaces.map((name, index) => ({
        name,
        workloads: matrix.workloads[index],
        reachableFromIpRanges: matrix.reachableFromIpRanges[index],
        reachingIpRanges: matrix.reachingIpRanges[index],
      })),
      ...(await this.analyses.cniProfileAnswer(sha, options)),
    };
  }
}

@Resolver(() => NamespaceMatrix)
export class NamespaceMatrixResolver {
  @ResolveField(() => [NamespaceCell], {
    description:
      'Namespace pairs with some allowed workload pair, sorted by (from, to): every one, or those the arguments select (a dashboard at 50k pods draws the busiest few hundred of ~190k).',
  })
  cells(@Parent() parent: NamespaceMatrix, @Args(validateArgs) args: NamespaceCellsArgs): NamespaceCell[] {
    return matrixCells(parent.matrix, {
      ...(args.amongBusiest ? { amongBusiest: args.amongBusiest } : {}),
      ...(args.crossNamespace ? { crossNamespace: true } : {}),
      ...(args.busiest ? { busiest: args.busiest } : {}),
    });
  }

  @ResolveField(() => Int, { description: 'How many cells there are (namespace pairs with some allowed workload pair).' })
  cellCount(@Parent() parent: NamespaceMatrix, @Args(validateArgs) args: NamespaceCellCountArgs): number {
    return matrixCellCount(parent.matrix, args.crossNamespace === true);
  }

  @ResolveField(() => [String], {
    description: 'The `first` namespaces with the most allowed workload pairs from or to them (a pair within one counted once; ties by name), in name order.',
  })
  busiestNamespaces(@Parent() parent: NamespaceMatrix, @Args(validateArgs) args: BusiestNamespacesArgs): string[] {
    return busiestNamespaces(parent.matrix, args.first);
  }
}
