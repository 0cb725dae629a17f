#!/usr/bin/env node
// Times `mlops diff base head` across a long history against `git diff --stat base head` of
// the same range, and prints the ratio. The repository, built with git fast-import in a
// temporary folder, holds 1,000 manifests at `base`, then 500 commits that each edit two of
// them (a loosened guardrail, a tightened bound, a new stakeholder or a target moved toward
// the baseline, each with the version bump it needs), so every manifest differs at `head`.
// Run standalone after a build: `node test/bench/diff-bench.mjs [manifests] [commits]`.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { manifestText } from './manifests.mjs';
import { alternate, fmt, ratio, runOnce, table } from './measure.mjs';

const [manifestsArg, commitsArg] = process.argv.slice(2).filter((a) => !a.startsWith('-'));
const MANIFESTS = Number(manifestsArg ?? 1000);
const COMMITS = Number(commitsArg ?? 500);
const RUNS = 5;
const BIN = fileURLToPath(new URL('../../bin/mlops.js', import.meta.url));
const COMMIT_TIME = Date.parse('2026-11-01T12:00:00Z') / 1000;

const env = {
  ...process.env,
  GIT_CONFIG_NOSYSTEM: '1',
  GIT_CONFIG_GLOBAL: '/dev/null',
  NO_COLOR: '1',
};
const git = (cwd, args, input) =>
  execFileSync('git', args, { cwd, env, input, maxBuffer: 1 << 30, encoding: 'utf8' });

function edit(text, from, to) {
  if (!text.includes(from)) throw new Error(`the bench manifest has no "${from}"`);
  return text.replace(from, to);
}

/** Manifest `i` after its one edit in the history. */
function edited(i) {
  const text = manifestText(i);
  switch (i % 4) {
    case 0: // loosened: a guardrail's floor lowered
      return edit(edit(text, 'min: 0.75', 'min: 0.7'), 'version: 0.1.0', 'version: 0.2.0');
    case 1: // tightened: a drift guardrail's ceiling lowered
      return edit(edit(text, 'max: 0.25', 'max: 0.2'), 'version: 0.1.0', 'version: 0.1.1');
    case 2: // added: a stakeholder
      return edit(
        edit(
          text,
          '      role: risk_2nd_line\n',
          '      role: risk_2nd_line\n    - id: legal\n      name: Legal counsel\n      role: legal\n',
        ),
        'version: 0.1.0',
        'version: 0.1.1',
      );
    default: // loosened: a target moved toward the baseline
      return edit(edit(text, 'value: 2.1\n', 'value: 2.3\n'), 'version: 0.1.0', 'version: 0.2.0');
  }
}

/** base: every manifest; then COMMITS commits on main, each editing its share of them. */
function buildRepo(dir) {
  git(dir, ['init', '-q', '-b', 'main']);
  git(dir, ['config', 'gc.auto', '0']);
  const parts = [];
  const data = (text) => `data ${Buffer.byteLength(text)}\n${text}\n`;
  const path = (i) => `models/m${String(i).padStart(4, '0')}/mlops.yaml`;
  let time = COMMIT_TIME;
  // fast-import continues a branch from its last commit on its own
  const commit = (message, files) => {
    parts.push(
      `commit refs/heads/main\ncommitter Bench <bench@example.com> ${time++} +0000\n${data(message)}`,
    );
    for (const [p, text] of files) parts.push(`M 100644 inline ${p}\n${data(text)}`);
    parts.push('\n');
  };
  commit(
    `${MANIFESTS} manifests`,
    Array.from({ length: MANIFESTS }, (_, i) => [path(i), manifestText(i)]),
  );
  parts.push('reset refs/tags/base\nfrom refs/heads/main\n\n');
  for (let c = 0; c < COMMITS; c++) {
    const from = Math.floor((c * MANIFESTS) / COMMITS);
    const to = Math.floor(((c + 1) * MANIFESTS) / COMMITS);
    const files = [];
    for (let i = from; i < to; i++) files.push([path(i), edited(i)]);
    commit(`edit ${files.length} manifests`, files);
  }
  parts.push('reset refs/tags/head\nfrom refs/heads/main\n\n');
  git(dir, ['fast-import', '--quiet'], parts.join(''));
  git(dir, ['reset', '-q', '--hard', 'main']);
  return Number(git(dir, ['rev-list', '--count', 'base..head']).trim());
}

try {
  statSync(fileURLToPath(new URL('../../dist/cli/launch.cjs', import.meta.url)));
} catch {
  console.error('build first: npm run build');
  process.exit(2);
}
const dir = mkdtempSync(join(tmpdir(), 'mlops-diff-bench-'));
try {
  const t0 = Date.now();
  const commits = buildRepo(dir);
  console.log(
    `history: ${MANIFESTS} manifests, ${commits} commits from base to head (built in ${((Date.now() - t0) / 1000).toFixed(1)} s)`,
  );
  const results = alternate(
    {
      'mlops diff base head': () =>
        runOnce(
          process.execPath,
          [BIN, 'diff', 'base', 'head', '--format', 'json', '--fail-on', 'none'],
          { cwd: dir, env },
        ),
      'git diff --stat base head': () =>
        runOnce('git', ['diff', '--stat', 'base', 'head'], { cwd: dir, env }),
    },
    RUNS,
  );
  const mlops = results['mlops diff base head'];
  const base = results['git diff --stat base head'];
  const rows = Object.entries(results).map(([name, r]) => [
    name,
    fmt(r.seconds),
    r.rssMiB === undefined ? '' : `${r.rssMiB.toFixed(0)} MiB`,
    ratio(r.seconds, base.seconds),
  ]);
  console.log(table(rows, ['command', `median of ${RUNS}`, 'peak RSS', 'vs git diff --stat']));
  if (mlops.last.status !== 0) {
    console.error(mlops.last.stderr || mlops.last.stdout.slice(0, 2000));
    process.exitCode = 1;
  } else {
    const report = JSON.parse(mlops.last.stdout);
    const classes = {};
    for (const c of report.changes) classes[c.class] = (classes[c.class] ?? 0) + 1;
    const files = base.last.stdout.trim().split('\n').length - 1;
    console.log(
      `git: ${files} files changed; mlops: ${report.summary.changed} manifests changed, ${JSON.stringify(classes)}, ${report.findings.length} findings`,
    );
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
