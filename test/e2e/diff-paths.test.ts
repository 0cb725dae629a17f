import { mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runBin } from '../helpers/bin.js';
import { commitFiles, git, gitDir, tempDir, writeFiles } from '../helpers/gitdir.js';

const BASE = readFileSync(new URL('../fixtures/diff-base/mlops.yaml', import.meta.url), 'utf8');
const ISOLATED_GIT = { GIT_CONFIG_GLOBAL: '/dev/null', GIT_CONFIG_NOSYSTEM: '1' };
const SLOW = 60_000;
/** A value that must never be shown: it is in files outside the repository. */
const SECRET = 'top-secret-4f1c';

function edit(text: string, ...edits: [string, string][]): string {
  for (const [from, to] of edits) {
    if (!text.includes(from)) throw new Error(`fixture has no "${from}"`);
    text = text.replace(from, to);
  }
  return text;
}

const named = (name: string): string => edit(BASE, ['name: churn-model', `name: ${name}`]);
const LOOSENED: [string, string] = ['min: 0.8, max: 1.25', 'min: 0.7, max: 1.25'];

/**
 * main: two manifests under models/, and one named models/alt/model.yaml; the branch
 * `feature` loosens a guardrail of the churn model and of models/alt/model.yaml.
 */
function repo(): string {
  const dir = gitDir();
  commitFiles(
    dir,
    {
      'models/churn/mlops.yaml': BASE,
      'models/forecast/mlops.yaml': named('forecast-model'),
      'models/alt/model.yaml': named('alt-model'),
      'README.md': '# models\n',
    },
    'three models',
  );
  git(dir, ['checkout', '-q', '-b', 'feature']);
  commitFiles(
    dir,
    {
      'models/churn/mlops.yaml': edit(BASE, LOOSENED),
      'models/alt/model.yaml': edit(named('alt-model'), LOOSENED),
    },
    'loosen',
  );
  return dir;
}

function diff(args: string[], cwd: string): { code: number; stdout: string; stderr: string } {
  return runBin(['diff', ...args], cwd, ISOLATED_GIT);
}

interface DiffJson {
  summary: { compared: number; changed: number };
  manifests: { file: string; status: string; baseFile?: string; headFile?: string }[];
  changes?: unknown;
}

function json(args: string[], cwd: string): DiffJson {
  const r = diff(['--format', 'json', '--fail-on', 'none', ...args], cwd);
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
  return JSON.parse(r.stdout) as DiffJson;
}

/** Exit 2, one message line and one hint line, nothing on stdout. */
function refused(r: { code: number; stdout: string; stderr: string }): [string, string] {
  expect(r.code).toBe(2);
  expect(r.stdout).toBe('');
  const lines = r.stderr.split('\n').filter((l) => l !== '');
  expect(lines).toHaveLength(2);
  expect(lines[0]).toMatch(/^mlops: /);
  expect(lines[1]).toMatch(/^hint: \S/);
  return [lines[0]!, lines[1]!];
}

