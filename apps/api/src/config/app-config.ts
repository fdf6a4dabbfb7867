// Runtime settings, read once from the environment (README "Configuration"); tests pass overrides.
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { OidcConfig } from '../auth/oidc.js';
import { readUrlsFrom } from '../database/read-replicas.js';
import { REPO_ROOT } from './paths.js';
import { heapGrowingPercentFrom } from './heap-growth.js';
import { threadNiceFrom } from './thread-priority.js';
import { maxListedRows } from '../analysis/listing-bound.js';

export const MiB = 1024 * 1024;

export interface AppConfig {
  /** PostgreSQL connection URL (DATABASE_URL). */
  readonly databaseUrl: string;
  /** Read replicas of the primary (DATABASE_READ_URLS, comma-separated) for the query paths' reads (read-replicas.ts). */
  readonly databaseReadUrls?: readonly string[];
  /** Max request body in bytes AFTER gzip decompression (NETPOL_BODY_LIMIT, default 64 MiB). */
  readonly bodyLimit: number;
  /** Load the demo cluster when the store is empty at start. */
  readonly loadDemoData: boolean;
  /** Built dashboard to serve at `/`; undefined or missing → not served. */
  readonly dashboardDist?: string;
  /** NODE_ENV=production: no GraphQL introspection and no schema hints ("did you mean") in errors. */
  readonly production?: boolean;
  /** Bounds of the in-memory analysis cache (NETPOL_ANALYSIS_CACHE_ENTRIES, NETPOL_ANALYSIS_CACHE_MB). */
  readonly analysisCache?: { readonly entries: number; readonly bytes: number };
  /** Owner role URL (DATABASE_OWNER_URL): migrations run with it before the server connects as `databaseUrl`. */
  readonly migrationDatabaseUrl?: string;
  /** false (NETPOL_MIGRATIONS=skip): `npm start` ran them in a separate step as the owner. Default true. */
  readonly runMigrations?: boolean;
  /** `off` (NETPOL_AUTH=off): no authentication, every request is an admin (a laptop). Default `on`. */
  readonly auth?: 'on' | 'off';
  /** Key of the HMAC-SHA-256 of API tokens (NETPOL_TOKEN_SECRET, else a generated file in `secretsDir`). */
  readonly tokenSecret?: string;
  /** Where the first-start admin token (and a generated token secret) are written, mode 0600. */
  readonly secretsDir?: string;
  /** Create, print and write an admin token when there is no token at all (default true). */
  readonly createFirstAdminToken?: boolean;
  /** NETPOL_BOOTSTRAP_ADMIN_TOKEN: the first admin token is this one (from a secret store), not a printed one. */
  readonly bootstrapAdminToken?: string;
  /** Bearer JWTs of this issuer are accepted too. */
  readonly oidc?: OidcConfig;
  /** Every request is answered within this time, or gets 503 (NETPOL_REQUEST_TIMEOUT_MS, default 120 s). */
  readonly requestTimeoutMs?: number;
  /** Requests per minute per client address and per token (NETPOL_RATE_LIMIT, default 1200; GraphQL weighed by cost). */
  readonly rateLimitPerMinute?: number;
  /** Heap budget (MiB) of the worker that parses a large upload; default ~8× the body limit (parse-in-worker.ts). */
  readonly uploadParseBudgetMb?: number;
  /** Uploads longer than this many characters are split item by item as they arrive; shorter ones are read whole
   *  (the engine's WHOLE_TEXT_CHARS, 256 Mi, by default: faster). Tests set it low to exercise the split. */
  readonly uploadSplitAfterChars?: number;
  /** Streamed text answers (the connectivity download) give the event loop back after this many ms of formatting
   *  (FORMAT_SLICE_MS, 3, by default). Tests set 0 to see the answer interleave with other requests. */
  readonly formatSliceMs?: number;
  /** Connectivity downloads of at least this many rows are formatted in a render thread (CONNLIST_THREAD_FROM_ROWS,
   *  10,000, by default). Tests set 0 to send every download through the thread. */
  readonly connlistThreadFromRows?: number;
  /** Largest GraphQL answer in bytes (NETPOL_GRAPHQL_MAX_RESPONSE, default 32 MiB). */
  readonly graphqlMaxResponseBytes?: number;
  /** Connectivity listings are made up to this many workload pairs (NETPOL_MAX_LISTED_ROWS, default 10M;
   *  listing-bound.ts, read where the analysis runs: checked here at start). */
  readonly maxListedRows?: number;
  /** Worker threads of the analysis pool (NETPOL_ANALYSIS_THREADS, default cores − 1). */
  readonly analysisThreads?: number;
  /** Worker threads holding engine models for the reachability queries (NETPOL_MODEL_THREADS, default: as many as
   *  analysis threads, at most 4); each holds the models of its share of the snapshots. */
  readonly modelThreads?: number;
  /** Worker threads rendering report downloads (md, html, csv, PDF) and evidence packs (NETPOL_RENDER_THREADS,
   *  1…MAX_RENDER_THREADS; default DEFAULT_RENDER_THREADS of render-pool.ts: 2, at most the analysis threads). */
  readonly renderThreads?: number;
  /** Added to the worker threads' nice value on Linux (NETPOL_THREAD_NICE, 0…19, default 10, thread-priority.ts); the
   *  threads read it themselves, the configuration only refuses a bad value at start. */
  readonly threadNice?: number;
  /** Heaps grow by this percent of their live size between full collections (NETPOL_HEAP_GROWING_PERCENT, 0…400,
   *  default 100; 0: V8's own factor; heap-growth.ts). main.ts applies it; tests leave V8's default. */
  readonly heapGrowingPercent?: number;
  /** Models (with their analyses) loaded into the model threads at start, the most recently analysed contents
   *  first (NETPOL_PRELOAD_MODELS, default 2 in main.ts; 0 in tests unless set), within the model cache's bounds. */
  readonly preloadModels?: number;
  /** `in-server` (NETPOL_JOBS=in-server, the default of main.ts): this process also runs analysis jobs; `off`: only
   *  `npm run worker` processes do (several API replicas). Tests default to off. */
  readonly jobs?: 'in-server' | 'off';
  /** `json` (NETPOL_LOG_FORMAT=json): one JSON object per log line, with request ids; default `text`. */
  readonly logFormat?: 'text' | 'json';
}

