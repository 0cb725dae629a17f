import { EU_AI_ACT_URL } from '../../eu-ai-act.js';
import { finding } from '../../findings.js';
import type { Finding } from '../../findings.js';
import type { DimensionKey } from '../../manifest.js';
import { guardrailPhases } from '../evidence.js';
import type { Facts } from '../facts.js';
import { defineRule } from '../rule.js';
import { euDocumentFindings, euDuties } from './eu-common.js';

/** What Art. 15(1) asks a high-risk system to declare, with the dimension that usually guards it. */
const DECLARED: readonly { property: string; dimension: DimensionKey }[] = [
  { property: 'accuracy', dimension: 'robustReliable' },
  { property: 'robustness', dimension: 'robustReliable' },
  { property: 'cybersecurity', dimension: 'safeSecure' },
];

export const eu15 = defineRule({
  id: 'EU15',
  title: 'Accuracy, robustness, cybersecurity declared',
  phases: ['build'],
  help: 'A high-risk system (provider) declares its accuracy, robustness and cybersecurity: for each, a guardrail with `declares: <it>`, active in build, whose evidence is committed (EU AI Act Art. 15). Whether its value is within bounds is rule B3.',
  rationale:
    'A high-risk system achieves an appropriate level of accuracy, robustness and cybersecurity, and the levels and metrics are declared in its instructions for use (Art. 15(1), 15(3)): each needs a measured metric, not a statement.',
  waivable: true,
  targeted: false,
  legal: { ref: 'EU AI Act, Art. 15 (accuracy, robustness and cybersecurity)', url: EU_AI_ACT_URL },
  evaluate(facts) {
    if (!euDuties(facts).highProvider) return [];
    const out: Finding[] = [];
    for (const { property, dimension } of DECLARED) {
      // a guardrail of an excluded dimension guards nothing: it declares nothing either
      const declaring = facts.guardrails.filter(
        (g) => g.guardrail.declares === property && !excluded(facts, g.dimension),
      );
      if (declaring.length === 0) {
        out.push(
          finding('EU_DECLARED_METRIC_MISSING', ['envision', 'trustworthyAI'], {
            property,
            dimension,
            ...(excluded(facts, dimension) ? { excluded: true } : {}),
          }),
        );
        continue;
      }
      const inBuild = declaring.filter((g) => guardrailPhases(g.guardrail).includes('build'));
      const judged = inBuild.map(({ dimension: dim, index, guardrail }) => {
        const at = ['envision', 'trustworthyAI', dim, 'guardrails', index];
        const named = { property, id: String(guardrail.id), dimension: dim, index };
        return euDocumentFindings(
          facts,
          'guardrail',
          () => finding('EU_DECLARED_METRIC_NO_EVIDENCE', at, named),
          { phase: 'build', dimension: dim, index },
        );
      });
      // one guardrail that counts is enough; otherwise the first one's problem is told
      if (judged.some((f) => f.length === 0)) continue;
      if (judged.length > 0) {
        out.push(...judged[0]!);
        continue;
      }
      const { dimension: dim, index, guardrail } = declaring[0]!;
      out.push(
        finding(
          'EU_DECLARED_METRIC_NOT_IN_BUILD',
          ['envision', 'trustworthyAI', dim, 'guardrails', index, 'phases'],
          {
            property,
            id: String(guardrail.id),
            dimension: dim,
            index,
            phases: guardrailPhases(guardrail),
          },
        ),
      );
    }
    return out;
  },
});

function excluded(facts: Facts, dimension: DimensionKey): boolean {
  const dim: unknown = facts.manifest.envision?.trustworthyAI?.[dimension];
  return (
    typeof dim === 'object' && dim !== null && (dim as { excluded?: unknown }).excluded === true
  );
}
