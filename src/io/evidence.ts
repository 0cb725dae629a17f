import { createHash } from 'node:crypto';
import { lstatSync, readFileSync, realpathSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { EvidenceFile } from '../core/check/index.js';
import { isInside } from './fs.js';

/** One evidence file to look at: its repository-relative path and what to read from it. */
export interface EvidenceRequest {
  path: string;
  /** Read the text (JSON or YAML evidence read for observed values). */
  text: boolean;
  /** Hash the content (the manifest gives a sha256). */
  sha256: boolean;
}

/** Evidence read for values larger than this is hashed but not parsed. */
export const MAX_EVIDENCE_TEXT_BYTES = 32 * 1024 * 1024;

function isSafeRelative(path: string): boolean {
  return (
    path !== '' &&
    !path.startsWith('/') &&
    !/^[A-Za-z]:/.test(path) &&
    !path.split('/').some((s) => s === '..')
  );
}

/**
 * Looks at evidence files under `root`. Nothing outside the repository is ever read: absolute
 * paths and `..` are refused, and a path that resolves (through a symlink anywhere along it) to
 * a place outside the repository is reported as `outside` without being opened.
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
  const realRoot = realpathSync.native(root);
  // Folders are resolved once each: many evidence files share a folder.
  const realDirs = new Map<string, string | undefined>();
  const realDir = (dir: string): string | undefined => {
    if (!realDirs.has(dir)) {
      let real: string | undefined;
      try {
        real = realpathSync.native(join(root, dir));
      } catch {
        real = undefined;
      }
      realDirs.set(dir, real);
    }
    return realDirs.get(dir);
  };
  const out = new Map<string, EvidenceFile>();
  for (const req of merged.values()) out.set(req.path, readOne(realRoot, realDir, req));
  return out;
}

function readOne(
  realRoot: string,
  realDir: (dir: string) => string | undefined,
  req: EvidenceRequest,
): EvidenceFile {
  if (!isSafeRelative(req.path)) return { kind: 'outside' };
  const slash = req.path.lastIndexOf('/');
  const dir = realDir(slash < 0 ? '' : req.path.slice(0, slash));
  if (dir === undefined) return { kind: 'missing' };
  if (!isInside(realRoot, dir)) return { kind: 'outside' };
  let real = join(dir, req.path.slice(slash + 1));
  let st;
  try {
    st = lstatSync(real);
  } catch {
    return { kind: 'missing' };
  }
  if (st.isSymbolicLink()) {
    try {
      real = realpathSync.native(real);
    } catch {
      // A dangling symlink: it names something that is not there.
      return { kind: 'missing' };
    }
    if (!isInside(realRoot, real)) return { kind: 'outside' };
  }
  try {
    if (st.isSymbolicLink()) st = statSync(real);
    if (!st.isFile()) return { kind: 'not_a_file' };
    if (!req.text && !req.sha256) return { kind: 'file' };
    const content = readFileSync(real);
    return {
      kind: 'file',
      ...(req.text && content.length <= MAX_EVIDENCE_TEXT_BYTES
        ? { text: content.toString('utf8') }
        : {}),
      ...(req.sha256 ? { sha256: createHash('sha256').update(content).digest('hex') } : {}),
    };
  } catch (error) {
    return {
      kind: 'unreadable',
      reason:
        error instanceof Error
          ? ((error as NodeJS.ErrnoException).code ?? error.message)
          : String(error),
    };
  }
}
