/**
 * Every hint is a promise: a newcomer does literally what it says, and it works. Each scenario
 * breaks one thing in a repository, runs `check`, `validate` or `diff` through the built CLI,
 * takes the hint of the finding as printed and performs it: the commands in backticks are run as
 * they are (`mlops` and `npx mlops` run the built CLI), an edit ("add to `path`: `{…}`", "set
 * `path` to `value`") is applied with its placeholders ("NAME") filled in, the fix data of the
 * JSON output is applied where a hint names no edit, and words that name no command or edit
 * ("create docs/x.md") are done by the scenario. Then the finding must be gone, or have moved
 * to the next step the scenario names. Every readiness rule and every finding code has a
 * scenario, or is listed in NO_SCENARIO with the reason.
 */
import { execFile, spawnSync } from 'node:child_process';
import {
  appendFileSync,
  cpSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  realpathSync,
  rmSync,
  symlinkSync,
  truncateSync,
  unlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isMap, isSeq, parse, parseDocument } from 'yaml';
import { invocation } from '../../src/cli/invocation.js';
import { RULES } from '../../src/core/check/registry.js';
import { CODES } from '../../src/core/codes/index.js';
import type { Code } from '../../src/core/codes/index.js';
import { BIN } from '../helpers/bin.js';
import { runCli } from '../helpers/cli.js';

const BASE = new URL('../fixtures/hints/base/', import.meta.url).pathname;
const EXAMPLES = new URL('../../examples/', import.meta.url).pathname;
const ROOT = new URL('../../', import.meta.url).pathname;
const M = 'models/demand/mlops.yaml';
const MODEL = 'models/demand';

/** What every process of the suite runs with: no color, no user git config, no npm around. */
const ENV: Record<string, string> = (() => {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env))
    if (v !== undefined && !k.startsWith('npm_') && k !== 'FORCE_COLOR') env[k] = v;
  return {
    ...env,
    NO_COLOR: '1',
    GIT_CONFIG_NOSYSTEM: '1',
    GIT_CONFIG_GLOBAL: '/dev/null',
    GIT_AUTHOR_NAME: 'Test',
    GIT_AUTHOR_EMAIL: 'test@example.com',
    GIT_COMMITTER_NAME: 'Test',
    GIT_COMMITTER_EMAIL: 'test@example.com',
  };
})();

interface Ran {
  code: number;
  stdout: string;
  stderr: string;
}

/** Temporary folders, removed once every test has run (scenarios run concurrently). */
const temporary: string[] = [];
function tempDir(prefix: string): string {
  const dir = realpathSync(mkdtempSync(join(tmpdir(), prefix)));
  temporary.push(dir);
  return dir;
}

/** The same as `spawn`, without blocking: scenarios wait for their CLI runs together. */
function spawnAsync(cmd: string, args: string[], cwd: string, env = ENV): Promise<Ran> {
  return new Promise((resolve) => {
    const child = execFile(
      cmd,
      args,
      { cwd, env, encoding: 'utf8', timeout: 60_000, maxBuffer: 64 * 1024 * 1024 },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : -1) : 0;
        resolve({ code, stdout, stderr });
      },
    );
    child.stdin?.end();
  });
}

function spawn(cmd: string, args: string[], cwd: string, env = ENV): Ran {
  const r = spawnSync(cmd, args, { cwd, env, encoding: 'utf8', input: '', timeout: 60_000 });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

const mlops = (args: string[], cwd: string): Ran => spawn(process.execPath, [BIN, ...args], cwd);

function git(cwd: string, ...args: string[]): string {
  const r = spawn('git', args, cwd);
  if (r.code !== 0) throw new Error(`git ${args.join(' ')}: ${r.stderr}`);
  return r.stdout;
}

function commitAll(dir: string, message: string, date?: string): void {
  git(dir, 'add', '-A');
  const env = date ? { ...ENV, GIT_AUTHOR_DATE: date, GIT_COMMITTER_DATE: date } : ENV;
  const r = spawn('git', ['commit', '-q', '-m', message], dir, env);
  if (r.code !== 0) throw new Error(`git commit: ${r.stdout}${r.stderr}`);
}

/**
 * Runs a command of a hint as it is printed, in bash: `mlops` and `npx mlops` are the built
 * CLI, everything else is what the shell finds.
 */
function hintedScript(command: string): string {
  const prelude = [
    `mlops() { ${JSON.stringify(process.execPath)} ${JSON.stringify(BIN)} "$@"; }`,
    `npx() { if [ "$1" = mlops ]; then shift; mlops "$@"; else echo "npx $1: not in a hint" >&2; return 127; fi; }`,
  ].join('\n');
  return `${prelude}\n${command}`;
}

const runHinted = (command: string, cwd: string): Ran =>
  spawn('bash', ['-c', hintedScript(command)], cwd);
const runHintedAsync = (command: string, cwd: string): Promise<Ran> =>
  spawnAsync('bash', ['-c', hintedScript(command)], cwd);

// ---------------------------------------------------------------------------------------------
// The repository every scenario starts from: the base manifest, ready in all four phases, with
// its evidence and its three sign-offs committed.

let template = '';
beforeAll(() => {
  template = realpathSync(mkdtempSync(join(tmpdir(), 'mlops-hints-')));
  git(template, 'init', '-q', '-b', 'main');
  git(template, 'config', 'commit.gpgSign', 'false');
  git(template, 'config', 'gc.auto', '0');
  cpSync(BASE, template, { recursive: true });
  commitAll(template, 'demand forecast');
  for (const phase of ['envision', 'build', 'deploy']) {
    const r = mlops(['approve', M, '--phase', phase, '--by', 'dm'], template);
    if (r.code !== 0) throw new Error(r.stderr);
  }
  commitAll(template, 'sign off');
  const ready = mlops(['check', '--phase', 'monitor'], template);
  if (ready.code !== 0) throw new Error(`the base is not ready:\n${ready.stdout}${ready.stderr}`);
  // five runs of the CLI and four commits, on a machine busy with the other suites
}, 120_000);
afterAll(() => {
  if (template) rmSync(template, { recursive: true, force: true });
  for (const dir of temporary) rmSync(dir, { recursive: true, force: true });
});

/** A fresh copy of the base repository. */
function repo(): string {
  const dir = tempDir('mlops-hint-');
  cpSync(template, dir, { recursive: true });
  return dir;
}

/** Edits the YAML file at `file` (relative to `dir`) as data; comments and layout may change. */
function editYaml(dir: string, file: string, fn: (doc: ReturnType<typeof parseDocument>) => void) {
  const doc = parseDocument(readFileSync(join(dir, file), 'utf8'));
  fn(doc);
  writeFileSync(join(dir, file), doc.toString());
}

const editManifest = (dir: string, fn: (doc: ReturnType<typeof parseDocument>) => void): void =>
  editYaml(dir, M, fn);

function write(dir: string, file: string, text: string): void {
  mkdirSync(dirname(join(dir, file)), { recursive: true });
  writeFileSync(join(dir, file), text);
}

// ---------------------------------------------------------------------------------------------
// Findings as the JSON outputs give them, and their hints as the text output prints them.

type Fix =
  | { kind: 'command'; argv: string[] }
  | { kind: 'edit'; op: 'set' | 'add' | 'remove'; path: (string | number)[]; value?: unknown };

interface Shown {
  code: string;
  hint?: string;
  fix?: Fix;
  path: (string | number)[];
  fingerprint?: string;
  level: string;
  rule?: string;
  args?: Record<string, unknown>;
}

type Command = 'check' | 'validate' | 'diff';

const ARGS: Record<Command, string[]> = {
  check: ['check', '--phase', 'monitor'],
  validate: ['validate', M],
  diff: ['diff', 'main'],
};

/* eslint-disable @typescript-eslint/no-explicit-any */
function findingsOf(command: Command, json: any): Shown[] {
  const out: Shown[] = [];
  if (command === 'check') {
    for (const m of json.manifests) {
      for (const f of m.invalid ?? [])
        out.push({ code: f.code, hint: f.hint, fix: f.action, path: f.path, level: f.severity });
      for (const p of m.phases)
        for (const r of p.rules)
          for (const f of r.findings)
            out.push({
              code: f.code,
              hint: f.fix,
              fix: f.action,
              path: f.at,
              fingerprint: f.fingerprint,
              level: f.severity,
              rule: r.id,
              args: f.args,
            });
    }
  } else if (command === 'validate') {
    for (const f of json.diagnostics)
      out.push({
        code: f.code,
        hint: f.hint,
        fix: f.fix,
        path: f.path,
        fingerprint: f.fingerprint,
        level: f.severity,
        args: f.args,
      });
  } else {
    for (const f of [...json.changes, ...json.findings])
      out.push({
        code: f.code,
        hint: f.hint,
        fix: f.fix,
        path: f.path ?? [],
        fingerprint: f.fingerprint,
        level: f.level,
      });
  }
  return out;
}
/* eslint-enable @typescript-eslint/no-explicit-any */

/** Runs a command with its JSON written aside, and returns the findings and the text printed. */
async function look(
  command: Command,
  dir: string,
  extra: string[] = [],
  argv = ARGS[command],
): Promise<{ found: Shown[]; text: string }> {
  const out = join(tempDir('mlops-hint-json-'), 'out.json');
  const r = await spawnAsync(
    process.execPath,
    [BIN, ...argv, ...extra, '--format', 'text', '--format', `json=${out}`],
    dir,
  );
  expect(r.code, `${command} failed to run:\n${r.stderr}`).not.toBe(2);
  return { found: findingsOf(command, JSON.parse(readFileSync(out, 'utf8'))), text: r.stdout };
}

/** How mlops is spelled in a hint, made one: the suite runs both as the built CLI. */
const oneSpelling = (s: string): string => s.replace(/`npx mlops /g, '`mlops ');

// ---------------------------------------------------------------------------------------------
// Following a hint.

/** The first way a hint offers: its words up to the first ", or " (or ", or, ") outside backticks. */
function firstWay(hint: string): string {
  let code = false;
  for (let i = 0; i < hint.length; i++) {
    if (hint[i] === '`') code = !code;
    else if (!code && (hint.startsWith(', or ', i) || hint.startsWith(', or, ', i)))
      return hint.slice(0, i);
  }
  return hint;
}

type Step =
  | { kind: 'edit'; op: 'add' | 'set'; path: string; value: string }
  | { kind: 'run'; command: string };

/** Programs a hint's command may start with. */
const PROGRAM = /^(?:npx mlops|mlops|git|cd|chmod|iconv)\s/;

/** The edits and commands of the first way a hint offers, in the order it names them. */
function stepsOf(hint: string): Step[] {
  const steps: Step[] = [];
  const re = /(add to|set) `([^`]+)`(?::| to) `([^`]+)`|`([^`]+)`/g;
  for (const m of firstWay(hint).matchAll(re)) {
    if (m[1])
      steps.push({ kind: 'edit', op: m[1] === 'set' ? 'set' : 'add', path: m[2]!, value: m[3]! });
    else if (PROGRAM.test(m[4]!)) steps.push({ kind: 'run', command: m[4]! });
  }
  return steps;
}

/** Values for placeholders, as text to put in their place (YAML and shell read them alike). */
const FILL: Record<string, string> = {
  STAKEHOLDER_ID: 'dm',
  NAME: '"Robin Kay"',
  METRIC_ID: 'stock-days',
  UNIT: 'days',
  DIRECTION: 'decrease',
  BASELINE: '12',
  TARGET: '9',
  CADENCE: 'weekly',
  TITLE: '"Orders are placed twice"',
  DIMENSION: 'robustReliable',
  LIKELIHOOD: '2',
  IMPACT: '2',
  TREATMENT: 'mitigate',
  MITIGATION: '"Orders are deduplicated."',
  LINE_OF_DEFENSE: '1',
  WHY: '"Reviewed by the model board."',
  GUARDRAIL_ID: 'second-gap',
  METRIC: 'error_gap',
  MAX: '0.1',
  EVIDENCE_FILE: 'reports/metrics.json',
  CANDIDATE_ID: 'gbm',
  EVALUATION_ID: 'gbm-waste-again',
  MODEL_CARD_FILE: 'docs/model-card.md',
  DATASHEET_FILE: 'docs/model-card.md',
  DPIA_FILE: 'docs/dpia.md',
  THREAT_MODEL_FILE: 'docs/threat-model.md',
  RUNBOOK_FILE: 'docs/runbook.md',
  PROCEDURE_FILE: 'docs/runbook.md',
  LAWFUL_BASIS: '"contract"',
  HOW_TO_ROLL_BACK: '"Switch back to the moving average."',
  DESIGN: 'holdout',
  ACTION: 'reassess',
  BODY: '"Model board"',
  'YYYY-MM-DD': '2099-01-01',
  VALUE_METRIC_ID: 'waste-cost',
  FOLDER: MODEL,
  FILE: M,
  VERSION: '2.0.0',
  MINIMUM: '11',
  TOLERANCE: '1',
  RATIONALE: '"Offers launch in Q1."',
  LIVE_EVIDENCE_FILE: 'reports/live.json',
  VALUE_REPORT_FILE: 'reports/value-tracking.json',
  DRIFT_REPORT_FILE: 'reports/drift.json',
  DRIFT_ID: 'demand-psi',
  DRIFT_TYPE: 'data',
  MIN: '0.05',
  WARN: '0.1',
  RISK_ID: 'double-orders',
  GROUP: 'small-stores',
  OTHER_GROUP: 'large-stores',
  HYPOTHESIS: '"If we forecast store demand, then less food is wasted."',
  POINT: '"5(b)"',
  DATASET_ID: 'sales-2025',
  URI: '"s3://demand/sales-2025"',
  ROLE: 'domain_expert',
  ORIGIN: '"Till receipts of every store since 2019."',
  PREPARATION: '"Returns removed, aggregated per store and day."',
  BIAS_EXAMINATION: '"Small and large stores compared; small stores weighted up."',
  GAPS: '"Holidays before 2020 are missing; the model is not used on them."',
  LOGGING_SPEC_FILE: 'docs/logging.md',
  INSTRUCTIONS_FILE: 'docs/instructions.md',
  QMS_FILE: 'docs/qms.md',
  ASSESSMENT_FILE: 'docs/conformity.md',
  DECLARATION_FILE: 'docs/declaration.md',
  REGISTRATION_NUMBER: '"EU-AI-0000001"',
  FRIA_FILE: 'docs/fria.md',
  DISCLOSURE_FILE: 'docs/disclosure.md',
  PLAN_FILE: 'docs/post-market.md',
  INCIDENT_PROCEDURE_FILE: 'docs/incidents.md',
};

function fill(text: string, values: Record<string, string>): string {
  return text.replace(/"([A-Z][A-Z0-9_-]*)"/g, (_, name: string) => {
    const v = values[name];
    if (v === undefined) throw new Error(`no value for the placeholder ${name} in: ${text}`);
    return v;
  });
}

/** `envision.valueMetrics[0]` as path segments. */
function pathOf(text: string): (string | number)[] {
  const out: (string | number)[] = [];
  for (const m of text.matchAll(/([^.[\]]+)|\[(\d+)\]|\["((?:[^"\\]|\\.)*)"\]/g)) {
    if (m[2] !== undefined) out.push(Number(m[2]));
    else if (m[3] !== undefined) out.push(JSON.parse(`"${m[3]}"`) as string);
    else out.push(m[1]!);
  }
  return out;
}

/** Keys that hold lists: "add to" one appends its item. */
const LISTS = new Set([
  'stakeholders',
  'valueMetrics',
  'risks',
  'guardrails',
  'candidates',
  'evaluations',
  'datasets',
  'valueMeasurement',
  'drift',
  'triggers',
  'waivers',
  'approvals',
  'reassessments',
]);

function applyEdit(
  dir: string,
  file: string,
  step: Extract<Step, { kind: 'edit' }>,
  values: Record<string, string>,
) {
  const path = pathOf(step.path);
  const value: unknown = parse(fill(step.value, values));
  editYaml(dir, file, (doc) => {
    if (step.op === 'set') {
      doc.setIn(path, value);
      return;
    }
    const node = doc.getIn(path, true);
    if (isSeq(node)) {
      for (const item of Array.isArray(value) ? value : [value]) node.add(doc.createNode(item));
    } else if (isMap(node) && value !== null && typeof value === 'object') {
      for (const [k, v] of Object.entries(value)) node.set(k, doc.createNode(v));
    } else if (node === undefined || node === null) {
      const list = LISTS.has(String(path[path.length - 1]));
      doc.setIn(path, list && !Array.isArray(value) ? [value] : value);
    } else {
      throw new Error(`cannot add to ${step.path}`);
    }
  });
}

function applyFix(dir: string, file: string, fix: Extract<Fix, { kind: 'edit' }>): void {
  editYaml(dir, file, (doc) => {
    if (fix.op === 'remove') doc.deleteIn(fix.path);
    else doc.setIn(fix.path, fix.value);
  });
}

/**
 * Performs a hint: its edits and commands in order, or the finding's fix data when the hint
 * names no edit. Returns what it did, for the failure message.
 */
async function perform(
  f: Shown,
  dir: string,
  file: string,
  values: Record<string, string>,
): Promise<string[]> {
  const done: string[] = [];
  const steps = f.hint ? stepsOf(f.hint) : [];
  if (!steps.some((s) => s.kind === 'edit') && f.fix?.kind === 'edit') {
    applyFix(dir, file, f.fix);
    done.push(`fix: ${JSON.stringify(f.fix)}`);
  }
  for (const step of steps) {
    if (step.kind === 'edit') {
      applyEdit(dir, file, step, values);
      done.push(`${step.op} ${step.path}: ${fill(step.value, values)}`);
      continue;
    }
    const command = fill(step.command, values);
    const r = await runHintedAsync(command, dir);
    // `mlops diff` and `mlops check` exit 1 when they find something: that is their answer
    const answered = /^(?:npx )?mlops (?:diff|check)\b/.test(command) ? r.code <= 1 : r.code === 0;
    expect(answered, `\`${command}\` failed (${r.code}):\n${r.stdout}${r.stderr}`).toBe(true);
    done.push(`$ ${command}\n${r.stdout}`);
  }
  return done;
}

