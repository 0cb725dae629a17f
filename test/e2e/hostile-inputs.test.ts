import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, chownSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BIN } from '../helpers/bin.js';
import { commitFiles, git, gitDir, tempDir, writeFiles } from '../helpers/gitdir.js';

/**
 * The fixture's approval in the shape `mlops approve` writes (an `id`, and the `evidence` it
 * binds: none for envision), so that a valid manifest reads with no finding at all.
 */
function currentShape(text: string): string {
  const phase = '  - phase: envision\n';
  const digest = /^    digest: sha256:[0-9a-f]{64}\n/m;
  if (!text.includes(phase) || !digest.test(text)) {
    throw new Error('the base manifest has no envision approval to bring to the current shape');
  }
  return text
    .replace(phase, '  - id: envision-head-sales-2026-06-01\n    phase: envision\n')
    .replace(digest, (line) => `${line}    evidence: {}\n`);
}

const BASE = currentShape(
  readFileSync(new URL('../fixtures/malformed/base.yaml', import.meta.url), 'utf8'),
);
const named = (name: string): string => BASE.replace('name: lead-scoring', `name: ${name}`);
const SECRET = 'metadata: {name: TOPSECRET_x}\n';

interface Run {
  code: number;
  stdout: string;
  stderr: string;
  signal: NodeJS.Signals | null;
}

/**
 * The built CLI, killed after 20 s (a read that blocks on a FIFO or never ends fails the test
 * instead of hanging it) with a 256 MiB heap (a read of /dev/zero aborts instead of growing).
 */
function run(args: string[], cwd: string, env: Record<string, string> = {}, as?: number): Run {
  const base: Record<string, string | undefined> = { ...process.env };
  delete base.FORCE_COLOR;
  const argv = [process.execPath, BIN, ...args];
  const [cmd, ...rest] =
    as === undefined
      ? argv
      : ['setpriv', `--reuid=${as}`, `--regid=${as}`, '--clear-groups', ...argv];
  const r = spawnSync(cmd!, rest, {
    cwd,
    encoding: 'utf8',
    env: {
      ...base,
      NO_COLOR: '1',
      NODE_OPTIONS: '--max-old-space-size=256',
      GIT_CONFIG_NOSYSTEM: '1',
      GIT_CONFIG_GLOBAL: '/dev/null',
      ...env,
    },
    input: '',
    timeout: 20_000,
    killSignal: 'SIGKILL',
  });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr, signal: r.signal };
}

function json<T>(r: Run): T {
  try {
    return JSON.parse(r.stdout) as T;
  } catch {
    throw new Error(`not JSON (exit ${r.code}, signal ${r.signal}): ${r.stdout}\n${r.stderr}`);
  }
}

interface Located {
  code: string;
  file?: string;
  line: number;
  column: number;
  severity?: string;
  args?: Record<string, unknown>;
}

/** validate's findings in JSON, as `file line:column CODE`, sorted. */
function validateKeys(r: Run): string[] {
  return json<{ diagnostics: Located[] }>(r)
    .diagnostics.map((d) => `${d.file} ${d.line}:${d.column} ${d.code}`)
    .sort();
}

/** check's findings for manifests it did not judge, in the same form. */
function checkKeys(r: Run): string[] {
  return json<{ manifests: { file: string; invalid?: Located[] }[] }>(r)
    .manifests.flatMap((m) =>
      (m.invalid ?? []).map((f) => `${m.file} ${f.line}:${f.column} ${f.code}`),
    )
    .sort();
}

/**
 * A repository whose committed manifests are symlinks: to /dev/zero, to a FIFO inside and one
 * outside, to a file outside holding a secret, and to a manifest inside (the user's layout).
 * The first commit holds only the valid manifest, for `diff` to compare against.
 */
