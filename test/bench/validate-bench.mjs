// `mlops validate` against ajv-cli 5 on the same files and schema, alternating runs.
// Usage: node test/bench/validate-bench.mjs [--runs N] [--sizes 1,1000,10000]
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeManifests } from './manifests.mjs';
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
const SIZES = arg('--sizes', '1,1000,10000').split(',').map(Number);

const node =
  (args, env = {}) =>
  () =>
    runOnce(process.execPath, args, {
      env: {
        ...process.env,
        NO_COLOR: '1',
        XDG_CACHE_HOME: env.cache ?? process.env.XDG_CACHE_HOME,
        ...env.extra,
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

const rows = [];
const baseDir = mkdtempSync(join(tmpdir(), 'mlops-bench-'));
try {
  const cacheDir = join(baseDir, 'cache');
  const bare = alternate({ node: node(['-e', '0']), help: node([BIN, '--help']) }, RUNS);
  rows.push(['node -e 0', '', fmt(bare.node.seconds), '', '']);
  rows.push([
    'mlops --help',
    '',
    fmt(bare.help.seconds),
    `+${fmt(bare.help.seconds - bare.node.seconds)} over node`,
    '',
  ]);
  for (const size of SIZES) {
    const dir = join(baseDir, `n${size}`);
    writeManifests(dir, size);
    const cold = node([BIN, 'validate', '--no-cache', dir], { cache: cacheDir });
    const warm = node([BIN, 'validate', dir], { cache: cacheDir });
    warm(); // fill the cache
    const r = alternate(
      { ajv: ajvCli(dir), cold, warm, node: node(['-e', '0']) },
      size >= 10000 ? Math.min(RUNS, 3) : RUNS,
    );
    for (const [name, res] of Object.entries(r)) {
      if (name !== 'node' && res.last.status !== 0) {
        throw new Error(
          `${name} on ${size} manifests exited ${res.last.status}: ${res.last.stderr.slice(0, 500)}`,
        );
      }
    }
    const rss = (x) => (x.rssMiB === undefined ? '' : `${x.rssMiB.toFixed(0)} MiB`);
    rows.push([`ajv-cli 5`, size, fmt(r.ajv.seconds), '1.00x', rss(r.ajv)]);
    rows.push([
      `mlops validate --no-cache`,
      size,
      fmt(r.cold.seconds),
      ratio(r.cold.seconds, r.ajv.seconds) + ' of ajv-cli',
      rss(r.cold),
    ]);
    rows.push([
      `mlops validate (warm cache)`,
      size,
      fmt(r.warm.seconds),
      ratio(r.warm.seconds, r.ajv.seconds) + ' of ajv-cli',
      rss(r.warm),
    ]);
    if (size === 1)
      rows.push([
        '  one manifest vs node -e 0',
        1,
        '',
        ratio(r.cold.seconds, r.node.seconds) + ' of node -e 0',
        '',
      ]);
    rmSync(dir, { recursive: true, force: true });
  }
  console.log(
    `validate: median of ${RUNS} alternating runs (${SIZES.includes(10000) ? 'at most 3 at 10,000' : ''})`,
  );
  console.log(table(rows, ['what', 'manifests', 'wall', 'ratio', 'peak RSS']));
} finally {
  rmSync(baseDir, { recursive: true, force: true });
}
