/**
 * `mlops migrate` through the built CLI: validate names it for the earlier shapes, following
 * that hint literally clears them, `--check` writes nothing, and a manifest that cannot be
 * read or written safely is named and left as it was.
 */
import { spawnSync } from 'node:child_process';
import {
  chmodSync,
  cpSync,
  mkdirSync,
  readFileSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BIN, runBin } from '../helpers/bin.js';
import { git, gitDir, tempDir } from '../helpers/gitdir.js';

const EXAMPLES = new URL('../../examples/', import.meta.url).pathname;
const M = 'models/churn/mlops.yaml';

/** A repository with the churn example at models/churn, in the earlier shape. */
function earlierRepo(): string {
  const dir = gitDir();
  mkdirSync(join(dir, 'models'), { recursive: true });
  cpSync(join(EXAMPLES, 'churn'), join(dir, 'models/churn'), { recursive: true });
  const text = readFileSync(join(dir, M), 'utf8');
  const earlier = text
    .replace('    classification: minimal\n', '    classification: limited\n')
    .replace('  - id: envision-cco-2026-11-30\n    phase: envision\n', '  - phase: envision\n');
  expect(earlier).toContain('classification: limited');
  expect(earlier).toContain('  - phase: envision\n    role: decision_maker');
  writeFileSync(join(dir, M), earlier);
  git(dir, ['add', '-A']);
  git(dir, ['commit', '-q', '-m', 'churn']);
  return dir;
}

interface Diagnostic {
  code: string;
  message: string;
  hint?: string;
}

function diagnostics(dir: string, file = M): Diagnostic[] {
  const r = runBin(['validate', file, '--format', 'json'], dir);
  return (JSON.parse(r.stdout) as { diagnostics: Diagnostic[] }).diagnostics;
}

/** Runs a command as a hint prints it: `npx mlops` is the built CLI. */
function runHinted(command: string, dir: string): ReturnType<typeof runBin> {
  const words = command.replace(/^(?:npx )?mlops /, '').split(' ');
  return runBin(words, dir);
}

describe('validate names mlops migrate', () => {
  it('warns at the earlier shapes with the command; doing what it says makes validate quiet', () => {
    const dir = earlierRepo();
    const found = diagnostics(dir);
    const limited = found.find((d) => d.code === 'EU_AI_ACT_EARLIER_SHAPE')!;
    const approval = found.find((d) => d.code === 'APPROVAL_EARLIER_SHAPE')!;
    expect(limited.message).toContain('minimal with the transparency duties of Art. 50');
    const command = /`((?:npx )?mlops migrate [^`]+)`/.exec(limited.hint!)![1]!;
    expect(command).toBe(`npx mlops migrate ${M}`);
    expect(approval.hint).toContain(`\`${command}\``);
    const r = runHinted(command, dir);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(
      new RegExp(`^${M}:\\d+: classification: limited -> minimal, art50: true$`, 'm'),
    );
    expect(r.stdout).toMatch(
      new RegExp(`^${M}:\\d+: approvals\\[0\\]: id envision-cco-2026-11-30 added`, 'm'),
    );
    expect(r.stdout).toMatch(/^migrated 1 manifest \(2 changes\)$/m);
    const after = diagnostics(dir).map((d) => d.code);
    expect(after).not.toContain('EU_AI_ACT_EARLIER_SHAPE');
    expect(after).not.toContain('APPROVAL_EARLIER_SHAPE');
    // the approval counts again: same readiness as the example it came from
    const again = runBin(['migrate'], dir);
    expect(again.code).toBe(0);
    expect(again.stdout).toBe(
      `${M}: already in the current shape\n1 manifest already in the current shape\n`,
    );
  });

  it('from a subfolder, the command names the manifest as given there', () => {
    const dir = earlierRepo();
    const found = diagnostics(join(dir, 'models'), 'churn');
    const hint = found.find((d) => d.code === 'EU_AI_ACT_EARLIER_SHAPE')!.hint!;
    expect(hint).toContain('`npx mlops migrate churn/mlops.yaml`');
    const r = runHinted('npx mlops migrate churn/mlops.yaml', join(dir, 'models'));
    expect(r.code).toBe(0);
    expect(diagnostics(dir).map((d) => d.code)).not.toContain('EU_AI_ACT_EARLIER_SHAPE');
  });
});

describe('mlops migrate --check', () => {
  it('exits 1 and writes nothing when a manifest would change; 0 once it is current', () => {
    const dir = earlierRepo();
    const before = readFileSync(join(dir, M));
    const r = runBin(['migrate', '--check'], dir);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^would migrate 1 manifest \(2 changes\)$/m);
    expect(r.stdout).toContain('nothing was written (--check)');
    expect(readFileSync(join(dir, M)).equals(before)).toBe(true);
    expect(git(dir, ['status', '--porcelain', '--ignored'])).toBe('');
    expect(runBin(['migrate'], dir).code).toBe(0);
    const ok = runBin(['migrate', '--check'], dir);
    expect(ok.code).toBe(0);
    expect(ok.stdout).toContain('already in the current shape');
  });

  it('a manifest mlops migrate cannot finish (art50 false) exits 1 and is left unchanged', () => {
    const dir = earlierRepo();
    const text = readFileSync(join(dir, M), 'utf8').replace(
      '    role: both\n',
      '    role: both\n    art50: false\n',
    );
    writeFileSync(join(dir, M), text);
    const r = runBin(['migrate', M], dir);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/limited means minimal with art50: true, but art50 is false/);
    expect(readFileSync(join(dir, M), 'utf8')).toBe(text);
  });
});

