import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { digestOf } from '../../src/core/digest.js';
import { readYaml } from '../../src/core/manifest/reader.js';
import { runCli } from '../helpers/cli.js';
import { commitFiles, git, gitDir, tempDir, writeFiles } from '../helpers/gitdir.js';

const BASE = readFileSync(new URL('../fixtures/diff-base/mlops.yaml', import.meta.url), 'utf8');

/** The base manifest with its name and a few text edits. */
function manifest(name: string, ...edits: [string, string][]): string {
  let text = BASE.replace('name: churn-model', `name: ${name}`);
  for (const [from, to] of edits) {
    if (!text.includes(from)) throw new Error(`fixture has no "${from}"`);
    text = text.replace(from, to);
  }
  return text;
}

const LOOSEN_DRIFT: [string, string] = ['bins: 10, max: 0.25', 'bins: 10, max: 0.4'];
const MAJOR: [string, string] = ['version: 1.2.0', 'version: 2.0.0'];
const PATCH: [string, string] = ['version: 1.2.0', 'version: 1.2.1'];

/** A repository on main with two manifests (`edits` made to churn's), then a feature branch. */
function repo(...edits: [string, string][]): string {
  const dir = gitDir();
  commitFiles(
    dir,
    {
      'models/churn/mlops.yaml': manifest('churn-model', ...edits),
      'models/forecast/mlops.yaml': manifest('forecast-model'),
    },
    'two models',
  );
  git(dir, ['checkout', '-q', '-b', 'feature']);
  return dir;
}

async function diffJson(
  args: string[],
  cwd: string,
): Promise<{ code: number; json: any; stderr: string }> {
  const r = await runCli(['diff', '--format', 'json', ...args], cwd);
  return { code: r.code, json: r.stdout ? JSON.parse(r.stdout) : undefined, stderr: r.stderr };
}

const descriptions = (json: any): string[] => [
  ...json.changes.map((c: any) => c.message),
  ...json.findings.map((f: any) => f.message),
];

describe('mlops diff: which revisions', () => {
  it('defaults to the merge-base of HEAD with main against the working tree', async () => {
    const dir = repo();
    commitFiles(
      dir,
      { 'models/churn/mlops.yaml': manifest('churn-model', LOOSEN_DRIFT, MAJOR) },
      'loosen drift',
    );
    // main moves on after the branch point: its change is not part of this branch's diff
    git(dir, ['checkout', '-q', 'main']);
    commitFiles(
      dir,
      {
        'models/forecast/mlops.yaml': manifest('forecast-model', ['min: 0.75', 'min: 0.8'], PATCH),
      },
      'main tightens',
    );
    git(dir, ['checkout', '-q', 'feature']);
    writeFiles(dir, {
      'models/churn/mlops.yaml': manifest('churn-model', LOOSEN_DRIFT, MAJOR, [
        'rollback: switch',
        'rollback: flip',
      ]),
    });

    const { code, json } = await diffJson([], dir);
    expect(code).toBe(1);
    expect(json.base).toMatchObject({
      label: 'merge-base of HEAD and main',
      rev: 'main',
      commit: git(dir, ['merge-base', 'HEAD', 'main']).trim(),
    });
    expect(json.head).toEqual({ label: 'working tree' });
    expect(descriptions(json)).toEqual([
      'churn-model: drift check `feature-drift`: max 0.25 → 0.4',
      'churn-model: deploy: integration rollback switch the queue back to rules → flip the queue back to rules',
    ]);
  });

  it('prefers origin/HEAD to main when there is a remote', async () => {
    const upstream = repo();
    const clone = tempDir();
    git(clone, ['clone', '-q', upstream, '.']);
    git(clone, ['remote', 'set-head', 'origin', 'main']);
    writeFiles(clone, { 'models/churn/mlops.yaml': manifest('churn-model', LOOSEN_DRIFT, MAJOR) });
    const { json } = await diffJson([], clone);
    expect(json.base.rev).toBe('origin/HEAD');
    expect(json.changes).toHaveLength(1);
  });

  it('one revision is the base against the working tree; two, or a range, compare commits', async () => {
    const dir = repo();
    commitFiles(
      dir,
      { 'models/churn/mlops.yaml': manifest('churn-model', LOOSEN_DRIFT, MAJOR) },
      'loosen drift',
    );
    writeFiles(dir, {
      'models/forecast/mlops.yaml': manifest(
        'forecast-model',
        ['rollback: switch', 'rollback: flip'],
        PATCH,
      ),
    });
    expect(descriptions((await diffJson(['main'], dir)).json)).toHaveLength(2);
    for (const args of [['main', 'feature'], ['main..feature'], ['main...feature'], ['main..']]) {
      const { code, json } = await diffJson(args, dir);
      expect(code, args.join(' ')).toBe(1);
      expect(descriptions(json), args.join(' ')).toEqual([
        'churn-model: drift check `feature-drift`: max 0.25 → 0.4',
      ]);
    }
    expect(descriptions((await diffJson(['feature', 'main'], dir)).json)).toEqual([
      'churn-model: drift check `feature-drift`: max 0.4 → 0.25',
      "churn-model: version went down: 2.0.0 → 1.2.0; a manifest's version only goes up",
    ]);
  });

  it('paths after -- limit the manifests compared', async () => {
    const dir = repo();
    writeFiles(dir, {
      'models/churn/mlops.yaml': manifest('churn-model', LOOSEN_DRIFT, MAJOR),
      'models/forecast/mlops.yaml': manifest(
        'forecast-model',
        ['rollback: switch', 'rollback: flip'],
        PATCH,
      ),
    });
    const { json } = await diffJson(['main', '--', 'models/forecast'], dir);
    expect(json.manifests.map((m: any) => m.file)).toEqual(['models/forecast/mlops.yaml']);
    expect(json.summary).toMatchObject({ compared: 1, changed: 1, errors: 0 });
  });

  it('with nothing changed, exits 0 and says so', async () => {
    const dir = repo();
    // comments and layout are not changes
    writeFiles(dir, { 'models/churn/mlops.yaml': `# reviewed\n${manifest('churn-model')}` });
    const r = await runCli(['diff', 'main'], dir);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('✔ no semantic changes in 2 manifests');
  });
});

