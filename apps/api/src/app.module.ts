import { existsSync } from 'node:fs';
import path from 'node:path';
import { ApolloDriver, type ApolloDriverConfig } from '@nestjs/apollo';
import { type DynamicModule, Logger, Module } from '@nestjs/common';
import { APP_FILTER, APP_GUARD } from '@nestjs/core';
import { GraphQLModule } from '@nestjs/graphql';
import { ServeStaticModule } from '@nestjs/serve-static';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AnalysisStore } from './analysis/analysis-store.js';
import { AnalysisService } from './analysis/analysis.service.js';
import { SnapshotLookup } from './analysis/snapshot-lookup.js';
import { ClustersController } from './clusters/clusters.controller.js';
import { ClustersRepository } from './clusters/clusters.repository.js';
import { ClustersResolver } from './clusters/clusters.resolver.js';
import { ClustersService } from './clusters/clusters.service.js';
import { COMPLIANCE_CONTROLLERS, COMPLIANCE_PROVIDERS } from './compliance/compliance.module.js';
import { ClusterComplianceResolver } from './compliance/cluster-compliance.resolver.js';
import { APP_CONFIG, type AppConfig } from './config/app-config.js';
import { DEFAULT_DASHBOARD_DIST } from './config/paths.js';
import { dataSourceOptions } from './database/data-source.js';
import { ApiTokensResolver } from './auth/api-tokens.resolver.js';
import { ApiTokensService } from './auth/api-tokens.service.js';
import { PermissionGuard } from './auth/permission.guard.js';
import { AuditController } from './audit/audit.controller.js';
import { AuditService } from './audit/audit.service.js';
import { ApiExceptionFilter, formatGraphQLError } from './errors/api-exception.filter.js';
import { DEFAULT_QUERY_LIMITS, MAX_TOKENS, queryLimitsPlugin } from './graphql/query-limits.plugin.js';
import { RateLimiter } from './security/rate-limit.js';
import { ConnectivityController } from './connectivity/connectivity.controller.js';
import { ConnectivityResolver } from './connectivity/connectivity.resolver.js';
import { DemoDataService } from './demo/demo-data.service.js';
import { DiffController } from './diff/diff.controller.js';
import { LintController } from './findings/lint.controller.js';
import { DiffResolver } from './diff/diff.resolver.js';
import { DiffService } from './diff/diff.service.js';
import { ExposureResolver } from './exposure/exposure.resolver.js';
import { HealthController } from './health/health.controller.js';
import { HealthService } from './health/health.service.js';
import { IngestController } from './ingest/ingest.controller.js';
import { IngestResolver } from './ingest/ingest.resolver.js';
import { InventoryPointResolver, InventoryResolver } from './inventory/inventory.resolver.js';
import { IngestService } from './ingest/ingest.service.js';
import { SnapshotModelService } from './snapshots/model/snapshot-model.service.js';
import { SnapshotObjectsBackfillService } from './snapshots/objects/snapshot-objects-backfill.service.js';
import { SnapshotObjectsRepository } from './snapshots/objects/snapshot-objects.repository.js';
import { PolicyResolver, SnapshotObjectsResolver, WorkloadResolver } from './snapshots/objects/snapshot-objects.resolver.js';
import { ReachabilityResolver } from './reachability/reachability.resolver.js';
import { RuleConnectionsResolver } from './rule-connections/rule-connections.resolver.js';
import { SnapshotsController } from './snapshots/snapshots.controller.js';
import { SnapshotsRepository } from './snapshots/snapshots.repository.js';
import { SnapshotsResolver } from './snapshots/snapshots.resolver.js';
import { SnapshotsService } from './snapshots/snapshots.service.js';

/** Paths the dashboard's client-side router must never shadow. */
export const SERVER_ROUTES = ['/api/{*splat}', '/graphql', '/healthz', '/readyz'];