// ---------------------------------------------------------------------------------------------
// Scenarios.

interface Scenario {
  /** The code whose hint is followed. */
  code: Code;
  /** For check: the rule that reports it. */
  rule?: string;
  command?: Command;
  /** Breaks the base repository. */
  setup(dir: string): void;
  /** Which of the findings of `code` (default: the first). */
  pick?(f: Shown): boolean;
  /** Placeholder values besides FILL. */
  fill?: Record<string, string>;
  /** The words of the hint this scenario does itself (no command or edit names them). */
  words?: RegExp;
  /** Does those words, before the hint's commands and edits run. */
  before?(dir: string, f: Shown): void;
  /** Does the whole hint itself (its words say how); `perform` is not called. */
  follow?(dir: string, f: Shown): void;
  /** Codes the finding moves on to (the next step), when it is not simply gone. */
  next?: Code[];
  /** Says the finding moved on, when its fingerprint stays: the diff's change was acknowledged. */
  moved?(after: Shown[], before: Shown): boolean;
  /** The file edits apply to (default: the manifest). */
  file?: string;
  /** Extra arguments of the command. */
  args?: string[];
  /** The command line, instead of the usual one of `command`. */
  argv?: string[];
  /** After the hint, the command finds no error at all: it leaves no new problem behind. */
  valid?: boolean;
}

