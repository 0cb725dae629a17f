import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import type { Manifest } from '../../src/core/manifest.js';
import { SCHEMA_PATH } from '../../src/io/assets.js';
import { BIN, runBin } from '../helpers/bin.js';
import { git, gitDir } from '../helpers/gitdir.js';

const DRIVER = fileURLToPath(new URL('../fixtures/init-pty/drive.py', import.meta.url));
const ISOLATED_GIT = { GIT_CONFIG_GLOBAL: '/dev/null', GIT_CONFIG_NOSYSTEM: '1' };
const hasPython = spawnSync('python3', ['--version']).status === 0;

interface Session {
  code: number;
  output: string;
  stuck_at: string | null;
}

/** Runs `mlops <args>` on a pseudo-terminal, typing `keys` whenever `waitFor` shows on screen. */
function onTerminal(
  args: string[],
  cwd: string,
  steps: [waitFor: string, keys: string][],
): Session {
  const spec = {
    argv: [process.execPath, BIN, ...args],
    cwd,
    env: { NO_COLOR: '1', ...ISOLATED_GIT },
    steps,
  };
  const r = spawnSync('python3', [DRIVER, JSON.stringify(spec)], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`the terminal driver failed: ${r.stderr}`);
  return JSON.parse(r.stdout) as Session;
}

const ENTER = '\r';
const DOWN = '\u001b[B';
const BACKSPACE = (n: number): string => '\u007f'.repeat(n);

describe('mlops init, the built binary', () => {
  it('with stdin an open pipe that never sends anything: asks nothing and uses the defaults', async () => {
    const repo = gitDir();
    git(repo, ['config', 'user.name', 'Ada Lovelace']);
    const child = spawn(process.execPath, [BIN, 'init', 'Demand Forecast', '-t', 'forecasting'], {
      cwd: repo,
      env: { ...process.env, NO_COLOR: '1', ...ISOLATED_GIT },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    // stdin stays open: a command waiting for input would never exit
    const code = await new Promise<number | null>((done) => child.on('close', done));
    child.stdin.end();
    expect(stderr).toBe('');
    expect(code).toBe(0);
    const text = readFileSync(join(repo, 'Demand Forecast/mlops.yaml'), 'utf8');
    expect(text.split('\n')[0]).toBe(`# yaml-language-server: $schema=${SCHEMA_PATH}`);
    const m = parse(text) as Manifest;
    expect(m.metadata).toMatchObject({
      name: 'demand-forecast',
      owner: { name: 'Ada Lovelace' },
      riskTier: 'medium',
      status: 'envision',
    });
    expect(stdout.replaceAll(SCHEMA_PATH, '<schema>')).toMatchInlineSnapshot(`
      "Created Demand Forecast/mlops.yaml (template forecasting, risk tier medium, status envision).

      Next steps:
        1. Fill in the 9 "TODO:" marks: the owning team, the problem, the business objective, the stakeholders' names and why a dimension is dialled down or excluded.
        2. Value metrics: measure each baseline and say where it comes from, agree each target with its date (target.by) and the worst level that still pays (minimumAcceptable); \`check\` lists what is missing (rule E2).
        3. Guardrails: confirm the bounds in all six Trustworthy AI dimensions, and plan the evidence (test and monitoring reports) that will show each one is met.
        4. Validate it, then check it:
             npx mlops validate 'Demand Forecast/mlops.yaml'
             npx mlops check 'Demand Forecast/mlops.yaml'

      The schema line points to <schema>; add mlops as a devDependency for a path that works in every clone.
      "
    `);
    expect(runBin(['validate'], repo).code).toBe(0);
  });

  it('refuses to overwrite, leaving the file as it was', () => {
    const repo = gitDir();
    expect(runBin(['init', '--owner', 'Ada'], repo).code).toBe(0);
    const before = readFileSync(join(repo, 'mlops.yaml'));
    const again = runBin(['init', '-t', 'genai', '--owner', 'Grace'], repo);
    expect({ code: again.code, stdout: again.stdout, stderr: again.stderr }).toEqual({
      code: 2,
      stdout: '',
      stderr:
        'mlops: mlops.yaml already exists; it was left unchanged\nhint: pass --force to overwrite it\n',
    });
    expect(readFileSync(join(repo, 'mlops.yaml')).equals(before)).toBe(true);
  });

  describe.skipIf(!hasPython)('on a real terminal', () => {
    it('asks the questions, refuses bad answers as they are typed, and writes the answers', () => {
      const repo = gitDir();
      git(repo, ['config', 'user.name', 'Ada Lovelace']);
      const s = onTerminal(['init', 'fraud'], repo, [
        ['Model name', `Bad Name${ENTER}`],
        ['not a valid name', `${BACKSPACE(8)}fraud-alerts${ENTER}`],
        ['Accountable owner', ENTER], // the default: git config user.name
        ['Risk tier', `${DOWN}${ENTER}`], // medium -> high
        ['Template', `${DOWN}${ENTER}`], // default -> classification
        ['business problem', `Card fraud costs us 2M a year.${ENTER}`],
        ['Hypothesis', ENTER],
        ['Decision maker', `Grace Hopper${ENTER}`],
        ['AI product manager', ENTER],
        ['value metric: name', `Fraud losses${ENTER}`],
        ['Unit', `USD per month${ENTER}`],
        ['Direction', ENTER], // the template's: decrease
        ['Baseline', `170000${ENTER}`],
        ['Target', `180000${ENTER}`],
        ['must be below the baseline 170000', `${BACKSPACE(6)}120000${ENTER}`],
        ['Minimum acceptable', `${BACKSPACE(6)}110000${ENTER}`],
        ['up to, but not at, the target 120000', `${BACKSPACE(6)}150000${ENTER}`],
        ['Target date', `2027-02-30${ENTER}`],
        ['enter a date as YYYY-MM-DD', `${BACKSPACE(10)}2099-06-30${ENTER}`],
        ['Created fraud/mlops.yaml', ''],
      ]);
      expect(s.stuck_at).toBeNull();
      expect(s.code).toBe(0);
      const m = parse(readFileSync(join(repo, 'fraud/mlops.yaml'), 'utf8')) as Manifest;
      expect(m.metadata).toMatchObject({
        name: 'fraud-alerts',
        owner: { name: 'Ada Lovelace' },
        riskTier: 'high',
      });
      expect(m.metadata.tags).toEqual(['classification', 'churn']);
      expect(m.envision.problem).toBe('Card fraud costs us 2M a year.');
      expect(m.envision.stakeholders?.[0]?.name).toBe('Grace Hopper');
      expect(m.envision.valueMetrics?.[0]).toMatchObject({
        id: 'fraud_losses',
        unit: 'USD per month',
        direction: 'decrease',
        baseline: { value: 170000 },
        target: { value: 120000, by: '2099-06-30' },
        minimumAcceptable: 150000,
      });
      expect(runBin(['validate', 'fraud'], repo).code).toBe(0);
    });

    it('Ctrl-C at a question exits 130 and leaves nothing behind', () => {
      const repo = gitDir();
      const s = onTerminal(['init', 'new/model'], repo, [
        ['Model name', ENTER],
        ['Accountable owner', 'Ada'],
        ['Ada', '\u0003'],
        ['cancelled', ''],
      ]);
      expect(s.stuck_at).toBeNull();
      expect(s.code).toBe(130);
      expect(s.output).toContain('mlops init: cancelled; nothing was written');
      expect(existsSync(join(repo, 'new'))).toBe(false);
      expect(readdirSync(repo)).toEqual(['.git']);
    });
  });
});
