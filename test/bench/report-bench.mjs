#!/usr/bin/env node
// Times `mlops report` against `mlops check` on the same repository with history (see
// report-repo.mjs: 1,000 manifests at status monitor, 24 daily commits of their value-tracking
// reports), with the peak RSS of each, and prints the ratios against the budget: a report takes
// at most 3x the time of `check` and peaks at most 1.2x its memory. Then one size smaller and one
// larger, fewer runs each, to show whether the cost grows faster than the input.
// A ratio over budget is printed as OVER BUDGET; the exit code is non-zero only when a command
// failed to run. Run standalone after a build:
// `node test/bench/report-bench.mjs [manifests] [--versions 24] [--runs 3] [--scale 250,2000]`.
import { readdirSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { fmt, median, ratio, runOnce, table } from './measure.mjs';
import { buildReportRepo } from './report-repo.mjs';

const argv = process.argv.slice(2);
const flag = (name, fallback) => {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 && argv[i + 1] !== undefined ? argv[i + 1] : fallback;
};
const flagValues = new Set(
  ['--versions', '--runs', '--scale', '--scale-runs']
    .map((f) => argv.indexOf(f))
    .filter((i) => i >= 0)
    .map((i) => i + 1),
);
const positional = argv.filter((a, i) => !a.startsWith('-') && !flagValues.has(i));
const MANIFESTS = Number(positional[0] ?? 1000);
const VERSIONS = Number(flag('versions', 24));
const RUNS = Number(flag('runs', 3));
const SCALE_RUNS = Number(flag('scale-runs', 1));
const SCALE = String(flag('scale', `${MANIFESTS / 4},${MANIFESTS * 2}`))
  .split(',')
  .filter((s) => s !== '' && s !== 'none')
  .map(Number);
/** The budget of issue #17: the report against `mlops check` on the same repository. */
const TIME_BUDGET = 3;
const RSS_BUDGET = 1.2;
const BIN = fileURLToPath(new URL('../../bin/mlops.js', import.meta.url));

const env = {
  ...process.env,
  GIT_CONFIG_NOSYSTEM: '1',
  GIT_CONFIG_GLOBAL: '/dev/null',
  NO_COLOR: '1',
};

try {
  statSync(fileURLToPath(new URL('../../dist/cli/launch.cjs', import.meta.url)));
} catch {
  console.error('build first: npm run build');
  process.exit(2);
}

/** The size of a folder's files: count and bytes. */
function sizeOf(dir) {
  let files = 0;
  let bytes = 0;
  const walk = (d) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      if (e.isDirectory()) walk(join(d, e.name));
      else {
        files++;
        bytes += statSync(join(d, e.name)).size;
      }
    }
  };
  walk(dir);
  return { files, bytes };
}

const MiB = (bytes) => `${(bytes / 2 ** 20).toFixed(1)} MiB`;
const rssText = (r) =>
  r.rssMiB === undefined ? '(no /usr/bin/time)' : `${r.rssMiB.toFixed(0)} MiB`;

let failed = false;
/** Once `report` failed to run, its later runs are skipped (their times would mean nothing). */
let reportBroken = false;

/**
 * Builds a repository of `count` manifests and times each command `runs` times, alternated so
 * that machine noise falls on all alike, after one untimed `check` that brings the repository
 * into the page cache. Returns per command: median seconds, max peak RSS, last result.
 */
function measure(count, runs) {
  const dir = mkdtempSync(join(tmpdir(), 'mlops-report-bench-'));
  const out = mkdtempSync(join(tmpdir(), 'mlops-report-bench-site-'));
  const site = join(out, 'site');
  try {
    const t0 = Date.now();
    const { files, today } = buildReportRepo(dir, count, VERSIONS);
    console.log(
      `\n${count} manifests at status monitor, ${files} tracked files, ${VERSIONS} commits a day apart ` +
        `(built in ${((Date.now() - t0) / 1000).toFixed(1)} s); --today ${today}`,
    );
    const commands = {
      check: {
        args: ['check', '--today', today, '--format', 'json', '-o', '/dev/null'],
        ok: [0, 1], // its forecasts are not ready for what they claim: exit 1
      },
      'report (html)': {
        args: ['report', '--today', today, '-o', site],
        ok: [0],
        report: true,
        before: () => rmSync(site, { recursive: true, force: true }),
      },
      'report --format json': {
        args: ['report', '--today', today, '--format', 'json', '-o', '/dev/null'],
        ok: [0],
        report: true,
      },
    };
    runOnce(process.execPath, [BIN, ...commands.check.args], { cwd: dir, env });
    const results = Object.fromEntries(
      Object.keys(commands).map((k) => [k, { times: [], rss: [], last: undefined }]),
    );
    for (let i = 0; i < runs; i++) {
      for (const [name, c] of Object.entries(commands)) {
        if (c.report && reportBroken) continue;
        c.before?.();
        const r = runOnce(process.execPath, [BIN, ...c.args], { cwd: dir, env });
        if (!c.ok.includes(r.status)) {
          // without the lines /usr/bin/time adds (its exit status, the peak)
          const said = (r.stderr ?? '')
            .split('\n')
            .filter((l) => !/^Command exited with non-zero status \d+$|^\d+$/.test(l))
            .join('\n')
            .trim();
          console.error(
            `mlops ${c.args.join(' ')} (in ${dir}): exit ${r.status}\n${(said || r.stdout).slice(0, 2000)}`,
          );
          failed = true;
          if (c.report) reportBroken = true;
          continue;
        }
        results[name].times.push(r.seconds);
        if (r.rssMiB !== undefined) results[name].rss.push(r.rssMiB);
        results[name].last = r;
      }
    }
    const summary = Object.fromEntries(
      Object.entries(results)
        .filter(([, v]) => v.times.length > 0)
        .map(([k, v]) => [
          k,
          {
            seconds: median(v.times),
            rssMiB: v.rss.length ? Math.max(...v.rss) : undefined,
            runs: v.times.length,
            last: v.last,
          },
        ]),
    );
    let siteSize;
    try {
      siteSize = sizeOf(site);
    } catch {
      // no site was written
    }
    return { count, results: summary, siteSize };
  } finally {
    rmSync(dir, { recursive: true, force: true });
    rmSync(out, { recursive: true, force: true });
  }
}

