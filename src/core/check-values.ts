import { parse as parseYaml } from 'yaml';
import type { Direction, ValueMetric } from './manifest.js';

/** Evidence parsed for observed values, or why it could not be. */
export type ParsedEvidence = { ok: true; data: unknown } | { ok: false; problem: string };

/** Parses JSON or YAML evidence by its extension; other files hold no observed values. */
export function parseEvidenceText(path: string, text: string): ParsedEvidence {
  const lower = path.toLowerCase();
  try {
    if (lower.endsWith('.json')) return { ok: true, data: JSON.parse(text) as unknown };
    if (lower.endsWith('.yaml') || lower.endsWith('.yml')) {
      return { ok: true, data: parseYaml(text, { maxAliasCount: 50, schema: 'core' }) as unknown };
    }
  } catch (error) {
    const detail = error instanceof Error ? (error.message.split('\n')[0] ?? '') : String(error);
    return {
      ok: false,
      problem: `is not valid ${lower.endsWith('.json') ? 'JSON' : 'YAML'} (${detail})`,
    };
  }
  return { ok: false, problem: 'is not JSON or YAML, so no observed value can be read from it' };
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

export type Observation =
  { value: number; pointer: string } | { value?: undefined; problem: string };

/** The observed number for `metric` in parsed evidence, with the pointer it was found at. */
export function observe(data: unknown, metric: string, pointer: string | undefined): Observation {
  const pointers = candidatePointers(metric, pointer);
  for (const p of pointers) {
    const v = resolvePointer(data, p);
    if (v === undefined) continue;
    if (typeof v === 'number' && Number.isFinite(v)) return { value: v, pointer: p };
    return {
      problem: `holds ${v === null ? 'null' : typeof v === 'object' ? 'an object' : JSON.stringify(v)} at ${p}, not a number`,
    };
  }
  return { problem: `has no value at ${pointers.join(' or ')}` };
}

/** Whether a value metric's hypothesis holds at an observed level. */
export type ValueStatus = 'on_track' | 'at_risk' | 'failing' | 'unknown';

/**
 * Classifies an observation, read in the metric's direction: at or beyond the target is on
 * track; worse than `minimumAcceptable` is failing; in between is at risk. Without
 * `minimumAcceptable` the baseline is the floor (worse than the baseline fails). `maintain`
 * holds the target level: on track within |target - minimumAcceptable| of it, failing outside;
 * without `minimumAcceptable`, any departure from the target is at risk.
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
    if (typeof metric.minimumAcceptable !== 'number')
      return observed === target ? 'on_track' : 'at_risk';
    return Math.abs(observed - target) <= Math.abs(target - metric.minimumAcceptable)
      ? 'on_track'
      : 'failing';
  }
  const better = (a: number, b: number): boolean => (direction === 'increase' ? a >= b : a <= b);
  if (better(observed, target)) return 'on_track';
  if (typeof floor !== 'number' || better(observed, floor)) return 'at_risk';
  return 'failing';
}

/** True when `observed` is worse than the metric's `minimumAcceptable` (rule M3). */
export function belowMinimum(metric: ValueMetric, observed: number): boolean {
  const min = metric.minimumAcceptable;
  if (typeof min !== 'number') return false;
  if (metric.direction === 'decrease') return observed > min;
  if (metric.direction === 'maintain') {
    const target = metric.target?.value;
    return typeof target === 'number' && Math.abs(observed - target) > Math.abs(target - min);
  }
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
