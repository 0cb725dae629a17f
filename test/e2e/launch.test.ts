// The built CLI's launcher: compiled code cached in the user's cache folder (never inside the
// installed package), and output written straight to the file descriptors. Runs a copy of the
// built package where a test changes it.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  chmodSync,
  chownSync,
  cpSync,
  existsSync,
  lstatSync,
  mkdirSync,
  readFileSync,
  readdirSync,
  rmSync,
  symlinkSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { createRequire } from 'node:module';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { cacheDir } from '../../src/io/validate-cache.js';
import { runBin } from '../helpers/bin.js';
import { git, tempDir } from '../helpers/gitdir.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const CHURN = join(ROOT, 'examples/churn/mlops.yaml');
const BROKEN = fileURLToPath(new URL('../fixtures/validate/broken/mlops.yaml', import.meta.url));

/** A copy of the installed package (bin, dist, schemas, templates, package.json). */
function installedCopy(): string {
  const dir = tempDir('mlops-install-');
  for (const part of ['bin', 'dist', 'schemas', 'templates', 'package.json'])
    cpSync(join(ROOT, part), join(dir, part), { recursive: true });
  return dir;
}

function runCopy(
  pkg: string,
  args: string[],
  cwd: string,
  env: Record<string, string> = {},
  nodeArgs: string[] = [],
): { code: number; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [...nodeArgs, join(pkg, 'bin/mlops.js'), ...args], {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1', ...env },
    input: '',
    timeout: 60_000,
  });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

/** Every file and folder under `dir`, with a hash of each file's bytes and its mode. */
function snapshot(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  if (!existsSync(dir)) return out;
  for (const entry of readdirSync(dir, { recursive: true, withFileTypes: true })) {
    const path = join(entry.parentPath, entry.name);
    const st = lstatSync(path);
    out[relative(dir, path)] = entry.isFile()
      ? `${createHash('sha256').update(readFileSync(path)).digest('hex')} ${st.mode.toString(8)}`
      : `${entry.isDirectory() ? 'dir' : 'other'} ${st.mode.toString(8)}`;
  }
  return out;
}

/** The code-cache folders under `xdg` (`$XDG_CACHE_HOME`), and the caches in each. */
function codeCaches(xdg: string): Record<string, string[]> {
  const top = join(xdg, 'mlops', 'code-cache');
  if (!existsSync(top)) return {};
  return Object.fromEntries(
    readdirSync(top).map((leaf) => [leaf, readdirSync(join(top, leaf)).sort()]),
  );
}

/** The one code-cache folder under `xdg`, for the package as built. */
function leafOf(xdg: string): string {
  const leaves = Object.keys(codeCaches(xdg));
  expect(leaves).toHaveLength(1);
  return join(xdg, 'mlops', 'code-cache', leaves[0]!);
}

