import { GitError } from '../errors.js';

/** The git adapter. Paths are repository-relative with forward slashes. */
export interface Git {
  /** Absolute path of the work tree's top folder. */
  root: string;
  /** Runs git with `args` in the work tree's root and returns stdout. Failures become GitError. */
  raw(args: string[]): Promise<string>;
  /** Files in the index (and untracked, not ignored, ones with `untracked`), one `ls-files` call. */
  listFiles(options?: { untracked?: boolean; pathspecs?: string[] }): Promise<string[]>;
  /** The full object name of a revision; a GitError naming the revision when it does not exist. */
  resolveRev(rev: string): Promise<string>;
  /** A file's content at a revision. */
  readFileAt(rev: string, path: string): Promise<string>;
}

function splitZ(out: string): string[] {
  return out.split('\0').filter((s) => s !== '');
}

/** Opens the repository that contains `cwd`; a GitError when there is none. */
export async function createGit(cwd: string): Promise<Git> {
  const { simpleGit } = await import('simple-git');
  let root: string;
  try {
    root = (await simpleGit({ baseDir: cwd }).revparse(['--show-toplevel'])).trim();
  } catch (cause) {
    throw new GitError(`not a git repository: ${cwd}`, {
      cause,
      hint: 'run this inside a git repository (git init), or pass manifest files to `mlops validate`',
    });
  }
  const git = simpleGit({ baseDir: root, maxConcurrentProcesses: 4 });
  const raw = async (args: string[]): Promise<string> => {
    try {
      return await git.raw(args);
    } catch (cause) {
      const message = cause instanceof Error ? cause.message.trim().split('\n')[0] : String(cause);
      throw new GitError(`git ${args[0] ?? ''} failed: ${message}`, { cause });
    }
  };
  const resolveRev = async (rev: string): Promise<string> => {
    if (rev.startsWith('-')) {
      throw new GitError(`"${rev}" is not a revision`, { hint: 'revisions cannot start with "-"' });
    }
    try {
      return (
        await git.raw(['rev-parse', '--verify', '--end-of-options', `${rev}^{commit}`])
      ).trim();
    } catch (cause) {
      throw new GitError(`unknown git revision "${rev}"`, {
        cause,
        hint: 'check the name with `git log --oneline`; in a shallow clone, fetch more history (git fetch --unshallow)',
      });
    }
  };
  return {
    root,
    raw,
    resolveRev,
    async listFiles(options = {}) {
      const args = ['ls-files', '-z', '--cached'];
      if (options.untracked) args.push('--others', '--exclude-standard');
      args.push('--', ...(options.pathspecs ?? []));
      return [...new Set(splitZ(await raw(args)))];
    },
    async readFileAt(rev, path) {
      const commit = await resolveRev(rev);
      return raw(['show', `${commit}:${path}`]);
    },
  };
}
