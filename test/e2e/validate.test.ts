import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runBin } from '../helpers/bin.js';
import { gitDir, tempDir } from '../helpers/gitdir.js';
import { sarifErrors } from '../helpers/sarif.js';

const FIXTURES = fileURLToPath(new URL('../fixtures/validate/', import.meta.url));

/** A folder (not a git repository) holding copies of the named fixtures. */
function workspace(...names: string[]): string {
  const dir = tempDir();
  for (const n of names) cpSync(join(FIXTURES, n), join(dir, n), { recursive: true });
  return dir;
}

describe('mlops validate, as a user runs it', () => {
  it('stylish: clean manifests exit 0 with a summary', () => {
    const r = runBin(['validate'], workspace('minimal'));
    expect(r).toEqual({ code: 0, stdout: '✔ 1 manifest valid\n', stderr: '' });
  });

  it('stylish: findings as file:line:col  severity  CODE  message, exit 1', () => {
    const r = runBin(['validate'], workspace('minimal', 'broken'));
    expect(r.code).toBe(1);
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe(
      [
        'broken/mlops.yaml:8:13  error    SCHEMA_ENUM  metadata.riskTier: "hgh" is not one of low, medium, high, critical (did you mean "high"?)',
        'broken/mlops.yaml:11:3  error    SCHEMA_UNKNOWN_KEY  envision: unknown key "valueMetric" (did you mean "valueMetrics"?)',
        '    hint: allowed here: hypothesis, problem, businessObjective, intendedUse, stakeholders, valueMetrics, risks, trustworthyAI; prefix a team\'s own keys with "x-"',
        '',
        '✖ 2 errors in 1 of 2 manifests',
        '',
      ].join('\n'),
    );
  });

  it('warnings pass unless --strict', () => {
    const dir = workspace('warning-only');
    const lenient = runBin(['validate'], dir);
    expect(lenient.code).toBe(0);
    expect(lenient.stdout).toContain('warning  PSI_BINS_MISSING');
    expect(lenient.stdout).toContain('⚠ 1 warning in 1 of 1 manifest');
    expect(runBin(['validate', '--strict'], dir).code).toBe(1);
  });

  it('json: a stable envelope and nothing else on stdout', () => {
    const r = runBin(['validate', '--format', 'json', 'broken/mlops.yaml'], workspace('broken'));
    expect(r.code).toBe(1);
    const out = JSON.parse(r.stdout);
    expect(out).toMatchObject({
      schemaVersion: 1,
      command: 'validate',
      ok: false,
      summary: { files: 1, errors: 2, warnings: 0 },
      files: ['broken/mlops.yaml'],
    });
    // args, fingerprint and fix were added to each diagnostic (schemaVersion 1: additions only)
    expect(out.diagnostics[0]).toEqual({
      code: 'SCHEMA_ENUM',
      severity: 'error',
      message:
        'metadata.riskTier: "hgh" is not one of low, medium, high, critical (did you mean "high"?)',
      file: 'broken/mlops.yaml',
      path: ['metadata', 'riskTier'],
      line: 8,
      column: 13,
      args: {
        at: ['metadata', 'riskTier'],
        value: 'hgh',
        kind: 'string',
        allowed: ['low', 'medium', 'high', 'critical'],
        suggestion: 'high',
      },
      fingerprint: expect.stringMatching(/^[0-9a-f]{16}$/),
      fix: { kind: 'edit', op: 'set', path: ['metadata', 'riskTier'], value: 'high' },
    });
    expect(out.diagnostics[1]).toMatchObject({
      code: 'SCHEMA_UNKNOWN_KEY',
      hint: expect.stringContaining('allowed here: hypothesis'),
    });
  });

  it('github: one workflow command per finding, escaped', () => {
    const r = runBin(['validate', '-f', 'github'], workspace('broken'));
    expect(r.code).toBe(1);
    expect(r.stdout.split('\n')[0]).toBe(
      '::error file=broken/mlops.yaml,line=8,col=13,title=SCHEMA_ENUM::metadata.riskTier: "hgh" is not one of low, medium, high, critical (did you mean "high"?)',
    );
    expect(r.stdout.trim().split('\n')).toHaveLength(2);
  });

  it('sarif: a SARIF 2.1.0 log that validates against the SARIF schema', () => {
    const r = runBin(['validate', '-f', 'sarif'], workspace('broken', 'warning-only'));
    expect(r.code).toBe(1);
    const log = JSON.parse(r.stdout);
    expect(sarifErrors(log)).toEqual([]);
    const run = log.runs[0];
    expect(run.tool.driver.rules.map((rule: { id: string }) => rule.id)).toEqual([
      'PSI_BINS_MISSING',
      'SCHEMA_ENUM',
      'SCHEMA_UNKNOWN_KEY',
    ]);
    expect(run.results[0]).toMatchObject({
      ruleId: 'SCHEMA_ENUM',
      level: 'error',
      partialFingerprints: { 'mlops/v1': expect.stringMatching(/^[0-9a-f]{16}$/) },
      locations: [
        {
          physicalLocation: {
            artifactLocation: { uri: 'broken/mlops.yaml' },
            region: { startLine: 8, startColumn: 13 },
          },
        },
      ],
    });
  });

  it('reports manifests that share a name, each at its name, the same from the cache', () => {
    const dir = workspace('minimal');
    cpSync(join(FIXTURES, 'minimal'), join(dir, 'copy'), { recursive: true });
    const env = { XDG_CACHE_HOME: join(dir, 'xdg') };
    const cold = runBin(['validate', 'minimal', 'copy'], dir, env);
    expect(cold.code).toBe(1);
    expect(cold.stdout).toBe(
      [
        'copy/mlops.yaml:4:9  error    DUPLICATE_NAME  metadata.name: "minimal-model" is also the name of minimal/mlops.yaml',
        '    hint: give each model its own name; diff and check tell manifests apart by it',
        '',
        'minimal/mlops.yaml:4:9  error    DUPLICATE_NAME  metadata.name: "minimal-model" is also the name of copy/mlops.yaml',
        '    hint: give each model its own name; diff and check tell manifests apart by it',
        '',
        '✖ 2 errors in 2 of 2 manifests',
        '',
      ].join('\n'),
    );
    // the second run reads neither file: names and their positions come from the cache
    expect(runBin(['validate', 'minimal', 'copy'], dir, env)).toEqual(cold);
    expect(runBin(['validate', 'minimal'], dir, env)).toMatchObject({ code: 0 });
  });

  it('reads what yaml reads, in every form: +.5 is a number, -0x1F is text', () => {
    const dir = workspace('minimal');
    const file = join(dir, 'minimal', 'mlops.yaml');
    const text = readFileSync(file, 'utf8');
    writeFileSync(file, text.replace('envision:\n', 'envision:\n  x-ticket: -0x1F\n'));
    expect(runBin(['validate', '--no-cache'], dir)).toMatchObject({ code: 0 });
    // the same manifest, with an anchor that sends it to the other parser
    writeFileSync(file, text.replace('envision:\n', 'envision:\n  x-ticket: &t -0x1F\n'));
    expect(runBin(['validate', '--no-cache'], dir)).toMatchObject({ code: 0 });
    for (const anchor of ['', '&t ']) {
      writeFileSync(
        file,
        text.replace('name: minimal-model', `name: minimal-model\n  title: ${anchor}+.5`),
      );
      const r = runBin(['validate', '--no-cache', '-f', 'json'], dir);
      expect(r.code).toBe(1);
      expect(JSON.parse(r.stdout).diagnostics).toEqual([
        expect.objectContaining({
          code: 'SCHEMA_TYPE',
          message: 'metadata.title: expected text, got the number 0.5',
        }),
      ]);
    }
  });

  it('exit 2 with a hint for an unknown format, a missing path, or nothing to validate', () => {
    const dir = workspace('minimal');
    const badFormat = runBin(['validate', '-f', 'xml'], dir);
    expect(badFormat.code).toBe(2);
    expect(badFormat.stderr).toBe(
      'mlops: unknown format "xml" for mlops validate\nhint: --format takes one of text, json, github, sarif, junit, codequality; add =<file> to write it to a file, e.g. --format sarif=mlops.sarif\n',
    );
    expect(badFormat.stdout).toBe('');
    const missing = runBin(['validate', 'nope.yaml'], dir);
    expect(missing).toMatchObject({ code: 2, stdout: '' });
    expect(missing.stderr).toBe(
      'mlops: no such file or directory: nope.yaml\nhint: check the path; with no paths, every mlops.yaml in the repository is used\n',
    );
    const empty = runBin(['validate'], tempDir());
    expect(empty.code).toBe(2);
    expect(empty.stderr).toContain('mlops init');
    expect(runBin(['validate', '--no-such-flag'], dir).code).toBe(2);
  });

  it('in a git repository: tracked and untracked manifests, never ignored ones', () => {
    const dir = gitDir();
    cpSync(join(FIXTURES, 'minimal'), join(dir, 'models/a'), { recursive: true });
    cpSync(join(FIXTURES, 'broken'), join(dir, 'build-output/b'), { recursive: true });
    writeFileSync(join(dir, '.gitignore'), 'build-output/\n');
    const r = runBin(['validate'], join(dir, 'models'));
    expect(r).toMatchObject({ code: 0, stdout: '✔ 1 manifest valid\n' });
  });

  it('mlops schema prints the JSON Schema', () => {
    const r = runBin(['schema'], tempDir());
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({
      $schema: 'https://json-schema.org/draft/2020-12/schema',
      title: 'mlops manifest (mlops/v1)',
    });
  });

  it('no stack trace and no color for user errors; --version and --help exit 0', () => {
    const r = runBin(['validate', 'nope.yaml'], tempDir());
    expect(r.stderr).not.toMatch(/\bat .*\.js:\d+/);
    expect(r.stderr).not.toContain('\u001b[');
    expect(runBin(['--version'], tempDir())).toMatchObject({
      code: 0,
      stdout: expect.stringMatching(/^\d+\.\d+\.\d+\n$/),
    });
    expect(runBin(['--help'], tempDir()).code).toBe(0);
  });
});
