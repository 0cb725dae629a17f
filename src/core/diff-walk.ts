import type { ArgValue, PathSegment } from './findings.js';
import { DIMENSIONS, RIGOR_LEVELS, RISK_TIERS } from './manifest.js';
import { driftStatistic } from './manifest/drift.js';

export type ChangeClass =
  | 'loosened'
  | 'breaking'
  | 'tightened'
  | 'changed'
  | 'added'
  | 'removed'
  /** What evidence changes (src/core/diff-evidence.ts): a value that moved past its bound, toward it or away from it, another evidence file, an approval made stale. */
  | 'breached'
  | 'degraded'
  | 'improved'
  | 'evidence'
  | 'stale';

/** What a change is about, when it is inside a section or a list item. */
export type SubjectKind =
  | 'section'
  | 'stakeholder'
  | 'valueMetric'
  | 'risk'
  | 'candidate'
  | 'evaluation'
  | 'dataset'
  | 'valueMeasurement'
  | 'driftCheck'
  | 'trigger'
  | 'approval'
  | 'waiver'
  | 'dimension'
  | 'guardrail';

/** Why a field's change got its class, when a reader needs to know. */
export type ChangeNote =
  | 'towardBaseline'
  | 'awayFromBaseline'
  | 'easierTarget'
  | 'harderTarget'
  | 'phasesLost'
  | 'phasesGained';

/**
 * The data a change's words are made from (src/report/messages/diff.ts). `what` picks the form:
 * a field's value, a list of scalars, a whole list item, a guardrail moved to another dimension,
 * or the manifest itself (added, deleted, moved); and for what evidence changes
 * (src/core/diff-evidence.ts), a value observed in it, an evidence file, or an approval the
 * change makes stale.
 */
export type ChangeArgs = {
  what:
    | 'field'
    | 'list'
    | 'item'
    | 'guardrailMoved'
    | 'manifest'
    | 'observed'
    | 'evidence'
    | 'staleApproval';
  op?: 'added' | 'removed' | 'deleted' | 'moved';
  /** The section or list item the change is in; absent for a top-level key. */
  subject?: SubjectKind;
  /** The subject's name or id (for a trigger, `on:action`; for an approval, its key). */
  key?: string;
  /** The keys inside the subject; empty for the subject itself. */
  field?: readonly string[];
  /** Scalars and lists of scalars as they are; other values in one-line YAML flow form. */
  old?: ArgValue;
  new?: ArgValue;
  note?: ChangeNote;
  /** The phases a guardrail lost or gained. */
  phases?: readonly string[];
  /** A list of scalars: the values it gained and lost. */
  gained?: readonly string[];
  lost?: readonly string[];
  /** The manifest's path (added, deleted, or in a sign-off hint) and version (added). */
  file?: string;
  version?: string;
  retired?: boolean;
  /**
   * Facts of the subject item that name it (an approval, a guardrail's dimension) or, for an
   * item added or removed, sum it up.
   */
  dimension?: string;
  phase?: string;
  /** The reassessment an approval signs, instead of a phase. */
  reassessment?: string;
  by?: string;
  role?: string;
  date?: string;
  name?: string;
  title?: string;
  design?: string;
  metric?: string;
  method?: string;
  min?: number;
  max?: number;
  target?: number;
  baseline?: number;
  decision?: string;
  expires?: string;
  /** An observed value: the guardrail's group it is of, and how it stands against its bounds. */
  group?: string;
  standing?: string;
  /** The bound nearest to the new value of a guardrail (`min` or `max`). */
  bound?: string;
  /** A value metric's bounds: its direction, minimum and (maintain) tolerance. */
  direction?: string;
  minimum?: number;
  tolerance?: number;
  /** The evidence file (repository path) a value is read from, and where in it. */
  evidence?: string;
  pointer?: string;
  /** What an evidence file proves (src/core/check/evidence.ts `EvidenceKind`), and of which item. */
  proves?: string;
  item?: string;
  /** Why a changed evidence file was not read at a side. */
  unread?: string;
  /** A stale approval: the waiver it approves, whether its subject changed, and the files that did. */
  waiver?: string;
  sectionChanged?: boolean;
  files?: readonly string[];
};

