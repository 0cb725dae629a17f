import { finding } from '../../findings.js';
import type { Finding, PathSegment } from '../../findings.js';
import type { ValueMetric } from '../../manifest.js';
import { targetAgainstDirection } from '../facts.js';
import { defineRule } from '../rule.js';
import { filled, isObject, list } from '../util.js';

export const e2 = defineRule({
  id: 'E2',
  title: 'Business value defined',
  phases: ['envision'],
  help: 'At least one value metric, each with unit, direction, baseline, target, owner and cadence, and a target that lies in its direction from the baseline.',
  rationale:
    'A model is built for a business outcome: without a baseline and a target in business terms, nobody can tell later whether it delivered.',
  waivable: true,
  evaluate(facts) {
    const metrics = list<ValueMetric>(facts.manifest.envision?.valueMetrics);
    if (metrics.length === 0) return [finding('VALUE_METRICS_NONE', ['envision'])];
    const out: Finding[] = [];
    metrics.forEach((v, i) => {
      if (!isObject(v)) return;
      const at: PathSegment[] = ['envision', 'valueMetrics', i];
      const id = String(v.id);
      const missing = (
        ['unit', 'direction', 'baseline', 'target', 'owner', 'cadence'] as const
      ).filter((k) => !filled(v[k]));
      if (missing.length)
        out.push(finding('VALUE_METRIC_INCOMPLETE', at, { id, missing, index: i }));
      const wrong = targetAgainstDirection(v);
      if (wrong) out.push(finding('VALUE_TARGET_DIRECTION', [...at, 'target'], { id, ...wrong }));
    });
    return out;
  },
});
