import { guardrailPhases } from '../check/evidence.js';
import { euAiActOf } from '../eu-ai-act.js';
import type { Args, Fix, PathSegment } from '../findings.js';
import { DIMENSIONS } from '../manifest.js';
import { driftProblems } from './drift.js';
import { referenceSites, targetAgainstDirection } from './facts.js';
import { placeholderProblems } from './placeholders.js';
import { checkReassessments } from './reassessments.js';
import { problem, suggestLater } from './schema-findings.js';
import type { Problem } from './schema-findings.js';

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => v !== null && typeof v === 'object' && !Array.isArray(v);
const items = (v: unknown): Obj[] => (Array.isArray(v) ? v : []).map((x) => (isObj(x) ? x : {}));
const num = (v: unknown): number | undefined =>
  typeof v === 'number' && Number.isFinite(v) ? v : undefined;

/** The lists whose items have ids, by the name findings give them (see the messages). */
type ListName =
  | 'stakeholder'
  | 'valueMetric'
  | 'risk'
  | 'guardrail'
  | 'candidate'
  | 'evaluation'
  | 'dataset'
  | 'driftCheck';

/** Checks that the schema cannot express: unique ids, references, sensible bounds. */
export function checkConsistency(data: unknown): Problem[] {
  if (!isObj(data)) return [];
  const out: Problem[] = [];
  const envision = isObj(data.envision) ? data.envision : {};
  const build = isObj(data.build) ? data.build : {};
  const monitor = isObj(data.monitor) ? data.monitor : {};
  const metadata = isObj(data.metadata) ? data.metadata : {};

  // Each list's ids, in order: a repeat is a DUPLICATE_ID at its id, naming the first. Scanned
  // in place, as most ids are unique: a path is built only for a finding.
  const duplicateIds = (
    list: ListName,
    lists: readonly { base: PathSegment[]; value: unknown }[],
  ): void => {
    const first = new Map<string, { base: PathSegment[]; i: number }>();
    for (const { base, value } of lists) {
      if (!Array.isArray(value)) continue;
      for (let i = 0; i < value.length; i++) {
        const item: unknown = value[i];
        const id = isObj(item) ? item.id : undefined;
        if (typeof id !== 'string') continue;
        const earlier = first.get(id);
        if (earlier === undefined) {
          first.set(id, { base, i });
          continue;
        }
        const path = [...base, i, 'id'];
        out.push(
          problem('DUPLICATE_ID', path, {
            at: path,
            list,
            id,
            earlier: [...earlier.base, earlier.i, 'id'],
          }),
        );
      }
    }
  };
  const tai = isObj(envision.trustworthyAI) ? envision.trustworthyAI : {};
  duplicateIds('stakeholder', [
    { base: ['envision', 'stakeholders'], value: envision.stakeholders },
  ]);
  duplicateIds('valueMetric', [
    { base: ['envision', 'valueMetrics'], value: envision.valueMetrics },
  ]);
  duplicateIds('risk', [{ base: ['envision', 'risks'], value: envision.risks }]);
  duplicateIds(
    'guardrail',
    DIMENSIONS.map((dim) => {
      const d = tai[dim];
      return {
        base: ['envision', 'trustworthyAI', dim, 'guardrails'],
        value: isObj(d) ? d.guardrails : undefined,
      };
    }),
  );
  duplicateIds('candidate', [{ base: ['build', 'candidates'], value: build.candidates }]);
  duplicateIds('evaluation', [{ base: ['build', 'evaluations'], value: build.evaluations }]);
  duplicateIds('dataset', [{ base: ['build', 'datasets'], value: build.datasets }]);
  duplicateIds('driftCheck', [{ base: ['monitor', 'drift'], value: monitor.drift }]);

  for (const site of referenceSites(data)) {
    if (site.resolves) continue;
    const { path, kind: list, value: id, known } = site;
    out.push(
      suggestLater(
        problem('UNKNOWN_REFERENCE', path, { at: path, list, id, known }, 'value'),
        id,
        known,
        path,
      ),
    );
  }
  items(build.evaluations).forEach((e, i) => {
    if (e.kind === 'value' && e.valueMetric === undefined) {
      out.push(
        problem('VALUE_EVALUATION_UNLINKED', ['build', 'evaluations', i, 'kind'], {
          at: ['build', 'evaluations', i],
        }),
      );
    }
  });
  // the first stakeholder of each id, as a search from the top would find it (with ===, by
  // which NaN is no id)
  const stakeholderById = new Map<unknown, Obj>();
  for (const s of items(envision.stakeholders))
    if (!stakeholderById.has(s.id)) stakeholderById.set(s.id, s);
  items(data.approvals).forEach((a, i) => {
    const who = Number.isNaN(a.by) ? undefined : stakeholderById.get(a.by);
    if (who && typeof a.role === 'string' && typeof who.role === 'string' && who.role !== a.role) {
      const path = ['approvals', i, 'role'];
      out.push(
        problem(
          'APPROVAL_ROLE_MISMATCH',
          path,
          { at: path, role: a.role, by: String(a.by), expected: who.role },
          'value',
          { kind: 'edit', op: 'set', path, value: who.role },
        ),
      );
    }
  });

  for (const dim of DIMENSIONS) {
    const d = tai[dim];
    if (!isObj(d)) continue;
    items(d.guardrails).forEach((g, i) => {
      const min = num(g.min);
      const max = num(g.max);
      if (min !== undefined && max !== undefined && min > max) {
        const path = ['envision', 'trustworthyAI', dim, 'guardrails', i, 'min'];
        out.push(problem('BOUNDS_INVERTED', path, { at: path, bounds: 'minMax', min, max }));
      }
    });
  }
  out.push(...driftProblems(items(monitor.drift)));

  items(envision.valueMetrics).forEach((m, i) => {
    const target = num(isObj(m.target) ? m.target.value : undefined);
    const minimum = num(m.minimumAcceptable);
    // the metric by its id when it has one, else by where it is
    const metric =
      typeof m.id === 'string' ? { metric: m.id } : { at: ['envision', 'valueMetrics', i] };
    const direction = typeof m.direction === 'string' ? m.direction : undefined;
    const against = targetAgainstDirection(m);
    if (against) {
      out.push(
        problem('TARGET_DIRECTION', ['envision', 'valueMetrics', i, 'target', 'value'], {
          ...metric,
          direction: against.direction,
          target: against.target,
          baseline: against.baseline,
        }),
      );
    }
    if (target !== undefined && minimum !== undefined) {
      const beyond =
        (direction === 'increase' && minimum > target) ||
        (direction === 'decrease' && minimum < target);
      if (beyond) {
        out.push(
          problem('MINIMUM_BEYOND_TARGET', ['envision', 'valueMetrics', i, 'minimumAcceptable'], {
            ...metric,
            minimum,
            target,
          }),
        );
      }
    }
  });

  if (isObj(metadata.euAiAct) && metadata.euAiAct.classification === 'prohibited') {
    const path = ['metadata', 'euAiAct', 'classification'];
    out.push(problem('EU_AI_ACT_PROHIBITED', path, { at: path }));
  }
  // a high-risk system held to the rigor and sign-offs of a lower tier (rule EU6 fails Envision)
  const tier = metadata.riskTier;
  if ((tier === 'low' || tier === 'medium') && euAiActOf(data).riskClass === 'high') {
    const path = ['metadata', 'riskTier'];
    out.push(
      problem('EU_TIER_BELOW_HIGH', path, { at: path, tier }, 'value', {
        kind: 'edit',
        op: 'set',
        path,
        value: 'high',
      }),
    );
  }
  // reassessments (monitor.reassessments): ids, dates, deciders, approvals that name them
  out.push(...checkReassessments(data));
  // waivers: ids unique, and the shape of the current contract (an id, and a target where the
  // rule's findings name items)
  out.push(...waiverProblems(data));
  // template placeholders left in strings ("TODO: ..."), at every depth: warnings
  out.push(...placeholderProblems(data));
  return out;
}