async function runScenario(name: string, s: Scenario): Promise<void> {
  const command = s.command ?? 'check';
  const dir = repo();
  s.setup(dir);
  const { found, text } = await look(command, dir, s.args, s.argv);
  const target = found.find(
    (f) => f.code === s.code && (!s.rule || f.rule === s.rule) && (!s.pick || s.pick(f)),
  );
  expect(
    target,
    `${name}: no ${s.code} among ${found.map((f) => f.code).join(', ')}\n${text}`,
  ).toBeDefined();
  const f = target!;
  if (f.hint) {
    // the hint the JSON carries is the one printed
    expect(oneSpelling(text)).toContain(oneSpelling(f.hint));
    // a placeholder never reads as a shell redirect
    expect(f.hint).not.toMatch(/`[^`]*<[^`]*>[^`]*`/);
  }
  if (s.words) expect(f.hint).toMatch(s.words);
  const values = { ...FILL, ...s.fill };
  let done: string[] = [];
  if (s.follow) s.follow(dir, f);
  else {
    s.before?.(dir, f);
    done = await perform(f, dir, s.file ?? M, values);
    expect(
      done.length + (s.before ? 1 : 0),
      `${name}: the hint names nothing to do: ${f.hint}`,
    ).toBeGreaterThan(0);
  }
  const { found: after, text: shown } = await look(command, dir, s.args, s.argv);
  const still = after.find((x) => x.code === f.code && x.fingerprint === f.fingerprint);
  const moved = s.moved?.(after, f) ?? false;
  expect(
    still === undefined || moved,
    `${name}: ${f.code} is still there after following "${f.hint}":\n${done.join('\n')}\n${shown}`,
  ).toBe(true);
  if (command === 'check')
    // what a hint names leaves a manifest that validates: an edit names every key it needs
    expect(
      after.filter((x) => x.rule === undefined).map((x) => `${x.code}: ${x.hint ?? ''}`),
      `${name}: the manifest no longer validates after following "${f.hint}"`,
    ).toEqual([]);
  if (s.valid)
    expect(
      after.filter((x) => x.level === 'error').map((x) => `${x.code}: ${x.hint ?? ''}`),
      `${name}: following "${f.hint}" left errors`,
    ).toEqual([]);
  for (const code of s.next ?? [])
    expect(
      after.map((x) => x.code),
      `${name}: the next step ${code}`,
    ).toContain(code);
}

const set =
  (path: (string | number)[], value: unknown) =>
  (doc: ReturnType<typeof parseDocument>): void => {
    doc.setIn(path, value);
  };
const del =
  (path: (string | number)[]) =>
  (doc: ReturnType<typeof parseDocument>): void => {
    doc.deleteIn(path);
  };

/** Edits the manifest and commits it with the rest of the working tree. */
function committed(...edits: ((doc: ReturnType<typeof parseDocument>) => void)[]) {
  return (dir: string): void => {
    editManifest(dir, (doc) => edits.forEach((e) => e(doc)));
    commitAll(dir, 'break it');
  };
}

const GUARDRAIL = ['envision', 'trustworthyAI', 'robustReliable', 'guardrails', 0];
const GAP = ['envision', 'trustworthyAI', 'fairImpartial', 'guardrails', 0];
const METRICS = `${MODEL}/reports/metrics.json`;
const LIVE = `${MODEL}/reports/live.json`;
const DRIFT = `${MODEL}/reports/drift.json`;
const VALUE = `${MODEL}/reports/value.json`;
const CARD = `${MODEL}/docs/model-card.md`;

/** A drift check that reads a p-value: alert below min, warn below warn. */
const KS = {
  id: 'demand-ks',
  type: 'data',
  method: 'ks',
  statistic: 'pvalue',
  min: 0.05,
  warn: 0.1,
  cadence: 'weekly',
  evidence: 'reports/drift.json',
};

/** The same test, its p-value written as if it were a distance: `method: ks, max: 0.05`. */
const KS_AS_DISTANCE = {
  id: 'demand-ks',
  type: 'data',
  method: 'ks',
  max: 0.05,
  cadence: 'weekly',
  evidence: 'reports/drift.json',
};

/** The projections of the selected candidate (gbm) and the baseline candidate (moving-average). */
const projections = (gbm: number | undefined, baseline: number): string =>
  `${JSON.stringify({
    ...(gbm !== undefined ? { projected_waste_cost: gbm } : {}),
    candidates: { 'moving-average': { projected_waste_cost: baseline } },
  })}\n`;

/** The fairness guardrail names two groups, and both reports hold the values given of each. */
function grouped(small: number, large: number): (dir: string) => void {
  return (dir) => {
    const groups = { 'small-stores': { error_gap: small }, 'large-stores': { error_gap: large } };
    write(dir, METRICS, `${JSON.stringify({ metrics: { error_gap: 0.05, wape: 0.2 }, groups })}\n`);
    write(dir, LIVE, `${JSON.stringify({ metrics: { error_gap: 0.04, wape: 0.22 }, groups })}\n`);
    editManifest(dir, set([...GAP, 'groups'], ['small-stores', 'large-stores']));
    commitAll(dir, 'by group');
  };
}

/** A reassessment of the value, recorded and committed: signed off by the decision maker or not. */
function reassessed(r: Record<string, unknown>, signed: boolean) {
  return (dir: string): void => {
    const item = {
      id: 'q1-review',
      date: '2025-01-15',
      rationale: 'Waste fell less than planned.',
      decider: 'dm',
      ...r,
    };
    editManifest(dir, set(['monitor', 'reassessments'], [item]));
    if (signed) {
      const a = mlops(['approve', M, '--reassessment', item.id, '--by', 'dm'], dir);
      if (a.code !== 0) throw new Error(a.stderr);
    }
    commitAll(dir, 'reassessed');
  };
}

/** The date `days` from today (the real one: hints are followed at the date they are given). */
const inDays = (days: number): string =>
  new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);

/** A waiver of guardrail wape-ceiling (B3), expiring in `days`. */
const WAIVE_WAPE = (days: number) => ({
  id: 'waive-b3-wape',
  rule: 'B3',
  target: 'wape-ceiling',
  reason: 'Retraining on the new promotions is planned.',
  owner: 'ds',
  expires: inDays(days),
});

/** The wape report out of bounds, and a waiver of it, committed; approved by dm or not. */
function waived(days: number, approved: boolean) {
  return (dir: string): void => {
    write(dir, METRICS, '{ "metrics": { "error_gap": 0.05, "wape": 0.5 } }\n');
    editManifest(dir, set(['waivers'], [WAIVE_WAPE(days)]));
    commitAll(dir, 'waive wape');
    if (approved) {
      const a = mlops(['approve', M, '--waiver', 'waive-b3-wape', '--by', 'dm'], dir);
      if (a.code !== 0) throw new Error(a.stderr);
      commitAll(dir, 'approve the waiver');
    }
  };
}

const CHECK: Record<string, Scenario> = {
  'evidence not committed, named by two guardrails: one command commits it once': {
    code: 'EVIDENCE_UNTRACKED',
    rule: 'G1',
    setup(dir) {
      write(
        dir,
        `${MODEL}/reports/fresh.json`,
        '{ "metrics": { "error_gap": 0.05, "wape": 0.2 } }\n',
      );
      editManifest(dir, (doc) => {
        doc.setIn([...GUARDRAIL, 'evidence'], 'reports/fresh.json');
        doc.setIn([...GAP, 'evidence'], 'reports/fresh.json');
      });
      git(dir, 'add', M);
      commitAll(dir, 'new report, not committed');
      git(dir, 'rm', '-q', '--cached', `${MODEL}/reports/fresh.json`);
      git(dir, 'commit', '-q', '-m', 'untrack');
    },
    before(_dir, f) {
      const adds = /git add ([^&]*)&&/.exec(f.hint!)![1]!.trim().split(/\s+/);
      expect(adds).toEqual([`${MODEL}/reports/fresh.json`]);
    },
  },
  'evidence missing': {
    code: 'EVIDENCE_MISSING',
    rule: 'G1',
    setup: committed(set(['build', 'modelCard'], 'docs/card.md')),
    words: /^create models\/demand\/docs\/card\.md and commit it/,
    before: (dir) => write(dir, `${MODEL}/docs/card.md`, '# Model card\n'),
  },
  'evidence deleted': {
    code: 'EVIDENCE_DELETED',
    rule: 'G1',
    setup: (dir) => unlinkSync(join(dir, CARD)),
  },
  'evidence modified': {
    code: 'EVIDENCE_MODIFIED',
    rule: 'G1',
    setup: (dir) => appendFileSync(join(dir, CARD), 'More.\n'),
  },
  'evidence staged': {
    code: 'EVIDENCE_STAGED',
    rule: 'G1',
    setup(dir) {
      appendFileSync(join(dir, CARD), 'More.\n');
      git(dir, 'add', CARD);
    },
  },
  'evidence that does not match its sha256': {
    code: 'EVIDENCE_SHA256_MISMATCH',
    rule: 'G1',
    setup: committed(
      set(['build', 'modelCard'], { path: 'docs/model-card.md', sha256: 'a'.repeat(64) }),
    ),
  },
  'evidence at an absolute path': {
    code: 'EVIDENCE_ABSOLUTE',
    rule: 'G1',
    setup: committed(set(['build', 'modelCard'], '/srv/docs/model-card.md')),
    words: /write the path relative to the manifest's folder/,
    follow: (dir) => editManifest(dir, set(['build', 'modelCard'], 'docs/model-card.md')),
  },
  'evidence outside the repository': {
    code: 'EVIDENCE_OUTSIDE',
    rule: 'G1',
    setup: committed(set(['build', 'modelCard'], '../../../card.md')),
    words: /move the file into the repository and write its path relative to the manifest's folder/,
    follow: (dir) => editManifest(dir, set(['build', 'modelCard'], 'docs/model-card.md')),
  },
  'evidence that is a link out of the repository': {
    code: 'EVIDENCE_LINK_OUTSIDE',
    rule: 'G1',
    setup(dir) {
      const outside = tempDir('mlops-hint-outside-');
      writeFileSync(join(outside, 'card.md'), '# Card\n');
      unlinkSync(join(dir, CARD));
      symlinkSync(join(outside, 'card.md'), join(dir, CARD));
      commitAll(dir, 'link');
    },
    words: /replace the link with the file itself, committed in the repository/,
    follow(dir) {
      unlinkSync(join(dir, CARD));
      writeFileSync(join(dir, CARD), '# Card\n');
      commitAll(dir, 'the file itself');
    },
  },
  'evidence that is a folder': {
    code: 'EVIDENCE_NOT_A_FILE',
    rule: 'G1',
    setup: committed(set(['build', 'modelCard'], 'docs')),
    words: /point the evidence at a file/,
    follow: (dir) => editManifest(dir, set(['build', 'modelCard'], 'docs/model-card.md')),
  },
  'evidence that is a FIFO': {
    code: 'EVIDENCE_SPECIAL_FILE',
    rule: 'G1',
    setup(dir) {
      editManifest(dir, set(['build', 'modelCard'], 'docs/pipe.md'));
      commitAll(dir, 'pipe');
      spawn('mkfifo', [join(dir, MODEL, 'docs/pipe.md')], dir);
    },
    words: /point the evidence at a regular file committed in the repository/,
    follow: (dir) => editManifest(dir, set(['build', 'modelCard'], 'docs/model-card.md')),
  },
  'evidence too large to read': {
    code: 'EVIDENCE_TOO_LARGE',
    rule: 'G1',
    setup(dir) {
      const big = join(dir, MODEL, 'reports/big.json');
      writeFileSync(big, '');
      truncateSync(big, 33 * 1024 * 1024);
      editManifest(dir, set([...GUARDRAIL, 'evidence'], 'reports/big.json'));
      commitAll(dir, 'big');
    },
    words: /commit a smaller report that holds the observed values, and point the evidence at it/,
    follow(dir) {
      write(dir, `${MODEL}/reports/small.json`, '{ "wape": 0.2 }\n');
      editManifest(dir, set([...GUARDRAIL, 'evidence'], 'reports/small.json'));
      commitAll(dir, 'smaller');
    },
  },
  'evidence inside a submodule': {
    code: 'EVIDENCE_IN_SUBMODULE',
    rule: 'G1',
    setup(dir) {
      const sub = tempDir('mlops-hint-sub-');
      git(sub, 'init', '-q', '-b', 'main');
      writeFileSync(join(sub, 'card.md'), '# Card\n');
      commitAll(sub, 'card');
      git(dir, '-c', 'protocol.file.allow=always', 'submodule', 'add', '-q', sub, 'vendor/cards');
      editManifest(dir, set(['build', 'modelCard'], '../../vendor/cards/card.md'));
      commitAll(dir, 'submodule');
    },
    words: /^commit the evidence in this repository/,
    follow(dir) {
      cpSync(join(dir, 'vendor/cards/card.md'), join(dir, MODEL, 'docs/card.md'));
      editManifest(dir, set(['build', 'modelCard'], 'docs/card.md'));
      commitAll(dir, 'card in this repository');
    },
  },
  'a link to a file not committed': {
    code: 'EVIDENCE_LINKED_UNTRACKED',
    rule: 'G1',
    setup(dir) {
      symlinkSync('model-card.md', join(dir, MODEL, 'docs/card-link.md'));
      editManifest(dir, set(['build', 'modelCard'], 'docs/card-link.md'));
      git(dir, 'rm', '-q', '--cached', CARD);
      git(dir, 'add', M, `${MODEL}/docs/card-link.md`);
      git(dir, 'commit', '-q', '-m', 'link');
    },
  },
  'a link to a file that does not exist': {
    code: 'EVIDENCE_LINKED_MISSING',
    rule: 'G1',
    setup(dir) {
      symlinkSync('card.md', join(dir, MODEL, 'docs/card-link.md'));
      editManifest(dir, set(['build', 'modelCard'], 'docs/card-link.md'));
      commitAll(dir, 'link');
    },
    words: /^create models\/demand\/docs\/card\.md and commit it/,
    before: (dir) => write(dir, `${MODEL}/docs/card.md`, '# Card\n'),
  },
  'a link to a deleted file': {
    code: 'EVIDENCE_LINKED_DELETED',
    rule: 'G1',
    setup(dir) {
      symlinkSync('model-card.md', join(dir, MODEL, 'docs/card-link.md'));
      editManifest(dir, set(['build', 'modelCard'], 'docs/card-link.md'));
      commitAll(dir, 'link');
      unlinkSync(join(dir, CARD));
    },
  },
  'a link to a modified file': {
    code: 'EVIDENCE_LINKED_MODIFIED',
    rule: 'G1',
    setup(dir) {
      symlinkSync('model-card.md', join(dir, MODEL, 'docs/card-link.md'));
      editManifest(dir, set(['build', 'modelCard'], 'docs/card-link.md'));
      commitAll(dir, 'link');
      appendFileSync(join(dir, CARD), 'More.\n');
    },
  },
  'a link to a staged file': {
    code: 'EVIDENCE_LINKED_STAGED',
    rule: 'G1',
    setup(dir) {
      symlinkSync('model-card.md', join(dir, MODEL, 'docs/card-link.md'));
      editManifest(dir, set(['build', 'modelCard'], 'docs/card-link.md'));
      commitAll(dir, 'link');
      appendFileSync(join(dir, CARD), 'More.\n');
      git(dir, 'add', CARD);
    },
  },
  'a phase never signed off': {
    code: 'APPROVAL_MISSING',
    rule: 'G3',
    setup: committed(del(['approvals'])),
    words:
      /^sign it off and commit it: `(npx )?mlops approve models\/demand\/mlops\.yaml --phase envision --by dm`, then `git add models\/demand\/mlops\.yaml && git commit -m "Sign off envision"`$/,
  },
  'a role with nobody to sign: add the stakeholder, then sign': {
    code: 'APPROVAL_MISSING',
    rule: 'G3',
    setup: committed(set(['metadata', 'riskTier'], 'high')),
    pick: (f) => f.args?.role === 'risk_2nd_line' && f.args.phase === 'envision',
    fill: { STAKEHOLDER_ID: 'risk-officer' },
    // adding a stakeholder changes envision: the decision maker's sign-off is next
    next: ['APPROVAL_STALE'],
  },
  'no section to sign: the hint says to add it first, never to approve it': {
    code: 'APPROVAL_MISSING',
    rule: 'G3',
    setup(dir) {
      editManifest(dir, (doc) => {
        doc.deleteIn(['deploy']);
        doc.deleteIn(['approvals', 2]);
      });
      commitAll(dir, 'no deploy');
    },
    pick: (f) => f.args?.noSection === true,
    words:
      /^there is nothing to sign off yet: add the deploy section first, with dataProtection, securityReview, integration and valueMeasurement/,
    follow(dir, f) {
      expect(f.hint).not.toMatch(/approve/);
      expect(f.fix).toBeUndefined();
      const base = parse(readFileSync(join(BASE, M), 'utf8')) as { deploy: unknown };
      editManifest(dir, set(['deploy'], base.deploy));
    },
    // the section is there: signing it off is next, and can be done
    next: ['APPROVAL_MISSING'],
  },
  'a stale approval: the commit it signed, what changed since, and the sign-off again': {
    code: 'APPROVAL_STALE',
    rule: 'G3',
    setup: committed(
      set(
        ['envision', 'hypothesis'],
        'If we forecast demand per store and day, then less food is wasted.',
      ),
    ),
    words:
      /^see what changed since it was approved in commit [0-9a-f]{7,}: `(npx )?mlops diff [0-9a-f]{7,} -- models\/demand\/mlops\.yaml`; then sign it off again and commit it: /,
    before(dir, f) {
      const commit = /in commit ([0-9a-f]+)/.exec(f.hint!)![1]!;
      const signed = git(dir, 'log', '--format=%h', '--', M).trim().split('\n')[1];
      expect(commit).toBe(signed);
      const shown = runHinted(/`((?:npx )?mlops diff [^`]+)`/.exec(f.hint!)![1]!, dir);
      expect(shown.stdout).toContain('envision: hypothesis changed');
    },
  },
  'a rejected phase': {
    code: 'APPROVAL_REJECTED',
    rule: 'G3',
    setup(dir) {
      mlops(['approve', M, '--phase', 'build', '--by', 'dm', '--decision', 'rejected'], dir);
      commitAll(dir, 'rejected');
    },
    words: /^address the reasons, then record a new decision and commit it: /,
  },
  'an approval without a digest': {
    code: 'APPROVAL_NO_DIGEST',
    rule: 'G3',
    setup: committed(del(['approvals', 0, 'digest'])),
  },
  'an approval of the earlier contract: signed again, the old one removed': {
    code: 'APPROVAL_UNBOUND',
    rule: 'G3',
    setup: committed(del(['approvals', 0, 'id'])),
    pick: (f) => f.args?.phase === 'envision',
    words: /; then remove the old one$/,
    follow(dir, f) {
      const command = /`((?:npx )?mlops approve [^`]+)`/.exec(f.hint!)![1]!;
      expect(runHinted(command, dir).code).toBe(0);
      editManifest(dir, del(['approvals', 0]));
      commitAll(dir, 'signed again');
    },
  },
  'an approval recorded, not committed yet': {
    code: 'APPROVAL_UNCOMMITTED',
    rule: 'G3',
    setup(dir) {
      editManifest(dir, del(['approvals']));
      commitAll(dir, 'no sign-off');
      // a decision of its own (the base's, added again, would be the one committed before)
      const r = mlops(
        ['approve', M, '--phase', 'envision', '--by', 'dm', '--date', '2026-11-29'],
        dir,
      );
      if (r.code !== 0) throw new Error(r.stderr);
    },
    pick: (f) => f.args?.phase === 'envision',
  },
  'an approval dated after today: recorded again today, the future one removed': {
    code: 'APPROVAL_FUTURE',
    rule: 'G3',
    setup: committed(set(['approvals', 0, 'date'], '2099-01-01')),
    words: /, and remove the future-dated one$/,
    follow(dir, f) {
      const command = /`((?:npx )?mlops approve [^`]+)`/.exec(f.hint!)![1]!;
      expect(runHinted(command, dir).code).toBe(0);
      editManifest(dir, del(['approvals', 0]));
      commitAll(dir, 'signed today');
    },
  },
  'an approval committed by someone else: the approver records it from their own identity': {
    code: 'APPROVAL_NOT_AUTHORED',
    rule: 'G3',
    setup(dir) {
      editManifest(dir, del(['approvals']));
      commitAll(dir, 'no sign-off');
      for (const phase of ['envision', 'build', 'deploy']) {
        const r = mlops(
          ['approve', M, '--phase', phase, '--by', 'dm', '--date', '2026-11-29'],
          dir,
        );
        if (r.code !== 0) throw new Error(r.stderr);
      }
      git(dir, 'add', '-A');
      const r = spawn('git', ['commit', '-q', '-m', 'signed for dm'], dir, {
        ...ENV,
        GIT_AUTHOR_NAME: 'Sam Diaz',
        GIT_AUTHOR_EMAIL: 'sam@example.com',
      });
      if (r.code !== 0) throw new Error(r.stderr);
    },
    pick: (f) => f.args?.phase === 'envision',
    words:
      /; or, where anyone may record approvals, set `approvals: \{identity: recorded\}` in mlops\.config\.yaml$/,
  },
  'a template placeholder left in envision': {
    code: 'PLACEHOLDER_UNFILLED',
    rule: 'G4',
    setup: committed(set(['envision', 'hypothesis'], 'TODO: If we <solution>, then <outcome>')),
    words: /^write what it stands for: set `envision\.hypothesis` to `"HYPOTHESIS"`$/,
  },
  'a template placeholder left in build': {
    code: 'PLACEHOLDER_UNFILLED',
    rule: 'G4',
    setup: committed(set(['build', 'selected', 'rationale'], 'TODO why this candidate')),
    words: /^write what it stands for: set `build\.selected\.rationale` to `"RATIONALE"`$/,
  },
  'a role missing from the team': {
    code: 'STAKEHOLDER_ROLE_MISSING',
    rule: 'E1',
    setup: committed(set(['envision', 'stakeholders', 1, 'role'], 'engineering')),
    fill: { STAKEHOLDER_ID: 'product' },
  },
  'no value metric': {
    code: 'VALUE_METRICS_NONE',
    rule: 'E2',
    setup: committed(
      set(['envision', 'valueMetrics'], []),
      del(['build', 'evaluations']),
      del(['deploy', 'valueMeasurement']),
    ),
  },
  'a value metric without unit and cadence': {
    code: 'VALUE_METRIC_INCOMPLETE',
    rule: 'E2',
    setup: committed(
      del(['envision', 'valueMetrics', 0, 'unit']),
      del(['envision', 'valueMetrics', 0, 'cadence']),
    ),
  },
  'a value metric without a minimum and a target date': {
    code: 'VALUE_METRIC_INCOMPLETE',
    rule: 'E2',
    setup: committed(
      del(['envision', 'valueMetrics', 0, 'minimumAcceptable']),
      del(['envision', 'valueMetrics', 0, 'target', 'by']),
    ),
    fill: { MINIMUM: '95' },
  },
  'a maintain metric without a tolerance': {
    code: 'VALUE_METRIC_INCOMPLETE',
    rule: 'E2',
    setup: committed(
      set(['envision', 'valueMetrics', 0, 'direction'], 'maintain'),
      set(['envision', 'valueMetrics', 0, 'target', 'value'], 100),
      del(['envision', 'valueMetrics', 0, 'minimumAcceptable']),
    ),
    fill: { TOLERANCE: '20' },
  },
  'a minimum worse than the baseline': {
    code: 'VALUE_MINIMUM_OUT_OF_RANGE',
    rule: 'E2',
    setup: committed(set(['envision', 'valueMetrics', 0, 'minimumAcceptable'], 105)),
    fill: { MINIMUM: '95' },
  },
  'a Trustworthy AI dimension missing': {
    code: 'DIMENSION_MISSING',
    rule: 'E3',
    setup: committed(del(['envision', 'trustworthyAI', 'privacy'])),
    fill: { GUARDRAIL_ID: 'privacy-gap' },
  },
  'an exclusion without its justification': {
    code: 'DIMENSION_EXCLUSION_UNJUSTIFIED',
    rule: 'E3',
    setup: committed(del(['envision', 'trustworthyAI', 'privacy', 'justification'])),
  },
  'a dimension without a bounded guardrail': {
    code: 'DIMENSION_UNGUARDED',
    rule: 'E3',
    setup: committed(set(['envision', 'trustworthyAI', 'privacy'], { rigor: 'standard' })),
    fill: { GUARDRAIL_ID: 'privacy-gap' },
  },
  'rigor below the tier': {
    code: 'RIGOR_BELOW_TIER',
    rule: 'E4',
    setup: committed(set(['envision', 'trustworthyAI', 'fairImpartial', 'rigor'], 'dialDown')),
  },
  'a risk without treatment and mitigation': {
    code: 'RISK_INCOMPLETE',
    rule: 'E5',
    setup: committed(
      del(['envision', 'risks', 0, 'treatment']),
      del(['envision', 'risks', 0, 'mitigation']),
    ),
  },
  'a severe risk held by the first line': {
    code: 'RISK_DEFENSE_LINE',
    rule: 'E5',
    setup: committed(set(['envision', 'risks', 0, 'likelihood'], 5)),
  },
  'no risk named at tier medium': {
    code: 'RISKS_NONE',
    rule: 'E5',
    setup: committed(del(['envision', 'risks'])),
  },
  'fairness at dialUp without groups: the groups, then their values': {
    code: 'GUARDRAIL_GROUPS_MISSING',
    rule: 'E4',
    setup: committed(set(['envision', 'trustworthyAI', 'fairImpartial', 'rigor'], 'dialUp')),
    // the evidence holds no value per group yet: that is next
    next: ['GUARDRAIL_GROUP_UNOBSERVED'],
  },
  'a dimension at dialUp whose guardrail guards the build only': {
    code: 'RIGOR_NO_MONITOR',
    rule: 'E4',
    setup: committed(
      set(['envision', 'trustworthyAI', 'robustReliable', 'rigor'], 'dialUp'),
      set([...GUARDRAIL, 'phases'], ['build']),
      del([...GUARDRAIL, 'monitor']),
    ),
    words:
      /^watch guardrail `wape-ceiling` in production: set `[^`]+\.phases` to `\[build, monitor\]` and add to /,
  },
  'a dimension at dialUp without a guardrail': {
    code: 'RIGOR_NO_MONITOR',
    rule: 'E4',
    setup: committed(
      set(['envision', 'trustworthyAI', 'robustReliable', 'rigor'], 'dialUp'),
      set(['envision', 'trustworthyAI', 'robustReliable', 'guardrails'], []),
    ),
    fill: {
      GUARDRAIL_ID: 'wape-ceiling',
      METRIC: 'wape',
      MAX: '0.3',
      EVIDENCE_FILE: 'reports/metrics.json',
    },
  },
  'one candidate': {
    code: 'CANDIDATES_TOO_FEW',
    rule: 'B1',
    // the baseline candidate goes, and with it its value evaluation
    setup: committed(del(['build', 'candidates', 0]), del(['build', 'evaluations', 1])),
    fill: { CANDIDATE_ID: 'moving-average' },
  },
  'no baseline candidate': {
    code: 'CANDIDATE_BASELINE_MISSING',
    rule: 'B1',
    setup: committed(set(['build', 'candidates', 0, 'baseline'], false)),
    fill: { CANDIDATE_ID: 'rules' },
  },
  'no candidate selected': {
    code: 'CANDIDATE_NOT_SELECTED',
    rule: 'B1',
    setup: committed(del(['build', 'selected'])),
  },
  'a value metric never evaluated: the evaluation named is complete': {
    code: 'VALUE_EVALUATION_MISSING',
    rule: 'B2',
    setup: committed(del(['build', 'evaluations'])),
    fill: { METRIC: 'projected_waste_cost', EVIDENCE_FILE: 'reports/value.json' },
    words: /candidate: gbm, metric: "METRIC", kind: value, valueMetric: waste-cost/,
  },
  'the baseline candidate not evaluated': {
    code: 'VALUE_BASELINE_EVALUATION_MISSING',
    rule: 'B2',
    setup: committed(del(['build', 'evaluations', 1])),
    fill: {
      EVALUATION_ID: 'ma-waste',
      METRIC: 'projected_waste_cost',
      EVIDENCE_FILE:
        '{path: reports/value.json, pointer: /candidates/moving-average/projected_waste_cost}',
    },
  },
  'a projection not in the report': {
    code: 'VALUE_PROJECTION_UNOBSERVED',
    rule: 'B2',
    setup(dir) {
      write(dir, VALUE, projections(undefined, 98));
      commitAll(dir, 'no projection');
    },
    words: /^write the projected waste-cost of gbm as a number at \/projected_waste_cost or/,
    before: (dir) => write(dir, VALUE, projections(85, 98)),
  },
  'a projection below the minimum': {
    code: 'VALUE_PROJECTION_BELOW_MINIMUM',
    rule: 'B2',
    setup(dir) {
      write(dir, VALUE, projections(97, 98));
      commitAll(dir, 'worse');
    },
    words:
      /^improve gbm or select a candidate that projects at least the minimum 95, rerun the value evaluation and commit its report/,
    before: (dir) => write(dir, VALUE, projections(85, 98)),
  },
  'a projection not better than the baseline candidate': {
    code: 'VALUE_PROJECTION_NOT_BETTER',
    rule: 'B2',
    setup(dir) {
      write(dir, VALUE, projections(94, 90));
      commitAll(dir, 'not better');
    },
    words: /^improve gbm or select a candidate that projects better than 90/,
    before: (dir) => write(dir, VALUE, projections(85, 90)),
  },
  'the baseline selected': {
    code: 'VALUE_SELECTED_IS_BASELINE',
    rule: 'B2',
    setup: committed(set(['build', 'selected', 'candidate'], 'moving-average')),
  },
  'a guardrail without evidence': {
    code: 'GUARDRAIL_NO_EVIDENCE',
    rule: 'B3',
    setup: committed(del([...GUARDRAIL, 'evidence'])),
  },
  'a guardrail whose report lacks its metric': {
    code: 'GUARDRAIL_UNOBSERVED',
    rule: 'B3',
    setup(dir) {
      write(dir, METRICS, '{ "metrics": { "error_gap": 0.05 } }\n');
      commitAll(dir, 'no wape');
    },
    words:
      /^write wape at \/wape or \/metrics\/wape of models\/demand\/reports\/metrics\.json, or give a pointer$/,
    follow(dir) {
      write(dir, METRICS, '{ "metrics": { "error_gap": 0.05, "wape": 0.2 } }\n');
      commitAll(dir, 'wape');
    },
  },
  'a waiver nobody has approved: the approver approves it and commits that': {
    code: 'WAIVER_NOT_IN_FORCE',
    rule: 'B3',
    setup: waived(30, false),
    words: /^dm approves it and commits the approval: `(npx )?mlops approve /,
    follow(dir, f) {
      for (const m of (f.hint ?? '').matchAll(/`((?:npx )?mlops [^`]+)`/g))
        expect(runHinted(m[1]!, dir).code).toBe(0);
      commitAll(dir, 'approve the waiver');
    },
  },
  'a waiver in its last days: what it excuses is fixed': {
    code: 'WAIVER_EXPIRING',
    rule: 'B3',
    setup: waived(10, true),
    words: /^fix what it excuses before then/,
    follow(dir) {
      write(dir, METRICS, '{ "metrics": { "error_gap": 0.05, "wape": 0.25 } }\n');
      commitAll(dir, 'retrained');
    },
  },
  'a guardrail out of bounds': {
    code: 'GUARDRAIL_OUT_OF_BOUNDS',
    rule: 'B3',
    setup(dir) {
      write(dir, METRICS, '{ "metrics": { "error_gap": 0.05, "wape": 0.5 } }\n');
      commitAll(dir, 'worse');
    },
    words: /^bring it within bounds and commit the new report/,
    before: (dir) => write(dir, METRICS, '{ "metrics": { "error_gap": 0.05, "wape": 0.25 } }\n'),
  },
  'a group out of its report': {
    code: 'GUARDRAIL_GROUP_UNOBSERVED',
    rule: 'B3',
    setup(dir) {
      editManifest(dir, set([...GAP, 'groups'], ['small-stores', 'large-stores']));
      commitAll(dir, 'by group');
    },
    pick: (f) => f.args?.group === 'small-stores',
    words:
      /^write the error_gap of group small-stores at \/groups\/small-stores\/error_gap of models\/demand\/reports\/metrics\.json and commit it: /,
    before(dir) {
      const groups = { 'small-stores': { error_gap: 0.06 }, 'large-stores': { error_gap: 0.04 } };
      write(
        dir,
        METRICS,
        `${JSON.stringify({ metrics: { error_gap: 0.05, wape: 0.2 }, groups })}\n`,
      );
    },
  },
  'a group out of bounds': {
    code: 'GUARDRAIL_GROUP_OUT_OF_BOUNDS',
    rule: 'B3',
    setup: grouped(0.2, 0.04),
    pick: (f) => f.args?.group === 'small-stores',
    words: /^bring the group within bounds and commit the new report \(`git add /,
    before(dir) {
      const groups = { 'small-stores': { error_gap: 0.08 }, 'large-stores': { error_gap: 0.04 } };
      write(
        dir,
        METRICS,
        `${JSON.stringify({ metrics: { error_gap: 0.05, wape: 0.2 }, groups })}\n`,
      );
    },
  },
  'no model card named': {
    code: 'DOCUMENT_MISSING',
    rule: 'B4',
    setup: committed(del(['build', 'modelCard'])),
  },
  'personal data without a data protection section': {
    code: 'DATA_PROTECTION_MISSING',
    rule: 'D1',
    setup: committed(
      del(['deploy', 'dataProtection']),
      set(['build', 'datasets', 0, 'personalData'], true),
    ),
  },
  'a data protection section missing': {
    code: 'DATA_PROTECTION_UNSTATED',
    rule: 'D1',
    setup: committed(del(['deploy', 'dataProtection'])),
  },
  'open security findings not stated': {
    code: 'SECURITY_FINDINGS_UNSTATED',
    rule: 'D2',
    setup: committed(del(['deploy', 'securityReview', 'openFindings'])),
  },
  'an open critical security finding': {
    code: 'SECURITY_FINDINGS_OPEN',
    rule: 'D2',
    setup: committed(set(['deploy', 'securityReview', 'openFindings', 'critical'], 2)),
    words: /^close them, then set/,
  },
  'no rollback': {
    code: 'ROLLBACK_MISSING',
    rule: 'D3',
    setup: committed(del(['deploy', 'integration', 'rollback'])),
  },
  'no human oversight at tier high': {
    code: 'HUMAN_OVERSIGHT_INSUFFICIENT',
    rule: 'D3',
    setup: committed(set(['metadata', 'riskTier'], 'high')),
  },
  'no value measurement': {
    code: 'VALUE_MEASUREMENT_MISSING',
    rule: 'D4',
    setup: committed(del(['deploy', 'valueMeasurement'])),
  },
  'no monitoring plan at deploy': {
    code: 'MONITOR_PLAN_MISSING',
    rule: 'D5',
    setup: committed(del(['monitor'])),
  },
  'a monitoring plan without triggers and a value-tracking cadence': {
    code: 'MONITOR_PLAN_INCOMPLETE',
    rule: 'D5',
    setup: committed(del(['monitor', 'triggers']), del(['monitor', 'valueTracking', 'cadence'])),
  },
  'a monitoring plan without value tracking and drift checks': {
    code: 'MONITOR_PLAN_INCOMPLETE',
    rule: 'D5',
    setup: committed(del(['monitor', 'valueTracking']), set(['monitor', 'drift'], [])),
  },
  'a drift check without evidence': {
    code: 'DRIFT_NO_EVIDENCE',
    rule: 'M1',
    setup: committed(del(['monitor', 'drift', 0, 'evidence'])),
    fill: { EVIDENCE_FILE: 'reports/drift.json' },
  },
  'a drift report without the value': {
    code: 'DRIFT_UNOBSERVED',
    rule: 'M1',
    setup(dir) {
      write(dir, `${MODEL}/reports/drift.json`, '{}\n');
      commitAll(dir, 'empty drift');
    },
    words:
      /^write the value at \/demand-psi or \/metrics\/demand-psi of models\/demand\/reports\/drift\.json, or give a pointer$/,
    follow(dir) {
      write(dir, `${MODEL}/reports/drift.json`, '{ "demand-psi": 0.05 }\n');
      commitAll(dir, 'drift');
    },
  },
  'drift above its max': {
    code: 'DRIFT_ABOVE_MAX',
    rule: 'M1',
    setup(dir) {
      write(dir, `${MODEL}/reports/drift.json`, '{ "demand-psi": 0.4 }\n');
      commitAll(dir, 'drift');
    },
    words:
      /^investigate the drift and act on the drift_alert trigger \(retrain or reassess\); then commit the new report/,
    before: (dir) => write(dir, `${MODEL}/reports/drift.json`, '{ "demand-psi": 0.05 }\n'),
  },
  'no drift check': {
    code: 'DRIFT_NONE',
    rule: 'M1',
    setup: committed(set(['monitor', 'drift'], [])),
  },
  'a drift p-value below its min': {
    code: 'DRIFT_BELOW_MIN',
    rule: 'M1',
    setup(dir) {
      editManifest(dir, set(['monitor', 'drift', 0], KS));
      write(dir, DRIFT, '{ "demand-ks": 0.01 }\n');
      commitAll(dir, 'drifted');
    },
    words:
      /^investigate the drift and act on the drift_alert trigger \(retrain or reassess\); then commit the new report: `git add models\/demand\/reports\/drift\.json && /,
    before: (dir) => write(dir, DRIFT, '{ "demand-ks": 0.4 }\n'),
  },
  'a guardrail in monitor without live evidence': {
    code: 'GUARDRAIL_NO_LIVE_EVIDENCE',
    rule: 'M1',
    setup: committed(del([...GUARDRAIL, 'monitor'])),
  },
  'a guardrail of monitor only whose evidence is its live report': {
    code: 'GUARDRAIL_NO_LIVE_EVIDENCE',
    rule: 'M1',
    setup: committed(
      set([...GUARDRAIL, 'phases'], ['monitor']),
      set([...GUARDRAIL, 'evidence'], 'reports/live.json'),
      del([...GUARDRAIL, 'monitor']),
    ),
    words: /^it guards monitor only, where `evidence` is not read: /,
  },
  'live evidence that is a build report': {
    code: 'GUARDRAIL_LIVE_IS_BUILD_EVIDENCE',
    rule: 'M1',
    setup: committed(set([...GUARDRAIL, 'monitor', 'evidence'], 'reports/metrics.json')),
    fill: { LIVE_EVIDENCE_FILE: 'reports/live-wape.json' },
    words: /in a file no build evidence names; commit it$/,
    before(dir) {
      write(dir, `${MODEL}/reports/live-wape.json`, '{ "wape": 0.21 }\n');
      git(dir, 'add', `${MODEL}/reports/live-wape.json`);
      git(dir, 'commit', '-q', '-m', 'live wape');
    },
  },
  'a drift check without evidence, for freshness': {
    code: 'MONITORING_NO_EVIDENCE',
    rule: 'M2',
    setup: committed(del(['monitor', 'drift', 0, 'evidence'])),
    fill: { EVIDENCE_FILE: 'reports/drift.json' },
  },
  'value tracking without cadence': {
    code: 'MONITORING_NO_CADENCE',
    rule: 'M2',
    setup: committed(del(['monitor', 'valueTracking', 'cadence'])),
  },
  'a drift report never committed': {
    code: 'MONITORING_NEVER_COMMITTED',
    rule: 'M2',
    setup(dir) {
      editManifest(dir, set(['monitor', 'drift', 0, 'evidence'], 'reports/drift-now.json'));
      commitAll(dir, 'new drift report');
      write(dir, `${MODEL}/reports/drift-now.json`, '{ "demand-psi": 0.05 }\n');
    },
  },
  'a drift report out of date': {
    code: 'MONITORING_STALE',
    rule: 'M2',
    setup(dir) {
      write(dir, `${MODEL}/reports/drift.json`, '{ "demand-psi": 0.06 }\n');
      commitAll(dir, 'old drift', '2020-01-06T12:00:00Z');
    },
    words: /^run the weekly report and commit it/,
    before: (dir) => write(dir, `${MODEL}/reports/drift.json`, '{ "demand-psi": 0.07 }\n'),
  },
  'no value tracking': {
    code: 'VALUE_TRACKING_MISSING',
    rule: 'M3',
    setup: committed(del(['monitor', 'valueTracking'])),
    fill: { EVIDENCE_FILE: 'reports/value-tracking.json' },
  },
  'a value-tracking report never committed': {
    code: 'VALUE_TRACKING_UNCOMMITTED',
    rule: 'M3',
    setup(dir) {
      editManifest(dir, set(['monitor', 'valueTracking', 'evidence'], 'reports/tracking.json'));
      commitAll(dir, 'new value report');
      write(dir, `${MODEL}/reports/tracking.json`, '{ "waste-cost": 90 }\n');
    },
  },
  'a value-tracking report that does not parse': {
    code: 'VALUE_TRACKING_UNREADABLE',
    rule: 'M3',
    setup(dir) {
      write(dir, `${MODEL}/reports/value-tracking.json`, '{ "waste-cost": \n');
      commitAll(dir, 'broken');
    },
    words: /^write models\/demand\/reports\/value-tracking\.json as JSON or YAML and commit it/,
    before: (dir) => write(dir, `${MODEL}/reports/value-tracking.json`, '{ "waste-cost": 90 }\n'),
  },
  'a value metric not reported': {
    code: 'VALUE_UNREPORTED',
    rule: 'M3',
    setup(dir) {
      write(dir, `${MODEL}/reports/value-tracking.json`, '{}\n');
      commitAll(dir, 'nothing');
    },
    words: /^report waste-cost in models\/demand\/reports\/value-tracking\.json and commit it/,
    before: (dir) => write(dir, `${MODEL}/reports/value-tracking.json`, '{ "waste-cost": 90 }\n'),
  },
  'business value below the minimum': {
    code: 'VALUE_BELOW_MINIMUM',
    rule: 'M3',
    setup(dir) {
      write(dir, `${MODEL}/reports/value-tracking.json`, '{ "waste-cost": 99 }\n');
      commitAll(dir, 'worse');
    },
    words:
      /^reassess the model, .*; once the value is back within the minimum, commit the new report/,
    before: (dir) => write(dir, `${MODEL}/reports/value-tracking.json`, '{ "waste-cost": 88 }\n'),
  },
  'a target date passed: reassess, continue to a new date, sign it off': {
    code: 'VALUE_TARGET_DATE_PASSED',
    rule: 'M3',
    setup: committed(set(['envision', 'valueMetrics', 0, 'target', 'by'], '2020-01-01')),
    words:
      /^reassess: add to `monitor\.reassessments`: `\{id: [^`]*decision: continue, [^`]*\}`, then sign it off: `(npx )?mlops approve models\/demand\/mlops\.yaml --reassessment \S+ --by dm`/,
  },
  'a reassessment not signed off': {
    code: 'REASSESSMENT_UNAPPROVED',
    rule: 'M3',
    setup: reassessed({ decision: 'continue', targetBy: '2099-06-30' }, false),
    words:
      /^sign it off: `(npx )?mlops approve models\/demand\/mlops\.yaml --reassessment q1-review --by dm`, then commit it: `git add models\/demand\/mlops\.yaml && git commit -m "Sign off reassessment q1-review"`$/,
  },
  'a reassessment changed after it was signed off': {
    code: 'REASSESSMENT_UNAPPROVED',
    rule: 'M3',
    setup(dir) {
      reassessed({ decision: 'continue', targetBy: '2099-06-30' }, true)(dir);
      editManifest(dir, set(['monitor', 'reassessments', 0, 'targetBy'], '2099-09-30'));
      commitAll(dir, 'later');
    },
    words: /^review the reassessment as it is now, then sign it off again: `(npx )?mlops approve /,
  },
  'a reassessment that decided to change the model': {
    code: 'REASSESSMENT_DECIDED_CHANGE',
    rule: 'M3',
    setup: reassessed({ decision: 'change' }, true),
    words:
      /^change the model as decided; then record that it continues: add to `monitor\.reassessments`: /,
    // the change itself: a new version of the model
    before: (dir) => editManifest(dir, set(['metadata', 'version'], '1.1.0')),
  },
  'a reassessment that decided to retire the model': {
    code: 'REASSESSMENT_DECIDED_RETIRE',
    rule: 'M3',
    setup: reassessed({ decision: 'retire' }, true),
    words: /^retire it: set `metadata\.status` to `retired`/,
  },
  'a trigger missing': {
    code: 'TRIGGERS_MISSING',
    rule: 'M4',
    setup: committed(del(['monitor', 'triggers', 2])),
  },
  'no governance': {
    code: 'GOVERNANCE_MISSING',
    rule: 'M4',
    setup: committed(del(['monitor', 'governance'])),
  },
  'a governance review overdue': {
    code: 'GOVERNANCE_OVERDUE',
    rule: 'M4',
    setup: committed(set(['monitor', 'governance', 'nextReview'], '2020-01-01')),
  },
  'no governance review date at tier high': {
    code: 'GOVERNANCE_REVIEW_UNDATED',
    rule: 'M4',
    setup: committed(
      set(['metadata', 'riskTier'], 'high'),
      del(['monitor', 'governance', 'nextReview']),
    ),
  },
};

