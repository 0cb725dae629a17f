import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { onTestFinished } from 'vitest';

/** Runs git in `cwd` with a fixed identity and no user or system config. */
export function git(cwd: string, args: string[], env: Record<string, string> = {}): string {
  return execFileSync('git', args, {
    cwd,
    encoding: 'utf8',
    env: {
      ...process.env,
      GIT_CONFIG_NOSYSTEM: '1',
      GIT_CONFIG_GLOBAL: '/dev/null',
      GIT_AUTHOR_NAME: 'Test',
      GIT_AUTHOR_EMAIL: 'test@example.com',
      GIT_COMMITTER_NAME: 'Test',
      GIT_COMMITTER_EMAIL: 'test@example.com',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

/** A temporary folder, removed when the test finishes. */
export function tempDir(prefix = 'mlops-test-'): string {
  const dir = realpathSync(mkdtempSync(join(tmpdir(), prefix)));
  onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** A temporary git repository on branch main with one initial commit. */
export function gitDir(): string {
  const dir = tempDir('mlops-git-');
  git(dir, ['init', '-q', '-b', 'main']);
  git(dir, ['config', 'user.name', 'Test']);
  git(dir, ['config', 'user.email', 'test@example.com']);
  git(dir, ['config', 'commit.gpgSign', 'false']);
  git(dir, ['config', 'gc.auto', '0']);
  git(dir, ['commit', '-q', '--allow-empty', '-m', 'initial']);
  return dir;
}

/** Writes files (creating folders) without committing. */
export function writeFiles(cwd: string, files: Record<string, string>): void {
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(dirname(join(cwd, path)), { recursive: true });
    writeFileSync(join(cwd, path), content);
  }
}

/**
 * Writes and commits files; `date` (ISO) sets both author and committer dates, for freshness
 * tests. Returns the new commit's hash.
 */
export function commitFiles(
  cwd: string,
  files: Record<string, string>,
  message: string,
  date?: string,
): string {
  writeFiles(cwd, files);
  git(cwd, ['add', '--', ...Object.keys(files)]);
  const env: Record<string, string> = date
    ? { GIT_AUTHOR_DATE: date, GIT_COMMITTER_DATE: date }
    : {};
  git(cwd, ['commit', '-q', '-m', message], env);
  return git(cwd, ['rev-parse', 'HEAD']).trim();
}