describe('code cache of the built CLI', () => {
  it('none is shipped, and running the CLI writes nothing inside the package', () => {
    const pkg = installedCopy();
    const before = snapshot(pkg);
    expect(Object.keys(before).filter((f) => f.endsWith('.cache'))).toEqual([]);
    const xdg = tempDir();
    const cwd = tempDir();
    for (let i = 0; i < 2; i++) {
      expect(runCopy(pkg, ['--help'], cwd, { XDG_CACHE_HOME: xdg }).code).toBe(0);
      expect(runCopy(pkg, ['validate', CHURN, BROKEN], cwd, { XDG_CACHE_HOME: xdg }).code).toBe(1);
      expect(runCopy(pkg, ['schema'], cwd, { XDG_CACHE_HOME: xdg }).code).toBe(0);
    }
    expect(snapshot(pkg)).toEqual(before);
  });

  it("the first run makes the caches in the user's cache folder, the next runs answer the same from them", () => {
    const pkg = installedCopy();
    const cwd = tempDir();
    const xdg = tempDir();
    const args = ['validate', '--no-cache', CHURN, BROKEN];
    const expected = runBin(args, cwd, { XDG_CACHE_HOME: tempDir() });
    expect(expected.code).toBe(1);

    expect(runCopy(pkg, args, cwd, { XDG_CACHE_HOME: xdg })).toEqual(expected);
    const leaf = leafOf(xdg);
    expect(leaf).toMatch(
      new RegExp(`/mlops/code-cache/${process.version}-${process.arch}-[0-9a-f]{16}$`),
    );
    // yaml-reader is not among them: both manifests are plain YAML, which the reader reads itself;
    // the config modules are, for the churn example's config file (examples/mlops.config.yaml);
    // the words of the broken manifest's findings are read-words, without those of check and diff
    expect(readdirSync(leaf).sort()).toEqual([
      'config-read.cjs.cache',
      'config-validator.cjs.cache',
      'errors.cjs.cache',
      'read-words.cjs.cache',
      'reader.cjs.cache',
      'run.cjs.cache',
      'schema-validator.cjs.cache',
      'validate.cjs.cache',
    ]);
    // the user's alone
    expect(lstatSync(leaf).mode & 0o777).toBe(0o700);
    expect(lstatSync(join(xdg, 'mlops')).mode & 0o777).toBe(0o700);
    expect(lstatSync(join(leaf, 'run.cjs.cache')).mode & 0o777).toBe(0o600);

    const made = snapshot(leaf);
    expect(runCopy(pkg, args, cwd, { XDG_CACHE_HOME: xdg })).toEqual(expected);
    expect(runCopy(pkg, args, cwd, { XDG_CACHE_HOME: xdg })).toEqual(expected);
    expect(snapshot(leaf)).toEqual(made); // read, not written again
  });

  it('a corrupt cache is never trusted: same answer, and the cache is made again', () => {
    const pkg = installedCopy();
    const cwd = tempDir();
    const xdg = tempDir();
    const args = ['validate', '--no-cache', '--format', 'json', CHURN, BROKEN];
    const expected = runCopy(pkg, args, cwd, { XDG_CACHE_HOME: xdg });
    const leaf = leafOf(xdg);
    const garbage = Buffer.from('not a V8 code cache '.repeat(100));
    for (const f of ['run.cjs.cache', 'validate.cjs.cache']) writeFileSync(join(leaf, f), garbage);

    expect(runCopy(pkg, args, cwd, { XDG_CACHE_HOME: xdg })).toEqual(expected);
    for (const f of ['run.cjs.cache', 'validate.cjs.cache'])
      expect(readFileSync(join(leaf, f)).equals(garbage)).toBe(false);
  });

  it('without a cache folder to use (no home) the CLI runs the same and writes nothing', () => {
    const pkg = installedCopy();
    const cwd = tempDir();
    const args = ['validate', '--no-cache', CHURN, BROKEN];
    const expected = runBin(args, cwd, { XDG_CACHE_HOME: tempDir() });
    expect(runCopy(pkg, args, cwd, { XDG_CACHE_HOME: 'relative', HOME: '' })).toEqual(expected);
    expect(readdirSync(cwd)).toEqual([]);
  });

  it('keeps the 8 newest code-cache folders, and leaves anything else in the folder alone', () => {
    const pkg = installedCopy();
    const xdg = tempDir();
    const top = join(xdg, 'mlops', 'code-cache');
    const old = Array.from({ length: 10 }, (_, i) => `v20.0.${i}-x64-${'0'.repeat(15)}${i}`);
    for (const [i, leaf] of old.entries()) {
      mkdirSync(join(top, leaf), { recursive: true });
      writeFileSync(join(top, leaf, 'run.cjs.cache'), 'old');
      const t = new Date(Date.UTC(2025, 0, 1 + i));
      utimesSync(join(top, leaf), t, t);
    }
    mkdirSync(join(top, 'notes'));
    chmodSync(join(xdg, 'mlops'), 0o700);
    chmodSync(top, 0o700);
    expect(runCopy(pkg, ['--help'], tempDir(), { XDG_CACHE_HOME: xdg }).code).toBe(0);
    const left = readdirSync(top).sort();
    // this build's folder, and the 7 most recently used of the others
    expect(left.filter((l) => old.includes(l))).toEqual(old.slice(3));
    expect(left).toHaveLength(9);
    expect(left).toContain('notes');
  });
});

