import * as fs from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { CONFIG_SCHEMA_PATH } from '../../src/io/assets.js';
import { applyConfig } from '../../src/io/config.js';
import { ConfigError, configFindings } from '../../src/io/config-read.js';
import { tempDir, writeFiles } from '../helpers/gitdir.js';

// counts the config lookups, to hold them to one per folder
vi.mock('node:fs', async (importOriginal) => {
  const real = await importOriginal<typeof import('node:fs')>();
  return { ...real, existsSync: vi.fn(real.existsSync) };
});

const HEAD = 'apiVersion: mlops/v1\nkind: Config\n';
const MANIFEST = 'apiVersion: mlops/v1\n';

/** A folder that counts as a repository root (it holds .git), with `files` written in it. */
function repo(files: Record<string, string>): string {
  const dir = tempDir();
  fs.mkdirSync(join(dir, '.git'));
  writeFiles(dir, files);
  return dir;
}

describe('applyConfig: which config file applies to a manifest', () => {
  it('nearest wins key by key, up to the repository root; each setting names its file', async () => {
    const dir = repo({
      'mlops.config.yaml': `${HEAD}strict: true\nfailOn:\n  diff: warn\n`,
      'examples/mlops.config.yaml': `${HEAD}strict: false\n`,
      'examples/churn/mlops.yaml': MANIFEST,
      'models/a/mlops.yaml': MANIFEST,
    });
    const files = ['examples/churn/mlops.yaml', 'models/a/mlops.yaml'].map((f) => join(dir, f));
    const applied = await applyConfig(files, { cwd: dir });
    expect(applied.files).toEqual(files);
    expect(applied.configOf(files[0]!).settings).toEqual({
      strict: false,
      failOn: { diff: 'warn' },
    });
    expect(applied.configOf(files[0]!).sources).toEqual({
      strict: 'examples/mlops.config.yaml',
      'failOn.diff': 'mlops.config.yaml',
    });
    expect(applied.configOf(files[1]!).settings).toEqual({
      strict: true,
      failOn: { diff: 'warn' },
    });
    expect(applied.inForce({ overridden: ['failOn.diff'] })).toEqual({
      files: ['examples/mlops.config.yaml', 'mlops.config.yaml'],
      settings: [
        { key: 'strict', value: false, source: 'examples/mlops.config.yaml' },
        { key: 'strict', value: true, source: 'mlops.config.yaml' },
      ],
      ignored: [],
      decisive: [],
    });
  });

  it('stops at the repository root: a config above it never applies', async () => {
    const outer = tempDir();
    writeFiles(outer, {
      'mlops.config.yaml': `${HEAD}strict: true\n`,
      'repo/models/a/mlops.yaml': MANIFEST,
    });
    fs.mkdirSync(join(outer, 'repo/.git'));
    const file = join(outer, 'repo/models/a/mlops.yaml');
    const applied = await applyConfig([file], { cwd: join(outer, 'repo/models') });
    expect(applied.configOf(file).settings).toEqual({});
  });

  it('a manifest in another repository than the working folder: up to its own root', async () => {
    const outer = tempDir();
    writeFiles(outer, {
      'mlops.config.yaml': `${HEAD}strict: true\n`,
      'other/mlops.config.yaml': `${HEAD}failOn: { diff: none }\n`,
      'other/models/a/mlops.yaml': MANIFEST,
    });
    fs.mkdirSync(join(outer, 'other/.git'));
    const file = join(outer, 'other/models/a/mlops.yaml');
    const applied = await applyConfig([file], { cwd: outer });
    expect(applied.configOf(file).settings).toEqual({ failOn: { diff: 'none' } });
    expect(applied.configOf(file).sources).toEqual({ 'failOn.diff': 'other/mlops.config.yaml' });
  });

  it('outside a repository, stops at the folder the command runs in', async () => {
    const outer = tempDir();
    writeFiles(outer, {
      'mlops.config.yaml': `${HEAD}strict: true\n`,
      'work/mlops.config.yaml': `${HEAD}failOn: { diff: info }\n`,
      'work/a/mlops.yaml': MANIFEST,
      'elsewhere/mlops.config.yaml': `${HEAD}failOn: { diff: none }\n`,
      'elsewhere/b/mlops.yaml': MANIFEST,
      'elsewhere/b/mlops.config.yaml': `${HEAD}strict: false\n`,
    });
    const a = join(outer, 'work/a/mlops.yaml');
    const b = join(outer, 'elsewhere/b/mlops.yaml');
    const applied = await applyConfig([a, b], { cwd: join(outer, 'work') });
    expect(applied.configOf(a).settings).toEqual({ failOn: { diff: 'info' } });
    // a manifest outside the working folder gets the config of its own folder only
    expect(applied.configOf(b).settings).toEqual({ strict: false });
  });

  it('looks at each folder once, however many manifests are under it', async () => {
    const files: Record<string, string> = { 'mlops.config.yaml': `${HEAD}strict: true\n` };
    for (let i = 0; i < 50; i++) files[`models/m${i}/mlops.yaml`] = MANIFEST;
    const dir = repo(files);
    const existsSync = vi.mocked(fs.existsSync);
    existsSync.mockClear();
    const paths = Object.keys(files)
      .slice(1)
      .map((f) => join(dir, f));
    const applied = await applyConfig(paths, { cwd: dir });
    const lookups = existsSync.mock.calls.filter(([p]) => String(p).endsWith('mlops.config.yaml'));
    // 50 model folders, models/ and the root
    expect(lookups).toHaveLength(52);
    expect(applied.configOf(paths[49]!).settings).toEqual({ strict: true });
  });
});

