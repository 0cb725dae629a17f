import { spawn, spawnSync } from 'node:child_process';
import {
  chmodSync,
  existsSync,
  lstatSync,
  mkdirSync,
  readFileSync,
  readdirSync,
  readlinkSync,
  rmSync,
  statSync,
  symlinkSync,
  truncateSync,
  writeFileSync,
} from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { digestOf } from '../../src/core/digest.js';
import { readManifest } from '../../src/core/manifest/reader.js';
import type { Manifest } from '../../src/core/manifest.js';
import { BIN } from '../helpers/bin.js';
import { commitFiles, git, gitDir, tempDir } from '../helpers/gitdir.js';
import { validator } from '../helpers/validator.js';

const CHURN = readFileSync(new URL('../../examples/churn/mlops.yaml', import.meta.url), 'utf8');
const BODY_LIMIT = 60_000;
/** Each test spawns the CLI several times; on a loaded machine one run can take seconds. */
const SLOW = 120_000;

interface Run {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

function baseEnv(env: Record<string, string>): Record<string, string | undefined> {
  const base: Record<string, string | undefined> = { ...process.env, NO_COLOR: '1', ...env };
  delete base.FORCE_COLOR;
  return base;
}

/** The built CLI, killed after `timeout` ms so that a hang fails instead of hanging. */
function mlops(
  args: string[],
  cwd: string,
  options: { env?: Record<string, string>; asNobody?: boolean; timeout?: number } = {},
): Run {
  const argv = [BIN, ...args];
  const r = options.asNobody
    ? spawnSync(
        'setpriv',
        ['--reuid=65534', '--regid=65534', '--clear-groups', process.execPath, ...argv],
        { cwd, encoding: 'utf8', env: baseEnv(options.env ?? {}), input: '', timeout: 60_000 },
      )
    : spawnSync(process.execPath, argv, {
        cwd,
        encoding: 'utf8',
        env: baseEnv(options.env ?? {}),
        input: '',
        timeout: options.timeout ?? 60_000,
        maxBuffer: BODY_LIMIT * 10,
      });
  return { code: r.status, signal: r.signal, stdout: r.stdout, stderr: r.stderr };
}

/** The built CLI started now; resolves when it exits. */
function mlopsAsync(args: string[], cwd: string): Promise<Run> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, ...args], {
      cwd,
      env: baseEnv({}),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => void (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => void (stderr += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr });
    });
  });
}

/** Envision: in the churn example its rules read no evidence file, so no evidence is needed here. */
const approveArgs = (file: string, by: string, extra: string[] = []): string[] => [
  'approve',
  file,
  '--phase',
  'envision',
  '--by',
  by,
  '--date',
  '2026-11-27',
  ...extra,
];

function dataOf(text: string): Manifest {
  const r = readManifest(text, 'mlops.yaml', validator);
  expect(r.findings.filter((f) => f.severity === 'error')).toEqual([]);
  return r.data as Manifest;
}

/** `after` read back as `before` plus approvals by `by` (in that order), and nothing else. */
function expectApprovedBy(before: string, after: string, by: string[]): void {
  const old = dataOf(before);
  const now = dataOf(after);
  expect(now.approvals!.slice(old.approvals!.length).map((a) => a.by)).toEqual(by);
  expect({ ...now, approvals: now.approvals!.slice(0, old.approvals!.length) }).toEqual(old);
}

/** Leftovers of a write: temporary files, locks, stale locks moved aside. */
function leftovers(dir: string): string[] {
  return readdirSync(dir).filter((n) => /\.(tmp|lock|stale)$/.test(n));
}

/** Exit 2 with one message line naming `shown` and one hint, no stack, nothing written. */
function expectRefused(r: Run, shown: string, cause: RegExp): void {
  expect(r.signal).toBeNull();
  expect(r.code).toBe(2);
  expect(r.stdout).toBe('');
  const lines = r.stderr.split('\n').filter((l) => l !== '' && !l.startsWith('mlops init: '));
  expect(r.stderr).not.toContain('internal error');
  expect(r.stderr).not.toMatch(/^\s+at /m);
  expect(lines).toHaveLength(2);
  expect(lines[0]).toMatch(/^mlops: /);
  expect(lines[0]).toContain(shown);
  expect(lines[0]).toMatch(cause);
  expect(lines[1]).toMatch(/^hint: \S/);
}

