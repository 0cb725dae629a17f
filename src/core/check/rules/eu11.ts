import { annexIvKey, annexIvOfFacts, eu11Gaps } from '../../annex-iv.js';
import { EU_AI_ACT_URL, euAiActOf, euObligations } from '../../eu-ai-act.js';
import { finding } from '../../findings.js';
import type { PathSegment } from '../../findings.js';
import { defineRule } from '../rule.js';

/** The deepest key of `path` that the manifest holds, where a finding about it is shown. */
function nearestHeld(data: unknown, path: readonly PathSegment[]): PathSegment[] {
  const out: PathSegment[] = [];
  let node = data;
  for (const seg of path) {
    if (node === null || typeof node !== 'object') break;
    const next = (node as Record<string | number, unknown>)[seg];
    if (next === undefined) break;
    out.push(seg);
    node = next;
  }
  return out;
}

export const eu11 = defineRule({
  id: 'EU11',
  title: 'Technical documentation (Annex IV)',
  phases: ['deploy'],
  help: 'Every item of the Annex IV technical documentation that the manifest and its evidence can hold is there: `mlops export annex-iv` shows what is missing.',
  rationale:
    'A high-risk AI system is placed on the market with its technical documentation drawn up and kept up to date (Art. 11(1)): it shows the authorities that the system meets the requirements. The obligation follows the classification and the operator role, whatever the riskTier the team chose.',
  waivable: true,
  targeted: false,
  legal: { ref: 'EU AI Act, Art. 11 and Annex IV (technical documentation)', url: EU_AI_ACT_URL },
  evaluate(facts) {
    if (!euObligations(euAiActOf(facts.manifest)).highProvider) return [];
    // items another rule of deploy or before asks for are that rule's to name, once
    const gaps = eu11Gaps(annexIvOfFacts(facts));
    if (gaps.length === 0) return [];
    return [
      finding('ANNEX_IV_INCOMPLETE', nearestHeld(facts.manifest, gaps[0]!.key), {
        kinds: gaps.map((g) => g.kind),
        items: gaps.map((g) => g.item ?? ''),
        keys: gaps.map((g) => annexIvKey(g.key)),
        manifest: facts.manifestShown,
      }),
    ];
  },
});
