// Runtime settings, read once from the environment (README "Configuration"); tests pass overrides.
export const MiB = 1024 * 1024;

export interface AppConfig {
  /** PostgreSQL connection URL (DATABASE_URL). */
  readonly databaseUrl: string;
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
}

/** Defaults of the analysis cache bounds. */
export const DEFAULT_ANALYSIS_CACHE = { entries: 8, bytes: 1024 * MiB } as const;

function positiveNumber(text: string | undefined, fallback: number): number {
  const value = Number(text);
  return text !== undefined && Number.isFinite(value) && value > 0 ? value : fallback;
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

export function configFromEnv(env: NodeJS.ProcessEnv = process.env): AppConfig {
  if (!env.DATABASE_URL) {
    throw new Error('DATABASE_URL is not set (use `npm start`, which starts an embedded PostgreSQL, or set it)');
  }
  return {
    databaseUrl: env.DATABASE_URL,
    bodyLimit: env.NETPOL_BODY_LIMIT ? parseByteSize(env.NETPOL_BODY_LIMIT) : 64 * MiB,
    loadDemoData: env.NETPOL_DEMO_DATA !== 'off',
    dashboardDist: env.DASHBOARD_DIST,
    production: env.NODE_ENV === 'production',
    analysisCache: {
      entries: positiveNumber(env.NETPOL_ANALYSIS_CACHE_ENTRIES, DEFAULT_ANALYSIS_CACHE.entries),
      bytes: positiveNumber(env.NETPOL_ANALYSIS_CACHE_MB, DEFAULT_ANALYSIS_CACHE.bytes / MiB) * MiB,
    },
  };
}
