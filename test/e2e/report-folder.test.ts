// The folder `mlops report` writes its site into, through the built CLI: what it writes and
// records, that it replaces only what an earlier report wrote (unless --force), removes only
// its own unchanged pages of models no longer reported, never writes through a symlink nor
// deletes a folder, and that two runs at once leave a consistent site.
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  cpSync,
  existsSync,
  lstatSync,
  mkdirSync,
  readFileSync,
  readdirSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { BIN, runBin } from '../helpers/bin.js';
import { git, gitDir, tempDir } from '../helpers/gitdir.js';

// each case builds a repository and runs the CLI several times
vi.setConfig({ testTimeout: 120_000 });

const EXAMPLES = new URL('../../examples/', import.meta.url).pathname;
const TODAY = ['--today', '2026-11-30'];
const CHURN = 'models/churn-propensity.html';
const FORECAST = 'models/store-demand-forecast.html';
const SECOND = 'models/second-forecast.html';

/** The two examples and a second forecast (`second-forecast`), committed. */
function repo(): string {
  const dir = gitDir();
  cpSync(EXAMPLES, dir, { recursive: true });
  cpSync(join(dir, 'forecast'), join(dir, 'second'), { recursive: true });
  const m = join(dir, 'second/mlops.yaml');
  writeFileSync(
    m,
    readFileSync(m, 'utf8').replace('name: store-demand-forecast', 'name: second-forecast'),
  );
  git(dir, ['add', '-A']);
  git(dir, ['commit', '-q', '-m', 'models'], {
    GIT_AUTHOR_DATE: '2026-11-20T12:00:00Z',
    GIT_COMMITTER_DATE: '2026-11-20T12:00:00Z',
  });
  return dir;
}

const sha = (bytes: Buffer): string => `sha256:${createHash('sha256').update(bytes).digest('hex')}`;

/** Every file under `dir` (relative, forward slashes) with its bytes. */
function files(dir: string): Map<string, Buffer> {
  const out = new Map<string, Buffer>();
  const walk = (rel: string): void => {
    for (const e of readdirSync(join(dir, rel), { withFileTypes: true })) {
      const p = rel ? `${rel}/${e.name}` : e.name;
      if (e.isDirectory()) walk(p);
      else out.set(p, readFileSync(join(dir, p)));
    }
  };
  walk('');
  return out;
}

/** The record of what the last report wrote. */
function record(site: string): Record<string, string> {
  const r = JSON.parse(readFileSync(join(site, '.mlops-report.json'), 'utf8')) as {
    tool: string;
    files: Record<string, string>;
  };
  expect(r.tool).toBe('mlops');
  return r.files;
}