/** The arguments after `diff` of the mlops command in a hint's backticks. */
function hintDiff(hint: string): string[] {
  const command = /`(?:npx )?mlops diff ([^`]*)`/.exec(hint);
  if (!command) throw new Error(`no diff command in the hint: ${hint}`);
  return command[1]!.split(' ');
}

describe('mlops diff -- <path> that matches no manifest', { timeout: SLOW }, () => {
  it('a typo exits 2 with the nearest manifest path or folder, and the hint works', () => {
    const dir = repo();
    for (const [args, message, fixed] of [
      [
        ['main', 'feature', '--', 'models/chrun'],
        'models/chrun matches no manifest in main or feature (did you mean "models/churn"?)',
        ['main', 'feature', '--', 'models/churn'],
      ],
      [
        ['main', '--', 'models/churn/mlops.yml'],
        'models/churn/mlops.yml matches no manifest in main or the working tree (did you mean "models/churn/mlops.yaml"?)',
        ['main', '--', 'models/churn/mlops.yaml'],
      ],
      [
        ['main', 'feature', '--', 'modles'],
        'modles matches no manifest in main or feature (did you mean "models"?)',
        ['main', 'feature', '--', 'models'],
      ],
      [
        ['main', 'feature', '--', 'models/churn', 'models/frcast', 'models/chrun/'],
        'models/frcast matches no manifest in main or feature (did you mean "models/forecast"?); nor does models/chrun/ (did you mean "models/churn"?)',
        ['main', 'feature', '--', 'models/churn', 'models/forecast', 'models/churn'],
      ],
    ] as const) {
      const [m, hint] = refused(diff([...args], dir));
      expect(m).toBe(`mlops: ${message}`);
      expect(hintDiff(hint)).toEqual(fixed);
      const followed = diff(hintDiff(hint), dir);
      expect(followed.stderr).toBe('');
      expect(followed.code, fixed.join(' ')).toBeLessThan(2);
    }
  });

  it('a path given as a revision: the hint puts it after --, and works', () => {
    const dir = repo();
    for (const [args, fixed] of [
      [['models/churn'], ['--', 'models/churn']],
      [
        ['main', 'models/churn'],
        ['main', '--', 'models/churn'],
      ],
    ] as const) {
      const r = diff([...args], dir);
      expect(r.code).toBe(2);
      const hint = r.stderr.split('\n').find((l) => l.startsWith('hint: '))!;
      expect(hint).toMatch(/^hint: to limit the diff to a path, put it after --: `/);
      expect(hintDiff(hint)).toEqual(fixed);
      const followed = diff(hintDiff(hint), dir);
      expect(followed.stderr).toBe('');
      expect(followed.code).toBeLessThan(2);
    }
  });

  it('paths are relative to the current folder, in the message and the hint', () => {
    const dir = repo();
    const [m, hint] = refused(diff(['main', 'feature', '--', 'chrun'], join(dir, 'models')));
    expect(m).toBe('mlops: chrun matches no manifest in main or feature (did you mean "churn"?)');
    expect(hintDiff(hint)).toEqual(['main', 'feature', '--', 'churn']);
  });

  it('with nothing near, the hint runs the diff without paths', () => {
    const dir = repo();
    mkdirSync(join(dir, 'docs'));
    for (const path of ['nowhere/at/all', 'docs']) {
      const [m, hint] = refused(diff(['main', 'feature', '--', path], dir));
      expect(m).toBe(`mlops: ${path} matches no manifest in main or feature`);
      expect(hint).toMatch(
        /^hint: after --, name manifests or the folders that hold them; without paths, `(npx )?mlops diff main feature` compares every manifest$/,
      );
    }
    // the default base is named as such
    git(dir, ['checkout', '-q', 'main']);
    git(dir, ['checkout', '-q', '-b', 'other']);
    const [m] = refused(diff(['--', 'models/chrun'], dir));
    expect(m).toBe(
      'mlops: models/chrun matches no manifest in the merge-base of HEAD and main or the working tree (did you mean "models/churn"?)',
    );
  });

  it('a file that is no manifest at either side exits 2, naming it', () => {
    const dir = repo();
    const [m, hint] = refused(diff(['main', 'feature', '--', 'README.md'], dir));
    expect(m).toBe(
      'mlops: README.md is not a manifest in main or feature: it has no kind: ModelManifest',
    );
    expect(hint).toMatch(/compares every manifest$/);
    // a file beside a manifest: the folder is nearest
    writeFiles(dir, { 'models/churn/notes.yaml': 'notes: []\n' });
    const [beside, fix] = refused(diff(['main', '--', 'models/churn/notes.yaml'], dir));
    expect(beside).toBe(
      'mlops: models/churn/notes.yaml is not a manifest in main or the working tree: it has no kind: ModelManifest (did you mean "models/churn"?)',
    );
    expect(hintDiff(fix)).toEqual(['main', '--', 'models/churn']);
    // too large to be one: never read whole
    commitFiles(
      dir,
      { 'data/big.yaml': `kind: ModelManifest\n${'x: 1\n'.repeat(300_000)}` },
      'big',
    );
    const [big] = refused(diff(['main', 'HEAD', '--', 'data/big.yaml'], dir));
    expect(big).toMatch(/^mlops: data\/big\.yaml: .*1 MiB/);
  });
});

describe('mlops diff -- <manifest of another name>', { timeout: SLOW }, () => {
  it('is compared at both revisions, whatever its file name', () => {
    const dir = repo();
    const r = diff(['main', 'feature', '--', 'models/alt/model.yaml'], dir);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('alt-model  models/alt/model.yaml');
    expect(r.stdout).toContain(
      'loosened    guardrail `disparate-impact` (fairImpartial): min 0.8 → 0.7',
    );
    const j = json(['main', 'feature', '--', 'models/alt/model.yaml'], dir);
    expect(j.summary).toMatchObject({ compared: 1, changed: 1 });
    expect(j.manifests).toEqual([
      expect.objectContaining({
        file: 'models/alt/model.yaml',
        status: 'changed',
        baseFile: 'models/alt/model.yaml',
        headFile: 'models/alt/model.yaml',
      }),
    ]);
    // with a folder, and with it: the folder's mlops.yaml files, and the file named
    const both = json(['main', 'feature', '--', 'models', 'models/alt/model.yaml'], dir);
    expect(both.manifests.map((m) => m.file)).toEqual([
      'models/alt/model.yaml',
      'models/churn/mlops.yaml',
    ]);
    expect(both.summary.compared).toBe(3);
  });

  it('against the working tree: changed, added and deleted', () => {
    const dir = repo();
    writeFileSync(
      join(dir, 'models/alt/model.yaml'),
      edit(named('alt-model'), LOOSENED, ['min: 0.7', 'min: 0.6']),
    );
    writeFiles(dir, { 'models/new/model.yaml': named('new-model') });
    const j = json(['HEAD', '--', 'models/alt/model.yaml', 'models/new/model.yaml'], dir);
    expect(j.manifests.map((m) => [m.file, m.status])).toEqual([
      ['models/alt/model.yaml', 'changed'],
      ['models/new/model.yaml', 'added'],
    ]);
    git(dir, ['rm', '-q', '-f', 'models/alt/model.yaml']);
    const gone = json(['HEAD', '--', 'models/alt/model.yaml'], dir);
    expect(gone.manifests.map((m) => [m.file, m.status])).toEqual([
      ['models/alt/model.yaml', 'deleted'],
    ]);
  });

  it('unnamed, it is left out as before: a folder names only its mlops.yaml files', () => {
    const dir = repo();
    for (const args of [
      ['main', 'feature'],
      ['main', 'feature', '--', 'models'],
    ]) {
      const j = json(args, dir);
      expect(j.manifests.map((m) => m.file)).toEqual(['models/churn/mlops.yaml']);
      expect(j.summary).toMatchObject({ compared: 2, changed: 1 });
    }
  });
});

