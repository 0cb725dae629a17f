import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { digestOf } from '../../src/core/digest.js';
import { SIGNATURE_NAMESPACE, evidenceDigest, signedText } from '../../src/core/evidence-digest.js';
import type { Approval, Manifest } from '../../src/core/manifest.js';
import { readManifest } from '../../src/core/manifest/reader.js';
import { runBin } from '../helpers/bin.js';
import { git, gitDir, tempDir } from '../helpers/gitdir.js';
import { validator } from '../helpers/validator.js';

const FIXTURE = new URL('../fixtures/check-complete/', import.meta.url).pathname;
const M = 'model/mlops.yaml';
const SLOW = 60_000;
const HELENA = { name: 'Helena Marsh', email: 'helena@example.com' };
const DS = { name: 'Dana Scott', email: 'dana@example.com' };

/** git run as `who` (author and committer). */
const as = (who: { name: string; email: string }): Record<string, string> => ({
  GIT_AUTHOR_NAME: who.name,
  GIT_AUTHOR_EMAIL: who.email,
  GIT_COMMITTER_NAME: who.name,
  GIT_COMMITTER_EMAIL: who.email,
});

/**
 * The complete fixture under model/, without its approvals, the decision maker with an email,
 * committed by a data scientist: ready to be signed off. `edit` changes the manifest's text.
 */
function unsigned(edit: (text: string) => string = (t) => t): string {
  const dir = gitDir();
  cpSync(FIXTURE, join(dir, 'model'), { recursive: true });
  const path = join(dir, M);
  let text = readFileSync(path, 'utf8');
  text = text
    .slice(0, text.indexOf('\napprovals:') + 1)
    .replace(
      /\{ id: head-sales, name: Head of Sales, role: decision_maker(?:, email: [^ ]+)? \}/,
      `{ id: head-sales, name: ${HELENA.name}, role: decision_maker, email: ${HELENA.email} }`,
    );
  expect(text).toContain(HELENA.email);
  writeFileSync(path, edit(text));
  git(dir, ['add', '.']);
  git(dir, ['commit', '-q', '-m', 'model'], as(DS));
  return dir;
}

const approve = (dir: string, ...args: string[]) =>
  runBin(['approve', M, '--by', 'head-sales', '--date', '2026-11-20', ...args], dir);

/** The approvals of the manifest as every command reads them. */
function approvals(dir: string): Approval[] {
  const data = readManifest(readFileSync(join(dir, M), 'utf8'), M, validator).data as Manifest;
  return data.approvals ?? [];
}

/** What an approval binds of a file, computed here from the file's bytes. */
function digestOfFile(path: string): string {
  const bytes = readFileSync(path);
  return /\.(json|ya?ml)$/.test(path)
    ? evidenceDigest(path, { text: bytes.toString('utf8') })!
    : `sha256:${execFileSync('sha256sum', [path], { encoding: 'utf8' }).split(' ')[0]!}`;
}

