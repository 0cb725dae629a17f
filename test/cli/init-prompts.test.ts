import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { parse } from 'yaml';
import type { Manifest } from '../../src/core/manifest.js';
import { runCli } from '../helpers/cli.js';
import { gitDir } from '../helpers/gitdir.js';

/** What the terminal user "types": one entry per question, in order; a function sees the question. */
type Reply = unknown | ((config: PromptConfig) => unknown);
interface PromptConfig {
  message: string;
  default?: unknown;
  validate?: (value: never) => boolean | string;
}
const replies: Reply[] = [];
const asked: PromptConfig[] = [];

class ExitPromptError extends Error {
  override name = 'ExitPromptError';
}

async function answer(config: PromptConfig): Promise<unknown> {
  asked.push(config);
  if (replies.length === 0) throw new Error(`unexpected question: ${config.message}`);
  const reply = replies.shift();
  const value =
    typeof reply === 'function' ? (reply as (c: PromptConfig) => unknown)(config) : reply;
  if (config.validate) {
    const verdict = config.validate(value as never);
    if (verdict !== true)
      throw new Error(`the prompt refused ${String(value)}: ${String(verdict)}`);
  }
  return value;
}

vi.mock('@inquirer/prompts', () => ({ input: answer, select: answer, number: answer }));

/** Runs the CLI in-process as if on a terminal. */
const runOnTty = (argv: string[], cwd: string) => runCli(argv, cwd, {}, { tty: true });

beforeEach(() => {
  replies.length = 0;
  asked.length = 0;
});

