import { describe, expect, it } from 'vitest';
import { documentOrdinal } from './format.js';

describe('document places', () => {
  it('count from 1 as ordinals (the API counts from 0)', () => {
    expect([0, 1, 2, 3, 10, 11, 12, 20, 21, 111].map(documentOrdinal)).toEqual([
      '1st document',
      '2nd document',
      '3rd document',
      '4th document',
      '11th document',
      '12th document',
      '13th document',
      '21st document',
      '22nd document',
      '112th document',
    ]);
  });
});
