import { describe, expect, it } from 'vitest';
import { parseRfc3339 } from './captured-at.js';

describe('parseRfc3339', () => {
  it('reads RFC 3339 date-times with offsets and fractions', () => {
    expect(parseRfc3339('2026-11-27T10:00:00Z')?.toISOString()).toBe('2026-11-27T10:00:00.000Z');
    expect(parseRfc3339('2026-11-27t10:00:00.123456789+02:30')?.toISOString()).toBe('2026-11-27T07:30:00.123Z');
    expect(parseRfc3339('2024-02-29T23:59:60Z')?.toISOString()).toBe('2024-02-29T23:59:59.999Z');
  });

  it('refuses anything else, including impossible dates', () => {
    for (const text of ['2026-11-27', '2026-11-27T10:00:00', '2025-02-29T00:00:00Z', '2026-04-31T00:00:00Z', '2026-11-27T10:00:00+24:00', 'now', '1764230400']) {
      expect(parseRfc3339(text), text).toBeUndefined();
    }
  });
});