/** A change before it gets a model, a severity, a location and a fingerprint. */
export interface RawChange {
  class: ChangeClass;
  /** Where, by key and by id (never by list position): `['envision', 'valueMetrics', 'churn-rate', 'target', 'value']`. */
  path: string[];
  /**
   * Where in the head, by key and list position; a removed list item has its list's path. It may
   * run past what the head holds (a removed key): see `survivingPath`.
   */
  at: PathSegment[];
  old?: unknown;
  new?: unknown;
  args: ChangeArgs;
}

type Kind =
  | 'top'
  | 'metadata'
  | 'section'
  | 'dimension'
  | 'guardrail'
  | 'valueMetric'
  | 'drift'
  | 'waiver'
  | 'item';

type Obj = Record<string, unknown>;

/** The facts that name a subject in words: its kind, its key and, for some, a few fields. */
type SubjectArgs = Pick<
  ChangeArgs,
  'subject' | 'key' | 'dimension' | 'phase' | 'reassessment' | 'by' | 'role' | 'date'
>;

/** A place in the manifest: the subject (a section or a list item) and the field inside it. */
interface Site {
  path: string[];
  at: PathSegment[];
  kind: Kind;
  /** Absent for a top-level key. */
  subject?: SubjectArgs;
  field: string[];
  /** The subject's object at each side, for rules that read a sibling (a target reads its direction). */
  before?: unknown;
  after?: unknown;
}

interface Verdict {
  class: ChangeClass;
  note?: Pick<ChangeArgs, 'note' | 'baseline' | 'phases'>;
}

interface ListSpec {
  kind: Kind;
  subject: SubjectKind;
  key(item: Obj): string | undefined;
  /** Facts besides the key that name the item. */
  names?(item: Obj): SubjectArgs;
  /** Facts that sum up an added or removed item. */
  brief?(item: Obj): Partial<ChangeArgs>;
}

const SECTIONS = new Set(['metadata', 'envision', 'build', 'deploy', 'monitor']);
const TOP_ORDER = [
  'apiVersion',
  'kind',
  'metadata',
  'envision',
  'build',
  'deploy',
  'monitor',
  'approvals',
  'waivers',
];
const OVERSIGHT = ['none', 'on_loop', 'in_loop'];

export const isObj = (v: unknown): v is Obj =>
  v !== null && typeof v === 'object' && !Array.isArray(v);
const str = (v: unknown): string | undefined =>
  typeof v === 'string' || typeof v === 'number' ? String(v) : undefined;
const num = (v: unknown): number | undefined =>
  typeof v === 'number' && Number.isFinite(v) ? v : undefined;
/** Equal as data: key order never matters (nor does list order, for lists matched by id, later). */
function same(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) || Array.isArray(b)) {
    if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false;
    return a.every((x, i) => same(x, b[i]));
  }
  const x = a as Obj;
  const y = b as Obj;
  const keys = Object.keys(x).filter((k) => x[k] !== undefined);
  if (keys.length !== Object.keys(y).filter((k) => y[k] !== undefined).length) return false;
  return keys.every((k) => Object.prototype.hasOwnProperty.call(y, k) && same(x[k], y[k]));
}

/** `args` without its undefined entries, so that JSON and equality see only what is there. */
function defined<T extends object>(args: T): T {
  return Object.fromEntries(Object.entries(args).filter(([, v]) => v !== undefined)) as T;
}

function byId(
  subject: SubjectKind,
  kind: Kind = 'item',
  brief?: (item: Obj) => Partial<ChangeArgs>,
): ListSpec {
  return { kind, subject, key: (item) => str(item.id), ...(brief ? { brief } : {}) };
}

function bounds(item: Obj): Partial<ChangeArgs> {
  return {
    metric: str(item.metric),
    method: str(item.method),
    min: num(item.min),
    max: num(item.max),
  };
}

