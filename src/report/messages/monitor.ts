import type { Code } from '../../core/codes/index.js';
import type { ArgValue, Args, PathSegment } from '../../core/findings.js';
import type { MessageSpec } from './index.js';
import { formatPath } from './manifest.js';
import { gitCommit, pathsOf, placeholder as ph } from './shell.js';

const str = (v: ArgValue): string => (v === undefined || v === null ? '' : String(v));
/** Observed numbers at six significant digits, as the reports that hold them rarely need more. */
const fmt = (v: ArgValue): string => String(Number(Number(v).toPrecision(6)));
const index = (v: ArgValue): number => (typeof v === 'number' ? v : 0);
const items = (v: ArgValue): string[] => (Array.isArray(v) ? v.map(String) : []);

/** A path of the manifest in a hint: `` `monitor.drift[0]` ``. */
const at = (...path: PathSegment[]): string => `\`${formatPath(path)}\``;
/** "add to `path`: `{…}`": an item for a list, or keys for a mapping, as a YAML flow snippet. */
const addTo = (path: PathSegment[], snippet: string): string =>
  `add to ${at(...path)}: \`${snippet}\``;
/** "set `path` to `value`". */
const setTo = (path: PathSegment[], value: string): string => `set ${at(...path)} to \`${value}\``;
/** The item of a validate finding, where `at` points: "monitor.drift[0]". */
const where = (a: Args): string => formatPath(Array.isArray(a.at) ? (a.at as PathSegment[]) : []);
const item = (a: Args): PathSegment[] => (Array.isArray(a.at) ? (a.at as PathSegment[]) : []);

/** The model's name in a commit message: "Update evidence of churn". */
const commitEvidence = (a: Args, first: ArgValue, verb = 'Update'): string =>
  gitCommit(
    pathsOf(first, a.files),
    `${verb} ${typeof a.model === 'string' ? `evidence of ${a.model}` : 'evidence'}`,
  );

const CADENCES = 'daily, weekly, monthly or quarterly';
/** A value in a YAML flow snippet: a plain path as it is, anything else quoted. */
const yamlText = (v: ArgValue): string =>
  /^[A-Za-z0-9_][A-Za-z0-9_./-]*$/.test(str(v)) ? str(v) : JSON.stringify(str(v));

/** Where a guardrail is: `envision.trustworthyAI.fairImpartial.guardrails[0]`. */
const guardrailAt = (a: Args): PathSegment[] => [
  'envision',
  'trustworthyAI',
  str(a.dimension),
  'guardrails',
  index(a.index),
];

/** A drift check with placeholders, as a YAML flow snippet, and what its keys take. */
const DRIFT_ITEM = `{id: ${ph('DRIFT_ID')}, type: ${ph('DRIFT_TYPE')}, method: psi, bins: 10, max: ${ph('MAX')}, evidence: ${ph('DRIFT_REPORT_FILE')}, cadence: ${ph('CADENCE')}}`;
/** What the placeholders of the snippets take, each said once in a hint: `(key: what; …)`. */
const CADENCE_KEY = `cadence: ${CADENCES}`;
const DRIFT_KEYS = [
  'type: data, concept or prediction',
  'max: the PSI above which to alert, e.g. 0.25',
  'drift evidence: the drift report production will commit',
  CADENCE_KEY,
];
const VALUE_REPORT_KEY =
  'valueTracking.evidence: the report of observed value metrics production will commit';
const ACTION_KEY = 'action: reassess, retrain, rollback, retire or escalate';
const explain = (...keys: string[]): string => `(${[...new Set(keys)].join('; ')})`;
const TRIGGERS = `[${['drift_alert', 'value_below_minimum', 'incident']
  .map((on) => `{on: ${on}, action: ${ph('ACTION')}, owner: ${ph('STAKEHOLDER_ID')}}`)
  .join(', ')}]`;
const VALUE_TRACKING = `{evidence: ${ph('VALUE_REPORT_FILE')}, cadence: ${ph('CADENCE')}}`;

/** "the ks p-value is 0.01 in reports/drift.json#/ks". */
const pvalueReading = (a: Args): string =>
  `the ${str(a.method)} p-value is ${fmt(a.value)} in ${str(a.path)}#${str(a.pointer)}`;