function hostileRepo(): { repo: string; outside: string } {
  const outside = tempDir('mlops-outside-');
  writeFileSync(join(outside, 'secret.yaml'), SECRET);
  execFileSync('mkfifo', [join(outside, 'pipe')]);
  const repo = gitDir();
  commitFiles(repo, { 'ok/mlops.yaml': named('ok-model') }, 'valid');
  writeFiles(repo, { 'real/target.yaml': named('inner-model') });
  mkdirSync(join(repo, 'fifo'));
  execFileSync('mkfifo', [join(repo, 'fifo/pipe')]);
  const links: Record<string, string> = {
    'zero/mlops.yaml': '/dev/zero',
    'fifo-in/mlops.yaml': '../fifo/pipe',
    'fifo-out/mlops.yaml': join(outside, 'pipe'),
    'secret/mlops.yaml': join(outside, 'secret.yaml'),
    'inside/mlops.yaml': '../real/target.yaml',
  };
  for (const [path, target] of Object.entries(links)) {
    mkdirSync(join(repo, path, '..'), { recursive: true });
    symlinkSync(target, join(repo, path));
  }
  git(repo, ['add', '--', 'real', ...Object.keys(links)]);
  git(repo, ['commit', '-q', '-m', 'links']);
  return { repo, outside };
}

/** The finding each hostile manifest gets, the same from every command. */
const NOT_READ = [
  'fifo-in/mlops.yaml 1:1 NOT_A_REGULAR_FILE',
  'fifo-out/mlops.yaml 1:1 SYMLINK_OUTSIDE',
  'secret/mlops.yaml 1:1 SYMLINK_OUTSIDE',
  'zero/mlops.yaml 1:1 SYMLINK_OUTSIDE',
];

function expectNoSecret(r: Run, what: string): void {
  expect.soft(r.signal, `${what}: killed`).toBeNull();
  expect.soft(r.stdout + r.stderr, what).not.toContain('TOPSECRET');
}