/** The table of one size: each command, its time and peak, and both as ratios to check's. */
function printSize({ count, results, siteSize }, runs) {
  const check = results.check;
  const rows = [];
  const verdicts = [];
  for (const [name, r] of Object.entries(results)) {
    const isReport = name !== 'check';
    const t = check ? r.seconds / check.seconds : undefined;
    const m =
      check?.rssMiB !== undefined && r.rssMiB !== undefined ? r.rssMiB / check.rssMiB : undefined;
    rows.push([
      name,
      fmt(r.seconds),
      `${((r.seconds / count) * 1000).toFixed(1)} ms`,
      rssText(r),
      isReport && t !== undefined ? ratio(r.seconds, check.seconds) : '',
      isReport && m !== undefined ? `${m.toFixed(2)}x` : '',
    ]);
    if (isReport && t !== undefined) {
      const over = [];
      if (t > TIME_BUDGET) over.push(`time ${t.toFixed(2)}x > ${TIME_BUDGET}x`);
      if (m !== undefined && m > RSS_BUDGET) over.push(`peak ${m.toFixed(2)}x > ${RSS_BUDGET}x`);
      verdicts.push(
        over.length > 0
          ? `OVER BUDGET: ${name} on ${count} manifests: ${over.join(', ')}`
          : `within budget: ${name} on ${count} manifests (time ${t.toFixed(2)}x <= ${TIME_BUDGET}x` +
              `${m !== undefined ? `, peak ${m.toFixed(2)}x <= ${RSS_BUDGET}x` : ''})`,
      );
    }
  }
  console.log(
    table(rows, [
      'command',
      runs > 1 ? `median of ${runs}` : 'time (1 run)',
      'per manifest',
      'peak RSS',
      'time vs check',
      'peak vs check',
    ]),
  );
  if (siteSize)
    console.log(
      `site: ${siteSize.files} files, ${MiB(siteSize.bytes)} (${(siteSize.bytes / 1024 / Math.max(1, siteSize.files)).toFixed(0)} KiB a page)`,
    );
  for (const v of verdicts) console.log(v);
}

const main = measure(MANIFESTS, RUNS);
printSize(main, RUNS);
const sizes = [main];
for (const count of SCALE) {
  const s = measure(count, SCALE_RUNS);
  printSize(s, SCALE_RUNS);
  sizes.push(s);
}
if (sizes.length > 1) {
  // Growth: against the smallest size, how much more each command costs for how much more input.
  sizes.sort((a, b) => a.count - b.count);
  const small = sizes[0];
  const rows = [];
  for (const s of sizes) {
    const row = [String(s.count), `${(s.count / small.count).toFixed(1)}x`];
    for (const name of ['check', 'report (html)', 'report --format json']) {
      const r = s.results[name];
      const r0 = small.results[name];
      row.push(r && r0 ? `${fmt(r.seconds)} (${ratio(r.seconds, r0.seconds)})` : '-');
      row.push(
        r?.rssMiB !== undefined && r0?.rssMiB !== undefined
          ? `${r.rssMiB.toFixed(0)} MiB (${ratio(r.rssMiB, r0.rssMiB)})`
          : '-',
      );
    }
    rows.push(row);
  }
  console.log(`\ngrowth against ${small.count} manifests (time, peak RSS; ratio to the smallest)`);
  console.log(
    table(rows, [
      'manifests',
      'input',
      'check time',
      'check peak',
      'report time',
      'report peak',
      'json time',
      'json peak',
    ]),
  );
  // cost per manifest growing with the input means worse than linear
  const big = sizes[sizes.length - 1];
  for (const name of ['check', 'report (html)', 'report --format json']) {
    const a = small.results[name];
    const b = big.results[name];
    if (!a || !b) continue;
    const perSmall = a.seconds / small.count;
    const perBig = b.seconds / big.count;
    const growth = perBig / perSmall;
    console.log(
      `${name}: ${(perSmall * 1000).toFixed(1)} ms a manifest at ${small.count}, ${(perBig * 1000).toFixed(1)} at ${big.count}` +
        ` (${growth.toFixed(2)}x${growth > 1.25 ? ': grows faster than the input' : ': not faster than the input'})`,
    );
  }
}
if (reportBroken) console.error('\nmlops report failed to run: its figures are missing above');
process.exitCode = failed ? 1 : 0;
