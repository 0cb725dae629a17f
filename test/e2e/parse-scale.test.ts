import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
// @ts-expect-error: plain JS benchmark helper, shared so that the test reads what the benchmark times
import { keysManifest } from '../bench/keys-bench.mjs';
import { BIN } from '../helpers/bin.js';
import { commitFiles, gitDir, tempDir } from '../helpers/gitdir.js';

const manifest = keysManifest as (kind: string, n: number) => string;

interface Run {
  code: number;
  stdout: string;
  stderr: string;
  signal: NodeJS.Signals | null;
}

/**
 * The built CLI, killed after 60 s with a 512 MiB heap: reading one manifest of 80,000 keys
 * takes a second or two, and a step that is quadratic in the keys takes minutes, so it fails
 * the test instead of hanging it.
 */
function run(args: string[], cwd: string): Run {
  const base: Record<string, string | undefined> = { ...process.env };
  delete base.FORCE_COLOR;
  const r = spawnSync(process.execPath, [BIN, ...args], {
    cwd,
    encoding: 'utf8',
    env: {
      ...base,
      NO_COLOR: '1',
      NODE_OPTIONS: '--max-old-space-size=512',
      GIT_CONFIG_NOSYSTEM: '1',
      GIT_CONFIG_GLOBAL: '/dev/null',
    },
    input: '',
    timeout: 60_000,
    killSignal: 'SIGKILL',
    maxBuffer: 1 << 26,
  });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr, signal: r.signal };
}

interface Located {
  code: string;
  severity: string;
  line: number;
  column: number;
  args: Record<string, unknown>;
}

/** The findings of `validate --format json`. */
function findings(r: Run): Located[] {
  expect(r.signal, `killed: ${r.stderr}`).toBeNull();
  try {
    return (JSON.parse(r.stdout) as { diagnostics: Located[] }).diagnostics;
  } catch {
    throw new Error(`not JSON (exit ${r.code}): ${r.stdout.slice(0, 500)}\n${r.stderr}`);
  }
}

/** A folder holding `mlops.yaml` with `n` keys of `kind` (see test/bench/keys-bench.mjs). */
function write(kind: string, n: number): { dir: string; text: string } {
  const dir = tempDir();
  const text = manifest(kind, n);
  expect(Buffer.byteLength(text)).toBeLessThanOrEqual(1024 * 1024);
  writeFileSync(join(dir, 'mlops.yaml'), text);
  return { dir, text };
}

/** The line of the first key after the manifest's own lines. */
const FIRST = manifest('x-top', 0).split('\n').length;

