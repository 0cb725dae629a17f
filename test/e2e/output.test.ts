import { spawnSync } from 'node:child_process';
import {
  chmodSync,
  existsSync,
  lstatSync,
  mkdirSync,
  readFileSync,
  readdirSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BIN, runBin } from '../helpers/bin.js';
import { commitFiles, gitDir, tempDir, writeFiles } from '../helpers/gitdir.js';

const fixture = (name: string): string =>
  readFileSync(new URL(`../fixtures/validate/${name}/mlops.yaml`, import.meta.url), 'utf8');
const HEAD = 'apiVersion: mlops/v1\nkind: Config\n';
const ISOLATED_GIT = { GIT_CONFIG_GLOBAL: '/dev/null', GIT_CONFIG_NOSYSTEM: '1' };

/** A folder (no git) with one manifest that has a warning and one that has errors. */
function folder(): string {
  const dir = tempDir();
  writeFiles(dir, {
    'models/drift/mlops.yaml': fixture('warning-only'),
    'models/broken/mlops.yaml': fixture('broken'),
  });
  return dir;
}

/** The built CLI with `input` on standard input, killed after a minute rather than hanging. */
function withInput(args: string[], cwd: string, input: string | Buffer) {
  const env: Record<string, string | undefined> = { ...process.env, NO_COLOR: '1' };
  delete env.FORCE_COLOR;
  const r = spawnSync(process.execPath, [BIN, ...args], {
    cwd,
    input,
    encoding: 'utf8',
    env,
    timeout: 60_000,
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('--format name=path and --output: several reports from one run', () => {
  it('writes each report where it is sent, even when the run exits 1', () => {
    const dir = folder();
    const r = runBin(
      ['validate', '-f', 'json', '-f', 'sarif=reports/mlops.sarif', '-f', 'text=out/report.txt'],
      dir,
    );
    expect(r.code).toBe(1);
    expect(r.stderr).toBe('');
    const json = JSON.parse(r.stdout);
    expect(json.summary).toEqual({ files: 2, errors: expect.any(Number), warnings: 1 });
    const sarif = JSON.parse(readFileSync(join(dir, 'reports/mlops.sarif'), 'utf8'));
    expect(sarif.version).toBe('2.1.0');
    expect(sarif.runs[0].results.length).toBe(json.diagnostics.length);
    // the text report is the one stdout would have had, without color
    expect(readFileSync(join(dir, 'out/report.txt'), 'utf8')).toBe(
      runBin(['validate', '-f', 'text'], dir, { FORCE_COLOR: '1' }).stdout.replace(
        // eslint-disable-next-line no-control-regex
        /\x1b\[[0-9;]*m/g,
        '',
      ),
    );
    expect(readFileSync(join(dir, 'out/report.txt'), 'utf8')).not.toContain('\x1b[');
    // no temporary file is left beside the reports
    expect(readdirSync(join(dir, 'reports'))).toEqual(['mlops.sarif']);
    expect(readdirSync(join(dir, 'out'))).toEqual(['report.txt']);
  });

  it('reports sent only to files leave the text report on standard output', () => {
    const dir = folder();
    const r = runBin(['validate', '-f', 'json=report.json'], dir);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('models/drift/mlops.yaml');
    expect(r.stdout).toMatch(/✖ \d+ errors?, 1 warning in 2 of 2 manifests/);
    expect(JSON.parse(readFileSync(join(dir, 'report.json'), 'utf8')).command).toBe('validate');
  });

  it('-o writes the report of standard output to a file, replacing it, and prints nothing', () => {
    const dir = folder();
    writeFileSync(join(dir, 'report.json'), 'old content that is longer than nothing\n'.repeat(50));
    const r = runBin(['validate', '-f', 'json', '-o', 'report.json'], dir);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe('');
    const written = readFileSync(join(dir, 'report.json'), 'utf8');
    expect(written).toBe(runBin(['validate', '-f', 'json'], dir).stdout);
    // without --format, the text report
    runBin(['validate', '--output', 'report.txt'], dir);
    expect(readFileSync(join(dir, 'report.txt'), 'utf8')).toContain('models/broken/mlops.yaml');
  });

  it('a symlink named as the output is written through, as the shell writes', () => {
    const dir = folder();
    mkdirSync(join(dir, 'real'));
    symlinkSync('real/report.json', join(dir, 'link.json'));
    expect(runBin(['validate', '-f', 'json', '-o', 'link.json'], dir).code).toBe(1);
    expect(JSON.parse(readFileSync(join(dir, 'real/report.json'), 'utf8')).command).toBe(
      'validate',
    );
  });

  it('check and diff take the same options', () => {
    const dir = gitDir();
    commitFiles(dir, { 'models/drift/mlops.yaml': fixture('warning-only') }, 'add');
    const check = runBin(
      ['check', '--today', '2026-11-27', '-f', 'markdown=comment.md', '-f', 'json'],
      dir,
      ISOLATED_GIT,
    );
    expect(JSON.parse(check.stdout).command).toBe('check');
    expect(readFileSync(join(dir, 'comment.md'), 'utf8')).toContain('drift-model');
    writeFiles(dir, {
      'models/drift/mlops.yaml': fixture('warning-only').replace('max: 0.25', 'max: 0.3'),
    });
    const diff = runBin(['diff', 'main', '-f', 'json=diff.json', '-o', 'diff.txt'], dir, {
      ...ISOLATED_GIT,
    });
    expect(diff.code).toBe(1);
    expect(diff.stdout).toBe('');
    expect(readFileSync(join(dir, 'diff.txt'), 'utf8')).toContain('demand-psi');
    const json = JSON.parse(readFileSync(join(dir, 'diff.json'), 'utf8'));
    expect(json.changes.map((c: { class: string }) => c.class)).toContain('loosened');
  });

  it('machine formats give paths from the repository root, text from the current folder', () => {
    const dir = gitDir();
    writeFiles(dir, { 'models/drift/mlops.yaml': fixture('warning-only') });
    const sub = join(dir, 'models');
    const r = runBin(['validate', '-f', 'json', '-f', 'text=report.txt'], sub, ISOLATED_GIT);
    expect(JSON.parse(r.stdout).files).toEqual(['models/drift/mlops.yaml']);
    expect(readFileSync(join(sub, 'report.txt'), 'utf8')).toContain('drift/mlops.yaml:');
    expect(readFileSync(join(sub, 'report.txt'), 'utf8')).not.toContain('models/drift');
  });
});

describe('output options that cannot be followed stop the run (exit 2) before any work', () => {
  it('two formats to standard output, an unknown format, a format without a file', () => {
    const dir = folder();
    const two = runBin(['validate', '-f', 'json', '-f', 'sarif'], dir);
    expect(two).toMatchObject({ code: 2, stdout: '' });
    expect(two.stderr).toBe(
      'mlops: --format json and --format sarif both go to standard output; only one can\nhint: give all formats but one a file: --format sarif=<file>\n',
    );
    const unknown = runBin(['check', '-f', 'sarf'], dir);
    expect(unknown).toMatchObject({ code: 2, stdout: '' });
    expect(unknown.stderr).toContain(
      'unknown format "sarf" for mlops check (did you mean "sarif"?)',
    );
    expect(unknown.stderr).toMatch(/hint: --format takes one of text, json, markdown, .*sarif/);
    // markdown is a format of check and diff, not of validate
    expect(runBin(['validate', '-f', 'markdown'], dir).code).toBe(2);
    const empty = runBin(['validate', '-f', 'json='], dir);
    expect(empty).toMatchObject({ code: 2, stdout: '' });
    expect(empty.stderr).toContain('--format json=: no file after "="');
    const same = runBin(['validate', '-f', 'json=a.json', '-f', 'sarif=a.json'], dir);
    expect(same.code).toBe(2);
    expect(same.stderr).toContain('json and sarif would both be written to a.json');
    expect(existsSync(join(dir, 'a.json'))).toBe(false);
  });

  it('a folder as the output file: one line naming it, then a hint', () => {
    const dir = folder();
    mkdirSync(join(dir, 'out'));
    const r = runBin(['validate', '-o', 'out'], dir);
    expect(r).toMatchObject({ code: 2, stdout: '' });
    expect(r.stderr).toBe(
      'mlops: cannot write out: it is a folder; nothing was written\nhint: give the path of a file, e.g. out/mlops-report.txt\n',
    );
  });

  it('a file that cannot be written: exit 2 naming it and the cause (as uid 65534)', (ctx) => {
    // root writes through chmod, so the refusal is shown as another user
    if (process.getuid?.() !== 0) return ctx.skip('running as uid 65534 needs root');
    if (spawnSync('setpriv', ['--version']).status !== 0) return ctx.skip('no setpriv');
    const dir = folder();
    chmodSync(dir, 0o755);
    mkdirSync(join(dir, 'locked'), { mode: 0o555 });
    chmodSync(join(dir, 'locked'), 0o555);
    const r = spawnSync(
      'setpriv',
      [
        '--reuid=65534',
        '--regid=65534',
        '--clear-groups',
        process.execPath,
        BIN,
        'validate',
        '--no-cache',
        '-f',
        'sarif=locked/mlops.sarif',
      ],
      {
        cwd: dir,
        encoding: 'utf8',
        env: { ...process.env, NO_COLOR: '1', HOME: dir },
        timeout: 60_000,
      },
    );
    expect(r.status).toBe(2);
    expect(r.stderr.split('\n')[0]).toBe(
      'mlops: cannot write locked/mlops.sarif: permission denied; nothing was written',
    );
    expect(r.stderr).toMatch(/^hint: .*locked.* writable/m);
    expect(readdirSync(join(dir, 'locked'))).toEqual([]);
  });
});

describe('--quiet and --max-warnings', () => {
  it('--quiet leaves warnings out of every format; the exit code is the same', () => {
    const dir = folder();
    const loud = runBin(['validate', '-f', 'json'], dir);
    const quiet = runBin(['validate', '-f', 'json', '--quiet', '-f', 'text=quiet.txt'], dir);
    expect(quiet.code).toBe(loud.code);
    const all = JSON.parse(loud.stdout).diagnostics as { severity: string }[];
    const errors = JSON.parse(quiet.stdout).diagnostics as { severity: string }[];
    expect(all.some((d) => d.severity === 'warning')).toBe(true);
    expect(errors).toEqual(all.filter((d) => d.severity === 'error'));
    expect(readFileSync(join(dir, 'quiet.txt'), 'utf8')).not.toContain('PSI_BINS_MISSING');
  });

  it('--max-warnings: exit 1 above the limit, warnings counted even when --quiet hides them', () => {
    const dir = tempDir();
    writeFiles(dir, { 'mlops.yaml': fixture('warning-only') });
    expect(runBin(['validate'], dir).code).toBe(0);
    expect(runBin(['validate', '--max-warnings', '1'], dir).code).toBe(0);
    const over = runBin(['validate', '--max-warnings', '0', '--quiet'], dir);
    expect(over.code).toBe(1);
    expect(over.stdout).toBe('✔ 1 manifest valid\n');
    expect(over.stderr).toBe(
      'mlops: 1 warning, more than --max-warnings 0 allows\nhint: fix the warnings (run without --quiet to see them), or allow more with --max-warnings <n>\n',
    );
    const bad = runBin(['validate', '--max-warnings', 'many'], dir);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--max-warnings must be a whole number of 0 or more, not "many"');
  });

  it('--quiet says on stderr when warnings it hides fail the run (strict)', () => {
    const dir = tempDir();
    writeFiles(dir, { 'mlops.yaml': fixture('warning-only') });
    const r = runBin(['validate', '--strict', '--quiet'], dir);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('the run fails on warnings that --quiet leaves out of the report');
  });

  it('diff: --quiet keeps the errors; --max-warnings counts warn changes', () => {
    const dir = gitDir();
    const base = fixture('warning-only');
    commitFiles(dir, { 'models/drift/mlops.yaml': base }, 'add');
    // a drift max raised is loosened (error); a new tag is changed (info)
    writeFiles(dir, {
      'models/drift/mlops.yaml': base
        .replace('max: 0.25', 'max: 0.3')
        .replace('  riskTier: low', '  riskTier: low\n  tags: [retail]'),
    });
    const loud = JSON.parse(runBin(['diff', 'main', '-f', 'json'], dir, ISOLATED_GIT).stdout);
    const quiet = JSON.parse(
      runBin(['diff', 'main', '-f', 'json', '--quiet'], dir, ISOLATED_GIT).stdout,
    );
    expect(loud.changes.some((c: { level: string }) => c.level !== 'error')).toBe(true);
    expect(quiet.changes.length).toBeGreaterThan(0);
    expect(quiet.changes.every((c: { level: string }) => c.level === 'error')).toBe(true);
    expect(quiet.summary.infos).toBe(0);
  });
});

describe('output defaults in mlops.config.yaml', () => {
  it('format, quiet and maxWarnings apply; paths are relative to the config file; flags win', () => {
    const dir = gitDir();
    writeFiles(dir, {
      'mlops.config.yaml': `${HEAD}output:\n  format: [json, sarif=reports/mlops.sarif, markdown=reports/comment.md]\n  maxWarnings: 0\n`,
      'models/drift/mlops.yaml': fixture('warning-only'),
    });
    const sub = join(dir, 'models');
    // validate has no markdown: that entry is for check and diff
    const r = runBin(['validate'], sub, ISOLATED_GIT);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(
      'mlops: 1 warning, more than maxWarnings: 0 in ../mlops.config.yaml allows',
    );
    const json = JSON.parse(r.stdout);
    expect(json.config.settings).toEqual(
      expect.arrayContaining([
        { key: 'output.maxWarnings', value: 0, source: 'mlops.config.yaml' },
      ]),
    );
    expect(existsSync(join(dir, 'reports/mlops.sarif'))).toBe(true);
    expect(existsSync(join(dir, 'reports/comment.md'))).toBe(false);
    expect(existsSync(join(sub, 'reports'))).toBe(false);
    // flags win: a format, no limit
    const flags = runBin(['validate', '-f', 'text', '--max-warnings', '-1'], sub, ISOLATED_GIT);
    expect(flags.code).toBe(0);
    expect(flags.stdout).toContain('drift/mlops.yaml');
    expect(flags.stderr).toBe('');
  });

  it('quiet: true, and --no-quiet for one run', () => {
    const dir = tempDir();
    writeFiles(dir, {
      'mlops.config.yaml': `${HEAD}output:\n  quiet: true\n`,
      'mlops.yaml': fixture('warning-only'),
    });
    expect(runBin(['validate'], dir).stdout).not.toContain('PSI_BINS_MISSING');
    expect(runBin(['validate', '--no-quiet'], dir).stdout).toContain('PSI_BINS_MISSING');
  });

  it('an invalid output setting stops the run with its place and the formats', () => {
    const dir = tempDir();
    writeFiles(dir, {
      'mlops.config.yaml': `${HEAD}output:\n  format: [sarf=x.sarif]\n  maxWarnings: -1\n`,
      'mlops.yaml': fixture('minimal'),
    });
    const r = runBin(['validate'], dir);
    expect(r).toMatchObject({ code: 2, stdout: '' });
    expect(r.stderr).toContain(
      'mlops.config.yaml:4:12  error    CONFIG_ENUM  output.format[0]: "sarf=x.sarif" is not one of text, json, markdown, github, sarif, junit, codequality, <name>=<file> (did you mean "sarif=x.sarif"?)',
    );
    expect(r.stderr).toContain(
      'mlops.config.yaml:5:16  error    CONFIG_TYPE  output.maxWarnings: expected a whole number of 0 or more, found -1',
    );
  });

  it('mlops schema --config describes output and check.branches', () => {
    const schema = JSON.parse(runBin(['schema', '--config'], tempDir()).stdout);
    expect(Object.keys(schema.properties.output.properties)).toEqual([
      'format',
      'maxWarnings',
      'quiet',
    ]);
    expect(schema.properties.check.properties.branches.additionalProperties.enum).toEqual([
      'envision',
      'build',
      'deploy',
      'monitor',
    ]);
  });
});

describe('mlops validate - (standard input)', () => {
  it('--stdin-filepath names it: positions, its config, its path from the root', () => {
    const dir = gitDir();
    writeFiles(dir, { 'examples/mlops.config.yaml': `${HEAD}strict: true\n` });
    const text = fixture('warning-only');
    const sub = join(dir, 'examples');
    const r = withInput(
      ['validate', '-', '--stdin-filepath', 'drift/mlops.yaml', '-f', 'json'],
      sub,
      text,
    );
    // strict from examples/mlops.config.yaml: the warning fails
    expect(r.code).toBe(1);
    const json = JSON.parse(r.stdout);
    expect(json.files).toEqual(['examples/drift/mlops.yaml']);
    expect(json.diagnostics).toMatchObject([
      { code: 'PSI_BINS_MISSING', file: 'examples/drift/mlops.yaml', line: expect.any(Number) },
    ]);
    // nothing is read or written at that path
    expect(existsSync(join(sub, 'drift'))).toBe(false);
    const plain = withInput(['validate', '-', '--stdin-filepath', 'drift/mlops.yaml'], sub, text);
    expect(plain.stdout).toMatch(/^drift\/mlops\.yaml:\d+:\d+ {2}warning/);
  });

  it('without --stdin-filepath it is <stdin>; errors are located', () => {
    const dir = tempDir();
    const text = fixture('warning-only').replace('riskTier: low', 'riskTier: lw');
    const r = withInput(['validate', '-'], dir, text);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^<stdin>:8:13 {2}error {4}SCHEMA_ENUM {2}metadata\.riskTier: "lw"/);
    expect(withInput(['validate', '-'], dir, fixture('minimal')).code).toBe(0);
  });

  it('input over 1 MiB is a finding, never parsed; - with other paths is exit 2', () => {
    const dir = tempDir();
    const big = withInput(['validate', '-'], dir, Buffer.alloc(2 * 1024 * 1024, 0x61));
    expect(big.code).toBe(1);
    expect(big.stdout).toContain('FILE_TOO_LARGE');
    writeFiles(dir, { 'mlops.yaml': fixture('minimal') });
    const mixed = withInput(['validate', '-', 'mlops.yaml'], dir, '');
    expect(mixed.code).toBe(2);
    expect(mixed.stderr).toContain('- (standard input) cannot be mixed with other paths');
    const alone = runBin(['validate', '--stdin-filepath', 'x/mlops.yaml'], dir);
    expect(alone.code).toBe(2);
    expect(alone.stderr).toContain('hint: add - to read it');
  });
});

describe('mlops check --branch', () => {
  function repo(branches: string): string {
    const dir = gitDir();
    commitFiles(
      dir,
      {
        'mlops.config.yaml': `${HEAD}check:\n  branches:\n${branches}`,
        'models/drift/mlops.yaml': fixture('warning-only'),
      },
      'add',
    );
    return dir;
  }
  const phaseOf = (dir: string, args: string[]): unknown =>
    JSON.parse(
      runBin(['check', '--today', '2026-11-27', '-f', 'json', ...args], dir, ISOLATED_GIT).stdout,
    ).phase;

  it('the first glob that matches, in file order, gives the phase; --phase wins', () => {
    const dir = repo(
      '    main: deploy\n    "release/*": monitor\n    "**": build\n    "*": envision\n',
    );
    expect(phaseOf(dir, ['--branch', 'main'])).toBe('deploy');
    expect(phaseOf(dir, ['--branch', 'release/2.0'])).toBe('monitor');
    // * stays within a segment; ** crosses them, and comes first here
    expect(phaseOf(dir, ['--branch', 'release/2.0/hotfix'])).toBe('build');
    expect(phaseOf(dir, ['--branch', 'topic'])).toBe('build');
    expect(phaseOf(dir, ['--branch', 'main', '--phase', 'envision'])).toBe('envision');
    expect(phaseOf(dir, [])).toBe(null);
    const text = runBin(['check', '--today', '2026-11-27', '--branch', 'main'], dir, ISOLATED_GIT);
    expect(text.stdout).toContain('not ready for deploy');
    expect(text.stdout).toContain('check.branches: main → deploy from mlops.config.yaml');
  });

  it('no glob matches: each model is held to its status', () => {
    const dir = repo('    "release/*": monitor\n');
    expect(phaseOf(dir, ['--branch', 'feature/x'])).toBe(null);
  });
});

describe('a report written into a named pipe or a device, as the shell writes', () => {
  it('writes into a FIFO a reader holds, leaves it a FIFO, and refuses one nobody reads', async () => {
    const dir = folder();
    const fifo = join(dir, 'report.fifo');
    expect(spawnSync('mkfifo', [fifo]).status).toBe(0);
    // nobody reads it: refused at once, with the cause and the fix, rather than waited on
    const alone = runBin(['validate', '--no-cache', '-f', `json=${fifo}`], dir);
    expect(alone.code).toBe(2);
    expect(alone.stderr).toBe(
      `mlops: cannot write ${fifo}: it is a named pipe that no process reads; nothing was written\nhint: start the process that reads ${fifo} first, or write to a file\n`,
    );
    // a reader: the whole report goes through the pipe, and the pipe stays a pipe (a rename
    // over it would replace it, as it would replace /dev/null)
    const { spawn } = await import('node:child_process');
    const reader = spawn('cat', [fifo]);
    const chunks: Buffer[] = [];
    reader.stdout.on('data', (c: Buffer) => chunks.push(c));
    const done = new Promise((resolve) => reader.on('close', resolve));
    await new Promise((resolve) => setTimeout(resolve, 300));
    const written = runBin(['validate', '--no-cache', '-f', `json=${fifo}`], dir);
    await done;
    expect(written.code).toBe(1);
    const expected = runBin(['validate', '--no-cache', '-f', 'json'], dir).stdout;
    expect(Buffer.concat(chunks).toString('utf8')).toBe(expected);
    expect(expected.length).toBeGreaterThan(100);
    expect(lstatSync(fifo).isFIFO()).toBe(true);
  });
});
