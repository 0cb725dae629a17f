import {
  cpSync,
  mkdirSync,
  readFileSync,
  readdirSync,
  statSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
// @ts-expect-error: plain JS build helper, the same function the build embeds the key with
import { VALIDATION_BUNDLES, validationHash } from '../../src/build/validation-hash.mjs';
import { ValidateCache, statScope } from '../../src/io/validate-cache.js';
import type { FileStat } from '../../src/io/validate-cache.js';
import { runBin } from '../helpers/bin.js';
import { tempDir } from '../helpers/gitdir.js';

const NOW = Date.UTC(2026, 10, 27, 12);
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
    expect(header).toMatch(new RegExp(`\\t\\d+\\.\\d+\\.\\d+:${key}$`));
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
