import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import type { Diagnostic } from '../core/diagnostics.js';
import { findRepoRoot, writeFileAtomic } from './fs.js';

/** A cached result: the findings without their file name (the same content gives the same findings). */
export type CachedFindings = Omit<Diagnostic, 'file'>[];

interface CacheFile {
  key: string;
  entries: Record<string, CachedFindings>;
}

/** Entries kept at most; the ones this run used always stay. */
const MAX_ENTRIES = 50_000;
const FILE_NAME = 'validate-cache.json';

/**
 * Where the cache lives: `node_modules/.cache/mlops/` of the repository when that folder
 * exists, else `$XDG_CACHE_HOME/mlops` (default `~/.cache/mlops`).
 */
export function cacheDir(cwd: string, env: Record<string, string | undefined>): string {
  const root = findRepoRoot(cwd) ?? cwd;
  if (existsSync(join(root, 'node_modules'))) return join(root, 'node_modules', '.cache', 'mlops');
  return join(env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'mlops');
}

export function contentHash(text: string): string {
  return createHash('sha256').update(text).digest('base64url');
}

/**
 * Results of earlier runs keyed by file content. The key of the whole file (tool version and
 * schema) must match, and anything that does not read as a cache is ignored: the cache is
 * never trusted when corrupt, and deleting it is always safe.
 */
export class ValidateCache {
  private readonly old: Record<string, CachedFindings>;
  private readonly used = new Map<string, CachedFindings>();
  private added = 0;

  private constructor(
    private readonly path: string,
    private readonly key: string,
    old: Record<string, CachedFindings>,
  ) {
    this.old = old;
  }

  static open(dir: string, key: string): ValidateCache {
    const path = join(dir, FILE_NAME);
    let entries: Record<string, CachedFindings> = Object.create(null) as Record<string, CachedFindings>;
    try {
      const parsed = JSON.parse(readFileSync(path, 'utf8')) as Partial<CacheFile>;
      if (parsed && parsed.key === key && parsed.entries && typeof parsed.entries === 'object') {
        entries = Object.assign(Object.create(null) as Record<string, CachedFindings>, parsed.entries);
      }
    } catch {
      // no cache yet, or unreadable: start empty
    }
    return new ValidateCache(path, key, entries);
  }

  get(hash: string): CachedFindings | undefined {
    const hit = this.used.get(hash) ?? this.old[hash];
    if (!Array.isArray(hit) || !hit.every(isCachedFinding)) return undefined;
    this.used.set(hash, hit);
    return hit;
  }

  set(hash: string, findings: CachedFindings): void {
    this.used.set(hash, findings);
    this.added++;
  }

  /** Writes the cache atomically when this run added to it; failures only cost speed. */
  save(): void {
    if (this.added === 0) return;
    const entries: Record<string, CachedFindings> = Object.fromEntries(this.used);
    let count = this.used.size;
    for (const [hash, findings] of Object.entries(this.old)) {
      if (count >= MAX_ENTRIES) break;
      if (hash in entries) continue;
      entries[hash] = findings;
      count++;
    }
    try {
      mkdirSync(join(this.path, '..'), { recursive: true });
      writeFileAtomic(this.path, JSON.stringify({ key: this.key, entries } satisfies CacheFile), { overwrite: true });
    } catch {
      // a read-only or full disk makes the next run slower, never wrong
    }
  }
}

function isCachedFinding(f: unknown): boolean {
  if (f === null || typeof f !== 'object') return false;
  const d = f as Record<string, unknown>;
  return (
    typeof d.code === 'string' &&
    typeof d.message === 'string' &&
    (d.severity === 'error' || d.severity === 'warning' || d.severity === 'info') &&
    typeof d.line === 'number' &&
    typeof d.column === 'number' &&
    Array.isArray(d.path)
  );
}