describe('the init questions', () => {
  it('asks in order and the answers land in the file', async () => {
    const repo = gitDir();
    const defaultOf = (c: PromptConfig): unknown => c.default;
    replies.push(
      'fraud-alerts', // name
      'Grace Hopper', // owner
      'high', // risk tier
      'classification', // template
      'Card fraud costs us 2 million a year.', // problem
      defaultOf, // hypothesis: the template's
      'Ada Lovelace', // decision maker
      '', // AI product manager: later
      'Fraud losses', // metric name
      'USD per month', // unit
      'decrease', // direction
      170000, // baseline
      120000, // target
      150000, // minimum acceptable
      '2099-06-30', // target date
    );
    const r = await runOnTty(['init', 'fraud'], repo);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(replies).toEqual([]);
    const m = parse(readFileSync(join(repo, 'fraud/mlops.yaml'), 'utf8')) as Manifest;
    expect(m.metadata).toMatchObject({
      name: 'fraud-alerts',
      owner: { name: 'Grace Hopper' },
      riskTier: 'high',
    });
    expect(m.envision.problem).toBe('Card fraud costs us 2 million a year.');
    expect(m.envision.hypothesis).toMatch(/^If we target retention offers/);
    expect(m.envision.stakeholders?.find((s) => s.role === 'ai_product_manager')?.name).toBe(
      'TODO: name',
    );
    expect(m.envision.valueMetrics?.[0]).toMatchObject({
      id: 'fraud_losses',
      direction: 'decrease',
      baseline: { value: 170000 },
      target: { value: 120000, by: '2099-06-30' },
      minimumAcceptable: 150000,
    });
    // the template's invented numbers are gone, so the second metric's gaps show (rule E2)
    const second = m.envision.valueMetrics?.[1];
    expect(second).toBeDefined();
    expect(second).not.toHaveProperty('target');
    expect(second).not.toHaveProperty('minimumAcceptable');
  });

  it('asks for the minimum between the baseline and the target, and a target date after today', async () => {
    const repo = gitDir();
    const verdicts: unknown[] = [];
    replies.push(
      'fraud-alerts',
      'Grace Hopper',
      'medium',
      'default',
      '',
      (c: PromptConfig) => c.default,
      '',
      '',
      'Fraud losses',
      'USD',
      'decrease',
      100,
      80,
      (c: PromptConfig) => {
        verdicts.push(c.default, c.validate?.(101 as never), c.validate?.(80 as never));
        return 100; // the baseline itself: no worse than today
      },
      (c: PromptConfig) => {
        verdicts.push(c.validate?.('2026-02-30' as never), c.validate?.('2000-01-01' as never));
        return '2099-01-31';
      },
    );
    expect((await runOnTty(['init', 'x'], repo)).code).toBe(0);
    expect(verdicts[0]).toBe(100);
    expect(verdicts[1]).toBe(
      'enter a value from the baseline 100 up to, but not at, the target 80',
    );
    expect(verdicts[2]).toBe(
      'enter a value from the baseline 100 up to, but not at, the target 80',
    );
    expect(verdicts[3]).toBe('enter a date as YYYY-MM-DD, e.g. 2027-06-30');
    expect(verdicts[4]).toMatch(/^enter a date after today \(\d{4}-\d{2}-\d{2}\)$/);
    const m = parse(readFileSync(join(repo, 'x/mlops.yaml'), 'utf8')) as Manifest;
    expect(m.envision.valueMetrics?.[0]).toMatchObject({
      minimumAcceptable: 100,
      target: { value: 80, by: '2099-01-31' },
    });
  });

  it('asks a maintained metric for its tolerance instead of a minimum', async () => {
    const repo = gitDir();
    replies.push(
      'fraud-alerts',
      'Grace Hopper',
      'medium',
      'default',
      '',
      (c: PromptConfig) => c.default,
      '',
      '',
      'On-time delivery',
      'percent',
      'maintain',
      97,
      97,
      (c: PromptConfig) => {
        expect(c.message).toMatch(/^Tolerance/);
        return 0.5;
      },
      '2099-01-31',
    );
    expect((await runOnTty(['init', 'x'], repo)).code).toBe(0);
    const m = parse(readFileSync(join(repo, 'x/mlops.yaml'), 'utf8')) as Manifest;
    expect(m.envision.valueMetrics?.[0]).toMatchObject({ direction: 'maintain', tolerance: 0.5 });
    expect(m.envision.valueMetrics?.[0]).not.toHaveProperty('minimumAcceptable');
  });

  it('refuses a bad slug and a target on the wrong side of the baseline as they are typed', async () => {
    const repo = gitDir();
    let nameVerdict: unknown;
    let targetVerdict: unknown;
    replies.push(
      (c: PromptConfig) => {
        nameVerdict = c.validate?.('Fraud Alerts' as never);
        return 'fraud-alerts';
      },
      'Grace Hopper',
      'medium',
      'default',
      '',
      (c: PromptConfig) => c.default,
      '',
      '',
      'Fraud losses',
      'USD',
      'decrease',
      100,
      (c: PromptConfig) => {
        targetVerdict = c.validate?.(120 as never);
        return 80;
      },
      90,
      '2099-01-31',
    );
    expect((await runOnTty(['init', 'x'], repo)).code).toBe(0);
    expect(nameVerdict).toContain('(e.g. "fraud-alerts")');
    expect(targetVerdict).toBe(
      'the target must be below the baseline 100 for a metric to decrease',
    );
  });

  it('Ctrl-C in the middle: exit 130, and no file and no folder', async () => {
    const repo = gitDir();
    replies.push('fraud-alerts', 'Grace Hopper', () => {
      throw new ExitPromptError('User force closed the prompt with SIGINT');
    });
    const r = await runOnTty(['init', 'deep/fraud'], repo);
    expect(r.code).toBe(130);
    expect(r.stderr).toBe('mlops init: cancelled; nothing was written\n');
    expect(existsSync(join(repo, 'deep'))).toBe(false);
    expect(readdirSync(repo)).toEqual(['.git']);
  });

  it('lets other prompt failures through as errors', async () => {
    const repo = gitDir();
    replies.push(() => {
      throw new Error('terminal went away');
    });
    const r = await runOnTty(['init'], repo);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('terminal went away');
    expect(existsSync(join(repo, 'mlops.yaml'))).toBe(false);
  });
});