describe('manifests that are symlinks, FIFOs or devices', { timeout: 120_000 }, () => {
  it('validate refuses each with a finding naming the link and its target, in every format', () => {
    const { repo, outside } = hostileRepo();
    const cache = { XDG_CACHE_HOME: tempDir() };
    for (const format of ['stylish', 'json', 'github', 'sarif']) {
      const r = run(['validate', '-f', format], repo, cache);
      expectNoSecret(r, `validate -f ${format}`);
      expect.soft({ format, code: r.code }).toEqual({ format, code: 1 });
    }
    const r = run(['validate', '--no-cache'], repo);
    expect(r.stdout).toContain(
      `secret/mlops.yaml:1:1  error    SYMLINK_OUTSIDE  the file is a symlink to ${join(outside, 'secret.yaml')}, outside the repository; it was not read`,
    );
    expect(r.stdout).toContain(
      `fifo-in/mlops.yaml:1:1  error    NOT_A_REGULAR_FILE  the file is a symlink to ${join(repo, 'fifo/pipe')}, which is a FIFO (named pipe), not a regular file; it was not opened`,
    );
    expect(r.stdout).toContain('✖ 4 errors in 4 of 6 manifests');
    // the same from the cache (cold, then warm) and from worker threads
    for (const args of [[], [], ['--no-cache', '--jobs', '2']]) {
      const again = run(['validate', '-f', 'json', ...args], repo, cache);
      expectNoSecret(again, args.join(' ') || 'cached');
      expect.soft(validateKeys(again), args.join(' ') || 'cached').toEqual(NOT_READ);
    }
  });

  it('check reports the same findings and judges nothing of them, in every format', () => {
    const { repo } = hostileRepo();
    for (const format of ['text', 'json', 'markdown', 'sarif', 'github']) {
      const r = run(['check', '-f', format, '--today', '2026-08-01'], repo);
      expectNoSecret(r, `check -f ${format}`);
      expect.soft({ format, code: r.code }).toEqual({ format, code: 1 });
    }
    const r = run(['check', '-f', 'json', '--today', '2026-08-01'], repo);
    expect(checkKeys(r)).toEqual(NOT_READ);
    // the symlink inside the repository is read and judged
    const inside = json<{ manifests: { file: string; model?: string; invalid?: unknown }[] }>(
      r,
    ).manifests.find((m) => m.file === 'inside/mlops.yaml');
    expect(inside?.invalid).toBeUndefined();
  });

  it('a symlink inside the repository is read as the file it leads to', () => {
    const { repo } = hostileRepo();
    const r = run(['validate', '-f', 'json', 'inside', 'ok'], repo);
    expect(r.stderr).toBe('');
    expect(json<{ diagnostics: unknown[] }>(r).diagnostics).toEqual([]);
    expect(r.code).toBe(0);
  });

  it('diff of two files: a side that leads outside or is no file is reported, never read', () => {
    const { repo } = hostileRepo();
    for (const format of ['markdown', 'json']) {
      const r = run(['diff', 'ok/mlops.yaml', 'secret/mlops.yaml', '-f', format], repo);
      expectNoSecret(r, `diff -f ${format}`);
      expect.soft({ format, code: r.code }).toEqual({ format, code: 1 });
    }
    for (const side of ['secret', 'zero', 'fifo-in', 'fifo-out']) {
      const r = run(['diff', 'ok/mlops.yaml', `${side}/mlops.yaml`], repo);
      expectNoSecret(r, `diff ${side}`);
      expect.soft({ side, code: r.code }).toEqual({ side, code: 1 });
      expect
        .soft(r.stdout, side)
        .toMatch(
          side === 'fifo-in'
            ? /fifo-in\/mlops\.yaml:1:1 .*a FIFO \(named pipe\), not a regular file; it was not opened/
            : new RegExp(`${side}/mlops\\.yaml:1:1 .*outside the repository; it was not read`),
        );
    }
  });

  it('diff against the working tree: nothing outside is read, nothing blocks', () => {
    const { repo } = hostileRepo();
    const base = git(repo, ['rev-parse', 'HEAD~1']).trim();
    for (const format of ['text', 'markdown', 'json']) {
      const r = run(['diff', base, '-f', format], repo);
      expectNoSecret(r, `diff ${base} -f ${format}`);
      expect.soft({ format, code: r.code }).toEqual({ format, code: 1 });
    }
    const r = run(['diff', base], repo);
    expect(r.stdout).toMatch(/secret\/mlops\.yaml:1:1 .*outside the repository; it was not read/);
  });

  it('a config file that leads outside is refused unread (exit 2)', () => {
    const { repo, outside } = hostileRepo();
    symlinkSync(join(outside, 'secret.yaml'), join(repo, 'mlops.config.yaml'));
    const r = run(['validate', 'ok'], repo);
    expectNoSecret(r, 'validate with a config symlink');
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(
      `mlops.config.yaml:1:1  error    SYMLINK_OUTSIDE  the file is a symlink to ${join(outside, 'secret.yaml')}, outside the repository; it was not read`,
    );
  });
});

