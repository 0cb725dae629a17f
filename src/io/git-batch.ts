import { spawn } from 'node:child_process';
import { GitError } from '../errors.js';
import type { Git } from './git.js';

/** A file in a commit's tree. */
export interface TreeEntry {
  /** Repository-relative, forward slashes. */
  path: string;
  /** The blob's object name. */
  oid: string;
}

const rootOf = (git: Git | string): string => (typeof git === 'string' ? git : git.root);

/**
 * The regular files of a commit (symlinks and submodules left out) that `keep` accepts, from
 * one `git ls-tree` call. `commit` should be a resolved object name (see `Git.resolveRev`).
 */
export async function listTreeAt(
  git: Git,
  commit: string,
  keep: (path: string) => boolean = () => true,
): Promise<TreeEntry[]> {
  const out = await git.raw(['ls-tree', '-r', '-z', '--full-tree', commit]);
  const entries: TreeEntry[] = [];
  for (const record of out.split('\0')) {
    const tab = record.indexOf('\t');
    if (tab < 0) continue;
    const [mode, type, oid] = record.slice(0, tab).split(' ');
    const path = record.slice(tab + 1);
    if (type !== 'blob' || (mode !== '100644' && mode !== '100755') || !oid || !keep(path))
      continue;
    entries.push({ path, oid });
  }
  return entries;
}

/**
 * Reads many blobs through one `git cat-file --batch` process (simple-git cannot write to
 * git's standard input): one process for a thousand files instead of a thousand. Returns
 * the contents by object name, decoded as UTF-8. Unknown objects and git failures are GitError.
 */
export async function readBlobs(
  git: Git | string,
  oids: readonly string[],
): Promise<Map<string, string>> {
  const wanted = [...new Set(oids)];
  const result = new Map<string, string>();
  if (wanted.length === 0) return result;
  const output = await new Promise<Buffer>((resolve, reject) => {
    const child = spawn('git', ['cat-file', '--batch'], {
      cwd: rootOf(git),
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    const chunks: Buffer[] = [];
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => chunks.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => void (stderr += chunk.toString('utf8')));
    // git may exit before reading all of its input; the exit status tells what went wrong
    child.stdin.on('error', () => undefined);
    child.on('error', (cause) =>
      reject(
        new GitError('cannot run git cat-file', {
          cause,
          hint: 'check that git is installed and on PATH',
        }),
      ),
    );
    child.on('close', (status) => {
      if (status === 0) resolve(Buffer.concat(chunks));
      else
        reject(
          new GitError(`git cat-file failed: ${stderr.trim().split('\n')[0] ?? `exit ${status}`}`),
        );
    });
    child.stdin.end(`${wanted.join('\n')}\n`);
  });
  let pos = 0;
  for (const oid of wanted) {
    const eol = output.indexOf(0x0a, pos);
    if (eol < 0) throw new GitError(`git cat-file ended early, before ${oid}`);
    const header = output.toString('utf8', pos, eol);
    const [name, type, size] = header.split(' ');
    if (type === 'missing' || type === 'ambiguous' || size === undefined) {
      throw new GitError(`git object ${name ?? oid} is ${type ?? 'unreadable'}`, {
        hint: 'the repository may be incomplete (a shallow or partial clone); fetch the missing history',
      });
    }
    const start = eol + 1;
    const end = start + Number(size);
    result.set(oid, output.toString('utf8', start, end));
    pos = end + 1;
  }
  return result;
}
