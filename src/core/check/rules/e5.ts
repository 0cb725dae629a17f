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

/** The tiers at which a model names at least one risk. */
const RISKS_REQUIRED: ReadonlySet<string> = new Set(['medium', 'high', 'critical']);

export const e5 = defineRule({
  id: 'E5',
  title: 'Risks complete',
  phases: ['envision'],
  help: 'At tier medium, high and critical there is at least one risk. Every risk has a title, dimension, likelihood, impact, treatment, mitigation, owner and line of defense; a risk with likelihood x impact of 15 or more needs lineOfDefense 2 or 3.',
  rationale:
    'A model that matters enough to be tiered medium or above can go wrong in ways someone has to name first; a risk is managed only when it is scored, treated and owned, and a severe one needs oversight beyond the team that runs the model.',
  waivable: true,
  targeted: true,
  legal: {
    ref: 'EU AI Act, Art. 9 (risk management system)',
    url: 'https://eur-lex.europa.eu/eli/reg/2024/1689/oj',
  },
  evaluate(facts) {
    const out: Finding[] = [];
    const risks = facts.manifest.envision?.risks;
    if (RISKS_REQUIRED.has(String(facts.tier)) && !list(risks).some(isObject)) {
      const at: PathSegment[] = Array.isArray(risks) ? ['envision', 'risks'] : ['envision'];
      out.push(finding('RISKS_NONE', at, { tier: String(facts.tier), waiverTarget: 'risks' }));
    }
    list(risks).forEach((r, i) => {
      if (!isObject(r)) return;
      const at: PathSegment[] = ['envision', 'risks', i];
      const id = String(r.id);
      const missing = REQUIRED.filter((k) => !filled(r[k]));
      if (missing.length)
        out.push(finding('RISK_INCOMPLETE', at, { id, missing, index: i, waiverTarget: id }));
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
              waiverTarget: id,
            },
            { fix: { kind: 'edit', op: 'set', path: [...at, 'lineOfDefense'], value: 2 } },
          ),
        );
      }
    });
    return out;
  },
});
