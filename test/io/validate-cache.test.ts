import { spawnSync } from 'node:child_process';
import {
  chmodSync,
  cpSync,
  linkSync,
  mkdirSync,
  readFileSync,
  readdirSync,
  statSync,
  symlinkSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
// @ts-expect-error: plain JS build helper, the same function the build embeds the key with
import { VALIDATION_BUNDLES, validationHash } from '../../src/build/validation-hash.mjs';
import {
  ValidateCache,
  cacheDir,
  numberField,
  openValidateCache,
  statScope,
} from '../../src/io/validate-cache.js';
import type { FileStat } from '../../src/io/validate-cache.js';
import { BIN, runBin } from '../helpers/bin.js';
import { commitFiles, git, gitDir, tempDir } from '../helpers/gitdir.js';

const NOW = Date.UTC(2026, 10, 27, 12);
const FIXTURE_BROKEN = fileURLToPath(
  new URL('../fixtures/validate/broken/mlops.yaml', import.meta.url),
);
const old = (over: Partial<FileStat> = {}): FileStat => ({
  ino: 42,
  size: 1234,
  mtimeMs: NOW - 60_000.25,
  ctimeMs: NOW - 50_000.5,
  ...over,
});
const finding = {
  code: 'SCHEMA_ENUM' as const,
  severity: 'error' as const,
  path: ['metadata', 'riskTier'],
  args: { at: ['metadata', 'riskTier'], value: 'hgh', kind: 'string', allowed: ['low', 'high'] },
  line: 3,
  column: 5,
  fingerprint: '0123456789abcdef',
};
const named = { name: 'churn\tmodel "x"', line: 4, column: 9 };

/** A cache holding one clean, named manifest at `path`: its stats file, and the file's text. */
function withOneStat(dir: string, path: string): { file: string; text: string } {
  saved(dir, (c) => {
    c.set('h', { findings: [], name: named });
    c.noteStat(path, old(), 'h', NOW);
  });
  const [name] = readdirSync(dir).filter((f) => f.startsWith('validate-stats-'));
  const file = join(dir, name!);
  return { file, text: readFileSync(file, 'utf8') };
}

function saved(dir: string, fill: (cache: ValidateCache) => void, scope = '/repo'): ValidateCache {
  const cache = ValidateCache.open(dir, 'k1', scope);
  fill(cache);
  cache.save();
  return ValidateCache.open(dir, 'k1', scope);
}

describe('ValidateCache', () => {
  it("keeps findings by content hash, and a file's hash by its exact stat", () => {
    const dir = tempDir();
    const reopened = saved(dir, (c) => {
      c.set('hashA', { findings: [] });
      c.set('hashB', { findings: [finding], name: named });
      c.set('hashC', { findings: [], name: named });
      c.noteStat('/repo/a b\tc/mlops.yaml', old(), 'hashB', NOW);
    });
    expect(reopened.get('hashA')).toEqual({ findings: [] });
    expect(reopened.get('hashB')).toEqual({ findings: [finding], name: named });
    expect(reopened.get('hashC')).toEqual({ findings: [], name: named });
    expect(reopened.get('hashD')).toBeUndefined();
    expect(reopened.hashFor('/repo/a b\tc/mlops.yaml', old())).toBe('hashB');
    for (const changed of [
      { ino: 43 },
      { size: 1235 },
      { mtimeMs: NOW - 60_000 },
      { ctimeMs: NOW - 50_000.25 },
    ]) {
      expect(reopened.hashFor('/repo/a b\tc/mlops.yaml', old(changed))).toBeUndefined();
    }
    expect(ValidateCache.open(dir, 'k2', '/repo').get('hashA')).toBeUndefined();
    expect(
      ValidateCache.open(dir, 'k2', '/repo').hashFor('/repo/a b\tc/mlops.yaml', old()),
    ).toBeUndefined();
    // another scope has stats of its own, and the same content entries
    expect(
      ValidateCache.open(dir, 'k1', '/elsewhere').hashFor('/repo/a b\tc/mlops.yaml', old()),
    ).toBeUndefined();
    expect(ValidateCache.open(dir, 'k1', '/elsewhere').get('hashB')).toEqual({
      findings: [finding],
      name: named,
    });
  });

  it('answers an unchanged file from its stats line alone, without the content cache', () => {
    const dir = tempDir();
    saved(dir, (c) => {
      c.set('hashB', { findings: [finding], name: named });
      c.noteStat('/repo/m/mlops.yaml', old(), 'hashB', NOW);
    });
    // the content cache is gone: the outcome still comes with the stat
    writeFileSync(join(dir, 'validate-cache.txt'), 'not a cache\n');
    const reopened = ValidateCache.open(dir, 'k1', '/repo');
    expect(reopened.hashFor('/repo/m/mlops.yaml', old())).toBe('hashB');
    expect(reopened.get('hashB')).toEqual({ findings: [finding], name: named });
    // a stat that no longer matches brings no outcome with it
    const fresh = ValidateCache.open(dir, 'k1', '/repo');
    expect(fresh.hashFor('/repo/m/mlops.yaml', old({ size: 1 }))).toBeUndefined();
    expect(fresh.get('hashB')).toBeUndefined();
  });

  it('never records a stat with recent times, and forgets one that has become recent', () => {
    const dir = tempDir();
    let reopened = saved(dir, (c) => {
      c.set('h', { findings: [] });
      c.noteStat('/r/new.yaml', old({ mtimeMs: NOW - 1000 }), 'h', NOW);
      c.noteStat('/r/changed.yaml', old({ ctimeMs: NOW - 10 }), 'h', NOW);
      c.noteStat('/r/kept.yaml', old(), 'h', NOW);
      c.noteStat('/r/line\nbreak.yaml', old(), 'h', NOW);
    });
    expect(reopened.hashFor('/r/new.yaml', old({ mtimeMs: NOW - 1000 }))).toBeUndefined();
    expect(reopened.hashFor('/r/changed.yaml', old({ ctimeMs: NOW - 10 }))).toBeUndefined();
    expect(reopened.hashFor('/r/kept.yaml', old())).toBe('h');
    const files = readdirSync(dir).filter((f) => f.startsWith('validate-stats-'));
    expect(files).toHaveLength(1);
    expect(readFileSync(join(dir, files[0]!), 'utf8')).toContain('kept.yaml');
    expect(readFileSync(join(dir, files[0]!), 'utf8')).not.toContain('line');

    reopened = saved(dir, (c) =>
      c.noteStat('/r/kept.yaml', old({ ctimeMs: NOW + 5 }), 'h', NOW + 10),
    );
    expect(reopened.hashFor('/r/kept.yaml', old())).toBeUndefined();
  });

  it('forgets the stat of a path not seen for 16 saves, and keeps one still in use', () => {
    const dir = tempDir();
    let cache = saved(dir, (c) => {
      c.set('h', { findings: [] });
      c.noteStat('/r/gone.yaml', old(), 'h', NOW);
      c.noteStat('/r/used.yaml', old({ ino: 7 }), 'h', NOW);
    });
    for (let run = 1; run <= 16; run++) {
      cache = saved(dir, (c) => {
        c.noteStat(`/r/new${run}.yaml`, old(), 'h', NOW); // something new, so that the stats are saved
        c.noteStat('/r/used.yaml', old({ ino: 7 }), 'h', NOW);
      });
      expect(cache.hashFor('/r/gone.yaml', old())).toBe('h');
    }
    cache = saved(dir, (c) => {
      c.noteStat('/r/new17.yaml', old(), 'h', NOW);
      c.noteStat('/r/used.yaml', old({ ino: 7 }), 'h', NOW);
    });
    expect(cache.hashFor('/r/gone.yaml', old())).toBeUndefined();
    expect(cache.hashFor('/r/used.yaml', old({ ino: 7 }))).toBe('h');
  });

  it('answers a warm run from each stats line alone (statHit), as hashFor and get would', () => {
    const dir = tempDir();
    const paths = ['/repo/a b\tc/mlops.yaml', '/repo/b/mlops.yaml', '/repo/c/mlops.yaml'];
    const outcomes = [
      { findings: [finding], name: named },
      { findings: [], name: named },
      { findings: [] },
    ];
    saved(dir, (c) =>
      paths.forEach((p, i) => {
        c.set(`hash${i}`, outcomes[i]!);
        c.noteStat(p, old({ ino: i }), `hash${i}`, NOW);
      }),
    );
    const reopened = ValidateCache.open(dir, 'k1', '/repo');
    paths.forEach((p, i) => {
      expect(reopened.statHit(p, old({ ino: i }))).toEqual(outcomes[i]);
      expect(reopened.statHit(p, old({ ino: i, size: 1 }))).toBeUndefined();
      expect(reopened.hashFor(p, old({ ino: i }))).toBe(`hash${i}`);
    });
    expect(reopened.statHit('/repo/d/mlops.yaml', old())).toBeUndefined();
  });

  it('keeps the lines statHit found unchanged when it saves for another file', () => {
    const dir = tempDir();
    let cache = saved(dir, (c) => {
      c.set('h', { findings: [], name: named });
      c.noteStat('/r/kept.yaml', old(), 'h', NOW);
      c.noteStat('/r/other.yaml', old({ ino: 5 }), 'h', NOW);
    });
    // 20 saves, each for a new file: the path statHit sees every time is never forgotten,
    // the one no run sees is
    for (let run = 1; run <= 20; run++) {
      cache = saved(dir, (c) => {
        expect(c.statHit('/r/kept.yaml', old())).toEqual({ findings: [], name: named });
        c.set(`n${run}`, { findings: [] });
        c.noteStat(`/r/new${run}.yaml`, old(), `n${run}`, NOW);
      });
    }
    expect(cache.statHit('/r/kept.yaml', old())).toEqual({ findings: [], name: named });
    expect(cache.statHit('/r/other.yaml', old({ ino: 5 }))).toBeUndefined();
    expect(cache.statHit('/r/new20.yaml', old())).toEqual({ findings: [] });
  });

  it('asks the content cache when a stats line holds no outcome, and saves the line with it', () => {
    const dir = tempDir();
    // a stat noted without its outcome being known to the run: the line says it is unknown
    saved(dir, (c) => c.noteStat('/r/m.yaml', old(), 'h', NOW));
    expect(ValidateCache.open(dir, 'k1', '/repo').statHit('/r/m.yaml', old())).toBeUndefined();
    saved(dir, (c) => c.set('h', { findings: [finding] }));
    const [stats] = readdirSync(dir).filter((f) => f.startsWith('validate-stats-'));
    expect(readFileSync(join(dir, stats!), 'utf8')).toContain('\t-\t\t\t/r/m.yaml');
    saved(dir, (c) => expect(c.statHit('/r/m.yaml', old())).toEqual({ findings: [finding] }));
    expect(readFileSync(join(dir, stats!), 'utf8')).not.toContain('\t-\t');
    // the content cache gone, the line alone answers
    writeFileSync(join(dir, 'validate-cache.txt'), 'not a cache\n');
    expect(ValidateCache.open(dir, 'k1', '/repo').statHit('/r/m.yaml', old())).toEqual({
      findings: [finding],
    });
  });

  it('gives back every name as it was recorded, plain or with characters JSON escapes', () => {
    const dir = tempDir();
    const names = [
      'churn-model',
      'a "quoted" name',
      'back\\slash',
      'tab\there',
      'ünï ✓',
      '\u2028',
      '',
    ];
    saved(dir, (c) =>
      names.forEach((name, i) => {
        c.set(`h${i}`, { findings: [], name: { name, line: i + 1, column: 12 } });
        c.noteStat(`/repo/${i}/mlops.yaml`, old({ ino: i }), `h${i}`, NOW);
      }),
    );
    const reopened = ValidateCache.open(dir, 'k1', '/repo');
    names.forEach((name, i) =>
      expect(reopened.statHit(`/repo/${i}/mlops.yaml`, old({ ino: i }))).toEqual({
        findings: [],
        name: { name, line: i + 1, column: 12 },
      }),
    );
  });

  it('believes no damaged stats line', () => {
    const dir = tempDir();
    const { file, text } = withOneStat(dir, '/r/m.yaml');
    writeFileSync(join(dir, 'validate-cache.txt'), 'not a cache\n');
    const line = text.split('\n')[2]!;
    const fields = line.split('\t');
    expect(ValidateCache.open(dir, 'k1', '/repo').statHit('/r/m.yaml', old())).toEqual({
      findings: [],
      name: named,
    });
    for (const damaged of [
      [...fields.slice(0, 6), '"unterminated', ...fields.slice(7)], // name
      [...fields.slice(0, 7), 'x:1', ...fields.slice(8)], // line:column
      ...[':9', '4:', '4:9:1', ' 4:9', '4:9x', '1e3:9', '-4:9', '4.5:9'].map((at) => [
        ...fields.slice(0, 7),
        at,
        ...fields.slice(8),
      ]),
      [...fields.slice(0, 6), '"a"b"', ...fields.slice(7)], // a quote inside the quotes
      [...fields.slice(0, 6), '"a\u0001b"', ...fields.slice(7)], // a raw control character
      [...fields.slice(0, 6), '12', ...fields.slice(7)], // a name that is no string
      [...fields.slice(0, 8), '[{"code":"NOPE"}]', ...fields.slice(9)], // findings
      [...fields.slice(0, 8), '[]', ...fields.slice(9)], // an empty list is written as nothing
      fields.slice(0, 8), // cut short: the path is now where the findings were
    ]) {
      writeFileSync(file, text.replace(line, damaged.join('\t')));
      const reopened = ValidateCache.open(dir, 'k1', '/repo');
      expect(reopened.statHit('/r/m.yaml', old())).toBeUndefined();
      expect(reopened.get(reopened.hashFor('/r/m.yaml', old()) ?? 'h')).toBeUndefined();
    }
  });

  it(
    'reads a damaged stats file of many lines short of their tabs in one pass',
    { timeout: 20_000 },
    () => {
      const dir = tempDir();
      const { file, text } = withOneStat(dir, '/repo/m/mlops.yaml');
      const [header, generation, line] = text.split('\n');
      // 200,000 lines without a tab (each search for the next tab running on to the end of the
      // file would take minutes), lines with tabs but a damaged line:column, then a good line
      const tabless = 'x'.repeat(30) + '\n';
      const fields = line!.split('\t');
      const badAt =
        [...fields.slice(0, 5), 'h2', fields[6], '4-9', ...fields.slice(8)].join('\t') + '\n';
      writeFileSync(
        file,
        `${header}\n${generation}\n${tabless.repeat(200_000)}${badAt.replace('/repo/m/', '/repo/n/')}${line}\n`,
      );
      const reopened = ValidateCache.open(dir, 'k1', '/repo');
      expect(reopened.statHit('/repo/m/mlops.yaml', old())).toEqual({ findings: [], name: named });
      expect(reopened.statHit('/repo/n/mlops.yaml', old())).toBeUndefined();
    },
  );

  it('reads a cache of many entries whatever their order', () => {
    const dir = tempDir();
    const reopened = saved(dir, (c) => {
      for (let i = 0; i < 5000; i++) {
        c.set(`h${i}`, { findings: i % 7 === 0 ? [finding] : [] });
        c.noteStat(`/r/m${i}/mlops.yaml`, old({ ino: i }), `h${i}`, NOW);
      }
    });
    expect(reopened.get('h4991')).toEqual({ findings: [finding] });
    expect(reopened.get('h4992')).toEqual({ findings: [] });
    expect(reopened.hashFor('/r/m4999/mlops.yaml', old({ ino: 4999 }))).toBe('h4999');
  });

  it('removes the stats of scopes not validated for 30 days', () => {
    const dir = tempDir();
    saved(dir, (c) => c.noteStat('/a/m/mlops.yaml', old(), 'h', NOW), '/a');
    const [stale] = readdirSync(dir).filter((f) => f.startsWith('validate-stats-'));
    const monthAgo = new Date(Date.now() - 31 * 24 * 3600 * 1000);
    utimesSync(join(dir, stale!), monthAgo, monthAgo);
    saved(dir, (c) => c.noteStat('/b/m/mlops.yaml', old(), 'h', NOW), '/b');
    const left = readdirSync(dir).filter((f) => f.startsWith('validate-stats-'));
    expect(left).toHaveLength(1);
    expect(left[0]).not.toBe(stale);
    expect(statSync(join(dir, left[0]!)).mtimeMs).toBeGreaterThan(monthAgo.getTime());
  });
});

describe('numberField: a stats field compared in place', () => {
  it('agrees with comparing String(n) and a tab, on numbers and texts chosen to mislead', () => {
    // a seeded generator: the same cases every run
    let seed = 42;
    const random = (): number => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    const pick = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)]!;
    const numbers = (): number =>
      pick([
        () => Math.floor(random() * 10),
        () => Math.floor(random() * 2 ** 32),
        () => Number.MAX_SAFE_INTEGER - Math.floor(random() * 3),
        () => 2 ** 53 + Math.floor(random() * 5) * 2,
        () => 1e21 * (1 + Math.floor(random() * 9)),
        () => 1764581523000 + Math.floor(random() * 1e6) / 1000,
        () => random() * 1e-7,
        () => -Math.floor(random() * 100),
        () => -0,
      ])();
    const shown = (n: number): string =>
      pick([
        () => String(n),
        () => `0${n}`,
        () => `${n}0`,
        () => `${n}`.slice(0, -1),
        () => String(n + 1),
        () => String(n - 1),
        () => String(BigInt(Math.trunc(Number.MAX_SAFE_INTEGER)) * 10n + BigInt((n % 10) | 0)),
        () => `${n}.0`,
        () => '',
      ])();
    for (let k = 0; k < 20_000; k++) {
      const n = numbers();
      const text = `x\t${shown(n)}${pick(['\t', '', 'a', '\n', '9\t'])}rest`;
      const expected = text.startsWith(`${String(n)}\t`, 2) ? 2 + String(n).length + 1 : -1;
      expect(numberField(text, 2, n), JSON.stringify({ text, n })).toBe(expected);
    }
    expect(numberField('1\t', -1, 1)).toBe(-1);
  });

  it('tells a recorded stat from one that is its prefix or extension (statHit)', () => {
    const dir = tempDir();
    saved(dir, (c) => {
      c.set('h', { findings: [] });
      c.noteStat('/repo/a/mlops.yaml', old({ ino: 12, size: 300 }), 'h', NOW);
    });
    const reopened = ValidateCache.open(dir, 'k1', '/repo');
    for (const stat of [{ ino: 1 }, { ino: 123 }, { size: 30 }, { size: 3000 }, { ino: 120 }])
      expect(reopened.statHit('/repo/a/mlops.yaml', old({ ino: 12, size: 300, ...stat }))).toBe(
        undefined,
      );
    expect(reopened.statHit('/repo/a/mlops.yaml', old({ ino: 12, size: 300 }))).toEqual({
      findings: [],
    });
  });
});

