import {
  closeSync,
  constants,
  fchmodSync,
  fchownSync,
  fsyncSync,
  linkSync,
  lstatSync,
  openSync,
  renameSync,
  unlinkSync,
  writeSync,
} from 'node:fs';
import { hostname } from 'node:os';
import { basename, dirname, join, sep } from 'node:path';
import { InputError } from '../errors.js';
import { readInputFile } from './read.js';

function errnoCode(error: unknown): string | undefined {
  return (error as NodeJS.ErrnoException | undefined)?.code;
}

function removeQuietly(path: string): void {
  try {
    unlinkSync(path);
  } catch {
    // already gone
  }
}

// unique by process and call (not random: node:crypto costs ~7 ms to load); 'wx' refuses a clash
let seq = 0;
const unique = (): string => `${process.pid}.${Date.now().toString(36)}${(seq++).toString(36)}`;

/**
 * Creates `.<name>.<unique>.tmp` beside `path` holding `content`, and returns its path. On any
 * failure (a full disk half way, say) the temporary file is removed before the error is thrown.
 */
function writeTemp(
  path: string,
  content: string | Uint8Array | Iterable<string>,
  options: { fsync?: boolean; like?: FileSnapshot },
): string {
  const tmp = join(dirname(path), `.${basename(path)}.${unique()}.tmp`);
  const fd = openSync(tmp, 'wx', 0o666);
  try {
    const like = options.like;
    if (like) {
      // the owner first: changing it clears set-id bits that the mode then restores
      if (like.uid !== process.getuid?.() || like.gid !== process.getgid?.()) {
        try {
          fchownSync(fd, like.uid, like.gid);
        } catch {
          // only root may give a file away: it then belongs to whoever writes it, as with git
        }
      }
      fchmodSync(fd, like.mode & 0o7777);
    }
    const parts =
      typeof content === 'string' || content instanceof Uint8Array ? [content] : content;
    for (const part of parts) {
      const bytes = typeof part === 'string' ? Buffer.from(part, 'utf8') : part;
      for (let at = 0; at < bytes.length;) at += writeSync(fd, bytes, at, bytes.length - at);
    }
    if (options.fsync) fsyncSync(fd);
    closeSync(fd);
  } catch (error) {
    try {
      closeSync(fd);
    } catch {
      // closed already
    }
    removeQuietly(tmp);
    throw error;
  }
  return tmp;
}

/**
 * Writes `content` to `path` atomically: a temporary file in the same folder, then a rename.
 * Without `overwrite`, an existing file is never replaced, even one created in the meantime.
 * No temporary file is left behind when it fails; the error thrown is the system's.
 */
/**
 * Writes a report into a device or a named pipe that is already there (`/dev/null`,
 * `/dev/stdout`, a FIFO a consumer reads), as the shell's `>` does: renaming a new file over it
 * would replace the device itself, which as root deletes `/dev/null` for everyone. A FIFO
 * nobody reads is refused rather than waited on; anything else that is not a regular file
 * (a socket) is refused. Returns false for a regular file or a path that does not exist.
 */
export function writeIntoSpecial(path: string, content: string | Iterable<string>): boolean {
  const st = lstatSync(path, { throwIfNoEntry: false });
  if (!st || st.isFile() || st.isDirectory() || st.isSymbolicLink()) return false;
  if (!st.isCharacterDevice() && !st.isFIFO())
    throw Object.assign(new Error('not a file, a device or a pipe'), { code: 'EINVAL', path });
  // a FIFO opened without blocking: ENXIO when no process has it open for reading, and a full
  // pipe answers EAGAIN until its reader catches up
  const fifo = st.isFIFO();
  const fd = openSync(
    path,
    constants.O_WRONLY | constants.O_NOFOLLOW | (fifo ? constants.O_NONBLOCK : 0),
  );
  const pause = new Int32Array(new SharedArrayBuffer(4));
  try {
    for (const chunk of typeof content === 'string' ? [content] : content) {
      const bytes = Buffer.from(chunk, 'utf8');
      for (let at = 0; at < bytes.length;) {
        try {
          at += writeSync(fd, bytes, at);
        } catch (error) {
          if (!fifo || (error as NodeJS.ErrnoException).code !== 'EAGAIN') throw error;
          Atomics.wait(pause, 0, 0, 5);
        }
      }
    }
  } finally {
    closeSync(fd);
  }
  return true;
}

export function writeFileAtomic(
  path: string,
  content: string | Iterable<string>,
  options: { overwrite: boolean; fsync?: boolean },
): void {
  const tmp = writeTemp(path, content, { fsync: options.fsync === true });
  try {
    if (options.overwrite) {
      renameSync(tmp, path);
    } else {
      linkSync(tmp, path);
      unlinkSync(tmp);
    }
  } catch (error) {
    removeQuietly(tmp);
    throw error;
  }
}

/** A file as it was read: its bytes and what identifies this version of it. */
export interface FileSnapshot {
  /** Unset for a file too large to hold; then only its identity is compared. */
  bytes?: Buffer;
  dev: bigint;
  ino: bigint;
  size: bigint;
  mtimeNs: bigint;
  ctimeNs: bigint;
  mode: number;
  uid: number;
  gid: number;
}

