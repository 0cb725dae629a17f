import { formatPath } from './diagnostics.js';
import type { PathSegment } from './diagnostics.js';
import { DIMENSIONS } from './manifest.js';
import type { RawFinding } from './schema-errors.js';
import { show } from './schema-errors.js';
import { didYouMean } from './suggest.js';

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => v !== null && typeof v === 'object' && !Array.isArray(v);
const items = (v: unknown): Obj[] => (Array.isArray(v) ? v : []).map((x) => (isObj(x) ? x : {}));
const num = (v: unknown): number | undefined =>
  typeof v === 'number' && Number.isFinite(v) ? v : undefined;

interface IdList {
  label: string;
  entries: { id: string; path: PathSegment[] }[];
}

/** Checks that the schema cannot express: unique ids, references, sensible bounds. */
export function checkConsistency(data: unknown): RawFinding[] {
  if (!isObj(data)) return [];
  const out: RawFinding[] = [];
  const envision = isObj(data.envision) ? data.envision : {};
  const build = isObj(data.build) ? data.build : {};
  const deploy = isObj(data.deploy) ? data.deploy : {};
  const monitor = isObj(data.monitor) ? data.monitor : {};
  const metadata = isObj(data.metadata) ? data.metadata : {};

  const collect = (label: string, base: PathSegment[], list: unknown): IdList => ({
    label,
    entries: items(list).flatMap((item, i) =>
      typeof item.id === 'string' ? [{ id: item.id, path: [...base, i, 'id'] }] : [],
    ),
  });
  const tai = isObj(envision.trustworthyAI) ? envision.trustworthyAI : {};
  const guardrails: IdList = { label: 'guardrail', entries: [] };
  for (const dim of DIMENSIONS) {
    const d = tai[dim];
    if (isObj(d))
      guardrails.entries.push(
        ...collect('guardrail', ['envision', 'trustworthyAI', dim, 'guardrails'], d.guardrails)
          .entries,
      );
  }
  const stakeholders = collect('stakeholder', ['envision', 'stakeholders'], envision.stakeholders);
  const valueMetrics = collect('value metric', ['envision', 'valueMetrics'], envision.valueMetrics);
  const candidates = collect('candidate', ['build', 'candidates'], build.candidates);
  const lists = [
    stakeholders,
    valueMetrics,
    collect('risk', ['envision', 'risks'], envision.risks),
    guardrails,
    candidates,
    collect('evaluation', ['build', 'evaluations'], build.evaluations),
    collect('dataset', ['build', 'datasets'], build.datasets),
    collect('drift check', ['monitor', 'drift'], monitor.drift),
  ];
  for (const list of lists) {
    const first = new Map<string, PathSegment[]>();
    for (const { id, path } of list.entries) {
      const earlier = first.get(id);
      if (earlier) {
        out.push({
          code: 'DUPLICATE_ID',
          severity: 'error',
          message: `${formatPath(path)}: ${list.label} id "${id}" is already used at ${formatPath(earlier)}`,
          path,
          target: 'value',
          hint: `ids are unique per list${list.label === 'guardrail' ? ' (guardrail ids across the whole manifest)' : ''}; rename one`,
        });
      } else first.set(id, path);
    }
  }

  const ref = (path: PathSegment[], value: unknown, list: IdList): void => {
    if (typeof value !== 'string') return;
    if (list.entries.some((e) => e.id === value)) return;
    const known = [...new Set(list.entries.map((e) => e.id))];
    out.push({
      code: 'UNKNOWN_REFERENCE',
      severity: 'error',
      message: `${formatPath(path)}: no ${list.label} has id "${value}"${didYouMean(value, known)}`,
      path,
      target: 'value',
      hint: known.length
        ? `known ${list.label} ids: ${known.join(', ')}`
        : `add the ${list.label} first`,
    });
  };
  items(envision.valueMetrics).forEach((m, i) =>
    ref(['envision', 'valueMetrics', i, 'owner'], m.owner, stakeholders),
  );
  items(envision.risks).forEach((r, i) => {
    ref(['envision', 'risks', i, 'owner'], r.owner, stakeholders);
    (Array.isArray(r.guardrails) ? r.guardrails : []).forEach((g, j) =>
      ref(['envision', 'risks', i, 'guardrails', j], g, guardrails),
    );
  });
  if (isObj(build.selected))
    ref(['build', 'selected', 'candidate'], build.selected.candidate, candidates);
  items(build.evaluations).forEach((e, i) => {
    ref(['build', 'evaluations', i, 'candidate'], e.candidate, candidates);
    ref(['build', 'evaluations', i, 'valueMetric'], e.valueMetric, valueMetrics);
    if (e.kind === 'value' && e.valueMetric === undefined) {
      out.push({
        code: 'VALUE_EVALUATION_UNLINKED',
        severity: 'warning',
        message: `${formatPath(['build', 'evaluations', i])}: an evaluation of kind value names no valueMetric, so it counts for none (rule B2)`,
        path: ['build', 'evaluations', i, 'kind'],
        target: 'value',
        hint: 'add `valueMetric: <value metric id>`',
      });
    }
  });
  items(deploy.valueMeasurement).forEach((v, i) =>
    ref(['deploy', 'valueMeasurement', i, 'valueMetric'], v.valueMetric, valueMetrics),
  );
  items(monitor.triggers).forEach((t, i) =>
    ref(['monitor', 'triggers', i, 'owner'], t.owner, stakeholders),
  );
  items(data.waivers).forEach((w, i) => ref(['waivers', i, 'owner'], w.owner, stakeholders));
  items(data.approvals).forEach((a, i) => {
    ref(['approvals', i, 'by'], a.by, stakeholders);
    const who = items(envision.stakeholders).find((s) => s.id === a.by);
    if (who && typeof a.role === 'string' && typeof who.role === 'string' && who.role !== a.role) {
      out.push({
        code: 'APPROVAL_ROLE_MISMATCH',
        severity: 'error',
        message: `${formatPath(['approvals', i, 'role'])}: "${a.role}" but stakeholder "${String(a.by)}" has role "${who.role}"`,
        path: ['approvals', i, 'role'],
        target: 'value',
        hint: 'an approval carries the role of the person who signed it; record it with `mlops approve`',
      });
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
        out.push({
          code: 'BOUNDS_INVERTED',
          severity: 'error',
          message: `${formatPath(path)}: min ${min} is above max ${max}, so no value can pass`,
          path,
          target: 'value',
          hint: 'swap the bounds',
        });
      }
    });
  }
  items(monitor.drift).forEach((d, i) => {
    const max = num(d.max);
    const warn = num(d.warn);
    if (max !== undefined && warn !== undefined && warn > max) {
      const path = ['monitor', 'drift', i, 'warn'];
      out.push({
        code: 'BOUNDS_INVERTED',
        severity: 'error',
        message: `${formatPath(path)}: warn ${warn} is above max ${max}; the warning level must come first`,
        path,
        target: 'value',
      });
    }
    if (d.method === 'psi' && d.bins === undefined) {
      const path = ['monitor', 'drift', i];
      out.push({
        code: 'PSI_BINS_MISSING',
        severity: 'warning',
        message: `${formatPath(path)}: PSI depends on how the data is binned; state \`bins\` with the threshold`,
        path,
        target: 'value',
        hint: 'e.g. `bins: 10`',
      });
    }
  });

  items(envision.valueMetrics).forEach((m, i) => {
    const baseline = num(isObj(m.baseline) ? m.baseline.value : undefined);
    const target = num(isObj(m.target) ? m.target.value : undefined);
    const minimum = num(m.minimumAcceptable);
    const name =
      typeof m.id === 'string'
        ? `value metric "${m.id}"`
        : formatPath(['envision', 'valueMetrics', i]);
    if (baseline !== undefined && target !== undefined) {
      const wrong =
        (m.direction === 'increase' && target <= baseline) ||
        (m.direction === 'decrease' && target >= baseline);
      if (wrong) {
        const path = ['envision', 'valueMetrics', i, 'target', 'value'];
        out.push({
          code: 'TARGET_DIRECTION',
          severity: 'error',
          message: `${name}: target ${target} does not ${m.direction} from the baseline ${baseline}`,
          path,
          target: 'value',
          hint: `a target must lie in \`direction\` from the baseline: ${m.direction === 'increase' ? 'above' : 'below'} ${baseline}, or change \`direction\``,
        });
      }
    }
    if (target !== undefined && minimum !== undefined) {
      const beyond =
        (m.direction === 'increase' && minimum > target) ||
        (m.direction === 'decrease' && minimum < target);
      if (beyond) {
        const path = ['envision', 'valueMetrics', i, 'minimumAcceptable'];
        out.push({
          code: 'MINIMUM_BEYOND_TARGET',
          severity: 'warning',
          message: `${name}: minimumAcceptable ${minimum} is better than the target ${target}, so reaching the target would still fail`,
          path,
          target: 'value',
          hint: 'minimumAcceptable is the worst level at which the hypothesis still holds',
        });
      }
    }
  });

  if (isObj(metadata.euAiAct) && metadata.euAiAct.classification === 'prohibited') {
    const path = ['metadata', 'euAiAct', 'classification'];
    out.push({
      code: 'EU_AI_ACT_PROHIBITED',
      severity: 'error',
      message: `${formatPath(path)}: ${show('prohibited')}: practices prohibited by Art. 5 of the EU AI Act may not be built or deployed`,
      path,
      target: 'value',
      hint: 'stop the use case, or correct the classification and record its basis',
    });
  }
  return out;
}