/** The lists whose items are matched by id (or by the field that identifies them), keyed by path. */
const LISTS: Record<string, ListSpec> = {
  'envision.stakeholders': byId('stakeholder', 'item', (s) => ({
    name: str(s.name),
    role: str(s.role),
  })),
  'envision.valueMetrics': byId('valueMetric', 'valueMetric', (m) => ({
    baseline: isObj(m.baseline) ? num(m.baseline.value) : undefined,
    target: isObj(m.target) ? num(m.target.value) : undefined,
  })),
  'envision.risks': byId('risk', 'item', (r) => ({ title: str(r.title) })),
  'build.candidates': byId('candidate'),
  'build.evaluations': byId('evaluation'),
  'build.datasets': byId('dataset'),
  'deploy.valueMeasurement': {
    kind: 'item',
    subject: 'valueMeasurement',
    key: (m) => str(m.valueMetric),
    brief: (m) => ({ design: str(m.design) }),
  },
  'monitor.drift': byId('driftCheck', 'drift', bounds),
  'monitor.triggers': {
    kind: 'item',
    subject: 'trigger',
    key: (t) => (str(t.on) && str(t.action) ? `${str(t.on)}:${str(t.action)}` : undefined),
  },
  approvals: {
    kind: 'item',
    subject: 'approval',
    key: (a) => {
      // what it signs: a phase, or a reassessment by its id
      const signs =
        str(a.phase) ??
        (str(a.reassessment) !== undefined ? `reassessment=${str(a.reassessment)}` : undefined);
      const parts = [signs, a.role, a.by, a.date].map(str);
      return parts.every((p) => p !== undefined) ? parts.join(':') : undefined;
    },
    names: (a) => ({
      phase: str(a.phase),
      reassessment: str(a.reassessment),
      by: str(a.by),
      role: str(a.role),
      date: str(a.date),
    }),
    brief: (a) => ({ decision: str(a.decision) }),
  },
  waivers: {
    kind: 'waiver',
    subject: 'waiver',
    key: (w) => str(w.rule),
    brief: (w) => ({ expires: str(w.expires) }),
  },
};

const LISTS_BY_PATH = new Map(Object.entries(LISTS));