/**
 * The identity of the file at `real` (not following a symlink), taken after its bytes were
 * read; undefined when it is not a regular file any more.
 */
export function snapshotOf(real: string, bytes: Buffer | undefined): FileSnapshot | undefined {
  const st = lstatSync(real, { bigint: true });
  if (!st.isFile()) return undefined;
  return {
    ...(bytes ? { bytes } : {}),
    dev: st.dev,
    ino: st.ino,
    size: st.size,
    mtimeNs: st.mtimeNs,
    ctimeNs: st.ctimeNs,
    mode: Number(st.mode),
    uid: Number(st.uid),
    gid: Number(st.gid),
  };
}

/** True when the file at `real` is still the very version `expected` describes. */
function unchanged(real: string, expected: FileSnapshot): boolean {
  if (expected.bytes) {
    const now = readInputFile(real, { maxBytes: expected.bytes.length });
    if (now.kind !== 'file' || !now.bytes.equals(expected.bytes)) return false;
  }
  // last, so that as little time as possible passes between this look and the rename
  let st;
  try {
    st = lstatSync(real, { bigint: true });
  } catch {
    return false;
  }
  return (
    st.isFile() &&
    st.dev === expected.dev &&
    st.ino === expected.ino &&
    st.size === expected.size &&
    st.mtimeNs === expected.mtimeNs &&
    st.ctimeNs === expected.ctimeNs &&
    Number(st.mode) === expected.mode
  );
}

/**
 * Replaces the regular file `real` with `content` in one step (a temporary file beside it,
 * then a rename), keeping its mode (and its owner, where the system allows), but only when it
 * is still the version `expected` describes: returns false, having written nothing, when it
 * changed since. Failures are InputErrors naming `shown`; no temporary file is left behind.
 */
export function replaceFile(
  real: string,
  content: string | Uint8Array,
  expected: FileSnapshot,
  shown: string,
): boolean {
  try {
    const tmp = writeTemp(real, content, { fsync: true, like: expected });
    try {
      if (!unchanged(real, expected)) {
        removeQuietly(tmp);
        return false;
      }
      renameSync(tmp, real);
    } catch (error) {
      removeQuietly(tmp);
      throw error;
    }
  } catch (error) {
    throw writeError(error, shown, real);
  }
  return true;
}

/** How long a second writer waits for the lock of a file before giving up. */
const LOCK_WAIT_MS = 10_000;
/** A lock older than this is left over whatever its process (mlops holds one for a second). */
const LOCK_STALE_MS = 60_000;
/** A lock without a readable owner (its writer stopped between creating and filling it). */
const LOCK_UNOWNED_STALE_MS = 5_000;

const sleeper = new Int32Array(new SharedArrayBuffer(4));
const sleep = (ms: number): void => void Atomics.wait(sleeper, 0, 0, ms);

/** The lock file of `real`: `.<name>.lock` beside it. */
export function lockPathOf(real: string): string {
  return join(dirname(real), `.${basename(real)}.lock`);
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return errnoCode(error) === 'EPERM';
  }
}

interface LockHolder {
  content: string;
  pid?: number;
  stale: boolean;
}

/** The text of a lock file, or undefined; never blocks on a FIFO put in its place. */
function readLock(path: string): string | undefined {
  const read = readInputFile(path, { maxBytes: 4096 });
  return read.kind === 'file' ? read.bytes.toString('utf8') : undefined;
}

/** Who holds the lock at `path`, or undefined when there is none any more. */
function lockHolder(path: string): LockHolder | undefined {
  const read = readInputFile(path, { maxBytes: 4096 });
  if (read.kind === 'missing') return undefined;
  if (read.kind === 'not_a_file') {
    throw Object.assign(new Error(`${path} is a ${read.type}`), {
      code: read.type === 'directory' ? 'EISDIR' : 'EEXIST',
      path,
    });
  }
  if (read.kind !== 'file') {
    throw Object.assign(new Error(`cannot read ${path}`), {
      code: read.kind === 'unreadable' ? read.code : 'EEXIST',
      path,
    });
  }
  const content = read.bytes.toString('utf8');
  let age = 0;
  try {
    age = Date.now() - lstatSync(path).mtimeMs;
  } catch {
    return undefined;
  }
  const m = /^(\d+) (\S+) /.exec(content);
  if (!m) return { content, stale: age > LOCK_UNOWNED_STALE_MS };
  const pid = Number(m[1]);
  const dead = m[2] === hostname() && !isAlive(pid);
  return { content, pid, stale: dead || age > LOCK_STALE_MS };
}

/**
 * Removes a stale lock, unless another process replaced it in the meantime: the lock is moved
 * aside in one step and only deleted when it is the one judged stale; a fresh one is put back.
 */
function breakStaleLock(path: string, judged: string): void {
  const aside = `${path}.${unique()}.stale`;
  try {
    renameSync(path, aside);
  } catch (error) {
    if (errnoCode(error) === 'ENOENT') return;
    throw error;
  }
  if (readLock(aside) !== judged) {
    try {
      linkSync(aside, path);
    } catch {
      // a third process locked it meanwhile: the check before the rename still guards the file
    }
  }
  removeQuietly(aside);
}

