import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { parse } from 'yaml';
import type { Manifest } from '../../src/core/manifest.js';
import type { InitAnswers } from '../../src/core/scaffold.js';
import { askInitAnswers } from '../../src/io/prompts.js';
import type { InitQuestions } from '../../src/io/prompts.js';
import { runCli } from '../helpers/cli.js';
import { commitFiles, git, gitDir } from '../helpers/gitdir.js';

vi.mock('../../src/io/prompts.js', () => ({ askInitAnswers: vi.fn() }));
const ask = vi.mocked(askInitAnswers);

/** Runs the CLI in-process as if on a terminal. */
const runOnTty = (argv: string[], cwd: string) =>
  runCli(argv, cwd, { GIT_CONFIG_GLOBAL: '/dev/null', GIT_CONFIG_NOSYSTEM: '1' }, { tty: true });

const answers: InitAnswers = {
  name: 'claims-triage',
  owner: 'Grace Hopper',
  riskTier: 'critical',
  template: 'classification',
  problem: 'Claims wait three weeks for a first look; simple ones could be paid in a day.',
  hypothesis:
    'If we route simple claims to fast-track, then customers are paid sooner, measured by days to settlement.',
  decisionMaker: 'Ada Lovelace',
  productManager: 'Alan Turing',
  metric: {
    name: 'Days to settlement',
    unit: 'days (median)',
    direction: 'decrease',
    baseline: 21,
    target: 7,
    minimumAcceptable: 14,
    by: '2099-03-31',
  },
};

beforeEach(() => {
  ask.mockReset();
});