function flow(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(flow).join(', ')}]`;
  if (isObj(v))
    return `{${Object.entries(v)
      .map(([k, x]) => `${k}: ${flow(x)}`)
      .join(', ')}}`;
  return String(v);
}

/** A value as args hold it: scalars and lists of scalars as they are, the rest in flow form. */
function argValue(v: unknown): ArgValue {
  if (v === undefined || v === null || typeof v !== 'object') {
    return typeof v === 'bigint' || typeof v === 'symbol' || typeof v === 'function'
      ? String(v)
      : (v as ArgValue);
  }
  if (Array.isArray(v) && v.every((x) => typeof x === 'string' || typeof x === 'number'))
    return v as (string | number)[];
  return flow(v);
}

function shown(a: unknown, b: unknown): Pick<ChangeArgs, 'old' | 'new'> {
  return { old: argValue(a), new: argValue(b) };
}

function ordinal(levels: readonly string[], a: unknown, b: unknown): Verdict {
  const ia = levels.indexOf(String(a));
  const ib = levels.indexOf(String(b));
  if (ia < 0 || ib < 0 || a === undefined || b === undefined) return { class: 'changed' };
  return { class: ib < ia ? 'loosened' : 'tightened' };
}

/** A lower bound (`min`): lowering or dropping it loosens. */
function lowerBound(a: unknown, b: unknown): Verdict {
  const x = num(a);
  const y = num(b);
  if (x !== undefined && y !== undefined) return { class: y < x ? 'loosened' : 'tightened' };
  if (x !== undefined && b === undefined) return { class: 'loosened' };
  if (a === undefined && y !== undefined) return { class: 'tightened' };
  return { class: 'changed' };
}

/** Whether a drift check's number is a p-value (bounded below), by its statistic or method. */
function isPValue(check: unknown): boolean {
  return isObj(check) && driftStatistic(check) === 'pvalue';
}

/** An upper bound (`max`, a drift threshold, an expiry date): raising or dropping it loosens. */
function upperBound(a: unknown, b: unknown): Verdict {
  const x = num(a) ?? (typeof a === 'string' ? a : undefined);
  const y = num(b) ?? (typeof b === 'string' ? b : undefined);
  if (x !== undefined && y !== undefined && typeof x === typeof y)
    return { class: y > x ? 'loosened' : 'tightened' };
  if (x !== undefined && b === undefined) return { class: 'loosened' };
  if (a === undefined && y !== undefined) return { class: 'tightened' };
  return { class: 'changed' };
}

function flag(a: unknown, b: unknown): Verdict {
  if (a === true && b !== true) return { class: 'tightened' };
  if (a !== true && b === true) return { class: 'loosened' };
  return { class: 'changed' };
}

/** Guardrail phases: absent means both; losing a phase loosens, gaining one tightens. */
function phaseSet(a: unknown, b: unknown): Verdict | null {
  const set = (v: unknown): Set<string> =>
    new Set(Array.isArray(v) ? v.map(String) : ['build', 'monitor']);
  const x = set(a);
  const y = set(b);
  const lost = [...x].filter((p) => !y.has(p));
  const gained = [...y].filter((p) => !x.has(p));
  if (lost.length === 0 && gained.length === 0) return null;
  if (gained.length === 0) return { class: 'loosened', note: { note: 'phasesLost', phases: lost } };
  if (lost.length === 0)
    return { class: 'tightened', note: { note: 'phasesGained', phases: gained } };
  return { class: 'changed' };
}

/** Cadences from the least to the most often: a longer cadence asks less. */
const CADENCE_STRICTNESS = ['quarterly', 'monthly', 'weekly', 'daily'] as const;

/** The groups a guardrail is judged for: judging fewer loosens it, more tightens it. */
function groupSet(a: unknown, b: unknown): Verdict | null {
  const set = (v: unknown): Set<string> => new Set(Array.isArray(v) ? v.map(String) : []);
  const x = set(a);
  const y = set(b);
  const lost = [...x].some((g) => !y.has(g));
  const gained = [...y].some((g) => !x.has(g));
  if (!lost && !gained) return null;
  return { class: lost && gained ? 'changed' : lost ? 'loosened' : 'tightened' };
}

function metricContext(site: Site): { direction?: string; baseline?: number } {
  const pick = (m: unknown): { direction?: string; baseline?: number } => {
    if (!isObj(m)) return {};
    const direction = str(m.direction);
    const baseline = isObj(m.baseline) ? num(m.baseline.value) : undefined;
    return { ...(direction ? { direction } : {}), ...(baseline !== undefined ? { baseline } : {}) };
  };
  return { ...pick(site.before), ...pick(site.after) };
}

/** A value metric's target: moving it toward the baseline asks less of the model, so it loosens. */
function target(site: Site, a: unknown, b: unknown): Verdict {
  const x = num(a);
  const y = num(b);
  if (x === undefined || y === undefined) return { class: 'changed' };
  const { direction, baseline } = metricContext(site);
  let toward: boolean | undefined;
  if (direction === 'increase') toward = y < x;
  else if (direction === 'decrease') toward = y > x;
  else if (baseline !== undefined && Math.abs(y - baseline) !== Math.abs(x - baseline)) {
    toward = Math.abs(y - baseline) < Math.abs(x - baseline);
  }
  if (toward === undefined) return { class: 'changed' };
  const note: Verdict['note'] =
    baseline !== undefined
      ? { note: toward ? 'towardBaseline' : 'awayFromBaseline', baseline }
      : { note: toward ? 'easierTarget' : 'harderTarget' };
  return { class: toward ? 'loosened' : 'tightened', note };
}

/** The floor at which the hypothesis still holds: read in the metric's direction. */
function minimumAcceptable(site: Site, a: unknown, b: unknown): Verdict {
  const { direction } = metricContext(site);
  if (direction === 'increase') return lowerBound(a, b);
  if (direction === 'decrease') return upperBound(a, b);
  if (a === undefined || b === undefined)
    return a === undefined ? { class: 'tightened' } : { class: 'loosened' };
  return { class: 'changed' };
}

/**
 * Direction-aware rules for single fields; undefined leaves the field to the generic walk,
 * null means the two values mean the same.
 */
function classifyField(site: Site, a: unknown, b: unknown): Verdict | null | undefined {
  const f = site.field.join('.');
  switch (site.kind) {
    case 'top':
      return f === 'apiVersion' || f === 'kind' ? { class: 'breaking' } : undefined;
    case 'metadata':
      if (f === 'name') return { class: 'breaking' };
      if (f === 'riskTier') return ordinal(RISK_TIERS, a, b);
      return undefined;
    case 'dimension':
      if (f === 'rigor') return ordinal(RIGOR_LEVELS, a, b);
      if (f === 'excluded') return flag(a, b);
      return undefined;
    case 'guardrail':
      if (f === 'min') return lowerBound(a, b);
      if (f === 'max') return upperBound(a, b);
      if (f === 'phases') return phaseSet(a, b);
      if (f === 'groups') return groupSet(a, b);
      if (f === 'monitor.cadence') return ordinal(CADENCE_STRICTNESS, a, b);
      return undefined;
    case 'valueMetric':
      if (f === 'target.value') return target(site, a, b);
      if (f === 'minimumAcceptable') return minimumAcceptable(site, a, b);
      // a wider band, or a later date to reach the target, asks less of the model
      if (f === 'tolerance' || f === 'target.by') return upperBound(a, b);
      return undefined;
    case 'drift':
      // a distance alerts above max (and warns above warn); a p-value below min (and warn)
      if (f === 'max') return upperBound(a, b);
      if (f === 'min') return lowerBound(a, b);
      if (f === 'warn')
        return isPValue(site.after ?? site.before) ? lowerBound(a, b) : upperBound(a, b);
      if (f === 'cadence') return ordinal(CADENCE_STRICTNESS, a, b);
      return undefined;
    case 'section':
      return site.path[0] === 'deploy' && f === 'integration.humanOversight.mode'
        ? ordinal(OVERSIGHT, a, b)
        : undefined;
    case 'waiver':
      return f === 'expires' ? upperBound(a, b) : undefined;
    default:
      return undefined;
  }
}

/** Adding or removing a whole list item: a guardrail, a dimension or a drift check is a bound. */
function classifyItem(kind: Kind, op: 'added' | 'removed'): ChangeClass {
  switch (kind) {
    case 'valueMetric':
      return op === 'removed' ? 'breaking' : 'added';
    case 'guardrail':
    case 'dimension':
    case 'drift':
      return op === 'removed' ? 'loosened' : 'tightened';
    case 'waiver':
      // a new waiver accepts an exception to a readiness rule
      return op === 'added' ? 'loosened' : 'tightened';
    default:
      return op;
  }
}

function isScalarList(v: unknown): v is unknown[] {
  return Array.isArray(v) && v.every((x) => x === null || typeof x !== 'object');
}

/** Items of a list keyed by id; duplicates and items without an id still get a stable key. */
function keyed(
  list: unknown,
  key: (item: Obj) => string | undefined,
): Map<string, { item: unknown; index: number }> {
  const out = new Map<string, { item: unknown; index: number }>();
  if (!Array.isArray(list)) return out;
  list.forEach((item, index) => {
    let k = (isObj(item) ? key(item) : undefined) ?? `#${index + 1}`;
    for (let n = 2; out.has(k); n++) k = `${k.replace(/#\d+$/, '')}#${n}`;
    out.set(k, { item, index });
  });
  return out;
}

