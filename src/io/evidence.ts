import { createHash } from 'node:crypto';
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
import { dirname, join, relative, sep } from 'node:path';
import type { EvidenceFile } from '../core/check/index.js';
import { isInside } from './fs.js';
import { fileType, readInputFile } from './read.js';

/** One evidence file to look at: its repository-relative path and what to read from it. */
export interface EvidenceRequest {
  path: string;
  /** Read the text (JSON or YAML evidence read for observed values). */
  text: boolean;
  /** Hash the content (the manifest gives a sha256). */
  sha256: boolean;
}

/** Evidence read for observed values larger than this is refused; at most this + 1 bytes are read. */
export const MAX_EVIDENCE_TEXT_BYTES = 32 * 1024 * 1024;

/**
 * Evidence with a sha256 (and not read for values) larger than this is refused; it is hashed
 * in chunks, never held whole, and at most this + 1 bytes are read.
 */
export const MAX_EVIDENCE_HASH_BYTES = 256 * 1024 * 1024;

/** Links followed on the way to one file before giving up (as the kernel's ELOOP). */
const MAX_LINKS = 40;

const HASH_CHUNK = 1024 * 1024;
const NONBLOCK = constants.O_NONBLOCK ?? 0;
const NOFOLLOW = constants.O_NOFOLLOW ?? 0;

function isSafeRelative(path: string): boolean {
  return (
    path !== '' &&
    !path.startsWith('/') &&
    !/^[A-Za-z]:/.test(path) &&
    !path.split('/').some((s) => s === '..')
  );
}

function errnoCode(error: unknown): string {
  return (
    (error as NodeJS.ErrnoException)?.code ??
    (error instanceof Error ? error.message : String(error))
  );
}

/** Where a repository path leads on disk, found without opening anything. */
type Resolved =
  /** `abs`: the real path; `links` and `target` (repository paths) when links were followed. */
  | { kind: 'found'; abs: string; st: Stats; links: string[]; target: string }
  | { kind: 'missing'; links: string[]; target: string }
  | { kind: 'outside'; link?: string; target: string }
  | { kind: 'unreadable'; reason: string };

/**
 * Resolves the links along `repoPath` one component at a time, as the kernel does, recording
 * each link followed. It stops at the first step that would leave the repository (before
 * looking at anything there; only the repository's own parent folders may be passed through)
 * and names the link that leads out and where it leads.
 */
function resolveThroughLinks(realRoot: string, repoPath: string): Resolved {
  const toRepo = (abs: string): string => relative(realRoot, abs).split(sep).join('/');
  const links: string[] = [];
  const pending = repoPath.split('/').filter((s) => s !== '' && s !== '.');
  let current = realRoot;
  let st: Stats | undefined;
  let lastLink = '';
  const allowed = (abs: string): boolean => isInside(realRoot, abs) || isInside(abs, realRoot);
  const outside = (abs: string): Resolved => ({
    kind: 'outside',
    ...(lastLink !== '' ? { link: lastLink } : {}),
    target: join(abs, ...pending),
  });
  while (pending.length > 0) {
    const seg = pending.shift()!;
    if (seg === '.' || seg === '') continue;
    const next = seg === '..' ? dirname(current) : join(current, seg);
    if (!allowed(next)) return outside(next);
    if (seg === '..') {
      current = next;
      st = undefined;
      continue;
    }
    try {
      st = lstatSync(next);
    } catch (error) {
      const code = errnoCode(error);
      if (code === 'ENOENT' || code === 'ENOTDIR')
        return { kind: 'missing', links, target: toRepo(join(next, ...pending)) };
      return { kind: 'unreadable', reason: code };
    }
    if (!st.isSymbolicLink()) {
      current = next;
      continue;
    }
    if (links.length >= MAX_LINKS) return { kind: 'unreadable', reason: 'ELOOP' };
    let text: string;
    try {
      text = readlinkSync(next);
    } catch (error) {
      return { kind: 'unreadable', reason: errnoCode(error) };
    }
    lastLink = toRepo(next);
    links.push(lastLink);
    if (text.startsWith('/')) current = '/';
    pending.unshift(...text.split('/'));
    st = undefined;
  }
  if (!isInside(realRoot, current)) return outside(current);
  if (st === undefined) {
    try {
      st = lstatSync(current);
    } catch (error) {
      return { kind: 'unreadable', reason: errnoCode(error) };
    }
  }
  return { kind: 'found', abs: current, st, links, target: toRepo(current) };
}