describe('outside a repository', { timeout: 120_000 }, () => {
  it('the walk enters no symlinked folder, and refuses a link out of the folder named', () => {
    const top = tempDir();
    const outside = tempDir('mlops-outside-');
    writeFileSync(join(outside, 'secret.yaml'), SECRET);
    writeFiles(outside, { 'models/x/mlops.yaml': SECRET });
    writeFiles(top, {
      'secret.yaml': SECRET,
      'project/a/mlops.yaml': named('a-model'),
    });
    mkdirSync(join(top, 'project/b'));
    mkdirSync(join(top, 'project/c'));
    symlinkSync('../../secret.yaml', join(top, 'project/b/mlops.yaml'));
    symlinkSync(join(outside, 'models'), join(top, 'project/linked'));
    symlinkSync(join(outside, 'secret.yaml'), join(top, 'project/c/mlops.yaml'));
    const r = run(['validate', '-f', 'json', 'project'], top);
    expectNoSecret(r, 'validate project');
    expect(validateKeys(r)).toEqual([
      'project/b/mlops.yaml 1:1 SYMLINK_OUTSIDE',
      'project/c/mlops.yaml 1:1 SYMLINK_OUTSIDE',
    ]);
    expect(json<{ files: string[] }>(r).files).not.toContain('project/linked/x/mlops.yaml');
  });

  it('a link that stays inside the folder named is read', () => {
    const top = tempDir();
    writeFiles(top, { 'project/shared/model.yaml': named('shared-model') });
    mkdirSync(join(top, 'project/a'));
    symlinkSync('../shared/model.yaml', join(top, 'project/a/mlops.yaml'));
    const r = run(['validate', 'project'], top);
    expect(r).toMatchObject({ code: 0, stdout: '✔ 1 manifest valid\n' });
  });

  it('a repository inside the folder named bounds its files, in folders walked or named', () => {
    const top = tempDir();
    writeFiles(top, {
      'project/shared.yaml': SECRET,
      'project/inner/ok/mlops.yaml': named('inner-model'),
      'project/.hidden/repo/ok/mlops.yaml': named('hidden-model'),
    });
    mkdirSync(join(top, 'project/inner/.git'));
    mkdirSync(join(top, 'project/inner/m'));
    symlinkSync('../../shared.yaml', join(top, 'project/inner/m/mlops.yaml'));
    // a hidden folder is not walked: its files count only when named
    mkdirSync(join(top, 'project/.hidden/repo/.git'));
    mkdirSync(join(top, 'project/.hidden/repo/m'));
    symlinkSync('../../../shared.yaml', join(top, 'project/.hidden/repo/m/mlops.yaml'));
    const r = run(['validate', '-f', 'json', 'project', 'project/.hidden/repo/m/mlops.yaml'], top);
    expectNoSecret(r, 'validate project');
    expect(validateKeys(r)).toEqual([
      'project/.hidden/repo/m/mlops.yaml 1:1 SYMLINK_OUTSIDE',
      'project/inner/m/mlops.yaml 1:1 SYMLINK_OUTSIDE',
    ]);
    const { diagnostics } = json<{ diagnostics: { args: { within: string } }[] }>(r);
    expect(diagnostics.map((d) => d.args.within)).toEqual(['repository', 'repository']);
  });
});

describe('files that are not UTF-8', { timeout: 120_000 }, () => {
  /** `text` as UTF-16 or UTF-32, with or without a byte order mark. */
  function encode(text: string, encoding: string, bom: boolean): Buffer {
    const all = (bom ? '\uFEFF' : '') + text;
    if (encoding.startsWith('UTF-16')) {
      const b = Buffer.from(all, 'utf16le');
      return encoding === 'UTF-16 LE' ? b : b.swap16();
    }
    const points = [...all].map((c) => c.codePointAt(0)!);
    const b = Buffer.alloc(points.length * 4);
    points.forEach((p, i) =>
      encoding === 'UTF-32 LE' ? b.writeUInt32LE(p, i * 4) : b.writeUInt32BE(p, i * 4),
    );
    return b;
  }

  it('UTF-16 and UTF-32, with or without a BOM, get "save it as UTF-8" from validate and check', () => {
    const repo = gitDir();
    const expected: string[] = [];
    for (const encoding of ['UTF-16 LE', 'UTF-16 BE', 'UTF-32 LE', 'UTF-32 BE']) {
      for (const bom of [true, false]) {
        const dir = `${encoding.replace(' ', '-').toLowerCase()}${bom ? '-bom' : ''}`;
        mkdirSync(join(repo, dir));
        writeFileSync(join(repo, dir, 'mlops.yaml'), encode(named(dir), encoding, bom));
        expected.push(`${dir}/mlops.yaml 1:1 NOT_UTF8`);
      }
    }
    mkdirSync(join(repo, 'latin1'));
    writeFileSync(
      join(repo, 'latin1/mlops.yaml'),
      Buffer.from(named('latin1').replace('title: Lead scoring', 'title: Lead scöring'), 'latin1'),
    );
    const line =
      named('latin1')
        .split('\n')
        .findIndex((l) => l.includes('title: Lead')) + 1;
    expected.push(`latin1/mlops.yaml ${line}:17 NOT_UTF8`);
    expected.sort();

    const validate = run(['validate', '--no-cache', '-f', 'json'], repo);
    expect(validate.code).toBe(1);
    expect(validateKeys(validate)).toEqual(expected);
    const byFile = new Map(
      json<{ diagnostics: Located[] }>(validate).diagnostics.map((d) => [d.file, d]),
    );
    expect(byFile.get('utf-16-le/mlops.yaml')?.args).toEqual({ encoding: 'UTF-16 LE', bom: false });
    expect(byFile.get('utf-32-be-bom/mlops.yaml')?.args).toEqual({
      encoding: 'UTF-32 BE',
      bom: true,
    });
    const check = run(['check', '-f', 'json', '--today', '2026-08-01'], repo);
    expect(check.code).toBe(1);
    expect(checkKeys(check)).toEqual(expected);

    const stylish = run(['validate', '--no-cache', 'utf-16-le-bom'], repo);
    expect(stylish.stdout).toContain(
      'utf-16-le-bom/mlops.yaml:1:1  error    NOT_UTF8  the file is saved as UTF-16 LE (with a byte order mark); mlops reads UTF-8 only\n    hint: save it as UTF-8',
    );
  });
});

