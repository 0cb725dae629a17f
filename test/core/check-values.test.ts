import { describe, expect, it } from 'vitest';
import { resolveEvidencePath } from '../../src/core/check/evidence.js';
import {
  belowMinimum,
  classifyValue,
  isIsoDate,
  observe,
  parseEvidenceText,
  resolvePointer,
} from '../../src/core/check/values.js';
import type { ValueMetric } from '../../src/core/manifest.js';

describe('observed values', () => {
  it('reads a JSON Pointer with escapes and array indices, and nothing from the prototype', () => {
    const data = { 'a/b': { 'c~d': [10, 20] }, metrics: { x: 1 } };
    expect(resolvePointer(data, '/a~1b/c~0d/1')).toBe(20);
    expect(resolvePointer(data, '/a~1b/c~0d/01')).toBeUndefined();
    expect(resolvePointer(data, '/constructor')).toBeUndefined();
    expect(resolvePointer(data, 'metrics/x')).toBeUndefined();
  });

  it('looks at the pointer, else /m, else /metrics/m, and insists on a number', () => {
    expect(observe({ m: 1, metrics: { m: 2 } }, 'm', undefined)).toEqual({
      value: 1,
      pointer: '/m',
    });
    expect(observe({ metrics: { m: 2 } }, 'm', undefined)).toEqual({
      value: 2,
      pointer: '/metrics/m',
    });
    expect(observe({ m: 1, deep: { v: 3 } }, 'm', '/deep/v')).toEqual({
      value: 3,
      pointer: '/deep/v',
    });
    expect(observe({ m: 'high' }, 'm', undefined)).toEqual({
      reason: 'not_number',
      pointer: '/m',
      found: 'literal',
      literal: '"high"',
    });
    expect(observe({ m: { v: 1 } }, 'm', undefined)).toMatchObject({ found: 'object' });
    expect(observe({}, 'm', '/x')).toEqual({ reason: 'absent', pointers: ['/x'] });
  });

  it('parses JSON and YAML by extension and refuses other files', () => {
    expect(parseEvidenceText('r.yaml', 'metrics:\n  auc: 0.8\n')).toEqual({
      ok: true,
      data: { metrics: { auc: 0.8 } },
    });
    expect(parseEvidenceText('r.json', '{"a":')).toMatchObject({
      ok: false,
      reason: 'invalid',
      format: 'JSON',
      detail: expect.any(String),
    });
    expect(parseEvidenceText('r.yml', 'a: [')).toMatchObject({ ok: false, format: 'YAML' });
    expect(parseEvidenceText('r.md', '# hi')).toEqual({ ok: false, reason: 'not_data' });
  });
});

describe('value metric status', () => {
  const up: ValueMetric = {
    id: 'r',
    name: 'r',
    direction: 'increase',
    baseline: { value: 410 },
    target: { value: 620 },
    minimumAcceptable: 480,
  };
  const down: ValueMetric = {
    id: 'c',
    name: 'c',
    direction: 'decrease',
    baseline: { value: 1.9 },
    target: { value: 1.6 },
    minimumAcceptable: 1.8,
  };

  it('is on track at or beyond the target, at risk between, failing beyond the minimum', () => {
    expect([700, 620, 536, 480, 479].map((v) => classifyValue(up, v))).toEqual([
      'on_track',
      'on_track',
      'at_risk',
      'at_risk',
      'failing',
    ]);
    expect([1.5, 1.6, 1.74, 1.8, 1.81].map((v) => classifyValue(down, v))).toEqual([
      'on_track',
      'on_track',
      'at_risk',
      'at_risk',
      'failing',
    ]);
    expect(classifyValue(up, undefined)).toBe('unknown');
  });

  it('uses the baseline as the floor without minimumAcceptable', () => {
    const { minimumAcceptable: _, ...noMin } = up;
    expect([500, 410, 400].map((v) => classifyValue(noMin, v))).toEqual([
      'at_risk',
      'at_risk',
      'failing',
    ]);
  });

  it('holds maintain metrics to a band around the target', () => {
    const keep: ValueMetric = {
      id: 'k',
      name: 'k',
      direction: 'maintain',
      baseline: { value: 95 },
      target: { value: 95 },
      minimumAcceptable: 93,
    };
    expect([95, 96.5, 92].map((v) => classifyValue(keep, v))).toEqual([
      'on_track',
      'on_track',
      'failing',
    ]);
    expect(belowMinimum(keep, 92)).toBe(true);
  });

  it('counts a miss only when worse than the minimum, read in direction', () => {
    expect([
      belowMinimum(down, 1.81),
      belowMinimum(down, 1.8),
      belowMinimum(up, 479),
      belowMinimum(up, 480),
    ]).toEqual([true, false, true, false]);
  });

  it('accepts only real calendar dates', () => {
    expect(['2026-11-27', '2026-02-30', '2026-1-1', 'yesterday'].map(isIsoDate)).toEqual([
      true,
      false,
      false,
      false,
    ]);
  });
});

describe('evidence paths', () => {
  it('resolves against the manifest folder and refuses what leaves the repository', () => {
    expect(resolveEvidencePath('models/a/mlops.yaml', 'reports/x.json')).toEqual({
      repoPath: 'models/a/reports/x.json',
    });
    expect(resolveEvidencePath('models/a/mlops.yaml', './../b/./x.json')).toEqual({
      repoPath: 'models/b/x.json',
    });
    expect(resolveEvidencePath('mlops.yaml', 'x.json')).toEqual({ repoPath: 'x.json' });
    expect(resolveEvidencePath('models/a/mlops.yaml', '../../../x.json')).toEqual({
      escape: 'outside',
    });
    expect(resolveEvidencePath('models/a/mlops.yaml', '/etc/passwd')).toEqual({
      escape: 'absolute',
    });
    expect(resolveEvidencePath('models/a/mlops.yaml', 'C:/x.json')).toEqual({ escape: 'absolute' });
    expect(resolveEvidencePath('../outside/mlops.yaml', 'x.json')).toEqual({ escape: 'outside' });
  });
});
