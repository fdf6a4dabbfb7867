// `ingestSnapshot`: the REST upload as a GraphQL mutation, for small snapshots (the same parser, limit and
// all-or-nothing store). REST 400/422 answers become BAD_USER_INPUT with `status` and the located `issues`;
// 413 becomes PAYLOAD_TOO_LARGE naming the limit.
import { Inject } from '@nestjs/common';
import { Args, Mutation, Resolver } from '@nestjs/graphql';
import { GraphQLError } from 'graphql';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { badUserInput, graphQLError } from '../graphql/errors.js';
import { toSnapshotModel } from '../snapshots/snapshot-views.js';
import { SnapshotsService } from '../snapshots/snapshots.service.js';
import { Requires } from '../auth/permission.guard.js';
import { checkIngestArguments, checkInlineBodySize } from './ingest-arguments.js';
import { IngestRejectedError } from './ingest-errors.js';
import { IngestSnapshotResult, ManifestFormat } from './ingest.models.js';
import { IngestService } from './ingest.service.js';

/** The file name issues report for the `manifests` argument (the extension tells the parser the format). */
export const MANIFESTS_FILE: Record<ManifestFormat, string> = {
  [ManifestFormat.AUTO]: 'manifests',
  [ManifestFormat.YAML]: 'manifests.yaml',
  [ManifestFormat.JSON]: 'manifests.json',
};

@Resolver()
export class IngestResolver {
  constructor(
    private readonly ingest: IngestService,
    private readonly snapshots: SnapshotsService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @Requires('ingest')
  @Mutation(() => IngestSnapshotResult, {
    description: 'Stores manifests as a new snapshot of `cluster` (created on first use), as POST /api/v1/clusters/{cluster}/snapshots does.',
  })
  async ingestSnapshot(
    @Args('cluster') cluster: string,
    @Args('manifests', { description: 'YAML (multi-document or a List) or JSON (`kubectl get … -o json`).' }) manifests: string,
    @Args('format', { type: () => ManifestFormat, defaultValue: ManifestFormat.AUTO }) format: ManifestFormat,
    @Args('capturedAt', { type: () => String, nullable: true, description: 'RFC 3339; default: the upload time.' }) capturedAtText?: string | null,
    @Args('cni', {
      type: () => String,
      nullable: true,
      description:
        "The CNI `netpol collect` detected (a profile name), as REST `?cni=`: becomes the cluster's CNI unless a user set one (audited as cluster.cni). Absent or null leaves the cluster's CNI as it is.",
    })
    cni?: string | null,
  ): Promise<IngestSnapshotResult> {
    try {
      // GraphQL null means "not given", as an absent `?cni=` does for REST.
      const checked = checkIngestArguments({ cluster, capturedAt: capturedAtText, ...(cni == null ? {} : { cni }) });
      checkInlineBodySize(Buffer.byteLength(manifests, 'utf8'), this.config.bodyLimit, 'manifests');
      const result = await this.ingest.ingest({ ...checked, documents: [{ path: MANIFESTS_FILE[format], text: manifests }], source: 'graphql' });
      const stored = await this.snapshots.findById(result.id);
      if (!stored) throw new Error(`snapshot ${result.id} was not stored`);
      return { snapshot: toSnapshotModel(stored), deduplicated: result.deduplicated, warnings: result.warnings };
    } catch (error) {
      if (error instanceof IngestRejectedError && error.status === 403) throw new GraphQLError(error.message, { extensions: { code: 'FORBIDDEN' } });
      if (error instanceof IngestRejectedError && error.status === 413 && error.argument) {
        throw graphQLError('PAYLOAD_TOO_LARGE', error.message, { argument: error.argument, limit: error.limit });
      }
      if (error instanceof IngestRejectedError && error.argument) {
        throw badUserInput(error.message, { argument: error.argument, ...(error.status === 400 ? {} : { status: error.status }) });
      }
      if (error instanceof IngestRejectedError) {
        throw badUserInput(`${error.message}: ${error.issues.find((issue) => issue.severity === 'error')?.message ?? ''}`.replace(/: $/, ''), {
          argument: 'manifests',
          status: error.status,
          issues: error.issues,
          ...(error.issuesOmitted > 0 ? { issuesOmitted: error.issuesOmitted } : {}),
        });
      }
      throw error;
    }
  }
}