describe('mlops diff: manifests that move, go or break', () => {
  it('matches a moved manifest by name: one change, no delete', async () => {
    const dir = repo();
    git(dir, ['mv', 'models/forecast', 'models/demand']);
    git(dir, ['commit', '-q', '-m', 'move']);
    const { code, json } = await diffJson(['main', 'HEAD'], dir);
    expect(code).toBe(0);
    expect(descriptions(json)).toEqual([
      'forecast-model: moved from models/forecast/mlops.yaml to models/demand/mlops.yaml',
    ]);
    expect(json.summary).toMatchObject({ compared: 2, changed: 1 });
    // limited to either end of the move, it is still a move
    for (const path of ['models/demand', 'models/forecast/mlops.yaml']) {
      const limited = await diffJson(['main', 'HEAD', '--', path], dir);
      expect(descriptions(limited.json), path).toEqual([
        'forecast-model: moved from models/forecast/mlops.yaml to models/demand/mlops.yaml',
      ]);
    }
    expect((await diffJson(['main', 'HEAD', '--', 'models/churn'], dir)).json.manifests).toEqual(
      [],
    );
  });

  it('a deleted manifest is breaking (exit 1); an untracked new one is added', async () => {
    const dir = repo();
    git(dir, ['rm', '-q', 'models/forecast/mlops.yaml']);
    writeFiles(dir, { 'models/new/mlops.yaml': manifest('new-model') });
    const { code, json } = await diffJson(['main'], dir);
    expect(code).toBe(1);
    expect(json.manifests.map((m: any) => [m.file, m.status])).toEqual([
      ['models/forecast/mlops.yaml', 'deleted'],
      ['models/new/mlops.yaml', 'added'],
    ]);
    expect(json.changes.map((c: any) => [c.class, c.level])).toEqual([
      ['breaking', 'error'],
      ['added', 'info'],
    ]);
  });

  it('a side that does not parse is reported with line:column; the rest still diff', async () => {
    const dir = repo();
    writeFiles(dir, {
      'models/churn/mlops.yaml': 'apiVersion: mlops/v1\nmetadata:\n  name: [unclosed\n',
      'models/forecast/mlops.yaml': manifest('forecast-model', LOOSEN_DRIFT, MAJOR),
    });
    const r = await runCli(['diff', 'main'], dir);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('churn-model  models/churn/mlops.yaml  1.2.0\n');
    expect(r.stdout).toMatch(
      /cannot diff: head does not parse: models\/churn\/mlops\.yaml:\d+:\d+ /,
    );
    expect(r.stdout).toContain('drift check `feature-drift`: max 0.25 → 0.4');
  });

  it('an invalid head is still diffed, and reported with the findings validate reports', async () => {
    const dir = repo();
    writeFiles(dir, {
      'models/churn/mlops.yaml': manifest('churn-model', LOOSEN_DRIFT, MAJOR, [
        '  riskTier: medium\n',
        '  riskTier: medium\n  colour: red\n',
      ]),
    });
    const { code, json } = await diffJson(['main'], dir);
    expect(code).toBe(1);
    expect(json.findings).toMatchObject([
      {
        code: 'SIDE_INVALID',
        level: 'error',
        file: 'models/churn/mlops.yaml',
        line: 8,
        column: 3,
        findings: [
          { code: 'SCHEMA_UNKNOWN_KEY', file: 'models/churn/mlops.yaml', line: 8, column: 3 },
        ],
      },
    ]);
    expect(json.changes.map((c: any) => [c.message, c.line])).toEqual([
      ['churn-model: drift check `feature-drift`: max 0.25 → 0.4', 78],
      ['churn-model: metadata: colour set to red', 8],
    ]);
  });
});

