import { describe, expect, it } from 'vitest';
import { suggest } from '../../src/core/suggest.js';

describe('suggest', () => {
  it('finds likely typos: a missing letter, a swap, a different case', () => {
    expect(suggest('valueMetric', ['valueMetrics', 'risks'])).toBe('valueMetrics');
    expect(suggest('gmb', ['gbm', 'rules'])).toBe('gbm');
    expect(suggest('High', ['low', 'high'])).toBe('high');
  });

  it('stays quiet when nothing is close', () => {
    expect(suggest('zzz', ['low', 'medium', 'high'])).toBeUndefined();
    expect(suggest('x', [])).toBeUndefined();
  });
});