describe('applyConfig: ignore', () => {
  it('skips matching manifests, each pattern from its own file, and says which', async () => {
    const dir = repo({
      'mlops.config.yaml': `${HEAD}ignore:\n  - test/fixtures/**\n`,
      'examples/mlops.config.yaml': `${HEAD}ignore: [draft-*]\n`,
      'examples/churn/mlops.yaml': MANIFEST,
      'examples/draft-1/mlops.yaml': MANIFEST,
      'test/fixtures/broken/mlops.yaml': MANIFEST,
      'test/other/mlops.yaml': MANIFEST,
    });
    const all = [
      'examples/churn/mlops.yaml',
      'examples/draft-1/mlops.yaml',
      'test/fixtures/broken/mlops.yaml',
      'test/other/mlops.yaml',
    ].map((f) => join(dir, f));
    const applied = await applyConfig(all, { cwd: join(dir, 'examples') });
    expect(applied.files).toEqual([all[0], all[3]]);
    expect(applied.inForce().ignored).toEqual([
      { file: 'draft-1/mlops.yaml', pattern: 'draft-*', source: 'mlops.config.yaml' },
      {
        file: '../test/fixtures/broken/mlops.yaml',
        pattern: 'test/fixtures/**',
        source: '../mlops.config.yaml',
      },
    ]);
  });

  it('never skips a file named on the command line, nor when told not to', async () => {
    const dir = repo({
      'mlops.config.yaml': `${HEAD}ignore: [legacy]\n`,
      'legacy/mlops.yaml': MANIFEST,
    });
    const file = join(dir, 'legacy/mlops.yaml');
    expect((await applyConfig([file], { cwd: dir, paths: ['legacy/mlops.yaml'] })).files).toEqual([
      file,
    ]);
    await expect(applyConfig([file], { cwd: dir, paths: ['legacy'] })).rejects.toThrow(
      'every mlops.yaml found is ignored by mlops.config.yaml (ignore: legacy)',
    );
    expect((await applyConfig([file], { cwd: dir, ignore: false })).files).toEqual([file]);
  });

  it('without any config file, reads nothing and changes nothing', async () => {
    const dir = repo({ 'a/mlops.yaml': MANIFEST });
    const applied = await applyConfig([join(dir, 'a/mlops.yaml')], { cwd: dir });
    expect(applied.files).toEqual([join(dir, 'a/mlops.yaml')]);
    expect(applied.inForce()).toEqual({ files: [], settings: [], ignored: [], decisive: [] });
  });
});