// ---------------------------------------------------------------------------------------------
// Waivers. The rule registry (src/core/check/registry.ts) says which rules may be waived and
// whose findings name items; validate reads these two lists instead, so that reading a
// manifest does not load every rule (test/core/rule-registry.test.ts keeps them equal).

/** The rules that can never be waived: the schema's waiver rule ids leave them out. */
export const NEVER_WAIVED: ReadonlySet<string> = new Set(['G1', 'G2', 'G3', 'G4', 'E1']);

const waiverIds = (v: unknown): string[] =>
  items(v).flatMap((x) => (typeof x.id === 'string' ? [x.id] : []));

/** The guardrails of a manifest, with their dimension and the phases they are active in. */
function guardrailsOf(m: Obj): { id: string; phases: string[]; dimension: string }[] {
  const tai = isObj(m.envision) ? m.envision.trustworthyAI : undefined;
  return DIMENSIONS.flatMap((dimension) => {
    const dim = isObj(tai) ? tai[dimension] : undefined;
    return items(isObj(dim) ? dim.guardrails : undefined).flatMap((g) =>
      typeof g.id === 'string' ? [{ id: g.id, phases: guardrailPhases(g), dimension }] : [],
    );
  });
}

/** The path an evidence entry names, as written. */
function evidencePath(evidence: unknown): string | undefined {
  const raw = isObj(evidence) ? evidence.path : evidence;
  return typeof raw === 'string' && raw !== '' ? raw : undefined;
}

