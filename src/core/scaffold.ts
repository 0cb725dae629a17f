import { isMap, isScalar, isSeq, parseDocument, visit } from 'yaml';
import type { Document, Scalar } from 'yaml';
import { rigorMeets, tierRigor } from './check/facts.js';
import type { Direction, RiskTier } from './manifest.js';
import { DIMENSIONS, RISK_TIERS } from './manifest.js';
import { suggest } from './suggest.js';

/** `metadata.name`: a slug of 2 to 63 characters. */
export const NAME_PATTERN = /^[a-z0-9][a-z0-9-]{1,62}$/;
const ID_PATTERN = /^[a-z0-9][a-z0-9_-]*$/;
const MAX_METRIC_ID = 48;
const MODELINE = /^#\s*yaml-language-server:.*$/;

/** The first (primary) value metric, as `mlops init` asks for it. */
export interface FirstMetric {
  name: string;
  unit: string;
  direction: Direction;
  baseline: number;
  target: number;
  /** increase, decrease: the worst level at which the model still pays for itself. */
  minimumAcceptable?: number;
  /** maintain: how far from the target still counts as at target. */
  tolerance?: number;
  /** YYYY-MM-DD: when the target should be reached. */
  by?: string;
}

/** What a template says of its first value metric: numbers nobody knows yet are left out. */
export type TemplateMetric = Pick<FirstMetric, 'name' | 'unit'> &
  Partial<Omit<FirstMetric, 'name' | 'unit'>>;

/** Everything `mlops init` fills in. Optional text left undefined or empty keeps the template's. */
export interface InitAnswers {
  name: string;
  owner: string;
  riskTier: RiskTier;
  template: string;
  problem?: string;
  hypothesis?: string;
  decisionMaker?: string;
  productManager?: string;
  metric?: FirstMetric;
}

/** What a template already says, offered as the defaults of the questions. */
export interface TemplateDefaults {
  riskTier: RiskTier;
  owner: string;
  problem: string;
  hypothesis: string;
  decisionMaker: string;
  productManager: string;
  metric: TemplateMetric | undefined;
}

type Path = (string | number)[];

function scalarAt(doc: Document, path: Path): Scalar | undefined {
  const node = doc.getIn(path, true);
  return isScalar(node) ? node : undefined;
}

const textAt = (doc: Document, path: Path): string => {
  const v = scalarAt(doc, path)?.value;
  return typeof v === 'string' ? v : '';
};
const numberAt = (doc: Document, path: Path): number | undefined => {
  const v = scalarAt(doc, path)?.value;
  return typeof v === 'number' && Number.isFinite(v) ? v : undefined;
};

function stakeholderIndex(doc: Document, role: string): number {
  const list = doc.getIn(['envision', 'stakeholders'], true);
  if (!isSeq(list)) return -1;
  return list.items.findIndex((item) => isMap(item) && item.get('role') === role);
}

function isDirection(v: unknown): v is Direction {
  return v === 'increase' || v === 'decrease' || v === 'maintain';
}

function readFirstMetric(doc: Document): TemplateMetric | undefined {
  const base = ['envision', 'valueMetrics', 0];
  if (!isMap(doc.getIn(base, true))) return undefined;
  const direction = scalarAt(doc, [...base, 'direction'])?.value;
  const baseline = numberAt(doc, [...base, 'baseline', 'value']);
  const target = numberAt(doc, [...base, 'target', 'value']);
  const minimumAcceptable = numberAt(doc, [...base, 'minimumAcceptable']);
  return {
    name: textAt(doc, [...base, 'name']),
    unit: textAt(doc, [...base, 'unit']),
    ...(isDirection(direction) ? { direction } : {}),
    ...(baseline !== undefined ? { baseline } : {}),
    ...(target !== undefined ? { target } : {}),
    ...(minimumAcceptable !== undefined ? { minimumAcceptable } : {}),
  };
}

