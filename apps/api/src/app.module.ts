import { existsSync } from 'node:fs';
import path from 'node:path';
import { ApolloDriver, type ApolloDriverConfig } from '@nestjs/apollo';
import { type DynamicModule, Logger, Module } from '@nestjs/common';
import { APP_FILTER, APP_GUARD } from '@nestjs/core';
import { GraphQLModule } from '@nestjs/graphql';
import { ServeStaticModule } from '@nestjs/serve-static';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AnalysisModule } from './analysis/analysis.module.js';
import { AuditModule } from './audit/audit.module.js';
import { AuthModule } from './auth/auth.module.js';
import { PermissionGuard } from './auth/permission.guard.js';
import { ClustersModule } from './clusters/clusters.module.js';
import { ComplianceModule } from './compliance/compliance.module.js';
import type { AppConfig } from './config/app-config.js';
import { ConfigModule } from './config/config.module.js';
import { DEFAULT_DASHBOARD_DIST } from './config/paths.js';
import { ConnectivityModule } from './connectivity/connectivity.module.js';
import { dataSourceOptions } from './database/data-source.js';
import { DemoModule } from './demo/demo.module.js';
import { DiffModule } from './diff/diff.module.js';
import { ApiExceptionFilter, formatGraphQLError } from './errors/api-exception.filter.js';
import { ExposureModule } from './exposure/exposure.module.js';
import { FindingsModule } from './findings/findings.module.js';
import { DEFAULT_QUERY_LIMITS, MAX_TOKENS, queryLimitsPlugin } from './graphql/query-limits.plugin.js';
import { HealthModule } from './health/health.module.js';
import { IngestModule } from './ingest/ingest.module.js';
import { InventoryModule } from './inventory/inventory.module.js';
import { JobsModule } from './jobs/jobs.module.js';
import { MetricsModule } from './metrics/metrics.module.js';
import { ReachabilityModule } from './reachability/reachability.module.js';
import { RuleConnectionsModule } from './rule-connections/rule-connections.module.js';
import { RateLimiter } from './security/rate-limit.js';
import { SnapshotObjectsModule } from './snapshots/objects/snapshot-objects.module.js';
import { SnapshotsModule } from './snapshots/snapshots.module.js';

/** Paths the dashboard's client-side router must never shadow. */
export const SERVER_ROUTES = ['/api/{*splat}', '/graphql', '/healthz', '/readyz', '/metrics'];

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
          ...dataSourceOptions(config.databaseUrl, config.databaseReadUrls),
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
        // Cross-cutting (global): configuration + rate limiter, the audit log.
        ConfigModule.forRoot(config, rateLimiter),
        AuditModule,
        AuthModule,
        HealthModule,
        // The data path: manifest → snapshot → engine analysis → queries.
        ClustersModule,
        SnapshotsModule,
        IngestModule,
        AnalysisModule,
        SnapshotObjectsModule,
        ReachabilityModule,
        ConnectivityModule,
        ExposureModule,
        DiffModule,
        InventoryModule,
        ComplianceModule,
        // Issue 14: lint downloads (the dashboard's Findings page), the connections each rule of a policy allows.
        FindingsModule,
        RuleConnectionsModule,
        DemoModule,
        // Issue 13: analysis jobs in the server (NETPOL_JOBS=in-server), Prometheus metrics at GET /metrics.
        JobsModule,
        MetricsModule,
      ],
      providers: [
        { provide: APP_FILTER, useClass: ApiExceptionFilter },
        // Issue 9: every route and root field needs a role (permission.guard.ts); tokens, audit log, rate limits.
        { provide: APP_GUARD, useClass: PermissionGuard },
      ],
    };
  }
}