describe('mlops diff: acknowledgement and --fail-on', () => {
  it('a loosened change signed off at the head is a warning naming who and when', async () => {
    // the decision maker has an email: an approval counts when its commit is authored by it
    const email = 'helena.marsh@example.com';
    const CCO_EMAIL: [string, string] = [
      '{ id: cco, name: Helena Marsh, role: decision_maker }',
      `{ id: cco, name: Helena Marsh, role: decision_maker, email: ${email} }`,
    ];
    const dir = repo(CCO_EMAIL);
    const text = manifest(
      'churn-model',
      CCO_EMAIL,
      ['min: 0.8, max: 1.25', 'min: 0.7, max: 1.25'],
      MAJOR,
    );
    const envision = (readYaml(text, 'x').data as any).envision;
    const approved = `${text}approvals:\n  - { id: envision-cco-2026-11-20, phase: envision, role: decision_maker, by: cco, decision: approved, date: 2026-11-20, digest: "${digestOf(envision)}", evidence: {} }\n`;
    writeFiles(dir, { 'models/churn/mlops.yaml': approved });
    // not committed yet: it acknowledges nothing
    const uncommitted = await runCli(['diff', 'main'], dir);
    expect(uncommitted.code).toBe(1);
    expect(uncommitted.stdout).not.toContain('acknowledged');
    // committed by someone else (Test <test@example.com>): still nothing
    git(dir, ['commit', '-q', '-am', 'Sign off envision']);
    const byAnother = await runCli(['diff', 'main'], dir);
    expect(byAnother.code).toBe(1);
    expect(byAnother.stdout).not.toContain('acknowledged');
    // committed from the approver's own git identity
    git(dir, ['commit', '-q', '--amend', '--no-edit', '--reset-author'], {
      GIT_AUTHOR_NAME: 'Helena Marsh',
      GIT_AUTHOR_EMAIL: email,
    });
    const r = await runCli(['diff', 'main'], dir);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(
      '⚠ warn   loosened  guardrail `disparate-impact` (fairImpartial): min 0.8 → 0.7',
    );
    expect(r.stdout).toContain(
      'acknowledged: envision signed off by Helena Marsh (decision_maker) on 2026-11-20',
    );
    expect((await runCli(['diff', 'main', '--fail-on', 'warn'], dir)).code).toBe(1);
  });

  it('--fail-on sets the level that fails: info, warn, error, none', async () => {
    const dir = repo();
    writeFiles(dir, {
      'models/churn/mlops.yaml': manifest(
        'churn-model',
        ['rollback: switch', 'rollback: flip'],
        PATCH,
      ),
    });
    const codes = await Promise.all(
      ['info', 'warn', 'error', 'none'].map(
        async (level) => (await runCli(['diff', 'main', '--fail-on', level], dir)).code,
      ),
    );
    expect(codes).toEqual([1, 0, 0, 0]);
    writeFiles(dir, { 'models/churn/mlops.yaml': manifest('churn-model', LOOSEN_DRIFT) });
    expect((await runCli(['diff', 'main', '--fail-on', 'none'], dir)).code).toBe(0);
    expect((await runCli(['diff', 'main'], dir)).code).toBe(1);
  });
});