describe('mlops report writes its folder', () => {
  it('a page per model, the portfolio and a record of their hashes; the same inputs give the same bytes', () => {
    const dir = repo();
    const r = runBin(['report', ...TODAY], dir);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('wrote mlops-report/index.html and 3 model pages\n');
    const site = join(dir, 'mlops-report');
    const first = files(site);
    expect([...first.keys()].sort()).toEqual(
      ['.mlops-report.json', 'index.html', CHURN, SECOND, FORECAST].sort(),
    );
    const recorded = record(site);
    expect(Object.keys(recorded)).toEqual(['index.html', CHURN, SECOND, FORECAST]);
    for (const [name, hash] of Object.entries(recorded)) expect(sha(first.get(name)!)).toBe(hash);
    // each page links the others by the names it was written under
    const index = first.get('index.html')!.toString('utf8');
    for (const page of [CHURN, SECOND, FORECAST]) expect(index).toContain(`href="${page}"`);
    // again: the same bytes, and no file left over
    const again = runBin(['report', ...TODAY], dir);
    expect(again.code).toBe(0);
    expect(files(site)).toEqual(first);
  });

  it('refuses to replace a file it did not write, before writing anything; --force replaces it', () => {
    const dir = repo();
    const site = join(dir, 'site');
    mkdirSync(site);
    writeFileSync(join(site, 'index.html'), '<p>the team wiki</p>\n');
    const r = runBin(['report', '-o', 'site', ...TODAY], dir);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain(
      'site/index.html was not written by an earlier mlops report, or was changed since; nothing was written',
    );
    expect(r.stderr).toContain('--force');
    expect([...files(site).keys()]).toEqual(['index.html']);
    expect(readFileSync(join(site, 'index.html'), 'utf8')).toBe('<p>the team wiki</p>\n');

    const f = runBin(['report', '-o', 'site', '--force', ...TODAY], dir);
    expect(f.code).toBe(0);
    expect(readFileSync(join(site, 'index.html'), 'utf8')).toMatch(/^<!doctype html>/i);
    expect(sha(readFileSync(join(site, 'index.html')))).toBe(record(site)['index.html']);
  });

  it('an edited page is never replaced without --force, nor removed; its own unchanged pages of models gone are removed', () => {
    const dir = repo();
    const site = join(dir, 'mlops-report');
    expect(runBin(['report', ...TODAY], dir).code).toBe(0);
    // the user edits a page: the next run refuses to overwrite it
    const edited = '<p>notes on churn</p>\n';
    writeFileSync(join(site, CHURN), edited);
    const refused = runBin(['report', ...TODAY], dir);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain(`mlops-report/${CHURN} was not written by an earlier`);
    // two models leave the repository: the edited page stays, the page as written goes
    git(dir, ['rm', '-q', '-r', 'churn', 'second']);
    git(dir, ['commit', '-q', '-m', 'retire two']);
    const r = runBin(['report', ...TODAY], dir);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(
      [
        'wrote mlops-report/index.html and 1 model page',
        `removed mlops-report/${SECOND}: its model is no longer reported`,
        `left mlops-report/${CHURN} in place: an earlier report wrote it, and it was changed since`,
        '',
      ].join('\n'),
    );
    expect(existsSync(join(site, SECOND))).toBe(false);
    expect(readFileSync(join(site, CHURN), 'utf8')).toBe(edited);
    expect(Object.keys(record(site))).toEqual(['index.html', FORECAST]);
    // the page left is no longer the report's: a model of that name back is refused
    git(dir, ['checkout', '-q', 'HEAD~1', '--', 'churn']);
    git(dir, ['commit', '-q', '-m', 'churn back']);
    expect(runBin(['report', ...TODAY], dir).code).toBe(2);
    expect(readFileSync(join(site, CHURN), 'utf8')).toBe(edited);
  });

  it('never writes through a symlink: not as the folder, not as models/, not as a page', () => {
    const dir = repo();
    const elsewhere = tempDir();
    symlinkSync(elsewhere, join(dir, 'linked'));
    const a = runBin(['report', '-o', 'linked', ...TODAY], dir);
    expect(a.code).toBe(2);
    expect(a.stderr).toContain('linked is a symlink');
    expect(readdirSync(elsewhere)).toEqual([]);

    mkdirSync(join(dir, 'site'));
    symlinkSync(elsewhere, join(dir, 'site/models'));
    const b = runBin(['report', '-o', 'site', ...TODAY], dir);
    expect(b.code).toBe(2);
    expect(b.stderr).toContain('site/models is a symlink');
    expect(readdirSync(elsewhere)).toEqual([]);
    expect(readdirSync(join(dir, 'site'))).toEqual(['models']);

    // a page that is a link: replaced with --force, the file it leads to untouched
    const outside = join(elsewhere, 'precious.html');
    writeFileSync(outside, 'keep me\n');
    mkdirSync(join(dir, 'other'));
    symlinkSync(outside, join(dir, 'other/index.html'));
    const c = runBin(['report', '-o', 'other', ...TODAY], dir);
    expect(c.code).toBe(2);
    expect(c.stderr).toContain('other/index.html was not written by an earlier mlops report');
    const d = runBin(['report', '-o', 'other', '--force', ...TODAY], dir);
    expect(d.code).toBe(0);
    expect(lstatSync(join(dir, 'other/index.html')).isFile()).toBe(true);
    expect(readFileSync(outside, 'utf8')).toBe('keep me\n');

    // a file where the folder should be
    writeFileSync(join(dir, 'plain'), 'x\n');
    const e = runBin(['report', '-o', 'plain', ...TODAY], dir);
    expect(e.code).toBe(2);
    expect(e.stderr).toContain('plain is a file, not a folder');
  });

  it('never deletes a folder: one in the way of a page is refused, --force or not', () => {
    const dir = repo();
    mkdirSync(join(dir, 'mlops-report', CHURN), { recursive: true });
    writeFileSync(join(dir, 'mlops-report', CHURN, 'notes.txt'), 'mine\n');
    for (const force of [[], ['--force']]) {
      const r = runBin(['report', ...force, ...TODAY], dir);
      expect(r.code).toBe(2);
      expect(r.stderr).toContain(
        `mlops-report/${CHURN} is a folder where mlops report writes a page`,
      );
      expect(readFileSync(join(dir, 'mlops-report', CHURN, 'notes.txt'), 'utf8')).toBe('mine\n');
      expect(existsSync(join(dir, 'mlops-report/index.html'))).toBe(false);
    }
  });

  it('two runs at once take turns: both succeed, and the site matches its record', async () => {
    const dir = repo();
    const once = (): Promise<number> =>
      new Promise((resolve) => {
        const env: Record<string, string | undefined> = { ...process.env, NO_COLOR: '1' };
        delete env.FORCE_COLOR;
        const child = spawn(process.execPath, [BIN, 'report', ...TODAY], {
          cwd: dir,
          env,
          stdio: 'ignore',
        });
        child.on('close', (code) => resolve(code ?? -1));
      });
    expect(await Promise.all([once(), once(), once()])).toEqual([0, 0, 0]);
    const site = join(dir, 'mlops-report');
    const all = files(site);
    // no temporary file nor lock left, every page as recorded
    expect([...all.keys()].sort()).toEqual(
      ['.mlops-report.json', 'index.html', CHURN, SECOND, FORECAST].sort(),
    );
    for (const [name, hash] of Object.entries(record(site))) expect(sha(all.get(name)!)).toBe(hash);
  });
});