describe('statScope', () => {
  it('is the repository when every file is in it, else the deepest folder holding them all', () => {
    const repo = tempDir();
    mkdirSync(join(repo, '.git'));
    mkdirSync(join(repo, 'sub'));
    expect(statScope([join(repo, 'a/b/mlops.yaml')], join(repo, 'sub'))).toBe(repo);
    expect(statScope(['/x/y/m1/mlops.yaml', '/x/y/m2/deep/mlops.yaml'], join(repo, 'sub'))).toBe(
      '/x/y',
    );
    expect(statScope(['/x/ya/mlops.yaml', '/x/y/mlops.yaml'], '/')).toBe('/x');
    expect(statScope(['/p/mlops.yaml', '/q/mlops.yaml'], '/')).toBe('/');
  });
});

describe('the cache key: the built validation code', () => {
  const ROOT = fileURLToPath(new URL('../../', import.meta.url));
  const CLI = join(ROOT, 'dist/cli');

  it('is the hash of the bundles that validate, so that a rebuilt rule leaves old results unused', () => {
    const key: string = validationHash(CLI);
    expect(key).toMatch(/^[\w-]{32}$/);
    // a run of the built CLI writes its results under that key
    const dir = tempDir();
    const xdg = join(dir, 'xdg');
    writeFileSync(join(dir, 'mlops.yaml'), readFileSync(join(ROOT, 'examples/churn/mlops.yaml')));
    expect(runBin(['validate', 'mlops.yaml'], dir, { XDG_CACHE_HOME: xdg }).code).toBe(0);
    const header = readFileSync(join(xdg, 'mlops', 'validate-cache.txt'), 'utf8').split('\n')[0];
    expect(header).toMatch(new RegExp(`\\t\\d+\\.\\d+\\.\\d+:f\\d+:${key}$`));
    // any change to any of them (a consistency rule, a parser, the schema) changes the key
    for (const name of VALIDATION_BUNDLES as string[]) {
      const copy = tempDir();
      cpSync(CLI, copy, { recursive: true });
      writeFileSync(
        join(copy, `${name}.cjs`),
        `${readFileSync(join(copy, `${name}.cjs`), 'latin1')};`,
      );
      expect(validationHash(copy), name).not.toBe(key);
    }
  });

  it('leaves results written under another key unused', () => {
    const dir = tempDir();
    saved(dir, (c) => c.set('h', { findings: [finding] }));
    expect(ValidateCache.open(dir, 'k1', '/repo').get('h')).toEqual({ findings: [finding] });
    const other = ValidateCache.open(dir, 'k2', '/repo');
    expect(other.get('h')).toBeUndefined();
    // and writing under the new key replaces the old results rather than mixing the two
    other.set('g', { findings: [] });
    other.save();
    expect(ValidateCache.open(dir, 'k1', '/repo').get('g')).toBeUndefined();
    expect(ValidateCache.open(dir, 'k2', '/repo').get('h')).toBeUndefined();
  });
});

