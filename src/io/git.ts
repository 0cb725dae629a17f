import { spawn } from 'node:child_process';
import { statSync } from 'node:fs';
import { isUtf8 } from 'node:buffer';
import { GitError, InputError } from '../errors.js';
import type { GitErrorKind } from '../errors.js';

/**
 * Variables that change what a pathspec means. They are dropped so that the magic mlops writes
 * (`:(glob)`, `--literal-pathspecs`) means the same whatever the caller's environment says.
 */
const PATHSPEC_VARIABLES = [
  'GIT_LITERAL_PATHSPECS',
  'GIT_GLOB_PATHSPECS',
  'GIT_NOGLOB_PATHSPECS',
  'GIT_ICASE_PATHSPECS',
];

/**
 * The one environment policy of every git call. The caller's `GIT_DIR` and `GIT_WORK_TREE` are
 * honoured, as git honours them, but read once: `createGit` resolves them to absolute paths and
 * pins every later call to those, so no call can see another repository than the first one did
 * (a relative `GIT_DIR` would otherwise mean another folder once git runs from the work tree).
 * Optional locks are off, so reading commands never rewrite `.git/index`; messages are in
 * English, so that their kind can be told apart.
 */
function gitEnv(
  overrides: GitEnvironment = {},
  pin?: { gitDir: string; root: string },
): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, ...overrides };
  for (const name of PATHSPEC_VARIABLES) delete env[name];
  env.GIT_OPTIONAL_LOCKS = '0';
  env.GIT_TERMINAL_PROMPT = '0';
  env.LC_ALL = 'C';
  if (pin) {
    env.GIT_DIR = pin.gitDir;
    env.GIT_WORK_TREE = pin.root;
  }
  return env;
}

/**
 * Options before every subcommand: file names are written as they are (never quoted or
 * escaped, in messages too), whatever the user's configuration says.
 */
const GLOBAL_ARGS = ['-c', 'core.quotePath=false'];

/** Variables laid over `process.env` for git (the command's injected environment). */
export type GitEnvironment = Readonly<Record<string, string | undefined>>;

/** A repository opened by `createGit`. Paths are repository-relative with forward slashes. */
export interface Git {
  /** Absolute path of the work tree's top folder; every call runs there. */
  readonly root: string;
  /** Absolute path of the git directory every call is pinned to. */
  readonly gitDir: string;
  /** Whether the repository is a shallow clone (history may be missing). */
  readonly shallow: boolean;
  /**
   * Files in the index, and with `untracked` the untracked ones that are not ignored, from one
   * `ls-files` call. With `named`, only files of that name, under the `under` folders when given
   * (repository-relative; every character in them, `*` and `[` included, is literal). A listed
   * path that is not valid UTF-8 is an InputError naming it (see `pathsFromZ`).
   */
  listFiles(options?: {
    untracked?: boolean;
    named?: string | readonly string[];
    under?: readonly string[];
  }): Promise<string[]>;
  /** The full object name of a commit; a GitError of kind `unknown-revision` when there is none. */
  resolveRev(rev: string): Promise<string>;
  /** The best common ancestor of two commits, or undefined when they share no history. */
  mergeBase(a: string, b: string): Promise<string | undefined>;
}

interface Runner {
  cwd: string;
  env: NodeJS.ProcessEnv;
}

const runners = new WeakMap<Git, Runner>();

/** Options of `runGit`. */
export interface RunGitOptions {
  /** Written to git's standard input. */
  input?: string;
  /** Exit statuses that are answers rather than failures (the output is returned as for 0). */
  okStatus?: readonly number[];
}

/** The first line git wrote that says what went wrong, without its `fatal:` or `error:` prefix. */
export function gitErrorLine(stderr: string): string {
  const lines = stderr
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l !== '');
  const line = lines.find((l) => /^(fatal|error):/i.test(l)) ?? lines[0] ?? '';
  return line.replace(/^(fatal|error):\s*/i, '');
}

