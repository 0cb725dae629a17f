import { finding } from '../../findings.js';
import type { Finding, PathSegment } from '../../findings.js';
import { defineRule } from '../rule.js';
import { isObject, list } from '../util.js';
import { guardrailFindings } from './common.js';

export const m1 = defineRule({
  id: 'M1',
  title: 'Drift and live guardrails within bounds',
  phases: ['monitor'],
  help: 'Every drift check has evidence whose observed value is at most its max (above warn: a warning), and every guardrail active in monitor is within its bounds.',
  rationale:
    'The world a model was trained on moves on: drift and live guardrails show when it no longer behaves as it did when it was approved.',
  waivable: true,
  legal: {
    ref: 'EU AI Act, Art. 72 (post-market monitoring)',
    url: 'https://eur-lex.europa.eu/eli/reg/2024/1689/oj',
  },
  evaluate(facts) {
    const out: Finding[] = [];
    list(facts.manifest.monitor?.drift).forEach((d, index) => {
      if (!isObject(d)) return;
      const at: PathSegment[] = ['monitor', 'drift', index];
      const id = String(d.id);
      const ref = facts.evidenceRef('drift', { index });
      if (!ref) {
        out.push(finding('DRIFT_NO_EVIDENCE', at, { id, index }));
        return;
      }
      const o = facts.observed(ref, id);
      if (o.value === undefined) {
        const args = { ...o.problem, id, pointerGiven: Boolean(ref.pointer) };
        out.push(finding('DRIFT_UNOBSERVED', ref.at, args));
        return;
      }
      const reading = {
        id,
        method: String(d.method),
        value: o.value,
        path: o.path,
        pointer: o.pointer,
      };
      if (typeof d.max === 'number' && o.value > d.max) {
        out.push(
          finding('DRIFT_ABOVE_MAX', [...at, 'max'], {
            ...reading,
            max: d.max,
            ...facts.commitArgs(),
          }),
        );
      } else if (typeof d.warn === 'number' && o.value > d.warn) {
        out.push(
          finding('DRIFT_ABOVE_WARN', [...at, 'warn'], {
            ...reading,
            warn: d.warn,
            max: String(d.max),
          }),
        );
      }
    });
    out.push(...guardrailFindings(facts, 'monitor'));
    return out;
  },
});
