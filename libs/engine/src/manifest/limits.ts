// Hostile-input limits shared by both readers.
import type { ParseOptions } from './types.js';

export const DEFAULT_MAX_ALIASES = 100;
export const DEFAULT_MAX_DEPTH = 64;

export interface Limits {
  readonly maxAliases: number;
  readonly maxDepth: number;
}

export function resolveLimits(options: ParseOptions | undefined): Limits {
  return {
    maxAliases: options?.maxAliases ?? DEFAULT_MAX_ALIASES,
    maxDepth: options?.maxDepth ?? DEFAULT_MAX_DEPTH,
  };
}
