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

/** The content hash that keys the cache; node:crypto is loaded only when asked (~7-10 ms). */
export async function loadContentHash(): Promise<(content: string | Buffer) => string> {
  const { createHash } = await import('node:crypto');
  return (content) => createHash('sha256').update(content).digest('base64url');
}

/** Set by the build to the hash of the schema that the bundled validator was compiled from. */
declare const __MLOPS_SCHEMA_HASH__: string | undefined;

/** The schema's part of the cache key; built, it costs nothing (not even node:crypto). */
export async function schemaHash(schemaText: () => string): Promise<string> {
  if (typeof __MLOPS_SCHEMA_HASH__ === 'string') return __MLOPS_SCHEMA_HASH__;
  return (await loadContentHash())(schemaText());
}

/** What a file's stat must match for its recorded content hash to be believed. */
export interface FileStat {
  ino: number;
  size: number;
  mtimeMs: number;
  ctimeMs: number;
}

/**
 * A file's stat is recorded only when both its times are this much older than the run: a
 * later change then always moves one of them, even on a file system that keeps times to 2 s.
 */
const RACY_MS = 3000;

/**
 * A path's stat is dropped after this many saves of the cache without the path being seen, so
 * that paths gone (temporary checkouts, renamed folders) do not pile up and slow every run.
 */
const STAT_GENERATIONS = 16;

/**
 * Results of earlier runs keyed by file content. The key of the whole file (tool version and
 * schema) must match, and anything that does not read as a cache is ignored: the cache is
 * never trusted when corrupt, and deleting it is always safe.
 *
 * The file is a header line, then one line per manifest content: its hash, and for a manifest
 * with findings a tab and the findings as JSON. Most manifests are clean, so most lines are a
 * bare hash, and only the findings of the manifests looked up are parsed: reading a cache of
 * 10,000 entries this way takes about a quarter of the time of one JSON document.
 *
 * Lines starting with `@` map a file path to the content hash it had with a given inode, size,
 * modification and change time, as git's index does: a file whose stat still matches is not
 * read or hashed again. The change time moves on every write and every `touch`, and cannot be
 * set back; recent times are never recorded (RACY_MS). Each such line carries the generation
 * (a count of saves, on the second line `#<n>`) when its path was last seen.
 */
export class ValidateCache {
  /** Hash → the rest of its line ('' for no findings). */
  private readonly old: Map<string, string>;
  private readonly used = new Map<string, CachedFindings>();
  private added = 0;
  /** Path → `generation, ino, size, mtimeMs, ctimeMs, hash` joined by tabs, as read. */
  private readonly oldStats: Map<string, string>;
  /** Path → `ino, size, mtimeMs, ctimeMs, hash` as seen this run. */
  private readonly stats = new Map<string, string>();
  private statsChanged = false;

  private constructor(
    private readonly path: string,
    private readonly key: string,
    private readonly generation: number,
    old: Map<string, string>,
    oldStats: Map<string, string>,
  ) {
    this.old = old;
    this.oldStats = oldStats;
  }

  static open(dir: string, key: string): ValidateCache {
    const path = join(dir, FILE_NAME);
    const entries = new Map<string, string>();
    const stats = new Map<string, string>();
    let text = '';
    try {
      text = readFileSync(path, 'utf8');
    } catch {
      // no cache yet, or unreadable: start empty
    }
    const first = text.indexOf('\n');
    let generation = 0;
    if (first >= 0 && text.slice(0, first) === HEADER + key) {
      for (let at = first + 1; at < text.length; ) {
        let end = text.indexOf('\n', at);
        if (end < 0) end = text.length;
        // each line on its own: a search for a tab must not run on into the lines after it
        const line = text.slice(at, end);
        if (line[0] === '@') {
          // @generation ino size mtime ctime hash path: the path is last, so it may hold tabs
          let tab = 0;
          for (let k = 0; k < 6 && tab >= 0; k++) tab = line.indexOf('\t', tab + 1);
          if (tab > 0) stats.set(line.slice(tab + 1), line.slice(1, tab));
        } else if (line[0] === '#') {
          generation = Number(line.slice(1)) || 0;
        } else {
          const tab = line.indexOf('\t');
          if (tab >= 0) entries.set(line.slice(0, tab), line.slice(tab + 1));
          else entries.set(line, '');
        }
        at = end + 1;
      }
    }
    return new ValidateCache(path, key, generation, entries, stats);
  }

  /** The content hash recorded for the file at `abs` when it had exactly this stat. */
  hashFor(abs: string, stat: FileStat): string | undefined {
    const raw = this.oldStats.get(abs);
    if (raw === undefined) return undefined;
    const [, ino, size, mtime, ctime, hash] = raw.split('\t');
    return ino === String(stat.ino) && size === String(stat.size) && mtime === String(stat.mtimeMs) && ctime === String(stat.ctimeMs)
      ? hash
      : undefined;
  }

  /**
   * Records that the file at `abs`, stat'ed before it was read, had content `hash`; unless its
   * times are within RACY_MS of `now` (when the run started).
   */
  noteStat(abs: string, stat: FileStat, hash: string, now: number): void {
    if (abs.includes('\n') || stat.mtimeMs > now - RACY_MS || stat.ctimeMs > now - RACY_MS) {
      if (this.oldStats.delete(abs)) this.statsChanged = true;
      return;
    }
    const line = `${stat.ino}\t${stat.size}\t${stat.mtimeMs}\t${stat.ctimeMs}\t${hash}`;
    this.stats.set(abs, line);
    const before = this.oldStats.get(abs);
    if (before === undefined || before.slice(before.indexOf('\t') + 1) !== line) this.statsChanged = true;
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
    if (this.added === 0 && !this.statsChanged) return;
    const generation = this.generation + 1;
    const lines = [HEADER + this.key, `#${generation}`];
    for (const [hash, findings] of this.used) lines.push(findings.length === 0 ? hash : `${hash}\t${JSON.stringify(findings)}`);
    for (const [hash, raw] of this.old) {
      if (lines.length > MAX_ENTRIES) break;
      if (this.used.has(hash)) continue;
      lines.push(raw === '' ? hash : `${hash}\t${raw}`);
    }
    for (const [abs, raw] of this.stats) lines.push(`@${generation}\t${raw}\t${abs}`);
    let kept = this.stats.size;
    for (const [abs, raw] of this.oldStats) {
      if (kept >= MAX_ENTRIES) break;
      if (this.stats.has(abs) || !(generation - Number(raw.slice(0, raw.indexOf('\t'))) <= STAT_GENERATIONS)) continue;
      lines.push(`@${raw}\t${abs}`);
      kept++;
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
