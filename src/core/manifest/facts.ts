import type { PathSegment } from '../findings.js';
import { DIMENSIONS } from '../manifest.js';
import type { Phase, Rigor } from '../manifest.js';

// Facts of manifest data alone, asked by the reader's consistency checks, the readiness rules
// and init's scaffold alike, so that each is stated once. No evidence, git or parser here: the
// reader loads this module on every run.

const isObject = (v: unknown): v is Record<string, unknown> =>
  v !== null && typeof v === 'object' && !Array.isArray(v);
const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);

export const RIGOR_RANK: Record<Rigor, number> = { dialDown: 0, standard: 1, dialUp: 2 };

/** The least rigor a risk tier expects of a Trustworthy AI dimension (rule E4). */
export function tierRigor(tier: string | undefined, dimension: string): Rigor {
  if (tier === 'high' || tier === 'critical') {
    return dimension === 'fairImpartial' || dimension === 'privacy' || dimension === 'safeSecure'
      ? 'dialUp'
      : 'standard';
  }
  return tier === 'low' ? 'dialDown' : 'standard';
}

/** Whether `rigor` reaches `need`; an unknown or missing rigor reaches nothing. */
export function rigorMeets(rigor: unknown, need: Rigor): boolean {
  return (
    typeof rigor === 'string' &&
    Object.hasOwn(RIGOR_RANK, rigor) &&
    RIGOR_RANK[rigor as Rigor] >= RIGOR_RANK[need]
  );
}

/**
 * A value metric whose target does not lie in its direction from its baseline (an `increase`
 * whose target is not above the baseline, a `decrease` whose target is not below it), or
 * undefined when it does or when the metric does not say.
 */
export function targetAgainstDirection(
  metric: unknown,
): { direction: 'increase' | 'decrease'; baseline: number; target: number } | undefined {
  if (!isObject(metric)) return undefined;
  const baseline = isObject(metric.baseline) ? finite(metric.baseline.value) : undefined;
  const target = isObject(metric.target) ? finite(metric.target.value) : undefined;
  if (baseline === undefined || target === undefined) return undefined;
  if (metric.direction === 'increase' && target <= baseline)
    return { direction: 'increase', baseline, target };
  if (metric.direction === 'decrease' && target >= baseline)
    return { direction: 'decrease', baseline, target };
  return undefined;
}

function finite(v: unknown): number | undefined {
  return typeof v === 'number' && Number.isFinite(v) ? v : undefined;
}

/** The kinds of item an id reference can name. */
export type ReferenceKind = 'stakeholder' | 'valueMetric' | 'guardrail' | 'candidate';

/** One id reference of a manifest: where it is, what it names, and the phase it belongs to. */
export interface ReferenceSite {
  path: PathSegment[];
  value: string;
  kind: ReferenceKind;
  /** The phase whose rule G2 judges it; undefined for an approval of no known phase. */
  phase: Phase | undefined;
  /** The ids of that kind the manifest has, in order, without repeats. */
  known: string[];
  resolves: boolean;
}

/**
 * Every id reference of the manifest (string values only), in manifest order: owners and
 * approvers name stakeholders, evaluations and plans name value metrics and candidates, risks
 * name guardrails.
 */
export function referenceSites(manifest: unknown): ReferenceSite[] {
  if (!isObject(manifest)) return [];
  const section = (v: unknown): Record<string, unknown> => (isObject(v) ? v : {});
  const each = (v: unknown, fn: (item: Record<string, unknown>, i: number) => void): void => {
    if (Array.isArray(v)) v.forEach((x, i) => fn(section(x), i));
  };
  const envision = section(manifest.envision);
  const build = section(manifest.build);
  const tai = section(envision.trustworthyAI);
  const ids = (...lists: unknown[]): string[] => {
    const seen = new Set<string>();
    for (const l of lists) each(l, (x) => typeof x.id === 'string' && seen.add(x.id));
    return [...seen];
  };
  const known: Record<ReferenceKind, string[]> = {
    stakeholder: ids(envision.stakeholders),
    valueMetric: ids(envision.valueMetrics),
    candidate: ids(build.candidates),
    guardrail: ids(...DIMENSIONS.map((d) => section(tai[d]).guardrails)),
  };
  const lookup = new Map<ReferenceKind, Set<string>>();
  const out: ReferenceSite[] = [];
  const ref = (path: PathSegment[], value: unknown, kind: ReferenceKind, phase?: Phase): void => {
    if (typeof value !== 'string') return;
    const k = known[kind];
    let ids = lookup.get(kind);
    if (ids === undefined) lookup.set(kind, (ids = new Set(k)));
    out.push({ path, value, kind, phase, known: k, resolves: ids.has(value) });
  };
  each(envision.valueMetrics, (m, i) =>
    ref(['envision', 'valueMetrics', i, 'owner'], m.owner, 'stakeholder', 'envision'),
  );
  each(envision.risks, (r, i) => {
    ref(['envision', 'risks', i, 'owner'], r.owner, 'stakeholder', 'envision');
    list(r.guardrails).forEach((g, j) =>
      ref(['envision', 'risks', i, 'guardrails', j], g, 'guardrail', 'envision'),
    );
  });
  if (isObject(build.selected))
    ref(['build', 'selected', 'candidate'], build.selected.candidate, 'candidate', 'build');
  each(build.evaluations, (e, i) => {
    ref(['build', 'evaluations', i, 'candidate'], e.candidate, 'candidate', 'build');
    ref(['build', 'evaluations', i, 'valueMetric'], e.valueMetric, 'valueMetric', 'build');
  });
  each(section(manifest.deploy).valueMeasurement, (v, i) =>
    ref(['deploy', 'valueMeasurement', i, 'valueMetric'], v.valueMetric, 'valueMetric', 'deploy'),
  );
  each(section(manifest.monitor).triggers, (t, i) =>
    ref(['monitor', 'triggers', i, 'owner'], t.owner, 'stakeholder', 'monitor'),
  );
  each(manifest.waivers, (w, i) =>
    ref(['waivers', i, 'owner'], w.owner, 'stakeholder', 'envision'),
  );
  each(manifest.approvals, (a, i) => {
    const phase =
      a.phase === 'envision' || a.phase === 'build' || a.phase === 'deploy' ? a.phase : undefined;
    ref(['approvals', i, 'by'], a.by, 'stakeholder', phase);
  });
  return out;
}
