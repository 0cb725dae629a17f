#!/usr/bin/env node
// Speed of `mlops diff` across a long history, next to `git diff --stat` of the same range.
// Builds (in a temporary folder, with git fast-import) a repository whose base commit holds
// 1,000 manifests, then 500 commits that each edit two of them, so every manifest differs
// between base and head. Needs the built CLI: `npm run build` first.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const MANIFESTS = 1000;
const COMMITS = 500;
const RUNS = 5;

const BIN = fileURLToPath(new URL('../../bin/mlops.js', import.meta.url));
const TEMPLATE = readFileSync(fileURLToPath(new URL('../../examples/churn/mlops.yaml', import.meta.url)), 'utf8');
if (!existsSync(fileURLToPath(new URL('../../dist/cli/main.js', import.meta.url)))) {
  console.error('diff-bench: build first (npm run build)');
  process.exit(2);
}

const ENV = {
  ...process.env,
  GIT_CONFIG_NOSYSTEM: '1',
  GIT_CONFIG_GLOBAL: '/dev/null',
  NO_COLOR: '1',
};

function model(i, edits = 0) {
  const name = `model-${String(i).padStart(4, '0')}`;
  let text = TEMPLATE.replace('name: churn-propensity', `name: ${name}`);
  if (edits === 0) return text;
  // each kind of edit a reviewer meets: a loosened guardrail, a tightened drift bound, a new
  // stakeholder, a target moved toward the baseline; and the version bump they need
  const kind = i % 4;
  if (kind === 0) text = text.replace('min: 0.75\n', 'min: 0.7\n');
  if (kind === 1) text = text.replace('max: 0.25\n      warn: 0.1', 'max: 0.2\n      warn: 0.1');
  if (kind === 2) text = text.replace('    - id: audit\n', '    - id: legal\n      name: Legal counsel\n      role: legal\n    - id: audit\n');
  if (kind === 3) text = text.replace('target: { value: 1.6,', 'target: { value: 1.7,');
  return text.replace('version: 1.4.0', `version: ${kind === 1 ? '1.4.1' : kind === 2 ? '1.5.0' : '2.0.0'}`);
}

function fastImportStream() {
  const parts = [];
  const data = (text) => `data ${Buffer.byteLength(text)}\n${text}\n`;
  let time = 1_767_225_600; // 2026-01-01
  // fast-import continues a branch from its last commit on its own
  const commit = (message, files) => {
    parts.push(`commit refs/heads/main\ncommitter Bench <bench@example.com> ${time++} +0000\n${data(message)}`);
    for (const [path, text] of files) parts.push(`M 100644 inline ${path}\n${data(text)}`);
    parts.push('\n');
  };
  const path = (i) => `models/${String(i).padStart(4, '0')}/mlops.yaml`;
  commit('base: 1,000 manifests', Array.from({ length: MANIFESTS }, (_, i) => [path(i), model(i)]));
  parts.push('reset refs/tags/base\nfrom refs/heads/main\n\n');
  const perCommit = MANIFESTS / COMMITS;
  for (let c = 0; c < COMMITS; c++) {
    const files = [];
    for (let k = 0; k < perCommit; k++) {
      const i = c * perCommit + k;
      files.push([path(i), model(i, 1)]);
    }
    commit(`edit ${files.length} manifests`, files);
  }
  parts.push('reset refs/tags/head\nfrom refs/heads/main\n\n');
  return parts.join('');
}

function time(fn) {
  const samples = [];
  let last;
  for (let r = 0; r < RUNS; r++) {
    const start = process.hrtime.bigint();
    last = fn();
    samples.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
  samples.sort((a, b) => a - b);
  return { median: samples[Math.floor(samples.length / 2)], last };
}

const dir = mkdtempSync(join(tmpdir(), 'mlops-diff-bench-'));
try {
  const built = process.hrtime.bigint();
  execFileSync('git', ['init', '-q', '-b', 'main', dir], { env: ENV });
  execFileSync('git', ['fast-import', '--quiet'], { cwd: dir, env: ENV, input: fastImportStream(), maxBuffer: 1 << 30 });
  execFileSync('git', ['checkout', '-q', 'main'], { cwd: dir, env: ENV });
  const setup = Number(process.hrtime.bigint() - built) / 1e6;
  const commits = execFileSync('git', ['rev-list', '--count', 'base..head'], { cwd: dir, env: ENV, encoding: 'utf8' }).trim();

  const git = time(() => spawnSync('git', ['diff', '--stat', 'base', 'head'], { cwd: dir, env: ENV, encoding: 'utf8', maxBuffer: 1 << 28 }));
  const mlops = time(() => spawnSync(process.execPath, [BIN, 'diff', 'base', 'head', '--format', 'json', '--fail-on', 'none'], { cwd: dir, env: ENV, encoding: 'utf8', maxBuffer: 1 << 28 }));
  if (mlops.last.status !== 0) {
    console.error(mlops.last.stderr);
    throw new Error(`mlops diff exited ${mlops.last.status}`);
  }
  const report = JSON.parse(mlops.last.stdout);
  const files = git.last.stdout.trim().split('\n').length - 1;

  console.log(`history: ${MANIFESTS} manifests, ${commits} commits between base and head (built in ${(setup / 1000).toFixed(1)} s)`);
  console.log(`git diff --stat base head   ${git.median.toFixed(0).padStart(6)} ms   (${files} files)`);
  console.log(`mlops diff base head        ${mlops.median.toFixed(0).padStart(6)} ms   (${report.summary.changed} manifests, ${report.changes.length} changes, ${report.findings.length} findings)`);
  console.log(`ratio mlops / git: ${(mlops.median / git.median).toFixed(1)}x   (median of ${RUNS} runs each)`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
