// `mlops report --format json` through the built CLI, in temporary repositories: the value of a
// model at every committed version of its value-tracking evidence, dated by git, the live
// guardrail evidence over time, invalid manifests reported beside complete ones, the same data
// from the same inputs, and the refusals (a bad flag, a shallow clone, no repository).
import { cpSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { describe, expect, it, vi } from 'vitest';
import type { ModelData, ReportData } from '../../src/core/report/model.js';
import { runBin } from '../helpers/bin.js';
import { commitFiles, git, gitDir, tempDir } from '../helpers/gitdir.js';

// each case builds a repository and runs the CLI
vi.setConfig({ testTimeout: 120_000 });

const EXAMPLES = new URL('../../examples/', import.meta.url).pathname;
const SCHEMA = JSON.parse(
  readFileSync(new URL('../../schemas/mlops.report.v1.schema.json', import.meta.url), 'utf8'),
) as object;
const validateReport = new Ajv2020({ allErrors: true }).compile(SCHEMA);

const VT = 'churn/reports/value-tracking.json';
const LIVE = 'churn/reports/guardrails-live.json';

/** The churn example's value-tracking report with these observed values (revenue left out: undefined). */
function valueTracking(revenue: number | undefined, churn: number): string {
  const base = JSON.parse(
    readFileSync(join(EXAMPLES, 'churn/reports/value-tracking.json'), 'utf8'),
  ) as {
    valueMetrics: Record<string, { observed: number }>;
    metrics: Record<string, number | undefined>;
  };
  base.valueMetrics['churn-rate']!.observed = churn;
  base.metrics['churn-rate'] = churn;
  if (revenue === undefined) {
    delete base.valueMetrics['retention-revenue'];
    delete base.metrics['retention-revenue'];
  } else {
    base.valueMetrics['retention-revenue']!.observed = revenue;
    base.metrics['retention-revenue'] = revenue;
  }
  return `${JSON.stringify(base, null, 2)}\n`;
}

/** The churn example's live guardrail report with this disparate impact ratio. */
function live(ratio: number): string {
  const base = JSON.parse(
    readFileSync(join(EXAMPLES, LIVE.replace('churn/', 'churn/')), 'utf8'),
  ) as {
    metrics: Record<string, number>;
  };
  base.metrics.disparate_impact_ratio = ratio;
  return `${JSON.stringify(base, null, 2)}\n`;
}

/** The committed versions of the value report, oldest first: one does not parse, one has no revenue. */
const VERSIONS: { date: string; revenue?: number; churn?: number; text: string }[] = [
  { date: '2026-06-01', revenue: 430, churn: 1.85, text: valueTracking(430, 1.85) },
  { date: '2026-07-01', revenue: 455, churn: 1.82, text: valueTracking(455, 1.82) },
  { date: '2026-08-01', text: '{ "metrics": ' },
  { date: '2026-09-01', churn: 1.78, text: valueTracking(undefined, 1.78) },
  { date: '2026-10-01', revenue: 520, churn: 1.76, text: valueTracking(520, 1.76) },
  { date: '2026-11-01', revenue: 536, churn: 1.74, text: valueTracking(536, 1.74) },
];

/**
 * The two examples in a repository, the churn value report committed once per version (dated
 * by GIT_COMMITTER_DATE), the live guardrail report twice. Returns the commit of each version.
 */
function exampleRepo(): { repo: string; commits: string[]; liveCommits: string[] } {
  const repo = gitDir();
  cpSync(EXAMPLES, repo, { recursive: true });
  const [first, ...rest] = VERSIONS;
  writeFileSync(join(repo, VT), first!.text);
  writeFileSync(join(repo, LIVE), live(0.84));
  git(repo, ['add', '-A']);
  const at = `${first!.date}T12:00:00Z`;
  git(repo, ['commit', '-q', '-m', 'the examples'], {
    GIT_AUTHOR_DATE: at,
    GIT_COMMITTER_DATE: at,
  });
  const commits = [git(repo, ['rev-parse', 'HEAD']).trim()];
  const liveCommits = [commits[0]!];
  for (const v of rest) {
    commits.push(commitFiles(repo, { [VT]: v.text }, `value ${v.date}`, `${v.date}T12:00:00Z`));
    if (v.date === '2026-10-01')
      liveCommits.push(
        commitFiles(repo, { [LIVE]: live(0.861) }, 'live guardrails', '2026-10-02T12:00:00Z'),
      );
  }
  return { repo, commits, liveCommits };
}

function report(
  repo: string,
  args: string[] = [],
): { code: number; stdout: string; stderr: string; data: ReportData } {
  const r = runBin(['report', '--format', 'json', '--today', '2026-11-30', ...args], repo);
  return { ...r, data: (r.code === 0 ? JSON.parse(r.stdout) : undefined) as ReportData };
}

const model = (data: ReportData, name: string): ModelData =>
  data.models.find((m) => m.name === name)!;

describe('mlops report --format json', () => {
  it('draws one point per committed version, oldest first, dated by git; a version without a number is a gap', () => {
    const { repo, commits, liveCommits } = exampleRepo();
    const r = report(repo);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(validateReport(r.data), JSON.stringify(validateReport.errors)).toBe(true);
    expect(r.data).toMatchObject({
      schemaVersion: 1,
      today: '2026-11-30',
      root: '.',
      historyLimit: 60,
    });
    // sorted by file, each with its page
    expect(r.data.models.map((m) => [m.file, m.page])).toEqual([
      ['churn/mlops.yaml', 'models/churn-propensity.html'],
      ['forecast/mlops.yaml', 'models/store-demand-forecast.html'],
    ]);
    const churn = model(r.data, 'churn-propensity');
    const revenue = churn.values.find((v) => v.id === 'retention-revenue')!;
    expect(revenue.history).toEqual(
      VERSIONS.map((v, k) => ({
        commit: commits[k],
        date: v.date,
        ...(v.revenue !== undefined
          ? { value: v.revenue }
          : { gap: v.churn === undefined ? 'unreadable' : 'absent' }),
      })),
    );
    expect(revenue).toMatchObject({
      baseline: 410,
      minimumAcceptable: 480,
      target: 620,
      targetBy: '2027-06-30',
      observed: 536,
      observedFrom: 'monitor',
      source: VT,
    });
    const rate = churn.values.find((v) => v.id === 'churn-rate')!;
    expect(rate.history.map((p) => p.value ?? p.gap)).toEqual([
      1.85,
      1.82,
      'unreadable',
      1.78,
      1.76,
      1.74,
    ]);
    // live guardrail evidence over time, read as the scoreboard reads the current one
    const parity = churn.guardrails.find((g) => g.id === 'disparate-impact-live')!;
    expect(parity).toMatchObject({
      phase: 'monitor',
      observed: 0.861,
      source: LIVE,
      date: '2026-10-02',
    });
    expect(parity.history).toEqual([
      { commit: liveCommits[0], date: '2026-06-01', value: 0.84 },
      { commit: liveCommits[1], date: '2026-10-02', value: 0.861 },
    ]);
    // build lines have no history
    expect(churn.guardrails.find((g) => g.phase === 'build')!.history).toBeUndefined();
    // the verdict is check's: the same phases ready, the same findings
    const check = JSON.parse(
      runBin(['check', '--format', 'json', '--today', '2026-11-30'], repo).stdout,
    ) as { manifests: { file: string; readyThrough: string | null; ok: boolean }[] };
    for (const m of check.manifests) {
      const mine = r.data.models.find((x) => x.file === m.file)!;
      expect([mine.readyThrough ?? null, mine.ok]).toEqual([m.readyThrough, m.ok]);
    }
  });

  it('--history keeps the newest versions; a bad --history or --today exits 2 naming it', () => {
    const { repo, commits } = exampleRepo();
    const r = report(repo, ['--history', '2']);
    expect(r.code).toBe(0);
    expect(r.data.historyLimit).toBe(2);
    const revenue = model(r.data, 'churn-propensity').values.find(
      (v) => v.id === 'retention-revenue',
    )!;
    expect(revenue.history).toEqual([
      { commit: commits[4], date: '2026-10-01', value: 520 },
      { commit: commits[5], date: '2026-11-01', value: 536 },
    ]);
    for (const bad of ['0', '1001', 'many', '2.5', '-3']) {
      const b = runBin(['report', '--format', 'json', '--history', bad], repo);
      expect(b.code).toBe(2);
      expect(b.stdout).toBe('');
      expect(b.stderr).toContain(`--history must be a whole number from 1 to 1000, not "${bad}"`);
      expect(b.stderr).toContain('hint: give how many');
    }
    const d = runBin(['report', '--format', 'json', '--today', '2026-02-30'], repo);
    expect(d.code).toBe(2);
    expect(d.stderr).toContain('--today "2026-02-30" is not a date');
  });

  it('an invalid manifest has its findings and what metadata reads; the others are complete; exit 0', () => {
    const { repo } = exampleRepo();
    // one that does not validate, and two of one name (valid each, invalid together)
    mkdirSync(join(repo, 'broken'));
    writeFileSync(
      join(repo, 'broken/mlops.yaml'),
      readFileSync(join(repo, 'forecast/mlops.yaml'), 'utf8')
        .replace('name: store-demand-forecast', 'name: Broken Model!')
        .replace(/riskTier: \w+/, 'riskTier: hgh'),
    );
    cpSync(join(repo, 'forecast'), join(repo, 'forecast-copy'), { recursive: true });
    git(repo, ['add', '-A']);
    git(repo, ['commit', '-q', '-m', 'more']);
    const r = report(repo);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(validateReport(r.data), JSON.stringify(validateReport.errors)).toBe(true);
    const byFile = new Map(r.data.models.map((m) => [m.file, m]));
    expect([...byFile.keys()]).toEqual([
      'broken/mlops.yaml',
      'churn/mlops.yaml',
      'forecast-copy/mlops.yaml',
      'forecast/mlops.yaml',
    ]);
    const broken = byFile.get('broken/mlops.yaml')!;
    expect(broken.page).toBe('models/broken-model-.html');
    expect(broken.name).toBe('Broken Model!');
    expect(broken.invalid!.map((f) => f.code)).toContain('SCHEMA_ENUM');
    expect(broken.invalid!.find((f) => f.code === 'SCHEMA_ENUM')!.message).toContain('"hgh"');
    expect(broken).toMatchObject({ ok: false, values: [], guardrails: [], timeline: [] });
    // a name two manifests share: both invalid, with unique pages in file order
    const copy = byFile.get('forecast-copy/mlops.yaml')!;
    const original = byFile.get('forecast/mlops.yaml')!;
    for (const m of [copy, original]) {
      expect(m.invalid!.map((f) => f.code)).toEqual(['DUPLICATE_NAME']);
      expect(m.title).toBe('Daily store-SKU demand forecast for automatic replenishment');
    }
    expect([copy.page, original.page]).toEqual([
      'models/store-demand-forecast.html',
      'models/store-demand-forecast-2.html',
    ]);
    // the others are complete
    const churn = byFile.get('churn/mlops.yaml')!;
    expect(churn.invalid).toBeUndefined();
    expect(churn.values.length).toBe(2);
    expect(churn.timeline.length).toBeGreaterThan(0);
    expect(churn.readyThrough).toBe('deploy');
  });

  it('gives the EU AI Act class as it means now: the earlier limited is minimal with Art. 50 duties', () => {
    const { repo } = exampleRepo();
    const forecast = readFileSync(join(repo, 'forecast/mlops.yaml'), 'utf8');
    const variant = (name: string, eu: string): string =>
      forecast
        .replace('name: store-demand-forecast', `name: ${name}`)
        .replace(/^ {4}classification: \w+$/m, eu);
    for (const [dir, name, eu] of [
      ['earlier', 'earlier-shape', '    classification: limited'],
      [
        'current',
        'current-shape',
        '    classification: high\n    legalBasis: { annex: III, point: "4(a)" }\n    art50: true\n    art50Duties: [interaction]\n    gpai: model',
      ],
    ] as const) {
      mkdirSync(join(repo, dir));
      writeFileSync(join(repo, dir, 'mlops.yaml'), variant(name, eu));
    }
    git(repo, ['add', '-A']);
    git(repo, ['commit', '-q', '-m', 'variants']);
    const r = report(repo);
    expect(r.code).toBe(0);
    expect(validateReport(r.data), JSON.stringify(validateReport.errors)).toBe(true);
    expect(model(r.data, 'earlier-shape').euAiAct).toMatchObject({
      classification: 'minimal',
      art50: true,
    });
    expect(model(r.data, 'current-shape').euAiAct).toMatchObject({
      classification: 'high',
      legalBasis: 'Annex III 4(a)',
      art50: true,
      art50Duties: ['interaction'],
      gpai: 'model',
    });
    const site = runBin(['report', '-o', 'site', '--today', '2026-11-30'], repo);
    expect(site.code).toBe(0);
    const page = readFileSync(join(repo, 'site/models/current-shape.html'), 'utf8');
    expect(page).toContain('Annex III 4(a)');
    expect(page).toContain('transparency duties: interaction');
    const earlier = readFileSync(join(repo, 'site/models/earlier-shape.html'), 'utf8');
    expect(earlier).toContain('minimal risk');
    expect(earlier).not.toContain('limited risk');
  });

  it('the same inputs give the same bytes, on standard output and in the file -o names', () => {
    const { repo } = exampleRepo();
    const a = runBin(['report', '-f', 'json', '--today', '2026-11-30'], repo);
    const b = runBin(['report', '-f', 'json', '--today', '2026-11-30'], repo);
    expect(a.code).toBe(0);
    expect(a.stdout).toBe(b.stdout);
    expect(a.stdout.endsWith('}\n')).toBe(true);
    // two-space indent, the keys in the contract's order
    expect(a.stdout.startsWith('{\n  "schemaVersion": 1,\n  "tool": {\n    "name": "mlops",')).toBe(
      true,
    );
    const o = runBin(
      ['report', '-f', 'json', '--today', '2026-11-30', '-o', 'out/portfolio.json'],
      repo,
    );
    expect(o.code).toBe(0);
    expect(o.stdout).toBe('');
    expect(readFileSync(join(repo, 'out/portfolio.json'), 'utf8')).toBe(a.stdout);
  });

  it('refuses a shallow clone with the hint check gives, and a folder outside git', () => {
    const { repo } = exampleRepo();
    const parent = tempDir();
    git(parent, ['clone', '-q', '--depth', '1', `file://${repo}`, 'shallow']);
    const s = runBin(['report', '-f', 'json', '--today', '2026-11-30'], join(parent, 'shallow'));
    expect(s.code).toBe(2);
    expect(s.stdout).toBe('');
    expect(s.stderr).toContain('this is a shallow clone: judging churn/mlops.yaml needs history');
    expect(s.stderr).toContain('git fetch --unshallow');
    // the same refusal as check's
    const c = runBin(['check', '--today', '2026-11-30'], join(parent, 'shallow'));
    expect(c.code).toBe(2);
    expect(c.stderr.split('\n')[1]).toBe(s.stderr.split('\n')[1]);

    const plain = tempDir();
    cpSync(join(EXAMPLES, 'churn'), join(plain, 'churn'), { recursive: true });
    const n = runBin(['report', '-f', 'json'], plain);
    expect(n.code).toBe(2);
    expect(n.stdout).toBe('');
    expect(n.stderr).toMatch(/not a git repository/i);
    expect(n.stderr).toContain('hint: mlops report draws the evidence committed to git');
  });
});
