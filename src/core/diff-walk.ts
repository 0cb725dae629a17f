import type { ArgValue, PathSegment } from './findings.js';
import { EU_GPAI_LEVELS, EU_RISK_CLASSES, euAiActOf } from './eu-ai-act.js';
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
  | 'phasesGained'
  /** Why a change loosens (or, for a baseline or another reviewed change, why it warns). */
  | 'tierLowered'
  | 'euClassLowered'
  | 'legalBasisRemoved'
  | 'legalBasisChanged'
  | 'art50Dropped'
  | 'art50FromLimited'
  | 'art50DutiesLost'
  | 'gpaiLowered'
  | 'roleDutiesLost'
  | 'publicServiceDropped'
  | 'outOfScopeLost'
  | 'signerRoleChanged'
  | 'unitChanged'
  | 'baselineMoved'
  | 'baselineEasier'
  | 'baselineRemoved'
  | 'targetRemoved'
  | 'targetPostponed'
  | 'minimumEasier'
  | 'toleranceWider'
  | 'cadenceLonger'
  | 'riskScoreLowered'
  | 'treatmentWeakened'
  | 'mitigationRemoved'
  | 'lineOfDefenseLowered'
  | 'riskGuardrailsLost'
  | 'residualLowered'
  | 'residualAcceptance'
  | 'rigorLowered'
  | 'dimensionExcluded'
  | 'metricChanged'
  | 'groupsLost'
  | 'declaresLost'
  | 'selectedChanged'
  | 'evaluationMoved'
  | 'datasetRole'
  | 'personalDataDropped'
  | 'sensitiveFeaturesLost'
  | 'documentRemoved'
  | 'pinDropped'
  | 'governanceFactRemoved'
  | 'lawfulBasisRemoved'
  | 'dataRetentionLonger'
  | 'openFindingsRaised'
  | 'rollbackRemoved'
  | 'oversightWeakened'
  | 'oversightPeopleLost'
  | 'designWeakened'
  | 'firstReadingLater'
  | 'loggingOff'
  | 'logRetentionShorter'
  | 'conformityWeaker'
  | 'registrationRemoved'
  | 'standardsLost'
  | 'driftChanged'
  | 'featuresLost'
  | 'missesRaised'
  | 'governanceBodyRemoved'
  | 'reviewPostponed'
  | 'waiverWidened'
  | 'waiverMoved'
  | 'waiverLonger'
  | 'riskRemoved'
  | 'dimensionRemoved'
  | 'evaluationRemoved'
  | 'datasetRemoved'
  | 'measurementRemoved'
  | 'triggerRemoved'
  | 'waiverAdded';

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
  /** A level other than its class's: a baseline moved the harder way is a warning. */
  severity?: 'warning';
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
  /** The schema path pattern (`envision.valueMetrics[].target.value`): its key in FIELD_RULES. */
  pattern: string;
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
  severity?: 'warning';
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

/**
 * How a change of one field is judged: its class (and why, for its words), or null when the two
 * values mean the same. `site` gives the subject's object at each side, for rules that read a
 * sibling (a target reads its metric's direction and baseline).
 */
type Judge = (site: Site, a: unknown, b: unknown) => Verdict | null;

/** An entry of the classification table. */
export interface FieldRule {
  /** How a change is judged, in a few words: the direction rule, or why it cannot loosen. */
  how: string;
  judge: Judge;
  /** It judges the whole value at its path (an evidence reference, a record): keys below included. */
  whole?: boolean;
  /** A scalar list shown as its two values, not as the members it gained and lost. */
  asField?: boolean;
}

/** How adding or removing a whole list item (or a Trustworthy AI dimension) is judged. */
export interface ItemRule {
  how: string;
  added: ChangeClass;
  removed: ChangeClass;
  /** Why the class, for the loosened side's words. */
  note?: ChangeNote;
}

const CHANGED: Verdict = { class: 'changed' };

/** Adds the reason to a loosened verdict that has none. */
function why(note: ChangeNote | undefined, v: Verdict | null): Verdict | null {
  return note && v && v.class === 'loosened' && !v.note ? { ...v, note: { note } } : v;
}

/**
 * An ordered list, from the least to the most demanding: a lower level loosens. With
 * `absentLowest`, a missing value counts below every level (dropping it loosens).
 */
function ordinalOf(
  levels: readonly string[],
  a: unknown,
  b: unknown,
  absentLowest = false,
): Verdict {
  const rank = (v: unknown): number =>
    v === undefined && absentLowest ? -1 : v === undefined ? -2 : levels.indexOf(String(v));
  const ia = rank(a);
  const ib = rank(b);
  if (ia === -2 || ib === -2 || (ia === -1 && a !== undefined) || (ib === -1 && b !== undefined))
    return CHANGED;
  if (ia === ib) return CHANGED;
  return { class: ib < ia ? 'loosened' : 'tightened' };
}

/** A lower bound (`min`, a score, a retention floor): lowering or dropping it loosens. */
function lowerBound(a: unknown, b: unknown): Verdict {
  const x = num(a);
  const y = num(b);
  if (x !== undefined && y !== undefined) return { class: y < x ? 'loosened' : 'tightened' };
  if (x !== undefined && b === undefined) return { class: 'loosened' };
  if (a === undefined && y !== undefined) return { class: 'tightened' };
  return CHANGED;
}

