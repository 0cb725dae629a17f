import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { DIMENSIONS } from '../../src/core/manifest.js';
import type { Manifest } from '../../src/core/manifest.js';
import { SCHEMA_PATH, TEMPLATES_DIR } from '../../src/io/assets.js';
import { runCli } from '../helpers/cli.js';
import { commitFiles, git, gitDir, tempDir, writeFiles } from '../helpers/gitdir.js';

const TEMPLATES = ['default', 'classification', 'forecasting', 'recommendation', 'genai'];
/** No user or system git config, so the owner comes only from what a test sets. */
const NO_GLOBAL_GIT = { GIT_CONFIG_GLOBAL: '/dev/null', GIT_CONFIG_NOSYSTEM: '1' };
const read = (path: string): string => readFileSync(path, 'utf8');
const manifest = (path: string): Manifest => parse(read(path)) as Manifest;
const commentLines = (text: string): string[] =>
  text
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l.startsWith('#') && !l.startsWith('# yaml-language-server:'));
const schemaRef = (path: string): string =>
  /^# yaml-language-server: \$schema=(.+)$/.exec(read(path).split('\n')[0] ?? '')?.[1] ?? '';

describe('mlops init --list-templates', () => {
  it('prints each template with its one-line description', async () => {
    const r = await runCli(['init', '--list-templates'], tempDir());
    expect(r.code).toBe(0);
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines.map((l) => l.split(/\s+/)[0])).toEqual(TEMPLATES);
    expect(lines[1]).toMatch(/^classification\s+Customer churn classifier: churn rate/);
  });
});

