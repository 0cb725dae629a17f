import { execFile, execFileSync, spawn, spawnSync } from 'node:child_process';
import {
  chmodSync,
  cpSync,
  lstatSync,
  mkdirSync,
  readFileSync,
  readdirSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { BIN, runBin } from '../helpers/bin.js';
import { commitFiles, git, gitDir, tempDir, writeFiles } from '../helpers/gitdir.js';

const FIXTURE = new URL('../fixtures/check-complete/', import.meta.url).pathname;
const MINIMAL = 'apiVersion: mlops/v1\nkind: ModelManifest\nmetadata: { name: NAME }\n';
const TODAY = ['--today', '2026-11-27'];
/** git as the helpers run it: no user or system config, a fixed identity. */
const GIT_ENV = {
  GIT_CONFIG_NOSYSTEM: '1',
  GIT_CONFIG_GLOBAL: '/dev/null',
  GIT_AUTHOR_NAME: 'Test',
  GIT_AUTHOR_EMAIL: 'test@example.com',
  GIT_COMMITTER_NAME: 'Test',
  GIT_COMMITTER_EMAIL: 'test@example.com',
};

/** The complete fixture copied to `folder` of `dir` under its own name, not committed. */
function copyFixture(dir: string, folder: string, name: string): void {
  const to = join(dir, folder);
  cpSync(FIXTURE, to, { recursive: true });
  const manifest = join(to, 'mlops.yaml');
  writeFileSync(
    manifest,
    readFileSync(manifest, 'utf8').replace('name: lead-scoring', `name: ${name}`),
  );
}

/** Commits everything in the work tree on `date`. */
function commitAll(dir: string, message: string, date = '2026-11-20T12:00:00Z'): void {
  git(dir, ['add', '-A']);
  git(dir, ['commit', '-q', '-m', message], {
    GIT_AUTHOR_DATE: date,
    GIT_COMMITTER_DATE: date,
  });
}

function json<T>(stdout: string): T {
  return JSON.parse(stdout) as T;
}

interface CheckJson {
  manifests: {
    file: string;
    ok: boolean;
    phases: { phase: string; rules: { id: string; status: string }[] }[];
    values: { observed?: number; source?: { path: string; date?: string } }[];
  }[];
}

describe('paths on the command line are literal', () => {
  const NAMES = {
    'a*': 'star',
    abc: 'abc',
    'glob*[a]?': 'glob',
    globXaY: 'glob-decoy',
    'back\\slash': 'backslash',
    backslash: 'backslash-decoy',
  };

  function oddRepo(): string {
    const dir = gitDir();
    const files: Record<string, string> = {};
    for (const [folder, name] of Object.entries(NAMES))
      files[`${folder}/mlops.yaml`] = MINIMAL.replace('NAME', name);
    commitFiles(dir, files, 'odd names');
    return dir;
  }

  it('validate and check find only the folder of that very name', () => {
    const dir = oddRepo();
    for (const folder of ['a*', 'glob*[a]?', 'back\\slash']) {
      const v = runBin(['validate', folder, '--no-cache', '--format', 'json'], dir);
      expect(v.stderr, folder).toBe('');
      expect(json<{ files: string[] }>(v.stdout).files).toEqual([`${folder}/mlops.yaml`]);
      const c = runBin(['check', folder, ...TODAY, '--format', 'json'], dir);
      expect(c.stderr, folder).toBe('');
      expect(json<CheckJson>(c.stdout).manifests.map((m) => m.file)).toEqual([
        `${folder}/mlops.yaml`,
      ]);
    }
  });

  it('diff -- <path> limits the diff to that very folder', () => {
    const dir = oddRepo();
    const files: Record<string, string> = {};
    for (const [folder, name] of Object.entries(NAMES))
      files[`${folder}/mlops.yaml`] = MINIMAL.replace('NAME', `${name}-renamed`);
    commitFiles(dir, files, 'rename all');
    const r = runBin(['diff', 'HEAD~1', 'HEAD', '--format', 'json', '--', 'a*'], dir);
    expect(r.stderr).toBe('');
    const files2 = json<{ manifests: { file: string }[] }>(r.stdout).manifests.map((m) => m.file);
    expect(files2).toEqual(['a*/mlops.yaml']);
  });

  it('a pattern that names no folder is an error, not a search', () => {
    const dir = gitDir();
    commitFiles(dir, { 'abc/mlops.yaml': MINIMAL.replace('NAME', 'abc') }, 'abc');
    for (const args of [
      ['validate', 'a*'],
      ['check', 'a?', ...TODAY],
      ['validate', 'ab[c]'],
    ]) {
      const r = runBin(args, dir);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr).toContain(`no such file or directory: ${args[1]}`);
      expect(r.stdout).toBe('');
    }
  });
});