describe('where the cache lives', () => {
  it("is the user's cache folder of each platform, never a folder of the repository", () => {
    expect(cacheDir({ HOME: '/home/ada' }, 'linux')).toBe('/home/ada/.cache/mlops');
    expect(cacheDir({ HOME: '/home/ada', XDG_CACHE_HOME: '/var/c' }, 'linux')).toBe('/var/c/mlops');
    expect(cacheDir({ HOME: '/Users/ada' }, 'darwin')).toBe('/Users/ada/Library/Caches/mlops');
    expect(cacheDir({ HOME: '/Users/ada', XDG_CACHE_HOME: '/x' }, 'darwin')).toBe('/x/mlops');
    expect(cacheDir({ LOCALAPPDATA: 'C:\\Users\\ada\\AppData\\Local' }, 'win32')).toBe(
      'C:\\Users\\ada\\AppData\\Local\\mlops\\Cache',
    );
    // a relative or empty setting is ignored, as the XDG specification says; no home, no cache
    expect(cacheDir({ HOME: '/home/ada', XDG_CACHE_HOME: '.cache' }, 'linux')).toBe(
      '/home/ada/.cache/mlops',
    );
    expect(cacheDir({ HOME: '/home/ada', XDG_CACHE_HOME: '' }, 'linux')).toBe(
      '/home/ada/.cache/mlops',
    );
    expect(cacheDir({}, 'linux')).toBeUndefined();
    expect(cacheDir({ HOME: 'ada' }, 'darwin')).toBeUndefined();
    expect(cacheDir({ HOME: '/home/ada' }, 'win32')).toBeUndefined();
  });

  it("is opened only when the folder is the user's alone and git tracks nothing in it", async () => {
    const open = (xdg: string, cwd = xdg) =>
      openValidateCache({ cwd, env: { XDG_CACHE_HOME: xdg }, key: 'k1' });
    const xdg = tempDir();
    expect(await open(xdg)).toBeInstanceOf(ValidateCache); // not there yet: made on save
    mkdirSync(join(xdg, 'mlops'), { mode: 0o700 });
    expect(await open(xdg)).toBeInstanceOf(ValidateCache);
    chmodSync(join(xdg, 'mlops'), 0o775);
    expect(await open(xdg)).toBeUndefined();
    chmodSync(join(xdg, 'mlops'), 0o757);
    expect(await open(xdg)).toBeUndefined();
    expect(await open('relative')).toBeUndefined();

    const repo = gitDir();
    mkdirSync(join(repo, 'cache', 'mlops'), { recursive: true, mode: 0o700 });
    writeFileSync(join(repo, 'cache', 'mlops', 'validate-cache.txt'), 'untracked\n');
    expect(await open(join(repo, 'cache'))).toBeInstanceOf(ValidateCache);
    commitFiles(repo, { 'cache/mlops/other.txt': 'tracked\n' }, 'a tracked file in it');
    chmodSync(join(repo, 'cache', 'mlops'), 0o700);
    expect(await open(join(repo, 'cache'))).toBeUndefined();
    expect(await open(join(repo, 'cache'), tempDir())).toBeUndefined();
    // the repository's top folder itself
    const parent = tempDir();
    git(parent, ['init', '-q', 'mlops']);
    commitFiles(join(parent, 'mlops'), { 'validate-cache.txt': 'tracked\n' }, 'a cache');
    chmodSync(join(parent, 'mlops'), 0o700);
    expect(await open(parent)).toBeUndefined();
  });
});

