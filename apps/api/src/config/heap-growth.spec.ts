// NETPOL_HEAP_GROWING_PERCENT: parsed strictly, and the flag it sets takes effect in a running process (V8 prints
// each new limit with --trace-gc-verbose: "Limit: old size: A KB, new limit: B KB (factor)").
import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { configFromEnv } from './app-config.js';
import { DEFAULT_HEAP_GROWING_PERCENT, heapGrowingFlag, heapGrowingPercentFrom } from './heap-growth.js';

/** The factor of each old-generation limit V8 computes in a child that sets `flag` at run time, then collects twice. */
function limitFactors(flag: string | undefined): number[] {
  const script = [
    `import { setFlagsFromString } from 'node:v8';`,
    flag ? `setFlagsFromString(${JSON.stringify(flag)});` : '',
    'const live = []; for (let i = 0; i < 300000; i++) live.push({ i, s: "k" + i });',
    'globalThis.gc(); globalThis.gc(); console.log(live.length);',
  ].join('\n');
  const out = execFileSync(process.execPath, ['--expose-gc', '--trace-gc-verbose', '--input-type=module', '-e', script], { encoding: 'utf8' });
  return [...out.matchAll(/\[HeapController\] Limit: old size: \d+ KB, new limit: \d+ KB \(([\d.]+)\)/g)].map((m) => Number(m[1]));
}

describe('heapGrowingPercentFrom (NETPOL_HEAP_GROWING_PERCENT)', () => {
  it('defaults to 100, takes 0…400, refuses anything else', () => {
    expect(heapGrowingPercentFrom(undefined)).toBe(DEFAULT_HEAP_GROWING_PERCENT);
    expect(heapGrowingPercentFrom('')).toBe(100);
    expect(heapGrowingPercentFrom('0')).toBe(0);
    expect(heapGrowingPercentFrom('400')).toBe(400);
    for (const bad of ['-1', '401', '1.5', 'double', ' 50']) expect(() => heapGrowingPercentFrom(bad)).toThrow(/NETPOL_HEAP_GROWING_PERCENT/);
  });

  it('is read by the server configuration, which refuses a bad value at start', () => {
    const env = { DATABASE_URL: 'postgres://unused', NETPOL_AUTH: 'off' };
    expect(configFromEnv(env).heapGrowingPercent).toBe(100);
    expect(configFromEnv({ ...env, NETPOL_HEAP_GROWING_PERCENT: '50' }).heapGrowingPercent).toBe(50);
    expect(() => configFromEnv({ ...env, NETPOL_HEAP_GROWING_PERCENT: 'x' })).toThrow(/NETPOL_HEAP_GROWING_PERCENT/);
  });

  it('0 leaves V8 its own factor (no flag)', () => {
    expect(heapGrowingFlag(0)).toBeUndefined();
    expect(heapGrowingFlag(100)).toBe('--heap-growing-percent=100');
  });
});

describe('the flag set at run time', () => {
  it('fixes the factor of the limits V8 computes after it (2.0 for 100; V8 picks its own without it)', () => {
    const fixed = limitFactors(heapGrowingFlag(100));
    expect(fixed.length).toBeGreaterThanOrEqual(2);
    expect(new Set(fixed)).toEqual(new Set([2]));
    const fixedHalf = limitFactors(heapGrowingFlag(50));
    expect(new Set(fixedHalf)).toEqual(new Set([1.5]));
    // Without the flag V8 picks from the allocation rate (a fast allocator like this one: up to 4): not always 2.
    expect(limitFactors(undefined).length).toBeGreaterThanOrEqual(2);
  });
});
