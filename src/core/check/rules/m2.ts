import { finding } from '../../findings.js';
import type { Args, Finding, PathSegment } from '../../findings.js';
import { guardrailPhases } from '../evidence.js';
import type { EvidenceRef } from '../evidence.js';
import { defineRule } from '../rule.js';
import { isObject, list } from '../util.js';
import { CADENCE_DAYS, daysBetween } from '../values.js';
import { issueFinding } from './common.js';

export const m2 = defineRule({
  id: 'M2',
  title: 'Monitoring evidence fresh',
  phases: ['monitor'],
  help: 'Value-tracking evidence, drift evidence and the live evidence of every guardrail active in monitor were last committed within their cadence (dates from git log).',
  rationale:
    'Monitoring that stopped looks exactly like monitoring that finds nothing, unless its reports keep arriving on schedule.',
  waivable: true,
  targeted: true,
  legal: {
    ref: 'EU AI Act, Art. 72 (post-market monitoring)',
    url: 'https://eur-lex.europa.eu/eli/reg/2024/1689/oj',
  },
  evaluate(facts) {
    const m = facts.manifest.monitor;
    const out: Finding[] = [];
    const fresh = (
      ref: EvidenceRef | undefined,
      cadence: unknown,
      subject: Args,
      at: PathSegment[],
    ): void => {
      if (!ref) {
        out.push(finding('MONITORING_NO_EVIDENCE', at, subject));
        return;
      }
      if (!ref.repoPath) {
        // A path that leads outside the repository: G1's finding says why.
        const issue = facts.evidenceIssue(ref);
        if (issue) out.push(issueFinding(ref, issue, String(subject.waiverTarget)));
        return;
      }
      const path = facts.show(ref.repoPath);
      const days =
        typeof cadence === 'string' && Object.hasOwn(CADENCE_DAYS, cadence)
          ? CADENCE_DAYS[cadence as keyof typeof CADENCE_DAYS]
          : undefined;
      if (days === undefined) {
        out.push(finding('MONITORING_NO_CADENCE', at, subject));
        return;
      }
      const date = facts.input.lastCommitDates.get(ref.repoPath);
      if (!date) {
        out.push(
          finding('MONITORING_NEVER_COMMITTED', ref.at, {
            ...subject,
            path,
            ...facts.commitArgs(),
          }),
        );
        return;
      }
      const age = daysBetween(date, facts.today);
      if (age > days) {
        out.push(
          finding('MONITORING_STALE', ref.at, {
            ...subject,
            path,
            date,
            age,
            today: facts.today,
            cadence: String(cadence),
            days,
            ...facts.commitArgs(),
          }),
        );
      }
    };
    const vt = m?.valueTracking;
    const vtRef = facts.evidenceRef('valueTracking');
    fresh(
      vtRef,
      vt?.cadence,
      // the report is named by its path as written
      { subject: 'valueTracking', waiverTarget: vtRef?.raw ?? 'valueTracking' },
      vt ? ['monitor', 'valueTracking'] : m ? ['monitor'] : [],
    );
    list(m?.drift).forEach((d, index) => {
      if (isObject(d))
        fresh(
          facts.evidenceRef('drift', { index }),
          d.cadence,
          { subject: 'drift', id: String(d.id), index, waiverTarget: String(d.id) },
          ['monitor', 'drift', index],
        );
    });
    // live guardrail evidence; a guardrail without it is rule M1's finding
    for (const { dimension, index, guardrail: g } of facts.guardrails) {
      if (!guardrailPhases(g).includes('monitor') || !isObject(g.monitor)) continue;
      const ref = facts.evidenceRef('guardrail', { phase: 'monitor', dimension, index });
      if (ref)
        fresh(
          ref,
          g.monitor.cadence,
          {
            subject: 'guardrail',
            id: String(g.id),
            dimension,
            index,
            waiverTarget: String(g.id),
          },
          ['envision', 'trustworthyAI', dimension, 'guardrails', index, 'monitor'],
        );
    }
    return out;
  },
});
