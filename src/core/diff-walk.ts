import { DIMENSIONS, RIGOR_LEVELS, RISK_TIERS } from './manifest.js';

export type ChangeClass = 'loosened' | 'breaking' | 'tightened' | 'changed' | 'added' | 'removed';

/** A change before it gets a model, a level and a fingerprint. */
export interface RawChange {
  class: ChangeClass;
  /** Where, by key and by id (never by list position): `['envision', 'valueMetrics', 'churn-rate', 'target', 'value']`. */
  path: string[];
  /** The field in words: "value metric `churn-rate`: target". */
  field: string;
  old?: unknown;
  new?: unknown;
  /** The change in words, without the model: "value metric `churn-rate`: target 3.5 → 4.0, toward the baseline 4.2". */
  description: string;
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

/** A place in the manifest: the subject (a section or a list item) and the field inside it. */
interface Site {
  path: string[];
  subject: string;
  kind: Kind;
  field: string[];
  /** The subject's object at each side, for rules that read a sibling (a target reads its direction). */
  before?: unknown;
  after?: unknown;
}

interface Verdict {
  class: ChangeClass;
  note?: string;
}

interface ListSpec {
  kind: Kind;
  key(item: Obj): string | undefined;
  subject(key: string, item: Obj): string;
  /** A few words on an added or removed item, after its subject. */
  brief?(item: Obj): string;
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
const code = (id: string): string => `\`${id}\``;
/** A list entry in a message: short ones as code, long ones cut. */
const quote = (v: string): string => (v.length > 40 ? `"${v.slice(0, 37)}..."` : code(v));

function byId(noun: string, kind: Kind = 'item', brief?: (item: Obj) => string): ListSpec {
  return {
    kind,
    key: (item) => str(item.id),
    subject: (k) => `${noun} ${code(k)}`,
    ...(brief ? { brief } : {}),
  };
}

function bounds(item: Obj): string {
  const parts = [str(item.metric) ?? str(item.method) ?? ''];
  if (num(item.min) !== undefined) parts.push(`min ${item.min}`);
  if (num(item.max) !== undefined) parts.push(`max ${item.max}`);
  return parts.filter(Boolean).join(' ');
}

/** The lists whose items are matched by id (or by the field that identifies them), keyed by path. */
const LISTS: Record<string, ListSpec> = {
  'envision.stakeholders': byId('stakeholder', 'item', (s) =>
    [str(s.name), str(s.role)].filter(Boolean).join(', '),
  ),
  'envision.valueMetrics': byId('value metric', 'valueMetric', (m) => {
    const baseline = isObj(m.baseline) ? num(m.baseline.value) : undefined;
    const target = isObj(m.target) ? num(m.target.value) : undefined;
    return target === undefined
      ? ''
      : `target ${target}${baseline === undefined ? '' : ` from the baseline ${baseline}`}`;
  }),
  'envision.risks': byId('risk', 'item', (r) => str(r.title) ?? ''),
  'build.candidates': byId('candidate'),
  'build.evaluations': byId('evaluation'),
  'build.datasets': byId('dataset'),
  'deploy.valueMeasurement': {
    kind: 'item',
    key: (m) => str(m.valueMetric),
    subject: (k) => `value measurement of ${code(k)}`,
    brief: (m) => str(m.design) ?? '',
  },
  'monitor.drift': byId('drift check', 'drift', bounds),
  'monitor.triggers': {
    kind: 'item',
    key: (t) => (str(t.on) && str(t.action) ? `${str(t.on)}:${str(t.action)}` : undefined),
    subject: (k) => `trigger ${code(k.replace(':', ' → '))}`,
  },
  approvals: {
    kind: 'item',
    key: (a) => {
      const parts = [a.phase, a.role, a.by, a.date].map(str);
      return parts.every((p) => p !== undefined) ? parts.join(':') : undefined;
    },
    subject: (k, a) =>
      str(a.phase)
        ? `approval of ${str(a.phase)} by ${code(str(a.by) ?? '?')} (${str(a.role) ?? '?'}, ${str(a.date) ?? '?'})`
        : `approval ${code(k)}`,
    brief: (a) => str(a.decision) ?? '',
  },
  waivers: {
    kind: 'waiver',
    key: (w) => str(w.rule),
    subject: (k) => `waiver of rule ${code(k)}`,
    brief: (w) => (str(w.expires) ? `until ${str(w.expires)}` : ''),
  },
};

const LISTS_BY_PATH = new Map(Object.entries(LISTS));

const WORDS: Record<string, string> = {
  'target.value': 'target',
  'target.by': 'target date',
  'baseline.value': 'baseline',
  'baseline.asOf': 'baseline date',
  apiVersion: 'apiVersion',
  euAiAct: 'EU AI Act',
  dpia: 'DPIA',
  uri: 'URI',
  trustworthyAI: 'Trustworthy AI',
};

function words(field: readonly string[]): string {
  const joined = field.join('.');
  if (WORDS[joined]) return WORDS[joined];
  return field
    .map(
      (seg) =>
        WORDS[seg] ??
        (seg.startsWith('x-') ? seg : seg.replace(/([a-z0-9])([A-Z])/g, '$1 $2').toLowerCase()),
    )
    .join(' ');
}

function flow(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(flow).join(', ')}]`;
  if (isObj(v))
    return `{${Object.entries(v)
      .map(([k, x]) => `${k}: ${flow(x)}`)
      .join(', ')}}`;
  return String(v);
}

/** A value as a reader sees it in one line, or undefined when it is too long to quote. */
export function formatValue(v: unknown, max = 48): string | undefined {
  if (v === undefined) return '(none)';
  const s = flow(v).replace(/\s+/g, ' ').trim();
  return s.length > max ? undefined : s;
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
  if (gained.length === 0)
    return { class: 'loosened', note: `, no longer checked in ${lost.join(' and ')}` };
  if (lost.length === 0)
    return { class: 'tightened', note: `, now also checked in ${gained.join(' and ')}` };
  return { class: 'changed' };
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
  const note =
    baseline !== undefined
      ? `, ${toward ? 'toward' : 'away from'} the baseline ${baseline}`
      : `, ${toward ? 'an easier' : 'a harder'} target`;
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
      return undefined;
    case 'valueMetric':
      if (f === 'target.value') return target(site, a, b);
      if (f === 'minimumAcceptable') return minimumAcceptable(site, a, b);
      return undefined;
    case 'drift':
      return f === 'max' || f === 'warn' ? upperBound(a, b) : undefined;
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

function fieldName(site: Site): string {
  if (!site.subject) return words(site.field);
  return site.field.length > 0 ? `${site.subject}: ${words(site.field)}` : site.subject;
}

function leafDescription(field: string, a: unknown, b: unknown, note = ''): string {
  const o = formatValue(a);
  const n = formatValue(b);
  if (a === undefined) return n ? `${field} set to ${n}${note}` : `${field} added${note}`;
  if (b === undefined) return o ? `${field} removed (was ${o})${note}` : `${field} removed${note}`;
  return o && n ? `${field} ${o} → ${n}${note}` : `${field} changed${note}`;
}

function isScalarList(v: unknown): v is unknown[] {
  return Array.isArray(v) && v.every((x) => x === null || typeof x !== 'object');
}

/** Items of a list keyed by id; duplicates and items without an id still get a stable key. */
function keyed(list: unknown, key: (item: Obj) => string | undefined): Map<string, unknown> {
  const out = new Map<string, unknown>();
  if (!Array.isArray(list)) return out;
  list.forEach((item, index) => {
    let k = (isObj(item) ? key(item) : undefined) ?? `#${index + 1}`;
    for (let n = 2; out.has(k); n++) k = `${k.replace(/#\d+$/, '')}#${n}`;
    out.set(k, item);
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
    description: string,
    path = site.path,
  ): void {
    this.out.push({
      class: cls,
      path,
      field: fieldName(site),
      ...(a === undefined ? {} : { old: a }),
      ...(b === undefined ? {} : { new: b }),
      description,
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
      const parts = [
        gained.length ? `added ${gained.map(quote).join(', ')}` : '',
        lost.length ? `removed ${lost.map(quote).join(', ')}` : '',
      ];
      this.emit(site, 'changed', a, b, `${fieldName(site)}: ${parts.filter(Boolean).join('; ')}`);
      return;
    }
    const v = verdict ?? { class: 'changed' as const };
    this.emit(site, v.class, a, b, leafDescription(fieldName(site), a, b, v.note));
  }

  child(site: Site, key: string, a: unknown, b: unknown): void {
    const path = [...site.path, key];
    // lists and trustworthyAI sit at most two keys deep
    const id = path.length <= 2 ? path.join('.') : '';
    const list = id ? LISTS_BY_PATH.get(id) : undefined;
    if (list && (a === undefined || Array.isArray(a)) && (b === undefined || Array.isArray(b))) {
      this.list(path, list, a, b);
      return;
    }
    if (
      id === 'envision.trustworthyAI' &&
      (a === undefined || isObj(a)) &&
      (b === undefined || isObj(b))
    ) {
      this.trustworthy(path, a ?? {}, b ?? {});
      return;
    }
    if (site.kind === 'top' && SECTIONS.has(key)) {
      this.value(
        { path, subject: key, kind: key === 'metadata' ? 'metadata' : 'section', field: [] },
        a,
        b,
      );
      return;
    }
    this.value({ ...site, path, field: [...site.field, key] }, a, b);
  }

  list(path: string[], spec: ListSpec, a: unknown, b: unknown): void {
    const before = keyed(a, spec.key);
    const after = keyed(b, spec.key);
    const itemSite = (k: string, item: unknown, x: unknown, y: unknown): Site => ({
      path: [...path, k],
      subject: spec.subject(k, isObj(item) ? item : {}),
      kind: spec.kind,
      field: [],
      before: x,
      after: y,
    });
    for (const [k, y] of after) {
      const x = before.get(k);
      if (before.has(k)) this.value(itemSite(k, y, x, y), x, y);
      else this.item(itemSite(k, y, undefined, y), spec, 'added', y);
    }
    for (const [k, x] of before) {
      if (!after.has(k)) this.item(itemSite(k, x, x, undefined), spec, 'removed', x);
    }
  }

  item(site: Site, spec: ListSpec, op: 'added' | 'removed', item: unknown): void {
    const brief = spec.brief && isObj(item) ? spec.brief(item) : '';
    const description = `${site.subject} ${op}${brief ? `: ${brief}` : ''}`;
    const cls = classifyItem(spec.kind, op);
    if (op === 'added') this.emit(site, cls, undefined, item, description);
    else this.emit(site, cls, item, undefined, description);
  }

  /** Dimensions by key; guardrails by id across all dimensions, so a move is one change. */
  trustworthy(path: string[], a: Obj, b: Obj): void {
    for (const dim of unionKeys(a, b, DIMENSIONS)) {
      const x = a[dim];
      const y = b[dim];
      const site: Site = {
        path: [...path, dim],
        subject: `Trustworthy AI dimension ${code(dim)}`,
        kind: 'dimension',
        field: [],
        before: x,
        after: y,
      };
      if (x === undefined && y !== undefined) {
        this.emit(
          site,
          classifyItem('dimension', 'added'),
          undefined,
          omit(y, 'guardrails'),
          `${site.subject} added`,
        );
      } else if (x !== undefined && y === undefined) {
        this.emit(
          site,
          classifyItem('dimension', 'removed'),
          omit(x, 'guardrails'),
          undefined,
          `${site.subject} removed`,
        );
      } else {
        this.value(site, omit(x, 'guardrails'), omit(y, 'guardrails'));
      }
    }
    const before = guardrailsById(a);
    const after = guardrailsById(b);
    const spec: ListSpec = {
      kind: 'guardrail',
      key: () => undefined,
      subject: () => '',
      brief: bounds,
    };
    const siteFor = (id: string, dim: string, x: unknown, y: unknown): Site => ({
      path: [...path, dim, 'guardrails', id],
      subject: `guardrail ${code(id)} (${dim})`,
      kind: 'guardrail',
      field: [],
      before: x,
      after: y,
    });
    for (const [id, y] of after) {
      const x = before.get(id);
      if (!x) {
        this.item(siteFor(id, y.dimension, undefined, y.guardrail), spec, 'added', y.guardrail);
        continue;
      }
      const site = siteFor(id, y.dimension, x.guardrail, y.guardrail);
      if (x.dimension !== y.dimension) {
        const moved: Site = { ...site, field: ['dimension'] };
        this.emit(
          moved,
          'changed',
          x.dimension,
          y.dimension,
          `guardrail ${code(id)} moved from ${x.dimension} to ${y.dimension}`,
          [...site.path, 'dimension'],
        );
      }
      this.value(site, x.guardrail, y.guardrail);
    }
    for (const [id, x] of before) {
      if (!after.has(id))
        this.item(siteFor(id, x.dimension, x.guardrail, undefined), spec, 'removed', x.guardrail);
    }
  }
}

function guardrailsById(tai: Obj): Map<string, { dimension: string; guardrail: unknown }> {
  const out = new Map<string, { dimension: string; guardrail: unknown }>();
  for (const dimension of unionKeys(tai, undefined, DIMENSIONS)) {
    const dim = tai[dimension];
    if (!isObj(dim)) continue;
    for (const [id, guardrail] of keyed(dim.guardrails, (g) => str(g.id))) {
      let k = id.startsWith('#') ? `${dimension}${id}` : id;
      for (let n = 2; out.has(k); n++) k = `${id}#${n}`;
      out.set(k, { dimension, guardrail });
    }
  }
  return out;
}

/** The semantic changes from `before` to `after`, in manifest order. Never throws. */
export function walkManifests(before: unknown, after: unknown): RawChange[] {
  const walker = new Walker();
  if (same(before, after)) return walker.out;
  const top: Site = { path: [], subject: '', kind: 'top', field: [] };
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