describe('file names git would quote', () => {
  it('check reads the history of a folder named with a line break, a tab, quotes and pathspec magic', () => {
    const dir = gitDir();
    const folder = ":(glob)models/we\"ird\tna\nme \\ 'q' é";
    copyFixture(dir, folder, 'odd-folder');
    writeFileSync(join(dir, folder, 'reports/value.json'), '{ "metrics": { "conversion": 10.5 } }');
    commitAll(dir, 'first report', '2026-10-20T12:00:00Z');
    cpSync(join(FIXTURE, 'reports/value.json'), join(dir, folder, 'reports/value.json'));
    writeFileSync(
      join(dir, folder, 'reports/live.json'),
      '{ "metrics": { "disparate_impact_ratio": 0.88, "decision_log_completeness": 0.995, "score-drift": 0.05 } }',
    );
    commitAll(dir, 'second reports', '2026-11-20T12:00:00Z');

    const r = runBin(['check', ...TODAY, '--format', 'json'], dir);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const [m] = json<CheckJson>(r.stdout).manifests;
    expect(m!.file).toBe(`${folder}/mlops.yaml`);
    const monitor = m!.phases.find((p) => p.phase === 'monitor')!;
    expect(monitor.rules.filter((rule) => ['M2', 'M3'].includes(rule.id))).toEqual([
      expect.objectContaining({ id: 'M2', status: 'pass' }),
      expect.objectContaining({ id: 'M3', status: 'pass' }),
    ]);
    // the newest committed version, with its commit's date
    expect(m!.values[0]).toMatchObject({
      observed: 12.2,
      source: { path: `${folder}/reports/value.json`, date: '2026-11-20' },
    });

    // the same names named on the command line, and compared by diff
    const v = runBin(['validate', folder, '--no-cache', '--format', 'json'], dir);
    expect(json<{ files: string[] }>(v.stdout).files).toEqual([`${folder}/mlops.yaml`]);
    const manifest = join(dir, folder, 'mlops.yaml');
    writeFileSync(manifest, readFileSync(manifest, 'utf8').replace('min: 0.8', 'min: 0.7'));
    const d = runBin(['diff', 'HEAD', '--format', 'json', '--', folder], dir);
    expect(d.stderr).toBe('');
    expect(json<{ manifests: { file: string }[] }>(d.stdout).manifests.map((x) => x.file)).toEqual([
      `${folder}/mlops.yaml`,
    ]);
  });

  it('a repository whose own folder has a line break in its name', () => {
    const dir = join(tempDir(), 'repo with a\nline break');
    mkdirSync(dir);
    git(dir, ['init', '-q', '-b', 'main']);
    copyFixture(dir, 'm', 'model');
    commitAll(dir, 'model');
    const r = runBin(['check', ...TODAY], dir);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('reports/value.json#/metrics/conversion, committed 2026-11-20');
  });

  it('a manifest whose path is not valid UTF-8 is named as such, never skipped or "deleted"', () => {
    const dir = gitDir();
    commitFiles(dir, { 'good/mlops.yaml': MINIMAL.replace('NAME', 'good') }, 'good');
    const folder = Buffer.concat([
      Buffer.from(`${dir}/bad`),
      Buffer.from([0xff]),
      Buffer.from('name'),
    ]);
    mkdirSync(folder);
    writeFileSync(
      Buffer.concat([folder, Buffer.from('/mlops.yaml')]),
      MINIMAL.replace('NAME', 'bad'),
    );
    commitAll(dir, 'bad name');
    for (const args of [
      ['validate', '--no-cache'],
      ['check', ...TODAY],
      ['diff', 'HEAD'],
      ['diff', 'HEAD~2', 'HEAD'],
    ]) {
      const r = runBin(args, dir);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr).toContain('bad\\xffname/mlops.yaml: the file name is not valid UTF-8');
      expect(r.stderr).toContain('rename');
      expect(r.stdout).not.toContain('deleted');
    }
  });
});