function unionKeys(a: unknown, b: unknown, order: readonly string[] = []): string[] {
  const keys = new Set<string>(order.filter((k) => (isObj(a) && k in a) || (isObj(b) && k in b)));
  if (isObj(b)) Object.keys(b).forEach((k) => keys.add(k));
  if (isObj(a)) Object.keys(a).forEach((k) => keys.add(k));
  return [...keys];
}

function omit(v: unknown, key: string): unknown {
  if (!isObj(v)) return v;
  const { [key]: _dropped, ...rest } = v;
  return rest;
}

class Walker {
  readonly out: RawChange[] = [];

  emit(
    site: Site,
    cls: ChangeClass,
    a: unknown,
    b: unknown,
    args: ChangeArgs,
    path = site.path,
  ): void {
    this.out.push({
      class: cls,
      path,
      at: site.at,
      ...(a === undefined ? {} : { old: a }),
      ...(b === undefined ? {} : { new: b }),
      args: defined({ ...site.subject, field: site.field, ...args }),
    });
  }

  value(site: Site, a: unknown, b: unknown): void {
    if (same(a, b)) return;
    const verdict = classifyField(site, a, b);
    if (verdict === null) return;
    const container =
      site.field.length === 0 && (site.kind === 'section' || site.kind === 'metadata');
    if (
      !verdict &&
      ((isObj(a) && isObj(b)) ||
        (container && (isObj(a) || isObj(b)) && (a === undefined || b === undefined)))
    ) {
      const skip = site.kind === 'metadata' && site.field.length === 0 ? 'version' : undefined;
      for (const key of unionKeys(a, b)) {
        if (key === skip) continue;
        this.child(site, key, isObj(a) ? a[key] : undefined, isObj(b) ? b[key] : undefined);
      }
      return;
    }
    if (!verdict && isScalarList(a) && isScalarList(b)) {
      const x = new Set(a.map(String));
      const y = new Set(b.map(String));
      const gained = [...y].filter((v) => !x.has(v));
      const lost = [...x].filter((v) => !y.has(v));
      if (gained.length === 0 && lost.length === 0) return;
      this.emit(site, 'changed', a, b, { what: 'list', gained, lost });
      return;
    }
    const v = verdict ?? { class: 'changed' as const };
    this.emit(site, v.class, a, b, { what: 'field', ...shown(a, b), ...v.note });
  }