/** What kind of failure git's message describes, and the hint that goes with it. */
export function classifyGitFailure(stderr: string): { kind: GitErrorKind; hint?: string } {
  const dubious = /detected dubious ownership in repository at '(.*)'/.exec(stderr);
  if (dubious) {
    return {
      kind: 'dubious-ownership',
      hint: `git refuses a repository owned by another user; if you trust it: git config --global --add safe.directory ${dubious[1]}`,
    };
  }
  if (/not a git repository/i.test(stderr)) return { kind: 'not-a-repository' };
  return { kind: 'failed' };
}

function spawnGit(
  runner: Runner,
  args: readonly string[],
  options: RunGitOptions = {},
): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const child = spawn('git', [...GLOBAL_ARGS, ...args], {
      cwd: runner.cwd,
      env: runner.env,
      stdio: [options.input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
      windowsHide: true,
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout!.on('data', (b: Buffer) => out.push(b));
    child.stderr!.on('data', (b: Buffer) => err.push(b));
    child.on('error', (cause) =>
      reject(
        new GitError(`cannot run git: ${cause.message}`, {
          cause,
          kind: 'failed',
          hint: 'install git and make sure it is on PATH',
        }),
      ),
    );
    child.on('close', (status) => {
      if (status === 0 || (status !== null && options.okStatus?.includes(status))) {
        resolve(Buffer.concat(out));
        return;
      }
      const stderr = Buffer.concat(err).toString('utf8');
      const line = gitErrorLine(stderr) || `exit status ${status ?? 'unknown'}`;
      const { kind, hint } = classifyGitFailure(stderr);
      reject(
        new GitError(`git ${args[0] ?? ''} failed: ${line}`, {
          kind,
          gitMessage: stderr.trim(),
          ...(hint ? { hint } : {}),
        }),
      );
    });
    if (child.stdin) {
      // git may exit before reading all of its input; the exit status tells what went wrong
      child.stdin.on('error', () => undefined);
      child.stdin.end(options.input);
    }
  });
}

/**
 * Runs git in the repository with the one environment policy and returns its stdout. The
 * low-level door for the adapters in src/io; commands use the named operations instead.
 */
export function runGit(
  git: Git,
  args: readonly string[],
  options?: RunGitOptions,
): Promise<Buffer> {
  const runner = runners.get(git);
  if (!runner) throw new GitError('internal: runGit needs a repository opened by createGit');
  return spawnGit(runner, args, options);
}

/** `runGit` decoded as UTF-8. */
export async function runGitText(
  git: Git,
  args: readonly string[],
  options?: RunGitOptions,
): Promise<string> {
  return (await runGit(git, args, options)).toString('utf8');
}

export function splitZ(out: string): string[] {
  return out.split('\0').filter((s) => s !== '');
}

/** The NUL-separated fields of git's raw output, each as its own bytes (empty fields dropped). */
export function splitZBytes(out: Buffer): Buffer[] {
  const fields: Buffer[] = [];
  let start = 0;
  for (;;) {
    const end = out.indexOf(0, start);
    const field = out.subarray(start, end < 0 ? out.length : end);
    if (field.length > 0) fields.push(field);
    if (end < 0) return fields;
    start = end + 1;
  }
}

/** How many bytes the UTF-8 sequence that starts with `lead` has; 0 when none starts so. */
function sequenceLength(lead: number): number {
  if (lead < 0x80) return 1;
  if (lead >= 0xc2 && lead <= 0xdf) return 2;
  if (lead >= 0xe0 && lead <= 0xef) return 3;
  if (lead >= 0xf0 && lead <= 0xf4) return 4;
  return 0;
}

