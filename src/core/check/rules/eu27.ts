import { EU_AI_ACT_URL } from '../../eu-ai-act.js';
import type { EuAiActView } from '../../eu-ai-act.js';
import { finding } from '../../findings.js';
import { defineRule } from '../rule.js';
import { euDocumentFindings, euDuties } from './eu-common.js';

/** An Annex III point as written ("5(b)", "5 (b)", "5b"): its number and its letter. */
export function annexPoint(point: string): { number?: number; letter?: string } {
  const m = /^\s*(\d+)\s*(?:\(?\s*([a-z])\s*\)?)?/i.exec(point);
  if (!m) return {};
  return { number: Number(m[1]), ...(m[2] ? { letter: m[2].toLowerCase() } : {}) };
}

/**
 * Why Art. 27(1) asks this deployer for a FRIA: an Annex III system other than point 2, used by
 * a public body or a provider of public services, or one of points 5(b) and 5(c); undefined
 * when it does not. Only for a known legal basis.
 */
export function friaReason(
  view: EuAiActView & { legalBasis: { annex: string; point: string } },
): 'public_service' | 'point_5b' | 'point_5c' | undefined {
  if (view.legalBasis.annex !== 'III') return undefined;
  const { number, letter } = annexPoint(view.legalBasis.point);
  if (number === 2) return undefined;
  if (number === 5 && (letter === 'b' || letter === 'c'))
    return letter === 'b' ? 'point_5b' : 'point_5c';
  return view.publicService ? 'public_service' : undefined;
}

export const eu27 = defineRule({
  id: 'EU27',
  title: 'Fundamental-rights impact assessment',
  phases: ['deploy'],
  help: 'A deployer of a high-risk system of Annex III (other than point 2) that is a public body or provides public services (`metadata.euAiAct.publicService: true`), or of Annex III point 5(b) or 5(c), has a committed fundamental-rights impact assessment (`deploy.fria`) before first use (EU AI Act Art. 27). Without the legal basis the question cannot be answered: name it, or commit the FRIA.',
  rationale:
    'Before first use, the deployers Art. 27(1) names assess the impact of the system on fundamental rights: the processes it is used in, who is affected, the specific risks of harm, the oversight and what is done when the risks materialise.',
  waivable: true,
  targeted: false,
  legal: { ref: 'EU AI Act, Art. 27 (fundamental rights impact assessment)', url: EU_AI_ACT_URL },
  evaluate(facts) {
    const { highDeployer, view } = euDuties(facts);
    if (!highDeployer) return [];
    const basis = view.legalBasis;
    // without the legal basis (rule EU6 fails in envision) a FRIA that counts still meets the duty
    if (!basis)
      return euDocumentFindings(facts, 'fria', () =>
        finding('EU_FRIA_UNDETERMINED', ['metadata', 'euAiAct', 'legalBasis']),
      );
    const reason = friaReason({ ...view, legalBasis: basis });
    if (!reason) return [];
    return euDocumentFindings(facts, 'fria', () =>
      finding('EU_FRIA_MISSING', ['deploy', 'fria'], {
        reason,
        annex: basis.annex,
        point: basis.point,
      }),
    );
  },
});
