// `mlops validate` against ajv-cli 5 on the same files and schema, alternating runs, on clean
// manifests, on manifests that each carry one warning, and on manifests of which 10% have a
// schema error; plus start-up against `node -e 0`. Each row states its goal and whether it is met.
// Usage: node test/bench/validate-bench.mjs [--runs N] [--sizes 1000,10000]
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeManifests } from './manifests.mjs';

const sleepMs = (ms) => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
import { alternate, fmt, ratio, runOnce, table } from './measure.mjs';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const BIN = join(ROOT, 'bin/mlops.js');
const AJV = join(ROOT, 'node_modules/ajv-cli/dist/index.js');
const SCHEMA = join(ROOT, 'schemas/mlops.v1.schema.json');
const arg = (name, fallback) => {
  const i = process.argv.indexOf(name);
  return i > 0 ? process.argv[i + 1] : fallback;
};
const RUNS = Number(arg('--runs', '5'));
const SIZES = arg('--sizes', '1000,10000').split(',').map(Number);
/** Fewer runs where one takes seconds. */
const runsAt = (size) => (size >= 10000 ? Math.min(RUNS, 3) : RUNS);

const node =
  (args, env = {}) =>
  () =>
    runOnce(process.execPath, args, {
      env: {
        ...process.env,
        NO_COLOR: '1',
        XDG_CACHE_HOME: env.cache ?? process.env.XDG_CACHE_HOME,
      },
    });
const ajvCli = (dir) =>
  node([
    AJV,
    'validate',
    '--spec=draft2020',
    '--strict=false',
    '--all-errors',
    '-c',
    'ajv-formats',
    '-s',
    SCHEMA,
    '-d',
    `${dir}/models/*/mlops.yaml`,
  ]);

/** Exit codes each tool must give on a corpus: mlops fails on errors only, ajv on any. */
function checkExits(results, corpus, size) {
  const expected = { ajv: corpus === 'error' ? 1 : 0, cold: corpus === 'error' ? 1 : 0 };
  expected.warm = expected.cold;
  for (const [name, want] of Object.entries(expected)) {
    const res = results[name];
    if (res && res.last.status !== want) {
      throw new Error(
        `${name} on ${size} ${corpus} manifests exited ${res.last.status}, not ${want}: ${(res.last.stderr || res.last.stdout).slice(0, 500)}`,
      );
    }
  }
}

const rows = [];
const mib = (x) => (x.rssMiB === undefined ? '' : `${x.rssMiB.toFixed(0)} MiB`);
const row = (what, size, r, ratioText, goal, met) =>
  rows.push([what, size, fmt(r.seconds), ratioText, goal, met ? 'yes' : 'NO', mib(r)]);
const peakAt10k = [];
const baseDir = mkdtempSync(join(tmpdir(), 'mlops-bench-'));
try {
  const cacheDir = join(baseDir, 'cache');

  // start-up: --help, and one manifest that carries a warning
  const one = join(baseDir, 'one');
  writeManifests(one, 1, () => 'warning');
  const bare = alternate(
    {
      node: node(['-e', '0']),
      help: node([BIN, '--help']),
      one: node([BIN, 'validate', '--no-cache', one], { cache: cacheDir }),
    },
    RUNS * 2,
  );
  rows.push(['node -e 0', '', fmt(bare.node.seconds), '', '', '', mib(bare.node)]);
  const over = bare.help.seconds - bare.node.seconds;
  row('mlops --help', '', bare.help, `+${fmt(over)} over node`, '<= node + 30 ms', over <= 0.03);
  const oneRatio = bare.one.seconds / bare.node.seconds;
  row(
    'validate --no-cache, 1 with a warning',
    1,
    bare.one,
    `${ratio(bare.one.seconds, bare.node.seconds)} of node -e 0`,
    '<= 1.5x node',
    oneRatio <= 1.5,
  );

  // corpora: [name, what each manifest carries, the goal of a cold run against ajv-cli]
  const corpora = [
    ['clean', () => 'clean', 0.65],
    ['warning', () => 'warning', 0.8],
    ['error', (i) => (i % 10 === 0 ? 'error' : 'clean'), 0.8],
  ];
  for (const [corpus, kindOf, goal] of corpora) {
    for (const size of corpus === 'error' ? SIZES.filter((s) => s <= 1000) : SIZES) {
      const dir = join(baseDir, `${corpus}-${size}`);
      writeManifests(dir, size, kindOf);
      const candidates = {
        ajv: ajvCli(dir),
        cold: node([BIN, 'validate', '--no-cache', dir], { cache: cacheDir }),
      };
      if (corpus === 'clean') {
        candidates.warm = node([BIN, 'validate', dir], { cache: cacheDir });
        // "warm" means files nobody touched since the last run: the stat index never records a
        // file changed in the last 3 s (a later change could share its times), so let the new
        // files age past that before the run that fills the cache
        sleepMs(3200);
        candidates.warm(); // fill the cache, and record the files' stats
      }
      const r = alternate(candidates, runsAt(size));
      checkExits(r, corpus, size);
      const label = {
        clean: 'clean',
        warning: 'each with a warning',
        error: '10% with an error',
      }[corpus];
      rows.push([`ajv-cli 5, ${label}`, size, fmt(r.ajv.seconds), '1.00x', '', '', mib(r.ajv)]);
      row(
        `validate --no-cache, ${label}`,
        size,
        r.cold,
        `${ratio(r.cold.seconds, r.ajv.seconds)} of ajv-cli`,
        `<= ${goal}x ajv-cli`,
        r.cold.seconds / r.ajv.seconds <= goal,
      );
      if (r.warm) {
        row(
          `validate (warm cache), ${label}`,
          size,
          r.warm,
          `${ratio(r.warm.seconds, r.ajv.seconds)} of ajv-cli`,
          '<= 0.2x ajv-cli',
          r.warm.seconds / r.ajv.seconds <= 0.2,
        );
      }
      if (size >= 10000) peakAt10k.push(r.cold.rssMiB, r.warm?.rssMiB);
      rmSync(dir, { recursive: true, force: true });
    }
  }
  const peaks = peakAt10k.filter((x) => x !== undefined);
  if (peaks.length > 0) {
    const peak = Math.max(...peaks);
    rows.push([
      'peak RSS of mlops at 10,000',
      10000,
      '',
      `${peak.toFixed(0)} MiB`,
      '<= 130 MiB',
      peak <= 130 ? 'yes' : 'NO',
      '',
    ]);
  }
  console.log(
    `validate: median of ${RUNS} alternating runs${SIZES.includes(10000) ? ` (${runsAt(10000)} at 10,000)` : ''}, start-up of ${RUNS * 2}`,
  );
  console.log(table(rows, ['what', 'manifests', 'wall', 'ratio', 'goal', 'met', 'peak RSS']));
  const judged = rows.filter((r) => r[5] !== '');
  console.log(`goals met: ${judged.filter((r) => r[5] === 'yes').length} of ${judged.length}`);
} finally {
  rmSync(baseDir, { recursive: true, force: true });
}
