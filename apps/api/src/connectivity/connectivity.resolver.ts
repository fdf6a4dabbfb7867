import { Args, ID, Int, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import { mapAnalysisErrors } from '../analysis/analysis-errors.js';
import { AnalysisService } from '../analysis/analysis.service.js';
import { SnapshotLookup } from '../analysis/snapshot-lookup.js';
import { assertUnpagedCount, MAX_UNPAGED_ITEMS } from '../graphql/errors.js';
import { validateArgs } from '../graphql/page-args.js';
import {
  BusiestNamespacesArgs,
  ConnectivityArgs,
  ConnectivityRowConnection,
  MAX_BUSIEST_CELLS,
  NamespaceCell,
  NamespaceCellCountArgs,
  NamespaceCellsArgs,
  NamespaceMatrix,
} from './connectivity.models.js';
import { busiestNamespaces, cellsAt, matrixCellCount, selectCells } from '../analysis/namespace-matrix.js';
import { connectivityPage } from './connectivity-rows.js';

@Resolver()
export class ConnectivityResolver {
  constructor(
    private readonly lookup: SnapshotLookup,
    private readonly analyses: AnalysisService,
  ) {}

  @Query(() => ConnectivityRowConnection, {
    description:
      'Allowed connections between workloads (by top-level controller) and IP ranges, sorted by (from, to), paged. LISTING_TOO_LARGE (with `rows`, `maxRows`) when the snapshot lists more pairs than the server lists (NETPOL_MAX_LISTED_ROWS).',
  })
  async connectivity(@Args(validateArgs) args: ConnectivityArgs): Promise<ConnectivityRowConnection> {
    const { sha, options } = await this.lookup.analysisInput(args.snapshotId);
    // Derived with the analysis in a thread and stored as columns (connectivity-rows.ts): here they are filtered and
    // paged, and objects made for the page only.
    const data = await mapAnalysisErrors(async () => (await this.analyses.connectivityRows(sha, options, args.mergeIpRanges === true)).value);
    const profile = await this.analyses.cniProfileAnswer(sha, options);
    return { ...connectivityPage(data, args.filter ?? {}, args), ...profile } as ConnectivityRowConnection;
  }

  @Query(() => NamespaceMatrix, {
    description: 'Namespace × namespace counts of allowed workload pairs (for big clusters); LISTING_TOO_LARGE as `connectivity`.',
  })
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
    description: `Namespace pairs with some allowed workload pair, sorted by (from, to): every one, or those the arguments select (a dashboard at 50k pods draws the busiest few hundred of ~190k). Without \`busiest\`, at most ${MAX_UNPAGED_ITEMS} cells (more: TOO_MANY_ITEMS).`,
  })
  cells(@Parent() parent: NamespaceMatrix, @Args(validateArgs) args: NamespaceCellsArgs): NamespaceCell[] {
    const chosen = selectCells(parent.matrix, {
      ...(args.amongBusiest ? { amongBusiest: args.amongBusiest } : {}),
      ...(args.crossNamespace ? { crossNamespace: true } : {}),
      ...(args.busiest ? { busiest: args.busiest } : {}),
    });
    // `busiest` bounds the answer itself (at most MAX_BUSIEST_CELLS); any other selection is checked before a cell is built.
    if (!args.busiest) assertUnpagedCount('namespaceMatrix.cells', chosen.length, `cells(busiest: N) (N up to ${MAX_BUSIEST_CELLS}), cells(amongBusiest: N) or cellCount`);
    return cellsAt(parent.matrix, chosen);
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