describe('mlops diff -- <path>: nothing outside the repository', { timeout: SLOW }, () => {
  it('a path outside, a symlink leading out, a symlinked folder leading out: exit 2, never read', () => {
    const dir = repo();
    const outside = tempDir();
    writeFileSync(join(outside, 'model.yaml'), `${named('stolen')}x-secret: ${SECRET}\n`);
    symlinkSync(join(outside, 'model.yaml'), join(dir, 'models/link.yaml'));
    symlinkSync(outside, join(dir, 'ext'));
    const cases: [string, RegExp][] = [
      [join(outside, 'model.yaml'), /is outside the repository/],
      ['../' + outside.split('/').pop()!, /is outside the repository/],
      ['models/link.yaml', /^mlops: models\/link\.yaml: .*outside the repository/],
      ['ext/model.yaml', /^mlops: ext\/model\.yaml: .*symlinked folder.*outside the repository/],
    ];
    for (const [path, message] of cases) {
      for (const format of ['text', 'json']) {
        const r = diff(['main', '--format', format, '--', path], dir);
        const [m] = refused(r);
        expect(m, path).toMatch(message);
        expect(r.stderr).not.toContain(SECRET);
      }
    }
  });
});

describe('mlops diff -- <folder> works as before', { timeout: SLOW }, () => {
  it('folders and manifests that exist, at either side', () => {
    const dir = repo();
    git(dir, ['rm', '-q', '-r', 'models/forecast']);
    git(dir, ['commit', '-q', '-m', 'drop forecast']);
    expect(json(['main', 'feature', '--', 'models/churn'], dir).manifests).toHaveLength(1);
    // only at the base: deleted
    const deleted = json(['main', 'feature', '--', 'models/forecast'], dir);
    expect(deleted.manifests.map((m) => [m.file, m.status])).toEqual([
      ['models/forecast/mlops.yaml', 'deleted'],
    ]);
    // only in the working tree: added
    writeFiles(dir, { 'models/fresh/mlops.yaml': named('fresh-model') });
    const added = json(['feature', '--', 'models/fresh'], dir);
    expect(added.manifests.map((m) => [m.file, m.status])).toEqual([
      ['models/fresh/mlops.yaml', 'added'],
    ]);
    // the repository's own folder, unchanged manifests: exit 0 as before
    const r = diff(['feature', 'feature', '--', '.'], dir);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('no semantic changes in 1 manifest');
  });

  it('a folder that holds a submodule is no error; a path in the submodule says where to run', () => {
    const source = gitDir();
    commitFiles(source, { 'mlops.yaml': named('sub-model') }, 'sub');
    const dir = gitDir();
    commitFiles(dir, { 'top/mlops.yaml': named('top-model') }, 'top');
    git(dir, ['-c', 'protocol.file.allow=always', 'submodule', 'add', '-q', source, 'models/sub']);
    git(dir, ['commit', '-q', '-m', 'submodule']);
    const ok = diff(['HEAD~1', '--', 'models'], dir);
    expect(ok.stderr).toBe('');
    expect(ok.code).toBe(0);
    for (const path of ['models/sub', 'models/sub/mlops.yaml']) {
      const [m, hint] = refused(diff(['HEAD~1', '--', path], dir));
      expect(m).toBe(
        `mlops: ${path} is in models/sub, a submodule (a git repository of its own): its manifests are compared in its own repository`,
      );
      expect(hint).toMatch(
        /^hint: run mlops inside the submodule: `cd models\/sub && (npx )?mlops diff`$/,
      );
    }
  });
});
