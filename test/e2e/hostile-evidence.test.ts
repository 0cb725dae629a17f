import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  cpSync,
  existsSync,
  mkdirSync,
  readFileSync,
  renameSync,
  rmSync,
  symlinkSync,
  truncateSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BIN } from '../helpers/bin.js';
import { git, gitDir, tempDir } from '../helpers/gitdir.js';

const FIXTURE = new URL('../fixtures/check-complete/', import.meta.url).pathname;
const M = 'models/lead/mlops.yaml';
const LEAD = 'models/lead';
const MiB = 1024 * 1024;
/** A run that reads what it must not would block, or fill memory: it is stopped and fails. */
const TIMEOUT_MS = 60_000;
const PRLIMIT = ['/usr/bin/prlimit', '/bin/prlimit'].find((p) => existsSync(p));

/** A repository with the complete fixture under models/lead, committed on 2026-11-20. */
function readyRepo(): string {
  const dir = gitDir();
  cpSync(FIXTURE, join(dir, LEAD), { recursive: true });
  commitAll(dir, 'lead scoring');
  return dir;
}

function commitAll(dir: string, message: string, date = '2026-11-20T12:00:00Z'): void {
  git(dir, ['add', '-A']);
  git(dir, ['commit', '-q', '-m', message], { GIT_AUTHOR_DATE: date, GIT_COMMITTER_DATE: date });
}

function edit(dir: string, path: string, from: string, to: string): void {
  const file = join(dir, path);
  const text = readFileSync(file, 'utf8');
  if (!text.includes(from)) throw new Error(`no ${from} in ${path}`);
  writeFileSync(file, text.replace(from, to));
}

/** Replaces a committed file by a symbolic link to `to` (as written in the link). */
function link(dir: string, path: string, to: string): void {
  rmSync(join(dir, path), { recursive: true, force: true });
  symlinkSync(to, join(dir, path));
}

/**
 * Runs the built CLI's `check` with a small heap, under a timeout and (where prlimit exists) a
 * 1 GiB address-space limit, and returns its output with its peak resident memory in MiB.
 */
function check(dir: string, args: string[]): { code: number; out: string; rssMiB: number } {
  const probe = tempDir('mlops-rss-');
  const preload = join(probe, 'rss.cjs');
  const rssFile = join(probe, 'rss');
  writeFileSync(
    preload,
    `process.on('exit', () => require('fs').writeFileSync(${JSON.stringify(rssFile)}, String(process.resourceUsage().maxRSS)));\n`,
  );
  const node = [process.execPath, '--max-old-space-size=256', '--require', preload, BIN];
  const argv = [...node, 'check', '--today', '2026-11-27', ...args];
  const [cmd, ...rest] = PRLIMIT ? [PRLIMIT, `--as=${1024 * MiB}`, '--', ...argv] : argv;
  const env: Record<string, string | undefined> = { ...process.env, NO_COLOR: '1' };
  delete env.FORCE_COLOR;
  const r = spawnSync(cmd!, rest, {
    cwd: dir,
    encoding: 'utf8',
    env,
    input: '',
    timeout: TIMEOUT_MS,
    killSignal: 'SIGKILL',
  });
  expect(r.signal, `check was stopped: ${r.stderr}`).toBeNull();
  expect(r.stderr).toBe('');
  const rss = existsSync(rssFile) ? Number(readFileSync(rssFile, 'utf8')) / 1024 : Infinity;
  return { code: r.status ?? -1, out: r.stdout, rssMiB: rss };
}

/** Marks a tracked file as unchanged, so that git takes a large local file for its commit. */
function pretendCommitted(dir: string, path: string): void {
  git(dir, ['update-index', '--assume-unchanged', '--', path]);
}