/**
 * Takes the lock of the file `real` (an exclusively created `.<name>.lock` beside it, holding
 * this process's id and host), waiting up to ten seconds for another mlops process to finish.
 * A lock whose process has ended, or that is over a minute old, is removed. Returns the
 * function that releases it. Failures are InputErrors naming `shown`.
 */
export function lockForWrite(real: string, shown: string): () => void {
  const path = lockPathOf(real);
  const token = `${process.pid} ${hostname()} ${new Date().toISOString()} ${unique()}\n`;
  const deadline = Date.now() + LOCK_WAIT_MS;
  try {
    for (;;) {
      let fd: number | undefined;
      try {
        fd = openSync(path, 'wx', 0o644);
      } catch (error) {
        if (errnoCode(error) !== 'EEXIST') throw error;
      }
      if (fd !== undefined) {
        try {
          writeSync(fd, token);
          closeSync(fd);
        } catch (error) {
          try {
            closeSync(fd);
          } catch {
            // closed already
          }
          removeQuietly(path);
          throw error;
        }
        // removed only while it is still this process's own
        return () => {
          if (readLock(path) === token) removeQuietly(path);
        };
      }
      const holder = lockHolder(path);
      if (holder === undefined) continue;
      if (holder.stale) {
        breakStaleLock(path, holder.content);
        continue;
      }
      if (Date.now() >= deadline) {
        // beside the file as the user named it, unless a symlink led elsewhere
        const lockShown = real.endsWith(`${sep}${shown.split('/').join(sep)}`)
          ? join(dirname(shown), basename(path))
          : path;
        throw new InputError(
          `${shown} is being changed by another mlops process${holder.pid ? ` (pid ${holder.pid})` : ''}; nothing was written`,
          {
            hint: `run the command again once it has finished; if no mlops is running, delete ${lockShown}`,
          },
        );
      }
      sleep(15 + Math.floor(Math.random() * 25));
    }
  } catch (error) {
    throw writeError(error, shown, real);
  }
}

const CAUSES: Record<string, string> = {
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  ENOSPC: 'no space left on the disk',
  EDQUOT: 'disk quota exceeded',
  EISDIR: 'a folder is where a file should be',
  ENOTDIR: 'a file is where a folder should be',
  EROFS: 'read-only file system',
  EEXIST: 'a file is in the way',
  ENAMETOOLONG: 'the name is too long',
  ELOOP: 'too many symlinks',
  EMFILE: 'too many open files',
  ENFILE: 'too many open files',
  EIO: 'input/output error',
  EFBIG: 'the file is too large',
  ENXIO: 'it is a named pipe that no process reads',
  EINVAL: 'it is neither a file, a device nor a named pipe',
};

/**
 * The InputError for a failed write of `shown` (the path as the user sees it): the cause in
 * words and what to do. `real` is the file written (after symlinks). An MlopsError passes.
 */
export function writeError(error: unknown, shown: string, real?: string): Error {
  if (error instanceof InputError) return error;
  const code = errnoCode(error);
  const cause = code === undefined ? undefined : CAUSES[code];
  if (cause === undefined && !(error instanceof Error && code !== undefined)) {
    return error instanceof Error ? error : new Error(String(error));
  }
  const where = (error as NodeJS.ErrnoException).path;
  // the folder that must be writable: the file's, or the parent of one being made
  const syscall = (error as NodeJS.ErrnoException).syscall;
  const dir = real
    ? dirname(real)
    : where !== undefined && syscall === 'mkdir'
      ? dirname(where)
      : undefined;
  // the path in the way (a folder, a lock file), when it is not the file itself
  const obstacle = code === 'EISDIR' || code === 'ENOTDIR' || code === 'EEXIST';
  const other = obstacle && where !== undefined && where !== real ? where : undefined;
  let hint: string;
  switch (code) {
    case 'EACCES':
    case 'EPERM':
      hint = `mlops writes a new file beside it and renames it over the old one: make ${dir ?? 'its folder'} writable for this user, or run as its owner`;
      break;
    case 'ENOSPC':
    case 'EDQUOT':
      hint = `free some space on the disk that holds ${dir ?? shown}, then run the command again`;
      break;
    case 'EROFS':
      hint = `${dir ?? shown} is on a file system mounted read-only; work in a writable copy`;
      break;
    case 'EISDIR':
    case 'ENOTDIR':
    case 'EEXIST':
      hint = `move ${other ?? where ?? shown} out of the way, then run the command again`;
      break;
    case 'ENXIO':
      hint = `start the process that reads ${shown} first, or write to a file`;
      break;
    case 'EINVAL':
      hint = `write to a file instead of ${shown}`;
      break;
    default:
      hint = 'fix the cause, then run the command again';
  }
  return new InputError(
    `cannot write ${shown}: ${cause ?? code}${other ? ` (${other})` : ''}; nothing was written`,
    { hint, cause: error },
  );
}
