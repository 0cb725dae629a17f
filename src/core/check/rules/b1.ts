import { finding } from '../../findings.js';
import type { Finding, PathSegment } from '../../findings.js';
import { defineRule } from '../rule.js';
import { filled, list } from '../util.js';

export const b1 = defineRule({
  id: 'B1',
  title: 'Candidates compared with a baseline',
  phases: ['build'],
  help: 'At least two candidates, one of them a baseline (the current process or a non-AI model), and the selected candidate is among them.',
  rationale:
    'A model earns its place only against the alternative it replaces: without a baseline, neither the gain nor the cost of the model is known.',
  waivable: true,
  targeted: false,
  evaluate(facts) {
    const build = facts.manifest.build;
    const candidates = list<{ id?: unknown; baseline?: unknown }>(build?.candidates);
    const out: Finding[] = [];
    const at: PathSegment[] = build ? ['build', ...(build.candidates ? ['candidates'] : [])] : [];
    const baseline = candidates.some((c) => c?.baseline === true);
    if (candidates.length < 2)
      out.push(finding('CANDIDATES_TOO_FEW', at, { count: candidates.length, baseline }));
    if (candidates.length > 0 && !baseline) out.push(finding('CANDIDATE_BASELINE_MISSING', at));
    const selected = build?.selected?.candidate;
    if (!filled(selected)) out.push(finding('CANDIDATE_NOT_SELECTED', build ? ['build'] : []));
    else if (!candidates.some((c) => c?.id === selected))
      out.push(
        finding('CANDIDATE_SELECTED_UNKNOWN', ['build', 'selected', 'candidate'], {
          candidate: String(selected),
        }),
      );
    return out;
  },
});
