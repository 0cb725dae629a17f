#!/usr/bin/env node
// Generates a repository with history for the benchmark of `mlops report`: N manifests (the two
// bundled examples, examples/churn and examples/forecast, copied under models/mNNNNN/ with a
// unique name, both at status monitor with value tracking, live guardrail and drift evidence),
// then V commits a day apart. Every commit changes every manifest's value-tracking report (its
// numbers varying per model and version); every fourth also its live guardrail and drift reports.
// Not all of it is clean: some versions do not parse or leave a metric out, some models fall
// below their minimum or breach a live guardrail, a tenth have stale Envision approvals, and the
// forecasts (still missing Build evidence and Deploy approvals) are not ready for what they claim.
// Built with one `git fast-import`: evidence that is the same in many folders is one blob.
//
// Build one by hand: `node test/bench/report-repo.mjs <empty folder> [manifests] [versions]`,
// then `cd <folder> && mlops report --today <the date it prints>`.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parse } from 'yaml';

const EXAMPLES = fileURLToPath(new URL('../../examples/', import.meta.url));
/** The first commit's time; each version is a day later. */
const BASE_TIME = Date.parse('2026-12-01T12:00:00Z') / 1000;
const DAY = 86400;
/** Every this many versions the live guardrail and drift reports change too. */
const LIVE_EVERY = 4;

const isoDate = (seconds) => new Date(seconds * 1000).toISOString().slice(0, 10);

/** The date to judge a repository of `versions` versions at: the day after its last commit. */
export function reportToday(versions) {
  return isoDate(BASE_TIME + versions * DAY);
}

function filesOf(dir) {
  const out = [];
  const walk = (abs, prefix) => {
    for (const e of readdirSync(abs, { withFileTypes: true })) {
      if (e.isDirectory()) walk(join(abs, e.name), `${prefix}${e.name}/`);
      else out.push([`${prefix}${e.name}`, readFileSync(join(abs, e.name), 'utf8')]);
    }
  };
  walk(dir, '');
  return out;
}

/** The files that change from version to version; every other file of the example is copied. */
const HISTORY = new Set([
  'reports/value-tracking.json',
  'reports/guardrails-live.json',
  'reports/drift.json',
]);

const EXAMPLE = Object.fromEntries(
  ['churn', 'forecast'].map((name) => {
    const files = filesOf(join(EXAMPLES, name));
    return [
      name,
      {
        manifest: files.find(([p]) => p === 'mlops.yaml')[1],
        static: files.filter(([p]) => p !== 'mlops.yaml' && !HISTORY.has(p)),
      },
    ];
  }),
);

/** Documents the forecast needs once it is deployed (the example is still in Build). */
const FORECAST_DOCS = [
  'docs/runbook.md',
  'docs/threat-model.md',
  'docs/human-oversight.md',
  'docs/instrumentation-spec.md',
  'docs/training.md',
  'docs/governance/2026-11-24-supply-chain-ai-board.md',
].map((p) => [p, `# ${p.replace(/^.*\//, '').replace(/\.md$/, '')}\n\nStore demand forecast.\n`]);

function edit(text, from, to) {
  if (!text.includes(from)) throw new Error(`the example manifest has no "${from}"`);
  return text.replace(from, to);
}

const pad = (i) => String(i).padStart(5, '0');
const kindOf = (i) => (i % 2 === 0 ? 'churn' : 'forecast');
/** 0 to 9 for the models of each kind in turn: what shape its history takes. */
const variant = (i) => Math.floor(i / 2) % 10;

const FORECAST_DEPLOY_MONITOR = `
deploy:
  dataProtection:
    personalData: false
  securityReview:
    threatModel: docs/threat-model.md
    openFindings: { critical: 0, high: 0 }
  integration:
    processChanges:
      - The replenishment engine proposes orders from the forecast instead of the moving average.
      - Planners review proposals for the top-50 promotions and record a reason for every override.
    runbook: docs/runbook.md
    rollback: Switch the engine's forecast source back to the moving average (flag replen.forecast=ma).
    humanOversight:
      mode: on_loop
      procedure: docs/human-oversight.md
    training: docs/training.md
  valueMeasurement:
    - valueMetric: forecast-error-cost
      design: ab_test
      instrumentation: docs/instrumentation-spec.md
      firstReadingBy: 2026-12-15
    - valueMetric: stockout-rate
      design: ab_test
      instrumentation: docs/instrumentation-spec.md
      firstReadingBy: 2026-12-15

monitor:
  drift:
    - id: sales-drift
      type: data
      method: psi
      bins: 10
      features: [units_sold, promo_depth, price]
      max: 0.25
      warn: 0.1
      cadence: weekly
      evidence: reports/drift.json
  valueTracking:
    cadence: weekly
    evidence: reports/value-tracking.json
    missesToTrigger: 2
  triggers:
    - on: drift_alert
      action: retrain
      owner: ds-lead
    - on: value_below_minimum
      action: reassess
      owner: aipm
    - on: guardrail_breach
      action: escalate
      owner: ops-risk
    - on: incident
      action: rollback
      owner: platform-eng
  governance:
    body: Supply Chain AI Board
    reviewCadence: quarterly
    nextReview: 2027-02-24
    evidence: docs/governance/2026-11-24-supply-chain-ai-board.md
`;

