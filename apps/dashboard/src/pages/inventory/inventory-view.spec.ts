import { describe, expect, it } from 'vitest';
import { formatAge, parseLabelFilter, sparklinePoints } from './inventory-view.js';

describe('inventory helpers', () => {
  it('parses label filters: key=value and key presence', () => {
    expect(parseLabelFilter(' env=prod , team,, tier = web ')).toEqual([
      { key: 'env', value: 'prod' },
      { key: 'team', value: null },
      { key: 'tier', value: 'web' },
    ]);
    expect(parseLabelFilter('')).toEqual([]);
  });

  it('writes ages in their largest unit', () => {
    expect(formatAge(5)).toBe('5 s');
    expect(formatAge(600)).toBe('10 min');
    expect(formatAge(7300)).toBe('2 h');
    expect(formatAge(90000)).toBe('1 d');
  });

  it('draws sparklines oldest to newest, scaled to the box', () => {
    expect(sparklinePoints([1, 3, 2], 100, 20)).toBe('0,19 50,1 100,10');
    expect(sparklinePoints([4, 4], 100, 20)).toBe('0,10 100,10');
    expect(sparklinePoints([7], 100, 20)).toBe('50,10');
    expect(sparklinePoints([], 100, 20)).toBe('');
  });
});