// ---------------------------------------------------------------------------------------------
// The EU AI Act obligations: a high-risk system (provider and deployer, with Art. 50 duties)
// that meets every one of them, from which each scenario takes one item away.

/** The documents the Act asks for, in the model's folder. */
const EU_DOCS = {
  datasheet: 'docs/datasheet.md',
  logging: 'docs/logging.md',
  instructions: 'docs/instructions.md',
  oversight: 'docs/oversight.md',
  qms: 'docs/qms.md',
  conformity: 'docs/conformity.md',
  declaration: 'docs/declaration.md',
  fria: 'docs/fria.md',
  disclosure: 'docs/disclosure.md',
  postMarket: 'docs/post-market.md',
  incidents: 'docs/incidents.md',
} as const;

const SAFE = ['envision', 'trustworthyAI', 'safeSecure'];
const ROBUST = ['envision', 'trustworthyAI', 'robustReliable', 'guardrails'];

/** Makes the base a high-risk system that meets every EU rule: every item, every document. */
function euComplete(doc: ReturnType<typeof parseDocument>): void {
  doc.setIn(['metadata', 'riskTier'], 'high');
  doc.setIn(
    ['metadata', 'euAiAct'],
    doc.createNode({
      classification: 'high',
      role: 'both',
      legalBasis: { annex: 'III', point: '5(b)' },
      art50: true,
      art50Duties: ['interaction'],
    }),
  );
  doc.setIn(
    ['envision', 'intendedUse'],
    doc.createNode({
      primaryUses: ['Propose the daily orders of each store'],
      primaryUsers: ['Store planners'],
      outOfScope: ['Ordering without a planner'],
    }),
  );
  doc.setIn(['envision', 'risks', 0, 'residual'], doc.createNode({ likelihood: 1, impact: 2 }));
  doc.setIn([...ROBUST, 0, 'declares'], 'accuracy');
  doc.addIn(
    ROBUST,
    doc.createNode({
      id: 'perturbed-wape',
      metric: 'wape',
      max: 0.3,
      declares: 'robustness',
      evidence: 'reports/metrics.json',
      monitor: { evidence: 'reports/live.json', cadence: 'weekly' },
    }),
  );
  doc.setIn(
    SAFE,
    doc.createNode({
      rigor: 'standard',
      guardrails: [
        {
          id: 'attack-gap',
          metric: 'error_gap',
          max: 0.1,
          declares: 'cybersecurity',
          evidence: 'reports/metrics.json',
          monitor: { evidence: 'reports/live.json', cadence: 'weekly' },
        },
      ],
    }),
  );
  doc.setIn(['build', 'datasets', 0, 'datasheet'], EU_DOCS.datasheet);
  doc.setIn(
    ['build', 'dataGovernance'],
    doc.createNode({
      origin: 'Till receipts of every store since 2019.',
      preparation: 'Returns removed, aggregated per store and day.',
      biasExamination: 'Small and large stores compared; small stores weighted up.',
      gaps: 'Holidays before 2020 are missing; the model is not used on them.',
    }),
  );
  doc.setIn(
    ['deploy', 'logging'],
    doc.createNode({ automatic: true, specification: EU_DOCS.logging, retentionDays: 184 }),
  );
  doc.setIn(['deploy', 'instructionsForUse'], EU_DOCS.instructions);
  doc.setIn(
    ['deploy', 'integration', 'humanOversight'],
    doc.createNode({ mode: 'in_loop', procedure: EU_DOCS.oversight, assignedTo: ['dm'] }),
  );
  doc.setIn(
    ['deploy', 'conformity'],
    doc.createNode({
      qualityManagement: EU_DOCS.qms,
      procedure: 'internal_control',
      assessment: EU_DOCS.conformity,
      declaration: EU_DOCS.declaration,
      registration: 'EU-AI-0000001',
      standards: ['ISO/IEC 42001:2023'],
    }),
  );
  doc.setIn(['deploy', 'fria'], EU_DOCS.fria);
  doc.setIn(['deploy', 'disclosure'], EU_DOCS.disclosure);
  doc.setIn(
    ['monitor', 'postMarket'],
    doc.createNode({ plan: EU_DOCS.postMarket, incidentProcedure: EU_DOCS.incidents }),
  );
}

