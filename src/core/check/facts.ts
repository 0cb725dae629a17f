import { approvalStates } from '../approvals.js';
import type { ApprovablePhase, ApprovalState } from '../approvals.js';
import type { Args, PathSegment } from '../findings.js';
import { DIMENSIONS, listGuardrails } from '../manifest.js';
import type { DimensionKey, Guardrail, Manifest, Phase, Rigor } from '../manifest.js';
import type { CheckInput, CommittedVersion } from './context.js';
import { collectEvidence, judgeEvidence } from './evidence.js';
import type { EvidenceIssue, EvidenceKind, EvidenceRef } from './evidence.js';
import { isObject, list } from './util.js';
import { escapePointerToken, observe, parseEvidenceText } from './values.js';
import type { Observation, ParsedEvidence } from './values.js';

// Facts of manifest data alone, exported so that the reader's consistency checks and init's
// scaffold can ask them rather than restate them.

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
  const out: ReferenceSite[] = [];
  const ref = (path: PathSegment[], value: unknown, kind: ReferenceKind, phase?: Phase): void => {
    if (typeof value !== 'string') return;
    const k = known[kind];
    out.push({ path, value, kind, phase, known: k, resolves: k.includes(value) });
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

/** How many consecutive committed misses of the minimum trigger reassessment (rule M3). */
export function missesToTrigger(manifest: Pick<Manifest, 'monitor'>): number {
  const vt = isObject(manifest.monitor) ? manifest.monitor.valueTracking : undefined;
  const m = isObject(vt) ? vt.missesToTrigger : undefined;
  return typeof m === 'number' && m >= 1 ? Math.floor(m) : 1;
}

/** Whether a build dataset holds personal data. */
export function holdsPersonalData(manifest: Pick<Manifest, 'build'>): boolean {
  return list<{ personalData?: unknown }>(
    isObject(manifest.build) ? manifest.build.datasets : undefined,
  ).some((d) => isObject(d) && d.personalData === true);
}

/** The pointer of one value metric under the value-tracking evidence's pointer. */
export function metricPointer(pointer: string | undefined, metricId: string): string | undefined {
  return pointer !== undefined ? `${pointer}/${escapePointerToken(metricId)}` : undefined;
}

/** Repository paths of the evidence whose commit history matters: value tracking and drift (M2, M3). */
export function historyEvidence(
  manifest: Manifest,
  refs: readonly EvidenceRef[],
): { dates: string[]; versions: { path: string; count: number }[] } {
  const dates = new Set<string>();
  const versions: { path: string; count: number }[] = [];
  for (const r of refs) {
    if (!r.repoPath) continue;
    if (r.kind === 'drift') dates.add(r.repoPath);
    if (r.kind === 'valueTracking') {
      dates.add(r.repoPath);
      versions.push({ path: r.repoPath, count: missesToTrigger(manifest) });
    }
  }
  return { dates: [...dates], versions };
}

/** Why evidence data could not be read, as finding args (`problem` and its details). */
export function dataProblemArgs(parsed: ParsedEvidence | undefined): Args {
  if (!parsed) return { problem: 'unread' };
  if (parsed.ok) return {};
  return parsed.reason === 'invalid'
    ? { problem: 'invalid', format: parsed.format, detail: parsed.detail }
    : { problem: 'not_data' };
}

/** Why no number was observed, as finding args. */
export function observationArgs(o: Exclude<Observation, { value: number }>): Args {
  return o.reason === 'absent'
    ? { problem: 'absent', pointers: o.pointers }
    : {
        problem: 'not_number',
        pointer: o.pointer,
        found: o.found,
        ...(o.literal !== undefined ? { literal: o.literal } : {}),
      };
}

/** An observed value with where it was read, or why there is none (as finding args). */
export type Observed =
  { value: number; path: string; pointer: string } | { value?: undefined; problem: Args };

/** What the rules read: the manifest, io's data, and the facts several rules share, each computed once. */
export interface Facts {
  readonly manifest: Manifest;
  readonly input: CheckInput;
  readonly today: string;
  readonly tier: string | undefined;
  /** The manifest's path as the user sees it. */
  readonly manifestShown: string;
  /** A repository path as the user sees it. */
  show(repoPath: string): string;
  readonly refs: readonly EvidenceRef[];
  /** The evidence entry of a kind (for one item, in one phase), when the manifest names one. */
  evidenceRef(
    kind: EvidenceKind,
    where?: { index?: number; dimension?: DimensionKey; phase?: Phase },
  ): EvidenceRef | undefined;
  /** G1's judgement of an evidence entry: undefined when it is committed and intact. */
  evidenceIssue(ref: EvidenceRef): EvidenceIssue | undefined;
  /** The observed value of `metric` in the committed evidence of `ref`. */
  observed(ref: EvidenceRef, metric: string): Observed;
  /** The working-tree evidence, parsed; undefined when it was not read. */
  readCurrent(repoPath: string): ParsedEvidence | undefined;
  readVersion(repoPath: string, version: CommittedVersion): ParsedEvidence | undefined;
  /** The state of each sign-off a phase needs (rule G3). */
  approvals(phase: ApprovablePhase): ApprovalState[];
  /** Every id reference, resolved. */
  readonly references: readonly ReferenceSite[];
  readonly missesToTrigger: number;
  readonly personalData: boolean;
  readonly guardrails: readonly { dimension: DimensionKey; index: number; guardrail: Guardrail }[];
}

function once<T>(make: () => T): () => T {
  let done = false;
  let value: T;
  return () => {
    if (!done) {
      value = make();
      done = true;
    }
    return value;
  };
}

/** The facts of one manifest, computed when first asked for and kept. */
export function createFacts(manifest: Manifest, input: CheckInput): Facts {
  const show = input.display ?? ((p: string) => p);
  const refs = input.refs ?? collectEvidence(manifest, input.manifestPath);
  const issues = new Map<EvidenceRef, EvidenceIssue | undefined>();
  const parsed = new Map<string, ParsedEvidence>();
  const approvals = new Map<ApprovablePhase, ApprovalState[]>();
  const parsedAt = (path: string, text: string, key: string): ParsedEvidence => {
    let p = parsed.get(key);
    if (!p) parsed.set(key, (p = parseEvidenceText(path, text)));
    return p;
  };
  const references = once(() => referenceSites(manifest));
  const guardrails = once(() => listGuardrails(manifest));
  const facts: Facts = {
    manifest,
    input,
    today: input.today,
    tier: manifest.metadata?.riskTier,
    manifestShown: input.displayPath ?? input.manifestPath,
    show,
    refs,
    evidenceRef: (kind, where = {}) =>
      refs.find(
        (r) =>
          r.kind === kind &&
          (where.index === undefined || r.index === where.index) &&
          (where.dimension === undefined || r.dimension === where.dimension) &&
          (where.phase === undefined || r.phase === where.phase),
      ),
    evidenceIssue(ref) {
      if (!issues.has(ref)) issues.set(ref, judgeEvidence(ref, input, show));
      return issues.get(ref);
    },
    observed(ref, metric) {
      const issue = facts.evidenceIssue(ref);
      if (issue) return { problem: { problem: 'evidence', cause: issue.code, ...issue.args } };
      const path = show(ref.repoPath!);
      const data = facts.readCurrent(ref.repoPath!);
      if (!data || !data.ok) return { problem: { path, ...dataProblemArgs(data) } };
      const o = observe(data.data, metric, ref.pointer);
      if (o.value === undefined) return { problem: { path, ...observationArgs(o) } };
      return { value: o.value, path, pointer: o.pointer };
    },
    readCurrent(repoPath) {
      const file = input.evidence(repoPath);
      if (!file || file.kind !== 'file' || file.text === undefined) return undefined;
      return parsedAt(repoPath, file.text, `wt:${repoPath}`);
    },
    readVersion(repoPath, version) {
      if (version.text === undefined) return undefined;
      return parsedAt(repoPath, version.text, `${version.commit}:${repoPath}`);
    },
    approvals(phase) {
      let states = approvals.get(phase);
      if (!states) approvals.set(phase, (states = approvalStates(manifest, phase)));
      return states;
    },
    get references() {
      return references();
    },
    missesToTrigger: missesToTrigger(manifest),
    personalData: holdsPersonalData(manifest),
    get guardrails() {
      return guardrails();
    },
  };
  return facts;
}
