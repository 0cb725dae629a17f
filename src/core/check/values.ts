import { parse as parseYaml } from 'yaml';
import type { Direction, ValueMetric } from '../manifest.js';

/** Why evidence holds no data to read values from. */
export type EvidenceDataProblem =
  /** It is JSON or YAML by its extension but does not parse; `detail` is the parser's first line. */
  | { reason: 'invalid'; format: 'JSON' | 'YAML'; detail: string }
  /** It is neither JSON nor YAML. */
  | { reason: 'not_data' };

/** Evidence parsed for observed values, or why it could not be. */
export type ParsedEvidence = { ok: true; data: unknown } | ({ ok: false } & EvidenceDataProblem);

/** Parses JSON or YAML evidence by its extension; other files hold no observed values. */
export function parseEvidenceText(path: string, text: string): ParsedEvidence {
  const lower = path.toLowerCase();
  const json = lower.endsWith('.json');
  try {
    if (json) return { ok: true, data: JSON.parse(text) as unknown };
    if (lower.endsWith('.yaml') || lower.endsWith('.yml')) {
      return { ok: true, data: parseYaml(text, { maxAliasCount: 50, schema: 'core' }) as unknown };
    }
  } catch (error) {
    const detail = error instanceof Error ? (error.message.split('\n')[0] ?? '') : String(error);
    return { ok: false, reason: 'invalid', format: json ? 'JSON' : 'YAML', detail };
  }
  return { ok: false, reason: 'not_data' };
}

/** RFC 6901 JSON Pointer lookup over plain data; `undefined` when it does not resolve. */
export function resolvePointer(data: unknown, pointer: string): unknown {
  if (pointer === '') return data;
  if (!pointer.startsWith('/')) return undefined;
  let node: unknown = data;
  for (const raw of pointer.slice(1).split('/')) {
    const token = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (Array.isArray(node)) {
      if (!/^(0|[1-9]\d*)$/.test(token)) return undefined;
      node = node[Number(token)];
    } else if (node !== null && typeof node === 'object') {
      if (!Object.hasOwn(node, token)) return undefined;
      node = (node as Record<string, unknown>)[token];
    } else {
      return undefined;
    }
  }
  return node;
}