describe("a cache file is read only when it is the user's own plain file", () => {
  function cacheWith(findings: (typeof finding)[]): string {
    const dir = tempDir();
    const cache = ValidateCache.open(dir, 'k1', '/repo');
    cache.set('h', { findings });
    cache.save();
    return dir;
  }

  it('not through a link, a second name, or when others may write it', () => {
    const trusted = cacheWith([finding]);
    expect(ValidateCache.open(trusted, 'k1').get('h')).toEqual({ findings: [finding] });
    const file = join(trusted, 'validate-cache.txt');
    expect(statSync(file).mode & 0o777).toBe(0o600);

    chmodSync(file, 0o620);
    expect(ValidateCache.open(trusted, 'k1').get('h')).toBeUndefined();
    chmodSync(file, 0o602);
    expect(ValidateCache.open(trusted, 'k1').get('h')).toBeUndefined();
    chmodSync(file, 0o644); // readable by others is no risk to what is read
    expect(ValidateCache.open(trusted, 'k1').get('h')).toEqual({ findings: [finding] });

    const linked = tempDir();
    symlinkSync(file, join(linked, 'validate-cache.txt'));
    expect(ValidateCache.open(linked, 'k1').get('h')).toBeUndefined();

    const twice = tempDir();
    linkSync(file, join(twice, 'validate-cache.txt'));
    expect(ValidateCache.open(twice, 'k1').get('h')).toBeUndefined();
    expect(ValidateCache.open(trusted, 'k1').get('h')).toBeUndefined();
  });

  it('a pipe in its place is not waited on', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'mlops.yaml'), readFileSync(FIXTURE_BROKEN));
    mkdirSync(join(dir, 'xdg', 'mlops'), { recursive: true, mode: 0o700 });
    expect(spawnSync('mkfifo', [join(dir, 'xdg', 'mlops', 'validate-cache.txt')]).status).toBe(0);
    const r = spawnSync(process.execPath, [BIN, 'validate', 'mlops.yaml'], {
      cwd: dir,
      env: { ...process.env, NO_COLOR: '1', XDG_CACHE_HOME: join(dir, 'xdg') },
      encoding: 'utf8',
      timeout: 20_000,
    });
    expect(r.status).toBe(1);
    expect(r.stdout).toContain('"hgh" is not one of low');
  });
});