describe('a manifest that cannot be read', { timeout: 120_000 }, () => {
  it.skipIf(process.getuid?.() !== 0)(
    'is an error finding of validate and check (as another user), never skipped',
    () => {
      // a folder every user can enter, owned by the user who runs mlops
      const top = tempDir();
      chmodSync(top, 0o755);
      const repo = join(top, 'repo');
      mkdirSync(repo);
      git(repo, ['init', '-q', '-b', 'main']);
      writeFiles(repo, {
        'ok/mlops.yaml': named('ok-model'),
        'locked/mlops.yaml': named('locked-model'),
      });
      git(repo, ['add', '.']);
      git(repo, ['-c', 'user.name=T', '-c', 'user.email=t@example.com', 'commit', '-q', '-m', 'x']);
      execFileSync('chown', ['-R', '65534:65534', repo]);
      chmodSync(join(repo, 'locked/mlops.yaml'), 0o000);
      chownSync(join(repo, 'locked/mlops.yaml'), 65534, 65534);
      const env = { HOME: top, XDG_CACHE_HOME: join(top, 'cache') };

      const validate = run(['validate', '-f', 'json'], repo, env, 65534);
      expect(validate.stderr).toBe('');
      expect(validate.code).toBe(1);
      expect(validateKeys(validate)).toEqual(['locked/mlops.yaml 1:1 FILE_UNREADABLE']);
      const stylish = run(['validate'], repo, env, 65534);
      expect(stylish.stdout).toContain(
        'locked/mlops.yaml:1:1  error    FILE_UNREADABLE  the file cannot be read: permission denied (EACCES)',
      );
      const check = run(['check', '-f', 'json', '--today', '2026-08-01'], repo, env, 65534);
      expect(check.code).toBe(1);
      expect(checkKeys(check)).toEqual(['locked/mlops.yaml 1:1 FILE_UNREADABLE']);
    },
  );
});

describe('two manifests with one metadata.name', { timeout: 120_000 }, () => {
  it('validate and check report it at both names, each naming the other file', () => {
    const repo = gitDir();
    writeFiles(repo, {
      'a/mlops.yaml': named('same-model'),
      'b/mlops.yaml': `# moved down two lines\n\n${named('same-model')}`,
    });
    const line =
      named('x')
        .split('\n')
        .findIndex((l) => l.startsWith('  name: x')) + 1;
    const validate = run(['validate', '--no-cache', '-f', 'json'], repo);
    expect(validate.code).toBe(1);
    expect(validateKeys(validate)).toEqual([
      `a/mlops.yaml ${line}:9 DUPLICATE_NAME`,
      `b/mlops.yaml ${line + 2}:9 DUPLICATE_NAME`,
    ]);
    const stylish = run(['validate', '--no-cache'], repo);
    expect(stylish.stdout).toContain(
      `a/mlops.yaml:${line}:9  error    DUPLICATE_NAME  metadata.name: "same-model" is also the name of b/mlops.yaml`,
    );
    expect(stylish.stdout).toContain(
      `b/mlops.yaml:${line + 2}:9  error    DUPLICATE_NAME  metadata.name: "same-model" is also the name of a/mlops.yaml`,
    );
    const check = run(['check', '-f', 'json', '--today', '2026-08-01'], repo);
    expect(checkKeys(check)).toEqual(validateKeys(validate));
  });
});
