// Rate limits per client address and per token: a token bucket each (capacity = the per-minute limit, refilled
// continuously). A request takes 1 from both buckets; a GraphQL operation then takes its cost in thousands more
// (graphql/query-limits.plugin.ts), so one expensive query counts like many cheap ones. Hand-written (40 lines)
// because @nestjs/throttler counts requests only and cannot weigh a GraphQL operation by its cost.
import { Inject, Injectable } from '@nestjs/common';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { currentPrincipal, type Principal } from '../auth/principal.js';
import { sendError } from '../errors/error-body.js';

type Next = (error?: unknown) => void;

export const DEFAULT_RATE_LIMIT_PER_MINUTE = 1200;
/** Buckets idle this long are full again and can be forgotten. */
const FORGET_AFTER_MS = 120_000;

interface Bucket {
  tokens: number;
  at: number;
}

@Injectable()
export class RateLimiter {
  readonly perMinute: number;
  private readonly buckets = new Map<string, Bucket>();
  private lastSweep = Date.now();

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    this.perMinute = config.rateLimitPerMinute ?? DEFAULT_RATE_LIMIT_PER_MINUTE;
  }

  private keys(principal: Principal): string[] {
    const keys = [`client:${principal.remote}`];
    if (principal.tokenId) keys.push(`token:${principal.tokenId}`);
    else if (principal.kind === 'oidc') keys.push(`oidc:${principal.name}`);
    return keys;
  }

  /** Takes `units` from every bucket of the principal; the seconds to wait when one is empty, else 0. */
  take(units: number, principal: Principal = currentPrincipal()): number {
    const now = Date.now();
    if (now - this.lastSweep > FORGET_AFTER_MS) this.sweep(now);
    let wait = 0;
    for (const key of this.keys(principal)) {
      const bucket = this.buckets.get(key) ?? { tokens: this.perMinute, at: now };
      bucket.tokens = Math.min(this.perMinute, bucket.tokens + ((now - bucket.at) * this.perMinute) / 60_000);
      bucket.at = now;
      bucket.tokens -= units;
      this.buckets.set(key, bucket);
      if (bucket.tokens < 0) wait = Math.max(wait, Math.ceil((-bucket.tokens * 60) / this.perMinute));
    }
    return wait;
  }

  private sweep(now: number): void {
    this.lastSweep = now;
    for (const [key, bucket] of this.buckets) if (now - bucket.at > FORGET_AFTER_MS) this.buckets.delete(key);
  }

  /** Express middleware (after authentication): 429 with Retry-After when a bucket is empty. Probes are exempt. */
  middleware() {
    return (req: IncomingMessage, res: ServerResponse, next: Next): void => {
      if (req.url === '/healthz' || req.url === '/readyz') return next();
      const wait = this.take(1);
      if (wait === 0) return next();
      res.setHeader('Retry-After', String(wait));
      sendError(req, res, 429, `rate limit of ${this.perMinute} requests per minute exceeded; retry in ${wait} s`, 'RATE_LIMITED');
      req.resume();
    };
  }
}