/** Defaults of the analysis cache bounds. */
export const DEFAULT_ANALYSIS_CACHE = { entries: 8, bytes: 1024 * MiB } as const;
/** Models preloaded at start by a server configured from the environment (`npm start`, the deployments). */
export const DEFAULT_PRELOAD_MODELS = 2;

function nonNegativeInteger(name: string, text: string): number {
  const value = Number(text);
  if (text.trim() === '' || !Number.isInteger(value) || value < 0) throw new Error(`${name} must be a whole number ≥ 0, got ${JSON.stringify(text)}`);
  return value;
}

/** Render threads at most: each may hold a snapshot's content and its evidence pack (tens of MiB at 50k pods). */
export const MAX_RENDER_THREADS = 16;

function wholeNumberBetween(name: string, text: string, min: number, max: number): number {
  const value = Number(text);
  if (text.trim() === '' || !Number.isInteger(value) || value < min || value > max) throw new Error(`${name} must be a whole number from ${min} to ${max}, got ${JSON.stringify(text)}`);
  return value;
}

function positiveNumber(text: string | undefined, fallback: number): number {
  const value = Number(text);
  return text !== undefined && Number.isFinite(value) && value > 0 ? value : fallback;
}

/** Default folder of the first-start admin token and the generated token secret. */
export const DEFAULT_SECRETS_DIR = path.join(REPO_ROOT, '.data', 'secrets');

/** NETPOL_TOKEN_SECRET, else the secret kept in `<secretsDir>/token-secret` (generated once, mode 0600). */
export function tokenSecretFrom(env: NodeJS.ProcessEnv, secretsDir: string): string {
  if (env.NETPOL_TOKEN_SECRET) return env.NETPOL_TOKEN_SECRET;
  const file = path.join(secretsDir, 'token-secret');
  if (!existsSync(file)) {
    mkdirSync(secretsDir, { recursive: true, mode: 0o700 });
    writeFileSync(file, `${randomBytes(32).toString('base64url')}\n`, { mode: 0o600, flag: 'wx' });
  }
  return readFileSync(file, 'utf8').trim();
}

function oidcFrom(env: NodeJS.ProcessEnv): OidcConfig | undefined {
  if (!env.NETPOL_OIDC_ISSUER) return undefined;
  if (!env.NETPOL_OIDC_JWKS_URL) throw new Error('NETPOL_OIDC_ISSUER is set but NETPOL_OIDC_JWKS_URL is not');
  return {
    issuer: env.NETPOL_OIDC_ISSUER,
    jwksUrl: env.NETPOL_OIDC_JWKS_URL,
    audience: env.NETPOL_OIDC_AUDIENCE || undefined,
    rolesClaim: env.NETPOL_OIDC_ROLES_CLAIM || 'netpol_roles',
    tenantsClaim: env.NETPOL_OIDC_TENANTS_CLAIM || 'netpol_tenants',
  };
}

export const APP_CONFIG = Symbol('APP_CONFIG');

/** `64MiB`, `10mb`, `1024`, `512KiB` → bytes. */
export function parseByteSize(text: string): number {
  const match = /^\s*(\d+(?:\.\d+)?)\s*(b|k|kb|kib|m|mb|mib|g|gb|gib)?\s*$/i.exec(text);
  if (!match) throw new Error(`not a byte size: ${JSON.stringify(text)} (e.g. 64MiB, 1048576)`);
  const unit = (match[2] ?? 'b').toLowerCase()[0];
  const factor = unit === 'k' ? 1024 : unit === 'm' ? MiB : unit === 'g' ? 1024 * MiB : 1;
  const bytes = Math.floor(Number(match[1]) * factor);
  if (bytes < 1) throw new Error(`byte size must be positive: ${JSON.stringify(text)}`);
  return bytes;
}

