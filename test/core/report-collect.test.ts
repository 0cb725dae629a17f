// The data of `mlops report` (src/core/report/collect.ts): page names, and what a model's page
// shows of its approvals, waivers, value and findings, judged as `mlops check` judges them.
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { describe, expect, it, vi } from 'vitest';
import { digestOf } from '../../src/core/digest.js';
import { pageNames, slugOf } from '../../src/core/report/pages.js';
import type { ModelData, ReportData } from '../../src/core/report/model.js';
import { runCli } from '../helpers/cli.js';
import { git, gitDir } from '../helpers/gitdir.js';

vi.setConfig({ testTimeout: 60_000 });

const EXAMPLES = new URL('../../examples/', import.meta.url).pathname;
const M = 'churn/mlops.yaml';

describe('page names', () => {
  it('are the name in lowercase letters, digits and dashes; another character is a dash', () => {
    expect(slugOf('churn-propensity')).toBe('churn-propensity');
    expect(slugOf('Churn Model v2')).toBe('churn-model-v2');
    expect(slugOf('../../etc/passwd')).toBe('------etc-passwd');
    expect(slugOf('a\\b/c.d')).toBe('a-b-c-d');
    expect(slugOf('модель')).toBe('------');
    expect(slugOf('')).toBe('model');
    expect(slugOf(undefined)).toBe('model');
    expect(slugOf('x'.repeat(500)).length).toBe(80);
  });

  it('are unique in file order: -2, -3, never a name taken', () => {
    expect(pageNames(['a', 'A', 'a', undefined, '', 'a-2'])).toEqual([
      'models/a.html',
      'models/a-2.html',
      'models/a-3.html',
      'models/model.html',
      'models/model-2.html',
      'models/a-2-2.html',
    ]);
    for (const page of pageNames(['..', '/', '.', 'con', 'A/../b']))
      expect(page).toMatch(/^models\/[a-z0-9-]+\.html$/);
  });
});

/** Appends YAML to the churn manifest. */
function append(dir: string, text: string): void {
  writeFileSync(join(dir, M), `${readFileSync(join(dir, M), 'utf8')}${text}`);
}

const approval = (fields: Record<string, string>): string =>
  `  - ${Object.entries(fields)
    .map(([k, v]) => `${k}: ${JSON.stringify(v)}`)
    .join('\n    ')}\n`;

async function reportOf(dir: string): Promise<ReportData> {
  const r = await runCli(['report', '--format', 'json', '--today', '2026-11-30'], dir);
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
  return JSON.parse(r.stdout) as ReportData;
}