/**
 * The base made a high-risk system that meets every EU rule, then broken by `edits`, with the
 * documents of `without` never written; committed.
 */
function highRisk(
  edits: ((doc: ReturnType<typeof parseDocument>) => void)[],
  without: string[] = [],
): (dir: string) => void {
  return (dir) => {
    for (const file of Object.values(EU_DOCS))
      if (!without.includes(file)) write(dir, `${MODEL}/${file}`, `# ${file}\n`);
    editManifest(dir, (doc) => [euComplete, ...edits].forEach((e) => e(doc)));
    commitAll(dir, 'high-risk, one item short');
  };
}

/** A document a hint says to write and commit, written and committed. */
const writesDoc =
  (file: string) =>
  (dir: string): void => {
    write(dir, `${MODEL}/${file}`, `# ${file}\n`);
    commitAll(dir, `write ${file}`);
  };

/** "write the X, commit it, and name it: set `path` to `"FILE"`", done for `file`. */
function euDocument(
  code: Code,
  rule: string,
  path: (string | number)[],
  file: string,
  what: RegExp,
): Scenario {
  return {
    code,
    rule,
    setup: highRisk([del(path)], [file]),
    words: what,
    before: writesDoc(file),
  };
}

const EU: Record<string, Scenario> = {
  'EU: a high-risk system at tier medium': {
    code: 'EU_RISK_TIER_BELOW_HIGH',
    rule: 'EU6',
    setup: highRisk([set(['metadata', 'riskTier'], 'medium')]),
  },
  'EU: a high-risk classification without its legal basis': {
    code: 'EU_LEGAL_BASIS_MISSING',
    rule: 'EU6',
    setup: highRisk([del(['metadata', 'euAiAct', 'legalBasis'])]),
  },
  'EU: no risk named': {
    code: 'EU_RISKS_NONE',
    rule: 'EU9',
    setup: highRisk([del(['envision', 'risks'])]),
  },
  'EU: a risk without treatment': {
    code: 'EU_RISK_UNTREATED',
    rule: 'EU9',
    setup: highRisk([del(['envision', 'risks', 0, 'treatment'])]),
  },
  'EU: a risk without its residual risk': {
    code: 'EU_RISK_RESIDUAL_MISSING',
    rule: 'EU9',
    setup: highRisk([del(['envision', 'risks', 0, 'residual'])]),
  },
  'EU: no dataset listed': {
    code: 'EU_DATASETS_NONE',
    rule: 'EU10',
    setup: highRisk([del(['build', 'datasets'])]),
    fill: { DATASHEET_FILE: EU_DOCS.datasheet },
  },
  'EU: a dataset without datasheet': {
    ...euDocument(
      'EU_DATASHEET_MISSING',
      'EU10',
      ['build', 'datasets', 0, 'datasheet'],
      EU_DOCS.datasheet,
      /^write the datasheet of `sales`, commit it, and name it: /,
    ),
    fill: { DATASHEET_FILE: EU_DOCS.datasheet },
  },
  'EU: no data governance': {
    code: 'EU_DATA_GOVERNANCE_INCOMPLETE',
    rule: 'EU10',
    setup: highRisk([del(['build', 'dataGovernance'])]),
  },
  'EU: data governance without its gaps': {
    code: 'EU_DATA_GOVERNANCE_INCOMPLETE',
    rule: 'EU10',
    setup: highRisk([del(['build', 'dataGovernance', 'gaps'])]),
  },
  'EU: no guardrail declares the cybersecurity': {
    code: 'EU_DECLARED_METRIC_MISSING',
    rule: 'EU15',
    setup: highRisk([del([...SAFE, 'guardrails', 0, 'declares'])]),
  },
  'EU: no cybersecurity declared, its dimension excluded': {
    code: 'EU_DECLARED_METRIC_MISSING',
    rule: 'EU15',
    setup: highRisk([
      set(SAFE, {
        rigor: 'standard',
        excluded: true,
        justification: 'Internal use behind the ordering system.',
      }),
    ]),
    pick: (f) => f.args?.property === 'cybersecurity',
  },
  'EU: the declared robustness measured in monitor only': {
    code: 'EU_DECLARED_METRIC_NOT_IN_BUILD',
    rule: 'EU15',
    setup: highRisk([set([...ROBUST, 1, 'phases'], ['monitor'])]),
  },
  'EU: the declared accuracy without evidence': {
    code: 'EU_DECLARED_METRIC_NO_EVIDENCE',
    rule: 'EU15',
    setup: highRisk([del([...ROBUST, 0, 'evidence'])]),
  },
  'EU: logging not automatic': {
    code: 'EU_LOGGING_NOT_AUTOMATIC',
    rule: 'EU12',
    setup: highRisk([set(['deploy', 'logging', 'automatic'], false)]),
  },
  'EU: no logging specification': euDocument(
    'EU_LOGGING_SPEC_MISSING',
    'EU12',
    ['deploy', 'logging', 'specification'],
    EU_DOCS.logging,
    /^write the logging specification, commit it, and name it: /,
  ),
  'EU: no instructions for use': euDocument(
    'EU_INSTRUCTIONS_MISSING',
    'EU13',
    ['deploy', 'instructionsForUse'],
    EU_DOCS.instructions,
    /^write the instructions for use, commit it, and name it: /,
  ),
  "EU: an importer without the provider's instructions for use": {
    code: 'EU_INSTRUCTIONS_MISSING',
    rule: 'EU13',
    setup: highRisk(
      [set(['metadata', 'euAiAct', 'role'], 'importer'), del(['deploy', 'instructionsForUse'])],
      [EU_DOCS.instructions],
    ),
    words: /^commit the provider's instructions for use and name them: /,
    before: writesDoc(EU_DOCS.instructions),
  },
  'EU: no human oversight': {
    code: 'EU_OVERSIGHT_INSUFFICIENT',
    rule: 'EU14',
    setup: highRisk([set(['deploy', 'integration', 'humanOversight', 'mode'], 'none')]),
  },
  'EU: no oversight procedure': euDocument(
    'EU_OVERSIGHT_PROCEDURE_MISSING',
    'EU14',
    ['deploy', 'integration', 'humanOversight', 'procedure'],
    EU_DOCS.oversight,
    /^write the oversight procedure, commit it, and name it: /,
  ),
  'EU: no quality management system': euDocument(
    'EU_QUALITY_MANAGEMENT_MISSING',
    'EU17',
    ['deploy', 'conformity', 'qualityManagement'],
    EU_DOCS.qms,
    /^write the quality management document that covers the system, commit it, and name it: /,
  ),
  'EU: no conformity assessment procedure': {
    code: 'EU_CONFORMITY_PROCEDURE_MISSING',
    rule: 'EU43',
    setup: highRisk([del(['deploy', 'conformity', 'procedure'])]),
  },
  'EU: no conformity assessment record': euDocument(
    'EU_CONFORMITY_ASSESSMENT_MISSING',
    'EU43',
    ['deploy', 'conformity', 'assessment'],
    EU_DOCS.conformity,
    /^write the conformity assessment record \(or the notified body certificate\), commit it, and name it: /,
  ),
  'EU: no EU declaration of conformity': euDocument(
    'EU_DECLARATION_MISSING',
    'EU43',
    ['deploy', 'conformity', 'declaration'],
    EU_DOCS.declaration,
    /^write the EU declaration of conformity, commit it, and name it: /,
  ),
  'EU: not registered in the EU database': {
    code: 'EU_REGISTRATION_MISSING',
    rule: 'EU43',
    setup: highRisk([del(['deploy', 'conformity', 'registration'])]),
  },
  'EU: oversight assigned to no one': {
    code: 'EU_OVERSIGHT_UNASSIGNED',
    rule: 'EU26',
    setup: highRisk([del(['deploy', 'integration', 'humanOversight', 'assignedTo'])]),
  },
  'EU: a deployer without human oversight': {
    code: 'EU_OVERSIGHT_UNASSIGNED',
    rule: 'EU26',
    setup: highRisk([
      set(['metadata', 'euAiAct', 'role'], 'deployer'),
      del(['deploy', 'integration', 'humanOversight']),
    ]),
  },
  'EU: oversight assigned to someone who is no stakeholder': {
    code: 'EU_OVERSIGHT_ASSIGNEE_UNKNOWN',
    rule: 'EU26',
    setup: highRisk([set(['deploy', 'integration', 'humanOversight', 'assignedTo'], ['robin'])]),
  },
  'EU: oversight assigned to a stakeholder without a name': {
    code: 'EU_OVERSIGHT_ASSIGNEE_UNNAMED',
    rule: 'EU26',
    setup: highRisk([set(['envision', 'stakeholders', 0, 'name'], ' ')]),
  },
  'EU: logs kept three months': {
    code: 'EU_LOG_RETENTION_SHORT',
    rule: 'EU26',
    setup: highRisk([set(['deploy', 'logging', 'retentionDays'], 90)]),
  },
  'EU: no FRIA for an Annex III point 5(b) system': euDocument(
    'EU_FRIA_MISSING',
    'EU27',
    ['deploy', 'fria'],
    EU_DOCS.fria,
    /^write the fundamental-rights impact assessment, commit it, and name it: /,
  ),
  'EU: no legal basis to tell whether a FRIA is needed': {
    code: 'EU_FRIA_UNDETERMINED',
    rule: 'EU27',
    setup: highRisk(
      [del(['metadata', 'euAiAct', 'legalBasis']), del(['deploy', 'fria'])],
      [EU_DOCS.fria],
    ),
    // point 5(b) (creditworthiness) asks for one: the next step is the FRIA itself
    next: ['EU_FRIA_MISSING'],
  },
  'EU: no disclosure for Art. 50': euDocument(
    'EU_DISCLOSURE_MISSING',
    'EU50',
    ['deploy', 'disclosure'],
    EU_DOCS.disclosure,
    /^write the disclosure people see \(notice, label or script\), commit it, and name it: /,
  ),
  'EU: no post-market monitoring plan': euDocument(
    'EU_POST_MARKET_PLAN_MISSING',
    'EU72',
    ['monitor', 'postMarket', 'plan'],
    EU_DOCS.postMarket,
    /^write the post-market monitoring plan, commit it, and name it: /,
  ),
  'EU: no serious-incident procedure': euDocument(
    'EU_INCIDENT_PROCEDURE_MISSING',
    'EU73',
    ['monitor', 'postMarket', 'incidentProcedure'],
    EU_DOCS.incidents,
    /^write the serious-incident reporting procedure, commit it, and name it: /,
  ),
  'EU: the technical documentation names no standard applied': {
    code: 'ANNEX_IV_INCOMPLETE',
    rule: 'EU11',
    setup: highRisk([del(['deploy', 'conformity', 'standards'])]),
    words:
      /^set that key in the manifest and commit any file it names; `(npx )?mlops export annex-iv models\/demand\/mlops\.yaml` shows the whole document/,
    // the key the message names, `deploy.conformity.standards`, set
    before(dir, f) {
      expect(f.args?.keys).toEqual(['deploy.conformity.standards']);
      editManifest(dir, set(['deploy', 'conformity', 'standards'], ['ISO/IEC 42001:2023']));
    },
  },
  'EU: no trigger on incident': {
    code: 'EU_INCIDENT_TRIGGER_MISSING',
    rule: 'EU73',
    setup: highRisk([del(['monitor', 'triggers', 2])]),
  },
};

