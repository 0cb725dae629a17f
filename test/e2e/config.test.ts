import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runBin } from '../helpers/bin.js';
import { gitDir, tempDir, writeFiles } from '../helpers/gitdir.js';

const fixture = (name: string): string =>
  readFileSync(new URL(`../fixtures/validate/${name}/mlops.yaml`, import.meta.url), 'utf8');
const HEAD = 'apiVersion: mlops/v1\nkind: Config\n';
const ISOLATED_GIT = { GIT_CONFIG_GLOBAL: '/dev/null', GIT_CONFIG_NOSYSTEM: '1' };

/**
 * A repository whose root config skips fixtures, and whose examples/ config makes warnings
 * fail: one warning in examples/, one in models/, a broken manifest under fixtures/.
 */
function repository(): string {
  const dir = gitDir();
  const warning = fixture('warning-only');
  writeFiles(dir, {
    'mlops.config.yaml': `${HEAD}ignore:\n  - fixtures/**\n`,
    'examples/mlops.config.yaml': `${HEAD}strict: true\n`,
    'examples/drift/mlops.yaml': warning,
    'models/drift/mlops.yaml': warning.replace('name: drift-model', 'name: drift-model-2'),
    'fixtures/broken/mlops.yaml': fixture('broken'),
  });
  return dir;
}

describe('mlops.config.yaml, as a user meets it', () => {
  it('validate: strict from a nearer file fails its warnings and says which file set it', () => {
    const dir = repository();
    const r = runBin(['validate'], dir, ISOLATED_GIT);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(1);
    expect(r.stdout).not.toContain('fixtures/broken');
    expect(r.stdout.trim().split('\n').at(-1)).toBe(
      '✖ 2 warnings in 2 of 2 manifests (warnings fail: strict from examples/mlops.config.yaml; 1 ignored by mlops.config.yaml)',
    );
    // run from examples/, the paths are shown from there
    expect(runBin(['validate'], join(dir, 'examples'), ISOLATED_GIT).stdout).toContain(
      '(warnings fail: strict from mlops.config.yaml; 1 ignored by ../mlops.config.yaml)',
    );
  });

  it('validate: a flag overrides the config; a manifest outside strict folders passes', () => {
    const dir = repository();
    const r = runBin(['validate', '--no-strict'], dir, ISOLATED_GIT);
    expect(r.code).toBe(0);
    expect(r.stdout.trim().split('\n').at(-1)).toBe(
      '⚠ 2 warnings in 2 of 2 manifests (1 ignored by mlops.config.yaml)',
    );
    expect(runBin(['validate', 'models'], dir, ISOLATED_GIT).code).toBe(0);
    // a file named on the command line is never ignored
    expect(runBin(['validate', 'fixtures/broken/mlops.yaml'], dir, ISOLATED_GIT).code).toBe(1);
  });

  it('validate --format json: a config field with the settings in force and their files', () => {
    const r = runBin(['validate', '-f', 'json'], repository(), ISOLATED_GIT);
    expect(r.code).toBe(1);
    const out = JSON.parse(r.stdout);
    expect(out).toMatchObject({ schemaVersion: 1, ok: true, summary: { files: 2, warnings: 2 } });
    expect(out.config).toEqual({
      files: ['examples/mlops.config.yaml', 'mlops.config.yaml'],
      settings: [{ key: 'strict', value: true, source: 'examples/mlops.config.yaml' }],
      ignored: [
        {
          file: 'fixtures/broken/mlops.yaml',
          pattern: 'fixtures/**',
          source: 'mlops.config.yaml',
        },
      ],
    });
  });

  it('validate --format github: a notice says why the job fails and what it skipped', () => {
    const r = runBin(['validate', '-f', 'github'], repository(), ISOLATED_GIT);
    expect(r.code).toBe(1);
    expect(r.stdout.trim().split('\n').at(-1)).toBe(
      '::notice title=mlops.config.yaml::warnings fail: strict from examples/mlops.config.yaml; 1 ignored by mlops.config.yaml',
    );
  });

  it('diff: failOn.diff from the config, unless --fail-on is given', () => {
    const dir = tempDir();
    const two = (role: string): string =>
      `${fixture('minimal')}  stakeholders:\n    - { id: dm, name: Ada, role: decision_maker }\n${role}`;
    writeFiles(dir, {
      'a.yaml': two('    - { id: ds, name: Grace, role: data_science }\n'),
      'b.yaml': two('').replace('version: 0.1.0', 'version: 1.0.0'),
    });
    expect(runBin(['diff', 'a.yaml', 'b.yaml'], dir).code).toBe(0);
    writeFiles(dir, { 'mlops.config.yaml': `${HEAD}failOn:\n  diff: warn\n` });
    const r = runBin(['diff', 'a.yaml', 'b.yaml'], dir);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('failOn.diff: warn from mlops.config.yaml');
    const json = JSON.parse(runBin(['diff', 'a.yaml', 'b.yaml', '-f', 'json'], dir).stdout);
    expect(json.config.settings).toEqual([
      { key: 'failOn.diff', value: 'warn', source: 'mlops.config.yaml' },
    ]);
    const flag = runBin(['diff', 'a.yaml', 'b.yaml', '--fail-on', 'error'], dir);
    expect(flag.code).toBe(0);
    expect(flag.stdout).not.toContain('mlops.config.yaml');
  });

  it('an invalid config file: exit 2, each problem at file:line:column with its fix', () => {
    const dir = repository();
    writeFiles(dir, {
      'examples/mlops.config.yaml': `${HEAD}strict: yes\nfailOn: { dif: warn }\n`,
    });
    const r = runBin(['validate'], dir, ISOLATED_GIT);
    expect(r).toMatchObject({ code: 2, stdout: '' });
    expect(r.stderr).toBe(
      [
        'mlops: invalid config file: examples/mlops.config.yaml',
        'examples/mlops.config.yaml:3:9  error    CONFIG_TYPE  strict: expected boolean, found string',
        '    hint: write true or false here; every setting is described in `mlops schema --config`',
        'examples/mlops.config.yaml:4:11  error    CONFIG_UNKNOWN_KEY  failOn: unknown key "dif" (did you mean "diff"?)',
        '    hint: allowed here: diff; prefix a team\'s own keys with "x-"',
        'hint: fix the places listed above (`mlops schema --config` describes every setting), or delete the file',
        '',
      ].join('\n'),
    );
  });

  it('check skips ignored manifests too and says so', () => {
    const dir = repository();
    const r = runBin(['check', '-f', 'json', '--today', '2026-01-01'], dir, ISOLATED_GIT);
    expect(r.stderr).toBe('');
    const out = JSON.parse(r.stdout);
    expect(JSON.stringify(out.manifests)).not.toContain('fixtures/broken');
    expect(out.config.ignored).toEqual([
      { file: 'fixtures/broken/mlops.yaml', pattern: 'fixtures/**', source: 'mlops.config.yaml' },
    ]);
    const text = runBin(['check', '--today', '2026-01-01'], dir, ISOLATED_GIT).stdout;
    expect(text).toContain('1 ignored by mlops.config.yaml');
  });

  it('mlops schema --config prints the config schema', () => {
    const r = runBin(['schema', '--config'], tempDir());
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({
      $schema: 'https://json-schema.org/draft/2020-12/schema',
      $id: 'urn:mlops:schema:mlops.config.v1',
      properties: { kind: { const: 'Config' } },
    });
  });
});