/** What a drift statistic is, in words, and the side of its bound. */
const STATISTIC: Record<string, { what: string; bounded: string }> = {
  distance: { what: 'a distance (the higher, the more drift)', bounded: 'alerts above `max`' },
  pvalue: { what: 'a p-value (the lower, the more drift)', bounded: 'alerts below `min`' },
};
const statistic = (a: Args): { what: string; bounded: string } =>
  STATISTIC[str(a.statistic)] ?? { what: str(a.statistic), bounded: '' };
/** "ks reports a p-value" or "psi is a distance". */
const reports = (a: Args): string =>
  a.stated === true
    ? `${str(a.method)} is stated as ${statistic(a).what}`
    : `${str(a.method)} is ${statistic(a).what}`;

/** The words of D5 (MONITOR_PLAN_*), M1 (DRIFT_NONE, DRIFT_BELOW_*, GUARDRAIL_NO_LIVE_EVIDENCE, GUARDRAIL_LIVE_IS_BUILD_EVIDENCE), M4 (GOVERNANCE_REVIEW_UNDATED) and the drift codes of validate. */
export const MONITOR_MESSAGES = {
  MONITOR_PLAN_MISSING: {
    title: 'No monitoring plan',
    help: 'Before deploy, the manifest plans its monitoring: value tracking with evidence and a cadence, at least one drift check, and triggers. The reports need not exist until the model is in monitor.',
    message: () =>
      'no monitor section: nothing plans how the value will be tracked, drift watched and alerts acted on once the model is live',
    hint: () =>
      `${addTo(['monitor'], `{valueTracking: ${VALUE_TRACKING}, drift: [${DRIFT_ITEM}], triggers: ${TRIGGERS}}`)} ${explain(VALUE_REPORT_KEY, ...DRIFT_KEYS, ACTION_KEY)}`,
  },
  MONITOR_PLAN_INCOMPLETE: {
    title: 'Monitoring plan incomplete',
    help: 'The monitoring plan names the value-tracking report and its cadence, at least one drift check, and triggers, before deploy.',
    message: (a) => {
      const words: Record<string, string> = {
        'valueTracking.evidence': 'no value-tracking evidence',
        'valueTracking.cadence': 'no value-tracking cadence',
        drift: 'no drift check',
        triggers: 'no triggers',
      };
      return `the monitoring plan is incomplete: ${items(a.missing)
        .map((k) => words[k] ?? k)
        .join(', ')}`;
    },
    hint: (a) => {
      const missing = new Set(items(a.missing));
      const steps: string[] = [];
      if (missing.has('valueTracking.evidence') && missing.has('valueTracking.cadence'))
        steps.push(addTo(['monitor', 'valueTracking'], VALUE_TRACKING));
      else if (missing.has('valueTracking.evidence'))
        steps.push(setTo(['monitor', 'valueTracking', 'evidence'], ph('VALUE_REPORT_FILE')));
      else if (missing.has('valueTracking.cadence'))
        steps.push(setTo(['monitor', 'valueTracking', 'cadence'], ph('CADENCE')));
      if (missing.has('drift')) steps.push(addTo(['monitor', 'drift'], DRIFT_ITEM));
      if (missing.has('triggers')) steps.push(addTo(['monitor', 'triggers'], TRIGGERS));
      const keys = [
        ...(missing.has('valueTracking.evidence') ? [VALUE_REPORT_KEY] : []),
        ...(missing.has('valueTracking.cadence') ? [CADENCE_KEY] : []),
        ...(missing.has('drift') ? DRIFT_KEYS : []),
        ...(missing.has('triggers') ? [ACTION_KEY] : []),
      ];
      return steps.length ? `${steps.join('; ')} ${explain(...keys)}` : undefined;
    },
  },
  DRIFT_NONE: {
    title: 'No drift check',
    help: 'Monitoring has at least one drift check, with its evidence: without one nothing shows that production data has moved away from the data the model was built on.',
    message: () =>
      'no drift check: nothing shows whether production data still looks like the data the model was built on',
    hint: () => `${addTo(['monitor', 'drift'], DRIFT_ITEM)} ${explain(...DRIFT_KEYS)}`,
  },
  DRIFT_BELOW_MIN: {
    title: 'Drift p-value below min',
    help: 'The observed p-value of a drift test is below the check’s min: the production data differs from the reference data.',
    message: (a) =>
      `drift check \`${str(a.id)}\`: ${pvalueReading(a)}, below min ${fmt(a.min)}: the data has drifted`,
    hint: (a) =>
      `investigate the drift and act on the drift_alert trigger (retrain or reassess); then commit the new report: ${commitEvidence(a, a.path)}`,
  },
  DRIFT_BELOW_WARN: {
    title: 'Drift p-value below warn',
    help: 'The observed p-value of a drift test is below the check’s warning level, not yet its min.',
    message: (a) =>
      `drift check \`${str(a.id)}\`: ${pvalueReading(a)}, below warn ${fmt(a.warn)}${a.min !== undefined ? ` (min ${fmt(a.min)})` : ''}`,
  },
  GUARDRAIL_NO_LIVE_EVIDENCE: {
    title: 'Guardrail without live evidence',
    help: 'A guardrail active in monitor reads its value from live evidence, `monitor: {evidence, cadence}` on the guardrail: a report refreshed in production. Its build evidence says how the model behaved before release, not how it behaves now.',
    message: (a) =>
      `guardrail \`${str(a.id)}\` (${str(a.metric)}) is active in monitor but has no live evidence: nothing shows how it holds in production`,
    hint: (a) =>
      a.evidence !== undefined
        ? `it guards monitor only, where \`evidence\` is not read: name its live report under \`monitor\`: ${addTo(guardrailAt(a), `{monitor: {evidence: ${yamlText(a.evidence)}, cadence: ${ph('CADENCE')}}}`)} (cadence: ${CADENCES}); its \`evidence\` is then read by nothing and can go`
        : `${addTo(guardrailAt(a), `{monitor: {evidence: ${ph('LIVE_EVIDENCE_FILE')}, cadence: ${ph('CADENCE')}}}`)} (evidence: the committed report production refreshes, holding ${str(a.metric)}; cadence: ${CADENCES}), or, if it guards the build only, ${setTo([...guardrailAt(a), 'phases'], '[build]')}`,
  },
  GUARDRAIL_LIVE_IS_BUILD_EVIDENCE: {
    title: 'Live evidence is build evidence',
    help: 'The live evidence of a guardrail is a report refreshed in production, which no guardrail `evidence` and no build evaluation names: a build backtest does not show how the model behaves now.',
    message: (a) => {
      const site =
        a.own === true
          ? 'its own build evidence'
          : a.site === 'evaluation'
            ? `the evidence of build evaluation \`${str(a.siteItem)}\``
            : `the build evidence of guardrail \`${str(a.siteItem)}\``;
      return `guardrail \`${str(a.id)}\`: its live evidence ${str(a.path)} is ${site}; monitor reads a report refreshed in production, not a build report`;
    },
    hint: (a) =>
      `${setTo([...guardrailAt(a), 'monitor', 'evidence'], ph('LIVE_EVIDENCE_FILE'))}: the report production refreshes${a.cadence !== undefined ? ` ${str(a.cadence)}` : ''}, holding ${str(a.metric)}, in a file no build evidence names; commit it`,
  },
  GOVERNANCE_REVIEW_UNDATED: {
    title: 'Governance review not dated',
    help: 'At tier high and critical, the next governance review has a date (monitor.governance.nextReview), so that an overdue review shows.',
    message: (a) =>
      `the next governance review${a.body !== undefined ? ` by ${str(a.body)}` : ''} has no date; tier ${str(a.tier)} needs one`,
    hint: () =>
      `${setTo(['monitor', 'governance', 'nextReview'], ph('YYYY-MM-DD'))} (the date of the next review)`,
  },
  DRIFT_STATISTIC_UNSTATED: {
    title: 'Drift statistic not stated',
    help: 'ks and chi2 report either a test statistic (a distance, bounded above by max) or a p-value (bounded below by min); a drift check of either says which with `statistic`, so that its bound is not read the wrong way round.',
    message: (a) =>
      `${where(a)}: ${str(a.method)} reports either a distance or a p-value; say which with \`statistic\`${
        a.max !== undefined
          ? `: read as a p-value, max ${fmt(a.max)} would alert while the data is stable and pass when it has drifted`
          : ''
      }`,
    hint: (a) => {
      const s = [...item(a), 'statistic'];
      // read as a p-value, a warning below the alert bound would come after the alert
      const warnGoes = (min: ArgValue): string =>
        typeof a.warn === 'number' && typeof min === 'number' && a.warn < min
          ? ` and remove \`warn: ${fmt(a.warn)}\`, which as a p-value would warn only after the alert`
          : '';
      if (a.max !== undefined && a.min === undefined)
        return `if the number is the test's p-value, ${setTo(s, 'pvalue')} and use \`min: ${fmt(a.max)}\` instead of \`max: ${fmt(a.max)}\` (alert when the p-value falls below it)${warnGoes(a.max)}, or, if it is the ${str(a.method)} distance, ${setTo(s, 'distance')} and keep \`max\``;
      if (a.min !== undefined && a.max === undefined)
        return `${setTo(s, 'pvalue')} (min: alert when the p-value falls below it)${warnGoes(a.min)}, or, if the number is the ${str(a.method)} distance, ${setTo(s, 'distance')} and use \`max\` instead of \`min\``;
      if (a.min !== undefined && a.max !== undefined)
        return `if the number is the test's p-value, ${setTo(s, 'pvalue')} and remove \`max: ${fmt(a.max)}\` (min ${fmt(a.min)} alerts when the p-value falls below it)${warnGoes(a.min)}, or, if it is the ${str(a.method)} distance, ${setTo(s, 'distance')} and remove \`min: ${fmt(a.min)}\``;
      const atMost = typeof a.warn === 'number' ? `, at most warn ${fmt(a.warn)}` : '';
      return `${addTo(item(a), `{statistic: pvalue, min: ${ph('MIN')}}`)} (the p-value below which to alert, e.g. 0.05${atMost}), or, if the number is the ${str(a.method)} distance, ${addTo(item(a), `{statistic: distance, max: ${ph('MAX')}}`)}`;
    },
  },
  DRIFT_BOUND_WRONG_SIDE: {
    title: 'Drift bound on the wrong side',
    help: 'A distance is bounded above (max, and warn at most max); a p-value is bounded below (min, and warn at least min). A bound on the other side alerts while the data is stable and stays silent when it has drifted.',
    message: (a) =>
      `${where(a)}.${str(a.bound)}: ${reports(a)}, which ${statistic(a).bounded}; ${str(a.bound)} ${fmt(a.value)} would alert while the data is stable and pass when it has drifted`,
    hint: (a) => {
      const right = a.statistic === 'pvalue' ? 'min' : 'max';
      const wrong = str(a.bound);
      const other = a.statistic === 'pvalue' ? 'distance' : 'pvalue';
      const flip =
        a.method === 'ks' || a.method === 'chi2' || a.stated === true
          ? `, or, if the number is ${other === 'pvalue' ? 'a p-value' : 'a distance'}, ${setTo([...item(a), 'statistic'], other)} and keep \`${wrong}\``
          : '';
      if (a.alert !== undefined)
        return `remove \`${wrong}\` from ${at(...item(a))}: ${right} ${fmt(a.alert)} is its alert bound${flip}`;
      return `use \`${right}: ${fmt(a.value)}\` instead of \`${wrong}: ${fmt(a.value)}\` (alert when the ${a.statistic === 'pvalue' ? 'p-value falls below' : 'distance rises above'} it)${flip}`;
    },
  },
  DRIFT_BOUND_MISSING: {
    title: 'Drift check without an alert bound',
    help: 'A drift check alerts at a bound: a distance above `max`, a p-value below `min`.',
    message: (a) => `${where(a)}: ${reports(a)}, which ${statistic(a).bounded}; it has none`,
    hint: (a) =>
      a.statistic === 'pvalue'
        ? `${addTo(item(a), `{min: ${ph('MIN')}}`)} (the p-value below which to alert, e.g. 0.05)`
        : `${addTo(item(a), `{max: ${ph('MAX')}}`)} (the ${str(a.method)} above which to alert${a.method === 'psi' ? ', e.g. 0.25' : ''})`,
  },
  DRIFT_WARN_BEYOND_ALERT: {
    title: 'Drift warning beyond the alert',
    help: 'A warning comes before the alert: for a distance, warn is at most max; for a p-value, warn is at least min.',
    message: (a) =>
      `${where(a)}.warn: warn ${fmt(a.warn)} is ${a.statistic === 'pvalue' ? 'below' : 'above'} ${str(a.bound)} ${fmt(a.value)}, so the alert comes before the warning`,
    hint: (a) =>
      `${setTo([...item(a), 'warn'], ph('WARN'))} (${a.statistic === 'pvalue' ? 'at least' : 'at most'} ${str(a.bound)} ${fmt(a.value)}: the level that warns before the alert), or remove \`warn\``,
  },
} satisfies Partial<Record<Code, MessageSpec>>;
