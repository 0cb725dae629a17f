#!/usr/bin/env node
// Peak memory of `mlops diff` and `mlops check` when every manifest changed: the peak RSS of
// `diff base` (the working tree at head) in each format, and of `check` in each format, on
// repositories of 1,000 and 5,000 changed manifests (the bundled examples with their evidence,
// see scale-repo.mjs), with the wall time of each run.
// Run standalone after a build: `node test/bench/memory-bench.mjs [counts...]`, e.g. `5000`.
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { fmt, runOnce, table } from './measure.mjs';
import { SCALE_TODAY, buildScaleRepo } from './scale-repo.mjs';

const counts = process.argv
  .slice(2)
  .filter((a) => !a.startsWith('-'))
  .map(Number);
const COUNTS = counts.length > 0 ? counts : [1000, 5000];
const BIN = fileURLToPath(new URL('../../bin/mlops.js', import.meta.url));
/** The goal: a run on 5,000 changed manifests peaks under this. */
const LIMIT_MIB = 400;

const env = {
  ...process.env,
  GIT_CONFIG_NOSYSTEM: '1',
  GIT_CONFIG_GLOBAL: '/dev/null',
  NO_COLOR: '1',
};

const RUNS = [
  ...['text', 'json', 'markdown'].map((f) => ({
    name: `diff base --format ${f}`,
    args: ['diff', 'base', '--format', f, '--fail-on', 'none'],
    ok: [0],
  })),
  ...['text', 'json', 'markdown', 'sarif'].map((f) => ({
    name: `check --format ${f}`,
    args: ['check', '--today', SCALE_TODAY, '--format', f],
    // every manifest changed its envision section: their approvals are stale
    ok: [0, 1],
  })),
];

try {
  statSync(fileURLToPath(new URL('../../dist/cli/launch.cjs', import.meta.url)));
} catch {
  console.error('build first: npm run build');
  process.exit(2);
}
let failed = false;
for (const count of COUNTS) {
  const dir = mkdtempSync(join(tmpdir(), 'mlops-memory-bench-'));
  try {
    const t0 = Date.now();
    const files = buildScaleRepo(dir, count);
    console.log(
      `\n${count} changed manifests, ${files} tracked files (built in ${((Date.now() - t0) / 1000).toFixed(1)} s)`,
    );
    const rows = [];
    for (const run of RUNS) {
      const r = runOnce(process.execPath, [BIN, ...run.args], { cwd: dir, env });
      if (!run.ok.includes(r.status)) {
        console.error(`${run.name}: exit ${r.status}\n${r.stderr.slice(0, 2000)}`);
        failed = true;
      }
      const over = r.rssMiB !== undefined && r.rssMiB >= LIMIT_MIB;
      rows.push([
        run.name,
        fmt(r.seconds),
        r.rssMiB === undefined ? '(no /usr/bin/time)' : `${r.rssMiB.toFixed(0)} MiB`,
        `${(r.stdout.length / 2 ** 20).toFixed(1)} MiB`,
        over ? `over ${LIMIT_MIB} MiB` : '',
      ]);
    }
    console.log(table(rows, ['command', 'time', 'peak RSS', 'output', '']));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
process.exitCode = failed ? 1 : 0;
