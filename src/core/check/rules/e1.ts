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
    'Models that deliver value are envisioned by the business, product, data science and the people who know or use the process together; any one of them alone misses what the others see.',
  waivable: true,
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