describe('an invalid config file', () => {
  it('stops the run with every finding, located', async () => {
    const dir = repo({
      'mlops.config.yaml': `${HEAD}strict: yes please\nfailOn:\n  diff: eror\nignre: [x]\n`,
      'sub/mlops.config.yaml': 'apiVersion: mlops/v1\nignore:\n  - ../elsewhere\n',
      'sub/a/mlops.yaml': MANIFEST,
    });
    const error = await applyConfig([join(dir, 'sub/a/mlops.yaml')], { cwd: dir }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(ConfigError);
    const { message, findings, exitCode } = error as ConfigError;
    expect(exitCode).toBe(2);
    expect(message).toBe('invalid config files: mlops.config.yaml, sub/mlops.config.yaml');
    expect(
      findings.map((f) => [f.file, f.line, f.column, f.code, f.args.suggestion ?? null]),
    ).toEqual([
      ['mlops.config.yaml', 3, 9, 'CONFIG_TYPE', null],
      ['mlops.config.yaml', 5, 9, 'CONFIG_ENUM', 'error'],
      ['mlops.config.yaml', 6, 1, 'CONFIG_UNKNOWN_KEY', 'ignore'],
      ['sub/mlops.config.yaml', 1, 1, 'CONFIG_REQUIRED', null],
      ['sub/mlops.config.yaml', 3, 5, 'CONFIG_IGNORE_PATTERN', null],
    ]);
    expect(findings.every((f) => f.severity === 'error' && f.fingerprint)).toBe(true);
  });

  it('YAML problems are findings with positions; an empty file or a list says what it needs', async () => {
    expect(
      (await configFindings(`${HEAD}strict: true\nstrict: false\n`, 'c.yaml')).findings,
    ).toMatchObject([{ code: 'YAML_DUPLICATE_KEY', line: 4, column: 1 }]);
    expect((await configFindings('', 'c.yaml')).findings).toMatchObject([
      { code: 'CONFIG_EMPTY', file: 'c.yaml', line: 1, column: 1 },
    ]);
    expect((await configFindings('- a\n', 'c.yaml')).findings).toMatchObject([
      { code: 'CONFIG_NOT_A_MAPPING', line: 1, column: 1 },
    ]);
    expect((await configFindings(`${HEAD}kind2: x\n`, 'c.yaml')).findings).toMatchObject([
      { code: 'CONFIG_UNKNOWN_KEY', args: { unknown: 'kind2', suggestion: 'kind' } },
    ]);
    expect(
      (await configFindings('apiVersion: mlops/v1\nkind: ModelManifest\n', 'c.yaml')).findings,
    ).toMatchObject([{ code: 'CONFIG_ENUM', line: 2, column: 7, args: { allowed: ['Config'] } }]);
  });
});

describe('the published config schema', () => {
  it('is valid draft 2020-12, with a description on every field', async () => {
    const schema = JSON.parse(fs.readFileSync(CONFIG_SCHEMA_PATH, 'utf8'));
    const { createAjv } = await import('../../src/io/schema-compile.js');
    const ajv = createAjv({ standalone: false });
    expect(ajv.validateSchema(schema)).toBe(true);
    const undescribed: string[] = [];
    const walk = (node: Record<string, unknown>, at: string): void => {
      if (typeof node.description !== 'string') undescribed.push(at);
      const props = (node.properties ?? {}) as Record<string, Record<string, unknown>>;
      for (const [k, v] of Object.entries(props)) walk(v, `${at}/${k}`);
      if (node.items) walk(node.items as Record<string, unknown>, `${at}[]`);
    };
    walk(schema, '');
    expect(undescribed).toEqual([]);
  });
});