describe('one manifest of 80,000 keys is read in linear time', { timeout: 180_000 }, () => {
  for (const kind of ['x-top', 'x-envision', 'x-guardrail', 'x-yaml']) {
    it(`validate: 80,000 ${kind} keys are valid`, () => {
      const { dir } = write(kind, 80_000);
      const r = run(['validate', '--no-cache', 'mlops.yaml'], dir);
      expect(r.signal, r.stderr).toBeNull();
      expect(r).toMatchObject({ code: 0, stdout: '✔ 1 manifest valid\n' });
    });
  }

  it('validate: a quoted scalar of 300,000 escapes is valid, and read without hanging', () => {
    const dir = tempDir();
    // looking for the closing quote again at each escape searched ~600 KB 300,000 times (at
    // 450,000 escapes: 2.4 s instead of 0.46 s); the kill at 60 s catches only far worse
    const text = `${manifest('x-top', 0)}x-note: "${'\\n'.repeat(300_000)}"\n`;
    expect(Buffer.byteLength(text)).toBeLessThanOrEqual(1024 * 1024);
    writeFileSync(join(dir, 'mlops.yaml'), text);
    const r = run(['validate', '--no-cache', 'mlops.yaml'], dir);
    expect(r.signal, r.stderr).toBeNull();
    expect(r).toMatchObject({ code: 0, stdout: '✔ 1 manifest valid\n' });
  });

  it('validate: 80,000 unknown keys list the first 100 and count the other 79,900', () => {
    const { dir } = write('unknown', 80_000);
    const r = run(['validate', '--no-cache', '--format', 'json', 'mlops.yaml'], dir);
    expect(r.code).toBe(1);
    const found = findings(r);
    expect(found).toHaveLength(101);
    expect(found.slice(0, 100).every((f) => f.code === 'SCHEMA_UNKNOWN_KEY')).toBe(true);
    expect(found[0]).toMatchObject({ line: FIRST, column: 1, args: { key: 'k0000' } });
    expect(found[99]).toMatchObject({ line: FIRST + 99, column: 1, args: { key: 'k002r' } });
    expect(found[100]).toMatchObject({
      code: 'FINDINGS_OMITTED',
      severity: 'error',
      line: FIRST + 100,
      column: 1,
      args: { more: 79_900, errors: 79_900, warnings: 0 },
    });
    const stylish = run(['validate', '--no-cache', 'mlops.yaml'], dir);
    expect(stylish.code).toBe(1);
    expect(stylish.stdout).toContain(`mlops.yaml:${FIRST + 100}:1`);
    expect(stylish.stdout).toMatch(/FINDINGS_OMITTED +79900 more findings\b.*\b79900 errors\b/);
  });

  it('validate: 80,000 keys, each written twice, are 40,000 duplicates', () => {
    const { dir } = write('duplicate', 80_000);
    const found = findings(run(['validate', '--no-cache', '--format', 'json', 'mlops.yaml'], dir));
    expect(found).toHaveLength(101);
    // the second of each pair, where yaml reports it
    expect(found.slice(0, 100).map((f) => [f.code, f.line, f.column])).toEqual(
      Array.from({ length: 100 }, (_, i) => ['YAML_DUPLICATE_KEY', FIRST + 2 * i + 1, 1]),
    );
    expect(found[100]).toMatchObject({
      code: 'FINDINGS_OMITTED',
      line: FIRST + 201,
      args: { more: 39_900, errors: 39_900, warnings: 0 },
    });
  });

  it('validate: 40,000 guardrails without a bound (all that fit in 1 MiB)', () => {
    const { dir } = write('no-bound', 40_000);
    const found = findings(run(['validate', '--no-cache', '--format', 'json', 'mlops.yaml'], dir));
    expect(found).toHaveLength(101);
    expect(found.slice(0, 100).every((f) => f.code === 'GUARDRAIL_NO_BOUND')).toBe(true);
    expect(found[100]).toMatchObject({
      code: 'FINDINGS_OMITTED',
      args: { more: 39_900, errors: 39_900, warnings: 0 },
    });
  });

  it('check and approve read 80,000 keys as validate does, and approve keeps every one', () => {
    const dir = gitDir();
    const text = manifest('x-top', 80_000);
    commitFiles(dir, { 'mlops.yaml': text }, 'a manifest of 80,000 keys');
    const check = run(['check', '--today', '2026-11-27', 'mlops.yaml'], dir);
    expect(check.signal, check.stderr).toBeNull();
    expect(check.code).toBe(0);
    expect(check.stdout).toContain('keys-model');
    const approve = run(
      ['approve', 'mlops.yaml', '--phase', 'envision', '--by', 'dm', '--date', '2026-11-27'],
      dir,
    );
    expect(approve.signal, approve.stderr).toBeNull();
    expect(approve.code).toBe(0);
    expect(approve.stdout).toContain('envision approved by dm');
    const after = readFileSync(join(dir, 'mlops.yaml'), 'utf8');
    expect(after.startsWith(text)).toBe(true);
    expect(after.slice(text.length)).toContain(
      'approvals:\n  - id: envision-dm-2026-11-27\n    phase: envision\n',
    );
  });
});
