import { finding } from '../../findings.js';
import type { Finding } from '../../findings.js';
import { suggest } from '../../suggest.js';
import { defineRule } from '../rule.js';

export const g2 = defineRule({
  id: 'G2',
  title: 'References resolve',
  phases: ['envision', 'build', 'deploy', 'monitor'],
  help: 'Every id reference (stakeholders, value metrics, guardrails, candidates) names an item of this manifest. Fix the id or add the item.',
  rationale:
    'An owner, approver or metric that names nothing leaves a decision without anyone or anything behind it.',
  waivable: false,
  targeted: false,
  evaluate(facts, phase) {
    const out: Finding[] = [];
    for (const site of facts.references) {
      if (site.phase !== phase || site.resolves) continue;
      const suggestion = suggest(site.value, site.known);
      out.push(
        finding(
          'REFERENCE_UNRESOLVED',
          site.path,
          {
            value: site.value,
            kind: site.kind,
            known: site.known,
            ...(suggestion !== undefined ? { suggestion } : {}),
          },
          suggestion !== undefined
            ? { fix: { kind: 'edit', op: 'set', path: site.path, value: suggestion } }
            : {},
        ),
      );
    }
    return out;
  },
});