describe('approve changes only the lines it adds', { timeout: SLOW }, () => {
  it('keeps CRLF and every other byte of the churn example; a multi-line condition reads back exactly', () => {
    const repo = gitDir();
    const crlf = CHURN.replace(/\n/g, '\r\n');
    commitFiles(repo, { 'models/churn/mlops.yaml': crlf }, 'churn');
    const conditions =
      'Re-audit after 6 months: "Q2".\nEscalate to the board\tif late.\r\nThird line \\ ok';
    const r = mlops(
      approveArgs('models/churn/mlops.yaml', 'audit', [
        '--decision',
        'conditional',
        '--conditions',
        conditions,
      ]),
      repo,
    );
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(JSON.stringify(conditions));
    const after = readFileSync(join(repo, 'models/churn/mlops.yaml'));
    // the old file is a prefix: the approvals list is last in the example
    expect(after.subarray(0, Buffer.byteLength(crlf)).equals(Buffer.from(crlf))).toBe(true);
    const added = after.subarray(Buffer.byteLength(crlf)).toString('utf8');
    expect(added).toMatch(/^(?: {4}| {2}- )[a-z]+: [^\r\n]+\r\n(?: {4}[a-zA-Z]+: [^\r\n]+\r\n)+$/);
    expect(git(repo, ['diff', '--numstat'])).toBe('10\t0\tmodels/churn/mlops.yaml\n');
    const data = dataOf(after.toString('utf8'));
    expect(data.approvals!.at(-1)).toEqual({
      id: 'envision-audit-2026-11-27',
      phase: 'envision',
      role: 'internal_audit',
      by: 'audit',
      decision: 'conditional',
      date: '2026-11-27',
      conditions,
      digest: digestOf(data.envision),
      evidence: {},
      recordedBy: 'Test <test@example.com>',
    });
    expectApprovedBy(crlf, after.toString('utf8'), ['audit']);
  });

  it('adds to a flow-style approvals list inside the list, on its line or on a line of its own', () => {
    const at = CHURN.indexOf('\napprovals:\n') + 1;
    const old = dataOf(CHURN).approvals!.slice(0, 2);
    // in flow style all the way down: an approval's evidence is a mapping too
    const item = (a: object): string =>
      `{${Object.entries(a)
        .map(([k, v]) => `${k}: ${v !== null && typeof v === 'object' ? item(v) : String(v)}`)
        .join(', ')}}`;
    const oneLine = `approvals: [${old.map((a) => item({ ...a })).join(', ')}]   # signed\r\n`;
    const perLine = `approvals: [\n${old.map((a) => `    ${item({ ...a })}`).join(',\n')}\n]\nwaivers: []\n`;
    for (const tail of [oneLine, perLine]) {
      const dir = tempDir();
      const text = CHURN.slice(0, at) + tail;
      writeFileSync(join(dir, 'mlops.yaml'), text);
      const r = mlops(approveArgs('mlops.yaml', 'audit'), dir);
      expect(r.stderr).toBe('');
      expect(r.code).toBe(0);
      const after = readFileSync(join(dir, 'mlops.yaml'), 'utf8');
      expectApprovedBy(text, after, ['audit']);
      expect(after.startsWith(CHURN.slice(0, at))).toBe(true);
      const oldLines = tail.split('\n');
      const newLines = after.slice(at).split('\n');
      if (tail === oneLine) {
        // the same line, with the new item before the closing bracket, in the same style
        expect(newLines).toHaveLength(oldLines.length);
        expect(newLines.slice(1)).toEqual(oldLines.slice(1));
        const [head, rest] = oldLines[0]!.split(']   # signed');
        expect(
          newLines[0]!.startsWith(
            `${head}, {id: envision-audit-2026-11-27, phase: envision, role: internal_audit, by: audit,`,
          ),
        ).toBe(true);
        expect(newLines[0]!.endsWith(`}]${rest === undefined ? '' : `   # signed${rest}`}`)).toBe(
          true,
        );
      } else {
        // one line added, indented as the others; the last old item gains its comma
        expect(newLines).toHaveLength(oldLines.length + 1);
        expect(newLines[2]).toBe(`${oldLines[2]},`);
        expect(newLines[3]).toMatch(
          /^ {4}\{id: envision-audit-2026-11-27, phase: envision, role: internal_audit, by: audit, .*\}$/,
        );
        expect(newLines.slice(4)).toEqual(oldLines.slice(3));
      }
    }
  });

  it('keeps the mode of the file', () => {
    for (const mode of [0o600, 0o755]) {
      const dir = tempDir();
      const file = join(dir, 'mlops.yaml');
      writeFileSync(file, CHURN);
      chmodSync(file, mode);
      const r = mlops(approveArgs('mlops.yaml', 'audit'), dir);
      expect(r.code).toBe(0);
      expect(statSync(file).mode & 0o7777).toBe(mode);
      expectApprovedBy(CHURN, readFileSync(file, 'utf8'), ['audit']);
    }
  });

  it('writes through a symlink inside the repository, and refuses one that leads outside', () => {
    const repo = gitDir();
    commitFiles(repo, { 'shared/churn.yaml': CHURN }, 'shared');
    mkdirSync(join(repo, 'models/churn'), { recursive: true });
    symlinkSync('../../shared/churn.yaml', join(repo, 'models/churn/mlops.yaml'));
    const r = mlops(approveArgs('models/churn/mlops.yaml', 'audit'), repo);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(lstatSync(join(repo, 'models/churn/mlops.yaml')).isSymbolicLink()).toBe(true);
    expect(readlinkSync(join(repo, 'models/churn/mlops.yaml'))).toBe('../../shared/churn.yaml');
    expectApprovedBy(CHURN, readFileSync(join(repo, 'shared/churn.yaml'), 'utf8'), ['audit']);
    expect(leftovers(join(repo, 'shared'))).toEqual([]);

    const outside = tempDir();
    writeFileSync(join(outside, 'mlops.yaml'), CHURN);
    symlinkSync(join(outside, 'mlops.yaml'), join(repo, 'models/mlops.yaml'));
    const refused = mlops(approveArgs('models/mlops.yaml', 'audit'), repo);
    expectRefused(refused, 'models/mlops.yaml', /outside the repository/);
    expect(readFileSync(join(outside, 'mlops.yaml'), 'utf8')).toBe(CHURN);
    expect(lstatSync(join(repo, 'models/mlops.yaml')).isSymbolicLink()).toBe(true);
    expect(leftovers(outside)).toEqual([]);
    expect(leftovers(join(repo, 'models'))).toEqual([]);
  });
});

describe('approve never loses a concurrent write', { timeout: SLOW }, () => {
  it('two approves at once by different stakeholders: both recorded, or one exits 2', async () => {
    const dirs = Array.from({ length: 10 }, () => tempDir());
    for (const dir of dirs) writeFileSync(join(dir, 'mlops.yaml'), CHURN);
    // two trials at a time, each spawning its pair at once
    for (let i = 0; i < dirs.length; i += 2) {
      await Promise.all(
        dirs.slice(i, i + 2).map(async (dir) => {
          const runs = await Promise.all(
            ['audit', 'dpo'].map((by) => mlopsAsync(approveArgs('mlops.yaml', by), dir)),
          );
          const after = readFileSync(join(dir, 'mlops.yaml'), 'utf8');
          for (const run of runs) {
            expect(run.signal).toBeNull();
            expect([0, 2], run.stderr).toContain(run.code);
            if (run.code === 2)
              expect(run.stderr).toMatch(/changed while approving|another mlops process/);
          }
          const recorded = dataOf(after)
            .approvals!.slice(dataOf(CHURN).approvals!.length)
            .map((a) => a.by)
            .sort();
          const succeeded = ['audit', 'dpo'].filter((_, k) => runs[k]!.code === 0);
          expect(recorded).toEqual(succeeded);
          expect(succeeded.length).toBeGreaterThan(0);
          expect(leftovers(dir)).toEqual([]);
        }),
      );
    }
  }, 300_000);

  it("never overwrites an editor's save that lands while it runs", async () => {
    // how long one approve takes here, to spread the saves over its run
    const probe = tempDir();
    writeFileSync(join(probe, 'mlops.yaml'), CHURN);
    const t0 = Date.now();
    expect((await mlopsAsync(approveArgs('mlops.yaml', 'audit'), probe)).code).toBe(0);
    const span = Date.now() - t0;

    const writer = `
      const fs = require('node:fs');
      const [file, delay, how, text] = process.argv.slice(1);
      setTimeout(() => {
        if (how === 'rename') {
          fs.writeFileSync(file + '.editor~', text);
          fs.renameSync(file + '.editor~', file);
        } else {
          fs.writeFileSync(file, text);
        }
      }, Number(delay));`;
    const trials = 16;
    const outcomes: number[] = [];
    for (let i = 0; i < trials; i += 4) {
      await Promise.all(
        Array.from({ length: 4 }, async (_, k) => {
          const n = i + k;
          const dir = tempDir();
          const file = join(dir, 'mlops.yaml');
          writeFileSync(file, CHURN);
          const saved = `${CHURN}# editor save ${n}\n`;
          const delay = Math.floor((n / trials) * span * 1.2);
          const editor = new Promise<void>((resolve) => {
            const child = spawn(
              process.execPath,
              ['-e', writer, file, String(delay), n % 2 ? 'rename' : 'inplace', saved],
              { stdio: 'ignore' },
            );
            child.on('close', () => resolve());
          });
          const [run] = await Promise.all([
            mlopsAsync(approveArgs('mlops.yaml', 'audit'), dir),
            editor,
          ]);
          const after = readFileSync(file, 'utf8');
          // the save is never lost: approve wrote before it, or read it, or wrote nothing
          expect(after).toContain(`# editor save ${n}\n`);
          expect(run.signal).toBeNull();
          expect([0, 2]).toContain(run.code);
          if (run.code === 2) {
            expect(run.stderr).toMatch(
              /changed while approving; nothing was written|does not validate/,
            );
          }
          if (after !== saved) expectApprovedBy(saved, after, ['audit']);
          expect(leftovers(dir)).toEqual([]);
          outcomes.push(run.code ?? -1);
        }),
      );
    }
    expect(outcomes).toHaveLength(trials);
  }, 600_000);

  it('removes a lock left by a process that has ended', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'mlops.yaml'), CHURN);
    const ended = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], {
      encoding: 'utf8',
    }).stdout;
    writeFileSync(join(dir, '.mlops.yaml.lock'), `${ended} ${hostname()} 2026-01-01T00:00:00Z x\n`);
    const r = mlops(approveArgs('mlops.yaml', 'audit'), dir);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expectApprovedBy(CHURN, readFileSync(join(dir, 'mlops.yaml'), 'utf8'), ['audit']);
    expect(leftovers(dir)).toEqual([]);
  });

  it('waits for a lock held by a running process, then exits 2 saying who holds it, having written nothing', () => {
    const dir = tempDir();
    const file = join(dir, 'mlops.yaml');
    writeFileSync(file, CHURN);
    const lock = join(dir, '.mlops.yaml.lock');
    const held = `${process.pid} ${hostname()} ${new Date().toISOString()} test\n`;
    writeFileSync(lock, held);
    const r = mlops(approveArgs('mlops.yaml', 'audit'), dir);
    expectRefused(r, 'mlops.yaml', new RegExp(`another mlops process \\(pid ${process.pid}\\)`));
    expect(r.stderr).toContain('delete .mlops.yaml.lock');
    expect(readFileSync(file, 'utf8')).toBe(CHURN);
    expect(readFileSync(lock, 'utf8')).toBe(held);
  });
});