describe('evidence that tries to read more than the repository', { timeout: 180_000 }, () => {
  it('refuses links to a device and out of the repository, naming link and target, and never reads them', () => {
    const dir = readyRepo();
    const outside = tempDir('mlops-outside-');
    writeFileSync(join(outside, 'passwd'), 'root:x:0:0:TOPSECRET-7f3a:/root:/bin/sh\n');
    writeFileSync(join(outside, 'metrics.json'), '{"metrics": {"roc_auc": 0.987654}}\n');
    link(dir, `${LEAD}/docs/model-card.md`, '/dev/zero');
    link(dir, `${LEAD}/docs/dpia.md`, join(outside, 'passwd'));
    link(
      dir,
      `${LEAD}/docs/runbook.md`,
      '../../../../../../../../../../../../..' + outside + '/passwd',
    );
    link(dir, `${LEAD}/reports`, outside);
    commitAll(dir, 'links out');
    const r = check(dir, []);
    expect(r.code).toBe(1);
    for (const line of [
      `model card: ${LEAD}/docs/model-card.md is a symbolic link to /dev/zero, outside the repository; it was not read`,
      `DPIA: ${LEAD}/docs/dpia.md is a symbolic link to ${outside}/passwd, outside the repository; it was not read`,
      `runbook: ${LEAD}/docs/runbook.md is a symbolic link to ${outside}/passwd, outside the repository; it was not read`,
      `guardrail \`auc\`: ${LEAD}/reports/metrics.json leads through the symbolic link ${LEAD}/reports to ${outside}/metrics.json, outside the repository; it was not read`,
    ])
      expect(r.out).toContain(line);
    expect(r.out).not.toContain('TOPSECRET');
    expect(r.out).not.toContain('0.987654');
    expect(r.out).toContain('✖ claims monitor but build is not ready');
  });

  it('never opens a FIFO named as evidence, directly or through a link', () => {
    const dir = readyRepo();
    rmSync(join(dir, `${LEAD}/reports/metrics.json`));
    spawnSync('mkfifo', [join(dir, `${LEAD}/reports/metrics.json`)]);
    link(dir, `${LEAD}/docs/model-card.md`, '../reports/metrics.json');
    const r = check(dir, ['--phase', 'build']);
    expect(r.code).toBe(1);
    expect(r.out).toContain(
      `guardrail \`auc\`: ${LEAD}/reports/metrics.json is a FIFO (named pipe), not a regular file; it was not opened`,
    );
    expect(r.out).toContain(
      `model card: ${LEAD}/docs/model-card.md is a symbolic link to ${LEAD}/reports/metrics.json, which is a FIFO (named pipe), not a regular file; it was not opened`,
    );
  });
});

describe('evidence that is a link inside the repository', { timeout: 180_000 }, () => {
  /** The build report as a committed link to the file that holds it. */
  function linkedReport(): string {
    const dir = readyRepo();
    renameSync(join(dir, `${LEAD}/reports/metrics.json`), join(dir, `${LEAD}/reports/v3.json`));
    link(dir, `${LEAD}/reports/metrics.json`, 'v3.json');
    commitAll(dir, 'report v3');
    return dir;
  }

  it('counts when the link and its target are committed, and values come from the target', () => {
    const dir = linkedReport();
    expect(check(dir, ['--phase', 'build']).code).toBe(0);
    edit(dir, `${LEAD}/reports/v3.json`, '"roc_auc": 0.78', '"roc_auc": 0.65');
    commitAll(dir, 'report v3, worse');
    const r = check(dir, ['--phase', 'build']);
    expect(r.code).toBe(1);
    expect(r.out).toContain(
      `guardrail \`auc\`: roc_auc is 0.65 in ${LEAD}/reports/metrics.json#/metrics/roc_auc, below min 0.7`,
    );
  });

  it('fails G1 naming the target changed in the working tree, and does not read its value', () => {
    const dir = linkedReport();
    edit(dir, `${LEAD}/reports/v3.json`, '"roc_auc": 0.78', '"roc_auc": 0.123457');
    const r = check(dir, ['--phase', 'build']);
    expect(r.code).toBe(1);
    const target = `${LEAD}/reports/v3.json`;
    expect(r.out).toContain(
      `    ✖ G1  Evidence committed to git\n        guardrail \`parity\`: ${LEAD}/reports/metrics.json is a symbolic link to ${target}, which has uncommitted changes\n        → commit them (\`git add ${target} && git commit -m "Update evidence of lead-scoring"\`), or discard them (\`git restore ${target}\`)`,
    );
    expect(r.out).toContain(
      `guardrail \`auc\`: ${LEAD}/reports/metrics.json is a symbolic link to ${target}, which has uncommitted changes (rule G1)`,
    );
    expect(r.out).not.toContain('0.123457');
    // staged is not committed either
    git(dir, ['add', target]);
    expect(check(dir, ['--phase', 'build']).out).toContain(
      `${LEAD}/reports/metrics.json is a symbolic link to ${target}, which is staged but not committed`,
    );
  });

  it('fails G1 when the link itself points elsewhere than its commit, or at an uncommitted file', () => {
    const dir = linkedReport();
    writeFileSync(join(dir, `${LEAD}/reports/v4.json`), '{"metrics": {"roc_auc": 0.123457}}\n');
    link(dir, `${LEAD}/reports/metrics.json`, 'v4.json');
    const moved = check(dir, ['--phase', 'build']);
    expect(moved.code).toBe(1);
    expect(moved.out).toContain(
      `guardrail \`auc\`: ${LEAD}/reports/metrics.json has uncommitted changes (rule G1)`,
    );
    expect(moved.out).not.toContain('0.123457');
    git(dir, ['add', `${LEAD}/reports/metrics.json`]);
    git(dir, ['commit', '-q', '-m', 'link to v4 only']);
    const r = check(dir, ['--phase', 'build']);
    expect(r.out).toContain(
      `guardrail \`auc\`: ${LEAD}/reports/metrics.json is a symbolic link to ${LEAD}/reports/v4.json, which is not committed\n        → commit it: \`git add ${LEAD}/reports/v4.json && git commit -m "Add evidence of lead-scoring"\``,
    );
    expect(r.out).not.toContain('0.123457');
  });

  it('judges the file reached through a linked folder, and names the folder link', () => {
    const dir = readyRepo();
    mkdirSync(join(dir, 'shared'));
    renameSync(join(dir, `${LEAD}/reports`), join(dir, 'shared/lead-reports'));
    link(dir, `${LEAD}/reports`, '../../shared/lead-reports');
    commitAll(dir, 'shared reports');
    expect(check(dir, ['--phase', 'build']).code).toBe(0);
    edit(dir, 'shared/lead-reports/metrics.json', '"roc_auc": 0.78', '"roc_auc": 0.123457');
    const r = check(dir, ['--phase', 'build']);
    expect(r.code).toBe(1);
    expect(r.out).toContain(
      `guardrail \`auc\`: ${LEAD}/reports/metrics.json leads through the symbolic link ${LEAD}/reports to shared/lead-reports/metrics.json, which has uncommitted changes`,
    );
    expect(r.out).not.toContain('0.123457');
  });

  it('reads the history of a linked value report from the file it leads to (M2, M3)', () => {
    const dir = readyRepo();
    renameSync(
      join(dir, `${LEAD}/reports/value.json`),
      join(dir, `${LEAD}/reports/value-data.json`),
    );
    link(dir, `${LEAD}/reports/value.json`, 'value-data.json');
    commitAll(dir, 'value report behind a link');
    const ok = check(dir, []);
    expect(ok.out).toContain('✔ meets its status monitor');
    writeFileSync(
      join(dir, `${LEAD}/reports/value-data.json`),
      '{ "metrics": { "conversion": 9.5 } }\n',
    );
    commitAll(dir, 'value fell', '2026-11-25T12:00:00Z');
    const r = check(dir, []);
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/conversion\s+10 → 14 → 9\.5/);
  });
});