const VALIDATE: Record<string, Scenario> = {
  'EU: classification limited, the earlier shape': {
    code: 'EU_AI_ACT_EARLIER_SHAPE',
    setup: (dir) => editManifest(dir, set(['metadata', 'euAiAct'], { classification: 'limited' })),
    words:
      /^rewrite it to the current shape \(minimal, art50: true\): `(npx )?mlops migrate models\/demand\/mlops\.yaml`$/,
    valid: true,
  },
  'EU: classification limited with art50 false: the two disagree': {
    code: 'EU_AI_ACT_EARLIER_SHAPE',
    setup: (dir) =>
      editManifest(dir, set(['metadata', 'euAiAct'], { classification: 'limited', art50: false })),
    words:
      /^set `metadata\.euAiAct\.classification` to `minimal` if the system has no Art\. 50 duty/,
    valid: true,
  },
  'EU: a high-risk system at tier medium, told by validate': {
    code: 'EU_TIER_BELOW_HIGH',
    setup: (dir) =>
      editManifest(
        dir,
        set(['metadata', 'euAiAct'], {
          classification: 'high',
          role: 'provider',
          legalBasis: { annex: 'III', point: '5(b)' },
        }),
      ),
    valid: true,
  },
  'an approval of the earlier contract, without an id': {
    code: 'APPROVAL_EARLIER_SHAPE',
    setup: (dir) => editManifest(dir, del(['approvals', 0, 'id'])),
    words: /; then remove this approval$/,
    follow(dir, f) {
      const command = /`((?:npx )?mlops approve [^`]+)`/.exec(f.hint!)![1]!;
      expect(runHinted(command, dir).code).toBe(0);
      editManifest(dir, del(['approvals', 0]));
    },
    valid: true,
  },
  'a manifest over 1 MiB': {
    code: 'FILE_TOO_LARGE',
    setup: (dir) => appendFileSync(join(dir, M), `# ${'x'.repeat(1100 * 1024)}\n`),
    words: /keep large reports in evidence files/,
    follow: (dir) => cpSync(join(template, M), join(dir, M)),
  },
  'more than 100 findings': {
    code: 'FINDINGS_OMITTED',
    setup(dir) {
      const keys = Array.from({ length: 105 }, (_, i) => `  key${i}: 1`).join('\n');
      appendFileSync(join(dir, M), `x-notes: 1\nextra:\n${keys}\n`);
      editManifest(dir, (doc) => {
        const extra = doc.get('extra');
        doc.delete('extra');
        doc.setIn(['metadata', 'extras'], extra);
      });
      // each key of metadata.extras is unknown: 106 findings
      editManifest(dir, (doc) => {
        const extras = doc.getIn(['metadata', 'extras']) as {
          items: { key: unknown; value: unknown }[];
        };
        doc.deleteIn(['metadata', 'extras']);
        for (const item of extras.items) doc.setIn(['metadata', String(item.key)], 1);
      });
    },
    words: /^fix the findings listed, then validate again/,
    follow(dir, f) {
      void f;
      const json = JSON.parse(mlops(['validate', M, '--format', 'json'], dir).stdout) as {
        diagnostics: { code: string; path: (string | number)[] }[];
      };
      editManifest(dir, (doc) => {
        for (const d of json.diagnostics) if (d.code === 'SCHEMA_UNKNOWN_KEY') doc.deleteIn(d.path);
      });
    },
    // the rest are listed now
    next: ['SCHEMA_UNKNOWN_KEY'],
  },
  'a manifest that is a link out of the repository': {
    code: 'SYMLINK_OUTSIDE',
    setup(dir) {
      const outside = tempDir('mlops-hint-outside-');
      cpSync(join(dir, M), join(outside, 'mlops.yaml'));
      unlinkSync(join(dir, M));
      symlinkSync(join(outside, 'mlops.yaml'), join(dir, M));
    },
    words: /^replace the link with the file itself/,
    follow(dir) {
      const text = readFileSync(join(dir, M), 'utf8');
      unlinkSync(join(dir, M));
      writeFileSync(join(dir, M), text);
    },
  },
  'a manifest that is a FIFO': {
    code: 'NOT_A_REGULAR_FILE',
    // named, a FIFO is refused before it is read (exit 2); found, it is a finding
    argv: ['validate'],
    setup(dir) {
      unlinkSync(join(dir, M));
      spawn('mkfifo', [join(dir, M)], dir);
    },
    words: /^replace it with a regular file that holds the YAML$/,
    follow(dir) {
      unlinkSync(join(dir, M));
      cpSync(join(template, M), join(dir, M));
    },
  },
  'a manifest that is a link to itself': {
    code: 'FILE_UNREADABLE',
    setup(dir) {
      unlinkSync(join(dir, M));
      symlinkSync('mlops.yaml', join(dir, M));
    },
    words: /^replace the links with the file itself$/,
    follow(dir) {
      unlinkSync(join(dir, M));
      cpSync(join(template, M), join(dir, M));
    },
  },
  'a manifest saved as UTF-16': {
    code: 'NOT_UTF8',
    setup(dir) {
      const text = readFileSync(join(dir, M), 'utf8');
      writeFileSync(
        join(dir, M),
        Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]),
      );
    },
  },
  'an empty manifest': {
    code: 'EMPTY_FILE',
    setup: (dir) => writeFileSync(join(dir, M), ''),
    // a scaffold names its model after its folder: the base's name, the same model
  },
  'a key written twice': {
    code: 'YAML_DUPLICATE_KEY',
    setup: (dir) => appendFileSync(join(dir, M), 'kind: ModelManifest\n'),
    words: /^keep one of the two keys$/,
    follow: (dir) => cpSync(join(template, M), join(dir, M)),
  },
  'two documents in one file': {
    code: 'YAML_MULTIPLE_DOCUMENTS',
    setup: (dir) => appendFileSync(join(dir, M), '---\nname: other\n'),
    words: /^put each model in its own mlops\.yaml$/,
    follow: (dir) => cpSync(join(template, M), join(dir, M)),
  },
  'aliases that expand too far': {
    code: 'YAML_ALIAS_LIMIT',
    setup(dir) {
      const lines = ['x-a: &a [x, x, x, x, x, x, x, x, x, x]'];
      for (let i = 1; i < 8; i++) {
        const prev = String.fromCharCode(96 + i);
        const name = String.fromCharCode(97 + i);
        lines.push(`x-${name}: &${name} [${Array(10).fill(`*${prev}`).join(', ')}]`);
      }
      appendFileSync(join(dir, M), `${lines.join('\n')}\n`);
    },
    words: /^write the values out instead of repeating aliases$/,
    follow: (dir) => cpSync(join(template, M), join(dir, M)),
  },
  'a custom tag': {
    code: 'YAML_TAG',
    setup: (dir) => appendFileSync(join(dir, M), 'x-note: !custom text\n'),
    words: /^remove the tag; write plain values$/,
    follow: (dir) => cpSync(join(template, M), join(dir, M)),
  },
  'a forbidden key': {
    code: 'YAML_FORBIDDEN_KEY',
    setup: (dir) => appendFileSync(join(dir, M), 'x-notes:\n  __proto__: 1\n'),
    words: /^rename or remove the key$/,
    follow: (dir) => cpSync(join(template, M), join(dir, M)),
  },
  'a complex key': {
    code: 'YAML_COMPLEX_KEY',
    setup: (dir) => appendFileSync(join(dir, M), '[x-a, x-b]: 1\n'),
    words: /^write the key as plain text/,
    follow: (dir) => cpSync(join(template, M), join(dir, M)),
  },
  'an unsupported apiVersion': {
    code: 'UNSUPPORTED_API_VERSION',
    setup: (dir) => editManifest(dir, set(['apiVersion'], 'mlops/v9')),
  },
  'kind missing': {
    code: 'SCHEMA_REQUIRED',
    setup: (dir) => editManifest(dir, del(['kind'])),
  },
  'a misspelt key': {
    code: 'SCHEMA_UNKNOWN_KEY',
    setup(dir) {
      const text = readFileSync(join(dir, M), 'utf8');
      writeFileSync(join(dir, M), text.replace('  riskTier: medium', '  riskTeir: medium'));
    },
    words: /^allowed here: .*riskTier/,
    follow(dir) {
      const text = readFileSync(join(dir, M), 'utf8');
      writeFileSync(join(dir, M), text.replace('riskTeir:', 'riskTier:'));
    },
  },
  'a value not allowed (fix data)': {
    code: 'SCHEMA_ENUM',
    setup: (dir) => editManifest(dir, set(['metadata', 'riskTier'], 'meduim')),
  },
  'a wrong fixed value (fix data)': {
    code: 'SCHEMA_CONST',
    setup: (dir) => editManifest(dir, set(['kind'], 'Model')),
  },
  'a version read as a number': {
    code: 'SCHEMA_TYPE',
    setup(dir) {
      const text = readFileSync(join(dir, M), 'utf8');
      writeFileSync(join(dir, M), text.replace('version: 1.0.0', 'version: 1.0'));
    },
    words: /^write a quoted semantic version, e\.g\. "1\.0\.0"$/,
    follow(dir) {
      const text = readFileSync(join(dir, M), 'utf8');
      writeFileSync(join(dir, M), text.replace('version: 1.0\n', 'version: "1.0.0"\n'));
    },
  },
  'a model name badly formed': {
    code: 'SCHEMA_PATTERN',
    setup: (dir) => editManifest(dir, set(['metadata', 'name'], 'Demand_Forecast')),
    words: /^use 2-63 lowercase letters, digits and "-"/,
    follow: (dir) => editManifest(dir, set(['metadata', 'name'], 'demand-forecast')),
  },
  'a guardrail without a bound': {
    code: 'GUARDRAIL_NO_BOUND',
    setup: (dir) => editManifest(dir, del([...GUARDRAIL, 'max'])),
    fill: { MAX: '0.3' },
  },
  'an id used twice': {
    code: 'DUPLICATE_ID',
    setup: (dir) => editManifest(dir, set(['build', 'candidates', 0, 'id'], 'gbm')),
    words: /rename one$/,
    follow: (dir) => editManifest(dir, set(['build', 'candidates', 0, 'id'], 'moving-average')),
  },
  'a reference to nothing (fix data)': {
    code: 'UNKNOWN_REFERENCE',
    setup: (dir) => editManifest(dir, set(['envision', 'valueMetrics', 0, 'owner'], 'dmm')),
    words: /^known stakeholder ids: dm, pm, ds, expert$/,
  },
  'an approval with another role than its approver': {
    code: 'APPROVAL_ROLE_MISMATCH',
    setup: (dir) => editManifest(dir, set(['approvals', 0, 'role'], 'risk_2nd_line')),
  },
  'bounds inverted': {
    code: 'BOUNDS_INVERTED',
    setup: (dir) => editManifest(dir, set([...GUARDRAIL, 'min'], 0.5)),
    words: /^swap the bounds$/,
    follow(dir) {
      editManifest(dir, (doc) => {
        doc.setIn([...GUARDRAIL, 'min'], 0.3);
        doc.setIn([...GUARDRAIL, 'max'], 0.5);
      });
    },
  },
  'a target against its direction': {
    code: 'TARGET_DIRECTION',
    setup: (dir) => editManifest(dir, set(['envision', 'valueMetrics', 0, 'target', 'value'], 120)),
    words: /below 100, or change `direction`$/,
    follow: (dir) => editManifest(dir, set(['envision', 'valueMetrics', 0, 'target', 'value'], 80)),
  },
  'a minimum better than the target': {
    code: 'MINIMUM_BEYOND_TARGET',
    setup: (dir) =>
      editManifest(dir, set(['envision', 'valueMetrics', 0, 'minimumAcceptable'], 70)),
    words:
      /^set minimumAcceptable between the baseline \(included\) and the target 80: beyond the baseline, rule E2 fails$/,
    follow: (dir) =>
      editManifest(dir, set(['envision', 'valueMetrics', 0, 'minimumAcceptable'], 95)),
  },
  'PSI without bins': {
    code: 'PSI_BINS_MISSING',
    setup: (dir) => editManifest(dir, del(['monitor', 'drift', 0, 'bins'])),
  },
  'ks read as a distance: say it is a p-value': {
    code: 'DRIFT_STATISTIC_UNSTATED',
    setup: (dir) => editManifest(dir, set(['monitor', 'drift', 0], KS_AS_DISTANCE)),
    words:
      /^if the number is the test's p-value, set `monitor\.drift\[0\]\.statistic` to `pvalue` and use `min: 0\.05` instead of `max: 0\.05`/,
    before(dir) {
      editManifest(dir, (doc) => {
        doc.deleteIn(['monitor', 'drift', 0, 'max']);
        doc.setIn(['monitor', 'drift', 0, 'min'], 0.05);
      });
    },
    valid: true,
  },
  'ks read as a distance, with a warning level': {
    code: 'DRIFT_STATISTIC_UNSTATED',
    setup: (dir) =>
      editManifest(dir, set(['monitor', 'drift', 0], { ...KS_AS_DISTANCE, warn: 0.03 })),
    words:
      /^if the number is the test's p-value, set `monitor\.drift\[0\]\.statistic` to `pvalue` and use `min: 0\.05` instead of `max: 0\.05` \(alert when the p-value falls below it\) and remove `warn: 0\.03`, which as a p-value would warn only after the alert, or, /,
    before(dir) {
      editManifest(dir, (doc) => {
        doc.deleteIn(['monitor', 'drift', 0, 'max']);
        doc.deleteIn(['monitor', 'drift', 0, 'warn']);
        doc.setIn(['monitor', 'drift', 0, 'min'], 0.05);
      });
    },
    valid: true,
  },
  'ks with both bounds: say it is a p-value': {
    code: 'DRIFT_STATISTIC_UNSTATED',
    setup: (dir) =>
      editManifest(dir, set(['monitor', 'drift', 0], { ...KS_AS_DISTANCE, min: 0.01 })),
    words:
      /^if the number is the test's p-value, set `monitor\.drift\[0\]\.statistic` to `pvalue` and remove `max: 0\.05` \(min 0\.01 alerts when the p-value falls below it\), or, /,
    before: (dir) => editManifest(dir, del(['monitor', 'drift', 0, 'max'])),
    valid: true,
  },
  'a PSI bounded below': {
    code: 'DRIFT_BOUND_WRONG_SIDE',
    setup(dir) {
      editManifest(dir, (doc) => {
        doc.deleteIn(['monitor', 'drift', 0, 'max']);
        doc.deleteIn(['monitor', 'drift', 0, 'warn']);
        doc.setIn(['monitor', 'drift', 0, 'min'], 0.25);
      });
    },
    words: /^use `max: 0\.25` instead of `min: 0\.25` \(alert when the distance rises above it\)$/,
    follow(dir) {
      editManifest(dir, (doc) => {
        doc.deleteIn(['monitor', 'drift', 0, 'min']);
        doc.setIn(['monitor', 'drift', 0, 'max'], 0.25);
      });
    },
    valid: true,
  },
  'a p-value with both bounds': {
    code: 'DRIFT_BOUND_WRONG_SIDE',
    setup: (dir) => editManifest(dir, set(['monitor', 'drift', 0], { ...KS, max: 0.5 })),
    words: /^remove `max` from `monitor\.drift\[0\]`: min 0\.05 is its alert bound/,
    follow: (dir) => editManifest(dir, del(['monitor', 'drift', 0, 'max'])),
    valid: true,
  },
  'a drift check without an alert bound': {
    code: 'DRIFT_BOUND_MISSING',
    setup: (dir) => editManifest(dir, del(['monitor', 'drift', 0, 'max'])),
    fill: { MAX: '0.25' },
    valid: true,
  },
  'a drift warning beyond its alert': {
    code: 'DRIFT_WARN_BEYOND_ALERT',
    setup: (dir) => editManifest(dir, set(['monitor', 'drift', 0, 'warn'], 0.3)),
    valid: true,
  },
  'a placeholder of the template': {
    code: 'PLACEHOLDER',
    setup: (dir) => editManifest(dir, set(['metadata', 'owner', 'name'], 'TODO: name')),
    words: /^write what it stands for: set `metadata\.owner\.name` to `"NAME"`$/,
    valid: true,
  },
  'a reassessment that continues without a date': {
    code: 'REASSESSMENT_NO_DATE',
    setup: (dir) =>
      editManifest(
        dir,
        set(
          ['monitor', 'reassessments'],
          [
            {
              id: 'q1-review',
              date: '2025-01-15',
              decision: 'continue',
              rationale: 'Waste fell less than planned.',
              decider: 'dm',
            },
          ],
        ),
      ),
    valid: true,
  },
  'an approval of a phase and a reassessment at once': {
    code: 'APPROVAL_SUBJECT',
    setup(dir) {
      editManifest(dir, (doc) => {
        doc.setIn(
          ['monitor', 'reassessments'],
          [
            {
              id: 'q1-review',
              date: '2025-01-15',
              decision: 'retire',
              rationale: 'Waste fell less than planned.',
              decider: 'dm',
            },
          ],
        );
        doc.setIn(['approvals', 0, 'reassessment'], 'q1-review');
      });
    },
    words:
      /^keep `phase` for a phase sign-off or `reassessment` for a reassessment, and remove the other$/,
    follow: (dir) => editManifest(dir, del(['approvals', 0, 'reassessment'])),
    valid: true,
  },
  'an approval of nothing': {
    code: 'APPROVAL_SUBJECT',
    setup: (dir) => editManifest(dir, del(['approvals', 0, 'phase'])),
    fill: { PHASE: 'envision' },
    valid: true,
  },
  'a value evaluation without its value metric': {
    code: 'VALUE_EVALUATION_UNLINKED',
    setup: (dir) => editManifest(dir, del(['build', 'evaluations', 0, 'valueMetric'])),
  },
  'a prohibited use': {
    code: 'EU_AI_ACT_PROHIBITED',
    setup: (dir) =>
      editManifest(dir, set(['metadata', 'euAiAct'], { classification: 'prohibited' })),
    words: /^stop the use case, or correct the classification and record its basis$/,
    follow: (dir) =>
      editManifest(
        dir,
        set(['metadata', 'euAiAct'], {
          classification: 'minimal',
          basis: 'Store demand; no people.',
        }),
      ),
  },
  'two models of one name': {
    code: 'DUPLICATE_NAME',
    args: ['models/other/mlops.yaml'],
    setup: (dir) => cpSync(join(dir, M), join(dir, 'models/other/mlops.yaml'), { recursive: true }),
    words: /^give each model its own name/,
    follow: (dir) => editYaml(dir, 'models/other/mlops.yaml', set(['metadata', 'name'], 'other')),
  },
  'a waiver of a rule that can never be waived': {
    code: 'WAIVER_NOT_WAIVABLE',
    setup: (dir) => editManifest(dir, set(['waivers'], [{ ...WAIVE_WAPE(30), rule: 'G3' }])),
    words: /^remove the waiver at `waivers\[0\]`, and have the phase signed off/,
    before: (dir) => editManifest(dir, del(['waivers', 0])),
    valid: true,
  },
  'a waiver of the earlier contract, without an id': {
    code: 'WAIVER_EARLIER_SHAPE',
    setup(dir) {
      const { id: _id, ...old } = WAIVE_WAPE(30);
      editManifest(dir, set(['waivers'], [old]));
    },
    words: /then it needs an approval, whose command mlops check gives$/,
    valid: true,
  },
};