describe("a code cache is code: only a folder that is the user's alone is read", () => {
  /**
   * A code cache that V8 accepts for run.cjs, made from other code of the same length: the
   * help then says "FORGED-CODE" where it says "Trustworthy". Made by running, once, a copy of
   * the package whose run.cjs is changed, with `$XDG_CACHE_HOME` at `xdg`.
   */
  function forgeCache(xdg: string): void {
    const forger = installedCopy();
    const run = join(forger, 'dist/cli/run.cjs');
    const code = readFileSync(run, 'latin1');
    expect(code).toContain('Trustworthy');
    writeFileSync(run, code.replaceAll('Trustworthy', 'FORGED-CODE'), 'latin1');
    expect(runCopy(forger, ['--help'], tempDir(), { XDG_CACHE_HOME: xdg }).stdout).toContain(
      'FORGED-CODE',
    );
  }

  const genuine = (): string => runBin(['--help'], tempDir(), { XDG_CACHE_HOME: tempDir() }).stdout;

  it("from the user's own folder, the cache is what runs (which is why the rest matters)", () => {
    const xdg = tempDir();
    forgeCache(xdg);
    expect(genuine()).toContain('Trustworthy AI');
    expect(runBin(['--help'], tempDir(), { XDG_CACHE_HOME: xdg }).stdout).toContain(
      'FORGED-CODE AI',
    );
  });

  const untrusted: [string, (xdg: string) => void][] = [
    ['a cache folder the group can write', (xdg) => chmodSync(join(xdg, 'mlops'), 0o770)],
    ['a code-cache folder anyone can write', (xdg) => chmodSync(leafOf(xdg), 0o777)],
    [
      'a code-cache folder that is a link',
      (xdg) => {
        const leaf = leafOf(xdg);
        cpSync(leaf, join(xdg, 'elsewhere'), { recursive: true });
        rmSync(leaf, { recursive: true });
        symlinkSync(join(xdg, 'elsewhere'), leaf);
      },
    ],
    ['a cache folder inside a git work tree', (xdg) => git(xdg, ['init', '-q'])],
  ];
  if (process.getuid?.() === 0) {
    untrusted.push([
      'a code-cache folder of another user',
      (xdg) => chownSync(join(xdg, 'mlops', 'code-cache'), 65534, 65534),
    ]);
  }
  for (const [what, spoil] of untrusted) {
    it(`${what}: neither read nor written`, () => {
      const xdg = tempDir();
      forgeCache(xdg);
      spoil(xdg);
      const before = snapshot(xdg);
      const r = runBin(['--help'], tempDir(), { XDG_CACHE_HOME: xdg });
      expect(r.stdout).toBe(genuine());
      expect(
        runBin(['validate', '--no-cache', CHURN], tempDir(), { XDG_CACHE_HOME: xdg }).code,
      ).toBe(0);
      expect(snapshot(xdg)).toEqual(before);
    });
  }

  it('no cache folder is made inside a git work tree, nor under a folder others can write', () => {
    const repo = tempDir();
    git(repo, ['init', '-q']);
    const open = tempDir();
    mkdirSync(join(open, 'mlops'), { mode: 0o777 });
    chmodSync(join(open, 'mlops'), 0o777);
    for (const xdg of [join(repo, '.cache'), open]) {
      const before = snapshot(repo);
      expect(
        runBin(['validate', '--no-cache', CHURN], tempDir(), { XDG_CACHE_HOME: xdg }).code,
      ).toBe(0);
      expect(snapshot(repo)).toEqual(before);
    }
    expect(existsSync(join(repo, '.cache'))).toBe(false);
    expect(readdirSync(join(open, 'mlops'))).toEqual([]);
  });

  it('a cache folder inside the work tree that GIT_DIR names: not read', () => {
    const xdg = tempDir();
    forgeCache(xdg);
    const gitDir = join(tempDir(), 'repo.git');
    git(tempDir(), ['init', '-q', '--bare', gitDir]);
    const r = runBin(['--help'], tempDir(), {
      XDG_CACHE_HOME: xdg,
      GIT_DIR: gitDir,
      GIT_WORK_TREE: xdg,
    });
    expect(r.stdout).toBe(genuine());
  });
});