describe('mlops migrate refuses what it cannot edit safely', () => {
  it('no manifest: exit 2', () => {
    const dir = gitDir();
    const r = runBin(['migrate'], dir);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^mlops: no mlops\.yaml found in this repository/);
  });

  it('a manifest that does not parse: exit 2 naming it, the others still migrated', () => {
    const dir = earlierRepo();
    const broken = 'apiVersion: mlops/v1\nkind: ModelManifest\nmetadata: [\n';
    mkdirSync(join(dir, 'models/broken'));
    writeFileSync(join(dir, 'models/broken/mlops.yaml'), broken);
    const r = runBin(['migrate'], dir);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^mlops: cannot migrate models\/broken\/mlops\.yaml:\d+:\d+: /);
    expect(r.stderr).toContain('it was left unchanged');
    expect(readFileSync(join(dir, 'models/broken/mlops.yaml'), 'utf8')).toBe(broken);
    expect(readFileSync(join(dir, M), 'utf8')).toContain('classification: minimal');
  });

  it('a symlinked manifest is refused, and the file it leads to is left unchanged', () => {
    const dir = earlierRepo();
    mkdirSync(join(dir, 'models/link'));
    symlinkSync('../churn/mlops.yaml', join(dir, 'models/link/mlops.yaml'));
    const before = readFileSync(join(dir, M));
    const r = runBin(['migrate', 'models/link/mlops.yaml'], dir);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(
      /^mlops: models\/link\/mlops\.yaml is a symlink \(to \.\.\/churn\/mlops\.yaml\)/,
    );
    expect(readFileSync(join(dir, M)).equals(before)).toBe(true);
  });

  it('a FIFO named as a manifest is never opened: exit 2 instead of a hang', () => {
    const dir = gitDir();
    mkdirSync(join(dir, 'models/pipe'), { recursive: true });
    const fifo = join(dir, 'models/pipe/mlops.yaml');
    expect(spawnSync('mkfifo', [fifo]).status).toBe(0);
    const r = spawnSync(process.execPath, [BIN, 'migrate', 'models/pipe/mlops.yaml'], {
      cwd: dir,
      encoding: 'utf8',
      env: { ...process.env, NO_COLOR: '1' },
      input: '',
      timeout: 20_000,
    });
    expect(r.signal).toBeNull();
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('models/pipe/mlops.yaml');
    expect(r.stderr).toContain('FIFO');
    expect(r.stderr).toMatch(
      /^mlops: cannot migrate models\/pipe\/mlops\.yaml: the file is a FIFO/,
    );
    // named by its folder, or found with no paths: never opened either
    for (const args of [['migrate', 'models/pipe'], ['migrate']]) {
      const again = spawnSync(process.execPath, [BIN, ...args], {
        cwd: dir,
        encoding: 'utf8',
        env: { ...process.env, NO_COLOR: '1' },
        input: '',
        timeout: 20_000,
      });
      expect(again.signal).toBeNull();
      expect(again.status).toBe(2);
    }
    expect(statSync(fifo).isFIFO()).toBe(true);
  });

  it('keeps the mode of the file it rewrites', () => {
    const dir = earlierRepo();
    chmodSync(join(dir, M), 0o640);
    expect(runBin(['migrate', M], dir).code).toBe(0);
    expect(statSync(join(dir, M)).mode & 0o777).toBe(0o640);
  });

  it('a folder it cannot write in: exit 2 naming the file, which is left unchanged', (ctx) => {
    if (spawnSync('setpriv', ['--version']).status !== 0) return ctx.skip();
    const base = tempDir('mlops-migrate-ro-');
    chmodSync(base, 0o755);
    const dir = join(base, 'repo');
    git(base, ['init', '-q', '-b', 'main', 'repo']);
    mkdirSync(join(dir, 'models'));
    cpSync(join(EXAMPLES, 'churn'), join(dir, 'models/churn'), { recursive: true });
    const text = readFileSync(join(dir, M), 'utf8').replace(
      'classification: minimal',
      'classification: limited',
    );
    writeFileSync(join(dir, M), text);
    // readable by everyone, writable by its owner (root) only
    spawnSync('chmod', ['-R', 'a+rX,go-w', dir]);
    const r = spawnSync(
      'setpriv',
      ['--reuid=65534', '--regid=65534', '--clear-groups', process.execPath, BIN, 'migrate', M],
      {
        cwd: dir,
        encoding: 'utf8',
        env: { ...process.env, NO_COLOR: '1', HOME: base, GIT_CONFIG_GLOBAL: '/dev/null' },
        input: '',
        timeout: 20_000,
      },
    );
    expect(r.status, r.stderr).toBe(2);
    expect(r.stderr).toContain(M);
    expect(readFileSync(join(dir, M), 'utf8')).toBe(text);
  });
});
