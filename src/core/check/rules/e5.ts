import { finding } from '../../findings.js';
import type { Finding, PathSegment } from '../../findings.js';
import { defineRule } from '../rule.js';
import { filled, isObject, list } from '../util.js';

const REQUIRED = [
  'title',
  'dimension',
  'likelihood',
  'impact',
  'treatment',
  'mitigation',
  'owner',
  'lineOfDefense',
] as const;

export const e5 = defineRule({
  id: 'E5',
  title: 'Risks complete',
  phases: ['envision'],
  help: 'Every risk has a title, dimension, likelihood, impact, treatment, mitigation, owner and line of defense; a risk with likelihood x impact of 15 or more needs lineOfDefense 2 or 3.',
  rationale:
    'A risk is managed only when it is scored, treated and owned, and a severe one needs oversight beyond the team that runs the model.',
  waivable: true,
  legal: {
    ref: 'EU AI Act, Art. 9 (risk management system)',
    url: 'https://eur-lex.europa.eu/eli/reg/2024/1689/oj',
  },
  evaluate(facts) {
    const out: Finding[] = [];
    list(facts.manifest.envision?.risks).forEach((r, i) => {
      if (!isObject(r)) return;
      const at: PathSegment[] = ['envision', 'risks', i];
      const id = String(r.id);
      const missing = REQUIRED.filter((k) => !filled(r[k]));
      if (missing.length) out.push(finding('RISK_INCOMPLETE', at, { id, missing, index: i }));
      const score =
        typeof r.likelihood === 'number' && typeof r.impact === 'number'
          ? r.likelihood * r.impact
          : 0;
      if (score >= 15 && !(typeof r.lineOfDefense === 'number' && r.lineOfDefense >= 2)) {
        const line = r.lineOfDefense;
        out.push(
          finding(
            'RISK_DEFENSE_LINE',
            [...at, 'lineOfDefense'],
            {
              id,
              index: i,
              score,
              ...(typeof line === 'number' || typeof line === 'string'
                ? { lineOfDefense: line }
                : {}),
            },
            { fix: { kind: 'edit', op: 'set', path: [...at, 'lineOfDefense'], value: 2 } },
          ),
        );
      }
    });
    return out;
  },
});
