import { spawnSync } from 'node:child_process';
import {
  existsSync,
  mkdtempSync,
  readFileSync,
  realpathSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
// @ts-expect-error: plain JS benchmark helper, shared so the test measures the bench's repository
import { SCALE_TODAY, buildScaleRepo } from '../bench/scale-repo.mjs';
import { BIN } from '../helpers/bin.js';

/** Every manifest of the repository changed between `base` and `head` (checked out). */
const COUNT = 5000;
/**
 * What a run on it may take at its peak, all memory of the process counted: diff measured 301
 * to 352 MiB once it reads the evidence at both sides (its JSON report is some 17 MB); check
 * measured 385 to 408 MiB once every manifest kept its scoreboard and the value-proven rules'
 * findings, 464 to 470 MiB once it judged who signed each approval (six findings more per
 * manifest, each kept for the summary), 470 to 508 MiB with the EU AI Act rules, and 426 to
 * 428 MiB once it collected the garbage of each batch of 250 manifests, so the budget is
 * 500 MiB until check keeps less per manifest.
 */
const PEAK_MIB = 500;
/**
 * The V8 heap is capped over the goal, not under it, so that the test sees how far the heap
 * grows by itself (by default V8 lets a run like this one reach 450 to 650 MiB), while a run
 * that holds what it read of every manifest at once (some 1.2 GiB here) runs out of heap and
 * fails at once instead of swapping.
 */
const HEAP_MIB = 512;
/** A run that hangs fails instead (a run takes some 20 s on two cores). */
const RUN_TIMEOUT_MS = 240_000;

let dir: string;
let aside: string;
let rssFile: string;
let preload: string;

beforeAll(() => {
  dir = realpathSync(mkdtempSync(join(tmpdir(), 'mlops-scale-')));
  aside = mkdtempSync(join(tmpdir(), 'mlops-scale-rss-'));
  // the peak resident set of the run, as the kernel counts it, written as the process exits
  rssFile = join(aside, 'max-rss-kib.txt');
  preload = join(aside, 'max-rss.cjs');
  writeFileSync(
    preload,
    `process.on('exit', () => require('node:fs').writeFileSync(${JSON.stringify(rssFile)}, String(process.resourceUsage().maxRSS)));\n`,
  );
  (buildScaleRepo as (dir: string, count: number) => number)(dir, COUNT);
}, 180_000);

afterAll(() => {
  for (const path of [dir, aside]) if (path) rmSync(path, { recursive: true, force: true });
}, 120_000);

/** Runs the built CLI in the repository under the heap cap: its output, and its peak in MiB. */
function measured(args: string[]): {
  code: number | null;
  stdout: string;
  stderr: string;
  peakMiB: number;
} {
  rmSync(rssFile, { force: true });
  const env: Record<string, string | undefined> = {
    ...process.env,
    NO_COLOR: '1',
    GIT_CONFIG_NOSYSTEM: '1',
    GIT_CONFIG_GLOBAL: '/dev/null',
    NODE_OPTIONS: `--max-old-space-size=${HEAP_MIB} --require ${preload}`,
  };
  delete env.FORCE_COLOR;
  const r = spawnSync(process.execPath, [BIN, ...args], {
    cwd: dir,
    env,
    encoding: 'utf8',
    input: '',
    maxBuffer: 1 << 28,
    timeout: RUN_TIMEOUT_MS,
  });
  // a run that ran out of heap aborts without exiting: its stderr says so, and it has no figure
  const kib = existsSync(rssFile) ? Number(readFileSync(rssFile, 'utf8')) : Infinity;
  return { code: r.status, stdout: r.stdout, stderr: r.stderr, peakMiB: kib / 1024 };
}

describe(`${COUNT} changed manifests, each with its evidence`, () => {
  it(
    `diff reports every change in under ${PEAK_MIB} MiB`,
    { timeout: RUN_TIMEOUT_MS + 10_000 },
    () => {
      const r = measured(['diff', 'base', '--format', 'json', '--fail-on', 'none']);
      expect(r.stderr).toBe('');
      expect(r.code).toBe(0);
      const report = JSON.parse(r.stdout) as {
        summary: { changed: number };
        changes: { class: string }[];
      };
      expect(report.summary.changed).toBe(COUNT);
      // a third each: a guardrail loosened, a target tightened, a stakeholder added; and what
      // the evidence changed: the reports that differ, and the approvals that binds
      const classes: Record<string, number> = {};
      for (const c of report.changes) classes[c.class] = (classes[c.class] ?? 0) + 1;
      expect(classes).toEqual({
        loosened: 1667,
        tightened: 1667,
        added: 1666,
        evidence: 10833,
        stale: 778,
      });
      expect(r.peakMiB).toBeLessThan(PEAK_MIB);
    },
  );

  it(
    `check judges every manifest in under ${PEAK_MIB} MiB`,
    { timeout: RUN_TIMEOUT_MS + 10_000 },
    () => {
      const json = join(aside, 'check.json');
      // the largest report (some 70 MiB), to a file, beside the text to standard output
      const r = measured([
        'check',
        '--today',
        SCALE_TODAY as string,
        '-f',
        'text',
        '-f',
        `json=${json}`,
      ]);
      expect(r.stderr).toBe('');
      const report = JSON.parse(readFileSync(json, 'utf8')) as {
        summary: { manifests: number; ok: number; notOk: number };
        manifests: { file: string }[];
      };
      expect(report.summary).toEqual({ manifests: COUNT, ok: 0, notOk: COUNT });
      expect(report.manifests.at(-1)!.file).toBe('models/m04999/mlops.yaml');
      // every envision section changed since it was signed off: no model is ready
      expect(r.code).toBe(1);
      expect(r.stdout).toContain(`✖ 0 of ${COUNT} manifests meet their status`);
      expect(r.stdout).toContain('models/m04999/mlops.yaml  store-demand-forecast-04999');
      expect(r.peakMiB).toBeLessThan(PEAK_MIB);
    },
  );
});
