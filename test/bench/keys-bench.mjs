#!/usr/bin/env node
// Parse time per key: one manifest of 10,000 to 80,000 keys (valid `x-` keys at the top level,
// under `envision` and under a guardrail; the same read by yaml rather than the fast reader;
// unknown keys; duplicate keys; list items in error, as many as fit in 1 MiB), through
// `validate`, and valid ones through `check` and `approve`. Each size runs alternately with the
// manifest without those keys, whose time (start-up, the rest of the manifest) is taken off;
// the time per key at each size is then divided by the time per key at 10,000 in the same run.
// Flat means about 1x at every size; a step that is quadratic in the keys shows as 2x at 20,000
// and 8x at 80,000.
// Usage: node test/bench/keys-bench.mjs [--runs N] [--sizes 10000,80000] [--kinds x-top,unknown]
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { alternate, fmt, runOnce, table } from './measure.mjs';

const HEAD = `apiVersion: mlops/v1
kind: ModelManifest
metadata:
 name: keys-model
 version: 0.1.0
 owner:
  name: Ada Lovelace
 riskTier: low
envision:
 hypothesis: If we score leads, then sales grow, measured by conversion rate
 stakeholders: [{id: dm, name: Dee, role: decision_maker}]
`;

/** The `i`th key's four characters: 36^4 keys, all text (never a number, as `1e10` would be). */
const id = (i) => i.toString(36).padStart(4, '0');
const lines = (n, line) => {
  let out = '';
  for (let i = 0; i < n; i++) out += line(i);
  return out;
};

/** What each kind of manifest holds, and what reading it must give. */
export const KINDS = {
  'x-top': { what: 'valid x- keys at the top level', valid: true },
  'x-envision': { what: 'valid x- keys under envision', valid: true },
  'x-guardrail': { what: 'valid x- keys under a guardrail', valid: true },
  'x-yaml': { what: 'valid x- keys, read by yaml (an anchor)', valid: true },
  unknown: { what: 'unknown keys at the top level', valid: false },
  duplicate: { what: 'each x- key twice', valid: false },
  'no-bound': { what: 'guardrails without a bound (list items)', valid: false },
};

/**
 * A manifest with `n` keys of `kind` (see KINDS), under 1 MiB up to 80,000 keys; `n` = 0 gives
 * the manifest without them. Keys are 1-space indented so that 80,000 fit.
 */
export function keysManifest(kind, n) {
  switch (kind) {
    case 'x-top':
      return HEAD + lines(n, (i) => `x-${id(i)}: 1\n`);
    case 'x-envision':
      return HEAD + lines(n, (i) => ` x-${id(i)}: 1\n`);
    case 'x-guardrail':
      return `${HEAD} trustworthyAI:\n  fairImpartial:\n   rigor: standard\n   guardrails:\n   - id: g1\n     metric: m\n     min: 0.8\n${lines(n, (i) => `     x-${id(i)}:\n`)}`;
    case 'x-yaml':
      // an anchor is outside the fast reader's subset: yaml, the authoritative reader, reads it
      return HEAD.replace('hypothesis: ', 'hypothesis: &h ') + lines(n, (i) => `x-${id(i)}: 1\n`);
    case 'unknown':
      return HEAD + lines(n, (i) => `k${id(i)}: 1\n`);
    case 'duplicate':
      return HEAD + lines(n, (i) => `x-${id(i >> 1)}: 1\n`);
    case 'no-bound':
      // one flow list: 40,000 items fit in 1 MiB
      return `${HEAD} trustworthyAI:\n  fairImpartial:\n   rigor: standard\n   guardrails: [${lines(n, (i) => `${i ? ', ' : ''}{id: g${id(i)}, metric: m}`)}]\n`;
    default:
      throw new Error(`no manifest kind ${kind}`);
  }
}

// the benchmark itself runs only when this file is run, not when a test imports the generator
if (process.argv[1] === fileURLToPath(import.meta.url)) main();