describe('mlops approve binds what was signed', { timeout: SLOW }, () => {
  it("records an id, the digest of every evidence file the phase's rules read, and who recorded it", () => {
    const dir = unsigned();
    const r = approve(dir, '--phase', 'build');
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(
      [
        `recorded in ${M}: build approved by head-sales (decision_maker) on 2026-11-20; digest ${approvals(dir)[0]!.digest!.slice(0, 19)}…`,
        '  id: build-head-sales-2026-11-20',
        '  evidence: 3 files bound by content digest: docs/datasheet.md, docs/model-card.md, reports/metrics.json',
        '  recorded by: Test <test@example.com> (git config user.name, user.email)',
        '',
      ].join('\n'),
    );
    const [approval] = approvals(dir);
    const data = readManifest(readFileSync(join(dir, M), 'utf8'), M, validator).data as Manifest;
    expect(approval).toEqual({
      id: 'build-head-sales-2026-11-20',
      phase: 'build',
      role: 'decision_maker',
      by: 'head-sales',
      decision: 'approved',
      date: '2026-11-20',
      digest: digestOf(data.build),
      evidence: {
        'docs/datasheet.md': digestOfFile(join(dir, 'model/docs/datasheet.md')),
        'docs/model-card.md': digestOfFile(join(dir, 'model/docs/model-card.md')),
        'reports/metrics.json': digestOfFile(join(dir, 'model/reports/metrics.json')),
      },
      recordedBy: 'Test <test@example.com>',
    });
    // a JSON report binds its content: the same data laid out otherwise has the same digest
    const metrics = join(dir, 'model/reports/metrics.json');
    const reformatted = JSON.stringify(JSON.parse(readFileSync(metrics, 'utf8')), null, 8);
    expect(reformatted).not.toBe(readFileSync(metrics, 'utf8'));
    writeFileSync(metrics, reformatted);
    expect(digestOfFile(metrics)).toBe(approval!.evidence!['reports/metrics.json']);
    // the written block, as a reviewer sees it in the diff
    expect(readFileSync(join(dir, M), 'utf8')).toContain(
      `    evidence:\n      docs/datasheet.md: sha256:`,
    );
  });

  it('keys evidence by its path from the manifest’s folder, quoting the ones YAML would misread, and reads a link inside the repository', () => {
    const dir = unsigned((text) =>
      text
        .replace('modelCard: docs/model-card.md', 'modelCard: "../shared/card #1.md"')
        .replace('datasheet: docs/datasheet.md', 'datasheet: docs/datasheet-link.md'),
    );
    cpSync(join(dir, 'model/docs/model-card.md'), join(dir, 'shared/card #1.md'));
    symlinkSync('datasheet.md', join(dir, 'model/docs/datasheet-link.md'));
    const r = approve(dir, '--phase', 'build');
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const text = readFileSync(join(dir, M), 'utf8');
    expect(text).toContain('      "../shared/card #1.md": sha256:');
    expect(approvals(dir)[0]!.evidence).toEqual({
      '../shared/card #1.md': digestOfFile(join(dir, 'shared/card #1.md')),
      // the file the link leads to
      'docs/datasheet-link.md': digestOfFile(join(dir, 'model/docs/datasheet.md')),
      'reports/metrics.json': digestOfFile(join(dir, 'model/reports/metrics.json')),
    });
  });

  it('a phase whose rules read no evidence file binds none, and says so', () => {
    const dir = unsigned();
    const r = approve(dir, '--phase', 'envision');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(
      '  evidence: none to bind (no evidence file is named for the envision rules)\n',
    );
    expect(approvals(dir)[0]!.evidence).toEqual({});
    expect(readFileSync(join(dir, M), 'utf8')).toContain('\n    evidence: {}\n');
  });

  it('ids: the next free one for the same sign-off, or the one --id gives', () => {
    const dir = unsigned();
    expect(approve(dir, '--phase', 'envision').code).toBe(0);
    expect(approve(dir, '--phase', 'envision').code).toBe(0);
    expect(approve(dir, '--phase', 'envision', '--id', 'kickoff-2026').code).toBe(0);
    expect(approvals(dir).map((a) => a.id)).toEqual([
      'envision-head-sales-2026-11-20',
      'envision-head-sales-2026-11-20-2',
      'kickoff-2026',
    ]);
  });

  it('inside a flow list, evidence is written as a flow mapping; CRLF files keep CRLF', () => {
    const dir = unsigned(
      (text) =>
        `${text}approvals: [{ id: old, phase: envision, role: decision_maker, by: head-sales, decision: approved, date: 2026-11-01 }]\n`,
    );
    expect(approve(dir, '--phase', 'build').code).toBe(0);
    const text = readFileSync(join(dir, M), 'utf8');
    expect(text).toMatch(
      /\[\{ id: old, [^\n]*\}, \{ id: build-head-sales-2026-11-20, [^\n]*evidence: \{docs\/datasheet\.md: sha256:[0-9a-f]{64}, docs\/model-card\.md: sha256:[0-9a-f]{64}, reports\/metrics\.json: sha256:[0-9a-f]{64}\}, recordedBy: "Test <test@example\.com>" \}\]\n$/,
    );
    expect(approvals(dir)).toHaveLength(2);

    const crlfDir = unsigned((t) => t.replace(/\n/g, '\r\n'));
    const before = readFileSync(join(crlfDir, M), 'utf8');
    expect(approve(crlfDir, '--phase', 'build').code).toBe(0);
    const added = readFileSync(join(crlfDir, M), 'utf8').slice(before.length);
    expect(added).toContain('    evidence:\r\n      docs/datasheet.md: sha256:');
    expect(added).not.toMatch(/[^\r]\n/);
    expect(approvals(crlfDir)[0]!.evidence).toEqual(approvals(dir)[1]!.evidence);
  });

  it('leaves recordedBy out when git has neither user.name nor user.email', () => {
    const dir = unsigned();
    git(dir, ['config', '--unset', 'user.name']);
    git(dir, ['config', '--unset', 'user.email']);
    const home = tempDir('mlops-home-');
    const r = runBin(
      ['approve', M, '--phase', 'envision', '--by', 'head-sales', '--date', '2026-11-20'],
      dir,
      {
        HOME: home,
        XDG_CONFIG_HOME: home,
        GIT_CONFIG_NOSYSTEM: '1',
        GIT_CONFIG_GLOBAL: '/dev/null',
      },
    );
    expect(r.code).toBe(0);
    expect(r.stdout).not.toContain('recorded by');
    expect(approvals(dir)[0]).not.toHaveProperty('recordedBy');
  });
});

