import { spawn, spawnSync } from 'node:child_process';
import {
  chmodSync,
  chownSync,
  cpSync,
  lstatSync,
  mkdirSync,
  readFileSync,
  readdirSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
// @ts-expect-error: plain JS benchmark helper, shared so tests use the same realistic manifests
import { writeManifests } from '../bench/manifests.mjs';
import { BIN, runBin } from '../helpers/bin.js';
import { commitFiles, git, gitDir, tempDir } from '../helpers/gitdir.js';

const FIXTURES = fileURLToPath(new URL('../fixtures/validate/', import.meta.url));
const BROKEN = readFileSync(join(FIXTURES, 'broken', 'mlops.yaml'), 'utf8');
const MINIMAL = readFileSync(join(FIXTURES, 'minimal', 'mlops.yaml'), 'utf8');
const ERROR = '"hgh" is not one of low, medium, high, critical';
const isRoot = process.getuid?.() === 0;

/**
 * A cache file that says the broken fixture is clean, under the key the built CLI believes: the
 * header of a real run's cache, then the broken manifest's content hash with no findings.
 */
function forgedCache(): string {
  const scratch = tempDir();
  writeFileSync(join(scratch, 'mlops.yaml'), BROKEN);
  const xdg = join(scratch, 'xdg');
  expect(runBin(['validate', 'mlops.yaml'], scratch, { XDG_CACHE_HOME: xdg }).code).toBe(1);
  const [header, ...entries] = readFileSync(join(xdg, 'mlops', 'validate-cache.txt'), 'utf8')
    .trimEnd()
    .split('\n');
  expect(entries).toHaveLength(1);
  return `${header}\n${entries[0]!.split('\t')[0]}\n`;
}

/**
 * Puts `text` in the user's own cache folder `<xdg>/mlops`, as mlops itself writes it. The
 * stats files go: they carry outcomes too, and would answer for a file older than 3 s.
 */
function plantOwn(xdg: string, text: string): string {
  const dir = join(xdg, 'mlops');
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  for (const f of readdirSync(dir)) if (f.startsWith('validate-')) rmSync(join(dir, f));
  writeFileSync(join(dir, 'validate-cache.txt'), text, { mode: 0o600 });
  return dir;
}

/** A repository holding the broken manifest and `files`, and a fresh clone of it. */
function cloneOf(files: Record<string, string>, links: Record<string, string> = {}): string {
  const origin = gitDir();
  commitFiles(origin, { 'models/churn/mlops.yaml': BROKEN, ...files }, 'a broken model');
  for (const [path, target] of Object.entries(links)) {
    symlinkSync(target, join(origin, path));
    git(origin, ['add', '--', path]);
  }
  if (Object.keys(links).length > 0) git(origin, ['commit', '-q', '-m', 'links']);
  const clone = join(tempDir(), 'clone');
  git(origin, ['clone', '-q', origin, clone]);
  return clone;
}

/** Every file under `dir` with its bytes and mode, to show that a run left it as it was. */
function snapshot(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (at: string): void => {
    const st = lstatSync(at);
    out[at] =
      `${st.mode.toString(8)} ${st.uid}${st.isFile() ? ` ${readFileSync(at, 'base64')}` : ''}`;
    if (st.isDirectory()) for (const e of readdirSync(at)) walk(join(at, e));
  };
  walk(dir);
  return out;
}

describe('a cache shipped in a repository is never believed', { timeout: 60_000 }, () => {
  it('committed at node_modules/.cache/mlops (where it used to live): a fresh clone reports the broken manifest', () => {
    const forged = forgedCache();
    const clone = cloneOf({ 'node_modules/.cache/mlops/validate-cache.txt': forged });
    const xdg = join(tempDir(), 'xdg');
    const r = runBin(['validate'], clone, { XDG_CACHE_HOME: xdg });
    expect(r.code).toBe(1);
    expect(r.stdout).toContain(`models/churn/mlops.yaml:8:13  error    SCHEMA_ENUM`);
    expect(r.stdout).toContain(ERROR);
    // the same file in the user's own cache is believed: it is a well-formed forgery
    plantOwn(xdg, forged);
    expect(runBin(['validate'], clone, { XDG_CACHE_HOME: xdg })).toMatchObject({
      code: 0,
      stdout: '✔ 1 manifest valid\n',
    });
  });

  it('committed where $XDG_CACHE_HOME or the home points inside the checkout, or behind a committed link', () => {
    const forged = forgedCache();
    const atXdg = cloneOf({ '.cache/mlops/validate-cache.txt': forged });
    const cases: [string, Record<string, string>][] = [
      [atXdg, { XDG_CACHE_HOME: join(atXdg, '.cache') }],
      // no $XDG_CACHE_HOME: the home's .cache, here the checkout's
      [atXdg, { XDG_CACHE_HOME: '', HOME: atXdg }],
    ];
    // .cache/mlops a committed link to a committed folder
    const linked = cloneOf(
      { 'vendor/cache/validate-cache.txt': forged, 'vendor/cache/readme.txt': 'x\n' },
      { '.cache': 'vendor', 'vendor/mlops': 'cache' },
    );
    cases.push([linked, { XDG_CACHE_HOME: join(linked, '.cache') }]);
    // a repository whose .git is elsewhere (GIT_DIR and GIT_WORK_TREE)
    const origin = cloneOf({ '.cache/mlops/validate-cache.txt': forged });
    const separate = join(tempDir(), 'separate.git');
    const tree = join(tempDir(), 'tree');
    git(origin, ['clone', '-q', `--separate-git-dir=${separate}`, origin, tree]);
    rmSync(join(tree, '.git'));
    cases.push([
      tree,
      { GIT_DIR: separate, GIT_WORK_TREE: tree, XDG_CACHE_HOME: join(tree, '.cache') },
    ]);
    for (const [clone, env] of cases) {
      const before = snapshot(join(clone, '.cache'));
      const r = runBin(['validate'], clone, env);
      expect(r.code, JSON.stringify(env)).toBe(1);
      expect(r.stdout).toContain(ERROR);
      expect(r.stderr).toBe('');
      // and nothing was written into the repository's folder either
      expect(snapshot(join(clone, '.cache'))).toEqual(before);
    }
  });

  it('a cache folder inside a checkout that git does not track is the user’s own, and is used', () => {
    const forged = forgedCache();
    const clone = cloneOf({});
    const env = { XDG_CACHE_HOME: join(clone, '.cache') };
    const cold = runBin(['validate'], clone, env);
    expect(cold.code).toBe(1);
    expect(runBin(['validate'], clone, env)).toEqual(cold);
    expect(statSync(join(clone, '.cache', 'mlops', 'validate-cache.txt')).mode & 0o777).toBe(0o600);
    // proof that it is read: what the user's own folder says is believed
    plantOwn(join(clone, '.cache'), forged);
    expect(runBin(['validate'], clone, env).code).toBe(0);
  });
});

describe(
  'a cache folder or file that someone else can write is ignored',
  { timeout: 60_000 },
  () => {
    function planted(): { dir: string; xdg: string; cacheDir: string } {
      const dir = tempDir();
      writeFileSync(join(dir, 'mlops.yaml'), BROKEN);
      const xdg = join(dir, 'xdg');
      const cacheDir = plantOwn(xdg, forgedCache());
      // believed while it is the user's alone: the runs below are a fair test
      expect(runBin(['validate', 'mlops.yaml'], dir, { XDG_CACHE_HOME: xdg }).code).toBe(0);
      return { dir, xdg, cacheDir };
    }

    it('a world- or group-writable folder is neither read nor written', () => {
      for (const mode of [0o777, 0o770, 0o1777]) {
        const { dir, xdg, cacheDir } = planted();
        chmodSync(cacheDir, mode);
        const before = snapshot(xdg);
        const r = runBin(['validate', 'mlops.yaml'], dir, { XDG_CACHE_HOME: xdg });
        expect(r.code).toBe(1);
        expect(r.stdout).toContain(ERROR);
        expect(r.stderr).toBe('');
        expect(snapshot(xdg)).toEqual(before);
      }
    });

    it('a group- or world-writable cache file is not read, and is replaced by one of the user’s own', () => {
      const { dir, xdg, cacheDir } = planted();
      const file = join(cacheDir, 'validate-cache.txt');
      // every file, since the stats files carry outcomes too
      for (const f of readdirSync(cacheDir)) {
        if (f.startsWith('validate-')) chmodSync(join(cacheDir, f), 0o666);
      }
      const r = runBin(['validate', 'mlops.yaml'], dir, { XDG_CACHE_HOME: xdg });
      expect(r.code).toBe(1);
      expect(r.stdout).toContain(ERROR);
      expect(statSync(file).mode & 0o777).toBe(0o600);
    });

    it.runIf(isRoot)('a folder owned by another user is neither read nor written', () => {
      const { dir, xdg, cacheDir } = planted();
      chownSync(cacheDir, 65534, 65534);
      for (const f of readdirSync(cacheDir)) chownSync(join(cacheDir, f), 65534, 65534);
      const before = snapshot(xdg);
      const r = runBin(['validate', 'mlops.yaml'], dir, { XDG_CACHE_HOME: xdg });
      expect(r.code).toBe(1);
      expect(r.stdout).toContain(ERROR);
      expect(snapshot(xdg)).toEqual(before);
      // the files alone owned by another user, in the user's folder: not believed either
      chownSync(cacheDir, 0, 0);
      expect(runBin(['validate', 'mlops.yaml'], dir, { XDG_CACHE_HOME: xdg }).code).toBe(1);
    });
  },
);

/** Runs `argv` with exactly `env` (nothing inherited but PATH), under a timeout. */
function spawnExact(
  argv: string[],
  cwd: string,
  env: Record<string, string>,
): { code: number; stdout: string; stderr: string } {
  const r = spawnSync(argv[0]!, argv.slice(1), {
    cwd,
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin', NO_COLOR: '1', ...env },
    encoding: 'utf8',
    input: '',
    timeout: 30_000,
  });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

/** Runs the built CLI with exactly `env`, as the user `wrap` switches to when given. */
const runExact = (
  args: string[],
  cwd: string,
  env: Record<string, string>,
  wrap: string[] = [],
): { code: number; stdout: string; stderr: string } =>
  spawnExact([...wrap, process.execPath, BIN, ...args], cwd, env);

/** A folder readable by every user, with a broken and a clean manifest. */
function sharedProject(): string {
  const dir = tempDir();
  chmodSync(dir, 0o755);
  cpSync(join(FIXTURES, 'broken'), join(dir, 'broken'), { recursive: true });
  cpSync(join(FIXTURES, 'minimal'), join(dir, 'minimal'), { recursive: true });
  return dir;
}

/** `unshare` that may mount a file system of its own; undefined where that is not allowed. */
const UNSHARE = ((): string[] | undefined => {
  const wrap = isRoot
    ? ['unshare', '--mount']
    : ['unshare', '--user', '--map-root-user', '--mount'];
  const r = spawnSync(wrap[0]!, [...wrap.slice(1), 'sh', '-c', 'mount -t tmpfs tmpfs /mnt'], {
    timeout: 10_000,
  });
  return r.status === 0 ? wrap : undefined;
})();

describe('a cache that cannot be saved changes nothing', { timeout: 60_000 }, () => {
  const ARGS = ['validate', 'broken', 'minimal'];

  it('without a home or $XDG_CACHE_HOME, or with a relative one: no output, the same exit code', () => {
    const dir = sharedProject();
    const expected = runBin(['validate', '--no-cache', 'broken', 'minimal'], dir);
    expect(expected.code).toBe(1);
    const envs: Record<string, string>[] = [{}, { HOME: 'relative', XDG_CACHE_HOME: 'cache' }];
    for (const env of envs) {
      expect(runExact(ARGS, dir, env)).toEqual(expected);
    }
    expect(readdirSync(dir).sort()).toEqual(['broken', 'minimal']);
  });

  it.runIf(isRoot)('in a folder the user may not write: no output, the same exit code', () => {
    const dir = sharedProject();
    const expected = runBin(['validate', '--no-cache', 'broken', 'minimal'], dir);
    const locked = join(tempDir(), 'home');
    mkdirSync(locked, { mode: 0o755 });
    chmodSync(join(locked, '..'), 0o755);
    const nobody = ['setpriv', '--reuid=65534', '--regid=65534', '--clear-groups'];
    expect(runExact(ARGS, dir, { HOME: locked }, nobody)).toEqual(expected);
    expect(runExact(ARGS, dir, { XDG_CACHE_HOME: join(locked, 'xdg') }, nobody)).toEqual(expected);
    expect(readdirSync(locked)).toEqual([]);
  });

  it.runIf(UNSHARE)(
    'on a read-only or a full file system: no output, the same exit code, no file left',
    () => {
      const dir = sharedProject();
      const expected = runBin(['validate', '--no-cache', 'broken', 'minimal'], dir);
      const mnt = join(tempDir(), 'mnt');
      mkdirSync(mnt);
      const listing = join(dir, '..', 'listing.txt');
      // mounts a small file system at $1 (prepared by $2), runs mlops there, lists the files left
      const script = `mount -t tmpfs -o size=64k tmpfs "$1" && eval "$2" && "$3" "$4" validate broken minimal; code=$?; find "$1" -type f ! -name fill > "$5"; exit $code`;
      for (const prepare of [
        // read-only
        'mount -o remount,ro "$1"',
        // full: the folder exists, and a file takes every byte left
        'mkdir -m 700 "$1/mlops" && { head -c 1000000 /dev/zero > "$1/fill" 2>/dev/null; true; }',
      ]) {
        const r = spawnExact(
          [...UNSHARE!, 'sh', '-c', script, 'sh', mnt, prepare, process.execPath, BIN, listing],
          dir,
          { XDG_CACHE_HOME: mnt },
        );
        expect(r, prepare).toEqual(expected);
        // no file at all: neither a temporary one nor a cache cut short
        expect(readFileSync(listing, 'utf8')).toBe('');
      }
    },
  );
});

describe('runs at the same time', { timeout: 60_000 }, () => {
  /** Runs the built CLI without waiting for it. */
  const runAsync = (
    args: string[],
    cwd: string,
    env: Record<string, string>,
  ): Promise<{ code: number; stdout: string; stderr: string }> =>
    new Promise((resolve) => {
      const child = spawn(process.execPath, [BIN, ...args], {
        cwd,
        env: { ...process.env, NO_COLOR: '1', ...env },
        stdio: ['ignore', 'pipe', 'pipe'],
        timeout: 60_000,
      });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (b: Buffer) => (stdout += b.toString('utf8')));
      child.stderr.on('data', (b: Buffer) => (stderr += b.toString('utf8')));
      child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
    });

  it('two validates sharing the cache both report what a run without it does', async () => {
    const dir = tempDir();
    writeManifests(dir, 300, (i: number) => (i % 50 === 7 ? 'error' : 'clean'));
    writeFileSync(join(dir, 'models', 'm00003', 'mlops.yaml'), MINIMAL);
    const env = { XDG_CACHE_HOME: join(dir, 'xdg') };
    const expected = runBin(['validate', '--no-cache', 'models'], dir);
    expect(expected.code).toBe(1);
    expect(expected.stdout).toContain('✖ 6 errors in 6 of 300 manifests');
    for (let round = 0; round < 2; round++) {
      const both = await Promise.all([
        runAsync(['validate', 'models'], dir, env),
        runAsync(['validate', 'models'], dir, env),
      ]);
      expect(both).toEqual([expected, expected]);
    }
    expect(runBin(['validate', 'models'], dir, env)).toEqual(expected);
    expect(readdirSync(join(dir, 'xdg', 'mlops')).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });
});