describe('Node.js 22 and later: its own compile cache', () => {
  // Node.js 20 has no module.enableCompileCache: a stand-in, put in place before the CLI starts,
  // records how it is called and which bundles Node.js itself then loaded.
  const STUB = `
const Module = require('node:module');
const fs = require('node:fs');
const path = require('node:path');
const log = (line) => fs.appendFileSync(process.env.STUB_LOG, line + '\\n');
Module.enableCompileCache = (dir) => { log('enable ' + dir); return { status: 1, directory: dir }; };
process.on('exit', () => {
  for (const f of Object.keys(require.cache))
    if (f.includes(path.join('dist', 'cli'))) log('required ' + path.basename(f));
});
`;

  function withStub(): { nodeArgs: string[]; log: string } {
    const dir = tempDir();
    writeFileSync(join(dir, 'stub.cjs'), STUB);
    return { nodeArgs: ['--require', join(dir, 'stub.cjs')], log: join(dir, 'log') };
  }

  it("is turned on in the user's cache folder, and Node.js loads the bundles", () => {
    const pkg = installedCopy();
    const before = snapshot(pkg);
    const cwd = tempDir();
    const xdg = tempDir();
    const args = ['validate', '--no-cache', CHURN, BROKEN];
    const expected = runBin(args, cwd, { XDG_CACHE_HOME: tempDir() });
    const { nodeArgs, log } = withStub();

    const r = runCopy(pkg, args, cwd, { XDG_CACHE_HOME: xdg, STUB_LOG: log }, nodeArgs);
    expect(r).toEqual(expected);
    const lines = readFileSync(log, 'utf8').trim().split('\n');
    expect(lines[0]).toBe(`enable ${join(xdg, 'mlops', 'compile-cache')}`);
    expect(lines.filter((l) => l.startsWith('enable'))).toHaveLength(1);
    expect(lines).toEqual(
      expect.arrayContaining(['required run.cjs', 'required validate.cjs', 'required reader.cjs']),
    );
    // no code cache of its own, and nothing written in the package
    expect(codeCaches(xdg)).toEqual({});
    expect(lstatSync(join(xdg, 'mlops', 'compile-cache')).mode & 0o777).toBe(0o700);
    expect(snapshot(pkg)).toEqual(before);
  });

  it('a cache folder it cannot trust: not turned on, and the CLI runs the same', () => {
    const xdg = tempDir();
    git(xdg, ['init', '-q']);
    const cwd = tempDir();
    const args = ['validate', '--no-cache', CHURN, BROKEN];
    const expected = runBin(args, cwd, { XDG_CACHE_HOME: tempDir() });
    const { nodeArgs, log } = withStub();
    const r = runCopy(ROOT, args, cwd, { XDG_CACHE_HOME: xdg, STUB_LOG: log }, nodeArgs);
    expect(r).toEqual(expected);
    const lines = readFileSync(log, 'utf8').trim().split('\n');
    expect(lines.filter((l) => l.startsWith('enable'))).toEqual([]);
    expect(lines).toContain('required run.cjs');
  });
});

describe('the launcher', () => {
  it('finds the cache folder as the result cache does', () => {
    const launch = createRequire(import.meta.url)(join(ROOT, 'dist/cli/launch.cjs')) as {
      userCacheDir: (env: Record<string, string>, platform: NodeJS.Platform) => unknown;
    };
    const envs: Record<string, string>[] = [
      { XDG_CACHE_HOME: '/x/cache', HOME: '/home/u' },
      { XDG_CACHE_HOME: 'relative', HOME: '/home/u' },
      { HOME: '/home/u' },
      { HOME: 'home' },
      {},
      { LOCALAPPDATA: 'C:\\Users\\u\\AppData\\Local' },
      { XDG_CACHE_HOME: 'C:\\cache', LOCALAPPDATA: 'relative' },
    ];
    for (const platform of ['linux', 'darwin', 'win32'] as const)
      for (const env of envs)
        expect([platform, env, launch.userCacheDir(env, platform)]).toEqual([
          platform,
          env,
          cacheDir(env, platform),
        ]);
  });

  it('says how to build when dist/ is missing', () => {
    const pkg = installedCopy();
    rmSync(join(pkg, 'dist'), { recursive: true });
    expect(runCopy(pkg, ['validate', CHURN], tempDir())).toEqual({
      code: 2,
      stdout: '',
      stderr:
        'mlops: the CLI is not built (dist/cli/ is missing)\nhint: run `npm run build` in the mlops package, or `npm ci` without --ignore-scripts\n',
    });
  });

  it('errors thrown in one bundle are reported by another as user errors, not bugs', () => {
    const r = runBin(['validate', 'no-such-file.yaml'], tempDir());
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(
      'mlops: no such file or directory: no-such-file.yaml\nhint: check the path; with no paths, every mlops.yaml in the repository is used\n',
    );
  });
});

/** 300 copies of a broken manifest: findings enough to overflow a pipe (64 KiB). */
function manyBroken(): string {
  const dir = tempDir();
  const text = readFileSync(BROKEN, 'utf8');
  for (let i = 0; i < 300; i++) {
    mkdirSync(join(dir, `m${i}`));
    writeFileSync(join(dir, `m${i}`, 'mlops.yaml'), text);
  }
  return dir;
}

