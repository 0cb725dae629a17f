import { cpSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { digestOf } from '../../src/core/digest.js';
import { runCli } from '../helpers/cli.js';
import { commitFiles, git, gitDir, tempDir, writeFiles } from '../helpers/gitdir.js';
import { sarifErrors } from '../helpers/sarif.js';

const FIXTURE = new URL('../fixtures/check-complete/', import.meta.url).pathname;
const TODAY = ['--today', '2026-11-27'];
const M = 'models/lead/mlops.yaml';

/** A repository with the complete fixture under models/lead, committed on 2026-11-20. */
function readyRepo(): string {
  const dir = gitDir();
  cpSync(FIXTURE, join(dir, 'models/lead'), { recursive: true });
  git(dir, ['add', '.']);
  git(dir, ['commit', '-q', '-m', 'lead scoring'], {
    GIT_AUTHOR_DATE: '2026-11-20T12:00:00Z',
    GIT_COMMITTER_DATE: '2026-11-20T12:00:00Z',
  });
  return dir;
}

/** Stages everything and commits, on `date` when given. */
function commitAll(dir: string, message: string, date = '2026-11-20T12:00:00Z'): void {
  git(dir, ['add', '-A']);
  git(dir, ['commit', '-q', '-m', message], { GIT_AUTHOR_DATE: date, GIT_COMMITTER_DATE: date });
}

/** An item as a YAML flow mapping, its keys plain and its values quoted. */
const flow = (item: Record<string, string>): string =>
  `{ ${Object.entries(item)
    .map(([k, v]) => `${k}: ${JSON.stringify(v)}`)
    .join(', ')} }`;

function edit(dir: string, path: string, from: string | RegExp, to: string): void {
  const file = join(dir, path);
  const text = readFileSync(file, 'utf8');
  const next = text.replace(from, to);
  if (next === text) throw new Error(`no change in ${path}`);
  writeFileSync(file, next);
}

interface JsonRule {
  id: string;
  status: string;
  findings: { message: string; fix?: string; code?: string; fingerprint?: string }[];
}
interface JsonReport {
  schemaVersion: number;
  command: string;
  ok: boolean;
  summary: { manifests: number; ok: number; notOk: number };
  manifests: {
    file: string;
    ok: boolean;
    readyThrough: string | null;
    invalid?: { code: string }[];
    phases: { phase: string; ready: boolean; passed: number; total: number; rules: JsonRule[] }[];
    values: { id: string; observed?: number; status: string }[];
    waivers: { id?: string; rule: string; status: string; approver?: string; daysLeft?: number }[];
  }[];
}

async function checkJson(
  dir: string,
  args: string[] = [],
): Promise<{ code: number; json: JsonReport }> {
  const r = await runCli(['check', '--format', 'json', ...TODAY, ...args], dir);
  expect(r.stderr).toBe('');
  return { code: r.code, json: JSON.parse(r.stdout) as JsonReport };
}

function failingIds(json: JsonReport, phase: string, index = 0): string[] {
  return json.manifests[index]!.phases.find((p) => p.phase === phase)!
    .rules.filter((r) => r.status === 'fail')
    .map((r) => r.id);
}

describe('mlops check', () => {
  it('shows a ready model as a small table and exits 0', async () => {
    const dir = readyRepo();
    const r = await runCli(['check', ...TODAY], dir);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(
      'models/lead/mlops.yaml  lead-scoring  (tier medium, status monitor)',
    );
    expect(r.stdout).toMatch(
      /envision\s+11\/11\s+ready\n\s+build\s+10\/10\s+ready\n\s+deploy\s+18\/18\s+ready\n\s+monitor\s+9\/9\s+ready/,
    );
    expect(r.stdout).toMatch(/conversion\s+10 → 14 → 12\.2\s+at risk/);
    expect(r.stdout).toContain('✔ meets its status monitor');
  });

  it('tells untracked, modified and missing evidence apart with the fix for each', async () => {
    const dir = readyRepo();
    git(dir, ['rm', '-q', '--cached', 'models/lead/docs/dpia.md']);
    git(dir, ['commit', '-q', '-m', 'untrack dpia']);
    writeFiles(dir, { 'models/lead/docs/threat-model.md': '# changed\n' });
    rmSync(join(dir, 'models/lead/docs/runbook.md'));
    git(dir, ['rm', '-q', '--cached', 'models/lead/docs/runbook.md']);
    git(dir, ['commit', '-q', '-m', 'drop runbook']);
    const r = await runCli(['check', ...TODAY, '--phase', 'deploy'], join(dir, 'models/lead'));
    expect(r.code).toBe(1);
    expect(r.stdout).toContain(
      'DPIA: docs/dpia.md exists but is not committed\n        → commit it: `git add docs/dpia.md && git commit -m "Add evidence of lead-scoring"`',
    );
    // every file a commit makes count, each once, in the command of each such finding
    expect(r.stdout).toContain(
      'runbook: docs/runbook.md does not exist\n        → create docs/runbook.md and commit it (`git add docs/runbook.md docs/dpia.md && git commit -m "Add evidence of lead-scoring"`), or correct the path in the manifest',
    );
    expect(r.stdout).toContain('threat model: docs/threat-model.md has uncommitted changes');
    expect(r.stdout).toContain('runbook: docs/runbook.md does not exist');
    expect(r.stdout).toContain('✖ not ready for deploy');
    const verbose = await runCli(
      ['check', '--verbose', ...TODAY, '--phase', 'deploy'],
      join(dir, 'models/lead'),
    );
    expect(verbose.stdout).toContain(
      '✖ D1  Data protection\n        why: Processing personal data at scale, and automated decisions about people, need their risks to those people assessed before the processing starts. (GDPR, Art. 35 (data protection impact assessment))',
    );
  });

  it('refuses evidence that leaves the repository through .. or a symlink, and reads neither', async () => {
    const dir = readyRepo();
    const outside = tempDir();
    writeFileSync(join(outside, 'metrics.json'), JSON.stringify({ metrics: { roc_auc: 0.99 } }));
    symlinkSync(join(outside, 'metrics.json'), join(dir, 'models/lead/reports/linked.json'));
    git(dir, ['add', 'models/lead/reports/linked.json']);
    edit(
      dir,
      M,
      '{ id: auc, metric: roc_auc, min: 0.7, phases: [build], evidence: reports/metrics.json }',
      '{ id: auc, metric: roc_auc, min: 0.7, phases: [build], evidence: reports/linked.json }',
    );
    edit(dir, M, 'modelCard: docs/model-card.md', 'modelCard: ../../../outside.md');
    commitAll(dir, 'escape');
    const { code, json } = await checkJson(dir, ['--phase', 'build']);
    expect(code).toBe(1);
    const g1 = json.manifests[0]!.phases[1]!.rules.find((r) => r.id === 'G1')!;
    expect(g1.findings.map((f) => f.message)).toEqual([
      `guardrail \`auc\`: models/lead/reports/linked.json is a symbolic link to ${join(outside, 'metrics.json')}, outside the repository; it was not read`,
      'model card: evidence path "../../../outside.md" leads outside the repository; it was not read',
    ]);
    expect(failingIds(json, 'build')).toEqual(['G1', 'G3', 'B3', 'B4']);
  });

  it('reports a stale approval after the section is edited, with the command to re-approve', async () => {
    const dir = readyRepo();
    edit(
      dir,
      M,
      'rationale: Best conversion in the backtest.',
      'rationale: Best conversion in the backtest at a lower cost.',
    );
    commitAll(dir, 'reword');
    const r = await runCli(['check', ...TODAY], dir);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain(
      'the approval by head-sales (decision_maker) on 2026-06-01 is stale: the build section changed since it was approved',
    );
    // the commit that holds the approval: the one before the reword
    const signed = git(dir, ['log', '--format=%h', '--skip=1', '-1', '--', M]).trim();
    expect(r.stdout).toContain(
      `→ see what changed since it was approved in commit ${signed}: \`mlops diff ${signed} -- ${M}\`; then sign it off again and commit it: \`mlops approve ${M} --phase build --by head-sales\``,
    );
    const since = await runCli(['diff', signed, '--', M], dir);
    expect(since.stdout).toMatch(/selected.*rationale/);
    const approve = await runCli(
      ['approve', M, '--phase', 'build', '--by', 'head-sales', '--date', '2026-11-26'],
      dir,
    );
    expect(approve.code).toBe(0);
    // recorded, not committed yet: it does not count until the approver commits it
    expect((await runCli(['check', ...TODAY], dir)).code).toBe(1);
    commitAll(dir, 'sign off again');
    expect((await runCli(['check', ...TODAY], dir)).code).toBe(0);
  });

  it('counts an approved waiver through its expiry day, and shows it as expired after', async () => {
    const dir = readyRepo();
    // who records approvals is not the point here: anyone may
    writeFiles(dir, {
      'mlops.config.yaml': 'apiVersion: mlops/v1\nkind: Config\napprovals:\n  identity: recorded\n',
    });
    edit(dir, M, '    - { valueMetric: conversion, design: ab_test }\n', '    []\n');
    writeFileSync(
      join(dir, M),
      readFileSync(join(dir, M), 'utf8').replace(
        'valueMeasurement:\n    []',
        'valueMeasurement: []',
      ),
    );
    const waiver = {
      id: 'waive-d4-conversion',
      rule: 'D4',
      target: 'conversion',
      reason: 'Plan agreed with finance next week.',
      owner: 'pm',
      expires: '2026-11-30',
    };
    edit(
      dir,
      M,
      /\napprovals:/,
      `\nwaivers:\n  - ${flow(waiver)}\n\napprovals:\n  - ${flow({
        id: 'waive-d4-conversion-head-sales-2026-11-21',
        waiver: waiver.id,
        role: 'decision_maker',
        by: 'head-sales',
        decision: 'approved',
        date: '2026-11-21',
        digest: digestOf(waiver),
      })}`,
    );
    commitAll(dir, 'waive D4', '2026-11-21T12:00:00Z');
    const d4 = (json: JsonReport) =>
      json.manifests[0]!.phases[2]!.rules.find((r) => r.id === 'D4')!.status;
    const before = await checkJson(dir, ['--phase', 'deploy']);
    expect(d4(before.json)).toBe('waived');
    expect(before.json.manifests[0]!.waivers[0]).toMatchObject({
      id: 'waive-d4-conversion',
      status: 'in_force',
      approver: 'head-sales',
      daysLeft: 3,
    });
    const last = await checkJson(dir, ['--phase', 'deploy', '--today', '2026-11-30']);
    expect(d4(last.json)).toBe('waived');
    const after = await checkJson(dir, ['--phase', 'deploy', '--today', '2026-12-01']);
    expect(d4(after.json)).toBe('fail');
    expect(after.json.manifests[0]!.waivers[0]).toMatchObject({ status: 'expired' });
    const r = await runCli(['check', '--today', '2026-12-01', '--phase', 'deploy'], dir);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain(
      'waiver waive-d4-conversion (D4, target conversion) is not in force: it expired on 2026-11-30 (today is 2026-12-01)',
    );
    expect(r.stdout).toContain(
      'waive-d4-conversion (D4 conversion)  not in force: it expired on 2026-11-30',
    );
  }, 60_000);

  it('judges freshness (M2) against --today', async () => {
    const dir = readyRepo();
    expect((await runCli(['check', '--today', '2026-11-27', '--phase', 'monitor'], dir)).code).toBe(
      0,
    );
    const late = await runCli(['check', '--today', '2026-11-28', '--phase', 'monitor'], dir);
    expect(late.code).toBe(1);
    expect(late.stdout).toContain(
      'drift check `score-drift`: models/lead/reports/live.json was last committed on 2026-11-20, 8 days before 2026-11-28; the weekly cadence allows 7',
    );
  });

  it('reads the last missesToTrigger committed versions of value tracking (M3)', async () => {
    const dir = readyRepo();
    edit(
      dir,
      M,
      '    evidence: reports/value.json\n',
      '    evidence: reports/value.json\n    missesToTrigger: 2\n',
    );
    commitFiles(
      dir,
      { 'models/lead/reports/value.json': '{"metrics":{"conversion":10.5}}' },
      'october',
      '2026-11-21T12:00:00Z',
    );
    const once = await checkJson(dir, ['--phase', 'monitor']);
    expect(once.code).toBe(0);
    expect(once.json.manifests[0]!.phases[3]!.rules.find((r) => r.id === 'M3')!.status).toBe(
      'warning',
    );
    commitFiles(
      dir,
      { 'models/lead/reports/value.json': '{"metrics":{"conversion":10.9}}' },
      'november',
      '2026-11-22T12:00:00Z',
    );
    const twice = await checkJson(dir, ['--phase', 'monitor']);
    expect(twice.code).toBe(1);
    const m3 = twice.json.manifests[0]!.phases[3]!.rules.find((r) => r.id === 'M3')!;
    expect(m3.findings[0]!.message).toContain('baseline 10 -> target 14 -> observed 10.9, 10.5');
    expect(twice.json.manifests[0]!.values[0]).toMatchObject({
      id: 'conversion',
      observed: 10.9,
      status: 'failing',
    });
  });

  it('holds each manifest to its status without --phase, and reports several with a summary', async () => {
    const dir = readyRepo();
    cpSync(join(dir, 'models/lead'), join(dir, 'models/early'), { recursive: true });
    edit(dir, 'models/early/mlops.yaml', 'name: lead-scoring', 'name: early-model');
    edit(dir, 'models/early/mlops.yaml', 'status: monitor', 'status: build');
    edit(dir, 'models/early/mlops.yaml', '    - { id: rules, baseline: true }\n', '');
    // and the value evaluation of the candidate that is gone, which would refer to nothing
    edit(dir, 'models/early/mlops.yaml', /^    - \{ id: rules-value, .*\n/m, '');
    commitAll(dir, 'second model', '2026-11-20T12:00:00Z');
    const r = await runCli(['check', ...TODAY], dir);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('✔ 2 of 2 manifests meet their status');
    const gate = await runCli(['check', ...TODAY, '--phase', 'build'], dir);
    expect(gate.code).toBe(1);
    expect(gate.stdout).toContain('✖ 1 of 2 manifests ready for build; not: early-model');
    edit(dir, 'models/early/mlops.yaml', 'status: build', 'status: deploy');
    expect((await runCli(['check', ...TODAY], dir)).code).toBe(1);
  });

  it('reports a manifest that does not validate as not ready, without crashing', async () => {
    const dir = readyRepo();
    commitFiles(
      dir,
      {
        'models/broken/mlops.yaml':
          'apiVersion: mlops/v1\nkind: ModelManifest\nmetadata: { name: broken }\n',
      },
      'broken',
    );
    const { code, json } = await checkJson(dir);
    expect(code).toBe(1);
    const broken = json.manifests.find((m) => m.file === 'models/broken/mlops.yaml')!;
    expect(broken.ok).toBe(false);
    expect(broken.invalid?.length).toBeGreaterThan(0);
    const text = await runCli(['check', ...TODAY, 'models/broken'], dir);
    expect(text.stdout).toContain('invalid manifest: nothing was judged');
    expect(text.stdout).toContain('run: mlops validate models/broken/mlops.yaml');
    const sarif = JSON.parse(
      (await runCli(['check', ...TODAY, '--format', 'sarif', 'models/broken'], dir)).stdout,
    ) as {
      runs: { tool: { driver: { rules: { id: string }[] } }; results: { ruleId: string }[] }[];
    };
    expect(sarifErrors(sarif)).toEqual([]);
    const run = sarif.runs[0]!;
    expect(run.results.length).toBe(broken.invalid!.length);
    for (const x of run.results) {
      expect(x.ruleId).toMatch(/^[A-Z_]+$/);
      expect(run.tool.driver.rules.map((r) => r.id)).toContain(x.ruleId);
    }
  });
});

describe('mlops check: the repository-level pass of validate', () => {
  it('judges neither of two manifests with one name, and its hint shows the finding again', async () => {
    const dir = readyRepo();
    cpSync(join(dir, 'models/lead'), join(dir, 'models/copy'), { recursive: true });
    commitAll(dir, 'a copy under the same name');
    const { code, json } = await checkJson(dir);
    expect(code).toBe(1);
    for (const file of [M, 'models/copy/mlops.yaml']) {
      const m = json.manifests.find((x) => x.file === file)!;
      expect(m.ok).toBe(false);
      expect(m.invalid?.map((f) => f.code)).toEqual(['DUPLICATE_NAME']);
    }
    const text = await runCli(['check', ...TODAY], dir);
    const hint = /run: (mlops validate models\/copy\/mlops\.yaml [^\n]*)/.exec(text.stdout)?.[1];
    expect(hint).toBe('mlops validate models/copy/mlops.yaml models/lead/mlops.yaml');
    // following it as written shows the same finding
    const followed = await runCli(hint!.split(' ').slice(1).concat('--format', 'json'), dir);
    expect(followed.code).toBe(1);
    const codes = (JSON.parse(followed.stdout) as { diagnostics: { code: string }[] }).diagnostics;
    expect(codes.map((d) => d.code)).toEqual(['DUPLICATE_NAME', 'DUPLICATE_NAME']);
  });
});

describe('mlops check formats', () => {
  it('json: one envelope on stdout with phases, rules, values', async () => {
    const dir = readyRepo();
    const path = 'models/lead/reports/metrics.json';
    writeFileSync(
      join(dir, path),
      readFileSync(join(dir, path), 'utf8').replace('"roc_auc": 0.78', '"roc_auc": 0.61'),
    );
    commitAll(dir, 'worse auc', '2026-11-20T12:00:00Z');
    const { code, json } = await checkJson(dir);
    expect(code).toBe(1);
    expect(json).toMatchObject({
      schemaVersion: 1,
      command: 'check',
      ok: false,
      summary: { manifests: 1, ok: 0, notOk: 1 },
    });
    expect(json.manifests[0]).toMatchObject({ file: M, ok: false, readyThrough: 'envision' });
    // the build approval signed the report as it was: it is stale now, and B3 fails
    expect(failingIds(json, 'build')).toEqual(['G3', 'B3']);
    const b3 = json.manifests[0]!.phases[1]!.rules.find((r) => r.id === 'B3')!.findings[0]!;
    expect(b3).toMatchObject({
      code: 'GUARDRAIL_OUT_OF_BOUNDS',
      severity: 'error',
      message:
        'guardrail `auc`: roc_auc is 0.61 in models/lead/reports/metrics.json#/metrics/roc_auc, below min 0.7',
      at: ['envision', 'trustworthyAI', 'robustReliable', 'guardrails', 0, 'min'],
      args: { id: 'auc', metric: 'roc_auc', value: 0.61, bound: 'min', limit: 0.7 },
      fingerprint: expect.stringMatching(/^[0-9a-f]{16}$/),
    });
    expect(json.manifests[0]!.phases.map((p) => [p.phase, p.passed, p.total])).toEqual([
      ['envision', 11, 11],
      ['build', 8, 10],
      ['deploy', 18, 18],
      ['monitor', 9, 9],
    ]);
  }, 30000);

  it('sarif: rules with help, results pointing at the manifest line of the field', async () => {
    const dir = readyRepo();
    edit(
      dir,
      M,
      'openFindings: { critical: 0, high: 0 }',
      'openFindings: { critical: 2, high: 0 }',
    );
    edit(dir, M, 'status: monitor', 'status: monitor  # in production');
    commitAll(dir, 'critical findings', '2026-11-20T12:00:00Z');
    const r = await runCli(['check', '--format', 'sarif', ...TODAY], dir);
    expect(r.code).toBe(1);
    const log = JSON.parse(r.stdout) as {
      version: string;
      runs: {
        tool: { driver: { rules: { id: string; help: { text: string } }[] } };
        results: {
          ruleId: string;
          level: string;
          message: { text: string };
          locations: {
            physicalLocation: { artifactLocation: { uri: string }; region: { startLine: number } };
          }[];
        }[];
      }[];
    };
    expect(log.version).toBe('2.1.0');
    const run = log.runs[0]!;
    const ids = run.results.map((x) => x.ruleId);
    expect(ids).toContain('D2');
    expect(ids).toContain('G3');
    expect(run.tool.driver.rules.find((x) => x.id === 'D2')!.help.text).toMatch(/threat model/);
    expect(run.tool.driver.rules.map((x) => x.id)).toEqual(
      expect.arrayContaining(['G1', 'G2', 'G3', 'E1', 'E5', 'B1', 'B4', 'D1', 'D4', 'M1', 'M4']),
    );
    for (const x of run.results)
      expect(run.tool.driver.rules[(x as unknown as { ruleIndex: number }).ruleIndex]!.id).toBe(
        x.ruleId,
      );
    const d2 = run.results.find((x) => x.ruleId === 'D2')!;
    const lines = readFileSync(join(dir, M), 'utf8').split('\n');
    const line = d2.locations[0]!.physicalLocation.region.startLine;
    expect(lines[line - 1]).toContain('openFindings: { critical: 2');
    expect(d2.locations[0]!.physicalLocation.artifactLocation.uri).toBe(M);
    expect(d2.level).toBe('error');
    expect(sarifErrors(log)).toEqual([]);
    const prints = run.results.map(
      (x) => (x as { partialFingerprints?: Record<string, string> }).partialFingerprints,
    );
    for (const p of prints) expect(p?.['mlops/v1']).toMatch(/^[0-9a-f]{16}$/);
    expect(new Set(prints.map((p) => p?.['mlops/v1'])).size).toBe(prints.length);
    const again = JSON.parse(
      (await runCli(['check', '--format', 'sarif', ...TODAY], dir)).stdout,
    ) as typeof log;
    expect(again.runs[0]!.results).toEqual(run.results);
  });

  it('github: workflow annotations for the phases a model is held to', async () => {
    const dir = readyRepo();
    edit(
      dir,
      M,
      'openFindings: { critical: 0, high: 0 }',
      'openFindings: { critical: 2, high: 0 }',
    );
    commitAll(dir, 'critical findings', '2026-11-20T12:00:00Z');
    const r = await runCli(['check', '--format', 'github', ...TODAY], dir);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(
      /^::error file=models\/lead\/mlops\.yaml,line=\d+,col=\d+,title=mlops check D2%3A Security review::deploy: 2 open critical security findings \(close them, then set `deploy\.securityReview\.openFindings\.critical` to `0`\)$/m,
    );
  });

  it('markdown: a table of models by phases with the details folded', async () => {
    const dir = readyRepo();
    edit(dir, M, '    - { valueMetric: conversion, design: ab_test }\n', '');
    edit(dir, M, 'valueMeasurement:\n', 'valueMeasurement: []\n');
    const r = await runCli(['check', '--format', 'markdown', ...TODAY], dir);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('| model | tier | status | envision | build | deploy | monitor |');
    expect(r.stdout).toContain(
      '| lead-scoring | medium | monitor | ✅ 11/11 | ✅ 10/10 | ❌ 16/18 | ⏸️ 9/9 |',
    );
    expect(r.stdout).toMatch(
      /<details><summary>❌ <code>models\/lead\/mlops\.yaml<\/code>: claims monitor but deploy is not ready/,
    );
    expect(r.stdout).toContain('**D4** Value measurement planned');
    expect(r.stdout).toContain('</details>');
  });
});

describe('mlops check usage errors', () => {
  it('exits 2 on a --today that is not a date', async () => {
    const dir = readyRepo();
    const r = await runCli(['check', '--today', '2026-02-30'], dir);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--today "2026-02-30" is not a date');
    expect(r.stdout).toBe('');
  });

  it('exits 2 outside a git repository, with a hint', async () => {
    const dir = tempDir();
    cpSync(FIXTURE, dir, { recursive: true });
    const r = await runCli(['check', ...TODAY], dir);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/not a git repository/);
    expect(r.stderr).toMatch(/hint: mlops check judges evidence committed to git/);
  });
});
