import { euAiActOf, euObligations } from '../../eu-ai-act.js';
import type { EuAiActView, EuObligations } from '../../eu-ai-act.js';
import type { Finding } from '../../findings.js';
import type { DimensionKey, Phase } from '../../manifest.js';
import type { EvidenceKind } from '../evidence.js';
import type { Facts } from '../facts.js';
import { issueFinding } from './common.js';

/**
 * The EU AI Act classification of the manifest and the obligations it brings, from the class
 * and the operator role only (never from `riskTier`).
 */
export function euDuties(facts: Facts): EuObligations & { view: EuAiActView } {
  const view = euAiActOf(facts.manifest);
  return { ...euObligations(view), view };
}

/**
 * A document the Act asks for: none named is the rule's own finding (`missing`); one named that
 * does not count (not committed, modified, outside the repository...) is rule G1's finding.
 */
export function euDocumentFindings(
  facts: Facts,
  kind: EvidenceKind,
  missing: () => Finding,
  where: { index?: number; dimension?: DimensionKey; phase?: Phase } = {},
): Finding[] {
  const ref = facts.evidenceRef(kind, where);
  if (!ref) return [missing()];
  const issue = facts.evidenceIssue(ref);
  return issue ? [issueFinding(ref, issue)] : [];
}
