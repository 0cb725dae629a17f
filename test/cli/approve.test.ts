import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { digestOf } from '../../src/core/digest.js';
import { readManifest } from '../../src/core/manifest/reader.js';
import type { Manifest } from '../../src/core/manifest.js';
import { runCli } from '../helpers/cli.js';
import { commitFiles, git, gitDir, tempDir } from '../helpers/gitdir.js';
import { validator } from '../helpers/validator.js';

const FIXTURE = new URL('../fixtures/check-complete/', import.meta.url).pathname;
const CHURN = new URL('../../examples/churn/mlops.yaml', import.meta.url).pathname;
const CHURN_DIR = new URL('../../examples/churn/', import.meta.url).pathname;

function copy(src: string): { dir: string; file: string; before: string } {
  const dir = tempDir();
  const file = join(dir, 'mlops.yaml');
  cpSync(src, file);
  return { dir, file, before: readFileSync(file, 'utf8') };
}

describe('mlops approve', () => {
  it('appends the sign-off with its id, the role, the section and evidence digests and who recorded it, and keeps every other byte', async () => {
    // the churn example with its evidence, in a repository whose git user is Test <test@example.com>
    const dir = gitDir();
    cpSync(CHURN_DIR, dir, { recursive: true });
    const file = join(dir, 'mlops.yaml');
    const before = readFileSync(file, 'utf8');
    const r = await runCli(
      [
        'approve',
        'mlops.yaml',
        '--phase',
        'deploy',
        '--by',
        'audit',
        '--decision',
        'conditional',
        '--conditions',
        'Re-audit after 6 months: Q2',
        '--date',
        '2026-11-27',
      ],
      dir,
    );
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(
      /^recorded in mlops\.yaml: deploy conditional by audit \(internal_audit\) on 2026-11-27, conditions: Re-audit after 6 months: Q2; digest sha256:[0-9a-f]{12}…\n  id: deploy-audit-2026-11-27\n  evidence: \d+ files bound by content digest: .*\n  recorded by: Test <test@example\.com> \(git config user\.name, user\.email\)\n$/,
    );
    const after = readFileSync(file, 'utf8');
    expect(after.startsWith(before)).toBe(true);
    const data = readManifest(after, 'mlops.yaml', validator).data as Manifest;
    const approval = data.approvals!.at(-1)!;
    expect(approval).toEqual({
      id: 'deploy-audit-2026-11-27',
      phase: 'deploy',
      role: 'internal_audit',
      by: 'audit',
      decision: 'conditional',
      date: '2026-11-27',
      conditions: 'Re-audit after 6 months: Q2',
      digest: digestOf(data.deploy),
      evidence: expect.any(Object) as unknown,
      recordedBy: 'Test <test@example.com>',
    });
    // every evidence file of the deploy section, by its path from the manifest's folder
    expect(Object.keys(approval.evidence!).length).toBeGreaterThan(0);
    for (const [key, digest] of Object.entries(approval.evidence!)) {
      expect(readFileSync(join(dir, key)).length).toBeGreaterThan(0);
      expect(digest).toMatch(/^sha256:[0-9a-f]{64}$/);
    }
  });

  it('adds an approvals list to a manifest without one', async () => {
    const { dir, file } = copy(FIXTURE + 'mlops.yaml');
    const text = readFileSync(file, 'utf8');
    const withoutApprovals = text.slice(0, text.indexOf('\napprovals:') + 1);
    writeFileSync(file, withoutApprovals);
    const r = await runCli(
      ['approve', 'mlops.yaml', '--phase', 'envision', '--by', 'head-sales'],
      dir,
    );
    expect(r.code).toBe(0);
    const after = readFileSync(file, 'utf8');
    expect(after.startsWith(withoutApprovals)).toBe(true);
    const data = readManifest(after, 'mlops.yaml', validator).data as Manifest;
    expect(data.approvals).toHaveLength(1);
    expect(data.approvals![0]!.date).toMatch(/^\d{4}-\d{2}-\d{2}$/);
  });

  it('refuses an unknown stakeholder with a suggestion, and leaves the file alone', async () => {
    const { dir, file, before } = copy(CHURN);
    const r = await runCli(['approve', 'mlops.yaml', '--phase', 'build', '--by', 'cc0'], dir);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('unknown stakeholder "cc0" in mlops.yaml (did you mean "cco"?)');
    expect(readFileSync(file, 'utf8')).toBe(before);
  });

  it('refuses an unknown phase, a missing section, a bad date and an invalid manifest', async () => {
    const { dir, file, before } = copy(FIXTURE + 'mlops.yaml');
    expect(
      (await runCli(['approve', 'mlops.yaml', '--phase', 'monitor', '--by', 'head-sales'], dir))
        .code,
    ).toBe(2);
    expect(
      (
        await runCli(
          [
            'approve',
            'mlops.yaml',
            '--phase',
            'build',
            '--by',
            'head-sales',
            '--date',
            '27/11/2026',
          ],
          dir,
        )
      ).code,
    ).toBe(2);
    writeFileSync(file, before.replace(/\nbuild:\n[\s\S]*?\ndeploy:/, '\ndeploy:'));
    const missing = await runCli(
      ['approve', 'mlops.yaml', '--phase', 'build', '--by', 'head-sales'],
      dir,
    );
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('has no build section to approve');
    writeFileSync(file, before.replace('riskTier: medium', 'riskTier: extreme'));
    const invalid = await runCli(
      ['approve', 'mlops.yaml', '--phase', 'build', '--by', 'head-sales'],
      dir,
    );
    expect(invalid.code).toBe(2);
    expect(invalid.stderr).toContain('mlops.yaml does not validate');
    expect(readFileSync(file, 'utf8')).toBe(
      before.replace('riskTier: medium', 'riskTier: extreme'),
    );
  });

  it('refuses a manifest with a consistency error, listing the findings as validate does', async () => {
    const { dir, file, before } = copy(FIXTURE + 'mlops.yaml');
    const text = before.replace('{ id: auc, metric: roc_auc', '{ id: parity, metric: roc_auc');
    writeFileSync(file, text);
    const r = await runCli(
      ['approve', 'mlops.yaml', '--phase', 'build', '--by', 'head-sales'],
      dir,
    );
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^mlops\.yaml:\d+:\d+ +error +DUPLICATE_ID +/m);
    const validate = await runCli(['validate', 'mlops.yaml'], dir);
    expect(validate.code).toBe(1);
    expect(r.stderr.startsWith(validate.stdout)).toBe(true);
    expect(r.stderr).toContain('mlops.yaml does not validate');
    expect(readFileSync(file, 'utf8')).toBe(text);
  });

  it('records the digest that check computes from the same bytes', async () => {
    const repo = gitDir();
    // a value two YAML readings once disagreed on (-31 or "-0x1F")
    const text = readFileSync(FIXTURE + 'mlops.yaml', 'utf8')
      .replace('\nenvision:\n', '\nenvision:\n  x-ticket: -0x1F\n')
      .replace(
        /\{ id: head-sales, name: Head of Sales, role: decision_maker(?:, email: [^ ]+)? \}/,
        '{ id: head-sales, name: Head of Sales, role: decision_maker, email: hs@example.com }',
      );
    expect(text).toContain('email: hs@example.com');
    commitFiles(repo, { 'mlops.yaml': text }, 'model');
    const g3 = async (): Promise<string | undefined> => {
      const r = await runCli(['check', '-f', 'json', '--today', '2026-08-01'], repo);
      const report = JSON.parse(r.stdout) as {
        manifests: { phases: { phase: string; rules: { id: string; status: string }[] }[] }[];
      };
      return report.manifests[0]?.phases
        .find((p) => p.phase === 'envision')
        ?.rules.find((rule) => rule.id === 'G3')?.status;
    };
    expect(await g3()).toBe('fail');
    const r = await runCli(
      [
        'approve',
        'mlops.yaml',
        '--phase',
        'envision',
        '--by',
        'head-sales',
        '--date',
        '2026-07-01',
      ],
      repo,
    );
    expect(r.code).toBe(0);
    // it counts once committed by the approver
    git(repo, ['commit', '-q', '-am', 'approve envision'], {
      GIT_AUTHOR_NAME: 'Head of Sales',
      GIT_AUTHOR_EMAIL: 'hs@example.com',
    });
    expect(await g3()).toBe('pass');
  });
});