/** Base and head: the head in the working tree, against main. */
const DIFF: Record<string, Scenario> = {
  'a loosened guardrail: signed off again, the change is acknowledged': {
    code: 'CHANGE_LOOSENED',
    command: 'diff',
    setup: (dir) => editManifest(dir, set([...GUARDRAIL, 'max'], 0.4)),
    moved: (after, before) =>
      after.some((x) => x.fingerprint === before.fingerprint && x.level !== 'error'),
  },
  'a manifest deleted before it was retired': {
    code: 'CHANGE_BREAKING',
    command: 'diff',
    setup: (dir) => rmSync(join(dir, M)),
    words:
      /^to retire a model, first set metadata\.status: retired in one change, then delete the manifest$/,
    follow(dir) {
      cpSync(join(template, M), join(dir, M));
      editManifest(dir, set(['metadata', 'status'], 'retired'));
      editManifest(dir, set(['metadata', 'version'], '1.0.1'));
      commitAll(dir, 'retire');
      rmSync(join(dir, M));
    },
    next: ['CHANGE_REMOVED'],
  },
  'a version not bumped': {
    code: 'VERSION_NOT_BUMPED',
    command: 'diff',
    setup: (dir) =>
      editManifest(
        dir,
        set(['envision', 'hypothesis'], 'If we forecast demand, then waste falls.'),
      ),
  },
  'a version bumped too little': {
    code: 'VERSION_BUMP_TOO_SMALL',
    command: 'diff',
    setup: (dir) =>
      editManifest(dir, (doc) => {
        doc.setIn([...GUARDRAIL, 'max'], 0.4);
        doc.setIn(['metadata', 'version'], '1.0.1');
      }),
  },
  'a version that went down': {
    code: 'VERSION_DOWNGRADED',
    command: 'diff',
    setup: (dir) => editManifest(dir, set(['metadata', 'version'], '0.9.0')),
  },
  'a version that is not semantic': {
    code: 'VERSION_INVALID',
    command: 'diff',
    setup(dir) {
      editManifest(dir, set(['metadata', 'version'], 'one'));
    },
  },
  'a head that does not parse': {
    code: 'CANNOT_DIFF',
    command: 'diff',
    setup: (dir) => appendFileSync(join(dir, M), 'envision: [\n'),
    words: /^fix the YAML, then run `(npx )?mlops validate models\/demand\/mlops\.yaml`$/,
    before: (dir) => cpSync(join(template, M), join(dir, M)),
  },
  'a head that does not validate': {
    code: 'SIDE_INVALID',
    command: 'diff',
    setup: (dir) => editManifest(dir, set(['metadata', 'riskTier'], 'hgh')),
    words: /^fix the findings, then run `(npx )?mlops validate models\/demand\/mlops\.yaml`$/,
    before: (dir) => editManifest(dir, set(['metadata', 'riskTier'], 'medium')),
  },
};

/**
 * Codes no scenario follows, each with the reason: a hint would have nothing to do, or the code
 * cannot occur where a hint could be followed. A code added later needs a scenario or a reason.
 */
const NO_SCENARIO: Partial<Record<Code, string>> = {
  CHANGE_BREACHED:
    'followed in test/e2e/diff-evidence.test.ts: the report is brought back within its bounds, or build is signed off again binding it',
  CHANGE_DEGRADED: 'no hint: a value nearer its bound, still within it, shown to look at',
  CHANGE_IMPROVED: 'no hint: a value further from its bound',
  CHANGE_EVIDENCE: 'no hint: an evidence file that changed without moving a value mlops reads',
  CHANGE_STALE_APPROVAL:
    'followed in test/e2e/diff-evidence.test.ts: the phase is signed off again by the same person',
  APPROVAL_RECORDED:
    'no hint: a note that an approval counts without proof of who gave it; its help and the note above the phases name the setting',
  APPROVAL_NOT_SIGNED:
    'needs a key pair and an allowed signers file: test/e2e/approvals-hold.test.ts signs the commit, test/e2e/approve-binds.test.ts signs with --sign-key',
  APPROVAL_SAME_PERSON:
    'needs tier high (a second line): followed in test/e2e/approvals-hold.test.ts, where someone else of the role signs',
  APPROVAL_NOT_INDEPENDENT:
    'needs tier high (a second line): followed in test/e2e/approvals-hold.test.ts, where an independent second line signs',
  REFERENCE_UNRESOLVED:
    'cannot occur: every reference rule G2 judges is one validate reports as UNKNOWN_REFERENCE, and check judges no manifest that does not validate',
  CANDIDATE_SELECTED_UNKNOWN:
    'cannot occur: build.selected.candidate is a reference, reported by validate as UNKNOWN_REFERENCE first',
  VALUE_TARGET_DIRECTION:
    'cannot occur: validate reports TARGET_DIRECTION first, and check judges no manifest that does not validate',
  EVIDENCE_UNREADABLE:
    'needs a file its reader may not open, which root (CI) always may; hostile-evidence tests read it as another user',
  DRIFT_ABOVE_WARN: 'a warning with nothing to do yet: no hint',
  DRIFT_BELOW_WARN: 'a warning with nothing to do yet: no hint',
  VALUE_MISSED_MINIMUM: 'a warning with nothing to do yet: no hint',
  NOT_A_MAPPING: 'no hint: the message says what the top level must be',
  YAML_SYNTAX: "no hint: the parser's message says what is wrong where",
  SCHEMA_FORMAT: 'no hint: the message names the format (YYYY-MM-DD, an email address)',
  SCHEMA_RANGE: 'no hint: the message names the bound',
  SCHEMA_EMPTY: 'no hint: the message says the value must not be empty',
  SCHEMA_DUPLICATE_ITEM: 'no hint: the message names the two items',
  SCHEMA_INVALID: "no hint: the schema's own words",
  CHANGE_REMOVED: 'no hint: a removal that bounds nothing is shown to look at',
  CHANGE_CHANGED: 'no hint: a neutral change',
  CHANGE_ADDED: 'no hint: an added item',
  CHANGE_TIGHTENED: 'no hint: a tightened bound',
  CONFIG_ENUM: 'no hint: the message names the allowed values and the closest one',
  CONFIG_INVALID:
    'cannot occur: every rule of the config schema has a code of its own (type, enum, required, unknown key, ignore pattern); this one is for a rule added later',
};