/** A folder under /tmp that uid 65534 can read but not write. */
function readOnlyForNobody(): string {
  const dir = tempDir('mlops-ro-');
  chmodSync(dir, 0o755);
  return dir;
}

const isRoot = process.getuid?.() === 0;

describe(
  'a write that fails exits 2 with one line, no stack and no leftovers',
  { timeout: SLOW },
  () => {
    it('permission denied: approve, init in a new folder, init --force (as uid 65534)', (ctx) => {
      // root writes through chmod, so the refusal is shown as another user
      if (!isRoot) return ctx.skip('running as uid 65534 needs root');
      if (spawnSync('setpriv', ['--version']).status !== 0)
        return ctx.skip('setpriv is not installed');
      const dir = readOnlyForNobody();
      const file = join(dir, 'mlops.yaml');
      writeFileSync(file, CHURN);
      chmodSync(file, 0o644);
      const env = { HOME: dir, XDG_CACHE_HOME: join(dir, '.cache') };
      expectRefused(
        mlops(approveArgs('mlops.yaml', 'audit'), dir, { asNobody: true, env }),
        'mlops.yaml',
        /permission denied/,
      );
      expectRefused(
        mlops(['init', 'models/new', '--yes', '--owner', 'Ada'], dir, { asNobody: true, env }),
        'models/new/mlops.yaml',
        /permission denied/,
      );
      expectRefused(
        mlops(['init', '.', '--yes', '--force', '--owner', 'Ada'], dir, { asNobody: true, env }),
        'mlops.yaml',
        /permission denied/,
      );
      expect(readFileSync(file, 'utf8')).toBe(CHURN);
      expect(readdirSync(dir)).toEqual(['mlops.yaml']);
    });

    it('a folder where a file should be: the lock, the manifest itself', () => {
      const dir = tempDir();
      const file = join(dir, 'mlops.yaml');
      writeFileSync(file, CHURN);
      mkdirSync(join(dir, '.mlops.yaml.lock'));
      expectRefused(
        mlops(approveArgs('mlops.yaml', 'audit'), dir),
        'mlops.yaml',
        /a folder is where a file should be/,
      );
      expect(readFileSync(file, 'utf8')).toBe(CHURN);
      expect(readdirSync(dir).sort()).toEqual(['.mlops.yaml.lock', 'mlops.yaml']);

      const other = tempDir();
      mkdirSync(join(other, 'm', 'mlops.yaml'), { recursive: true });
      expectRefused(
        mlops(approveArgs('m/mlops.yaml', 'audit'), other),
        'm/mlops.yaml',
        /folder|directory/,
      );
      for (const force of [[], ['--force']]) {
        expectRefused(
          mlops(['init', 'm', '--yes', '--owner', 'Ada', ...force], other),
          'm/mlops.yaml',
          /is a directory, not a file/,
        );
      }
      expect(readdirSync(join(other, 'm'))).toEqual(['mlops.yaml']);
      expect(readdirSync(join(other, 'm', 'mlops.yaml'))).toEqual([]);
    });
  },
);