/** Whether a drift check's number is a p-value (bounded below), by its statistic or method. */
function isPValue(check: unknown): boolean {
  return isObj(check) && driftStatistic(check) === 'pvalue';
}

/** An upper bound (`max`, a count, a date): raising, postponing or dropping it loosens. */
function upperBound(a: unknown, b: unknown): Verdict {
  const x = num(a) ?? (typeof a === 'string' ? a : undefined);
  const y = num(b) ?? (typeof b === 'string' ? b : undefined);
  if (x !== undefined && y !== undefined && typeof x === typeof y)
    return { class: y > x ? 'loosened' : 'tightened' };
  if (x !== undefined && b === undefined) return { class: 'loosened' };
  if (a === undefined && y !== undefined) return { class: 'tightened' };
  return CHANGED;
}

/** A flag whose `true` asks more (an obligation, a duty): turning it off or dropping it loosens. */
function flagOn(a: unknown, b: unknown): Verdict | null {
  if ((a === true) === (b === true))
    return a === b || a === undefined || b === undefined ? null : CHANGED;
  return { class: a === true ? 'loosened' : 'tightened' };
}

/** A flag whose `true` asks less (`excluded`): turning it on loosens. */
function flagOff(a: unknown, b: unknown): Verdict {
  if (a === true && b !== true) return { class: 'tightened' };
  if (a !== true && b === true) return { class: 'loosened' };
  return CHANGED;
}

/** A set whose members each ask something (duties, people, standards): losing one loosens. */
function setShrink(a: unknown, b: unknown): Verdict | null {
  const set = (v: unknown): Set<string> => new Set(Array.isArray(v) ? v.map(String) : []);
  const x = set(a);
  const y = set(b);
  const lost = [...x].some((g) => !y.has(g));
  const gained = [...y].some((g) => !x.has(g));
  if (!lost && !gained) return Array.isArray(a) === Array.isArray(b) ? null : CHANGED;
  return { class: lost ? 'loosened' : 'tightened' };
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
  return { class: 'loosened', note: { note: 'phasesLost', phases: lost } };
}

/** Cadences from the least to the most often: a longer cadence (or none) asks less. */
const CADENCE_STRICTNESS = ['quarterly', 'monthly', 'weekly', 'daily'] as const;
const OVERSIGHT = ['none', 'on_loop', 'in_loop'] as const;
/** Risk treatments from the weakest to the strongest: accept < transfer < mitigate < avoid. */
const TREATMENT_STRENGTH = ['accept', 'transfer', 'mitigate', 'avoid'] as const;
/** Value measurement designs from the weakest evidence of causation to the strongest. */
const DESIGN_STRENGTH = ['pre_post', 'holdout', 'ab_test'] as const;
/** Conformity procedures: a notified body asks more than internal control. */
const CONFORMITY_PROCEDURES = ['internal_control', 'notified_body'] as const;

/**
 * The obligations each EU AI Act role carries: a role without one (absent) is held to the
 * provider's, as `euObligations` holds it; an importer or distributor only verifies the
 * provider's conformity. A change that drops any obligation loosens, even when it picks up
 * another (provider -> deployer); one that only adds tightens.
 */
const ROLE_DUTIES: Record<string, readonly string[]> = {
  provider: ['provider'],
  deployer: ['deployer'],
  both: ['provider', 'deployer'],
  importer: ['verify'],
  distributor: ['verify'],
};

function euRole(a: unknown, b: unknown): Verdict | null {
  const duties = (v: unknown): readonly string[] | undefined =>
    v === undefined ? ROLE_DUTIES.provider : ROLE_DUTIES[String(v)];
  const x = duties(a);
  const y = duties(b);
  if (!x || !y) return CHANGED;
  const lost = x.some((d) => !y.includes(d));
  const gained = y.some((d) => !x.includes(d));
  if (!lost && !gained) return a === undefined || b === undefined ? null : CHANGED;
  return lost ? { class: 'loosened', note: { note: 'roleDutiesLost' } } : { class: 'tightened' };
}

/** The path of an evidence reference (a string, or an object's `path`). */
function evidencePath(v: unknown): string | undefined {
  return typeof v === 'string' ? v : isObj(v) ? str(v.path) : undefined;
}

/**
 * An evidence reference (a document a readiness rule reads): removing it loosens, adding it
 * tightens; dropping its sha256 pin loosens (the file is no longer held to one content).
 * Another path or pointer is a change whose content the evidence diff compares.
 */
function evidence(_site: Site, a: unknown, b: unknown): Verdict | null {
  const x = evidencePath(a);
  const y = evidencePath(b);
  if (x !== undefined && y === undefined)
    return { class: 'loosened', note: { note: 'documentRemoved' } };
  if (x === undefined && y !== undefined) return { class: 'tightened' };
  const pin = (v: unknown): string | undefined => (isObj(v) ? str(v.sha256) : undefined);
  if (pin(a) !== undefined && pin(b) === undefined)
    return { class: 'loosened', note: { note: 'pinDropped' } };
  if (x === y && pin(a) === undefined && pin(b) !== undefined) return { class: 'tightened' };
  return CHANGED;
}