  child(site: Site, key: string, a: unknown, b: unknown): void {
    const path = [...site.path, key];
    const at = [...site.at, key];
    // lists and trustworthyAI sit at most two keys deep
    const id = path.length <= 2 ? path.join('.') : '';
    const list = id ? LISTS_BY_PATH.get(id) : undefined;
    if (list && (a === undefined || Array.isArray(a)) && (b === undefined || Array.isArray(b))) {
      this.list(path, at, list, a, b);
      return;
    }
    if (
      id === 'envision.trustworthyAI' &&
      (a === undefined || isObj(a)) &&
      (b === undefined || isObj(b))
    ) {
      this.trustworthy(path, at, a ?? {}, b ?? {});
      return;
    }
    if (site.kind === 'top' && SECTIONS.has(key)) {
      this.value(
        {
          path,
          at,
          kind: key === 'metadata' ? 'metadata' : 'section',
          subject: { subject: 'section', key },
          field: [],
        },
        a,
        b,
      );
      return;
    }
    this.value({ ...site, path, at, field: [...site.field, key] }, a, b);
  }

  list(path: string[], at: PathSegment[], spec: ListSpec, a: unknown, b: unknown): void {
    const before = keyed(a, spec.key);
    const after = keyed(b, spec.key);
    const itemSite = (k: string, item: unknown, x: unknown, y: unknown, index?: number): Site => ({
      path: [...path, k],
      // a removed item is shown at its list
      at: index === undefined ? at : [...at, index],
      kind: spec.kind,
      subject: { subject: spec.subject, key: k, ...(isObj(item) ? spec.names?.(item) : {}) },
      field: [],
      before: x,
      after: y,
    });
    for (const [k, { item: y, index }] of after) {
      const x = before.get(k)?.item;
      if (before.has(k)) this.value(itemSite(k, y, x, y, index), x, y);
      else this.item(itemSite(k, y, undefined, y, index), spec.kind, spec.brief, 'added', y);
    }
    for (const [k, { item: x }] of before) {
      if (!after.has(k))
        this.item(itemSite(k, x, x, undefined), spec.kind, spec.brief, 'removed', x);
    }
  }

  item(
    site: Site,
    kind: Kind,
    brief: ListSpec['brief'],
    op: 'added' | 'removed',
    item: unknown,
  ): void {
    const args: ChangeArgs = { what: 'item', op, ...(brief && isObj(item) ? brief(item) : {}) };
    const cls = classifyItem(kind, op);
    if (op === 'added') this.emit(site, cls, undefined, item, args);
    else this.emit(site, cls, item, undefined, args);
  }