describe('mlops init without a TTY', () => {
  it.each(TEMPLATES)(
    'writes the %s template that validates, keeps its comments and has all six dimensions',
    async (name) => {
      const repo = gitDir();
      const r = await runCli(['init', 'models/scorer', '--template', name], repo);
      expect(r.stderr).toBe('');
      expect(r.code).toBe(0);
      const file = join(repo, 'models/scorer/mlops.yaml');
      expect(commentLines(read(file))).toEqual(
        commentLines(read(join(TEMPLATES_DIR, `${name}.yaml`))),
      );
      expect(Object.keys(manifest(file).envision.trustworthyAI ?? {}).sort()).toEqual(
        [...DIMENSIONS].sort(),
      );
      // valid, with a warning at each "TODO:" placeholder the team has yet to fill in
      const v = await runCli(['validate', file], repo);
      expect(v.stdout).toMatch(/^⚠ \d+ warnings in 1 of 1 manifest$/m);
      expect(v.stdout).not.toMatch(/\berror\b/);
      const codes = new Set(
        [...v.stdout.matchAll(/^\S+:\d+:\d+ +warning +(\w+)/gm)].map((m) => m[1]),
      );
      expect([...codes]).toEqual(['PLACEHOLDER']);
      expect(v.code).toBe(0);
    },
  );

  it('fills in name, owner and tier from the folder, git config and flags, and says what to do next', async () => {
    const repo = gitDir();
    git(repo, ['config', 'user.name', 'Ada Lovelace']);
    const r = await runCli(['init', 'Churn Model', '--risk-tier', 'high'], repo, NO_GLOBAL_GIT);
    expect(r.code).toBe(0);
    const file = join(repo, 'Churn Model', 'mlops.yaml');
    const m = manifest(file);
    expect(m.metadata).toMatchObject({
      name: 'churn-model',
      owner: { name: 'Ada Lovelace' },
      riskTier: 'high',
      status: 'envision',
      version: '0.1.0',
    });
    expect(m.envision.trustworthyAI?.privacy?.rigor).toBe('dialUp');
    expect(r.stdout).toContain('Created Churn Model/mlops.yaml (template default, risk tier high');
    // what the template left to fill in, as the file written has it: the owner came from git
    const marks = read(file).match(/TODO:(?!")/g)?.length;
    expect(r.stdout).toContain(
      `  1. Fill in the ${marks} "TODO:" marks: the title, the owning team, the tags, the hypothesis, the problem, the business objective, `,
    );
    expect(r.stdout).not.toContain('the owner,');
    expect(r.stdout).toContain("\n       mlops check 'Churn Model/mlops.yaml'\n");
  });

  it('uses --name and --owner over the defaults', async () => {
    const repo = gitDir();
    const r = await runCli(['init', '--name', 'fraud-scorer', '--owner', 'Grace Hopper'], repo);
    expect(r.code).toBe(0);
    expect(manifest(join(repo, 'mlops.yaml')).metadata).toMatchObject({
      name: 'fraud-scorer',
      owner: { name: 'Grace Hopper' },
    });
  });

  it('leaves the owner as a TODO, and says so, when git has no user.name', async () => {
    const dir = tempDir();
    const r = await runCli(['init', 'scorer'], dir, NO_GLOBAL_GIT);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('no --owner and no `git config user.name`');
    expect(manifest(join(dir, 'scorer/mlops.yaml')).metadata.owner.name).toMatch(/^TODO:/);
  });

  it('creates missing folders', async () => {
    const repo = gitDir();
    const r = await runCli(['init', 'a/b/c'], repo);
    expect(r.code).toBe(0);
    expect(manifest(join(repo, 'a/b/c/mlops.yaml')).metadata.name).toBe('c-model');
  });

  it('leaves an existing mlops.yaml byte for byte unchanged without --force', async () => {
    const repo = gitDir();
    const before = '# mine\napiVersion: mlops/v1   \nkind: ModelManifest\n';
    writeFiles(repo, { 'mlops.yaml': before });
    const r = await runCli(['init', '--template', 'genai'], repo);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('mlops.yaml already exists; it was left unchanged');
    expect(r.stderr).toContain('hint: pass --force to overwrite it');
    expect(read(join(repo, 'mlops.yaml'))).toBe(before);
    expect(readdirSync(repo).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('overwrites with --force, keeping the name the file already had free', async () => {
    const repo = gitDir();
    commitFiles(
      repo,
      {
        'scorer/mlops.yaml':
          'apiVersion: mlops/v1\nkind: ModelManifest\nmetadata:\n  name: scorer\n',
      },
      'old',
    );
    const r = await runCli(['init', 'scorer', '--force', '--template', 'forecasting'], repo);
    expect(r.code).toBe(0);
    expect(manifest(join(repo, 'scorer/mlops.yaml')).metadata).toMatchObject({
      name: 'scorer',
      title: 'Weekly demand forecast for store replenishment',
    });
  });

  it('refuses a name another manifest in the repository uses, naming that file', async () => {
    const repo = gitDir();
    commitFiles(
      repo,
      {
        'models/churn/mlops.yaml':
          'apiVersion: mlops/v1\nkind: ModelManifest\nmetadata:\n  name: churn\n',
      },
      'churn',
    );
    const byFlag = await runCli(['init', 'other', '--name', 'churn'], repo);
    expect(byFlag.code).toBe(2);
    expect(byFlag.stderr).toContain('"churn" is already the name of models/churn/mlops.yaml');
    // the default name from the folder is checked too; untracked manifests count
    writeFiles(repo, { 'wip/mlops.yaml': 'apiVersion: mlops/v1\nmetadata:\n  name: retention\n' });
    const byFolder = await runCli(['init', 'teams/retention'], repo);
    expect(byFolder.code).toBe(2);
    expect(byFolder.stderr).toContain('"retention" is already the name of wip/mlops.yaml');
    expect(existsSync(join(repo, 'other'))).toBe(false);
    expect(existsSync(join(repo, 'teams'))).toBe(false);
  });

  it('refuses an invalid --name and an unknown template, suggesting the closest one', async () => {
    const dir = tempDir();
    const name = await runCli(['init', '--name', 'Churn Model'], dir);
    expect(name.code).toBe(2);
    expect(name.stderr).toContain('(e.g. "churn-model")');
    const template = await runCli(['init', '--template', 'forecast'], dir);
    expect(template.code).toBe(2);
    expect(template.stderr).toContain('unknown template "forecast" (did you mean "forecasting"?)');
    expect(readdirSync(dir)).toEqual([]);
  });

  it('refuses a target that is a file, and an empty --owner', async () => {
    const dir = tempDir();
    writeFiles(dir, { notes: 'x' });
    const file = await runCli(['init', 'notes'], dir);
    expect(file.code).toBe(2);
    expect(file.stderr).toContain('notes is a file, not a folder');
    const owner = await runCli(['init', 'scorer', '--owner', ' '], dir);
    expect(owner.code).toBe(2);
    expect(owner.stderr).toContain('--owner is empty');
    expect(readdirSync(dir)).toEqual(['notes']);
  });

  it('asks for --name when the folder name gives none', async () => {
    const dir = tempDir();
    const r = await runCli(['init', '___'], dir);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('hint: pass --name <slug>');
    expect(existsSync(join(dir, '___'))).toBe(false);
  });

  it("points the schema line at the project's node_modules/mlops by a relative path", async () => {
    const repo = gitDir();
    writeFiles(repo, { 'node_modules/mlops/schemas/mlops.v1.schema.json': '{}' });
    expect((await runCli(['init', 'models/churn'], repo)).code).toBe(0);
    const file = join(repo, 'models/churn/mlops.yaml');
    expect(schemaRef(file)).toBe('../../node_modules/mlops/schemas/mlops.v1.schema.json');
    expect(existsSync(resolve(dirname(file), schemaRef(file)))).toBe(true);
  });

  it('points the schema line at the installed schema by absolute path elsewhere', async () => {
    const dir = tempDir();
    const r = await runCli(['init', 'scorer', '--owner', 'Ada'], dir);
    expect(r.code).toBe(0);
    expect(schemaRef(join(dir, 'scorer/mlops.yaml'))).toBe(SCHEMA_PATH);
    expect(r.stdout).toContain('add mlops as a devDependency');
  });
});
