import { EU_AI_ACT_URL } from '../../eu-ai-act.js';
import { finding } from '../../findings.js';
import type { Finding } from '../../findings.js';
import { defineRule } from '../rule.js';
import { euDuties } from './eu-common.js';

/** The tiers whose rigor a high-risk system needs. */
const HIGH_TIERS: ReadonlySet<string> = new Set(['high', 'critical']);

export const eu6 = defineRule({
  id: 'EU6',
  title: 'High-risk classification held',
  phases: ['envision'],
  help: 'A system classified high-risk (`metadata.euAiAct.classification: high`) names its legal basis (`metadata.euAiAct.legalBasis`: annex I or III and the point) and its riskTier is high or critical (EU AI Act Art. 6).',
  rationale:
    'The classification decides which obligations of the EU AI Act apply, whatever riskTier the team chose: a high-risk system held to the rigor of a low tier, or whose classification cannot be traced to Annex I or III, is not held to the law.',
  waivable: true,
  targeted: false,
  legal: {
    ref: 'EU AI Act, Art. 6 and Annex I/III (classification of high-risk systems)',
    url: EU_AI_ACT_URL,
  },
  evaluate(facts) {
    const { view } = euDuties(facts);
    if (view.riskClass !== 'high') return [];
    const out: Finding[] = [];
    const tier = facts.tier;
    if (!HIGH_TIERS.has(String(tier)))
      out.push(
        finding(
          'EU_RISK_TIER_BELOW_HIGH',
          ['metadata', 'riskTier'],
          { ...(typeof tier === 'string' ? { tier } : {}) },
          { fix: { kind: 'edit', op: 'set', path: ['metadata', 'riskTier'], value: 'high' } },
        ),
      );
    if (!view.legalBasis)
      out.push(finding('EU_LEGAL_BASIS_MISSING', ['metadata', 'euAiAct', 'legalBasis']));
    return out;
  },
});