/** A file name's bytes as text for a message: valid UTF-8 as it is, every other byte as `\xNN`. */
export function showBytes(bytes: Buffer): string {
  let out = '';
  let i = 0;
  while (i < bytes.length) {
    const n = sequenceLength(bytes[i]!);
    if (n > 0 && i + n <= bytes.length && isUtf8(bytes.subarray(i, i + n))) {
      out += bytes.toString('utf8', i, i + n);
      i += n;
    } else {
      out += `\\x${bytes[i]!.toString(16).padStart(2, '0')}`;
      i += 1;
    }
  }
  return out;
}

/**
 * Repository paths from NUL-separated output. File names are text in every other part of
 * mlops (and in Node.js, which cannot open a name that is not valid UTF-8 by a text path): a
 * name that is not is an InputError naming it, never a path silently changed or dropped.
 */
export function pathsFromZ(out: Buffer): string[] {
  return splitZBytes(out).map((field) => {
    if (!isUtf8(field)) throw notUtf8Error(field);
    return field.toString('utf8');
  });
}

/** The InputError for a repository path whose bytes are not valid UTF-8 (see `pathsFromZ`). */
export function notUtf8Error(path: Buffer): InputError {
  return new InputError(
    `${showBytes(path)}: the file name is not valid UTF-8, so mlops cannot open it`,
    { hint: 'rename the folder or file to a UTF-8 name (git mv <old> <new>) and commit the move' },
  );
}

/** `text` with the characters that `:(glob)` pathspecs treat as wildcards escaped. */
export function escapeGlob(text: string): string {
  return text.replace(/[\\*?[\]]/g, (c) => `\\${c}`);
}

/**
 * The top folder, git directory and shallowness from `rev-parse --show-toplevel
 * --absolute-git-dir --is-shallow-repository`: one line each, but a folder's name may hold a
 * line break itself (rev-parse has no NUL-separated form). The last line is `true` or `false`;
 * of the ways to cut the rest in two, the git directory `<top>/.git` is tried first, then two
 * folders that exist.
 */
export function parseRepository(out: string): { root: string; gitDir: string; shallow: boolean } {
  const text = out.replace(/\n$/, '');
  const last = text.lastIndexOf('\n');
  const shallow = text.slice(last + 1) === 'true';
  const rest = last < 0 ? '' : text.slice(0, last);
  const cuts: number[] = [];
  for (let i = rest.indexOf('\n'); i >= 0; i = rest.indexOf('\n', i + 1)) cuts.push(i);
  const split = (i: number): { root: string; gitDir: string; shallow: boolean } => ({
    root: rest.slice(0, i),
    gitDir: rest.slice(i + 1),
    shallow,
  });
  if (cuts.length <= 1) return split(cuts[0] ?? rest.length);
  const isDir = (p: string): boolean => {
    try {
      return statSync(p).isDirectory();
    } catch {
      return false;
    }
  };
  const cut =
    cuts.find((i) => rest.slice(i + 1) === `${rest.slice(0, i)}/.git`) ??
    cuts.find((i) => isDir(rest.slice(0, i)) && isDir(rest.slice(i + 1))) ??
    cuts[0]!;
  return split(cut);
}

/**
 * Opens the repository that contains `cwd` (or the one `GIT_DIR` names); a GitError carrying
 * git's own message when there is none or git refuses it.
 */