/** A 64 KiB tmpfs, or why there cannot be one here. */
function smallDisk(): { dir: string } | { reason: string } {
  if (!isRoot) return { reason: 'mounting a tmpfs needs root' };
  const dir = tempDir('mlops-disk-');
  const r = spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=64k', 'tmpfs', dir], {
    encoding: 'utf8',
  });
  if (r.status !== 0)
    return {
      reason: `mounting a tmpfs is not permitted here: ${r.error?.message ?? r.stderr.trim()}`,
    };
  onTestFinished(() => void spawnSync('umount', [dir]));
  return { dir };
}

/** Fills the disk holding `dir`, then frees `pages` pages of 4 KiB. */
function fill(dir: string, pages: number): void {
  const filler = join(dir, 'filler');
  const chunk = Buffer.alloc(4096, 120);
  let size = 0;
  for (;;) {
    try {
      writeFileSync(filler, chunk, { flag: 'a' });
      size += chunk.length;
    } catch {
      break;
    }
  }
  truncateSync(filler, Math.max(0, size - pages * 4096));
}

describe('a full disk or a read-only file system', { timeout: SLOW }, () => {
  it('disk full: approve and init --force exit 2 and leave nothing behind', (ctx) => {
    const disk = smallDisk();
    if ('reason' in disk) return ctx.skip(disk.reason);
    const file = join(disk.dir, 'mlops.yaml');
    writeFileSync(file, CHURN);
    // no room at all, then room for the lock but not for the new file
    for (const pages of [0, 1]) {
      fill(disk.dir, pages);
      expectRefused(
        mlops(approveArgs('mlops.yaml', 'audit'), disk.dir),
        'mlops.yaml',
        /no space left on the disk/,
      );
      expectRefused(
        mlops(['init', '.', '--yes', '--force', '--owner', 'Ada'], disk.dir),
        'mlops.yaml',
        /no space left on the disk/,
      );
      expectRefused(
        mlops(['init', 'models/new', '--yes', '--owner', 'Ada'], disk.dir),
        'models/new/mlops.yaml',
        /no space left on the disk/,
      );
      expect(readFileSync(file, 'utf8')).toBe(CHURN);
      expect(readdirSync(disk.dir).sort()).toEqual(['filler', 'mlops.yaml']);
      rmSync(join(disk.dir, 'filler'));
    }
    // and with room again, it works
    expect(mlops(approveArgs('mlops.yaml', 'audit'), disk.dir).code).toBe(0);
  });

  it('read-only file system: approve and init --force exit 2', (ctx) => {
    const disk = smallDisk();
    if ('reason' in disk) return ctx.skip(disk.reason);
    const file = join(disk.dir, 'mlops.yaml');
    writeFileSync(file, CHURN);
    const ro = spawnSync('mount', ['-o', 'remount,ro', disk.dir], { encoding: 'utf8' });
    if (ro.status !== 0) return ctx.skip(`remount is not permitted here: ${ro.stderr.trim()}`);
    expectRefused(
      mlops(approveArgs('mlops.yaml', 'audit'), disk.dir),
      'mlops.yaml',
      /read-only file system/,
    );
    expectRefused(
      mlops(['init', '.', '--yes', '--force', '--owner', 'Ada'], disk.dir),
      'mlops.yaml',
      /read-only file system/,
    );
    expect(readFileSync(file, 'utf8')).toBe(CHURN);
  });
});