/** Reads the values a template offers as defaults for the questions of `mlops init`. */
export function readTemplateDefaults(templateText: string): TemplateDefaults {
  const doc = parseDocument(templateText);
  const tier = scalarAt(doc, ['metadata', 'riskTier'])?.value;
  const name = (role: string): string => {
    const i = stakeholderIndex(doc, role);
    return i < 0 ? '' : textAt(doc, ['envision', 'stakeholders', i, 'name']);
  };
  return {
    riskTier: RISK_TIERS.includes(tier as RiskTier) ? (tier as RiskTier) : 'medium',
    owner: textAt(doc, ['metadata', 'owner', 'name']),
    problem: textAt(doc, ['envision', 'problem']),
    hypothesis: textAt(doc, ['envision', 'hypothesis']),
    decisionMaker: name('decision_maker'),
    productManager: name('ai_product_manager'),
    metric: readFirstMetric(doc),
  };
}

/**
 * Lower-case ASCII words joined by `separator`: accents are dropped, anything else separates
 * words. May return '' (nothing usable) and never ends in a separator.
 */
export function slugify(text: string, separator: '-' | '_' = '-', maxLength = 63): string {
  const words = text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter((w) => w !== '');
  let out = '';
  for (const word of words) {
    const next = out === '' ? word : `${out}${separator}${word}`;
    if (next.length > maxLength) {
      if (out === '') out = word.slice(0, maxLength);
      break;
    }
    out = next;
  }
  return out;
}

/** A `metadata.name` derived from a folder name, or undefined when the folder name has none. */
export function nameFromFolder(folder: string): string | undefined {
  const slug = slugify(folder);
  if (slug === '') return undefined;
  return slug.length === 1 ? `${slug}-model` : slug;
}

/** Why `name` is not a valid `metadata.name`, or undefined when it is. */
export function checkName(name: string): string | undefined {
  if (NAME_PATTERN.test(name)) return undefined;
  const suggestion = slugify(name);
  return (
    `"${name}" is not a valid name: use 2 to 63 lower-case letters, digits and hyphens, starting with a letter or digit` +
    (suggestion.length >= 2 && suggestion !== name ? ` (e.g. "${suggestion}")` : '')
  );
}

/** The template an unknown name most likely means: the only one it begins, else a near typo. */
export function closestTemplate(given: string, templates: readonly string[]): string | undefined {
  const byPrefix = templates.filter((n) => given.length >= 3 && n.startsWith(given.toLowerCase()));
  return byPrefix.length === 1 ? byPrefix[0] : suggest(given, templates);
}

