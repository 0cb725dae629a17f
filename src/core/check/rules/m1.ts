import { finding } from '../../findings.js';
import type { Finding, PathSegment } from '../../findings.js';
import { driftStatistic } from '../../manifest/drift.js';
import { buildEvidencePaths, guardrailPhases } from '../evidence.js';
import type { Facts } from '../facts.js';
import { defineRule } from '../rule.js';
import { isObject, list } from '../util.js';
import { guardrailFindings } from './common.js';

export const m1 = defineRule({
  id: 'M1',
  title: 'Drift and live guardrails within bounds',
  phases: ['monitor'],
  help: 'At least one drift check, each with evidence whose observed value is within its bound: a distance at most its max (above warn: a warning), a p-value at least its min (below warn: a warning). Every guardrail active in monitor reads its value from live evidence (`monitor: {evidence, cadence}` on the guardrail), a report refreshed in production that no build evidence names, and is within its bounds.',
  rationale:
    'The world a model was trained on moves on: drift and live guardrails show when it no longer behaves as it did when it was approved. A build backtest says how the model behaved before release, not how it behaves now.',
  waivable: true,
  targeted: true,
  legal: {
    ref: 'EU AI Act, Art. 72 (post-market monitoring)',
    url: 'https://eur-lex.europa.eu/eli/reg/2024/1689/oj',
  },
  evaluate(facts) {
    const out: Finding[] = [];
    const m = facts.manifest.monitor;
    const drift = list(isObject(m) ? m.drift : undefined);
    if (drift.length === 0) {
      const at: PathSegment[] = isObject(m)
        ? m.drift !== undefined
          ? ['monitor', 'drift']
          : ['monitor']
        : [];
      out.push(finding('DRIFT_NONE', at, { waiverTarget: 'drift' }));
    }
    drift.forEach((d, index) => {
      if (!isObject(d)) return;
      const at: PathSegment[] = ['monitor', 'drift', index];
      const id = String(d.id);
      const ref = facts.evidenceRef('drift', { index });
      if (!ref) {
        out.push(finding('DRIFT_NO_EVIDENCE', at, { id, index, waiverTarget: id }));
        return;
      }
      const o = facts.observed(ref, id);
      if (o.value === undefined) {
        const args = { ...o.problem, id, pointerGiven: Boolean(ref.pointer), waiverTarget: id };
        out.push(finding('DRIFT_UNOBSERVED', ref.at, args));
        return;
      }
      const reading = {
        id,
        method: String(d.method),
        value: o.value,
        path: o.path,
        pointer: o.pointer,
        waiverTarget: id,
      };
      if (driftStatistic(d) === 'pvalue') {
        // a p-value: the lower, the more the data has drifted
        if (typeof d.min === 'number' && o.value < d.min) {
          out.push(
            finding('DRIFT_BELOW_MIN', [...at, 'min'], {
              ...reading,
              min: d.min,
              ...facts.commitArgs(),
            }),
          );
        } else if (typeof d.warn === 'number' && o.value < d.warn) {
          out.push(
            finding('DRIFT_BELOW_WARN', [...at, 'warn'], {
              ...reading,
              warn: d.warn,
              ...(typeof d.min === 'number' ? { min: d.min } : {}),
            }),
          );
        }
      } else if (typeof d.max === 'number' && o.value > d.max) {
        out.push(
          finding('DRIFT_ABOVE_MAX', [...at, 'max'], {
            ...reading,
            max: d.max,
            ...facts.commitArgs(),
          }),
        );
      } else if (typeof d.warn === 'number' && o.value > d.warn) {
        out.push(
          finding('DRIFT_ABOVE_WARN', [...at, 'warn'], {
            ...reading,
            warn: d.warn,
            max: String(d.max),
          }),
        );
      }
    });
    out.push(...liveGuardrailFindings(facts));
    return out;
  },
});

/**
 * The guardrails active in monitor, judged on their live evidence: one without it, or whose live
 * evidence is a build report, is reported as such and not read; the others are judged as B3
 * judges build evidence (bounds, groups).
 */
function liveGuardrailFindings(facts: Facts): Finding[] {
  const out: Finding[] = [];
  /** The guardrails reported here, whose readings are left out. */
  const unread: PathSegment[][] = [];
  let built: ReturnType<typeof buildEvidencePaths> | undefined;
  for (const { dimension, index, guardrail: g } of facts.guardrails) {
    if (!guardrailPhases(g).includes('monitor')) continue;
    const at: PathSegment[] = ['envision', 'trustworthyAI', dimension, 'guardrails', index];
    const named = {
      id: String(g.id),
      metric: String(g.metric),
      dimension,
      index,
      waiverTarget: String(g.id),
    };
    const ref = facts.evidenceRef('guardrail', { phase: 'monitor', dimension, index });
    if (!ref) {
      unread.push(at);
      // a guardrail of monitor only whose `evidence` was its live report before `monitor` existed
      const raw = guardrailPhases(g).includes('build') ? undefined : evidencePath(g.evidence);
      out.push(
        finding('GUARDRAIL_NO_LIVE_EVIDENCE', at, {
          ...named,
          ...(raw !== undefined ? { evidence: raw } : {}),
        }),
      );
      continue;
    }
    built ??= buildEvidencePaths(facts.manifest, facts.input.manifestPath);
    const site = ref.repoPath !== undefined ? built.get(ref.repoPath) : undefined;
    if (site) {
      unread.push(at);
      out.push(
        finding('GUARDRAIL_LIVE_IS_BUILD_EVIDENCE', ref.at, {
          ...named,
          path: facts.show(ref.repoPath!),
          site: site.kind,
          siteItem: site.item,
          own: site.kind === 'guardrail' && samePath(site.at, [...at, 'evidence']),
          ...(isObject(g.monitor) && typeof g.monitor.cadence === 'string'
            ? { cadence: g.monitor.cadence }
            : {}),
        }),
      );
    }
  }
  const mine = (f: Finding): boolean => unread.some((at) => startsWith(f.path, at));
  out.push(...guardrailFindings(facts, 'monitor').filter((f) => !mine(f)));
  return out;
}

/** The path an evidence entry names, as written. */
function evidencePath(evidence: unknown): string | undefined {
  const raw = isObject(evidence) ? evidence.path : evidence;
  return typeof raw === 'string' && raw !== '' ? raw : undefined;
}

function startsWith(path: readonly PathSegment[], prefix: readonly PathSegment[]): boolean {
  return prefix.length <= path.length && prefix.every((seg, i) => path[i] === seg);
}

function samePath(a: readonly PathSegment[], b: readonly PathSegment[]): boolean {
  return a.length === b.length && startsWith(a, b);
}