  /** Dimensions by key; guardrails by id across all dimensions, so a move is one change. */
  trustworthy(path: string[], at: PathSegment[], a: Obj, b: Obj): void {
    for (const dim of unionKeys(a, b, DIMENSIONS)) {
      const x = a[dim];
      const y = b[dim];
      const site: Site = {
        path: [...path, dim],
        at: y === undefined ? at : [...at, dim],
        kind: 'dimension',
        subject: { subject: 'dimension', key: dim },
        field: [],
        before: x,
        after: y,
      };
      if (x === undefined && y !== undefined) {
        this.emit(site, classifyItem('dimension', 'added'), undefined, omit(y, 'guardrails'), {
          what: 'item',
          op: 'added',
        });
      } else if (x !== undefined && y === undefined) {
        this.emit(site, classifyItem('dimension', 'removed'), omit(x, 'guardrails'), undefined, {
          what: 'item',
          op: 'removed',
        });
      } else {
        this.value(site, omit(x, 'guardrails'), omit(y, 'guardrails'));
      }
    }
    const before = guardrailsById(a);
    const after = guardrailsById(b);
    const siteFor = (id: string, dim: string, x: unknown, y: unknown, index?: number): Site => ({
      path: [...path, dim, 'guardrails', id],
      at: [...at, dim, 'guardrails', ...(index === undefined ? [] : [index])],
      kind: 'guardrail',
      subject: { subject: 'guardrail', key: id, dimension: dim },
      field: [],
      before: x,
      after: y,
    });
    for (const [id, y] of after) {
      const x = before.get(id);
      if (!x) {
        this.item(
          siteFor(id, y.dimension, undefined, y.guardrail, y.index),
          'guardrail',
          bounds,
          'added',
          y.guardrail,
        );
        continue;
      }
      const site = siteFor(id, y.dimension, x.guardrail, y.guardrail, y.index);
      if (x.dimension !== y.dimension) {
        this.emit(
          { ...site, field: ['dimension'] },
          'changed',
          x.dimension,
          y.dimension,
          { what: 'guardrailMoved', ...shown(x.dimension, y.dimension) },
          [...site.path, 'dimension'],
        );
      }
      this.value(site, x.guardrail, y.guardrail);
    }
    for (const [id, x] of before) {
      if (!after.has(id))
        this.item(
          siteFor(id, x.dimension, x.guardrail, undefined),
          'guardrail',
          bounds,
          'removed',
          x.guardrail,
        );
    }
  }
}

function guardrailsById(
  tai: Obj,
): Map<string, { dimension: string; guardrail: unknown; index: number }> {
  const out = new Map<string, { dimension: string; guardrail: unknown; index: number }>();
  for (const dimension of unionKeys(tai, undefined, DIMENSIONS)) {
    const dim = tai[dimension];
    if (!isObj(dim)) continue;
    for (const [id, { item: guardrail, index }] of keyed(dim.guardrails, (g) => str(g.id))) {
      let k = id.startsWith('#') ? `${dimension}${id}` : id;
      for (let n = 2; out.has(k); n++) k = `${id}#${n}`;
      out.set(k, { dimension, guardrail, index });
    }
  }
  return out;
}

/** The semantic changes from `before` to `after`, in manifest order. Never throws. */
export function walkManifests(before: unknown, after: unknown): RawChange[] {
  const walker = new Walker();
  if (same(before, after)) return walker.out;
  const top: Site = { path: [], at: [], kind: 'top', field: [] };
  for (const key of unionKeys(before, after, TOP_ORDER)) {
    walker.child(
      top,
      key,
      isObj(before) ? before[key] : undefined,
      isObj(after) ? after[key] : undefined,
    );
  }
  return walker.out;
}

/**
 * The longest start of `path` that `data` holds: where a change is shown in the head. A
 * removed key or item is shown at the nearest parent that is still there.
 */
export function survivingPath(data: unknown, path: readonly PathSegment[]): PathSegment[] {
  const out: PathSegment[] = [];
  let node = data;
  for (const seg of path) {
    const holds = Array.isArray(node)
      ? typeof seg === 'number' && seg < node.length
      : isObj(node) && Object.prototype.hasOwnProperty.call(node, seg);
    if (!holds) break;
    out.push(seg);
    node = (node as Record<PathSegment, unknown>)[seg];
  }
  return out;
}
