#!/usr/bin/env node
// Times `mlops check` on a repository of 1,000 manifests and 100,000 tracked files against
// plain `git ls-files` on the same repository, and prints the ratio.
// Run standalone after a build: `node test/bench/check-bench.mjs [manifests] [files]`.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { alternate, fmt, ratio, runOnce, table } from './measure.mjs';

const [manifestsArg, filesArg] = process.argv.slice(2).filter((a) => !a.startsWith('-'));
const MANIFESTS = Number(manifestsArg ?? 1000);
const FILES = Number(filesArg ?? 100_000);
const RUNS = 5;
const BIN = fileURLToPath(new URL('../../bin/mlops.js', import.meta.url));
const FIXTURE = fileURLToPath(new URL('../fixtures/check-complete/', import.meta.url));
const COMMIT_TIME = Date.parse('2026-11-20T12:00:00Z') / 1000;
const TODAY = '2026-11-27';

const env = {
  ...process.env,
  GIT_CONFIG_NOSYSTEM: '1',
  GIT_CONFIG_GLOBAL: '/dev/null',
  GIT_AUTHOR_NAME: 'Bench',
  GIT_AUTHOR_EMAIL: 'bench@example.com',
  GIT_COMMITTER_NAME: 'Bench',
  GIT_COMMITTER_EMAIL: 'bench@example.com',
  NO_COLOR: '1',
};
const git = (cwd, args, input) =>
  execFileSync('git', args, { cwd, env, input, maxBuffer: 1 << 30 });

function fixtureFiles() {
  const out = [];
  const walk = (dir, prefix) => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      if (e.isDirectory()) walk(join(dir, e.name), `${prefix}${e.name}/`);
      else out.push([`${prefix}${e.name}`, readFileSync(join(dir, e.name))]);
    }
  };
  walk(FIXTURE, '');
  return out;
}

/** One commit built by `git fast-import`: blobs are shared, so 100,000 paths cost little. */
function buildRepo(dir) {
  git(dir, ['init', '-q', '-b', 'main']);
  git(dir, ['config', 'gc.auto', '0']);
  const chunks = [];
  const blob = (mark, content) => {
    chunks.push(
      Buffer.from(`blob\nmark :${mark}\ndata ${content.length}\n`),
      content,
      Buffer.from('\n'),
    );
  };
  const files = fixtureFiles();
  let mark = 1;
  const shared = new Map();
  for (const [path, content] of files) {
    if (path === 'mlops.yaml') continue;
    shared.set(path, mark);
    blob(mark++, content);
  }
  const manifestText = readFileSync(join(FIXTURE, 'mlops.yaml'), 'utf8');
  const manifestMarks = [];
  for (let i = 0; i < MANIFESTS; i++) {
    manifestMarks.push(mark);
    blob(
      mark++,
      Buffer.from(
        manifestText.replace('name: lead-scoring', `name: model-${String(i).padStart(4, '0')}`),
      ),
    );
  }
  const filler = mark;
  blob(mark++, Buffer.from('filler\n'));
  const ops = [];
  for (let i = 0; i < MANIFESTS; i++) {
    const base = `models/m${String(i).padStart(4, '0')}`;
    ops.push(`M 100644 :${manifestMarks[i]} ${base}/mlops.yaml`);
    for (const [path, m] of shared) ops.push(`M 100644 :${m} ${base}/${path}`);
  }
  for (let i = ops.length; i < FILES; i++) {
    ops.push(
      `M 100644 :${filler} src/pkg${String(Math.floor(i / 100)).padStart(4, '0')}/file${String(i % 100).padStart(2, '0')}.txt`,
    );
  }
  chunks.push(
    Buffer.from(
      `commit refs/heads/main\ncommitter Bench <bench@example.com> ${COMMIT_TIME} +0000\ndata 6\nbench\n${ops.join('\n')}\n\n`,
    ),
  );
  git(dir, ['fast-import', '--quiet'], Buffer.concat(chunks));
  git(dir, ['reset', '-q', '--hard', 'main']);
  // Files written in the same second as the index are "racily clean" and git re-reads them on
  // every status; a repository people work in is not like that, so let a second pass and
  // refresh the index once before timing.
  execFileSync('sleep', ['1.2']);
  git(dir, ['update-index', '-q', '--really-refresh']);
  return ops.length;
}

try {
  statSync(fileURLToPath(new URL('../../dist/cli/launch.cjs', import.meta.url)));
} catch {
  console.error('build first: npm run build');
  process.exit(2);
}
const dir = mkdtempSync(join(tmpdir(), 'mlops-check-bench-'));
try {
  const t0 = Date.now();
  const files = buildRepo(dir);
  console.log(
    `repository: ${MANIFESTS} manifests, ${files} tracked files (built in ${((Date.now() - t0) / 1000).toFixed(1)} s)`,
  );
  const results = alternate(
    {
      'mlops check': () =>
        runOnce(process.execPath, [BIN, 'check', '--today', TODAY], { cwd: dir, env }),
      // For scale: reading and validating the same manifests, without git or evidence.
      'mlops validate --no-cache': () =>
        runOnce(process.execPath, [BIN, 'validate', '--no-cache'], { cwd: dir, env }),
      'git ls-files': () => runOnce('git', ['ls-files'], { cwd: dir, env }),
    },
    RUNS,
  );
  const check = results['mlops check'];
  const base = results['git ls-files'];
  const rows = Object.entries(results).map(([name, r]) => [
    name,
    fmt(r.seconds),
    r.rssMiB === undefined ? '' : `${r.rssMiB.toFixed(0)} MiB`,
    ratio(r.seconds, base.seconds),
  ]);
  console.log(table(rows, ['command', `median of ${RUNS}`, 'peak RSS', 'vs git ls-files']));
  const summary = check.last.stdout.trim().split('\n').pop();
  console.log(`mlops check exit ${check.last.status}: ${summary}`);
  if (check.last.status !== 0) {
    console.error(check.last.stderr || check.last.stdout.slice(0, 2000));
    process.exitCode = 1;
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