describe('a model on its page', () => {
  it('has every approval on its timeline with why it counts or not, and its waivers', async () => {
    const dir = gitDir();
    cpSync(EXAMPLES, dir, { recursive: true });
    const ZERO = `sha256:${'0'.repeat(64)}`;
    append(
      dir,
      [
        // an earlier decision of the same role and phase, replaced by the one that counts
        approval({
          id: 'envision-cco-2026-10-01',
          phase: 'envision',
          role: 'decision_maker',
          by: 'cco',
          decision: 'approved',
          date: '2026-10-01',
          digest: ZERO,
        }),
        // dated after the day judged
        approval({
          id: 'deploy-cco-2026-12-15',
          phase: 'deploy',
          role: 'decision_maker',
          by: 'cco',
          decision: 'approved',
          date: '2026-12-15',
          digest: ZERO,
        }),
        // a role whose sign-off no phase needs
        approval({
          id: 'build-ds-lead-2026-11-30',
          phase: 'build',
          role: 'data_science',
          by: 'ds-lead',
          decision: 'approved',
          date: '2026-11-30',
          digest: ZERO,
        }),
      ].join('') +
        [
          'waivers:',
          '  - id: live-report-late',
          '    rule: M2',
          '    target: disparate-impact-live',
          '    reason: The live report moves to the new data platform.',
          '    owner: model-risk',
          '    expires: "2026-12-10"',
          '  - id: never-approved',
          '    rule: M2',
          '    target: reason-codes-live',
          '    reason: Nobody signed this one.',
          '    owner: model-risk',
          '    expires: "2026-12-20"',
          '',
        ].join('\n'),
    );
    const data = parse(readFileSync(join(dir, M), 'utf8')) as {
      waivers: { id: string }[];
      approvals: unknown[];
    };
    const waiver = data.waivers.find((w) => w.id === 'live-report-late');
    // the waivers: list follows approvals, so the sign-off of the waiver goes in a second file edit
    const text = readFileSync(join(dir, M), 'utf8').replace(
      '\nwaivers:\n',
      `\n${approval({
        id: 'live-report-late-model-risk-2026-11-30',
        waiver: 'live-report-late',
        role: 'risk_2nd_line',
        by: 'model-risk',
        decision: 'approved',
        date: '2026-11-30',
        digest: digestOf(waiver),
      })}waivers:\n`,
    );
    writeFileSync(join(dir, M), text);
    git(dir, ['add', '-A']);
    git(dir, ['commit', '-q', '-m', 'examples'], {
      GIT_AUTHOR_DATE: '2026-11-20T12:00:00Z',
      GIT_COMMITTER_DATE: '2026-11-20T12:00:00Z',
    });
    // the runbook changes after the deploy sign-offs: they are stale
    writeFileSync(
      join(dir, 'churn/docs/runbook.md'),
      `${readFileSync(join(dir, 'churn/docs/runbook.md'), 'utf8')}\nOne more step.\n`,
    );
    git(dir, ['commit', '-q', '-am', 'runbook']);

    const churn = (await reportOf(dir)).models.find((m) => m.name === 'churn-propensity')!;
    const byId = new Map(churn.timeline.map((e) => [e.id, e]));
    expect(byId.get('envision-cco-2026-10-01')!.status).toBe('superseded');
    expect(byId.get('envision-cco-2026-11-30')!.status).toBe('current');
    expect(byId.get('deploy-cco-2026-12-15')!.status).toBe('future');
    expect(byId.get('build-ds-lead-2026-11-30')).toMatchObject({
      status: 'not_required',
      by: 'ds-lead',
      name: 'Tomasz Wójcik',
      role: 'data_science',
    });
    expect(byId.get('deploy-cco-2026-11-30')).toMatchObject({
      subject: 'deploy',
      status: 'stale',
      detail: 'evidence changed since it was signed: churn/docs/runbook.md',
    });
    expect(byId.get('build-model-risk-2026-11-30')!.detail).toMatch(/^conditions: Age-band/);
    expect(byId.get('live-report-late-model-risk-2026-11-30')).toMatchObject({
      kind: 'approval',
      subject: 'waiver live-report-late',
      status: 'current',
    });
    // approvals in the order decided, then the waivers
    const approvals = churn.timeline.filter((e) => e.kind === 'approval');
    expect(approvals[0]!.id).toBe('envision-cco-2026-10-01');
    expect(approvals.at(-1)!.id).toBe('deploy-cco-2026-12-15');
    expect(churn.timeline.filter((e) => e.kind === 'waiver')).toEqual([
      {
        kind: 'waiver',
        id: 'live-report-late',
        subject: 'M2 disparate-impact-live',
        by: 'model-risk',
        date: '2026-12-10',
        status: 'in_force',
        daysLeft: 10,
        detail: 'The live report moves to the new data platform.',
      },
      {
        kind: 'waiver',
        id: 'never-approved',
        subject: 'M2 reason-codes-live',
        by: 'model-risk',
        date: '2026-12-20',
        status: 'unapproved',
        detail: 'Nobody signed this one.',
      },
    ]);
    expect(churn.approvalCounts).toEqual({ current: 5, stale: 2, other: 3 });
    expect(churn.waiverCounts).toEqual({ inForce: 1, expiring: 1, notInForce: 1 });
    // the stale deploy sign-offs fail G3 in deploy; its finding says how to sign again
    const stale = churn.findings.filter((f) => f.rule === 'G3' && f.severity === 'error');
    expect(stale.length).toBeGreaterThan(0);
    expect(stale[0]!.fix).toContain('mlops approve churn/mlops.yaml --phase deploy');
    expect(churn.readiness.find((p) => p.phase === 'deploy')!.ready).toBe(false);
  });

  it('stands as the worst of its value metrics; its findings in the words check prints', async () => {
    const dir = gitDir();
    cpSync(EXAMPLES, dir, { recursive: true });
    git(dir, ['add', '-A']);
    git(dir, ['commit', '-q', '-m', 'examples'], {
      GIT_AUTHOR_DATE: '2026-11-20T12:00:00Z',
      GIT_COMMITTER_DATE: '2026-11-20T12:00:00Z',
    });
    // evidence changed and not committed: G1 fails, and says how to commit it
    writeFileSync(join(dir, 'forecast/docs/datasheet-store-sales.md'), 'changed\n');
    const forecast: ModelData = (await reportOf(dir)).models.find(
      (m) => m.name === 'store-demand-forecast',
    )!;
    // one metric at risk, one not observed
    expect(forecast.value).toEqual({
      standing: 'at_risk',
      onTrack: 0,
      atRisk: 1,
      failing: 0,
      unknown: 1,
    });
    const modified = forecast.findings.filter((f) => f.code === 'EVIDENCE_MODIFIED');
    expect(modified.map((f) => [f.severity, f.rule, f.phase])).toEqual([
      ['error', 'G1', 'build'],
      ['error', 'G1', 'build'],
    ]);
    expect(modified[0]!.fix).toContain('git add forecast/docs/datasheet-store-sales.md');
    // every error and warning check prints, with its fix, and nothing else (infos stay out)
    const text = (await runCli(['check', 'forecast', '--verbose', '--today', '2026-11-30'], dir))
      .stdout;
    for (const f of forecast.findings) {
      expect(['error', 'warning']).toContain(f.severity);
      expect(text).toContain(f.message);
      if (f.fix) expect(text).toContain(`→ ${f.fix}`);
    }
  });
});