/**
 * Looks at evidence files under `root`. Nothing outside the repository is ever read: absolute
 * paths and `..` are refused, and a path that leads (through a symlink anywhere along it) out
 * of the repository is reported as `outside`, naming the link and where it leads, without
 * being opened. A path that leads through links inside the repository names them and the file
 * it reaches, so that rule G1 can judge every one. Folders, FIFOs, devices and sockets are never
 * opened, and no file is read past its cap.
 */
export function readEvidenceFiles(
  root: string,
  requests: Iterable<EvidenceRequest>,
): Map<string, EvidenceFile> {
  const merged = new Map<string, EvidenceRequest>();
  for (const r of requests) {
    const prev = merged.get(r.path);
    merged.set(
      r.path,
      prev ? { path: r.path, text: prev.text || r.text, sha256: prev.sha256 || r.sha256 } : r,
    );
  }
  const reader = evidenceReader(root);
  const out = new Map<string, EvidenceFile>();
  for (const req of merged.values()) out.set(req.path, reader.read(req));
  return out;
}

/**
 * The repository paths of the files that evidence paths lead to through symbolic links inside
 * the repository (paths that lead through none are left out). Nothing is opened.
 */
export function evidenceTargets(root: string, paths: Iterable<string>): Map<string, string> {
  const reader = evidenceReader(root);
  const out = new Map<string, string>();
  for (const path of paths) {
    const r = reader.resolve(path);
    if ((r.kind === 'found' || r.kind === 'missing') && r.links.length > 0) out.set(path, r.target);
  }
  return out;
}

function evidenceReader(root: string): {
  resolve(path: string): Resolved | { kind: 'outside' };
  read(req: EvidenceRequest): EvidenceFile;
} {
  const realRoot = realpathSync.native(root);
  // Folders are resolved once each: many evidence files share a folder.
  const realDirs = new Map<string, string | undefined>();
  const realDir = (dir: string): string | undefined => {
    if (!realDirs.has(dir)) {
      let real: string | undefined;
      try {
        real = realpathSync.native(join(realRoot, dir));
      } catch {
        real = undefined;
      }
      realDirs.set(dir, real);
    }
    return realDirs.get(dir);
  };
  const scratch = { buffer: Buffer.alloc(0) };
  const resolve = (path: string): Resolved | { kind: 'outside' } => {
    if (!isSafeRelative(path)) return { kind: 'outside' };
    const slash = path.lastIndexOf('/');
    const dir = slash < 0 ? '' : path.slice(0, slash);
    // The common case: no link in the folders, and the file itself is not one.
    if (realDir(dir) === join(realRoot, dir)) {
      const abs = join(realRoot, path);
      let st: Stats;
      try {
        st = lstatSync(abs);
      } catch (error) {
        const code = errnoCode(error);
        return code === 'ENOENT' || code === 'ENOTDIR'
          ? { kind: 'missing', links: [], target: path }
          : { kind: 'unreadable', reason: code };
      }
      if (!st.isSymbolicLink()) return { kind: 'found', abs, st, links: [], target: path };
    }
    return resolveThroughLinks(realRoot, path);
  };
  return {
    resolve,
    read: (req) => readOne(realRoot, resolve(req.path), req, scratch),
  };
}