/** Rules no scenario follows, with the reason. */
const NO_RULE_SCENARIO: Record<string, string> = {
  G2: 'its only code, REFERENCE_UNRESOLVED, cannot occur (see NO_SCENARIO)',
};

// ---------------------------------------------------------------------------------------------
// A config file that does not read stops the command (exit 2): its findings are listed on
// standard error, each with its hint, as `file:line:column  error  CODE  message`.

interface ConfigScenario {
  code: Code;
  text: string;
  words: RegExp;
  /** The config file as the hint says to write it. */
  fixed(text: string): string;
}

const CONFIG: Record<string, ConfigScenario> = {
  'an empty config file': {
    code: 'CONFIG_EMPTY',
    text: '',
    words: /^write `apiVersion: mlops\/v1` and `kind: Config`, or delete the file$/,
    fixed: () => 'apiVersion: mlops/v1\nkind: Config\n',
  },
  'a config file that is a list': {
    code: 'CONFIG_NOT_A_MAPPING',
    text: '- strict\n',
    words:
      /^write the settings as keys and values, from `apiVersion: mlops\/v1` and `kind: Config` on; every setting is described in `(npx )?mlops schema --config`$/,
    fixed: () => 'apiVersion: mlops/v1\nkind: Config\nstrict: true\n',
  },
  'a config file without kind': {
    code: 'CONFIG_REQUIRED',
    text: 'apiVersion: mlops/v1\n',
    words: /^add `kind: Config`$/,
    fixed: (t) => `${t}kind: Config\n`,
  },
  'a misspelt setting': {
    code: 'CONFIG_UNKNOWN_KEY',
    text: 'apiVersion: mlops/v1\nkind: Config\nstrct: true\n',
    words: /^allowed here: apiVersion, kind, failOn, strict, /,
    fixed: (t) => t.replace('strct', 'strict'),
  },
  'a setting of the wrong type': {
    code: 'CONFIG_TYPE',
    text: 'apiVersion: mlops/v1\nkind: Config\nstrict: sure\n',
    words: /^write true or false here; /,
    fixed: (t) => t.replace('sure', 'true'),
  },
  'an ignore pattern outside its folder': {
    code: 'CONFIG_IGNORE_PATTERN',
    text: 'apiVersion: mlops/v1\nkind: Config\nignore: [/legacy]\n',
    words: /^write the path from this file's folder, such as `legacy\/\*\*`/,
    fixed: (t) => t.replace('/legacy', 'legacy'),
  },
};

function configFindings(stderr: string): { code: string; hint?: string }[] {
  const out: { code: string; hint?: string }[] = [];
  for (const line of stderr.split('\n')) {
    const found = /^\S+:\d+:\d+\s+error\s+(\S+)\s/.exec(line);
    if (found) out.push({ code: found[1]! });
    else if (line.startsWith('    hint: ') && out.length > 0)
      out[out.length - 1]!.hint = line.slice(10);
  }
  return out;
}

describe('every hint works when followed', () => {
  describe.concurrent('check', () => {
    for (const [name, s] of Object.entries(CHECK)) it(name, () => runScenario(name, s));
  });
  describe.concurrent('check: EU AI Act obligations', () => {
    // each scenario runs check three times or more, and the rest of the suite runs beside it
    for (const [name, s] of Object.entries(EU)) it(name, () => runScenario(name, s), 120_000);
    it('EU: the high-risk system the scenarios above break meets every EU AI Act rule', async () => {
      const dir = repo();
      highRisk([])(dir);
      const { found, text } = await look('check', dir);
      expect(
        found.filter((f) => f.rule === undefined || /^EU\d/.test(f.rule)).map((f) => f.code),
        text,
      ).toEqual([]);
    }, 120_000);
  });
  describe.concurrent('validate', () => {
    for (const [name, s] of Object.entries(VALIDATE))
      it(name, () => runScenario(name, { ...s, command: 'validate' }));
  });
  describe.concurrent('diff', () => {
    for (const [name, s] of Object.entries(DIFF)) it(name, () => runScenario(name, s));
  });

  describe('a config file', () => {
    for (const [name, c] of Object.entries(CONFIG))
      it(name, () => {
        const dir = repo();
        write(dir, 'mlops.config.yaml', c.text);
        const r = mlops(['validate', M], dir);
        expect(r.code).toBe(2);
        const f = configFindings(r.stderr).find((x) => x.code === c.code);
        expect(f, r.stderr).toBeDefined();
        expect(f!.hint).toMatch(c.words);
        for (const m of (f!.hint ?? '').matchAll(/`((?:npx )?mlops [^`]+)`/g))
          expect(runHinted(m[1]!, dir).code).toBe(0);
        write(dir, 'mlops.config.yaml', c.fixed(c.text));
        const after = mlops(['validate', M], dir);
        expect(after.stderr).not.toContain(c.code);
        expect(after.code).toBe(0);
      });
  });

  it('every readiness rule and every finding code has a scenario, or a reason it has none', () => {
    const all = [
      ...Object.values(CHECK),
      ...Object.values(EU),
      ...Object.values(VALIDATE),
      ...Object.values(DIFF),
    ];
    const covered = new Set<string>([
      ...all.map((s) => s.code),
      ...Object.values(CONFIG).map((c) => c.code),
    ]);
    const missing = (Object.keys(CODES) as Code[]).filter(
      (c) => !covered.has(c) && NO_SCENARIO[c] === undefined,
    );
    expect(missing, 'codes with neither a scenario nor a reason').toEqual([]);
    const rules = new Set(all.flatMap((s) => (s.rule ? [s.rule] : [])));
    const ruleless = RULES.map((r) => r.id).filter(
      (id) => !rules.has(id) && NO_RULE_SCENARIO[id] === undefined,
    );
    expect(ruleless, 'rules with neither a scenario nor a reason').toEqual([]);
    // a reason is given only where no scenario is
    const both = Object.keys(NO_SCENARIO).filter((c) => covered.has(c));
    expect(both).toEqual([]);
  });
});

// ---------------------------------------------------------------------------------------------
// The bundled forecast example: not ready, with a hint for each failure, every one of which
// works when followed.

describe('the forecast example', () => {
  const MANIFEST = 'examples/forecast/mlops.yaml';
  const FORECAST_FILL: Record<string, string> = {
    ...FILL,
    STAKEHOLDER_ID: 'vp-supply-chain',
    METRIC: 'projected_stockout_rate',
    EVIDENCE_FILE: 'reports/value-backtest.json',
    EVALUATION_ID: 'lgbm-stockout',
    THREAT_MODEL_FILE: 'docs/datasheet-store-sales.md',
    RUNBOOK_FILE: 'docs/datasheet-store-sales.md',
    DPIA_FILE: 'docs/datasheet-store-sales.md',
  };
  /** Words of the forecast's hints that name no command or edit, done as they say. */
  function before(dir: string, f: Shown): void {
    const a = f.args ?? {};
    if (f.code === 'EVIDENCE_MISSING') write(dir, String(a.path), '# Model card\n');
    if (f.code === 'GUARDRAIL_OUT_OF_BOUNDS') {
      // bring it within bounds: the value at its pointer, at its limit
      const file = join(dir, String(a.path));
      const data = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
      const keys = String(a.pointer).split('/').slice(1);
      let node = data;
      for (const k of keys.slice(0, -1)) node = node[k] as Record<string, unknown>;
      node[keys[keys.length - 1]!] = a.limit;
      writeFileSync(file, `${JSON.stringify(data, null, 2)}\n`);
    }
  }

  it(
    'is not ready, and each of its hints, followed, clears its finding',
    { timeout: 240_000 },
    async () => {
      const base = tempDir('mlops-forecast-');
      git(base, 'init', '-q', '-b', 'main');
      git(base, 'config', 'commit.gpgSign', 'false');
      cpSync(join(EXAMPLES, 'forecast'), join(base, 'examples/forecast'), { recursive: true });
      commitAll(base, 'forecast');
      const { found } = await look('check', base, ['examples/forecast']);
      expect(found.map((f) => f.code)).toEqual(
        expect.arrayContaining([
          'EVIDENCE_MISSING',
          'VALUE_EVALUATION_MISSING',
          'VALUE_BASELINE_EVALUATION_MISSING',
          'GUARDRAIL_OUT_OF_BOUNDS',
          'APPROVAL_MISSING',
          'DATA_PROTECTION_MISSING',
          'DOCUMENT_MISSING',
          'ROLLBACK_MISSING',
          'VALUE_MEASUREMENT_MISSING',
          'MONITOR_PLAN_MISSING',
          'DRIFT_NONE',
          'GUARDRAIL_NO_LIVE_EVIDENCE',
          'MONITORING_NO_EVIDENCE',
          'VALUE_TRACKING_MISSING',
          'TRIGGERS_MISSING',
          'GOVERNANCE_MISSING',
        ]),
      );
      const seen = new Set<string>();
      const hinted = found.filter((f) => {
        const key = `${f.code}:${f.fingerprint}`;
        if (!f.hint || seen.has(key)) return false;
        seen.add(key);
        return true;
      });
      // each hint in a copy of its own, a few at a time
      const follow = async (f: Shown): Promise<void> => {
        const dir = tempDir('mlops-forecast-');
        cpSync(base, dir, { recursive: true });
        if (f.args?.noSection === true) {
          // no deploy section: the hint says to add it, never to approve it
          expect(f.hint).toMatch(/^there is nothing to sign off yet: add the deploy section first/);
          editYaml(dir, MANIFEST, set(['deploy'], { dataProtection: { personalData: false } }));
        } else {
          before(dir, f);
          const done = await perform(f, dir, MANIFEST, FORECAST_FILL);
          expect(done.length, `${f.code}: nothing to do in "${f.hint}"`).toBeGreaterThan(0);
        }
        const after = (await look('check', dir, ['examples/forecast'])).found;
        expect(
          after.find((x) => x.code === f.code && x.fingerprint === f.fingerprint),
          `${f.code} is still there after "${f.hint}"`,
        ).toBeUndefined();
        // an edit a hint names leaves a manifest that validates: it names every required key
        expect(
          after.filter((x) => x.code.startsWith('SCHEMA_') || x.code === 'UNKNOWN_REFERENCE'),
        ).toEqual([]);
      };
      for (let i = 0; i < hinted.length; i += 4)
        await Promise.all(hinted.slice(i, i + 4).map(follow));
    },
  );
});

// ---------------------------------------------------------------------------------------------
// How hints spell mlops: as the user ran it.

describe('hints spell mlops as the user ran it', () => {
  const NODE_DIR = dirname(process.execPath);
  const SIGN = 'approve models/demand/mlops.yaml --phase envision --by dm`';

  /** The base with no sign-offs: the first hint of check is a command. */
  function unsigned(): string {
    const dir = repo();
    editManifest(dir, del(['approvals']));
    commitAll(dir, 'unsigned');
    return dir;
  }
  const env = (extra: Record<string, string>): Record<string, string> => ({
    ...ENV,
    PATH: [NODE_DIR, '/usr/bin', '/bin'].join(':'),
    ...extra,
  });

  it("the package's own bin/mlops.js run with node: npx mlops, as the Quick start spells it", () => {
    const dir = unsigned();
    const r = spawn(process.execPath, [BIN, 'check', '--phase', 'envision'], dir, env({}));
    expect(r.stdout).toContain(`\`npx mlops ${SIGN}`);
  });

  it('mlops on the PATH (a global install or a link): mlops', () => {
    const dir = unsigned();
    const bin = tempDir('mlops-global-');
    symlinkSync(BIN, join(bin, 'mlops'));
    const r = spawn(
      join(bin, 'mlops'),
      ['check', '--phase', 'envision'],
      dir,
      env({ PATH: `${bin}:${NODE_DIR}:/usr/bin:/bin` }),
    );
    expect(r.stdout).toContain(`\`mlops ${SIGN}`);
    expect(r.stdout).not.toContain('npx');
  });

  it("a project's install, run by an npm script: npx mlops", () => {
    const dir = unsigned();
    mkdirSync(join(dir, 'node_modules/.bin'), { recursive: true });
    symlinkSync(ROOT, join(dir, 'node_modules/mlops'));
    symlinkSync('../mlops/bin/mlops.js', join(dir, 'node_modules/.bin/mlops'));
    const r = spawn(
      join(dir, 'node_modules/.bin/mlops'),
      ['check', '--phase', 'envision'],
      dir,
      env({
        PATH: `${join(dir, 'node_modules/.bin')}:${NODE_DIR}:/usr/bin:/bin`,
        npm_lifecycle_event: 'check',
        npm_command: 'run',
      }),
    );
    expect(r.stdout).toContain(`\`npx mlops ${SIGN}`);
  });

  it('npx: npx mlops', () => {
    const dir = unsigned();
    mkdirSync(join(dir, 'node_modules/.bin'), { recursive: true });
    symlinkSync(ROOT, join(dir, 'node_modules/mlops'));
    symlinkSync('../mlops/bin/mlops.js', join(dir, 'node_modules/.bin/mlops'));
    writeFileSync(
      join(dir, 'package.json'),
      JSON.stringify({ name: 'shop', private: true, devDependencies: { mlops: '*' } }),
    );
    const npx = join(NODE_DIR, 'npx');
    const r = spawn(npx, ['--offline', 'mlops', 'check', '--phase', 'envision'], dir, env({}));
    expect(r.stderr).not.toMatch(/npm (ERR|error)/);
    expect(r.stdout).toContain(`\`npx mlops ${SIGN}`);
  });

  it('run in-process, with no script to tell: mlops', async () => {
    const dir = unsigned();
    const r = await runCli(['check', '--phase', 'envision'], dir);
    expect(r.stdout).toContain(`\`mlops ${SIGN}`);
  });

  it('npx is told by npm_command=exec, whatever it ran', () => {
    expect(invocation({ env: { npm_command: 'exec' }, scriptPath: BIN })).toBe('npx mlops');
    expect(invocation({ env: { npm_lifecycle_event: 'npx' } })).toBe('npx mlops');
    expect(invocation({ env: {} })).toBe('mlops');
  });

  it('the JSON fix stays data: its argv starts with mlops', async () => {
    const dir = unsigned();
    const { found } = await look('check', dir);
    const f = found.find((x) => x.code === 'APPROVAL_MISSING')!;
    expect(f.fix).toEqual({
      kind: 'command',
      argv: ['mlops', 'approve', M, '--phase', 'envision', '--by', 'dm'],
    });
  });
});