describe('saving the cache', () => {
  it('a failed save throws nothing and leaves no temporary file', () => {
    const dir = tempDir();
    mkdirSync(join(dir, 'validate-cache.txt')); // a folder where the file goes: the rename fails
    const cache = ValidateCache.open(dir, 'k1', '/repo');
    cache.set('h', { findings: [] });
    cache.noteStat('/repo/m/mlops.yaml', old(), 'h', NOW);
    expect(() => cache.save()).not.toThrow();
    expect(readdirSync(dir).sort()).toEqual(['validate-cache.txt']);
  });

  it('removes temporary files that a killed run left an hour ago, and no others', () => {
    const dir = tempDir();
    const left = join(dir, '.validate-cache.txt.123.abc.tmp');
    const writing = join(dir, '.validate-cache.txt.124.abd.tmp');
    const mine = join(dir, 'notes.tmp');
    for (const f of [left, writing, mine]) writeFileSync(f, 'x');
    const hourAgo = new Date(Date.now() - 3601 * 1000);
    utimesSync(left, hourAgo, hourAgo);
    utimesSync(mine, hourAgo, hourAgo);
    saved(dir, (c) => c.set('h', { findings: [] }));
    expect(readdirSync(dir).sort()).toEqual(
      ['.validate-cache.txt.124.abd.tmp', 'notes.tmp', 'validate-cache.txt'].sort(),
    );
  });
});