export async function createGit(cwd: string, options: { env?: GitEnvironment } = {}): Promise<Git> {
  let out: string;
  try {
    out = (
      await spawnGit({ cwd, env: gitEnv(options.env) }, [
        'rev-parse',
        '--show-toplevel',
        '--absolute-git-dir',
        '--is-shallow-repository',
      ])
    ).toString('utf8');
  } catch (error) {
    if (!(error instanceof GitError)) throw error;
    const line = error.gitMessage ? gitErrorLine(error.gitMessage) : error.message;
    throw new GitError(`cannot open a git repository at ${cwd}: ${line}`, {
      cause: error,
      kind: error.kind,
      ...(error.gitMessage ? { gitMessage: error.gitMessage } : {}),
      hint:
        error.hint ??
        'run this inside a git repository (git init), or pass manifest files to `mlops validate`',
    });
  }
  const { root, gitDir, shallow } = parseRepository(out);
  const runner: Runner = { cwd: root, env: gitEnv(options.env, { gitDir, root }) };
  const run = (args: readonly string[], options?: RunGitOptions): Promise<string> =>
    spawnGit(runner, args, options).then((b) => b.toString('utf8'));
  const git: Git = {
    root,
    gitDir,
    shallow,
    async listFiles(options = {}) {
      const args = ['ls-files', '-z', '--cached'];
      if (options.untracked) args.push('--others', '--exclude-standard');
      args.push('--');
      if (options.named !== undefined) {
        const names = typeof options.named === 'string' ? [options.named] : options.named;
        const under = options.under ?? [''];
        for (const dir of under) {
          const prefix = dir === '' || dir === '.' ? '' : `${escapeGlob(dir.replace(/\/+$/, ''))}/`;
          for (const name of names) args.push(`:(glob)${prefix}**/${escapeGlob(name)}`);
        }
      } else {
        for (const dir of options.under ?? []) args.push(`:(literal)${dir}`);
      }
      return [...new Set(pathsFromZ(await spawnGit(runner, args)))];
    },
    async resolveRev(rev) {
      if (rev.startsWith('-')) {
        throw new GitError(`"${rev}" is not a revision`, {
          kind: 'unknown-revision',
          hint: 'revisions cannot start with "-"',
        });
      }
      // --quiet: an unknown name exits 1 with nothing on stderr; any other failure keeps git's words
      const name = (
        await run(['rev-parse', '--verify', '--quiet', '--end-of-options', `${rev}^{commit}`], {
          okStatus: [1],
        })
      ).trim();
      if (name === '') {
        throw new GitError(`unknown git revision "${rev}"`, {
          kind: 'unknown-revision',
          hint: 'check the name with `git log --oneline`; in a shallow clone, fetch more history (git fetch --unshallow)',
        });
      }
      return name;
    },
    async mergeBase(a, b) {
      // exit 1 with no output: the commits share no history
      const out = (await run(['merge-base', a, b], { okStatus: [1] })).trim();
      return out === '' ? undefined : out.split('\n')[0];
    },
  };
  runners.set(git, runner);
  return git;
}

/**
 * `git config <key>` as the user has it (no repository needed), or undefined when it is not set
 * or git cannot say: never an error, for defaults such as an owner's name.
 */
export async function readGitConfig(
  cwd: string,
  key: string,
  env?: GitEnvironment,
): Promise<string | undefined> {
  try {
    const out = (
      await spawnGit({ cwd, env: gitEnv(env) }, ['config', '--get', key], {
        okStatus: [1],
      })
    )
      .toString('utf8')
      .trim();
    return out === '' ? undefined : out;
  } catch {
    return undefined;
  }
}

/**
 * Runs `ssh-keygen` (the program git's ssh signing runs, `gpg.format=ssh`) with `input` on its
 * standard input, under the environment the process was given; never through a shell. The
 * exit status and output come back as they are: `ssh-keygen -Y verify` answers by its status.
 */
export function runSshKeygen(
  args: readonly string[],
  input: string,
): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn('ssh-keygen', [...args], {
      stdio: ['pipe', 'pipe', 'pipe'],
      windowsHide: true,
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (b: Buffer) => out.push(b));
    child.stderr.on('data', (b: Buffer) => err.push(b));
    child.on('error', (cause) =>
      resolve({ status: null, stdout: '', stderr: `cannot run ssh-keygen: ${cause.message}` }),
    );
    child.on('close', (status) =>
      resolve({
        status,
        stdout: Buffer.concat(out).toString('utf8'),
        stderr: Buffer.concat(err).toString('utf8'),
      }),
    );
    child.stdin.on('error', () => undefined);
    child.stdin.end(input);
  });
}
