// The built CLI's launcher: code caches beside the bundles, and output written straight to the
// file descriptors. Runs a copy of the built package so that its caches can be removed.
import { spawnSync } from 'node:child_process';
import {
  cpSync,
  existsSync,
  mkdirSync,
  readFileSync,
  readdirSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runBin } from '../helpers/bin.js';
import { tempDir } from '../helpers/gitdir.js';

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
): { code: number; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [join(pkg, 'bin/mlops.js'), ...args], {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1' },
    input: '',
  });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

const caches = (pkg: string): string[] =>
  readdirSync(join(pkg, 'dist/cli'))
    .filter((f) => f.endsWith('.cache'))
    .sort();

describe('code cache of the built CLI', () => {
  it('the build leaves a cache for each bundle a run loads', () => {
    const pkg = installedCopy();
    expect(caches(pkg)).toEqual(
      expect.arrayContaining([
        'errors.cjs.cache',
        'run.cjs.cache',
        'reader.cjs.cache',
        'schema-validator.cjs.cache',
        'validate.cjs.cache',
        'yaml-reader.cjs.cache',
      ]),
    );
  });

  it('without caches the CLI answers the same, and writes them for the next run', () => {
    const pkg = installedCopy();
    const cwd = tempDir();
    const expected = runBin(['validate', '--no-cache', CHURN, BROKEN], cwd);
    for (const f of caches(pkg)) rmSync(join(pkg, 'dist/cli', f));

    expect(runCopy(pkg, ['validate', '--no-cache', CHURN, BROKEN], cwd)).toEqual(expected);
    // yaml-reader is not among them: both manifests are plain YAML, which the reader reads itself
    expect(caches(pkg)).toEqual([
      'errors.cjs.cache',
      'messages.cjs.cache',
      'reader.cjs.cache',
      'run.cjs.cache',
      'schema-validator.cjs.cache',
      'validate.cjs.cache',
    ]);
    expect(runCopy(pkg, ['validate', '--no-cache', CHURN, BROKEN], cwd)).toEqual(expected);
  });

  it('a corrupt cache is never trusted: same answer, and the cache is made again', () => {
    const pkg = installedCopy();
    const cwd = tempDir();
    const expected = runBin(['validate', '--no-cache', '--format', 'json', CHURN, BROKEN], cwd);
    const garbage = Buffer.from('not a V8 code cache '.repeat(100));
    for (const f of ['run.cjs.cache', 'validate.cjs.cache'])
      writeFileSync(join(pkg, 'dist/cli', f), garbage);

    expect(
      runCopy(pkg, ['validate', '--no-cache', '--format', 'json', CHURN, BROKEN], cwd),
    ).toEqual(expected);
    for (const f of ['run.cjs.cache', 'validate.cjs.cache']) {
      expect(readFileSync(join(pkg, 'dist/cli', f)).equals(garbage)).toBe(false);
    }
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
