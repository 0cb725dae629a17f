import { finding } from '../../findings.js';
import type { Finding, PathSegment } from '../../findings.js';
import { defineRule } from '../rule.js';
import { list } from '../util.js';

export const e1 = defineRule({
  id: 'E1',
  title: 'Cross-functional team',
  phases: ['envision'],
  help: 'Stakeholders include a decision_maker, an ai_product_manager, data_science, and a domain_expert or end_user.',
  rationale:
    'The decision maker sets the objectives, domain experts and end users give the context, data science shapes the hypothesis and the AI product manager carries it through: without the business in the team, a model becomes a brain in a jar that creates no value.',
  waivable: false,
  targeted: false,
  evaluate(facts) {
    const roles = new Set(
      list<{ role?: unknown }>(facts.manifest.envision?.stakeholders).map((s) => s?.role),
    );
    const at: PathSegment[] = ['envision', 'stakeholders'];
    const out: Finding[] = [];
    for (const role of ['decision_maker', 'ai_product_manager', 'data_science'] as const) {
      if (!roles.has(role)) out.push(finding('STAKEHOLDER_ROLE_MISSING', at, { roles: [role] }));
    }
    if (!roles.has('domain_expert') && !roles.has('end_user'))
      out.push(finding('STAKEHOLDER_ROLE_MISSING', at, { roles: ['domain_expert', 'end_user'] }));
    return out;
  },
});
