import {
  closeSync,
  constants,
  existsSync,
  fstatSync,
  lstatSync,
  openSync,
  readSync,
  readlinkSync,
  realpathSync,
} from 'node:fs';
import type { Stats } from 'node:fs';
import { isUtf8 } from 'node:buffer';
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { finding, fingerprintOf } from '../core/findings.js';
import type { Code, Finding } from '../core/findings.js';
import { MAX_MANIFEST_BYTES, tooLargeFinding } from '../core/manifest/limits.js';

/**
 * What reading one input file gave. Nothing else is ever opened: a path that leads out of
 * `root` (through a symlink at the leaf or in a parent folder) is `outside` and is not read;
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
  /** `link`: set when the path is a symlink that leads nowhere (what the link says). */
  | { kind: 'missing'; link?: string }
  /** `link`: what the symlink at the path says, when the leaf is one; `target`: where it leads. */
  | { kind: 'outside'; link?: string; target: string }
  /** `target`: where the path leads, when a symlink leads there. */
  | { kind: 'not_a_file'; type: FileType; target?: string }
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
  /**
   * The walk that found the file (with `trustedParents`) saw a regular file there: it is opened
   * without a look of its own first (never following a link, never waiting on a pipe), and
   * anything else found there then is looked at as usual.
   */
  regular?: boolean;
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

/** True when `child` is `parent` or lies inside it (after resolving `..`). */
export function isInside(parent: string, child: string): boolean {
  const rel = relative(resolve(parent), resolve(child));
  return rel === '' || (!rel.startsWith('..') && !rel.startsWith(sep) && !/^[A-Za-z]:/.test(rel));
}

/** `isInside` for two real paths (absolute, normalized, as realpath gives them), without a syscall. */
function isUnderReal(realRoot: string, real: string): boolean {
  if (real === realRoot) return true;
  const prefix = realRoot.endsWith(sep) ? realRoot : realRoot + sep;
  return real.startsWith(prefix);
}

/** Where an open file is, after every symlink: Linux says it in /proc (one readlink, no walk). */
let procFds = process.platform === 'linux';
function realPathOf(fd: number, abs: string): string {
  if (procFds) {
    try {
      const path = readlinkSync(`/proc/self/fd/${fd}`);
      if (path.startsWith('/')) return path;
    } catch {
      // no /proc here: ask the path instead, from now on
    }
    procFds = false;
  }
  return realpathSync.native(abs);
}

/**
 * Reads one input file safely (see ReadResult). The type is checked before opening, the file
 * is opened non-blocking and without following a symlink, and checked again after opening, so
 * a file swapped for a FIFO or a link in between is refused rather than followed. Where it
 * lies is checked on the file that was opened, so nothing outside `realRoot` is read.
 */
