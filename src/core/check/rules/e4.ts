import { finding } from '../../findings.js';
import type { Finding, PathSegment } from '../../findings.js';
import { DIMENSIONS } from '../../manifest.js';
import type { DimensionKey } from '../../manifest.js';
import { guardrailPhases } from '../evidence.js';
import { rigorMeets, tierRigor } from '../facts.js';
import { defineRule } from '../rule.js';
import { filled, isObject, list } from '../util.js';

/** A guardrail with a bound. */
const bounded = (g: Record<string, unknown>): boolean =>
  typeof g.min === 'number' || typeof g.max === 'number';

/** A guardrail watched live: active in monitor, with `monitor` evidence of its own. */
const watchedLive = (g: Record<string, unknown>): boolean =>
  guardrailPhases(g).includes('monitor') &&
  isObject(g.monitor) &&
  (typeof g.monitor.evidence === 'string'
    ? filled(g.monitor.evidence)
    : isObject(g.monitor.evidence));

/** Names the groups of a guardrail: a list with at least one group. */
const namesGroups = (g: Record<string, unknown>): boolean =>
  list(g.groups).some((x) => typeof x === 'string' && x.trim() !== '');

/**
 * What dialUp asks for beyond standard, for one dimension at dialUp: monitor evidence of its own
 * (a guardrail watched live), and for fairness, guardrails that name their groups.
 */
function dialUpFindings(
  dimension: DimensionKey,
  dim: Record<string, unknown>,
  at: PathSegment[],
): Finding[] {
  const out: Finding[] = [];
  const guardrails = list(dim.guardrails);
  if (!guardrails.some((g) => isObject(g) && watchedLive(g))) {
    // the guardrail the fix completes: the first bounded one (active in monitor, if any is)
    const indexed = guardrails.map((g, index) => ({ g, index }));
    const candidates = indexed.filter(
      (x): x is { g: Record<string, unknown>; index: number } => isObject(x.g) && bounded(x.g),
    );
    const pick = candidates.find((x) => guardrailPhases(x.g).includes('monitor')) ?? candidates[0];
    out.push(
      finding('RIGOR_NO_MONITOR', at, {
        dimension,
        ...(pick
          ? {
              id: String(pick.g.id),
              metric: String(pick.g.metric),
              index: pick.index,
              ...(guardrailPhases(pick.g).includes('monitor') ? {} : { notInMonitor: true }),
            }
          : {}),
        waiverTarget: dimension,
      }),
    );
  }
  if (dimension === 'fairImpartial') {
    guardrails.forEach((g, index) => {
      if (!isObject(g) || namesGroups(g)) return;
      out.push(
        finding('GUARDRAIL_GROUPS_MISSING', [...at, 'guardrails', index], {
          id: String(g.id),
          metric: String(g.metric),
          dimension,
          index,
          waiverTarget: String(g.id),
        }),
      );
    });
  }
  return out;
}

export const e4 = defineRule({
  id: 'E4',
  title: 'Rigor fits the risk tier',
  phases: ['envision'],
  help: 'Rigor is at least the tier default (low: dialDown; medium: standard; high and critical: dialUp for fairImpartial, privacy and safeSecure, standard elsewhere), or the dimension carries a justification for dialing down. A dimension at dialUp has a guardrail watched in production (active in monitor, with `monitor: {evidence, cadence}`), and fairness guardrails at dialUp name the groups they are measured for (`groups`).',
  rationale:
    'The effort spent on each dimension should follow the risk: a high-risk model gets more scrutiny on fairness, privacy and security, and dialing down is a decision someone writes down. More scrutiny means more evidence: a value for each group a model could treat unfairly, and a measurement from production, not only from the build.',
  waivable: true,
  targeted: true,
  evaluate(facts) {
    const tai = facts.manifest.envision?.trustworthyAI;
    const out: Finding[] = [];
    for (const dimension of DIMENSIONS) {
      const dim = isObject(tai) ? tai[dimension] : undefined;
      if (!isObject(dim)) continue;
      const at: PathSegment[] = ['envision', 'trustworthyAI', dimension];
      if (dim.rigor === 'dialUp' && dim.excluded !== true)
        out.push(...dialUpFindings(dimension, dim, at));
      if (filled(dim.justification)) continue;
      const need = tierRigor(facts.tier, dimension);
      if (rigorMeets(dim.rigor, need)) continue;
      const rigor = dim.rigor === undefined ? undefined : String(dim.rigor);
      out.push(
        finding(
          'RIGOR_BELOW_TIER',
          rigor ? [...at, 'rigor'] : at,
          {
            dimension,
            need,
            ...(rigor !== undefined ? { rigor } : {}),
            ...(facts.tier !== undefined ? { tier: facts.tier } : {}),
            waiverTarget: dimension,
          },
          { fix: { kind: 'edit', op: 'set', path: [...at, 'rigor'], value: need } },
        ),
      );
    }
    return out;
  },
});