describe('init never opens a FIFO', { timeout: SLOW }, () => {
  const hasMkfifo = spawnSync('mkfifo', ['--version']).status === 0;

  it.skipIf(!hasMkfifo)(
    'another manifest of the repository that is a FIFO, or a symlink to one, is skipped',
    () => {
      const repo = gitDir();
      commitFiles(repo, { 'a/mlops.yaml': CHURN, 'b/mlops.yaml': 'x' }, 'two');
      rmSync(join(repo, 'a/mlops.yaml'));
      spawnSync('mkfifo', [join(repo, 'a/mlops.yaml')]);
      spawnSync('mkfifo', [join(repo, 'fifo')]);
      rmSync(join(repo, 'b/mlops.yaml'));
      symlinkSync('../fifo', join(repo, 'b/mlops.yaml'));
      const r = mlops(['init', 'models/new', '--yes', '--owner', 'Ada'], repo, { timeout: 30_000 });
      expect(r.signal).toBeNull();
      expect(r.code).toBe(0);
      expect(existsSync(join(repo, 'models/new/mlops.yaml'))).toBe(true);
    },
  );

  it.skipIf(!hasMkfifo)(
    'a target that is a FIFO, or a symlink to one, is refused with or without --force',
    () => {
      const repo = gitDir();
      mkdirSync(join(repo, 'f'));
      mkdirSync(join(repo, 'l'));
      spawnSync('mkfifo', [join(repo, 'f/mlops.yaml')]);
      spawnSync('mkfifo', [join(repo, 'pipe')]);
      symlinkSync('../pipe', join(repo, 'l/mlops.yaml'));
      for (const dir of ['f', 'l']) {
        for (const force of [[], ['--force']]) {
          const r = mlops(['init', dir, '--yes', '--owner', 'Ada', ...force], repo, {
            timeout: 30_000,
          });
          expectRefused(r, `${dir}/mlops.yaml`, /a fifo, not a file/);
        }
      }
      expect(lstatSync(join(repo, 'f/mlops.yaml')).isFIFO()).toBe(true);
      expect(lstatSync(join(repo, 'l/mlops.yaml')).isSymbolicLink()).toBe(true);
      expect(leftovers(join(repo, 'f'))).toEqual([]);
      // approve refuses it unopened too
      expectRefused(
        mlops(approveArgs('f/mlops.yaml', 'audit'), repo, { timeout: 30_000 }),
        'f/mlops.yaml',
        /a fifo, not a file/,
      );
    },
  );
});