export function readInputFile(abs: string, options: ReadOptions): ReadResult {
  // the walk's look stands for the type check: a file it saw as regular is opened at once (not
  // where O_NOFOLLOW is missing); if that fails, or finds no regular file, the path is looked
  // at as any other, so that a link or a pipe put there since is reported as usual
  if (options.regular && options.trustedParents && NOFOLLOW !== 0) {
    const read = readOpened(abs, abs, options, true, undefined, true);
    return read ?? readInputFile(abs, { ...options, regular: false });
  }
  let st: Stats;
  try {
    st = lstatSync(abs);
  } catch (error) {
    const code = errnoCode(error);
    return code === 'ENOENT' || code === 'ENOTDIR'
      ? { kind: 'missing' }
      : { kind: 'unreadable', code };
  }
  const { realRoot } = options;
  let real = abs;
  let link: string | undefined;
  // where the path leads is known before opening: for a symlink, and (untrusted) for anything
  // but a regular file, which is never opened and is named as outside rather than as a device
  let located = false;
  if (st.isSymbolicLink() || (!st.isFile() && realRoot !== undefined && !options.trustedParents)) {
    try {
      if (st.isSymbolicLink()) link = readlinkSync(abs);
      real = realpathSync.native(abs);
    } catch (error) {
      const code = errnoCode(error);
      // a dangling link names something that is not there
      return code === 'ENOENT' || code === 'ENOTDIR'
        ? { kind: 'missing', ...(link !== undefined ? { link } : {}) }
        : { kind: 'unreadable', code };
    }
    located = true;
    if (realRoot !== undefined && !isUnderReal(realRoot, real)) {
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
  if (!st.isFile()) {
    return {
      kind: 'not_a_file',
      type: fileType(st),
      ...(link !== undefined ? { target: real } : {}),
    };
  }
  return readOpened(abs, real, options, located, link, false)!;
}

/**
 * Opens `initial` (the path to read `abs` by) and reads it, checked as `readInputFile` says;
 * `giveWay` (the walk's fast path): undefined instead of any answer but a regular file's.
 */
function readOpened(
  abs: string,
  initial: string,
  options: ReadOptions,
  located: boolean,
  link: string | undefined,
  giveWay: boolean,
): ReadResult | undefined {
  let real = initial;
  const { realRoot } = options;
  let fd: number | undefined;
  try {
    fd = openSync(real, constants.O_RDONLY | NONBLOCK | NOFOLLOW);
    const fst = fstatSync(fd);
    if (!fst.isFile()) return giveWay ? undefined : { kind: 'not_a_file', type: fileType(fst) };
    if (!located && realRoot !== undefined && !options.trustedParents) {
      // a symlinked parent folder: the file opened (a regular file, so opening it did nothing)
      // is not read when it lies outside
      real = realPathOf(fd, abs);
      if (!isUnderReal(realRoot, real)) return { kind: 'outside', target: real };
    }
    if (fst.size > options.maxBytes) return { kind: 'too_large', size: fst.size };
    const cap = options.maxBytes + 1;
    let buffer =
      options.scratch && options.scratch.buffer.length >= Math.min(cap, fst.size + 1)
        ? options.scratch.buffer
        : Buffer.allocUnsafe(Math.min(cap, Math.max(fst.size + 1, 4096)));
    // read to the size fstat gave, which the file had when it was opened (one read, where a read
    // to the end would take two); a file whose size is not known (0: /proc and the like) to the
    // end or to the cap
    let length = 0;
    for (;;) {
      if (fst.size > 0 && length >= fst.size) break;
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
    if (giveWay) return undefined;
    const code = errnoCode(error);
    // ELOOP: the leaf became a symlink after the check (O_NOFOLLOW refused it)
    return code === 'ENOENT' ? { kind: 'missing' } : { kind: 'unreadable', code };
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/** An encoding mlops does not read: files must be UTF-8. */
export type ForeignEncoding = 'UTF-16 LE' | 'UTF-16 BE' | 'UTF-32 LE' | 'UTF-32 BE';

/**
 * The UTF-16 or UTF-32 encoding of `bytes`, by its byte order mark or, without one, by where
 * the NUL bytes of its (mostly ASCII) characters fall in the first kilobyte; undefined for
 * anything else. YAML text has no NUL, so a real UTF-8 manifest is never taken for one.
 */
export function foreignEncoding(
  bytes: Uint8Array,
): { encoding: ForeignEncoding; bom: boolean } | undefined {
  const b = bytes;
  if (b.length >= 4 && b[0] === 0 && b[1] === 0 && b[2] === 0xfe && b[3] === 0xff)
    return { encoding: 'UTF-32 BE', bom: true };
  if (b.length >= 4 && b[0] === 0xff && b[1] === 0xfe && b[2] === 0 && b[3] === 0)
    return { encoding: 'UTF-32 LE', bom: true };
  if (b.length >= 2 && b[0] === 0xfe && b[1] === 0xff) return { encoding: 'UTF-16 BE', bom: true };
  if (b.length >= 2 && b[0] === 0xff && b[1] === 0xfe) return { encoding: 'UTF-16 LE', bom: true };
  const n = Math.min(b.length, 1024) & ~3;
  if (n < 4) {
    // one or two characters: a NUL beside a non-NUL byte is enough
    if (b.length >= 2 && b[0] !== 0 && b[1] === 0) return { encoding: 'UTF-16 LE', bom: false };
    if (b.length >= 2 && b[0] === 0 && b[1] !== 0) return { encoding: 'UTF-16 BE', bom: false };
    return undefined;
  }
  // NUL bytes at each position of 4
  const zeros = [0, 0, 0, 0];
  for (let i = 0; i < n; i++) if (b[i] === 0) zeros[i & 3]!++;
  const units = n / 4;
  const most = (count: number): boolean => count >= units * 0.9;
  const few = (count: number): boolean => count <= units * 0.1;
  const [z0, z1, z2, z3] = zeros as [number, number, number, number];
  if (few(z0) && most(z2) && most(z3)) return { encoding: 'UTF-32 LE', bom: false };
  if (most(z0) && most(z1) && few(z3)) return { encoding: 'UTF-32 BE', bom: false };
  // UTF-16: ASCII keys and indentation put a NUL in most odd (LE) or even (BE) positions
  if (z1 + z3 >= units && z0 + z2 <= units * 0.2) return { encoding: 'UTF-16 LE', bom: false };
  if (z0 + z2 >= units && z1 + z3 <= units * 0.2) return { encoding: 'UTF-16 BE', bom: false };
  return undefined;
}

/** The offset of the first byte that is not valid UTF-8, or -1 (only for the failing path). */
export function invalidUtf8At(b: Uint8Array): number {
  let i = 0;
  while (i < b.length) {
    const c = b[i]!;
    if (c < 0x80) {
      i++;
      continue;
    }
    let need: number;
    let min: number;
    if (c >= 0xc2 && c <= 0xdf) [need, min] = [1, 0x80];
    else if (c >= 0xe0 && c <= 0xef) [need, min] = [2, 0x800];
    else if (c >= 0xf0 && c <= 0xf4) [need, min] = [3, 0x10000];
    else return i;
    if (i + need >= b.length) return i;
    let cp = c & (0x3f >> need);
    for (let k = 1; k <= need; k++) {
      const cc = b[i + k]!;
      if ((cc & 0xc0) !== 0x80) return i;
      cp = (cp << 6) | (cc & 0x3f);
    }
    if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return i;
    i += need + 1;
  }
  return -1;
}

/** Where nothing may be read outside of, for one input file, and how the words name it. */
export interface ReadScope {
  /**
   * A real path (realpathSync.native); without one, symlinks are followed anywhere (a file
   * the user named outside any repository), and only the type and size are checked.
   */
  realRoot?: string;
  /** The folder is a repository, or (outside any) a folder the user named or runs in. */
  within: 'repository' | 'folder';
  /** See ReadOptions.trustedParents. */
  trustedParents?: boolean;
}

/** `isInside` by path, with a fast answer for the usual normalized absolute paths. */
export function holds(parent: string, child: string): boolean {
  if (
    child.length > parent.length &&
    child.startsWith(parent) &&
    child[parent.length] === sep &&
    !child.includes(SEP_DOT) &&
    isAbsolute(parent)
  )
    return true;
  // two normalized absolute POSIX paths: the prefix test is the whole answer, a "no" too, as
  // for a manifest outside the working folder's repository (path.relative for each cost ~5 us
  // a manifest). Windows' path.relative compares without case: there, it is asked.
  if (sep === '/' && plainPath(parent) && plainPath(child))
    return (
      child === parent ||
      (child.startsWith(parent) && (parent.length === 1 || child[parent.length] === sep))
    );
  return isInside(parent, child);
}
/** Built once: a string built per call is an allocation per path. */
export const SEP_DOT = `${sep}.`;
export const SEP_SEP = `${sep}${sep}`;

/**
 * True when a walk of `walked.roots` listed `dir`: it is at or under a root, through no folder
 * that the walk skips (hidden ones and node_modules, see walkForManifests).
 */
function walkedFolder(walked: ScopeOptions['walked'], dir: string): boolean {
  if (walked === undefined) return false;
  return walked.roots.some((root) => {
    if (dir === root) return true;
    if (!holds(root, dir)) return false;
    const below = dir.slice(root.length + (root.endsWith(sep) ? 0 : 1)).split(sep);
    return below.every((name) => name !== '' && name[0] !== '.' && name !== 'node_modules');
  });
}

/**
 * True for an absolute path that path.resolve would leave as it is, told without calling it
 * (it costs more than the rest of a folder's lookup): no `.` or `..` part, no empty part, no
 * trailing separator. False only means "ask resolve".
 */
function plainPath(path: string): boolean {
  return (
    isAbsolute(path) &&
    !path.includes(SEP_DOT) &&
    !path.includes(SEP_SEP) &&
    (path.length === 1 || !path.endsWith(sep)) &&
    (sep === '/' || !path.includes('/'))
  );
}

/** Per walk: the roots it saw no `.git` strictly under (there may be one in the root itself). */
const bareRootsOf = new WeakMap<NonNullable<ScopeOptions['walked']>, string[]>();

/**
 * The walked root that holds `dir` through folders the walk listed (no hidden folder, no
 * node_modules) and has no `.git` below it, so that `dir` is in the root's repository, if any;
 * undefined when there is none, or the path is not plain enough to tell cheaply.
 */
function bareRootHolding(
  walked: NonNullable<ScopeOptions['walked']>,
  dir: string,
): string | undefined {
  let roots = bareRootsOf.get(walked);
  if (roots === undefined) {
    const gitDirs = [...walked.gitDirs];
    roots = walked.roots.filter((r) => !gitDirs.some((g) => g !== r && holds(r, g)));
    bareRootsOf.set(walked, roots);
  }
  // indexed, and no string built: asked once per manifest's folder
  for (let i = 0; i < roots.length; i++) {
    const root = roots[i]!;
    const from = root.endsWith(sep) ? root.length : root.length + 1;
    if (
      dir.length > from &&
      dir.startsWith(root) &&
      dir[from - 1] === sep &&
      dir[from] !== '.' &&
      !dir.includes(SEP_DOT, from) &&
      !dir.includes(SEP_SEP, from - 1) &&
      !dir.endsWith(sep) &&
      !dir.includes('node_modules', from)
    )
      return root;
  }
  return undefined;
}

const repoRoots = new Map<string, string | null>();
/**
 * The folder holding `.git` at or above `dir` (a plain walk up, memoized per folder); a folder
 * that `walked` listed is answered from what the walk saw, without a look of its own, and one
 * below a walked root without any `.git` under it by that root's answer.
 */
function enclosingRepo(dir: string, walked?: ScopeOptions['walked']): string | null {
  const known = repoRoots.get(dir);
  if (known !== undefined) return known;
  const bare = walked === undefined ? undefined : bareRootHolding(walked, dir);
  if (bare !== undefined) return enclosingRepo(bare, walked);
  if (!plainPath(dir) && dir !== resolve(dir)) return enclosingRepo(resolve(dir), walked);
  const parent = dirname(dir);
  const hasGit = walkedFolder(walked, dir)
    ? walked!.gitDirs.has(dir)
    : existsSync(join(dir, '.git'));
  const root = hasGit ? dir : parent === dir ? null : enclosingRepo(parent, walked);
  repoRoots.set(dir, root);
  return root;
}

const realPaths = new Map<string, string>();
/** The real path of a folder, memoized; its resolved path when it cannot be resolved. */
export function realOf(path: string): string {
  let real = realPaths.get(path);
  if (real === undefined) {
    try {
      real = realpathSync.native(path);
    } catch {
      real = resolve(path);
    }
    realPaths.set(path, real);
  }
  return real;
}

/**
 * The folder the command runs in, from a file's absolute path and its name in the output (a
 * path relative to that folder, with `/`); undefined when the name climbs out of it.
 */
export function cwdOf(abs: string, file: string): string | undefined {
  if (file === '..' || file.startsWith('../') || isAbsolute(file)) return undefined;
  const tail = sep + file.split('/').join(sep);
  return abs.endsWith(tail) ? abs.slice(0, abs.length - tail.length) || sep : undefined;
}

/**
 * The scope of a manifest or config file at `abs` (absolute): its repository, `repoRoot` when
 * the caller knows it, else the folder holding `.git` above the folder the command runs in when
 * that holds the file (by its path, not where links lead), else above the file. Outside any
 * repository, the file's own folder: a caller that knows the folder the user named passes a
 * scope of its own (see `readScopes` in validate-files.ts).
 */
export function readScopeOf(
  abs: string,
  cwd: string | undefined,
  options: ScopeOptions = {},
): ReadScope {
  return (
    repositoryScopeOf(abs, cwd, options) ?? {
      realRoot: realOf(dirname(abs)),
      within: 'folder',
      ...(options.trustedParents ? { trustedParents: true } : {}),
    }
  );
}

/** How `readScopeOf` looks for a file's repository. */
export interface ScopeOptions {
  /** The repository, when the caller knows it. */
  repoRoot?: string;
  /** See ReadOptions.trustedParents. */
  trustedParents?: boolean;
  /**
   * Folders a walk has listed, each entry of them seen: `roots` were walked, and a folder at
   * or under one of them holds a `.git` exactly when it is in `gitDirs`. Saves a look for
   * `.git` in each folder of thousands of manifests.
   */
  walked?: { roots: readonly string[]; gitDirs: ReadonlySet<string> };
}

/** `readScopeOf` when the file is in a repository; undefined outside any. */
export function repositoryScopeOf(
  abs: string,
  cwd: string | undefined,
  options: ScopeOptions = {},
): ReadScope | undefined {
  const { repoRoot, walked } = options;
  const cwdRepo = cwd !== undefined ? enclosingRepo(cwd) : null;
  const root =
    repoRoot !== undefined && holds(repoRoot, abs)
      ? repoRoot
      : cwdRepo !== null && holds(cwdRepo, abs)
        ? cwdRepo
        : enclosingRepo(dirname(abs), walked);
  if (root === null) return undefined;
  // one scope object per repository, shared by its files (no key is built per file)
  const scopes = options.trustedParents ? trustedScopes : repositoryScopes;
  let scope = scopes.get(root);
  if (scope === undefined) {
    scope = {
      realRoot: realOf(root),
      within: 'repository',
      ...(options.trustedParents ? { trustedParents: true } : {}),
    };
    scopes.set(root, scope);
  }
  return scope;
}
const repositoryScopes = new Map<string, ReadScope>();
const trustedScopes = new Map<string, ReadScope>();

const located = (code: Code, file: string, args: Finding['args'], line = 1, column = 1): Finding =>
  // where it leads and why are left out of the fingerprint: the file is the same finding
  finding(code, [], args, { file, line, column, fingerprint: fingerprintOf(['', code, [], {}]) });

/** The finding for an input file that was not read (see ReadResult), at line 1, column 1. */
export function notReadFinding(
  result: Exclude<ReadResult, { kind: 'file' }>,
  file: string,
  scope: ReadScope | undefined,
): Finding {
  switch (result.kind) {
    case 'outside':
      return located('SYMLINK_OUTSIDE', file, {
        target: result.target,
        ...(result.link !== undefined ? { link: result.link } : {}),
        within: scope?.within ?? 'repository',
        ...(scope?.within === 'folder' && scope.realRoot !== undefined
          ? { root: scope.realRoot }
          : {}),
      });
    case 'not_a_file':
      return located('NOT_A_REGULAR_FILE', file, {
        type: result.type,
        ...(result.target !== undefined ? { target: result.target } : {}),
      });
    case 'too_large':
      return tooLargeFinding(file, result.size);
    case 'missing':
      return located('FILE_UNREADABLE', file, {
        reason: 'ENOENT',
        ...(result.link !== undefined ? { link: result.link } : {}),
      });
    case 'unreadable':
      return located('FILE_UNREADABLE', file, { reason: result.code });
  }
}

/**
 * The finding for bytes that are not UTF-8: UTF-16 or UTF-32 (at line 1, column 1), or a byte
 * that no UTF-8 text holds (at its line and column). Undefined for UTF-8, the common case,
 * which costs one pass of a vectorized check and a search for a NUL byte.
 */
export function encodingFinding(bytes: Uint8Array, file: string): Finding | undefined {
  const utf8 = isUtf8(bytes);
  if (utf8 && bytes.indexOf(0) === -1) return undefined;
  const foreign = foreignEncoding(bytes);
  if (foreign) return located('NOT_UTF8', file, { encoding: foreign.encoding, bom: foreign.bom });
  if (utf8) return undefined; // a NUL in UTF-8 text: the reader says where
  const at = invalidUtf8At(bytes);
  let line = 1;
  let start = 0;
  for (let i = 0; i < at; i++) {
    if (bytes[i] === 0x0a || (bytes[i] === 0x0d && bytes[i + 1] !== 0x0a)) {
      line++;
      start = i + 1;
    }
  }
  const column = Buffer.from(bytes.subarray(start, at)).toString('utf8').length + 1;
  const byte = `0x${bytes[at]!.toString(16).toUpperCase().padStart(2, '0')}`;
  return located('NOT_UTF8', file, { byte }, line, column);
}

/**
 * A manifest or config file's bytes, read as every command reads one: never outside `scope`,
 * never a FIFO, device or socket, at most `maxBytes` (default: the manifest limit), and UTF-8;
 * or the finding (error, at the file) that says why it was not read.
 */
export function readCheckedInput(
  abs: string,
  file: string,
  options: {
    scope: ReadScope | undefined;
    maxBytes?: number;
    scratch?: { buffer: Buffer };
    regular?: boolean;
  },
): { bytes: Buffer } | { finding: Finding } {
  const { scope } = options;
  const read = readInputFile(abs, {
    maxBytes: options.maxBytes ?? MAX_MANIFEST_BYTES,
    ...(scope?.realRoot !== undefined ? { realRoot: scope.realRoot } : {}),
    ...(scope?.trustedParents ? { trustedParents: true } : {}),
    ...(options.scratch ? { scratch: options.scratch } : {}),
    ...(options.regular ? { regular: true } : {}),
  });
  if (read.kind !== 'file') return { finding: notReadFinding(read, file, scope) };
  const encoding = encodingFinding(read.bytes, file);
  return encoding ? { finding: encoding } : { bytes: read.bytes };
}