describe.runIf(process.getuid?.() === 0)(
  'a tracked manifest in a folder the user cannot read',
  () => {
    /** Runs the CLI as the unprivileged user 65534, which root's chmod 000 does stop. */
    function runAsNobody(args: string[], cwd: string, home: string): { code: number; out: string } {
      const r = spawnSync(
        'setpriv',
        ['--reuid=65534', '--regid=65534', '--clear-groups', process.execPath, BIN, ...args],
        {
          cwd,
          encoding: 'utf8',
          env: {
            ...process.env,
            ...GIT_ENV,
            NO_COLOR: '1',
            HOME: home,
            XDG_CACHE_HOME: join(home, 'cache'),
            // the repository belongs to root: trust it, as the user would with safe.directory
            GIT_CONFIG_COUNT: '1',
            GIT_CONFIG_KEY_0: 'safe.directory',
            GIT_CONFIG_VALUE_0: '*',
          },
          input: '',
        },
      );
      return { code: r.status ?? -1, out: `${r.stdout}${r.stderr}` };
    }

    it('is reported by validate, check and diff, naming it: never ✔, never "deleted"', () => {
      const dir = gitDir();
      copyFixture(dir, 'models/ok', 'ok-model');
      copyFixture(dir, 'models/locked', 'locked-model');
      commitAll(dir, 'models');
      const home = tempDir();
      chmodSync(home, 0o777);
      chmodSync(dir, 0o755);
      chmodSync(join(dir, 'models/locked'), 0o000);
      const locked = 'models/locked/mlops.yaml';

      const sane = runAsNobody(['validate', 'models/ok', '--no-cache'], dir, home);
      expect(sane.out).toContain('✔ 1 manifest valid');

      for (const args of [
        ['validate', '--no-cache'],
        ['validate', locked, '--no-cache'],
        ['check', ...TODAY],
        ['check', 'models', ...TODAY],
      ]) {
        const r = runAsNobody(args, dir, home);
        expect([1, 2], `${args.join(' ')}\n${r.out}`).toContain(r.code);
        expect(r.out).toContain(locked);
        expect(r.out).not.toContain('no such file');
        if (args[0] === 'validate') expect(r.out).not.toContain('✔');
      }
      const diff = runAsNobody(['diff', 'HEAD'], dir, home);
      expect([1, 2], diff.out).toContain(diff.code);
      expect(diff.out).toContain(locked);
      expect(diff.out).not.toContain('deleted');
    });
  },
);

