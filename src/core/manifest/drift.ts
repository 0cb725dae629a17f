import type { PathSegment } from '../findings.js';
import { problem } from './schema-findings.js';
import type { Problem } from './schema-findings.js';

/** What the number of a drift check is: a distance (bounded above) or a p-value (bounded below). */
export type DriftStatistic = 'distance' | 'pvalue';

/** Methods whose number is a distance unless the check says otherwise. */
const DISTANCES: ReadonlySet<string> = new Set([
  'psi',
  'jensenshannon',
  'wasserstein',
  'hellinger',
  'kl',
]);

/**
 * What a drift check's number is: `statistic` when stated, else by method (psi,
 * jensenshannon, wasserstein, hellinger and kl are distances). Undefined for a test that may
 * report either (ks, chi2) and does not say which.
 */
export function driftStatistic(d: {
  method?: unknown;
  statistic?: unknown;
}): DriftStatistic | undefined {
  if (d.statistic === 'distance' || d.statistic === 'pvalue') return d.statistic;
  return typeof d.method === 'string' && DISTANCES.has(d.method) ? 'distance' : undefined;
}

type Obj = Record<string, unknown>;
const num = (v: unknown): number | undefined =>
  typeof v === 'number' && Number.isFinite(v) ? v : undefined;

/**
 * The bounds of each drift check, read by what its number is: a distance alerts above `max`
 * (and warns above `warn` <= max), a p-value alerts below `min` (and warns below `warn` >= min).
 * A test that may report either must say which; a bound on the wrong side, no alert bound, or
 * a warning beyond the alert is an error with its fix. PSI states its bins.
 */
export function driftProblems(drift: readonly Obj[]): Problem[] {
  const out: Problem[] = [];
  drift.forEach((d, i) => {
    const item: PathSegment[] = ['monitor', 'drift', i];
    const method = typeof d.method === 'string' ? d.method : undefined;
    const min = num(d.min);
    const max = num(d.max);
    const warn = num(d.warn);
    const bounds = {
      ...(min !== undefined ? { min } : {}),
      ...(max !== undefined ? { max } : {}),
      ...(warn !== undefined ? { warn } : {}),
    };
    const statistic = driftStatistic(d);
    if (statistic === undefined) {
      // an unknown method is the schema's finding; ks and chi2 must say what they report
      if (method === 'ks' || method === 'chi2') {
        const path = [...item, 'method'];
        out.push(
          problem(
            'DRIFT_STATISTIC_UNSTATED',
            path,
            { at: item, method, ...bounds },
            'value',
            // a lower bound only makes sense for a p-value
            min !== undefined && max === undefined
              ? { kind: 'edit', op: 'set', path: [...item, 'statistic'], value: 'pvalue' }
              : undefined,
          ),
        );
      }
    } else {
      const stated = d.statistic === statistic;
      const alert = statistic === 'distance' ? 'max' : 'min';
      const wrong = statistic === 'distance' ? 'min' : 'max';
      const alertValue = statistic === 'distance' ? max : min;
      const wrongValue = statistic === 'distance' ? min : max;
      const args = { method: method ?? '', statistic, stated };
      if (wrongValue !== undefined) {
        const path = [...item, wrong];
        out.push(
          problem(
            'DRIFT_BOUND_WRONG_SIDE',
            path,
            {
              at: item,
              ...args,
              bound: wrong,
              value: wrongValue,
              ...(alertValue !== undefined ? { alert: alertValue } : {}),
            },
            'key',
          ),
        );
      } else if (alertValue === undefined) {
        out.push(problem('DRIFT_BOUND_MISSING', item, { at: item, ...args }));
      }
      if (
        warn !== undefined &&
        alertValue !== undefined &&
        (statistic === 'distance' ? warn > alertValue : warn < alertValue)
      ) {
        const path = [...item, 'warn'];
        out.push(
          problem('DRIFT_WARN_BEYOND_ALERT', path, {
            at: item,
            ...args,
            warn,
            bound: alert,
            value: alertValue,
          }),
        );
      }
    }
    if (method === 'psi' && d.bins === undefined) {
      out.push(problem('PSI_BINS_MISSING', item, { at: item }));
    }
  });
  return out;
}