describe('mlops diff: errors that stop it (exit 2)', () => {
  it('an unknown revision', async () => {
    const dir = repo();
    const r = await runCli(['diff', 'no-such-branch'], dir);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('unknown git revision "no-such-branch"');
    expect(r.stdout).toBe('');
  });

  it('a revision that starts with "-"', async () => {
    const dir = repo();
    const option = await runCli(['diff', '--upload-pack=/tmp/x'], dir);
    expect(option.code).toBe(2);
    const range = await runCli(['diff', 'main..--upload-pack=x'], dir);
    expect(range.code).toBe(2);
    expect(range.stderr).toContain('"--upload-pack=x" is not a revision');
  });

  it('a base missing from a shallow clone says how to fetch it', async () => {
    const upstream = repo();
    commitFiles(
      upstream,
      { 'models/churn/mlops.yaml': manifest('churn-model', LOOSEN_DRIFT, MAJOR) },
      'second',
    );
    const clone = tempDir();
    git(clone, ['clone', '-q', '--depth', '1', '--branch', 'feature', `file://${upstream}`, '.']);
    const r = await runCli(['diff', 'HEAD~1'], clone);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('revision "HEAD~1" is not in this shallow clone');
    expect(r.stderr).toContain('git fetch --deepen');
    expect(r.stderr).toContain('git fetch --unshallow');
    git(clone, ['fetch', '-q', '--deepen', '1']);
    expect((await runCli(['diff', 'HEAD~1'], clone)).code).toBe(1);
  });

  it('outside a git repository, unless comparing two files', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'a.yaml'), manifest('churn-model'));
    writeFileSync(join(dir, 'b.yaml'), manifest('churn-model', LOOSEN_DRIFT, MAJOR));
    const r = await runCli(['diff'], dir);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('mlops diff a.yaml b.yaml');

    const files = await diffJson(['a.yaml', 'b.yaml'], dir);
    expect(files.code).toBe(1);
    expect(files.json.base).toEqual({ label: 'a.yaml' });
    expect(descriptions(files.json)).toEqual([
      'churn-model: drift check `feature-drift`: max 0.25 → 0.4',
    ]);
    rmSync(join(dir, 'b.yaml'));
    const missing = await runCli(['diff', 'a.yaml', 'b.yaml'], dir);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('no such file: b.yaml');
  });

  it('two files in different folders, one named by its absolute path, are not a move', async () => {
    const dir = gitDir();
    const other = tempDir();
    writeFiles(dir, { 'models/new/mlops.yaml': manifest('churn-model', LOOSEN_DRIFT, MAJOR) });
    writeFileSync(join(other, 'old.yaml'), manifest('churn-model'));
    const args = [join(other, 'old.yaml'), 'models/new/mlops.yaml'];
    for (const format of ['text', 'markdown', 'json']) {
      const r = await runCli(['diff', ...args, '--format', format], dir);
      expect(r.stderr).toBe('');
      expect(r.code).toBe(1);
      expect(r.stdout).toContain('feature-drift');
      expect(r.stdout).not.toMatch(/moved/);
      // the old file is named only as the base, never as where the manifest came from
      expect(r.stdout.split(other).length - 1, format).toBe(format === 'json' ? 2 : 1);
    }
    const { json } = await diffJson(args, dir);
    expect(descriptions(json)).toEqual([
      'churn-model: drift check `feature-drift`: max 0.25 → 0.4',
    ]);
    expect(json.summary).toMatchObject({ compared: 1, changed: 1, errors: 1 });
  });

  it('more than two revisions', async () => {
    const r = await runCli(['diff', 'a', 'b', 'c'], repo());
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('at most two revisions');
  });
});
