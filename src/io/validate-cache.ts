import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import type { Diagnostic } from '../core/diagnostics.js';
import { findRepoRoot, writeFileAtomic } from './fs.js';

/** A cached result: the findings without their file name (the same content gives the same findings). */
export type CachedFindings = Omit<Diagnostic, 'file'>[];

/** Entries kept at most; the ones this run used always stay. */
const MAX_ENTRIES = 50_000;
const FILE_NAME = 'validate-cache.txt';
const HEADER = 'mlops validate cache 1\t';

/**
 * Where the cache lives: `node_modules/.cache/mlops/` of the repository when that folder
 * exists, else `$XDG_CACHE_HOME/mlops` (default `~/.cache/mlops`).
 */
export function cacheDir(cwd: string, env: Record<string, string | undefined>): string {
  const root = findRepoRoot(cwd) ?? cwd;
  if (existsSync(join(root, 'node_modules'))) return join(root, 'node_modules', '.cache', 'mlops');
  return join(env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'mlops');
}

/** The content hash that keys the cache; node:crypto is loaded only when asked (~7 ms). */
export async function loadContentHash(): Promise<(content: string | Buffer) => string> {
  const { createHash } = await import('node:crypto');
  return (content) => createHash('sha256').update(content).digest('base64url');
}

/**
 * Results of earlier runs keyed by file content. The key of the whole file (tool version and
 * schema) must match, and anything that does not read as a cache is ignored: the cache is
 * never trusted when corrupt, and deleting it is always safe.
 *
 * The file is a header line, then one line per manifest content: its hash, and for a manifest
 * with findings a tab and the findings as JSON. Most manifests are clean, so most lines are a
 * bare hash, and only the findings of the manifests looked up are parsed: reading a cache of
 * 10,000 entries this way takes about a quarter of the time of one JSON document.
 */
export class ValidateCache {
  /** Hash → the rest of its line ('' for no findings). */
  private readonly old: Map<string, string>;
  private readonly used = new Map<string, CachedFindings>();
  private added = 0;

  private constructor(
    private readonly path: string,
    private readonly key: string,
    old: Map<string, string>,
  ) {
    this.old = old;
  }

  static open(dir: string, key: string): ValidateCache {
    const path = join(dir, FILE_NAME);
    const entries = new Map<string, string>();
    let text = '';
    try {
      text = readFileSync(path, 'utf8');
    } catch {
      // no cache yet, or unreadable: start empty
    }
    const first = text.indexOf('\n');
    if (first >= 0 && text.slice(0, first) === HEADER + key) {
      for (let at = first + 1; at < text.length; ) {
        let end = text.indexOf('\n', at);
        if (end < 0) end = text.length;
        const tab = text.indexOf('\t', at);
        if (tab >= 0 && tab < end) entries.set(text.slice(at, tab), text.slice(tab + 1, end));
        else entries.set(text.slice(at, end), '');
        at = end + 1;
      }
    }
    return new ValidateCache(path, key, entries);
  }

  get(hash: string): CachedFindings | undefined {
    const seen = this.used.get(hash);
    if (seen) return seen;
    const raw = this.old.get(hash);
    if (raw === undefined) return undefined;
    let hit: unknown = [];
    if (raw !== '') {
      try {
        hit = JSON.parse(raw);
      } catch {
        return undefined;
      }
    }
    if (!Array.isArray(hit) || !hit.every(isCachedFinding)) return undefined;
    this.used.set(hash, hit as CachedFindings);
    return hit as CachedFindings;
  }

  set(hash: string, findings: CachedFindings): void {
    this.used.set(hash, findings);
    this.added++;
  }

  /** Writes the cache atomically when this run added to it; failures only cost speed. */
  save(): void {
    if (this.added === 0) return;
    const lines = [HEADER + this.key];
    for (const [hash, findings] of this.used) lines.push(findings.length === 0 ? hash : `${hash}\t${JSON.stringify(findings)}`);
    for (const [hash, raw] of this.old) {
      if (lines.length > MAX_ENTRIES) break;
      if (this.used.has(hash)) continue;
      lines.push(raw === '' ? hash : `${hash}\t${raw}`);
    }
    try {
      mkdirSync(join(this.path, '..'), { recursive: true });
      writeFileAtomic(this.path, `${lines.join('\n')}\n`, { overwrite: true });
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