/** How many `TODO:` marks are left to fill in a scaffolded manifest. */
export function todoMarks(text: string): number {
  // `TODO:"` is the header's mention of the marks, not a mark
  return text.match(/TODO:(?!")/g)?.length ?? 0;
}

/** What is left to fill in where a `TODO:` mark is, by the path of its key (indices left out). */
const TODO_PLACES: readonly [RegExp, string][] = [
  [/^metadata\.title$/, 'the title'],
  [/^metadata\.owner\.name$/, 'the owner'],
  [/^metadata\.owner\.team$/, 'the owning team'],
  [/^metadata\.tags$/, 'the tags'],
  [/^metadata\.euAiAct\b/, 'the EU AI Act basis'],
  [/^envision\.problem$/, 'the problem'],
  [/^envision\.hypothesis$/, 'the hypothesis'],
  [/^envision\.businessObjective$/, 'the business objective'],
  [/^envision\.intendedUse\b/, 'the intended use'],
  [/^envision\.stakeholders\b/, "the stakeholders' names"],
  [/^envision\.valueMetrics\.(?:name|unit)$/, "the value metric's name and unit"],
  [/^envision\.valueMetrics\.baseline\b/, 'where each baseline comes from'],
  [/^envision\.valueMetrics\.minimumAcceptable$/, "the value metric's minimumAcceptable"],
  [/^envision\.risks\b/, "the risks' mitigations"],
  [/^envision\.trustworthyAI\.\w+\.justification$/, 'why a dimension is dialled down or excluded'],
  [/^envision\.trustworthyAI\.\w+\.guardrails\b/, 'the guardrails'],
];

/**
 * The `TODO:` marks left in a scaffolded manifest: how many (as `todoMarks` counts them), and
 * what they stand for, in words and in the order of the file: `the problem`, `the
 * stakeholders' names`. A mark in a value or in the comment of a key is named by that key.
 */
export function todoPlaces(text: string): { count: number; places: string[] } {
  const count = todoMarks(text);
  const places: string[] = [];
  if (count === 0) return { count, places };
  const marked = (s: unknown): boolean => typeof s === 'string' && /TODO:(?!")/.test(s);
  // a node's own text or comments, and those of the items of a list of values
  const marks = (node: unknown): boolean => {
    const n = node as { value?: unknown; comment?: unknown; commentBefore?: unknown } | null;
    if (!n) return false;
    if (marked(n.comment) || marked(n.commentBefore)) return true;
    if (isScalar(n)) return marked(n.value);
    return isSeq(n) && n.items.some((item) => isScalar(item) && marks(item));
  };
  visit(parseDocument(text), {
    Pair(_, pair, path) {
      if (!marks(pair.value) && !marks(pair.key)) {
        // a comment above a list item (`# TODO: your metric` before `- id: auc`) is about the list
        if (!(isSeq(pair.value) && pair.value.items.some((i) => isMap(i) && marks(i)))) return;
      }
      const key = keyPath(path, pair);
      const words = TODO_PLACES.find(([pattern]) => pattern.test(key))?.[1] ?? key;
      if (!places.includes(words)) places.push(words);
    },
  });
  return { count, places };
}

/** The keys from the document's top to `pair`, joined by dots: `envision.stakeholders.name`. */
function keyPath(path: readonly unknown[], pair: { key: unknown }): string {
  const keys: string[] = [];
  for (const n of [...path, pair]) {
    const key = (n as { key?: unknown }).key;
    if (key !== undefined && isScalar(key)) keys.push(String(key.value));
  }
  return keys.join('.');
}

/** Why a target does not lie in `direction` from the baseline, or undefined when it does. */
export function checkTarget(
  direction: Direction,
  baseline: number,
  target: number,
): string | undefined {
  if (!Number.isFinite(target)) return 'enter a number';
  if (direction === 'increase' && target <= baseline)
    return `the target must be above the baseline ${baseline} for a metric to increase`;
  if (direction === 'decrease' && target >= baseline)
    return `the target must be below the baseline ${baseline} for a metric to decrease`;
  return undefined;
}

/**
 * Why a minimumAcceptable does not lie between the baseline (included) and the target
 * (excluded), or undefined when it does: the worst level at which the model still pays for itself.
 */
export function checkMinimum(
  baseline: number,
  target: number,
  minimum: number,
): string | undefined {
  if (!Number.isFinite(minimum)) return 'enter a number';
  const [low, high] = baseline <= target ? [baseline, target] : [target, baseline];
  const inRange =
    baseline <= target ? minimum >= low && minimum < high : minimum > low && minimum <= high;
  return inRange
    ? undefined
    : `enter a value from the baseline ${baseline} up to, but not at, the target ${target}`;
}

/** Why a target date is refused (not a date, or not after `today`), or undefined. */
export function checkTargetDate(date: string, today: string): string | undefined {
  const d = date.trim();
  const valid =
    /^\d{4}-\d{2}-\d{2}$/.test(d) && new Date(`${d}T00:00:00Z`).toISOString().slice(0, 10) === d;
  if (!valid) return 'enter a date as YYYY-MM-DD, e.g. 2027-06-30';
  if (d <= today) return `enter a date after today (${today})`;
  return undefined;
}

/**
 * Sets a scalar in place, so its comments survive. A replaced string loses the template's
 * quotes (needed for "TODO: ..."); the writer quotes again only where YAML needs it.
 */
function setScalar(doc: Document, path: Path, value: string | number): void {
  const node = scalarAt(doc, path);
  if (!node) {
    doc.setIn(path, value);
    return;
  }
  if (typeof value === 'string' && node.value !== value) delete node.type;
  node.value = value;
}

function renameFirstMetric(doc: Document, newName: string): void {
  const metrics = doc.getIn(['envision', 'valueMetrics'], true);
  if (!isSeq(metrics)) return;
  const oldId = textAt(doc, ['envision', 'valueMetrics', 0, 'id']);
  const base = slugify(newName, '_', MAX_METRIC_ID);
  if (base === '' || !ID_PATTERN.test(base) || base === oldId) return;
  const taken = new Set(
    metrics.items
      .slice(1)
      .map((m) => (isMap(m) ? m.get('id') : undefined))
      .filter((id) => typeof id === 'string'),
  );
  let id = base;
  for (let n = 2; taken.has(id); n++) id = `${base}_${n}`;
  setScalar(doc, ['envision', 'valueMetrics', 0, 'id'], id);
  // Build evaluations and deploy measurement plans refer to value metrics by id.
  visit(doc, {
    Pair(_, pair) {
      if (
        isScalar(pair.key) &&
        pair.key.value === 'valueMetric' &&
        isScalar(pair.value) &&
        pair.value.value === oldId
      ) {
        pair.value.value = id;
      }
    },
  });
}

/**
 * Sets `key` of the mapping at `path`: in place when it is there, else as a new key right after
 * the last of `after` that the mapping has (so that a metric reads name, unit, direction,
 * baseline, target), else at its end.
 */
function setKeyAfter(
  doc: Document,
  path: Path,
  key: string,
  value: unknown,
  after: readonly string[],
): void {
  const map = doc.getIn(path, true);
  if (!isMap(map)) return;
  if (map.has(key)) {
    if (value !== null && typeof value === 'object') doc.setIn([...path, key], value);
    else setScalar(doc, [...path, key], value as string | number);
    return;
  }
  const pair = doc.createPair(key, value);
  let at = -1;
  map.items.forEach((p, i) => {
    if (isScalar(p.key) && after.includes(String(p.key.value))) at = i;
  });
  if (at < 0) map.items.push(pair);
  else map.items.splice(at + 1, 0, pair);
}

const METRIC_ORDER = ['id', 'name', 'unit', 'direction', 'baseline', 'target'] as const;

function setFirstMetric(
  doc: Document,
  metric: FirstMetric,
  before: TemplateMetric | undefined,
): void {
  const base = ['envision', 'valueMetrics', 0];
  if (!isMap(doc.getIn(base, true))) return;
  if (metric.name !== before?.name) renameFirstMetric(doc, metric.name);
  setScalar(doc, [...base, 'name'], metric.name);
  setScalar(doc, [...base, 'unit'], metric.unit);
  setKeyAfter(doc, base, 'direction', metric.direction, METRIC_ORDER.slice(0, 3));
  if (doc.hasIn([...base, 'baseline']))
    setScalar(doc, [...base, 'baseline', 'value'], metric.baseline);
  else setKeyAfter(doc, base, 'baseline', { value: metric.baseline }, METRIC_ORDER.slice(0, 4));
  if (doc.hasIn([...base, 'target'])) setScalar(doc, [...base, 'target', 'value'], metric.target);
  else setKeyAfter(doc, base, 'target', { value: metric.target }, METRIC_ORDER.slice(0, 5));
  if (metric.by !== undefined) {
    const target = doc.getIn([...base, 'target'], true);
    if (isMap(target)) {
      target.flow = true;
      target.set('by', metric.by);
    }
  }
  const baselineNode = doc.getIn([...base, 'baseline'], true);
  if (isMap(baselineNode) && baselineNode.items.length === 1) baselineNode.flow = true;
  const order = [...METRIC_ORDER, 'minimumAcceptable', 'tolerance'];
  if (metric.direction === 'maintain' && metric.tolerance !== undefined) {
    doc.deleteIn([...base, 'minimumAcceptable']);
    setKeyAfter(doc, base, 'tolerance', metric.tolerance, order);
    return;
  }
  if (metric.direction !== 'maintain' && metric.minimumAcceptable !== undefined) {
    doc.deleteIn([...base, 'tolerance']);
    setKeyAfter(doc, base, 'minimumAcceptable', metric.minimumAcceptable, order);
    return;
  }
  const changed =
    metric.direction !== before?.direction ||
    metric.baseline !== before.baseline ||
    metric.target !== before.target;
  if (!changed || !doc.hasIn([...base, 'minimumAcceptable'])) return;
  // The template's minimum belonged to its own baseline and target. The baseline is the one
  // level we know the team can state: no worse than today. "maintain" has no worse side to read.
  if (metric.direction === 'maintain') {
    doc.deleteIn([...base, 'minimumAcceptable']);
    return;
  }
  setScalar(doc, [...base, 'minimumAcceptable'], metric.baseline);
  const node = scalarAt(doc, [...base, 'minimumAcceptable']);
  if (node)
    node.comment =
      ' TODO: the baseline for now; set the worst level at which the hypothesis still holds';
}

/** Raises rigor to the tier's floor (rule E4) where a dimension is neither excluded nor justified. */
function raiseRigor(doc: Document, tier: RiskTier): void {
  for (const dim of DIMENSIONS) {
    const need = tierRigor(tier, dim);
    const path = ['envision', 'trustworthyAI', dim];
    const node = doc.getIn(path, true);
    if (!isMap(node) || node.get('excluded') === true) continue;
    const justification = node.get('justification');
    if (typeof justification === 'string' && justification.trim() !== '') continue;
    if (rigorMeets(node.get('rigor'), need)) continue;
    setScalar(doc, [...path, 'rigor'], need);
    const scalar = scalarAt(doc, [...path, 'rigor']);
    if (scalar) scalar.comment = ` risk tier ${tier}: at least ${need} here (rule E4)`;
  }
}

const filled = (s: string | undefined): s is string => s !== undefined && s.trim() !== '';

/**
 * The manifest text for a template and the answers: values set in the template's own document,
 * so every comment survives, and a `yaml-language-server` line first that points at `schemaRef`.
 */
export function scaffoldManifest(
  templateText: string,
  answers: InitAnswers,
  schemaRef: string,
): string {
  const doc = parseDocument(templateText);
  const before = readFirstMetric(doc);
  setScalar(doc, ['metadata', 'name'], answers.name);
  setScalar(doc, ['metadata', 'version'], '0.1.0');
  setScalar(doc, ['metadata', 'owner', 'name'], answers.owner);
  setScalar(doc, ['metadata', 'riskTier'], answers.riskTier);
  setScalar(doc, ['metadata', 'status'], 'envision');
  if (filled(answers.problem)) setScalar(doc, ['envision', 'problem'], answers.problem.trim());
  if (filled(answers.hypothesis))
    setScalar(doc, ['envision', 'hypothesis'], answers.hypothesis.trim());
  for (const [role, name] of [
    ['decision_maker', answers.decisionMaker],
    ['ai_product_manager', answers.productManager],
  ] as const) {
    const i = stakeholderIndex(doc, role);
    if (i >= 0 && filled(name))
      setScalar(doc, ['envision', 'stakeholders', i, 'name'], name.trim());
  }
  if (answers.metric)
    setFirstMetric(
      doc,
      { ...answers.metric, name: answers.metric.name.trim(), unit: answers.metric.unit.trim() },
      before,
    );
  raiseRigor(doc, answers.riskTier);
  const body = doc
    .toString({ lineWidth: 0 })
    .split('\n')
    .filter((line, i) => !(i === 0 && MODELINE.test(line)))
    .join('\n');
  return `# yaml-language-server: $schema=${schemaRef}\n${body}`;
}