/** Human form used in messages: `64 MiB (67108864 bytes)`. */
export function describeByteSize(bytes: number): string {
  const unit = bytes % MiB === 0 ? `${bytes / MiB} MiB` : bytes % 1024 === 0 ? `${bytes / 1024} KiB` : `${bytes} B`;
  return `${unit} (${bytes} bytes)`;
}

/** NETPOL_LOG_FORMAT: `text` (default) or `json`. */
export function logFormatFrom(env: NodeJS.ProcessEnv): 'text' | 'json' {
  const format = env.NETPOL_LOG_FORMAT ?? 'text';
  if (format !== 'text' && format !== 'json') throw new Error(`NETPOL_LOG_FORMAT must be text or json, got ${JSON.stringify(format)}`);
  return format;
}

export function configFromEnv(env: NodeJS.ProcessEnv = process.env): AppConfig {
  if (!env.DATABASE_URL) {
    throw new Error('DATABASE_URL is not set (use `npm start`, which starts an embedded PostgreSQL, or set it)');
  }
  if (env.NETPOL_AUTH && !['on', 'off'].includes(env.NETPOL_AUTH)) throw new Error(`NETPOL_AUTH must be on or off, got ${JSON.stringify(env.NETPOL_AUTH)}`);
  const auth = env.NETPOL_AUTH === 'off' ? 'off' : 'on';
  const secretsDir = path.resolve(env.NETPOL_SECRETS_DIR ?? DEFAULT_SECRETS_DIR);
  return {
    databaseUrl: env.DATABASE_URL,
    databaseReadUrls: readUrlsFrom(env.DATABASE_READ_URLS),
    bodyLimit: env.NETPOL_BODY_LIMIT ? parseByteSize(env.NETPOL_BODY_LIMIT) : 64 * MiB,
    loadDemoData: env.NETPOL_DEMO_DATA !== 'off',
    dashboardDist: env.DASHBOARD_DIST,
    production: env.NODE_ENV === 'production',
    analysisCache: {
      entries: positiveNumber(env.NETPOL_ANALYSIS_CACHE_ENTRIES, DEFAULT_ANALYSIS_CACHE.entries),
      bytes: positiveNumber(env.NETPOL_ANALYSIS_CACHE_MB, DEFAULT_ANALYSIS_CACHE.bytes / MiB) * MiB,
    },
    migrationDatabaseUrl: env.DATABASE_OWNER_URL || undefined,
    runMigrations: env.NETPOL_MIGRATIONS !== 'skip',
    auth,
    tokenSecret: auth === 'off' ? undefined : tokenSecretFrom(env, secretsDir),
    secretsDir,
    createFirstAdminToken: true,
    bootstrapAdminToken: env.NETPOL_BOOTSTRAP_ADMIN_TOKEN || undefined,
    oidc: oidcFrom(env),
    requestTimeoutMs: env.NETPOL_REQUEST_TIMEOUT_MS ? Number(env.NETPOL_REQUEST_TIMEOUT_MS) : undefined,
    rateLimitPerMinute: env.NETPOL_RATE_LIMIT ? Number(env.NETPOL_RATE_LIMIT) : undefined,
    graphqlMaxResponseBytes: env.NETPOL_GRAPHQL_MAX_RESPONSE ? parseByteSize(env.NETPOL_GRAPHQL_MAX_RESPONSE) : undefined,
    maxListedRows: maxListedRows(env),
    analysisThreads: env.NETPOL_ANALYSIS_THREADS ? positiveNumber(env.NETPOL_ANALYSIS_THREADS, 1) : undefined,
    modelThreads: env.NETPOL_MODEL_THREADS ? positiveNumber(env.NETPOL_MODEL_THREADS, 1) : undefined,
    renderThreads: env.NETPOL_RENDER_THREADS === undefined ? undefined : wholeNumberBetween('NETPOL_RENDER_THREADS', env.NETPOL_RENDER_THREADS, 1, MAX_RENDER_THREADS),
    threadNice: threadNiceFrom(env.NETPOL_THREAD_NICE),
    heapGrowingPercent: heapGrowingPercentFrom(env.NETPOL_HEAP_GROWING_PERCENT),
    preloadModels: env.NETPOL_PRELOAD_MODELS === undefined ? DEFAULT_PRELOAD_MODELS : nonNegativeInteger('NETPOL_PRELOAD_MODELS', env.NETPOL_PRELOAD_MODELS),
    jobs: env.NETPOL_JOBS === 'off' ? 'off' : 'in-server',
    logFormat: logFormatFrom(env),
  };
}