/** `sha256:` of the canonical JSON of a manifest section, as `mlops approve` signs it. */
function digestOf(section) {
  const canonical = (v) => {
    if (v === null || typeof v !== 'object') return JSON.stringify(v) ?? 'null';
    if (Array.isArray(v)) return `[${v.map(canonical).join(',')}]`;
    const keys = Object.keys(v)
      .filter((k) => v[k] !== undefined)
      .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${keys.map((k) => `${JSON.stringify(k)}:${canonical(v[k])}`).join(',')}}`;
  };
  return `sha256:${createHash('sha256').update(canonical(section)).digest('hex')}`;
}

/**
 * The forecast example moved to status monitor: its build guardrails kept to the build, a live
 * guardrail added (its Envision approval signed again over the section that now holds it), and
 * the Deploy and Monitor sections it lacked. Its Build is still what the example has (a value
 * metric without an evaluation, MAPE over its ceiling) and nobody signed its Deploy.
 */
const FORECAST_MONITOR = (() => {
  const example = EXAMPLE.forecast.manifest;
  let text = example.replace(
    /^( {10}evidence: reports\/(?:fairness|backtest|explainability)\.json\n)/gm,
    '          phases: [build]\n$1',
  );
  text = edit(
    text,
    '          max: 0.05\n          phases: [build]\n          evidence: reports/backtest.json\n',
    '          max: 0.05\n          phases: [build]\n          evidence: reports/backtest.json\n' +
      '        - id: wape-live\n          metric: wape\n          max: 0.25\n          phases: [monitor]\n' +
      '          monitor: { evidence: reports/guardrails-live.json, cadence: weekly }\n',
  );
  text = edit(
    text,
    '          min: 0.98\n          phases: [monitor]\n',
    '          min: 0.98\n          phases: [monitor]\n' +
      '          monitor: { evidence: reports/guardrails-live.json, cadence: weekly }\n',
  );
  text = edit(text, 'status: build', 'status: monitor');
  text = edit(text, '\napprovals:\n', `${FORECAST_DEPLOY_MONITOR}\napprovals:\n`);
  const before = digestOf(parse(example).envision);
  const after = digestOf(parse(text).envision);
  if (!text.includes(before)) throw new Error('the forecast example has no envision approval');
  return text.replaceAll(before, after);
})();

/**
 * Manifest `i`: an example at status monitor with a unique name and owner. One in ten changes
 * its baseline, so its Envision approvals are stale.
 */
export function reportManifest(i) {
  const staleEnvision = variant(i) === 3;
  let text;
  if (kindOf(i) === 'churn') {
    text = EXAMPLE.churn.manifest;
    text = edit(text, 'name: churn-propensity', `name: churn-propensity-${pad(i)}`);
    text = edit(text, 'name: Priya Raman\n', `name: Priya Raman ${pad(i)}\n`);
    text = edit(text, 'status: deploy', 'status: monitor');
    if (staleEnvision) text = edit(text, 'baseline: { value: 410,', 'baseline: { value: 405,');
  } else {
    text = FORECAST_MONITOR;
    text = edit(text, 'name: store-demand-forecast', `name: store-demand-forecast-${pad(i)}`);
    text = edit(text, 'name: Daniel Osei\n', `name: Daniel Osei ${pad(i)}\n`);
    if (staleEnvision) text = edit(text, 'baseline: { value: 182,', 'baseline: { value: 184,');
  }
  return text;
}

/** A number in [0, 1) fixed by its arguments. */
function noise(...xs) {
  let h = 2166136261;
  for (const x of xs) {
    h ^= x + 0x9e3779b9;
    h = Math.imul(h ^ (h >>> 15), 0x85ebca6b);
    h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
    h ^= h >>> 16;
  }
  return (h >>> 0) / 2 ** 32;
}

const round = (x, digits) => Number(x.toFixed(digits));

/**
 * The observed level of a value metric at version `v` of `versions`, between its baseline and
 * its target: most models improve with some noise; one in ten falls below the minimum for its
 * last two versions (failing), one in ten for its last version only, one in ten reaches target.
 */
function level(i, v, versions, metric, { minimum, target }) {
  const progress = Math.min(1, 0.3 + (0.5 * v) / Math.max(1, versions - 1));
  const wobble = (noise(i, v, metric) - 0.5) * 0.25;
  // 0 is the minimum, 1 the target
  let t = 0.15 + 0.7 * progress + wobble;
  const fromEnd = versions - 1 - v;
  if (variant(i) === 7 && fromEnd < 2) t = -0.6 - noise(i, v, metric, 1) * 0.3;
  if (variant(i) === 8 && fromEnd === 0) t = -0.4;
  if (variant(i) === 9 && fromEnd < 3) t = 1.05 + noise(i, v, metric, 2) * 0.1;
  // the first versions sit between baseline and minimum
  if (v < 2 && fromEnd >= 2) t = -0.3 + 0.2 * v;
  return minimum + t * (target - minimum);
}

const VALUE_METRICS = {
  churn: [
    { id: 'churn-rate', baseline: 1.9, minimum: 1.8, target: 1.6, digits: 2 },
    { id: 'retention-revenue', baseline: 410, minimum: 480, target: 620, digits: 0 },
  ],
  forecast: [
    { id: 'forecast-error-cost', baseline: 182, minimum: 165, target: 140, digits: 1 },
    { id: 'stockout-rate', baseline: 4.8, minimum: 4.3, target: 3.5, digits: 2 },
  ],
};

/**
 * The value-tracking report of manifest `i` at version `v`. A few versions do not parse (a
 * truncated upload), a few leave a metric out; in some models the newest version does.
 */
function valueTracking(kind, i, v, versions) {
  const newest = v === versions - 1;
  if ((i % 17 === 3 && v % 7 === 5) || (i % 53 === 11 && newest))
    return `{\n  "generatedAt": "${isoDate(BASE_TIME + v * DAY)}T06:00:00Z",\n  "metrics": {\n    "${VALUE_METRICS[kind][0].id}": 1.`;
  const metrics = {};
  for (const [n, m] of VALUE_METRICS[kind].entries()) {
    if (n === 1 && ((i % 13 === 4 && v % 6 === 2) || (i % 59 === 9 && newest))) continue;
    metrics[m.id] = round(level(i, v, versions, n, m), m.digits);
  }
  return `${JSON.stringify(
    {
      generatedAt: `${isoDate(BASE_TIME + v * DAY)}T06:00:00Z`,
      tool: 'value_tracking 1.2.0',
      period: isoDate(BASE_TIME + (v - 1) * DAY),
      model: kind === 'churn' ? `churn-propensity-${pad(i)}` : `store-demand-forecast-${pad(i)}`,
      metrics,
    },
    null,
    2,
  )}\n`;
}

/** The live guardrail report of manifest `i` as of version `v` (one in eleven breaches late on). */
function guardrailsLive(kind, i, v) {
  const breach = i % 11 === 5 && v >= 16;
  const at = { generatedAt: `${isoDate(BASE_TIME + v * DAY)}T05:00:00Z`, version: v };
  if (kind === 'churn') {
    const age = round(breach ? 0.76 + noise(i, v, 3) * 0.03 : 0.84 + noise(i, v, 3) * 0.1, 3);
    const gender = round(0.9 + noise(i, v, 4) * 0.08, 3);
    return `${JSON.stringify(
      {
        ...at,
        tool: 'kestrel-mlkit monitor 3.9.0',
        metrics: {
          disparate_impact_ratio: Math.min(age, gender),
          explanation_coverage: round(0.991 + noise(i, v, 5) * 0.008, 4),
          opted_out_customers_scored: 0,
          max_retention_contacts_30d: 2,
          decision_log_completeness: round(0.992 + noise(i, v, 6) * 0.007, 4),
        },
        groups: {
          age_band: { disparate_impact_ratio: age },
          gender: { disparate_impact_ratio: gender },
        },
      },
      null,
      2,
    )}\n`;
  }
  return `${JSON.stringify(
    {
      ...at,
      tool: 'marlow-forecast monitor 0.9.2',
      metrics: {
        wape: round(breach ? 0.26 + noise(i, v, 7) * 0.03 : 0.19 + noise(i, v, 7) * 0.05, 4),
        override_reason_completeness: round(0.981 + noise(i, v, 8) * 0.018, 4),
      },
    },
    null,
    2,
  )}\n`;
}

function driftReport(kind, i, v) {
  const psi = (salt) => round(0.01 + noise(i, v, salt) * 0.08, 3);
  const metrics =
    kind === 'churn'
      ? { 'feature-drift': psi(9), 'score-drift': psi(10), 'outcome-drift': psi(11) / 2 }
      : { 'sales-drift': psi(12) };
  return `${JSON.stringify({ generatedAt: `${isoDate(BASE_TIME + v * DAY)}T04:00:00Z`, metrics }, null, 2)}\n`;
}

/** The repository's config: its approvals count as recorded (anyone recorded them). */
const CONFIG = 'apiVersion: mlops/v1\nkind: Config\napprovals:\n  identity: recorded\n';

function gitRun(dir, args, input) {
  return execFileSync('git', args, {
    cwd: dir,
    input,
    maxBuffer: 1 << 30,
    env: {
      ...process.env,
      GIT_CONFIG_NOSYSTEM: '1',
      GIT_CONFIG_GLOBAL: '/dev/null',
      // fast-import grows and trims its heap for every object: with glibc, half its time
      MALLOC_TOP_PAD_: String(256 << 20),
      MALLOC_TRIM_THRESHOLD_: String(256 << 20),
    },
  });
}

/**
 * Builds the repository in `dir` (an empty folder): `versions` commits on main, checked out
 * unless `checkout` is false. Returns the number of tracked files, of commits, and the date to
 * judge it at (`today`).
 */
export function buildReportRepo(dir, count = 1000, versions = 24, { checkout = true } = {}) {
  if (versions < 1) throw new Error('a repository needs at least one version');
  gitRun(dir, ['init', '-q', '-b', 'main']);
  gitRun(dir, ['config', 'gc.auto', '0']);
  const chunks = [];
  let mark = 1;
  const marks = new Map();
  const blob = (content) => {
    let m = marks.get(content);
    if (m !== undefined) return m;
    m = mark++;
    marks.set(content, m);
    const buf = Buffer.from(content);
    chunks.push(Buffer.from(`blob\nmark :${m}\ndata ${buf.length}\n`), buf, Buffer.from('\n'));
    return m;
  };
  let files = 0;
  for (let v = 0; v < versions; v++) {
    const ops = [];
    const live = v % LIVE_EVERY === 0;
    for (let i = 0; i < count; i++) {
      const kind = kindOf(i);
      const folder = `models/m${pad(i)}`;
      const put = (path, content) => ops.push(`M 100644 :${blob(content)} ${folder}/${path}`);
      if (v === 0) {
        put('mlops.yaml', reportManifest(i));
        for (const [path, content] of EXAMPLE[kind].static) put(path, content);
        if (kind === 'forecast') for (const [path, content] of FORECAST_DOCS) put(path, content);
      }
      put('reports/value-tracking.json', valueTracking(kind, i, v, versions));
      if (live) {
        put('reports/guardrails-live.json', guardrailsLive(kind, i, v));
        put('reports/drift.json', driftReport(kind, i, v));
      }
    }
    if (v === 0) {
      files = ops.length + 1;
      ops.push(`M 100644 :${blob(CONFIG)} mlops.config.yaml`);
    }
    const time = BASE_TIME + v * DAY;
    const message = v === 0 ? `${count} models in monitor` : `value tracking, day ${v + 1}`;
    // a different author each day, so the pages have more than one name to show
    const who = v % 3 === 0 ? 'Monitor Bot <monitor@example.com>' : 'Ana Analyst <ana@example.com>';
    chunks.push(
      Buffer.from(
        `commit refs/heads/main\nauthor ${who} ${time} +0000\ncommitter ${who} ${time + 60} +0000\n` +
          `data ${Buffer.byteLength(message)}\n${message}\n${ops.join('\n')}\n\n`,
      ),
    );
  }
  gitRun(dir, ['-c', 'core.compression=1', 'fast-import', '--quiet'], Buffer.concat(chunks));
  if (checkout) {
    gitRun(dir, ['reset', '-q', '--hard', 'main']);
    // Files written in the same second as the index are "racily clean" and git re-reads them on
    // every status; a repository people work in is not like that, so let a second pass and
    // refresh the index once before timing.
    execFileSync('sleep', ['1.2']);
    gitRun(dir, ['update-index', '-q', '--really-refresh']);
  }
  return { files, commits: versions, today: reportToday(versions) };
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  const [dirArg, countArg, versionsArg] = process.argv.slice(2);
  if (!dirArg) {
    console.error('usage: node test/bench/report-repo.mjs <empty folder> [manifests] [versions]');
    process.exit(2);
  }
  const dir = resolve(dirArg);
  mkdirSync(dir, { recursive: true });
  if (readdirSync(dir).length > 0) {
    console.error(`${dir} is not empty: name an empty or new folder`);
    process.exit(2);
  }
  const t0 = Date.now();
  const r = buildReportRepo(dir, Number(countArg ?? 1000), Number(versionsArg ?? 24));
  console.log(
    `${dir}: ${Number(countArg ?? 1000)} manifests, ${r.files} tracked files, ${r.commits} commits ` +
      `(built in ${((Date.now() - t0) / 1000).toFixed(1)} s); judge it with --today ${r.today}`,
  );
}