describe('large evidence', { timeout: 180_000 }, () => {
  it('refuses a 1.5 GB report read for values after its size, in modest memory', () => {
    const dir = readyRepo();
    const path = `${LEAD}/reports/metrics.json`;
    truncateSync(join(dir, path), 1500 * MiB);
    pretendCommitted(dir, path);
    const r = check(dir, ['--phase', 'build']);
    expect(r.code).toBe(1);
    expect(r.out).toContain(
      `guardrail \`auc\`: ${path} is 1.46 GiB (1572864000 bytes), over the 32 MiB limit for evidence read for an observed value; it was not read`,
    );
    expect(r.rssMiB).toBeLessThan(200);
  });

  it('hashes evidence with a sha256 in chunks up to 256 MiB, and refuses a larger file', () => {
    const dir = readyRepo();
    const sheet = `${LEAD}/docs/datasheet.md`;
    const card = `${LEAD}/docs/model-card.md`;
    truncateSync(join(dir, sheet), 40 * MiB);
    const sha = createHash('sha256')
      .update(readFileSync(join(dir, sheet)))
      .digest('hex');
    truncateSync(join(dir, card), 1500 * MiB);
    edit(
      dir,
      M,
      'datasheet: docs/datasheet.md',
      `datasheet: { path: docs/datasheet.md, sha256: "${sha}" }`,
    );
    edit(
      dir,
      M,
      'modelCard: docs/model-card.md',
      `modelCard: { path: docs/model-card.md, sha256: "${'0'.repeat(64)}" }`,
    );
    git(dir, ['add', M]);
    git(dir, ['commit', '-q', '-m', 'hashes']);
    pretendCommitted(dir, sheet);
    pretendCommitted(dir, card);
    const r = check(dir, ['--phase', 'build', '--format', 'json']);
    expect(r.code).toBe(1);
    const json = JSON.parse(r.out) as {
      manifests: {
        phases: { phase: string; rules: { id: string; findings: { message: string }[] }[] }[];
      }[];
    };
    const build = json.manifests[0]!.phases.find((p) => p.phase === 'build')!;
    const g1 = build.rules.find((x) => x.id === 'G1')!;
    expect(g1.findings.map((f) => f.message)).toEqual([
      `model card: ${card} is 1.46 GiB (1572864000 bytes), over the 256 MiB limit for evidence with a sha256; it was not read`,
    ]);
    expect(r.rssMiB).toBeLessThan(200);
  });
});
