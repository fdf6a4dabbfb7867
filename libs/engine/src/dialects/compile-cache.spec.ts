import { describe, expect, it } from 'vitest';
import { SpecTable } from './compile-cache.js';

describe('SpecTable', () => {
  const compileAll = (specs: unknown[]) => {
    const table = new SpecTable<{ n: number }>();
    let compiled = 0;
    return specs.map((spec) => table.get(JSON.parse(JSON.stringify(spec)) as unknown, () => ({ n: compiled++ })).n);
  };

  it('compiles equal specs once (separately parsed copies, keys in any order)', () => {
    const a = { podSelector: { matchLabels: { app: 'web', tier: 'x' } }, ingress: [{ ports: [{ port: 80 }] }] };
    const b = { ingress: [{ ports: [{ port: 80 }] }], podSelector: { matchLabels: { tier: 'x', app: 'web' } } };
    expect(compileAll([a, b, a])).toEqual([0, 0, 0]);
  });

  it('tells apart specs that differ anywhere: type, value, array order, missing or extra key', () => {
    const specs = [
      { ports: [{ port: 80 }] },
      { ports: [{ port: '80' }] },
      { ports: [{ port: 81 }] },
      { ports: [{ port: 80 }, { port: 81 }] },
      { ports: [{ port: 81 }, { port: 80 }] },
      { ports: [{ port: 80, protocol: 'TCP' }] },
      { ports: [] },
      { ports: {} },
      { ports: null },
      { ports: [null] },
      { ports: [true] },
      { ports: [false] },
      { ports: [[]] },
      { ports: [{}] },
      {},
    ];
    expect(compileAll([...specs, ...specs])).toEqual([...specs.keys(), ...specs.keys()]);
  });
});