function readOne(
  realRoot: string,
  r: Resolved | { kind: 'outside' },
  req: EvidenceRequest,
  scratch: { buffer: Buffer },
): EvidenceFile {
  if (r.kind === 'outside') return r;
  const through = 'links' in r && r.links.length > 0 ? { links: r.links, target: r.target } : {};
  if (r.kind === 'unreadable') return { kind: 'unreadable', reason: r.reason, ...through };
  if (r.kind === 'missing') return { kind: 'missing', ...through };
  if (!r.st.isFile()) return { kind: 'not_a_file', type: fileType(r.st), ...through };
  if (!req.text && !req.sha256) return { kind: 'file', ...through };
  if (!req.text) {
    const h = hashEvidenceFile(r.abs, MAX_EVIDENCE_HASH_BYTES);
    switch (h.kind) {
      case 'sha256':
        return { kind: 'file', sha256: h.hex, ...through };
      case 'too_large':
        return {
          kind: 'too_large',
          size: h.size,
          limit: MAX_EVIDENCE_HASH_BYTES,
          for: 'sha256',
          ...through,
        };
      case 'not_a_file':
        return { kind: 'not_a_file', type: h.type, ...through };
      case 'missing':
        return { kind: 'missing', ...through };
      default:
        return { kind: 'unreadable', reason: h.code, ...through };
    }
  }
  const read = readInputFile(r.abs, {
    realRoot,
    maxBytes: MAX_EVIDENCE_TEXT_BYTES,
    trustedParents: true,
    scratch,
  });
  switch (read.kind) {
    case 'file':
      return {
        kind: 'file',
        text: read.bytes.toString('utf8'),
        ...(req.sha256 ? { sha256: createHash('sha256').update(read.bytes).digest('hex') } : {}),
        ...through,
      };
    case 'too_large':
      return {
        kind: 'too_large',
        size: read.size,
        limit: MAX_EVIDENCE_TEXT_BYTES,
        for: 'value',
        ...through,
      };
    case 'not_a_file':
      return { kind: 'not_a_file', type: read.type, ...through };
    case 'missing':
      return { kind: 'missing', ...through };
    case 'outside':
      // the file became a link out between the look and the read
      return { kind: 'outside', link: req.path, target: read.target };
    default:
      return { kind: 'unreadable', reason: read.code, ...through };
  }
}

/** What hashing one file gave. */
export type HashResult =
  | { kind: 'sha256'; hex: string; size: number }
  | { kind: 'too_large'; size: number }
  | { kind: 'not_a_file'; type: ReturnType<typeof fileType> }
  | { kind: 'missing' }
  | { kind: 'unreadable'; code: string };

let chunk: Buffer | undefined;

/**
 * The sha256 of a regular file, read in chunks so that it is never held whole. The type is
 * checked before opening (a FIFO or device is never opened), the file is opened non-blocking
 * and without following a symlink at the leaf (the caller resolved links already), and checked
 * again after opening. At most maxBytes + 1 bytes are read: a larger file is `too_large`.
 */
export function hashEvidenceFile(abs: string, maxBytes: number): HashResult {
  let st: Stats;
  try {
    st = lstatSync(abs);
  } catch (error) {
    const code = errnoCode(error);
    return code === 'ENOENT' || code === 'ENOTDIR'
      ? { kind: 'missing' }
      : { kind: 'unreadable', code };
  }
  if (st.isSymbolicLink()) return { kind: 'unreadable', code: 'ELOOP' };
  if (!st.isFile()) return { kind: 'not_a_file', type: fileType(st) };
  if (st.size > maxBytes) return { kind: 'too_large', size: st.size };
  let fd: number | undefined;
  try {
    fd = openSync(abs, constants.O_RDONLY | NONBLOCK | NOFOLLOW);
    const fst = fstatSync(fd);
    if (!fst.isFile()) return { kind: 'not_a_file', type: fileType(fst) };
    if (fst.size > maxBytes) return { kind: 'too_large', size: fst.size };
    const buffer = (chunk ??= Buffer.allocUnsafe(HASH_CHUNK));
    const hash = createHash('sha256');
    let total = 0;
    // to the end or past the cap, not to the size fstat gave: the file may be growing
    for (;;) {
      const want = Math.min(buffer.length, maxBytes + 1 - total);
      const n = readSync(fd, buffer, 0, want, null);
      if (n === 0) break;
      total += n;
      if (total > maxBytes) return { kind: 'too_large', size: Math.max(total, fst.size) };
      hash.update(buffer.subarray(0, n));
    }
    return { kind: 'sha256', hex: hash.digest('hex'), size: total };
  } catch (error) {
    const code = errnoCode(error);
    return code === 'ENOENT' ? { kind: 'missing' } : { kind: 'unreadable', code };
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}