/** The value-tracking report as the manifest names it, else the key that would name it. */
function valueTrackingTarget(m: Obj): string {
  const monitor = isObj(m.monitor) ? m.monitor : {};
  const vt = isObj(monitor.valueTracking) ? monitor.valueTracking : {};
  return evidencePath(vt.evidence) ?? 'valueTracking';
}

/** An empty list is named by its key: `valueMetrics` when there is no value metric. */
const orKey = (found: string[], key: string): string[] => (found.length > 0 ? found : [key]);

/**
 * For each waivable rule whose findings name the item they are about (the rule's `targeted`),
 * what that item can be in a manifest: the targets a waiver of the rule may name.
 */
const WAIVER_TARGETS: Record<string, (m: Obj) => string[]> = {
  E2: (m) =>
    orKey(waiverIds(isObj(m.envision) ? m.envision.valueMetrics : undefined), 'valueMetrics'),
  E3: () => [...DIMENSIONS],
  E4: (m) => [
    ...DIMENSIONS,
    ...guardrailsOf(m)
      .filter((g) => g.dimension === 'fairImpartial')
      .map((g) => g.id),
  ],
  E5: (m) => orKey(waiverIds(isObj(m.envision) ? m.envision.risks : undefined), 'risks'),
  B2: (m) => {
    const build = isObj(m.build) ? m.build : {};
    const selected = isObj(build.selected) ? build.selected.candidate : undefined;
    return [
      ...waiverIds(isObj(m.envision) ? m.envision.valueMetrics : undefined),
      ...(typeof selected === 'string' ? [selected] : []),
    ];
  },
  B3: (m) =>
    guardrailsOf(m)
      .filter((g) => g.phases.includes('build'))
      .map((g) => g.id),
  B4: (m) => {
    const build = isObj(m.build) ? m.build : {};
    return [
      evidencePath(build.modelCard) ?? 'modelCard',
      ...items(build.datasets).flatMap((d) =>
        d.personalData === true && typeof d.id === 'string' ? [d.id] : [],
      ),
    ];
  },
  D4: (m) => waiverIds(isObj(m.envision) ? m.envision.valueMetrics : undefined),
  M1: (m) => [
    ...orKey(waiverIds(isObj(m.monitor) ? m.monitor.drift : undefined), 'drift'),
    ...guardrailsOf(m)
      .filter((g) => g.phases.includes('monitor'))
      .map((g) => g.id),
  ],
  M2: (m) => [
    valueTrackingTarget(m),
    ...waiverIds(isObj(m.monitor) ? m.monitor.drift : undefined),
    ...guardrailsOf(m)
      .filter((g) => g.phases.includes('monitor'))
      .map((g) => g.id),
  ],
  M3: (m) => [
    ...waiverIds(isObj(m.envision) ? m.envision.valueMetrics : undefined),
    valueTrackingTarget(m),
    ...waiverIds(isObj(m.monitor) ? m.monitor.reassessments : undefined),
  ],
};

/** The waivable rules whose findings name items: a waiver of one names its `target`. */
export const TARGETED_WAIVER_RULES: readonly string[] = Object.keys(WAIVER_TARGETS);