function dashboardModule(config: AppConfig): DynamicModule[] {
  const rootPath = config.dashboardDist ?? DEFAULT_DASHBOARD_DIST;
  if (!existsSync(path.join(rootPath, 'index.html'))) {
    new Logger('Dashboard').warn(`no dashboard build at ${rootPath} (run \`npm run build\`); serving the API only`);
    return [];
  }
  // Files of the Vite build, and index.html for every other GET (client-side routes).
  return [ServeStaticModule.forRoot({ rootPath, exclude: SERVER_ROUTES })];
}

@Module({})
export class AppModule {
  static forRoot(config: AppConfig): DynamicModule {
    // One limiter for the HTTP middleware and the GraphQL cost charge.
    const rateLimiter = new RateLimiter(config);
    return {
      module: AppModule,
      imports: [
        TypeOrmModule.forRoot({
          ...dataSourceOptions(config.databaseUrl),
          // Migrations are applied at start; /readyz reports whether they are.
          // With an owner URL, createApp ran them before (as the owner); the server's role could not.
          migrationsRun: config.runMigrations !== false && !config.migrationDatabaseUrl,
          retryAttempts: 3,
        }),
        GraphQLModule.forRoot<ApolloDriverConfig>({
          driver: ApolloDriver,
          path: '/graphql',
          // Built in memory; the checked-in apps/api/schema.graphql is compared with it by a test.
          autoSchemaFile: true,
          sortSchema: true,
          includeStacktraceInErrorResponses: false,
          // Limits: depth and cost by one plugin (graphql/query-limits.plugin.ts); no automatic persisted queries;
          // in production no introspection and no "did you mean" schema hints in errors.
          plugins: [queryLimitsPlugin({ ...DEFAULT_QUERY_LIMITS, maxResponseBytes: config.graphqlMaxResponseBytes ?? DEFAULT_QUERY_LIMITS.maxResponseBytes }, { charge: (units) => (units > 0 ? rateLimiter.take(units) : 0) })],
          // Bounds the parser, and with it every validation rule's work (aliases, overlapping fields).
          parseOptions: { maxTokens: MAX_TOKENS },
          formatError: formatGraphQLError,
          persistedQueries: false,
          // No landing page at /graphql (Nest's GraphiQL page loads its scripts from a CDN): the dashboard bundles
          // GraphiQL at /graphiql, which works offline.
          graphiql: false,
          introspection: !config.production,
          hideSchemaDetailsFromClientErrors: config.production === true,
        }),
        ...dashboardModule(config),
      ],
      controllers: [HealthController, ClustersController, IngestController, SnapshotsController, ConnectivityController, DiffController, AuditController, ...COMPLIANCE_CONTROLLERS,
        // Lint downloads for the dashboard's Findings page (issue 14).
        LintController,
      ],
      providers: [
        { provide: APP_CONFIG, useValue: config },
        { provide: APP_FILTER, useClass: ApiExceptionFilter },
        // Issue 9: every route and root field needs a role (permission.guard.ts); tokens, audit log, rate limits.
        { provide: APP_GUARD, useClass: PermissionGuard },
        { provide: RateLimiter, useValue: rateLimiter },
        ApiTokensService,
        ApiTokensResolver,
        AuditService,
        HealthService,
        ClustersRepository,
        ClustersService,
        ClustersResolver,
        SnapshotsRepository,
        SnapshotsService,
        SnapshotObjectsRepository,
        SnapshotObjectsResolver,
        SnapshotObjectsBackfillService,
        SnapshotModelService,
        WorkloadResolver,
        PolicyResolver,
        SnapshotsResolver,
        IngestService,
        IngestResolver,
        InventoryResolver,
        InventoryPointResolver,
        DemoDataService,
        // Analysis (issue 4): cached engine results and the queries on them.
        AnalysisStore,
        AnalysisService,
        SnapshotLookup,
        ReachabilityResolver,
        ConnectivityResolver,
        ExposureResolver,
        // Diff and what-if (issue 5).
        DiffService,
        DiffResolver,
        // Compliance evidence (issue 10).
        ...COMPLIANCE_PROVIDERS,
        // Per-rule connections of a policy (issue 14, the dashboard's policy page).
        RuleConnectionsResolver,
        // A cluster's compliance profile and last report per framework (issue 14, inventory and compliance pages).
        ClusterComplianceResolver,
      ],
    };
  }
}