describe('mlops init on a terminal', () => {
  it('writes the answers given at the prompts', async () => {
    const repo = gitDir();
    ask.mockResolvedValue(answers);
    const r = await runOnTty(['init', 'claims'], repo);
    expect(r.code).toBe(0);
    const text = readFileSync(join(repo, 'claims/mlops.yaml'), 'utf8');
    const m = parse(text) as Manifest;
    expect(m.metadata).toMatchObject({
      name: 'claims-triage',
      owner: { name: 'Grace Hopper' },
      riskTier: 'critical',
    });
    expect(m.envision.problem).toBe(answers.problem);
    expect(m.envision.hypothesis).toBe(answers.hypothesis);
    expect(m.envision.stakeholders?.find((s) => s.role === 'decision_maker')?.name).toBe(
      'Ada Lovelace',
    );
    expect(m.envision.stakeholders?.find((s) => s.role === 'ai_product_manager')?.name).toBe(
      'Alan Turing',
    );
    expect(m.envision.valueMetrics?.[0]).toMatchObject({
      id: 'days_to_settlement',
      name: 'Days to settlement',
      direction: 'decrease',
      baseline: { value: 21 },
      target: { value: 7, by: '2099-03-31' },
      minimumAcceptable: 14,
    });
    expect(m.envision.trustworthyAI?.fairImpartial?.rigor).toBe('dialUp');
    expect(text).toContain(
      '# Fair and impartial: offers are made at comparable rates across customer groups.',
    );
    expect(r.stdout).toContain(
      'Created claims/mlops.yaml (template classification, risk tier critical',
    );
  });

  it('says what is left: the "TODO:" marks of the file written, by what they stand for', async () => {
    const repo = gitDir();
    ask.mockResolvedValue({ ...answers, template: 'default' });
    const r = await runOnTty(['init', 'claims'], repo);
    expect(r.code).toBe(0);
    const text = readFileSync(join(repo, 'claims/mlops.yaml'), 'utf8');
    const marks = text.match(/TODO:(?!")/g)?.length ?? 0;
    expect(marks).toBeGreaterThan(1);
    // the closing words as one line per step (on a terminal they wrap under the step's number)
    const said = r.stdout.replace(/\n {5}(?=\S)/g, ' ');
    const todo = said.split('\n').find((l) => l.includes('"TODO:" marks'));
    expect(todo).toBe(
      `  1. Fill in the ${marks} "TODO:" marks: the title, the owning team, the tags, the business objective, the intended use, the stakeholders' names, the risks' mitigations and the guardrails.`,
    );
    // the problem, the hypothesis, the owner and the metric's name and unit were answered
    const m = parse(text) as Manifest;
    for (const answered of [
      m.envision.problem,
      m.envision.hypothesis,
      m.metadata.owner.name,
      m.envision.valueMetrics?.[0]?.name,
      m.envision.valueMetrics?.[0]?.unit,
    ])
      expect(answered).not.toContain('TODO');
    expect(r.stdout).toMatch(/^ {7}mlops validate claims\/mlops\.yaml$/m);
    expect(r.stdout).toMatch(/^ {7}mlops check claims\/mlops\.yaml$/m);
    for (const line of r.stdout.split('\n')) expect(line.length).toBeLessThanOrEqual(80);
  });

  it('offers the folder name and git user as defaults, and skips what flags already answer', async () => {
    const repo = gitDir();
    git(repo, ['config', 'user.name', 'Katherine Johnson']);
    ask.mockResolvedValue({ ...answers, template: 'genai' });
    expect(
      (await runOnTty(['init', 'Support Bot', '-t', 'genai', '--risk-tier', 'high'], repo)).code,
    ).toBe(0);
    const q = ask.mock.calls[0]![0];
    expect(q.given).toEqual({ template: 'genai', riskTier: 'high' });
    expect(q.suggested).toEqual({ name: 'support-bot', owner: 'Katherine Johnson' });
    expect(q.templates.map((t) => t.name)).toEqual([
      'default',
      'classification',
      'forecasting',
      'recommendation',
      'genai',
    ]);
    expect(q.templates.find((t) => t.name === 'genai')?.defaults.metric?.name).toBe(
      'Contact deflection rate',
    );
  });

  it('checks names and targets as they are typed, including names used elsewhere in the repository', async () => {
    const repo = gitDir();
    commitFiles(
      repo,
      { 'churn/mlops.yaml': 'apiVersion: mlops/v1\nmetadata:\n  name: churn\n' },
      'churn',
    );
    let q: InitQuestions | undefined;
    ask.mockImplementation(async (questions) => {
      q = questions;
      return answers;
    });
    await runOnTty(['init', 'churn-v2'], repo);
    expect(q!.checkName('churn')).toBe('"churn" is already the name of churn/mlops.yaml');
    expect(q!.checkName('Churn V2')).toContain('not a valid name');
    expect(q!.checkName('churn-v2')).toBeUndefined();
    expect(q!.checkTarget('increase', 10, 9)).toContain('above the baseline 10');
    expect(q!.suggested.name).toBe('churn-v2');
  });

  it('does not suggest a folder name another manifest already uses', async () => {
    const repo = gitDir();
    commitFiles(
      repo,
      { 'a/mlops.yaml': 'apiVersion: mlops/v1\nmetadata:\n  name: churn\n' },
      'churn',
    );
    ask.mockResolvedValue(answers);
    await runOnTty(['init', 'b/churn'], repo);
    expect(ask.mock.calls[0]![0].suggested.name).toBeUndefined();
  });

  it('Ctrl-C at a question: exit 130, and no file, folder or temporary file is left', async () => {
    const repo = gitDir();
    ask.mockResolvedValue(undefined);
    const r = await runOnTty(['init', 'new/model'], repo);
    expect(r.code).toBe(130);
    expect(r.stderr).toContain('cancelled; nothing was written');
    expect(existsSync(join(repo, 'new'))).toBe(false);
    expect(readdirSync(repo).sort()).toEqual(['.git']);
  });

  it('asks nothing with --yes', async () => {
    const repo = gitDir();
    const r = await runOnTty(['init', '--yes', '--name', 'quiet-model'], repo);
    expect(r.code).toBe(0);
    expect(ask).not.toHaveBeenCalled();
  });

  it('asks nothing before refusing to overwrite', async () => {
    const repo = gitDir();
    commitFiles(repo, { 'mlops.yaml': 'apiVersion: mlops/v1\n' }, 'existing');
    const r = await runOnTty(['init'], repo);
    expect(r.code).toBe(2);
    expect(ask).not.toHaveBeenCalled();
  });
});
