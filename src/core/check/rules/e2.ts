import { finding } from '../../findings.js';
import type { Finding, PathSegment } from '../../findings.js';
import type { ValueMetric } from '../../manifest.js';
import { targetAgainstDirection } from '../facts.js';
import { defineRule } from '../rule.js';
import { filled, isObject, list } from '../util.js';

const num = (v: unknown): number | undefined =>
  typeof v === 'number' && Number.isFinite(v) ? v : undefined;

/**
 * The keys a value metric lacks, in the order a metric is written: `target.by` when the target
 * has no date, `minimumAcceptable` for increase and decrease (and while the direction is not
 * stated, unless a tolerance is), `tolerance` for maintain.
 */
function missingKeys(v: Record<string, unknown>): string[] {
  const missing: string[] = [];
  for (const k of ['unit', 'direction', 'baseline', 'target'] as const)
    if (!filled(v[k])) missing.push(k);
  if (isObject(v.target) && !filled(v.target.by)) missing.push('target.by');
  if (v.direction === 'maintain') {
    if (num(v.tolerance) === undefined) missing.push('tolerance');
  } else if (num(v.minimumAcceptable) === undefined) {
    // a tolerance without a direction is a maintain metric whose direction is still to write
    if (filled(v.direction) || num(v.tolerance) === undefined) missing.push('minimumAcceptable');
  }
  for (const k of ['owner', 'cadence'] as const) if (!filled(v[k])) missing.push(k);
  return missing;
}

/**
 * `minimumAcceptable` of an increase or decrease metric lies from the baseline (included) to the
 * target: worse than the baseline, the model would not pay for itself even when "acceptable";
 * beyond the target, reaching the target would still fail.
 */
function minimumOutOfRange(
  v: Record<string, unknown>,
): { side: 'baseline' | 'target'; minimum: number; baseline: number; target: number } | undefined {
  const direction = v.direction;
  if (direction !== 'increase' && direction !== 'decrease') return undefined;
  const minimum = num(v.minimumAcceptable);
  const baseline = num(isObject(v.baseline) ? v.baseline.value : undefined);
  const target = num(isObject(v.target) ? v.target.value : undefined);
  if (minimum === undefined || baseline === undefined || target === undefined) return undefined;
  const sign = direction === 'increase' ? 1 : -1;
  if (sign * (minimum - baseline) < 0) return { side: 'baseline', minimum, baseline, target };
  if (sign * (minimum - target) > 0) return { side: 'target', minimum, baseline, target };
  return undefined;
}

export const e2 = defineRule({
  id: 'E2',
  title: 'Business value defined',
  phases: ['envision'],
  help: 'At least one value metric, each with unit, direction, baseline, a target with its date (target.by), owner and cadence; a target that lies in its direction from the baseline; and the least the model must deliver: minimumAcceptable between the baseline (included) and the target for increase and decrease, a tolerance band around the target for maintain.',
  rationale:
    'A model is built for a business outcome: without a baseline, a target and a date in business terms, and the least it must deliver to pay for itself, nobody can tell later whether it delivered.',
  waivable: true,
  targeted: true,
  evaluate(facts) {
    const metrics = list<ValueMetric>(facts.manifest.envision?.valueMetrics);
    if (metrics.length === 0)
      return [finding('VALUE_METRICS_NONE', ['envision'], { waiverTarget: 'valueMetrics' })];
    const out: Finding[] = [];
    metrics.forEach((v, i) => {
      if (!isObject(v)) return;
      const at: PathSegment[] = ['envision', 'valueMetrics', i];
      const id = String(v.id);
      const missing = missingKeys(v as unknown as Record<string, unknown>);
      if (missing.length)
        out.push(
          finding('VALUE_METRIC_INCOMPLETE', at, {
            id,
            missing,
            index: i,
            ...(typeof v.direction === 'string' ? { direction: v.direction } : {}),
            waiverTarget: id,
          }),
        );
      const wrong = targetAgainstDirection(v);
      if (wrong) {
        out.push(
          finding('VALUE_TARGET_DIRECTION', [...at, 'target'], {
            id,
            ...wrong,
            waiverTarget: id,
          }),
        );
        return;
      }
      const range = minimumOutOfRange(v as unknown as Record<string, unknown>);
      if (range)
        out.push(
          finding('VALUE_MINIMUM_OUT_OF_RANGE', [...at, 'minimumAcceptable'], {
            id,
            index: i,
            direction: String(v.direction),
            ...range,
            waiverTarget: id,
          }),
        );
    });
    return out;
  },
});
