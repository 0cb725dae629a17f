import { createHash } from 'node:crypto';
import { cpSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { digestOf } from '../../src/core/digest.js';
import { boundEvidence, evidenceDigest } from '../../src/core/evidence-digest.js';
import type { Manifest } from '../../src/core/manifest.js';
import { readYaml } from '../../src/core/manifest/reader.js';
import { runBin } from '../helpers/bin.js';
import { runCli } from '../helpers/cli.js';
import { commitFiles, git, gitDir, tempDir, writeFiles } from '../helpers/gitdir.js';
import { child, readJUnit, testcases } from '../helpers/junit.js';

// git processes spawned in-process (runCli), to count them; the built CLI runs through spawnSync
const spawned = vi.hoisted(() => [] as string[][]);
vi.mock('node:child_process', async (importOriginal) => {
  const original = await importOriginal<typeof import('node:child_process')>();
  return {
    ...original,
    spawn: ((command: string, args: string[], options: object) => {
      spawned.push([command, ...args]);
      return original.spawn(command, args, options);
    }) as typeof original.spawn,
  };
});

const FIXTURE = new URL('../fixtures/check-complete/', import.meta.url).pathname;
const MODEL = 'models/lead';
const MANIFEST = `${MODEL}/mlops.yaml`;
/** No user or system git config. The package's own bin spells hints `npx mlops`. */
const ISOLATED = { GIT_CONFIG_GLOBAL: '/dev/null', GIT_CONFIG_NOSYSTEM: '1' };

/** The build report: the values the guardrails of build read. */
function metrics(values: { di: number; auc: number; coverage: number }): string {
  return `${JSON.stringify(
    {
      metrics: {
        disparate_impact_ratio: values.di,
        roc_auc: values.auc,
        explanation_coverage: values.coverage,
        pii_feature_count: 0,
        invalid_input_acceptance_rate: 0,
        projected_conversion: 13.1,
      },
      candidates: { rules: { projected_conversion: 10.4 } },
    },
    null,
    2,
  )}\n`;
}

/** The live report of the guardrails in monitor. */
const live = (di: number, log = 0.995): string =>
  `${JSON.stringify({ metrics: { disparate_impact_ratio: di, decision_log_completeness: log, 'score-drift': 0.04 } })}\n`;

/** The value-tracking report. */
const value = (conversion: number): string => `${JSON.stringify({ metrics: { conversion } })}\n`;

/**
 * An approval of `phase` as `mlops approve` records it: an id, the digest of the section and
 * the digest of every evidence file the phase binds, as the files are in `dir` now.
 */
function approval(dir: string, text: string, phase: string, date: string): object {
  const manifest = readYaml(text, MANIFEST).data as Manifest;
  const evidence: Record<string, string> = {};
  for (const f of boundEvidence(manifest, MANIFEST, phase as 'build')) {
    const bytes = readFileSync(join(dir, f.repoPath));
    evidence[f.key] = evidenceDigest(f.repoPath, {
      text: bytes.toString('utf8'),
      bytesSha256: createHash('sha256').update(bytes).digest('hex'),
    })!;
  }
  return {
    id: `${phase}-head-sales-${date}`,
    phase,
    role: 'decision_maker',
    by: 'head-sales',
    decision: 'approved',
    date,
    digest: digestOf((manifest as unknown as Record<string, unknown>)[phase]),
    evidence,
  };
}

/** The manifest with its approvals replaced by those given. */
function withApprovals(text: string, approvals: object[]): string {
  const head = text.slice(0, text.indexOf('\napprovals:\n'));
  return `${head}\napprovals:\n${approvals.map((a) => `  - ${JSON.stringify(a)}\n`).join('')}`;
}

/** The manifest as it is in `dir`, signed off in every phase, as of `date`. */
function signAll(dir: string, date: string, phases = ['envision', 'build', 'deploy']): string {
  const text = readFileSync(join(dir, MANIFEST), 'utf8');
  return withApprovals(
    text,
    phases.map((p) => approval(dir, text, p, date)),
  );
}

/**
 * A repository whose model was built with a disparate impact of 0.872, an AUC of 0.812 and an
 * explanation coverage of 0.93, every phase signed off on 2026-11-01 and committed.
 */
function retrainedRepo(extra: (text: string) => string = (t) => t): string {
  const dir = gitDir();
  cpSync(FIXTURE, join(dir, MODEL), { recursive: true });
  writeFiles(dir, {
    [`${MODEL}/reports/metrics.json`]: metrics({ di: 0.872, auc: 0.812, coverage: 0.93 }),
    [MANIFEST]: extra(readFileSync(join(dir, MANIFEST), 'utf8')),
  });
  writeFiles(dir, { [MANIFEST]: signAll(dir, '2026-11-01') });
  git(dir, ['add', '.']);
  git(dir, ['commit', '-q', '-m', 'model 1.0.0, signed off']);
  return dir;
}

function mlops(args: string[], dir: string): { code: number; stdout: string; stderr: string } {
  return runBin(['diff', ...args], dir, ISOLATED);
}

/** The line of the manifest that holds `needle` (1-based). */
function lineOf(dir: string, needle: string): number {
  const lines = readFileSync(join(dir, MANIFEST), 'utf8').split('\n');
  const i = lines.findIndex((l) => l.includes(needle));
  if (i < 0) throw new Error(`the manifest has no "${needle}"`);
  return i + 1;
}

interface JsonChange {
  code: string;
  class: string;
  level: string;
  line?: number;
  old?: unknown;
  new?: unknown;
  item?: Record<string, unknown>;
  bounds?: Record<string, unknown>;
  evidence?: Record<string, unknown>;
  approval?: Record<string, unknown>;
  acknowledged?: { phase: string };
  description: string;
}

function changes(r: { stdout: string }): JsonChange[] {
  return (JSON.parse(r.stdout) as { changes: JsonChange[] }).changes;
}

describe('mlops diff sees evidence', () => {
  it('a retrained model: each moved value with its bounds, the evidence changed, the approval made stale', () => {
    const dir = retrainedRepo();
    commitFiles(
      dir,
      {
        [`${MODEL}/reports/metrics.json`]: metrics({ di: 0.781, auc: 0.751, coverage: 0.97 }),
        [`${MODEL}/docs/model-card.md`]: '# Model card\n\nRetrained on November data.\n',
      },
      'retrain',
    );
    const r = mlops(['HEAD~1', 'HEAD'], dir);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(1);
    const report = `${MODEL}/reports/metrics.json`;
    expect(r.stdout.split('\n').slice(2)).toEqual([
      'lead-scoring  models/lead/mlops.yaml  1.0.0',
      `  ✖ error  breached  guardrail \`parity\` (fairImpartial, build): disparate_impact_ratio 0.872 → 0.781, below min 0.8, in ${report}#/metrics/disparate_impact_ratio`,
      `  ⚠ warn   degraded  guardrail \`auc\` (robustReliable, build): roc_auc 0.812 → 0.751, toward min 0.7, in ${report}#/metrics/roc_auc`,
      `  ⚠ warn   stale     approval \`build-head-sales-2026-11-01\` of build by Head of Sales (\`head-sales\`, decision_maker) on 2026-11-01 is now stale: ${MODEL}/docs/model-card.md, ${report} changed since it was signed`,
      `  ℹ info   evidence  evidence ${MODEL}/docs/model-card.md (model card) changed`,
      `  ℹ info   improved  guardrail \`reasons\` (transparentExplainable, build): explanation_coverage 0.93 → 0.97, away from min 0.9, in ${report}#/metrics/explanation_coverage`,
      `  hint: bring it back within its bounds and commit the new report, or, to accept it, sign off build again (decision_maker): \`npx mlops approve ${MANIFEST} --phase build --by "STAKEHOLDER_ID"\` (STAKEHOLDER_ID: the id of the decision_maker), then commit it from the approver's own git identity: \`git add ${MANIFEST} && git commit -m "Sign off build"\``,
      `  hint: review what changed, then sign it off again: \`npx mlops approve ${MANIFEST} --phase build --by head-sales\`, then commit it from the approver's own git identity: \`git add ${MANIFEST} && git commit -m "Sign off again"\``,
      '',
      '✖ 1 error, 2 warnings, 2 info: 1 of 1 manifest changed',
      '',
    ]);

    const json = mlops(['HEAD~1', 'HEAD', '--format', 'json'], dir);
    expect(json.code).toBe(1);
    const all = changes(json);
    const breached = all.find((c) => c.class === 'breached')!;
    expect(breached).toMatchObject({
      code: 'CHANGE_BREACHED',
      level: 'error',
      old: 0.872,
      new: 0.781,
      item: { kind: 'guardrail', id: 'parity', dimension: 'fairImpartial', phase: 'build' },
      bounds: { min: 0.8 },
      evidence: { path: report, pointer: '/metrics/disparate_impact_ratio' },
      // annotations land on the guardrail's evidence entry in the manifest
      line: lineOf(dir, '{ id: parity,'),
    });
    expect(all.find((c) => c.class === 'degraded')).toMatchObject({
      old: 0.812,
      new: 0.751,
      bounds: { min: 0.7 },
      item: { id: 'auc', metric: 'roc_auc' },
    });
    expect(all.find((c) => c.class === 'stale')).toMatchObject({
      code: 'CHANGE_STALE_APPROVAL',
      level: 'warn',
      approval: {
        id: 'build-head-sales-2026-11-01',
        phase: 'build',
        role: 'decision_maker',
        by: 'head-sales',
        name: 'Head of Sales',
        sectionChanged: false,
        evidence: [`${MODEL}/docs/model-card.md`, report],
      },
    });
    expect(all.find((c) => c.class === 'evidence')).toMatchObject({
      evidence: { path: `${MODEL}/docs/model-card.md`, proves: 'modelCard' },
    });
    // evidence is not the manifest's text: no version bump is asked for
    expect(JSON.parse(json.stdout).findings).toEqual([]);

    // the hint of the stale approval, followed: build signed off again, binding the new report
    const signed = runBin(
      ['approve', MANIFEST, '--phase', 'build', '--by', 'head-sales'],
      dir,
      ISOLATED,
    );
    expect(signed.stderr).toBe('');
    expect(signed.code).toBe(0);
    // not committed yet: the breach is still an error
    const uncommitted = mlops(['HEAD~1'], dir);
    expect(uncommitted.code).toBe(1);
    expect(uncommitted.stdout).not.toContain('acknowledged');
    // committed from the approver's own identity (head-sales is test@example.com, as gitDir)
    git(dir, ['commit', '-q', '-m', 'Sign off build', '--', MANIFEST]);
    const after = mlops(['HEAD~2'], dir);
    expect(after.code).toBe(0);
    expect(after.stdout).not.toContain('stale');
    expect(after.stdout).toContain(
      '⚠ warn   breached  guardrail `parity` (fairImpartial, build): disparate_impact_ratio 0.872 → 0.781',
    );
    expect(after.stdout).toMatch(
      /acknowledged: build signed off by Head of Sales \(decision_maker\)/,
    );
  }, 30_000);

  it('a value that moves toward its bound and stays within it is degraded: 0.872 → 0.801 against min 0.8', () => {
    const dir = retrainedRepo();
    commitFiles(
      dir,
      { [`${MODEL}/reports/metrics.json`]: metrics({ di: 0.801, auc: 0.812, coverage: 0.93 }) },
      'retrain',
    );
    const r = mlops(['HEAD~1', 'HEAD', '--format', 'json'], dir);
    expect(r.code).toBe(0);
    expect(changes(r).map((c) => [c.class, c.old, c.new])).toEqual([
      ['degraded', 0.872, 0.801],
      ['stale', undefined, undefined],
    ]);
  }, 30_000);

  it('a routine monitor refresh inside its bounds never fails a review, and binds no approval', () => {
    const dir = retrainedRepo();
    commitFiles(
      dir,
      {
        [`${MODEL}/reports/live.json`]: live(0.84, 0.997),
        [`${MODEL}/reports/value.json`]: value(12.6),
      },
      'monitor refresh',
    );
    const r = mlops(['HEAD~1', 'HEAD'], dir);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(
      `⚠ warn   degraded  guardrail \`parity\` (fairImpartial, monitor): disparate_impact_ratio 0.88 → 0.84, toward min 0.8, in ${MODEL}/reports/live.json#/metrics/disparate_impact_ratio`,
    );
    expect(r.stdout).toContain(
      `ℹ info   improved  guardrail \`log\` (responsibleAccountable, monitor): decision_log_completeness 0.995 → 0.997, away from min 0.99`,
    );
    expect(r.stdout).toContain(
      `ℹ info   improved  value metric \`conversion\`: observed 12.2 → 12.6, away from the minimum 11; target 14, in ${MODEL}/reports/value.json#/metrics/conversion`,
    );
    expect(r.stdout).not.toContain('stale');
    expect(r.stdout).toContain('⚠ 1 warning, 2 info: 1 of 1 manifest changed');
    // the warning is there for a stricter gate
    expect(mlops(['HEAD~1', 'HEAD', '--fail-on', 'warn'], dir).code).toBe(1);

    // the same reports reformatted: the same data, no change
    commitFiles(
      dir,
      {
        [`${MODEL}/reports/live.json`]: JSON.stringify(JSON.parse(live(0.84, 0.997)), null, 4),
      },
      'reformat',
    );
    const same = mlops(['HEAD~1', 'HEAD'], dir);
    expect(same.code).toBe(0);
    expect(same.stdout).toContain('✔ no semantic changes in 1 manifest');
  }, 30_000);

  it('a breach signed off again, binding the new report, is acknowledged: a warning naming who', () => {
    const dir = retrainedRepo();
    const retrained = metrics({ di: 0.781, auc: 0.812, coverage: 0.93 });
    writeFiles(dir, { [`${MODEL}/reports/metrics.json`]: retrained });
    const text = readFileSync(join(dir, MANIFEST), 'utf8');
    const before = (readYaml(text, MANIFEST).data as { approvals: object[] }).approvals;
    commitFiles(
      dir,
      {
        [MANIFEST]: withApprovals(text, [...before, approval(dir, text, 'build', '2026-11-20')]),
        [`${MODEL}/reports/metrics.json`]: retrained,
      },
      'retrain, accepted',
    );
    const r = mlops(['HEAD~1', 'HEAD'], dir);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(
      '⚠ warn   breached  guardrail `parity` (fairImpartial, build): disparate_impact_ratio 0.872 → 0.781, below min 0.8',
    );
    expect(r.stdout).toContain(
      'acknowledged: build signed off by Head of Sales (decision_maker) on 2026-11-20',
    );
    // the approval it replaces is superseded, not stale
    expect(r.stdout).not.toContain('stale');
    const json = changes(mlops(['HEAD~1', 'HEAD', '--format', 'json'], dir));
    expect(json.find((c) => c.class === 'breached')).toMatchObject({
      level: 'warn',
      acknowledged: { phase: 'build' },
    });
  }, 30_000);

  it('a sign-off that records no evidence digests acknowledges nothing', () => {
    const dir = retrainedRepo();
    const retrained = metrics({ di: 0.781, auc: 0.812, coverage: 0.93 });
    writeFiles(dir, { [`${MODEL}/reports/metrics.json`]: retrained });
    const text = readFileSync(join(dir, MANIFEST), 'utf8');
    const before = (readYaml(text, MANIFEST).data as { approvals: object[] }).approvals;
    const { evidence: _evidence, ...undigested } = approval(dir, text, 'build', '2026-11-20') as {
      evidence: unknown;
    };
    commitFiles(
      dir,
      {
        [MANIFEST]: withApprovals(text, [...before, undigested]),
        [`${MODEL}/reports/metrics.json`]: retrained,
      },
      'retrain',
    );
    const r = mlops(['HEAD~1', 'HEAD'], dir);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('✖ error  breached  guardrail `parity`');
    expect(r.stdout).not.toContain('acknowledged');
  }, 30_000);

  it('the working tree: a report not committed yet is read from disk, a link out of the repository never', () => {
    const dir = retrainedRepo();
    writeFiles(dir, { [`${MODEL}/reports/value.json`]: value(10.5) });
    // live evidence replaced by a link to a file outside the repository
    const outside = tempDir();
    writeFileSync(join(outside, 'live.json'), live(0.123456));
    rmSync(join(dir, MODEL, 'reports/live.json'));
    symlinkSync(join(outside, 'live.json'), join(dir, MODEL, 'reports/live.json'));
    const r = mlops(['HEAD'], dir);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(1);
    expect(r.stdout).toContain(
      `✖ error  breached  value metric \`conversion\`: observed 12.2 → 10.5, worse than the minimum 11; target 14, in ${MODEL}/reports/value.json#/metrics/conversion`,
    );
    expect(r.stdout).toContain(
      `⚠ warn   degraded  guardrail \`parity\` (fairImpartial, monitor): disparate_impact_ratio 0.88 → not observed, in ${MODEL}/reports/live.json#/metrics/disparate_impact_ratio (it leads outside the repository)`,
    );
    expect(r.stdout).not.toContain('0.123456');
    expect(r.stdout).toContain(
      'hint: the business value is below its minimum in production: reassess the model',
    );
  }, 30_000);

  it('every format carries the changes, on the line of the evidence entry, their values escaped', () => {
    // a group whose name holds what each format must keep inert
    const group = 'f|<img src=x> @ops\u001b[31m';
    const dir = retrainedRepo((text) =>
      text.replace(
        '{ id: parity, metric: disparate_impact_ratio, min: 0.8,',
        `{ id: parity, metric: disparate_impact_ratio, groups: [${JSON.stringify(group)}], min: 0.8,`,
      ),
    );
    const report = (v: number): string => {
      const data = JSON.parse(metrics({ di: 0.872, auc: 0.812, coverage: 0.93 })) as Record<
        string,
        unknown
      >;
      return JSON.stringify({ ...data, groups: { [group]: { disparate_impact_ratio: v } } });
    };
    writeFiles(dir, { [`${MODEL}/reports/metrics.json`]: report(0.85) });
    git(dir, ['commit', '-q', '-am', 'groups']);
    commitFiles(dir, { [`${MODEL}/reports/metrics.json`]: report(0.75) }, 'retrain');
    const line = lineOf(dir, '{ id: parity,');
    const range = ['HEAD~1', 'HEAD'];

    const text = mlops(range, dir).stdout;
    expect(text).toContain(
      'breached  guardrail `parity` (fairImpartial, build) group `f|<img src=x> @ops\\x1b[31m`: disparate_impact_ratio 0.85 → 0.75, below min 0.8',
    );
    expect(text).not.toContain('\u001b');

    const markdown = mlops([...range, '--format', 'markdown'], dir).stdout;
    const row = markdown.split('\n').find((l) => l.includes('**breached**'))!;
    expect(row).toContain('0.85 → 0.75, below min 0.8');
    expect(row).not.toContain('<img');
    expect(row).not.toMatch(/(?<!&#8203;)@ops/);
    expect(row.split(/(?<!\\)\|/).length).toBe(6);

    const github = mlops([...range, '--format', 'github'], dir).stdout;
    expect(github).toMatch(
      new RegExp(
        `^::error file=${MANIFEST},line=${line},col=\\d+,title=mlops diff%3A breached::lead-scoring: guardrail \`parity\``,
        'm',
      ),
    );

    const sarif = JSON.parse(mlops([...range, '--format', 'sarif'], dir).stdout) as {
      runs: {
        results: {
          ruleId: string;
          level: string;
          locations: { physicalLocation: { region: { startLine: number } } }[];
        }[];
      }[];
    };
    const result = sarif.runs[0]!.results.find((x) => x.ruleId === 'CHANGE_BREACHED')!;
    expect(result.level).toBe('error');
    expect(result.locations[0]!.physicalLocation.region.startLine).toBe(line);

    const junit = testcases(readJUnit(mlops([...range, '--format', 'junit'], dir).stdout));
    const failing = junit.find((c) => c.attributes.name?.startsWith('CHANGE_BREACHED'))!;
    expect(failing.suite).toBe(MANIFEST);
    expect(child(failing, 'failure')?.attributes.type).toBe('CHANGE_BREACHED');

    const quality = JSON.parse(mlops([...range, '--format', 'codequality'], dir).stdout) as {
      check_name: string;
      severity: string;
      location: { path: string; lines: { begin: number } };
    }[];
    expect(quality.find((q) => q.check_name === 'CHANGE_BREACHED')).toMatchObject({
      location: { path: MANIFEST, lines: { begin: line } },
    });
  }, 60_000);
});

describe('git processes', () => {
  /** `count` copies of the model, committed, then new reports for each. */
  function repoWith(count: number): string {
    const dir = gitDir();
    for (let i = 0; i < count; i++) {
      const to = join(dir, `models/m${i}`);
      cpSync(FIXTURE, to, { recursive: true });
      const manifest = join(to, 'mlops.yaml');
      writeFileSync(
        manifest,
        readFileSync(manifest, 'utf8').replace('name: lead-scoring', `name: model-${i}`),
      );
    }
    git(dir, ['add', '.']);
    git(dir, ['commit', '-q', '-m', 'models']);
    for (let i = 0; i < count; i++)
      writeFiles(dir, { [`models/m${i}/reports/live.json`]: live(0.85) });
    git(dir, ['commit', '-q', '-am', 'refresh']);
    return dir;
  }

  async function subcommands(dir: string): Promise<string[]> {
    spawned.length = 0;
    const r = await runCli(['diff', 'HEAD~1', 'HEAD', '--format', 'json'], dir, ISOLATED);
    expect(r.stderr).toBe('');
    expect(JSON.parse(r.stdout).changes.length).toBeGreaterThan(0);
    return spawned
      .filter((s) => s[0] === 'git')
      .map((s) => {
        const name = s.slice(1).find((a, i, all) => !a.startsWith('-') && all[i - 1] !== '-c')!;
        // the log that finds the commits adding each approval's id line
        return name === 'log' && s.some((a) => a.startsWith('-G')) ? 'log -G' : name;
      })
      .sort();
  }

  it('the same few whether one model has new reports or eight', async () => {
    const one = await subcommands(repoWith(1));
    expect(await subcommands(repoWith(8))).toEqual(one);
    // the manifests' blobs, then the evidence's, then the head's versions of the manifests with
    // approvals in the commits the log -G (who added each approval) names: one cat-file each
    expect(one).toEqual([
      'cat-file',
      'cat-file',
      'cat-file',
      'log -G',
      'ls-tree',
      'ls-tree',
      'rev-parse',
      'rev-parse',
      'rev-parse',
    ]);
  }, 60_000);
});