/**
 * The targets a waiver of `rule` may name in the manifest `data`: what the rule's findings can
 * be about (the ids of its items, a dimension, an evidence path as written, the key of a list
 * that is empty). Empty for a rule whose findings name no item.
 */
export function waiverTargets(rule: string, data: unknown): string[] {
  const of = Object.hasOwn(WAIVER_TARGETS, rule) ? WAIVER_TARGETS[rule] : undefined;
  return of && isObj(data) ? [...new Set(of(data))] : [];
}

/** A free id for a waiver: `waive-<rule>-<target>` in lower case, `-2`, `-3`... when taken. */
export function suggestedWaiverId(
  rule: string,
  target: string | undefined,
  taken: ReadonlySet<string>,
): string {
  const slug = (t: string): string =>
    t
      .toLowerCase()
      .replace(/[^a-z0-9_-]+/g, '-')
      .replace(/^-+|-+$/g, '');
  const base = ['waive', slug(rule), ...(target !== undefined ? [slug(target)] : [])]
    .filter((p) => p !== '')
    .join('-');
  let id = base;
  for (let n = 2; taken.has(id); n++) id = `${base}-${n}`;
  return id;
}

/**
 * What a waiver lacks of the current contract: an `id`, and a `target` where its rule's
 * findings name items.
 */
export function waiverShape(w: Obj): { noId: boolean; noTarget: boolean } {
  return {
    noId: typeof w.id !== 'string' || w.id === '',
    noTarget:
      typeof w.rule === 'string' &&
      TARGETED_WAIVER_RULES.includes(w.rule) &&
      (typeof w.target !== 'string' || w.target === ''),
  };
}

/**
 * The args (and fix) of a finding about a waiver of the earlier contract: whether it lacks an
 * id (`suggestion`: a free one) and a target (`known`: what it may be in this manifest).
 */
export function waiverShapeArgs(w: Obj, index: number, data: unknown): { args: Args; fix?: Fix } {
  const { noId, noTarget } = waiverShape(w);
  const rule = typeof w.rule === 'string' ? w.rule : '';
  const taken = new Set(waiverIds(isObj(data) ? data.waivers : undefined));
  const targets = waiverTargets(rule, data);
  const target = typeof w.target === 'string' && w.target !== '' ? w.target : undefined;
  const only = targets.length === 1 ? targets[0] : undefined;
  const suggestion = suggestedWaiverId(rule, target ?? only, taken);
  const at: PathSegment[] = ['waivers', index];
  const fix: Fix | undefined = noId
    ? { kind: 'edit', op: 'add', path: [...at, 'id'], value: suggestion }
    : noTarget && only !== undefined
      ? { kind: 'edit', op: 'add', path: [...at, 'target'], value: only }
      : undefined;
  return {
    args: {
      at,
      rule,
      noId,
      noTarget,
      ...(noId ? { suggestion } : { id: String(w.id) }),
      ...(noTarget ? { known: targets } : {}),
    },
    ...(fix ? { fix } : {}),
  };
}

/**
 * validate's findings about waivers that the schema cannot express: an id used twice, and a
 * waiver of the earlier contract (no `id`, or no `target` where its rule's findings name
 * items), which `mlops check` never counts. A rule no waiver may name is the schema's finding
 * (WAIVER_NOT_WAIVABLE).
 */
function waiverProblems(data: Obj): Problem[] {
  const out: Problem[] = [];
  const first = new Map<string, PathSegment[]>();
  items(data.waivers).forEach((w, i) => {
    if (typeof w.id === 'string') {
      const path: PathSegment[] = ['waivers', i, 'id'];
      const earlier = first.get(w.id);
      if (earlier)
        out.push(problem('DUPLICATE_ID', path, { at: path, list: 'waiver', id: w.id, earlier }));
      else first.set(w.id, path);
    }
    if (typeof w.rule !== 'string' || NEVER_WAIVED.has(w.rule)) return;
    const { noId, noTarget } = waiverShape(w);
    if (!noId && !noTarget) return;
    const { args, fix } = waiverShapeArgs(w, i, data);
    out.push(problem('WAIVER_EARLIER_SHAPE', ['waivers', i], args, 'key', fix));
  });
  return out;
}
