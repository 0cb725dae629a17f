import type { PathSegment } from '../findings.js';
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

interface IdList {
  list: ListName;
  entries: { id: string; path: PathSegment[] }[];
}

/** Checks that the schema cannot express: unique ids, references, sensible bounds. */
export function checkConsistency(data: unknown): Problem[] {
  if (!isObj(data)) return [];
  const out: Problem[] = [];
  const envision = isObj(data.envision) ? data.envision : {};
  const build = isObj(data.build) ? data.build : {};
  const monitor = isObj(data.monitor) ? data.monitor : {};
  const metadata = isObj(data.metadata) ? data.metadata : {};

  const collect = (list: ListName, base: PathSegment[], value: unknown): IdList => ({
    list,
    entries: items(value).flatMap((item, i) =>
      typeof item.id === 'string' ? [{ id: item.id, path: [...base, i, 'id'] }] : [],
    ),
  });
  const tai = isObj(envision.trustworthyAI) ? envision.trustworthyAI : {};
  const guardrails: IdList = { list: 'guardrail', entries: [] };
  for (const dim of DIMENSIONS) {
    const d = tai[dim];
    if (isObj(d))
      guardrails.entries.push(
        ...collect('guardrail', ['envision', 'trustworthyAI', dim, 'guardrails'], d.guardrails)
          .entries,
      );
  }
  const stakeholders = collect('stakeholder', ['envision', 'stakeholders'], envision.stakeholders);
  const valueMetrics = collect('valueMetric', ['envision', 'valueMetrics'], envision.valueMetrics);
  const candidates = collect('candidate', ['build', 'candidates'], build.candidates);
  const lists = [
    stakeholders,
    valueMetrics,
    collect('risk', ['envision', 'risks'], envision.risks),
    guardrails,
    candidates,
    collect('evaluation', ['build', 'evaluations'], build.evaluations),
    collect('dataset', ['build', 'datasets'], build.datasets),
    collect('driftCheck', ['monitor', 'drift'], monitor.drift),
  ];
  for (const { list, entries } of lists) {
    const first = new Map<string, PathSegment[]>();
    for (const { id, path } of entries) {
      const earlier = first.get(id);
      if (earlier) out.push(problem('DUPLICATE_ID', path, { at: path, list, id, earlier }));
      else first.set(id, path);
    }
  }

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
  // reassessments (monitor.reassessments): ids, dates, deciders, approvals that name them
  out.push(...checkReassessments(data));
  // template placeholders left in strings ("TODO: ..."), at every depth: warnings
  out.push(...placeholderProblems(data));
  return out;
}
