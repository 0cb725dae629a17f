import { finding } from '../../findings.js';
import type { Finding, PathSegment } from '../../findings.js';
import { guardrailPhases } from '../evidence.js';
import type { EvidenceIssue, EvidenceRef } from '../evidence.js';
import { observationArgs } from '../facts.js';
import type { Facts } from '../facts.js';
import type { Guardrail } from '../../manifest.js';
import { list } from '../util.js';
import { escapePointerToken, observe } from '../values.js';

/**
 * The finding of an evidence entry that does not count (rule G1's judgement). It is about the
 * evidence path as the manifest writes it, unless `waiverTarget` names the item it belongs to.
 */
export function issueFinding(
  ref: EvidenceRef,
  issue: EvidenceIssue,
  waiverTarget: string = ref.raw,
): Finding {
  return finding(
    issue.code,
    ref.at,
    { ...issue.args, waiverTarget },
    issue.fix ? { fix: issue.fix } : {},
  );
}

/** Documents a phase needs: the named file must count as evidence (G1), or is missing. */
export type DocumentKind = 'modelCard' | 'datasheet' | 'dpia' | 'threatModel' | 'runbook';

export function documentFindings(
  facts: Facts,
  ref: EvidenceRef | undefined,
  document: { document: DocumentKind; item?: string; index?: number },
  at: PathSegment[],
): Finding[] {
  // about the item it documents (a dataset), else its path as written, else the document
  const waiverTarget = document.item ?? ref?.raw ?? document.document;
  if (!ref) return [finding('DOCUMENT_MISSING', at, { ...document, waiverTarget })];
  const issue = facts.evidenceIssue(ref);
  return issue ? [issueFinding(ref, issue, waiverTarget)] : [];
}

/** Every guardrail active in `phase` has committed evidence with an observed value in bounds (B3, M1). */
export function guardrailFindings(facts: Facts, phase: 'build' | 'monitor'): Finding[] {
  const out: Finding[] = [];
  for (const { dimension, index, guardrail: g } of facts.guardrails) {
    if (!guardrailPhases(g).includes(phase)) continue;
    const at: PathSegment[] = ['envision', 'trustworthyAI', dimension, 'guardrails', index];
    const named = { id: String(g.id), metric: String(g.metric), waiverTarget: String(g.id) };
    const ref = facts.evidenceRef('guardrail', { phase, dimension, index });
    if (!ref) {
      out.push(finding('GUARDRAIL_NO_EVIDENCE', at, { ...named, dimension, index }));
      continue;
    }
    const o = facts.observed(ref, named.metric);
    if (o.value === undefined) {
      const args = { ...o.problem, ...named, pointerGiven: Boolean(ref.pointer) };
      out.push(finding('GUARDRAIL_UNOBSERVED', ref.at, args));
      out.push(...groupFindings(facts, ref, g, at, phase));
      continue;
    }
    const low = typeof g.min === 'number' && o.value < g.min;
    const high = typeof g.max === 'number' && o.value > g.max;
    if (low || high) {
      const bound = low ? 'min' : 'max';
      out.push(
        finding('GUARDRAIL_OUT_OF_BOUNDS', [...at, bound], {
          ...named,
          value: o.value,
          path: o.path,
          pointer: o.pointer,
          bound,
          limit: low ? g.min! : g.max!,
          rule: phase === 'build' ? 'B3' : 'M1',
          ...facts.commitArgs(),
        }),
      );
    }
    out.push(...groupFindings(facts, ref, g, at, phase));
  }
  return out;
}

/**
 * A guardrail that names `groups` (fairness at dialUp): each group's value, at
 * `/groups/<group>/<metric>` of the same evidence, judged against the guardrail's bounds. Only
 * when the evidence counts and reads as data: otherwise the guardrail's own finding says why.
 */
function groupFindings(
  facts: Facts,
  ref: EvidenceRef,
  g: Guardrail,
  at: PathSegment[],
  phase: 'build' | 'monitor',
): Finding[] {
  const groups = list(g.groups);
  if (groups.length === 0 || ref.repoPath === undefined || facts.evidenceIssue(ref)) return [];
  const data = facts.readCurrent(ref.repoPath);
  if (!data || !data.ok) return [];
  const out: Finding[] = [];
  const metric = String(g.metric);
  const path = facts.show(ref.repoPath);
  const rule = phase === 'build' ? 'B3' : 'M1';
  groups.forEach((group, j) => {
    if (typeof group !== 'string') return;
    const named = { id: String(g.id), metric, group, waiverTarget: String(g.id) };
    const pointer = `/groups/${escapePointerToken(group)}/${escapePointerToken(metric)}`;
    const o = observe(data.data, metric, pointer);
    if (o.value === undefined) {
      out.push(
        finding('GUARDRAIL_GROUP_UNOBSERVED', [...at, 'groups', j], {
          ...observationArgs(o),
          ...named,
          path,
          rule,
          ...facts.commitArgs(),
        }),
      );
      return;
    }
    const low = typeof g.min === 'number' && o.value < g.min;
    const high = typeof g.max === 'number' && o.value > g.max;
    if (!low && !high) return;
    const bound = low ? 'min' : 'max';
    out.push(
      finding('GUARDRAIL_GROUP_OUT_OF_BOUNDS', [...at, 'groups', j], {
        ...named,
        value: o.value,
        path,
        pointer: o.pointer,
        bound,
        limit: low ? g.min! : g.max!,
        rule,
        ...facts.commitArgs(),
      }),
    );
  });
  return out;
}