export function escapePointerToken(token: string): string {
  return token.replace(/~/g, '~0').replace(/\//g, '~1');
}

/** Where an observed value for `metric` is looked for: the pointer, else `/m`, else `/metrics/m`. */
export function candidatePointers(metric: string, pointer: string | undefined): string[] {
  if (pointer !== undefined) return [pointer];
  const t = escapePointerToken(metric);
  return [`/${t}`, `/metrics/${t}`];
}

/** Why no number was observed where one was looked for. */
export type ObservationProblem =
  | { reason: 'absent'; pointers: string[] }
  /** `found` is what sits there instead: `null`, an object (or list), or a literal in JSON. */
  | {
      reason: 'not_number';
      pointer: string;
      found: 'null' | 'object' | 'literal';
      literal?: string;
    };

export type Observation =
  { value: number; pointer: string } | ({ value?: undefined } & ObservationProblem);

/** The observed number for `metric` in parsed evidence, with the pointer it was found at. */
export function observe(data: unknown, metric: string, pointer: string | undefined): Observation {
  const pointers = candidatePointers(metric, pointer);
  for (const p of pointers) {
    const v = resolvePointer(data, p);
    if (v === undefined) continue;
    if (typeof v === 'number' && Number.isFinite(v)) return { value: v, pointer: p };
    if (v === null) return { reason: 'not_number', pointer: p, found: 'null' };
    if (typeof v === 'object') return { reason: 'not_number', pointer: p, found: 'object' };
    return { reason: 'not_number', pointer: p, found: 'literal', literal: JSON.stringify(v) };
  }
  return { reason: 'absent', pointers };
}

/** Whether a value metric's hypothesis holds at an observed level. */
export type ValueStatus = 'on_track' | 'at_risk' | 'failing' | 'unknown';

/**
 * The band around the target of a `maintain` metric: `tolerance`, else, for manifests written
 * before it, the distance from the target to `minimumAcceptable`; undefined when neither says.
 */
export function toleranceOf(metric: ValueMetric): number | undefined {
  if (typeof metric.tolerance === 'number' && metric.tolerance >= 0) return metric.tolerance;
  const target = metric.target?.value;
  const min = metric.minimumAcceptable;
  return typeof target === 'number' && typeof min === 'number' ? Math.abs(target - min) : undefined;
}

/**
 * `observed` lies within `band` of `target`, inclusive; decimal inputs such as 1.7 against
 * 1.6 ± 0.1 count as inside although their binary difference is a hair over.
 */
export function withinBand(observed: number, target: number, band: number): boolean {
  const scale = Math.max(1, Math.abs(observed), Math.abs(target));
  return Math.abs(observed - target) <= band + scale * 1e-12;
}

/** `a` is strictly better than `b` in the metric's direction (increase or decrease). */
export function betterThan(direction: Direction | undefined, a: number, b: number): boolean {
  return direction === 'decrease' ? a < b : a > b;
}

/**
 * Whether an observation is at target: at or beyond it in the metric's direction; for
 * `maintain`, within the tolerance band around it (exactly on it when no band is given).
 * False when the target is unknown.
 */
export function atTarget(metric: ValueMetric, observed: number): boolean {
  const target = metric.target?.value;
  if (typeof target !== 'number') return false;
  if (metric.direction === 'maintain')
    return withinBand(observed, target, toleranceOf(metric) ?? 0);
  return observed === target || betterThan(metric.direction ?? 'increase', observed, target);
}

/**
 * Classifies an observation, read in the metric's direction: at or beyond the target is on
 * track; worse than `minimumAcceptable` is failing; in between is at risk. Without
 * `minimumAcceptable` the baseline is the floor (worse than the baseline fails). `maintain`
 * holds the target level: on track within the tolerance band around it (`tolerance`, or
 * |target - minimumAcceptable|), failing outside; without a band, any departure from the target
 * is at risk.
 */
export function classifyValue(metric: ValueMetric, observed: number | undefined): ValueStatus {
  const target = metric.target?.value;
  if (observed === undefined || typeof target !== 'number') return 'unknown';
  const floor =
    typeof metric.minimumAcceptable === 'number'
      ? metric.minimumAcceptable
      : metric.baseline?.value;
  const direction: Direction = metric.direction ?? 'increase';
  if (direction === 'maintain') {
    const band = toleranceOf(metric);
    if (band === undefined) return observed === target ? 'on_track' : 'at_risk';
    return withinBand(observed, target, band) ? 'on_track' : 'failing';
  }
  const better = (a: number, b: number): boolean => (direction === 'increase' ? a >= b : a <= b);
  if (better(observed, target)) return 'on_track';
  if (typeof floor !== 'number' || better(observed, floor)) return 'at_risk';
  return 'failing';
}

/**
 * True when `observed` is worse than the metric's minimum (rules B2 and M3): beyond
 * `minimumAcceptable` against the direction, or for `maintain` outside the tolerance band
 * around the target. False when the metric states no minimum.
 */
export function belowMinimum(metric: ValueMetric, observed: number): boolean {
  if (metric.direction === 'maintain') {
    const target = metric.target?.value;
    const band = toleranceOf(metric);
    return typeof target === 'number' && band !== undefined && !withinBand(observed, target, band);
  }
  const min = metric.minimumAcceptable;
  if (typeof min !== 'number') return false;
  if (metric.direction === 'decrease') return observed > min;
  return observed < min;
}

/** Whole days from `from` to `to` (YYYY-MM-DD); NaN when either is not a date. */
export function daysBetween(from: string, to: string): number {
  return (
    (Date.parse(`${to.slice(0, 10)}T00:00:00Z`) - Date.parse(`${from.slice(0, 10)}T00:00:00Z`)) /
    86_400_000
  );
}

/** A calendar date in YYYY-MM-DD form that exists (no 2026-02-30). */
export function isIsoDate(text: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(text)) return false;
  const d = new Date(`${text}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === text;
}

export const CADENCE_DAYS = { daily: 1, weekly: 7, monthly: 31, quarterly: 92 } as const;