function main() {
  const arg = (name, fallback) => {
    const i = process.argv.indexOf(name);
    return i > 0 ? process.argv[i + 1] : fallback;
  };
  const RUNS = Number(arg('--runs', '3')) || 3;
  const SIZES = arg('--sizes', '10000,20000,40000,80000').split(',').map(Number);
  const KIND_NAMES = arg('--kinds', Object.keys(KINDS).join(',')).split(',');
  /** The ratio at the largest size that still counts as flat: noise, not a trend. */
  const GOAL = 1.5;
  const BIN = fileURLToPath(new URL('../../bin/mlops.js', import.meta.url));
  const TODAY = '2026-11-27';
  /** The size limit of a manifest: larger sizes of a kind are left out. */
  const MAX_BYTES = 1024 * 1024;
  const env = {
    ...process.env,
    NO_COLOR: '1',
    GIT_CONFIG_NOSYSTEM: '1',
    GIT_CONFIG_GLOBAL: '/dev/null',
    GIT_AUTHOR_NAME: 'Bench',
    GIT_AUTHOR_EMAIL: 'bench@example.com',
    GIT_COMMITTER_NAME: 'Bench',
    GIT_COMMITTER_EMAIL: 'bench@example.com',
  };
  // which command runs on which kinds: check and approve read valid manifests only
  const commands = {
    validate: KIND_NAMES,
    check: KIND_NAMES.filter((k) => k === 'x-top' || k === 'x-yaml'),
    approve: KIND_NAMES.filter((k) => k === 'x-top' || k === 'x-yaml'),
  };
  const base = mkdtempSync(join(tmpdir(), 'mlops-keys-bench-'));
  const rows = [];
  let failed = false;
  try {
    for (const [command, kinds] of Object.entries(commands)) {
      for (const kind of kinds) {
        const candidates = {};
        const sizes = SIZES.filter((n) => Buffer.byteLength(keysManifest(kind, n)) <= MAX_BYTES);
        for (const n of [0, ...sizes]) {
          const dir = join(base, `${command}-${kind}-${n}`);
          mkdirSync(dir);
          const text = keysManifest(kind, n);
          const file = join(dir, 'mlops.yaml');
          writeFileSync(file, text);
          if (command !== 'validate') {
            execFileSync('git', ['init', '-q', '-b', 'main'], { cwd: dir, env });
            execFileSync('git', ['add', 'mlops.yaml'], { cwd: dir, env });
            execFileSync('git', ['commit', '-qm', 'manifest'], { cwd: dir, env });
          }
          const args = {
            validate: ['validate', '--no-cache', 'mlops.yaml'],
            check: ['check', '--today', TODAY, 'mlops.yaml'],
            approve: [
              'approve',
              'mlops.yaml',
              '--phase',
              'envision',
              '--by',
              'dm',
              '--date',
              TODAY,
            ],
          }[command];
          candidates[n] = () => {
            // approve writes the file: each run signs the manifest as it was
            if (command === 'approve') writeFileSync(file, text);
            return runOnce(process.execPath, [BIN, ...args], { cwd: dir, env });
          };
        }
        const r = alternate(candidates, RUNS);
        const want = command === 'validate' && !KINDS[kind].valid ? 1 : 0;
        for (const [n, res] of Object.entries(r)) {
          const got = res.last.status;
          // without the keys, every manifest is valid
          if (got !== (n === '0' ? 0 : want)) {
            failed = true;
            console.error(
              `${command} on ${n} ${kind} keys exited ${got}: ${(res.last.stderr || res.last.stdout).slice(0, 300)}`,
            );
          }
        }
        const start = r[0].seconds;
        const perKey = (n) => (r[n].seconds - start) / n;
        const first = perKey(sizes[0]);
        for (const n of sizes) {
          const ratio = perKey(n) / first;
          rows.push([
            command,
            KINDS[kind].what,
            n,
            fmt(r[n].seconds),
            `${((perKey(n) * 1e6) | 0).toString()} us`,
            `${ratio.toFixed(2)}x`,
            n === sizes[0] ? '' : ratio <= GOAL ? 'yes' : 'NO',
            r[n].rssMiB === undefined ? '' : `${r[n].rssMiB.toFixed(0)} MiB`,
          ]);
        }
        rows.push([command, `  (the same manifest without them)`, 0, fmt(start), '', '', '', '']);
      }
    }
    console.log(
      `keys: median of ${RUNS} alternating runs; time per key = (time - time without the keys) / keys, against ${SIZES[0]}`,
    );
    console.log(
      table(rows, [
        'command',
        'manifest',
        'keys',
        'wall',
        'per key',
        `vs ${SIZES[0]}`,
        `<= ${GOAL}x`,
        'peak RSS',
      ]),
    );
    const judged = rows.filter((row) => row[6] !== '');
    console.log(
      `goals met: ${judged.filter((row) => row[6] === 'yes').length} of ${judged.length}`,
    );
    if (failed) process.exitCode = 1;
  } finally {
    rmSync(base, { recursive: true, force: true });
  }
}
