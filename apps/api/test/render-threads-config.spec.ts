// NETPOL_RENDER_THREADS (README "Configuration"): the render pool's thread count, a whole number within bounds;
// anything else stops the start with a message naming the setting (a typo must not silently mean the default).
import { describe, expect, it } from 'vitest';
import { configFromEnv, MAX_RENDER_THREADS } from '../src/config/app-config.js';

const env = (extra: Record<string, string>) => ({ DATABASE_URL: 'postgres://x/y', NETPOL_AUTH: 'off', ...extra });

describe('NETPOL_RENDER_THREADS', () => {
  it('unset: the render pool chooses (undefined); a whole number from 1 to the bound is taken', () => {
    expect(configFromEnv(env({})).renderThreads).toBeUndefined();
    expect(configFromEnv(env({ NETPOL_RENDER_THREADS: '1' })).renderThreads).toBe(1);
    expect(configFromEnv(env({ NETPOL_RENDER_THREADS: ' 3 ' })).renderThreads).toBe(3);
    expect(configFromEnv(env({ NETPOL_RENDER_THREADS: String(MAX_RENDER_THREADS) })).renderThreads).toBe(MAX_RENDER_THREADS);
  });

  it.each(['0', '-1', '1.5', '', ' ', 'two', String(MAX_RENDER_THREADS + 1), '1e3'])('%j is refused, naming the setting and its bounds', (text) => {
    expect(() => configFromEnv(env({ NETPOL_RENDER_THREADS: text }))).toThrow(`NETPOL_RENDER_THREADS must be a whole number from 1 to ${MAX_RENDER_THREADS}, got ${JSON.stringify(text)}`);
  });
});