describe('a manifest inside a submodule', () => {
  function withSubmodule(): { dir: string; sub: string } {
    const source = gitDir();
    copyFixture(source, '.', 'sub-model');
    commitAll(source, 'sub model');
    const dir = gitDir();
    commitFiles(dir, { 'top/mlops.yaml': MINIMAL.replace('NAME', 'top') }, 'top');
    git(dir, ['-c', 'protocol.file.allow=always', 'submodule', 'add', '-q', source, 'models/sub']);
    git(dir, ['commit', '-q', '-m', 'submodule']);
    return { dir, sub: join(dir, 'models/sub') };
  }

  it('validate validates it when named, as a file or through its folder', () => {
    const { dir } = withSubmodule();
    for (const path of ['models/sub/mlops.yaml', 'models/sub']) {
      const r = runBin(['validate', path, '--no-cache', '--format', 'json'], dir);
      expect(r.stderr, path).toBe('');
      expect(r.code).toBe(0);
      expect(json<{ files: string[] }>(r.stdout).files).toEqual(['models/sub/mlops.yaml']);
    }
  });

  it('check refuses it with a clear message; diff and the rest never call it uncommitted or deleted', () => {
    const { dir, sub } = withSubmodule();
    for (const path of ['models/sub/mlops.yaml', 'models/sub']) {
      const r = runBin(['check', path, ...TODAY], dir);
      expect(r.code, path).toBe(2);
      expect(r.stderr).toContain('models/sub is a submodule');
      expect(r.stderr).toContain('cd models/sub');
      expect(r.stdout).toBe('');
    }
    const all = runBin(['check', ...TODAY, '--format', 'json'], dir);
    expect(all.stderr).toBe('');
    expect(json<CheckJson>(all.stdout).manifests.map((m) => m.file)).toEqual(['top/mlops.yaml']);
    for (const args of [
      ['diff', 'HEAD~1'],
      ['diff', 'HEAD~1', 'HEAD'],
      ['diff', 'HEAD~1', '--', 'models'],
    ]) {
      const r = runBin(args, dir);
      expect(r.code, args.join(' ')).toBe(0);
      expect(r.stdout).not.toMatch(/deleted|not committed|models\/sub/);
    }
    // run inside it, as the message says, it is judged against its own history
    const inside = runBin(['check', ...TODAY], sub);
    expect(inside.stderr).toBe('');
    expect(inside.code).toBe(0);
    expect(inside.stdout).not.toContain('not committed');
  });
});

describe('evidence inside a submodule', () => {
  it('is named as such, never as not committed', () => {
    const source = gitDir();
    copyFixture(source, '.', 'sub-model');
    commitAll(source, 'sub model');
    const dir = gitDir();
    git(dir, ['-c', 'protocol.file.allow=always', 'submodule', 'add', '-q', source, 'models/sub']);
    copyFixture(dir, 'lead', 'lead');
    const manifest = join(dir, 'lead', 'mlops.yaml');
    writeFileSync(
      manifest,
      readFileSync(manifest, 'utf8').replace(
        'modelCard: docs/model-card.md',
        'modelCard: ../models/sub/docs/model-card.md',
      ),
    );
    commitAll(dir, 'lead');
    const r = runBin(['check', 'lead', ...TODAY, '--format', 'json'], dir);
    expect(r.stderr).toBe('');
    expect(r.stdout).toContain('EVIDENCE_IN_SUBMODULE');
    expect(r.stdout).not.toContain('EVIDENCE_UNTRACKED');
    const text = runBin(['check', 'lead', ...TODAY], dir);
    expect(text.stdout).toContain(
      'models/sub/docs/model-card.md is inside the submodule models/sub',
    );
    expect(text.stdout).not.toContain('not committed');
  });
});

/** Every entry under `root`, with what a write would change: inode, size, modification time. */
function snapshot(root: string): string[] {
  const out: string[] = [];
  const walk = (dir: string): void => {
    for (const name of readdirSync(dir).sort()) {
      const path = join(dir, name);
      const st = lstatSync(path);
      out.push(`${path.slice(root.length)} ${st.ino} ${st.size} ${st.mtimeMs}`);
      if (st.isDirectory()) walk(path);
    }
  };
  walk(root);
  return out;
}

