import { finding } from '../../findings.js';
import type { Finding, PathSegment } from '../../findings.js';
import { defineRule } from '../rule.js';
import { isObject, list } from '../util.js';
import { isIsoDate } from '../values.js';

const EVENTS = ['drift_alert', 'value_below_minimum', 'incident'] as const;

export const m4 = defineRule({
  id: 'M4',
  title: 'Triggers and governance',
  phases: ['monitor'],
  help: 'Triggers cover drift_alert, value_below_minimum and incident, and a governance body reviews the model; at tier high and critical its next review is dated (monitor.governance.nextReview), and it is not overdue.',
  rationale:
    'Monitoring is useful only when someone acts on what it finds: every alarm has an owner and an action, and a governance body looks at the model on schedule.',
  waivable: true,
  targeted: false,
  evaluate(facts) {
    const m = facts.manifest.monitor;
    const out: Finding[] = [];
    const on = new Set(list<{ on?: unknown }>(m?.triggers).map((t) => t?.on));
    const missing = EVENTS.filter((e) => !on.has(e));
    const at: PathSegment[] = m ? ['monitor', ...(m.triggers ? ['triggers'] : [])] : [];
    if (missing.length) out.push(finding('TRIGGERS_MISSING', at, { events: missing }));
    const gov = m?.governance;
    if (!isObject(gov)) {
      out.push(finding('GOVERNANCE_MISSING', m ? ['monitor'] : []));
    } else if (typeof gov.nextReview === 'string' && isIsoDate(gov.nextReview)) {
      if (gov.nextReview < facts.today)
        out.push(
          finding('GOVERNANCE_OVERDUE', ['monitor', 'governance', 'nextReview'], {
            date: gov.nextReview,
          }),
        );
    } else if (facts.tier === 'high' || facts.tier === 'critical') {
      out.push(
        finding('GOVERNANCE_REVIEW_UNDATED', ['monitor', 'governance'], {
          tier: facts.tier,
          ...(typeof gov.body === 'string' ? { body: gov.body } : {}),
        }),
      );
    }
    return out;
  },
});
