import { cpSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runBin } from '../helpers/bin.js';
import { git, gitDir } from '../helpers/gitdir.js';

const EXAMPLES = new URL('../../examples/', import.meta.url).pathname;

/** The bundled examples committed to a fresh repository, with today's date as the commit date. */
function examplesRepo(): string {
  const dir = gitDir();
  cpSync(EXAMPLES, join(dir, 'examples'), { recursive: true });
  git(dir, ['add', '.']);
  git(dir, ['commit', '-q', '-m', 'examples'], {
    GIT_AUTHOR_DATE: '2026-11-24T09:00:00Z',
    GIT_COMMITTER_DATE: '2026-11-24T09:00:00Z',
  });
  return dir;
}

interface Json {
  ok: boolean;
  manifests: {
    name: string;
    readyThrough: string | null;
    phases: { phase: string; ready: boolean; rules: { id: string; status: string }[] }[];
  }[];
}

describe('the bundled examples', () => {
  it('churn is ready through monitor: value, live guardrails, drift and governance all hold', () => {
    const dir = examplesRepo();
    const r = runBin(['check', 'examples/churn', '--phase', 'monitor'], dir);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    // each phase ready (the approvals, counted as recorded, are noted under each)
    for (const line of [
      /envision\s+11\/11\s+ready\n/,
      /build\s+10\/10\s+ready\n/,
      /deploy\s+18\/18\s+ready\n/,
      /monitor\s+9\/9\s+ready\n/,
    ])
      expect(r.stdout).toMatch(line);
    expect(r.stdout).toContain('✔ ready for monitor');
    // the examples are judged at the date their config pins, whatever the calendar says
    expect(r.stdout).toContain(
      'judged at 2026-11-30: the date is pinned by examples/mlops.config.yaml (today)',
    );
    expect(r.stdout).toContain(
      'approvals count as recorded, whoever recorded them: approvals.identity is recorded in examples/mlops.config.yaml',
    );
  });

  it('forecast is not ready for build, for B2, B3 and B4 (with the model card missing under G1)', () => {
    const dir = examplesRepo();
    const r = runBin(['check', 'examples/forecast', '--phase', 'build', '--format', 'json'], dir);
    expect(r.code).toBe(1);
    const json = JSON.parse(r.stdout) as Json;
    const forecast = json.manifests[0]!;
    expect(forecast.name).toBe('store-demand-forecast');
    expect(forecast.readyThrough).toBe('envision');
    const build = forecast.phases.find((p) => p.phase === 'build')!;
    expect(build.ready).toBe(false);
    expect(build.rules.filter((x) => x.status === 'fail').map((x) => x.id)).toEqual([
      'G1',
      'B2',
      'B3',
      'B4',
    ]);
    const text = runBin(['check', 'examples/forecast', '--phase', 'build'], dir);
    expect(text.stdout).toContain('value metric `stockout-rate` has no evaluation of kind value');
    expect(text.stdout).toContain(
      'guardrail `mape-ceiling`: mape is 0.342 in examples/forecast/reports/backtest.json#/metrics/mape, above max 0.3',
    );
    expect(text.stdout).toContain(
      'model card: examples/forecast/docs/model-card.md does not exist',
    );
  });

  it('both examples meet the status they claim, and the summary says so', () => {
    const dir = examplesRepo();
    const r = runBin(['check'], dir);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('✔ 2 of 2 manifests meet their status');
  });
});