describe('reading commands never write to .git', () => {
  it('validate, check and diff leave .git as it was, even when git status would refresh the index', () => {
    const dir = gitDir();
    copyFixture(dir, 'models/a', 'model-a');
    commitAll(dir, 'a', '2026-11-19T12:00:00Z');
    copyFixture(dir, 'models/b', 'model-b');
    commitAll(dir, 'b');
    writeFiles(dir, { 'models/a/notes.md': 'untracked\n' });
    // every tracked file touched: the stat data in the index no longer matches, so a git
    // status with optional locks would rewrite .git/index
    const past = new Date('2026-01-01T00:00:00Z');
    for (const f of git(dir, ['ls-files', '-z']).split('\0').filter(Boolean))
      utimesSync(join(dir, f), past, past);

    // a git on PATH that records each call and its GIT_OPTIONAL_LOCKS, then runs the real one
    const realGit = execFileSync('sh', ['-c', 'command -v git'], { encoding: 'utf8' }).trim();
    const bin = tempDir();
    const log = join(bin, 'calls.log');
    writeFileSync(
      join(bin, 'git'),
      `#!/bin/sh\nprintf '%s|%s\\n' "$GIT_OPTIONAL_LOCKS" "$*" >> '${log}'\nexec '${realGit}' "$@"\n`,
    );
    chmodSync(join(bin, 'git'), 0o755);
    const env = { PATH: `${bin}:${process.env.PATH ?? ''}`, XDG_CACHE_HOME: join(bin, 'cache') };

    const before = snapshot(join(dir, '.git'));
    for (const args of [
      ['validate'],
      ['validate', 'models/a', '--no-cache'],
      ['check', ...TODAY],
      ['check', 'models/b', ...TODAY, '--format', 'json'],
      ['diff', 'HEAD~1'],
      ['diff', 'HEAD~1', 'HEAD', '--format', 'markdown'],
    ]) {
      const r = runBin(args, dir, env);
      expect(r.code, `${args.join(' ')}\n${r.stderr}`).toBeLessThan(2);
    }
    expect(snapshot(join(dir, '.git'))).toEqual(before);

    const calls = readFileSync(log, 'utf8').trim().split('\n');
    expect(calls.length).toBeGreaterThan(6);
    for (const call of calls) {
      expect(call).toMatch(/^0\|-c core\.quotePath=false /);
      expect(call).not.toMatch(/\b(update-index|gc|maintenance|commit-graph|write-tree)\b/);
    }
    expect(calls.some((c) => c.includes(' status '))).toBe(true);

    // the same git status with optional locks does write: this test sees such a write
    git(dir, ['status', '--porcelain']);
    expect(snapshot(join(dir, '.git'))).not.toEqual(before);
  });

  it('50 checks alongside a git add loop: no git add ever meets a lock', async () => {
    const dir = gitDir();
    copyFixture(dir, 'models/a', 'model-a');
    commitAll(dir, 'a');
    const run = promisify(execFile);
    const env = { ...process.env, ...GIT_ENV };
    let done = false;
    let adds = 0;
    const adding: Promise<void> = (async () => {
      while (!done) {
        writeFileSync(join(dir, 'busy.txt'), `${adds}\n`);
        // a file changed as the index is written is "racily clean": a git status with
        // optional locks would refresh the index, taking its lock
        await run('git', ['add', 'busy.txt'], { cwd: dir, env });
        adds++;
      }
    })();
    adding.catch(() => undefined); // awaited below, once the checks are done
    const check = (): Promise<{ code: number | null; stderr: string }> =>
      new Promise((resolve) => {
        const child = spawn(process.execPath, [BIN, 'check', ...TODAY], {
          cwd: dir,
          env: { ...process.env, NO_COLOR: '1' },
          stdio: ['ignore', 'ignore', 'pipe'],
        });
        let stderr = '';
        child.stderr.on('data', (b: Buffer) => (stderr += b.toString()));
        child.on('close', (code) => resolve({ code, stderr }));
      });
    const results: { code: number | null; stderr: string }[] = [];
    try {
      for (let round = 0; round < 10; round++)
        results.push(...(await Promise.all(Array.from({ length: 5 }, check))));
    } finally {
      done = true;
      await adding; // rejects, failing the test, when a git add met index.lock
    }
    expect(results).toHaveLength(50);
    expect(results.filter((r) => r.code !== 0)).toEqual([]);
    expect(adds).toBeGreaterThan(0);
  }, 300_000);
});