/** A fact a rule asks for, written as text: removing it loosens; rewording it is a change. */
function requiredText(note: ChangeNote): Judge {
  return (_site, a, b) => {
    const empty = (v: unknown): boolean => v === undefined || v === null || v === '';
    if (!empty(a) && empty(b)) return { class: 'loosened', note: { note } };
    if (empty(a) && !empty(b)) return { class: 'tightened' };
    return CHANGED;
  };
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

/** A value metric's target: moving it toward the baseline (or dropping it) asks less, so it loosens. */
function target(site: Site, a: unknown, b: unknown): Verdict {
  const x = num(a);
  const y = num(b);
  if (x !== undefined && b === undefined)
    return { class: 'loosened', note: { note: 'targetRemoved' } };
  if (a === undefined && y !== undefined) return { class: 'tightened' };
  if (x === undefined || y === undefined) return CHANGED;
  const { direction, baseline } = metricContext(site);
  let toward: boolean | undefined;
  if (direction === 'increase') toward = y < x;
  else if (direction === 'decrease') toward = y > x;
  else if (baseline !== undefined && Math.abs(y - baseline) !== Math.abs(x - baseline)) {
    toward = Math.abs(y - baseline) < Math.abs(x - baseline);
  }
  if (toward === undefined) return CHANGED;
  const note: Verdict['note'] =
    baseline !== undefined
      ? { note: toward ? 'towardBaseline' : 'awayFromBaseline', baseline }
      : { note: toward ? 'easierTarget' : 'harderTarget' };
  return { class: toward ? 'loosened' : 'tightened', note };
}

/**
 * The floor at which the hypothesis still holds, read in the metric's direction: the gate is
 * "the observed value is no worse than the minimum", so a minimum moved toward the baseline
 * (lowered, for `increase`; raised, for `decrease`) or dropped loosens. For `maintain`, a
 * minimum moved away from the baseline (a wider band) loosens.
 */
function minimumAcceptable(site: Site, a: unknown, b: unknown): Verdict {
  const { direction, baseline } = metricContext(site);
  if (direction === 'increase') return lowerBound(a, b);
  if (direction === 'decrease') return upperBound(a, b);
  if (a === undefined || b === undefined)
    return a === undefined ? { class: 'tightened' } : { class: 'loosened' };
  const x = num(a);
  const y = num(b);
  if (baseline === undefined || x === undefined || y === undefined) return CHANGED;
  const d = Math.abs(y - baseline) - Math.abs(x - baseline);
  return d === 0 ? CHANGED : { class: d > 0 ? 'loosened' : 'tightened' };
}

/**
 * A value metric's baseline: the point every improvement is measured from. Moved so that the
 * same result reads as a larger gain (lowered, for `increase`; raised, for `decrease`) or
 * dropped, it loosens; any other move is still a warning, since the target and minimum were
 * set against the old one.
 */
function baseline(site: Site, a: unknown, b: unknown): Verdict {
  const x = num(a);
  const y = num(b);
  const moved: Verdict = { class: 'changed', severity: 'warning', note: { note: 'baselineMoved' } };
  if (x !== undefined && b === undefined)
    return { class: 'loosened', note: { note: 'baselineRemoved' } };
  if (x === undefined || y === undefined) return moved;
  const { direction } = metricContext(site);
  const easier = direction === 'increase' ? y < x : direction === 'decrease' ? y > x : false;
  return easier ? { class: 'loosened', note: { note: 'baselineEasier' } } : moved;
}

/** `missesToTrigger`: absent is 1 (the strictest); more misses before a reassessment loosens. */
function misses(_site: Site, a: unknown, b: unknown): Verdict | null {
  const count = (v: unknown): number | undefined =>
    v === undefined ? 1 : typeof v === 'number' && v >= 1 ? Math.floor(v) : undefined;
  const x = count(a);
  const y = count(b);
  if (x === undefined || y === undefined) return CHANGED;
  if (x === y) return null;
  return y > x ? { class: 'loosened', note: { note: 'missesRaised' } } : { class: 'tightened' };
}

/**
 * A waiver's target: the one item it excuses. Dropped, it excuses every finding of its rule;
 * moved, it excuses an item no one approved it for: both loosen. Added, it excuses less.
 */
function waiverTarget(_site: Site, a: unknown, b: unknown): Verdict {
  if (a === undefined) return { class: 'tightened' };
  return { class: 'loosened', note: { note: b === undefined ? 'waiverWidened' : 'waiverMoved' } };
}

/** The legal basis of a high-risk class: dropped, it loosens; another point is a warning. */
function legalBasis(_site: Site, a: unknown, b: unknown): Verdict {
  if (a !== undefined && b === undefined)
    return { class: 'loosened', note: { note: 'legalBasisRemoved' } };
  if (a === undefined) return { class: 'tightened' };
  return { class: 'changed', severity: 'warning', note: { note: 'legalBasisChanged' } };
}

function art50(site: Site, a: unknown, b: unknown): Verdict | null {
  const v = flagOn(a, b);
  if (v?.class !== 'loosened') return v;
  const limited = isObj(site.before) && site.before.classification === 'limited';
  return { class: 'loosened', note: { note: limited ? 'art50FromLimited' : 'art50Dropped' } };
}

const rule = (how: string, judge: Judge, whole = false): FieldRule => ({
  how,
  judge,
  ...(whole ? { whole } : {}),
});
const neutral = (reason: string): FieldRule => rule(`neutral: ${reason}`, () => CHANGED);
/** An item's identity: a new one is the old item removed and another added. */
const key = (of: string): FieldRule =>
  rule(`key: identifies the ${of}; a new one is a removal and an addition`, () => CHANGED);
/** A change with no direction that can still move a gate: always a warning, with its reason. */
const review = (note: ChangeNote, reason: string): FieldRule =>
  rule(`warning: ${reason}`, () => ({ class: 'changed', severity: 'warning', note: { note } }));
const always = (cls: ChangeClass, how: string): FieldRule => rule(how, () => ({ class: cls }));
const ordinal = (levels: readonly string[], note: ChangeNote, absentLowest = false): FieldRule =>
  rule(
    `ordinal ${levels.join(' < ')}${absentLowest ? ' (absent lowest)' : ''}: lowered loosens`,
    (_s, a, b) => why(note, ordinalOf(levels, a, b, absentLowest)),
  );
const lower = (note: ChangeNote | undefined, what: string): FieldRule =>
  rule(`lower bound (${what}): lowered or removed loosens`, (_s, a, b) =>
    why(note, lowerBound(a, b)),
  );
const upper = (note: ChangeNote | undefined, what: string): FieldRule =>
  rule(`upper bound (${what}): raised, later or removed loosens`, (_s, a, b) =>
    why(note, upperBound(a, b)),
  );
const dutyFlag = (note: ChangeNote): FieldRule =>
  rule('flag: true -> false or removed loosens', (_s, a, b) => why(note, flagOn(a, b)));
const shrink = (note: ChangeNote): FieldRule =>
  rule('set: losing a member loosens', (_s, a, b) => why(note, setShrink(a, b)));
const document = rule('evidence: removed or unpinned loosens', evidence, true);
const text = (note: ChangeNote): FieldRule =>
  rule('required text: removed loosens, reworded is a change', requiredText(note));
const cadence = (note: ChangeNote = 'cadenceLonger'): FieldRule =>
  ordinal(CADENCE_STRICTNESS, note, true);

/**
 * A bound of a guardrail or drift check says what it lets through in its own words ("min 0.8 →
 * 0.7", "removed: roc_auc min 0.75"): those changes carry no further reason.
 */
const BOUND = undefined;
const PROSE = 'prose for the reader; no rule reads its words';
const RECORD =
  'part of a sign-off record: whether it still counts is judged by the approval rules (stale approvals)';
const GUARDRAIL = 'envision.trustworthyAI.*.guardrails[]';
const DIMENSION = 'envision.trustworthyAI.*';

/**
 * The classification of every leaf of the schema, by path pattern: `[]` stands for any item of
 * a list, `*` for any Trustworthy AI dimension; a scalar list is one leaf at its own path.
 * `test/core/diff-classification.test.ts` holds it to the schema both ways: every leaf has an
 * entry (or sits under a `whole` one), and every entry names a path of the schema. `^x-`
 * extensions are kept and ignored by mlops: their changes are neutral.
 */
export const FIELD_RULES: Readonly<Record<string, FieldRule>> = {
  apiVersion: always('breaking', 'breaking: another schema version'),
  kind: always('breaking', 'breaking: another kind of document'),
  'metadata.name': always('breaking', 'breaking: the model is renamed; others refer to it'),
  'metadata.title': neutral(PROSE),
  'metadata.version': rule('the version rule judges it (VERSION_* findings)', () => null),
  'metadata.owner.name': neutral('contact details'),
  'metadata.owner.email': neutral('contact details'),
  'metadata.owner.team': neutral('contact details'),
  'metadata.riskTier': ordinal(RISK_TIERS, 'tierLowered'),
  'metadata.status': neutral(
    'the lifecycle stage for readers; every phase gate judges its section whatever the status',
  ),
  'metadata.tags': neutral('labels for search'),
  // compared by meaning (euAiActOf): `limited` is minimal with Art. 50 duties
  'metadata.euAiAct.classification': ordinal(EU_RISK_CLASSES, 'euClassLowered', true),
  'metadata.euAiAct.legalBasis': rule(
    'removed loosens, another Annex point is a warning',
    legalBasis,
    true,
  ),
  'metadata.euAiAct.basis': neutral('why the class applies, in words; the class itself is judged'),
  'metadata.euAiAct.art50': rule('flag: Art. 50 duties dropped loosens', art50),
  'metadata.euAiAct.art50Duties': shrink('art50DutiesLost'),
  'metadata.euAiAct.gpai': ordinal(EU_GPAI_LEVELS, 'gpaiLowered', true),
  'metadata.euAiAct.role': rule('role: dropping any obligation set loosens', (_s, a, b) =>
    euRole(a, b),
  ),
  'metadata.euAiAct.publicService': dutyFlag('publicServiceDropped'),

  'envision.hypothesis': neutral(PROSE),
  'envision.problem': neutral(PROSE),
  'envision.businessObjective': neutral(PROSE),
  'envision.intendedUse.primaryUses': neutral(PROSE),
  'envision.intendedUse.primaryUsers': neutral(PROSE),
  'envision.intendedUse.outOfScope': shrink('outOfScopeLost'),
  'envision.stakeholders[].id': key('stakeholder'),
  'envision.stakeholders[].name': neutral('contact details'),
  'envision.stakeholders[].email': neutral('contact details'),
  'envision.stakeholders[].role': rule(
    'any change loosens: the role decides which sign-offs the stakeholder can give',
    () => ({ class: 'loosened', note: { note: 'signerRoleChanged' } }),
  ),
  'envision.valueMetrics[].id': key('value metric'),
  'envision.valueMetrics[].name': neutral(PROSE),
  'envision.valueMetrics[].unit': review('unitChanged', 'the numbers are read in another unit'),
  'envision.valueMetrics[].direction': always(
    'breaking',
    'breaking: the target, minimum and baseline are read the other way',
  ),
  'envision.valueMetrics[].baseline.value': rule(
    'baseline: moved to make the gain look larger, or removed, loosens; any other move warns',
    baseline,
  ),
  'envision.valueMetrics[].baseline.asOf': review('baselineMoved', 'the baseline is re-dated'),
  'envision.valueMetrics[].baseline.source': review('baselineMoved', 'the baseline is re-sourced'),
  'envision.valueMetrics[].target.value': rule(
    'target: toward the baseline or removed loosens',
    target,
  ),
  'envision.valueMetrics[].target.by': upper('targetPostponed', 'a later date'),
  'envision.valueMetrics[].minimumAcceptable': rule(
    'minimum: toward the baseline (in the direction) or removed loosens',
    (s, a, b) => why('minimumEasier', minimumAcceptable(s, a, b)),
  ),
  'envision.valueMetrics[].tolerance': upper('toleranceWider', 'a wider band'),
  'envision.valueMetrics[].owner': neutral('who answers for the metric; no gate passes by it'),
  'envision.valueMetrics[].cadence': cadence(),
  'envision.valueMetrics[].dataSource': neutral(PROSE),

  'envision.risks[].id': key('risk'),
  'envision.risks[].title': neutral(PROSE),
  'envision.risks[].dimension': neutral(
    'groups the risk for readers; its scores and treatment carry its weight',
  ),
  'envision.risks[].likelihood': lower('riskScoreLowered', 'a score'),
  'envision.risks[].impact': lower('riskScoreLowered', 'a score'),
  'envision.risks[].treatment': ordinal(TREATMENT_STRENGTH, 'treatmentWeakened'),
  'envision.risks[].mitigation': text('mitigationRemoved'),
  'envision.risks[].owner': neutral('who answers for the risk; no gate passes by it'),
  'envision.risks[].lineOfDefense': lower('lineOfDefenseLowered', 'a line of defense'),
  'envision.risks[].guardrails': shrink('riskGuardrailsLost'),
  'envision.risks[].residual.likelihood': lower('residualLowered', 'a score'),
  'envision.risks[].residual.impact': lower('residualLowered', 'a score'),
  'envision.risks[].residual.accepted': review(
    'residualAcceptance',
    'who accepts the residual risk, and why',
  ),

  [`${DIMENSION}.rigor`]: ordinal(RIGOR_LEVELS, 'rigorLowered'),
  [`${DIMENSION}.excluded`]: rule('flag: excluding the dimension loosens', (_s, a, b) =>
    why('dimensionExcluded', flagOff(a, b)),
  ),
  [`${DIMENSION}.justification`]: neutral(PROSE),
  [`${GUARDRAIL}.id`]: key('guardrail'),
  [`${GUARDRAIL}.metric`]: review('metricChanged', 'the bounds now judge another metric'),
  [`${GUARDRAIL}.min`]: lower(BOUND, 'min'),
  [`${GUARDRAIL}.max`]: upper(BOUND, 'max'),
  [`${GUARDRAIL}.phases`]: {
    ...rule('set: losing a phase loosens (absent: both)', (_s, a, b) => phaseSet(a, b)),
    asField: true,
  },
  [`${GUARDRAIL}.description`]: neutral(PROSE),
  [`${GUARDRAIL}.evidence`]: document,
  [`${GUARDRAIL}.groups`]: { ...shrink('groupsLost'), asField: true },
  [`${GUARDRAIL}.monitor.evidence`]: document,
  [`${GUARDRAIL}.monitor.cadence`]: cadence(),
  [`${GUARDRAIL}.declares`]: rule(
    'removed or changed loosens (an Art. 15 declaration lost)',
    (_s, a) =>
      a === undefined
        ? { class: 'tightened' }
        : { class: 'loosened', note: { note: 'declaresLost' } },
  ),

  'build.candidates[].id': key('candidate'),
  'build.candidates[].description': neutral(PROSE),
  'build.candidates[].baseline': neutral(
    'marks the reference candidate; dropping it fails the build rules rather than passing them',
  ),
  'build.selected.candidate': review('selectedChanged', 'another candidate goes to production'),
  'build.selected.rationale': neutral(PROSE),
  'build.evaluations[].id': key('evaluation'),
  'build.evaluations[].candidate': review(
    'evaluationMoved',
    'the evaluation is of another candidate',
  ),
  'build.evaluations[].metric': review('metricChanged', 'the evaluation measures another metric'),
  'build.evaluations[].kind': review('evaluationMoved', 'the evaluation counts for another rule'),
  'build.evaluations[].valueMetric': review(
    'evaluationMoved',
    'the evaluation is of another value metric',
  ),
  'build.evaluations[].evidence': document,
  'build.datasets[].id': key('dataset'),
  'build.datasets[].role': review('datasetRole', 'the data serves another purpose'),
  'build.datasets[].uri': neutral('where the data is; its datasheet is judged as evidence'),
  'build.datasets[].version': neutral('which data; its datasheet is judged as evidence'),
  'build.datasets[].personalData': dutyFlag('personalDataDropped'),
  'build.datasets[].sensitiveFeatures': shrink('sensitiveFeaturesLost'),
  'build.datasets[].datasheet': document,
  'build.modelCard': document,
  'build.dataGovernance.origin': text('governanceFactRemoved'),
  'build.dataGovernance.preparation': text('governanceFactRemoved'),
  'build.dataGovernance.assumptions': text('governanceFactRemoved'),
  'build.dataGovernance.biasExamination': text('governanceFactRemoved'),
  'build.dataGovernance.gaps': text('governanceFactRemoved'),

  'deploy.dataProtection.personalData': dutyFlag('personalDataDropped'),
  'deploy.dataProtection.lawfulBasis': text('lawfulBasisRemoved'),
  'deploy.dataProtection.dpia': document,
  'deploy.dataProtection.retentionDays': upper('dataRetentionLonger', 'days personal data is kept'),
  'deploy.securityReview.threatModel': document,
  'deploy.securityReview.openFindings.critical': upper('openFindingsRaised', 'open findings'),
  'deploy.securityReview.openFindings.high': upper('openFindingsRaised', 'open findings'),
  'deploy.integration.processChanges': neutral(PROSE),
  'deploy.integration.runbook': document,
  'deploy.integration.rollback': text('rollbackRemoved'),
  'deploy.integration.humanOversight.mode': ordinal(OVERSIGHT, 'oversightWeakened', true),
  'deploy.integration.humanOversight.procedure': document,
  'deploy.integration.humanOversight.assignedTo': shrink('oversightPeopleLost'),
  'deploy.integration.training': document,
  'deploy.valueMeasurement[].valueMetric': key('value measurement'),
  'deploy.valueMeasurement[].design': ordinal(DESIGN_STRENGTH, 'designWeakened'),
  'deploy.valueMeasurement[].instrumentation': document,
  'deploy.valueMeasurement[].firstReadingBy': upper('firstReadingLater', 'a later date'),
  'deploy.logging.automatic': dutyFlag('loggingOff'),
  'deploy.logging.specification': document,
  'deploy.logging.retentionDays': lower('logRetentionShorter', 'days logs are kept'),
  'deploy.instructionsForUse': document,
  'deploy.conformity.qualityManagement': document,
  'deploy.conformity.procedure': ordinal(CONFORMITY_PROCEDURES, 'conformityWeaker', true),
  'deploy.conformity.assessment': document,
  'deploy.conformity.declaration': document,
  'deploy.conformity.registration': text('registrationRemoved'),
  'deploy.conformity.standards': shrink('standardsLost'),
  'deploy.fria': document,
  'deploy.disclosure': document,

  'monitor.drift[].id': key('drift check'),
  'monitor.drift[].type': review('driftChanged', 'the check watches another kind of drift'),
  'monitor.drift[].method': review('driftChanged', 'the bounds are read on another statistic'),
  'monitor.drift[].features': shrink('featuresLost'),
  'monitor.drift[].bins': review('driftChanged', 'the statistic is computed another way'),
  'monitor.drift[].statistic': review('driftChanged', 'the bounds are read the other way'),
  // a distance alerts above max (and warns above warn); a p-value below min (and warn)
  'monitor.drift[].min': lower(BOUND, 'min'),
  'monitor.drift[].max': upper(BOUND, 'max'),
  'monitor.drift[].warn': rule(
    'bound: read as min for a p-value, as max for a distance',
    (s, a, b) => why(BOUND, isPValue(s.after ?? s.before) ? lowerBound(a, b) : upperBound(a, b)),
  ),
  'monitor.drift[].cadence': cadence(),
  'monitor.drift[].evidence': document,
  'monitor.valueTracking.cadence': cadence(),
  'monitor.valueTracking.evidence': document,
  'monitor.valueTracking.missesToTrigger': rule('count: raised loosens (absent: 1)', misses),
  'monitor.triggers[].on': key('trigger'),
  'monitor.triggers[].action': key('trigger'),
  'monitor.triggers[].owner': neutral('who acts on the trigger; no gate passes by it'),
  'monitor.governance.body': text('governanceBodyRemoved'),
  'monitor.governance.reviewCadence': cadence(),
  'monitor.governance.nextReview': upper('reviewPostponed', 'a later date'),
  'monitor.governance.evidence': document,
  'monitor.reassessments': rule(
    'neutral: decision records; each counts only once approved (`mlops approve --reassessment`)',
    () => CHANGED,
    true,
  ),
  'monitor.postMarket.plan': document,
  'monitor.postMarket.incidentProcedure': document,

  'approvals[].id': neutral(RECORD),
  'approvals[].phase': key('approval'),
  'approvals[].reassessment': key('approval'),
  'approvals[].waiver': neutral(RECORD),
  'approvals[].role': key('approval'),
  'approvals[].by': key('approval'),
  'approvals[].decision': neutral(RECORD),
  'approvals[].date': key('approval'),
  'approvals[].conditions': neutral(RECORD),
  'approvals[].digest': neutral(RECORD),
  'approvals[].evidence': rule(`neutral: ${RECORD}`, () => CHANGED, true),
  'approvals[].recordedBy': neutral(RECORD),
  'approvals[].signature': neutral(RECORD),
  'waivers[].id': neutral('names the waiver for `mlops approve --waiver`'),
  'waivers[].rule': key('waiver'),
  'waivers[].target': rule('target: removed or moved loosens', waiverTarget),
  'waivers[].reason': neutral(PROSE),
  'waivers[].owner': neutral('who owns the exception; no gate passes by it'),
  'waivers[].expires': upper('waiverLonger', 'a later expiry'),
};

/** Adding or removing a whole list item (or dimension), by the list's pattern. */
export const ITEM_RULES: Readonly<Record<string, ItemRule>> = {
  'envision.stakeholders[]': { how: 'a person listed or not', added: 'added', removed: 'removed' },
  'envision.valueMetrics[]': {
    how: 'the business case others rely on',
    added: 'added',
    removed: 'breaking',
  },
  'envision.risks[]': {
    how: 'a risk dropped from the register looks smaller than it is',
    added: 'added',
    removed: 'loosened',
    note: 'riskRemoved',
  },
  [DIMENSION]: {
    how: 'a dimension and its rigor',
    added: 'tightened',
    removed: 'loosened',
    note: 'dimensionRemoved',
  },
  [GUARDRAIL]: {
    how: 'a bound',
    added: 'tightened',
    removed: 'loosened',
  },
  'build.candidates[]': { how: 'an option considered', added: 'added', removed: 'removed' },
  'build.evaluations[]': {
    how: 'an evaluation and its evidence',
    added: 'added',
    removed: 'loosened',
    note: 'evaluationRemoved',
  },
  'build.datasets[]': {
    how: 'a dataset, its datasheet and its personal-data facts',
    added: 'added',
    removed: 'loosened',
    note: 'datasetRemoved',
  },
  'deploy.valueMeasurement[]': {
    how: 'how the value is measured in production',
    added: 'added',
    removed: 'loosened',
    note: 'measurementRemoved',
  },
  'monitor.drift[]': {
    how: 'a drift bound',
    added: 'tightened',
    removed: 'loosened',
  },
  'monitor.triggers[]': {
    how: 'a response to an event',
    added: 'tightened',
    removed: 'loosened',
    note: 'triggerRemoved',
  },
  'approvals[]': { how: 'a sign-off record', added: 'added', removed: 'removed' },
  'waivers[]': {
    how: 'an exception to a readiness rule',
    added: 'loosened',
    removed: 'tightened',
    note: 'waiverAdded',
  },
};

/** Neutral: a team-specific `x-` extension, kept and ignored by mlops. */
const EXTENSION = neutral('a team-specific extension, kept and ignored by mlops');
const FIELD_RULE_MAP = new Map(Object.entries(FIELD_RULES));
const WHOLE_PATTERNS = Object.entries(FIELD_RULES)
  .filter(([, r]) => r.whole)
  .map(([p]) => p);

/**
 * The entry that classifies a schema path (written with `[]` for list items, and a dimension's
 * own name or `*`): its own, or that of a `whole` entry above it.
 */
export function fieldRuleFor(schemaPath: string): FieldRule | undefined {
  const p = schemaPath.replace(/^envision\.trustworthyAI\.[A-Za-z]+(?=\.|$)/, DIMENSION);
  const own = FIELD_RULE_MAP.get(p);
  if (own) return own;
  const whole = WHOLE_PATTERNS.find((w) => p.startsWith(`${w}.`) || p.startsWith(`${w}[]`));
  return whole ? FIELD_RULE_MAP.get(whole) : undefined;
}

/** The meaning of `metadata.euAiAct`, as the rules read it: `limited` is minimal with Art. 50. */
function euMeaning(raw: unknown): unknown {
  // none written: no class, and the defaults the rules read (no Art. 50 duties, no GPAI)
  if (raw === undefined)
    return { art50: false, art50Duties: [], gpai: 'none', publicService: false };
  if (!isObj(raw)) return raw;
  const v = euAiActOf({ metadata: { euAiAct: raw } });
  return defined({
    ...raw,
    classification: v.riskClass ?? raw.classification,
    art50: v.art50,
    art50Duties: Array.isArray(raw.art50Duties) ? raw.art50Duties : [],
    gpai: v.gpai === 'none' && raw.gpai !== undefined && raw.gpai !== 'none' ? raw.gpai : v.gpai,
    publicService: v.publicService,
  });
}

/** A key of a team-specific extension (`x-...`), which mlops keeps and ignores. */
function isExtension(field: readonly string[]): boolean {
  return field.length > 0 && field[field.length - 1]!.startsWith('x-');
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
    severity?: 'warning',
  ): void {
    this.out.push({
      class: cls,
      path,
      at: site.at,
      ...(a === undefined ? {} : { old: a }),
      ...(b === undefined ? {} : { new: b }),
      args: defined({ ...site.subject, field: site.field, ...args }),
      ...(severity ? { severity } : {}),
    });
  }

  /**
   * One place at both sides: judged by its entry in FIELD_RULES when it has one; otherwise a
   * mapping (or one added or removed) is walked key by key, so that every leaf below it meets
   * its own entry; what the schema does not know is a change.
   */
  value(site: Site, a: unknown, b: unknown): void {
    if (same(a, b)) return;
    const rule =
      FIELD_RULE_MAP.get(site.pattern) ?? (isExtension(site.field) ? EXTENSION : undefined);
    if (
      !rule &&
      (isObj(a) || isObj(b)) &&
      (isObj(a) || a === undefined) &&
      (isObj(b) || b === undefined)
    ) {
      for (const key of unionKeys(a, b)) {
        this.child(site, key, isObj(a) ? a[key] : undefined, isObj(b) ? b[key] : undefined);
      }
      return;
    }
    const verdict = rule ? rule.judge(site, a, b) : CHANGED;
    if (verdict === null) return;
    if (!rule?.asField && isScalarList(a) && isScalarList(b)) {
      const x = new Set(a.map(String));
      const y = new Set(b.map(String));
      const gained = [...y].filter((v) => !x.has(v));
      const lost = [...x].filter((v) => !y.has(v));
      if (gained.length === 0 && lost.length === 0) return;
      this.emit(
        site,
        verdict.class,
        a,
        b,
        { what: 'list', gained, lost, ...verdict.note },
        site.path,
        verdict.severity,
      );
      return;
    }
    this.emit(
      site,
      verdict.class,
      a,
      b,
      { what: 'field', ...shown(a, b), ...verdict.note },
      site.path,
      verdict.severity,
    );
  }

  child(site: Site, key: string, a: unknown, b: unknown): void {
    const path = [...site.path, key];
    const at = [...site.at, key];
    const pattern = site.pattern ? `${site.pattern}.${key}` : key;
    const list = LISTS_BY_PATH.get(pattern);
    if (list && (a === undefined || Array.isArray(a)) && (b === undefined || Array.isArray(b))) {
      this.list(path, at, pattern, list, a, b);
      return;
    }
    if (
      pattern === 'envision.trustworthyAI' &&
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
          pattern,
          kind: key === 'metadata' ? 'metadata' : 'section',
          subject: { subject: 'section', key },
          field: [],
        },
        a,
        b,
      );
      return;
    }
    const next: Site = { ...site, path, at, pattern, field: [...site.field, key] };
    if (pattern === 'metadata.euAiAct') {
      // compared by meaning: the earlier `limited` is minimal with Art. 50 duties
      this.value({ ...next, before: a, after: b }, euMeaning(a), euMeaning(b));
      return;
    }
    this.value(next, a, b);
  }

  list(
    path: string[],
    at: PathSegment[],
    pattern: string,
    spec: ListSpec,
    a: unknown,
    b: unknown,
  ): void {
    const before = keyed(a, spec.key);
    const after = keyed(b, spec.key);
    const itemSite = (k: string, item: unknown, x: unknown, y: unknown, index?: number): Site => ({
      path: [...path, k],
      // a removed item is shown at its list
      at: index === undefined ? at : [...at, index],
      pattern: `${pattern}[]`,
      kind: spec.kind,
      subject: { subject: spec.subject, key: k, ...(isObj(item) ? spec.names?.(item) : {}) },
      field: [],
      before: x,
      after: y,
    });
    for (const [k, { item: y, index }] of after) {
      const x = before.get(k)?.item;
      if (before.has(k)) this.value(itemSite(k, y, x, y, index), x, y);
      else this.item(itemSite(k, y, undefined, y, index), spec.brief, 'added', y);
    }
    for (const [k, { item: x }] of before) {
      if (!after.has(k)) this.item(itemSite(k, x, x, undefined), spec.brief, 'removed', x);
    }
  }

  item(site: Site, brief: ListSpec['brief'], op: 'added' | 'removed', item: unknown): void {
    const rule = ITEM_RULES[site.pattern];
    const cls = rule ? rule[op] : op;
    const note = cls === 'loosened' && rule?.note ? { note: rule.note } : {};
    const args: ChangeArgs = {
      what: 'item',
      op,
      ...(brief && isObj(item) ? brief(item) : {}),
      ...note,
    };
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
        pattern: DIMENSION,
        kind: 'dimension',
        subject: { subject: 'dimension', key: dim },
        field: [],
        before: x,
        after: y,
      };
      if (x === undefined && y !== undefined) {
        this.item(site, undefined, 'added', omit(y, 'guardrails'));
      } else if (x !== undefined && y === undefined) {
        this.item(site, undefined, 'removed', omit(x, 'guardrails'));
      } else {
        this.value(site, omit(x, 'guardrails'), omit(y, 'guardrails'));
      }
    }
    const before = guardrailsById(a);
    const after = guardrailsById(b);
    const siteFor = (id: string, dim: string, x: unknown, y: unknown, index?: number): Site => ({
      path: [...path, dim, 'guardrails', id],
      at: [...at, dim, 'guardrails', ...(index === undefined ? [] : [index])],
      pattern: GUARDRAIL,
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
        this.item(siteFor(id, x.dimension, x.guardrail, undefined), bounds, 'removed', x.guardrail);
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
  const top: Site = { path: [], at: [], pattern: '', kind: 'top', field: [] };
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