describe('mlops approve --waiver', { timeout: SLOW }, () => {
  it('records an approval of the waiver: its digest, no evidence', () => {
    const waiver =
      '{ id: b3-auc, rule: B3, target: auc, reason: retrain in Q1, owner: ds, expires: 2026-12-31 }';
    const dir = unsigned((text) => `${text}waivers:\n  - ${waiver}\n`);
    const r = approve(dir, '--waiver', 'b3-auc');
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(
      /^recorded in model\/mlops\.yaml: waiver b3-auc approved by head-sales \(decision_maker\) on 2026-11-20; digest sha256:[0-9a-f]{12}…\n  id: b3-auc-head-sales-2026-11-20\n  recorded by: Test <test@example\.com> [^\n]*\n$/,
    );
    const data = readManifest(readFileSync(join(dir, M), 'utf8'), M, validator).data as Manifest;
    expect(data.approvals).toEqual([
      {
        id: 'b3-auc-head-sales-2026-11-20',
        waiver: 'b3-auc',
        role: 'decision_maker',
        by: 'head-sales',
        decision: 'approved',
        date: '2026-11-20',
        digest: digestOf(data.waivers![0]),
        recordedBy: 'Test <test@example.com>',
      },
    ]);
  });
});

describe('mlops approve --sign-key', { timeout: SLOW }, () => {
  /** An ed25519 key pair made offline, and an allowed signers file naming it for `email`. */
  function keys(email: string): { key: string; allowed: string } {
    const dir = tempDir('mlops-keys-');
    const key = join(dir, 'approver');
    execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', email, '-f', key]);
    const allowed = join(dir, 'allowed_signers');
    writeFileSync(allowed, `${email} ${readFileSync(`${key}.pub`, 'utf8').trim()}\n`);
    return { key, allowed };
  }

  /** `ssh-keygen -Y verify` of an approval's signature over `signedText` of it. */
  function verifies(approval: Approval, allowed: string, email: string): boolean {
    const dir = tempDir('mlops-sig-');
    writeFileSync(join(dir, 'sig'), `${approval.signature!}\n`);
    const r = spawnSync(
      'ssh-keygen',
      [
        '-Y',
        'verify',
        '-f',
        allowed,
        '-I',
        email,
        '-n',
        SIGNATURE_NAMESPACE,
        '-s',
        join(dir, 'sig'),
      ],
      { input: signedText(approval), encoding: 'utf8' },
    );
    return r.status === 0;
  }

  it('writes an ssh signature, on one double-quoted line, that ssh-keygen verifies for the approver', () => {
    const dir = unsigned();
    const { key, allowed } = keys(HELENA.email);
    const r = approve(dir, '--phase', 'build', '--sign-key', key);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(
      `  signed: with ${key} (ssh-keygen -Y sign, namespace mlops-approval)\n`,
    );
    const text = readFileSync(join(dir, M), 'utf8');
    expect(text).toMatch(
      /\n {4}signature: "-----BEGIN SSH SIGNATURE-----\\n[A-Za-z0-9+/=\\n]+\\n-----END SSH SIGNATURE-----"\n$/,
    );
    const [approval] = approvals(dir);
    expect(approval!.signature).toMatch(
      /^-----BEGIN SSH SIGNATURE-----\n[^"]+\n-----END SSH SIGNATURE-----$/,
    );
    expect(verifies(approval!, allowed, HELENA.email)).toBe(true);
    // it signs the decision and the digests: any change to them fails, who recorded it does not
    expect(verifies({ ...approval!, decision: 'rejected' }, allowed, HELENA.email)).toBe(false);
    expect(
      verifies(
        { ...approval!, evidence: { ...approval!.evidence, 'reports/metrics.json': digestOf(1) } },
        allowed,
        HELENA.email,
      ),
    ).toBe(false);
    expect(verifies({ ...approval!, recordedBy: 'Someone Else' }, allowed, HELENA.email)).toBe(
      true,
    );
    // and only for the approver's key
    expect(verifies(approval!, keys(HELENA.email).allowed, HELENA.email)).toBe(false);
  });

  it('with approvals.identity signed, the signed approval counts though someone else commits it', () => {
    const dir = unsigned();
    const { key, allowed } = keys(HELENA.email);
    cpSync(allowed, join(dir, 'allowed_signers'));
    writeFileSync(
      join(dir, 'mlops.config.yaml'),
      'apiVersion: mlops/v1\nkind: Config\napprovals:\n  identity: signed\n  allowedSignersFile: allowed_signers\n',
    );
    git(dir, ['add', '.']);
    git(dir, ['commit', '-q', '-m', 'config'], as(DS));
    const check = () => runBin(['check', '--today', '2026-11-27', '--phase', 'envision'], dir);
    expect(approve(dir, '--phase', 'envision').code).toBe(0);
    git(dir, ['commit', '-q', '-am', 'approve, unsigned'], as(DS));
    expect(check().code).toBe(1);
    expect(approve(dir, '--phase', 'envision', '--sign-key', key).code).toBe(0);
    git(dir, ['commit', '-q', '-am', 'approve, signed'], as(DS));
    const r = check();
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
  });
});
