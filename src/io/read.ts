import {
  closeSync,
  constants,
  fstatSync,
  lstatSync,
  openSync,
  readSync,
  readlinkSync,
  realpathSync,
} from 'node:fs';
import type { Stats } from 'node:fs';
import { isInside } from './fs.js';

/**
 * What reading one input file gave. Nothing else is ever opened: a path that leads out of
 * `root` (through a symlink at the leaf or in a parent folder) is `outside` and is not opened;
 * a FIFO, device, socket or folder is `not_a_file` and is not opened (a FIFO would block);
 * a file over the cap is `too_large` after reading at most cap + 1 bytes of it.
 */
export type ReadResult =
  | {
      kind: 'file';
      bytes: Buffer;
      /** The absolute path of the file read, after symlinks. */
      real: string;
      /** Set when the path itself is a symlink: what the link says (readlink), as written. */
      link?: string;
    }
  | { kind: 'missing' }
  /** `link`: what the symlink at the path says, when the leaf is one; `target`: where it leads. */
  | { kind: 'outside'; link?: string; target: string }
  | { kind: 'not_a_file'; type: FileType }
  | { kind: 'too_large'; size: number }
  | { kind: 'unreadable'; code: string };

export type FileType =
  'directory' | 'fifo' | 'character device' | 'block device' | 'socket' | 'other';

export interface ReadOptions {
  /**
   * The folder nothing may be read outside of (usually the repository root), as a real path
   * (realpathSync.native). Without it, symlinks are followed anywhere: only for paths the user
   * named on the command line outside any repository.
   */
  realRoot?: string;
  /** The most bytes accepted; at most maxBytes + 1 are read. */
  maxBytes: number;
  /**
   * The parent folders are known to be real folders inside `realRoot` (the path came from
   * `git ls-files` or a walk that never enters symlinked folders), so only the leaf is checked.
   */
  trustedParents?: boolean;
  /** A buffer to read into, reused across calls; the bytes returned may be a view of it. */
  scratch?: { buffer: Buffer };
}

const NONBLOCK = constants.O_NONBLOCK ?? 0;
const NOFOLLOW = constants.O_NOFOLLOW ?? 0;

export function fileType(st: Stats): FileType {
  if (st.isDirectory()) return 'directory';
  if (st.isFIFO()) return 'fifo';
  if (st.isCharacterDevice()) return 'character device';
  if (st.isBlockDevice()) return 'block device';
  if (st.isSocket()) return 'socket';
  return 'other';
}

function errnoCode(error: unknown): string {
  return (
    (error as NodeJS.ErrnoException)?.code ??
    (error instanceof Error ? error.message : String(error))
  );
}

/**
 * Reads one input file safely (see ReadResult). The type is checked before opening, the file
 * is opened non-blocking and without following a symlink, and checked again after opening, so
 * a file swapped for a FIFO or a link in between is refused rather than followed.
 */
export function readInputFile(abs: string, options: ReadOptions): ReadResult {
  let st: Stats;
  try {
    st = lstatSync(abs);
  } catch (error) {
    const code = errnoCode(error);
    return code === 'ENOENT' || code === 'ENOTDIR'
      ? { kind: 'missing' }
      : { kind: 'unreadable', code };
  }
  let real = abs;
  let link: string | undefined;
  if (st.isSymbolicLink() || (options.realRoot !== undefined && !options.trustedParents)) {
    try {
      if (st.isSymbolicLink()) link = readlinkSync(abs);
      real = realpathSync.native(abs);
    } catch (error) {
      const code = errnoCode(error);
      // a dangling link names something that is not there
      return code === 'ENOENT' || code === 'ENOTDIR'
        ? { kind: 'missing' }
        : { kind: 'unreadable', code };
    }
    if (options.realRoot !== undefined && !isInside(options.realRoot, real)) {
      return { kind: 'outside', ...(link !== undefined ? { link } : {}), target: real };
    }
    if (st.isSymbolicLink()) {
      try {
        st = lstatSync(real);
      } catch (error) {
        return { kind: 'unreadable', code: errnoCode(error) };
      }
    }
  }
  if (!st.isFile()) return { kind: 'not_a_file', type: fileType(st) };
  let fd: number | undefined;
  try {
    fd = openSync(real, constants.O_RDONLY | NONBLOCK | NOFOLLOW);
    const fst = fstatSync(fd);
    if (!fst.isFile()) return { kind: 'not_a_file', type: fileType(fst) };
    if (fst.size > options.maxBytes) return { kind: 'too_large', size: fst.size };
    const cap = options.maxBytes + 1;
    let buffer =
      options.scratch && options.scratch.buffer.length >= Math.min(cap, fst.size + 1)
        ? options.scratch.buffer
        : Buffer.allocUnsafe(Math.min(cap, Math.max(fst.size + 1, 4096)));
    // read to the end or to the cap, not to the size fstat gave: the file may be growing
    let length = 0;
    for (;;) {
      if (length === buffer.length) {
        if (buffer.length >= cap) break;
        const bigger = Buffer.allocUnsafe(Math.min(cap, buffer.length * 2));
        buffer.copy(bigger, 0, 0, length);
        buffer = bigger;
      }
      const n = readSync(fd, buffer, length, buffer.length - length, null);
      if (n === 0) break;
      length += n;
    }
    if (options.scratch && buffer.length > options.scratch.buffer.length)
      options.scratch.buffer = buffer;
    if (length > options.maxBytes) return { kind: 'too_large', size: Math.max(length, fst.size) };
    return {
      kind: 'file',
      bytes: buffer.subarray(0, length),
      real,
      ...(link !== undefined ? { link } : {}),
    };
  } catch (error) {
    const code = errnoCode(error);
    // ELOOP: the leaf became a symlink after the check (O_NOFOLLOW refused it)
    return code === 'ENOENT' ? { kind: 'missing' } : { kind: 'unreadable', code };
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}