describe('output of the built CLI', () => {
  it('writes all of its output to a non-blocking pipe that fills up', () => {
    const dir = manyBroken();
    const expected = runBin(['validate', '--format', 'json', '.'], dir);
    expect(expected.stdout.length).toBeGreaterThan(128 * 1024);
    // stdout is a pipe set to O_NONBLOCK, read only after it has filled: writes see EAGAIN
    const script = [
      'import fcntl, os, subprocess, sys, time',
      'r, w = os.pipe()',
      'fcntl.fcntl(w, fcntl.F_SETFL, fcntl.fcntl(w, fcntl.F_GETFL) | os.O_NONBLOCK)',
      'p = subprocess.Popen(sys.argv[1:], stdout=w, stderr=subprocess.PIPE)',
      'os.close(w)',
      'time.sleep(1.5)',
      'out = b""',
      'while True:',
      '    chunk = os.read(r, 65536)',
      '    if not chunk: break',
      '    out += chunk',
      'err = p.stderr.read()',
      'sys.stdout.buffer.write(b"%d\\n" % p.wait() + err + b"\\n---\\n" + out)',
    ].join('\n');
    const r = spawnSync(
      'python3',
      [
        '-c',
        script,
        process.execPath,
        join(ROOT, 'bin/mlops.js'),
        'validate',
        '--format',
        'json',
        '.',
      ],
      {
        cwd: dir,
        encoding: 'utf8',
        env: { ...process.env, NO_COLOR: '1' },
        maxBuffer: 1 << 26,
      },
    );
    const [head, ...rest] = r.stdout.split('\n---\n');
    const [code, ...stderr] = head!.split('\n');
    expect(r.stderr).toBe('');
    expect(stderr.join('\n')).toBe('');
    expect(code).toBe(String(expected.code));
    const out = rest.join('\n---\n');
    expect(out.length).toBe(expected.stdout.length);
    expect(out).toBe(expected.stdout);
  });

  it('stops quietly when the reader goes away (mlops … | head)', () => {
    // more output than a pipe holds, so the writer is still writing when head exits
    const dir = manyBroken();
    const bin = join(ROOT, 'bin/mlops.js');
    const r = spawnSync(
      'bash',
      [
        '-c',
        `"${process.execPath}" "${bin}" validate --format json . 2>err.txt | head -c 10; echo " rc=\${PIPESTATUS[0]}"`,
      ],
      {
        cwd: dir,
        encoding: 'utf8',
        env: { ...process.env, NO_COLOR: '1' },
      },
    );
    expect(r.stdout).toBe('{\n  "schem rc=1\n');
    expect(readFileSync(join(dir, 'err.txt'), 'utf8')).toBe('');
    expect(existsSync(join(dir, 'err.txt'))).toBe(true);
  });
});

describe('what a short run loads', () => {
  // what the process loaded, written as it exits: built-in modules, and whether ICU's segmenter
  // (which costs ~20 ms to make) was made
  function loadedBy(args: string[], stdin: 'ignore' | 'pipe'): string[] {
    const dir = tempDir();
    const out = join(dir, 'loaded.txt');
    const preload = join(dir, 'loaded.cjs');
    writeFileSync(
      preload,
      `const made = [];\nconst S = Intl.Segmenter;\nIntl.Segmenter = class extends S { constructor(...a) { super(...a); made.push('Intl.Segmenter'); } };\nprocess.on('exit', () => require('node:fs').writeFileSync(${JSON.stringify(out)}, [...process.moduleLoadList, ...made].join('\\n')));\n`,
    );
    const r = spawnSync(
      process.execPath,
      ['--require', preload, join(ROOT, 'bin/mlops.js'), ...args],
      {
        cwd: dir,
        encoding: 'utf8',
        env: { ...process.env, NO_COLOR: '1' },
        stdio: [stdin, 'pipe', 'pipe'],
      },
    );
    expect(r.status).toBe(1);
    return readFileSync(out, 'utf8').split('\n');
  }

  it('validate of one file to a pipe, with no input (CI), neither asks for a terminal nor makes a segmenter', () => {
    // stdin is /dev/null, a character device: asking whether it is a terminal loads node:tty
    for (const stdin of ['ignore', 'pipe'] as const) {
      const loaded = loadedBy(['validate', '--no-cache', BROKEN], stdin);
      expect(loaded).not.toContain('NativeModule tty');
      expect(loaded).not.toContain('Intl.Segmenter');
    }
  });
});
