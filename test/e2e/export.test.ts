// `mlops export annex-iv` through the built CLI, on the churn example in a temporary
// repository: every Annex IV section, the missing items named with their keys, the same bytes
// from the same inputs, `-o` that never writes over a file without --force nor through a link,
// an invalid manifest refused with its findings and nothing written, an unknown document, no
// repository; and rule EU11 on the example made a high-risk provider's.
import {
  cpSync,
  existsSync,
  lstatSync,
  readFileSync,
  readdirSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { runBin } from '../helpers/bin.js';
import { git, gitDir, tempDir } from '../helpers/gitdir.js';

// each case builds a repository and runs the CLI
vi.setConfig({ testTimeout: 120_000 });

const EXAMPLES = new URL('../../examples/', import.meta.url).pathname;

const SECTIONS = [
  '## 1. General description of the AI system (Annex IV point 1)',
  '## 2. Development process and design choices (Annex IV point 2(a)-(c))',
  '## 3. Data and data governance (Annex IV point 2(d))',
  '## 4. Validation and testing (Annex IV point 2(g), 4)',
  '## 5. Monitoring, functioning and control (Annex IV point 2(e), 3)',
  '## 6. Risk management system (Annex IV point 5)',
  '## 7. Changes through the lifecycle (Annex IV point 6)',
  '## 8. Standards and specifications applied (Annex IV point 7)',
  '## 9. EU declaration of conformity (Annex IV point 8)',
  '## 10. Post-market monitoring (Annex IV point 9)',
];

/** The examples committed in a new repository; returns its folder. */
function exampleRepo(): string {
  const repo = gitDir();
  cpSync(EXAMPLES, repo, { recursive: true });
  git(repo, ['add', '-A']);
  git(repo, ['commit', '-q', '-m', 'the examples']);
  return repo;
}

/** The `##` section of a document whose heading starts with `n.`. */
const section = (doc: string, n: number): string =>
  doc.split(/\n(?=## )/).find((s) => s.startsWith(`## ${n}. `)) ?? '';

describe('mlops export annex-iv', () => {
  it('writes every section of the churn example to stdout, the missing items named where they belong', () => {
    const repo = exampleRepo();
    const r = runBin(['export', 'annex-iv', 'churn/mlops.yaml'], repo);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const headings = r.stdout.split('\n').filter((l) => l.startsWith('## '));
    expect(headings).toEqual(SECTIONS);
    expect(r.stdout).toMatch(/^# Technical documentation: Postpaid churn propensity/);
    expect(r.stdout).toContain('- **Manifest:** `churn/mlops.yaml` (`churn-propensity`, version');
    expect(r.stdout).toMatch(/- \*\*Items present:\*\* \d+ of \d+; \d+ missing/);
    expect(section(r.stdout, 8)).toContain(
      '- **Missing:** standards applied — set `deploy.conformity.standards`',
    );
    expect(section(r.stdout, 9)).toContain(
      '- **Missing:** EU declaration of conformity — set `deploy.conformity.declaration`',
    );
    expect(section(r.stdout, 9)).toContain(
      '- **Missing:** conformity assessment — set `deploy.conformity.assessment`',
    );
    expect(section(r.stdout, 10)).toContain(
      '- **Missing:** post-market monitoring plan — set `monitor.postMarket.plan`',
    );
    // what the example holds is there, with its committed evidence
    expect(section(r.stdout, 2)).toContain('- **Selected candidate:** gbm');
    expect(section(r.stdout, 4)).toContain(
      '- **Guardrail test report of `auc-floor`:** `churn/reports/evaluation.json`',
    );
    expect(section(r.stdout, 10)).toMatch(
      /- \*\*Value tracking report:\*\* `churn\/reports\/value-tracking\.json`, last changed in a commit of \d{4}-\d{2}-\d{2}/,
    );
    // the same inputs, the same bytes
    expect(runBin(['export', 'annex-iv', 'churn'], repo).stdout).toBe(r.stdout);
  });

  it('dates each report by the commit that last changed it, and lists the committed versions of the manifest', () => {
    const repo = gitDir();
    cpSync(EXAMPLES, repo, { recursive: true });
    git(repo, ['add', '-A']);
    const at = (date: string) => ({ GIT_AUTHOR_DATE: date, GIT_COMMITTER_DATE: date });
    git(repo, ['commit', '-q', '-m', 'the examples'], at('2026-03-02T12:00:00Z'));
    const path = join(repo, 'churn/mlops.yaml');
    writeFileSync(path, readFileSync(path, 'utf8').replace(/version: \S+/, 'version: 1.5.0'));
    git(repo, ['commit', '-q', '-am', '# Bump | <b>1.5.0</b> @team'], at('2026-04-03T12:00:00Z'));
    const r = runBin(['export', 'annex-iv', 'churn'], repo);
    expect(r.code).toBe(0);
    expect(section(r.stdout, 4)).toContain(
      '- **Guardrail test report of `auc-floor`:** `churn/reports/evaluation.json`, last changed in a commit of 2026-03-02;',
    );
    const head = git(repo, ['rev-parse', 'HEAD']).trim();
    const first = git(repo, ['rev-parse', 'HEAD~1']).trim();
    expect(section(r.stdout, 7)).toContain(
      [
        '- **Committed versions of the manifest:** 2 committed versions, newest first',
        `  - 2026-04-03 \`${head.slice(0, 12)}\` version 1.5.0: # Bump \\| &lt;b&gt;1.5.0&lt;/b&gt; @&#8203;team`,
        `  - 2026-03-02 \`${first.slice(0, 12)}\``,
      ].join('\n'),
    );
    expect(r.stdout).toContain(
      `- **Source:** commit \`${head.slice(0, 12)}\` (manifest last changed 2026-04-03)`,
    );
  });

  it('-o writes the file; again without --force exits 2 and leaves it as it was; --force replaces it', () => {
    const repo = exampleRepo();
    const first = runBin(['export', 'annex-iv', 'churn/mlops.yaml', '-o', 'annex-iv.md'], repo);
    expect(first.stderr).toBe('');
    expect(first.code).toBe(0);
    expect(first.stdout).toMatch(
      /^wrote annex-iv\.md: the Annex IV technical documentation of churn\/mlops\.yaml, \d+ of \d+ items present, \d+ marked missing\n$/,
    );
    const written = readFileSync(join(repo, 'annex-iv.md'), 'utf8');
    expect(written).toBe(runBin(['export', 'annex-iv', 'churn/mlops.yaml'], repo).stdout);

    writeFileSync(join(repo, 'annex-iv.md'), 'edited by hand\n');
    const again = runBin(['export', 'annex-iv', 'churn/mlops.yaml', '-o', 'annex-iv.md'], repo);
    expect(again.code).toBe(2);
    expect(again.stdout).toBe('');
    expect(again.stderr).toContain('annex-iv.md exists; it was left unchanged');
    expect(again.stderr).toContain('--force');
    expect(readFileSync(join(repo, 'annex-iv.md'), 'utf8')).toBe('edited by hand\n');

    const forced = runBin(
      ['export', 'annex-iv', 'churn/mlops.yaml', '-o', 'annex-iv.md', '--force'],
      repo,
    );
    expect(forced.code).toBe(0);
    expect(readFileSync(join(repo, 'annex-iv.md'), 'utf8')).toBe(written);
    // no temporary file left beside it
    expect(readdirSync(repo).filter((n) => n.includes('annex-iv.md'))).toEqual(['annex-iv.md']);
  });

  it('refuses to write through a symbolic link or over the manifest, with or without --force', () => {
    const repo = exampleRepo();
    writeFileSync(join(repo, 'target.md'), 'keep me\n');
    symlinkSync('target.md', join(repo, 'link.md'));
    for (const extra of [[], ['--force']]) {
      const r = runBin(['export', 'annex-iv', 'churn/mlops.yaml', '-o', 'link.md', ...extra], repo);
      expect(r.code).toBe(2);
      expect(r.stderr).toContain(
        'link.md is a symbolic link; mlops export never writes through one',
      );
      expect(lstatSync(join(repo, 'link.md')).isSymbolicLink()).toBe(true);
      expect(readFileSync(join(repo, 'target.md'), 'utf8')).toBe('keep me\n');
    }
    // nor over the manifest, even with --force
    const before = readFileSync(join(repo, 'churn/mlops.yaml'), 'utf8');
    const self = runBin(['export', 'annex-iv', 'churn', '-o', 'churn/mlops.yaml', '--force'], repo);
    expect(self.code).toBe(2);
    expect(self.stderr).toContain('churn/mlops.yaml is the manifest itself; it was left unchanged');
    expect(readFileSync(join(repo, 'churn/mlops.yaml'), 'utf8')).toBe(before);
    // a folder is no file to write
    const r = runBin(['export', 'annex-iv', 'churn/mlops.yaml', '-o', 'churn', '--force'], repo);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('churn is a folder; the document is written to a file');
  });

  it('refuses a manifest that does not validate, listing its findings, and writes nothing', () => {
    const repo = exampleRepo();
    const path = join(repo, 'churn/mlops.yaml');
    writeFileSync(path, readFileSync(path, 'utf8').replace('riskTier: high', 'riskTier: hgh'));
    const r = runBin(['export', 'annex-iv', 'churn/mlops.yaml', '-o', 'out.md'], repo);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/churn\/mlops\.yaml:\d+:\d+\s+error\s+SCHEMA_ENUM/);
    expect(r.stderr).toContain('churn/mlops.yaml does not validate');
    expect(r.stderr).toContain('validate churn/mlops.yaml');
    expect(existsSync(join(repo, 'out.md'))).toBe(false);
  });

  it('refuses an unknown document with the one it may mean, and the list', () => {
    const repo = exampleRepo();
    const r = runBin(['export', 'anex-iv', 'churn/mlops.yaml'], repo);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('unknown document "anex-iv" (did you mean "annex-iv"?)');
    expect(r.stderr).toContain('the documents are: annex-iv');
  });

  it('needs a git repository, as check does', () => {
    const dir = tempDir();
    cpSync(join(EXAMPLES, 'churn'), join(dir, 'churn'), { recursive: true });
    const r = runBin(['export', 'annex-iv', 'churn/mlops.yaml', '-o', 'out.md'], dir, {
      GIT_CEILING_DIRECTORIES: dir,
    });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/not a git repository/i);
    expect(r.stderr).toContain('mlops export reads the evidence committed to git');
    expect(existsSync(join(dir, 'out.md'))).toBe(false);
  });

  it('says that Annex IV is for high-risk systems when the example is not one, and writes it all the same', () => {
    const repo = exampleRepo();
    const r = runBin(['export', 'annex-iv', 'churn/mlops.yaml'], repo);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(
      '> Annex IV technical documentation is required only for high-risk AI systems (Art. 11)',
    );
  });
});

describe('rule EU11 on the churn example', () => {
  it('fails a high-risk provider whose documentation has gaps, naming them and the export', () => {
    const repo = exampleRepo();
    const path = join(repo, 'churn/mlops.yaml');
    const text = readFileSync(path, 'utf8').replace(
      /\n {2}euAiAct:\n(?: {4}.*\n| {6}.*\n)+/,
      '\n  euAiAct:\n    classification: high\n    legalBasis: { annex: III, point: "5(b)" }\n    role: provider\n',
    );
    expect(text).toContain('classification: high');
    writeFileSync(path, text);
    git(repo, ['commit', '-q', '-am', 'high-risk']);
    const r = runBin(['check', 'churn', '--phase', 'deploy', '--format', 'json'], repo);
    expect(r.code).toBe(1);
    const report = JSON.parse(r.stdout) as {
      manifests: {
        phases: {
          phase: string;
          rules: {
            id: string;
            status: string;
            findings: { code: string; message: string; fix?: string }[];
          }[];
        }[];
      }[];
    };
    const deploy = report.manifests[0]!.phases.find((p) => p.phase === 'deploy')!;
    const eu11 = deploy.rules.find((rule) => rule.id === 'EU11')!;
    expect(eu11.status).toBe('fail');
    expect(eu11.findings.map((f) => f.code)).toEqual(['ANNEX_IV_INCOMPLETE']);
    expect(eu11.findings[0]!.message).toContain('(Art. 11, Annex IV)');
    expect(eu11.findings[0]!.message).toContain(
      'standards applied (`deploy.conformity.standards`)',
    );
    expect(eu11.findings[0]!.fix).toContain('export annex-iv churn/mlops.yaml`');
  });
});
