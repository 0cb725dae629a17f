import {
  closeSync,
  constants,
  existsSync,
  fstatSync,
  lstatSync,
  mkdirSync,
  openSync,
  readFileSync,
  readdirSync,
  renameSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { basename, dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { CODES } from '../core/codes/index.js';
import type { Finding } from '../core/findings.js';
import type { ManifestName } from '../core/manifest/reader.js';
import { userCacheDir as cacheDir, realFolder } from './cache-dir.js';
import { commonFolder, findRepoRoot, isInside } from './fs.js';
import { createGit } from './git.js';

/**
 * A cached result: the findings without their file name (the same content gives the same
 * findings), and the manifest's name and its position for the repository-level pass.
 */
export interface CachedOutcome {
  findings: Omit<Finding, 'file'>[];
  name?: ManifestName;
}

/** Entries kept at most; the ones this run used always stay. */
const MAX_ENTRIES = 50_000;
const FILE_NAME = 'validate-cache.txt';
const HEADER = 'mlops validate cache 3\t';

/**
 * The scope of a run's stats: the repository around `cwd` when every file is in it, else the
 * deepest folder holding all the files. Validating a subset of a repository uses the same
 * scope as validating all of it.
 */
export function statScope(files: readonly string[], cwd: string): string {
  // the files are absolute and normalized (from discovery): a prefix test is enough, and
  // costs nothing next to path.relative at 10,000 files
  const under = (dir: string, f: string): boolean =>
    f.startsWith(dir) && (dir.endsWith(sep) || f[dir.length] === sep);
  const root = findRepoRoot(cwd);
  if (root && files.every((f) => under(root, f))) return root;
  return commonFolder(files);
}

/** Where the cache lives (see `userCacheDir`): always outside the repository. */
export { cacheDir };

/**
 * Opens the result cache of a run, or undefined when there is none to trust. The folder must
 * be the user's own and writable by nobody else; when it lies inside a git work tree (an
 * `$XDG_CACHE_HOME` or a home inside a checkout), git must track nothing in it, so that no
 * repository can ship results that a clone would believe. An untrusted folder is neither read
 * nor written, and nothing is said about it: the run is only slower.
 */
export async function openValidateCache(options: {
  cwd: string;
  env: Record<string, string | undefined>;
  key: string;
  scope?: string;
}): Promise<ValidateCache | undefined> {
  const dir = cacheDir(options.env);
  if (dir === undefined) return undefined;
  const real = realFolder(dir);
  if (real === undefined || !folderTrusted(real)) return undefined;
  if (await trackedByRepository(real, options.cwd, options.env)) return undefined;
  return ValidateCache.open(real, options.key, options.scope);
}

/** The current user's id; undefined where the file system has no owners to compare (Windows). */
const uid = (): number | undefined => process.getuid?.();

/** Owned by the current user, and not writable by the group or others. */
function ownedAlone(st: { uid: number; mode: number }): boolean {
  const me = uid();
  return me === undefined || (st.uid === me && (st.mode & 0o022) === 0);
}

/** A folder that exists is used only when it is the user's alone; a missing one is made so. */
function folderTrusted(dir: string): boolean {
  try {
    const st = lstatSync(dir, { throwIfNoEntry: false });
    return st === undefined || (st.isDirectory() && ownedAlone(st));
  } catch {
    return false;
  }
}

/**
 * Whether git tracks anything in `dir`, which a checkout would then have put there; also true
 * when git cannot say. Git runs only for a folder inside a work tree: the one found by looking
 * for `.git` above it, and the one that `GIT_DIR` and `GIT_WORK_TREE` name.
 */
async function trackedByRepository(
  dir: string,
  cwd: string,
  env: Record<string, string | undefined>,
): Promise<boolean> {
  const repos: { at: string; env: Record<string, string | undefined> }[] = [];
  const around = findRepoRoot(dir);
  if (around !== undefined) {
    repos.push({ at: dir, env: { ...env, GIT_DIR: undefined, GIT_WORK_TREE: undefined } });
  }
  if (env.GIT_DIR) {
    const tree = env.GIT_WORK_TREE ? resolve(cwd, env.GIT_WORK_TREE) : cwd;
    if (isInside(realFolder(tree) ?? tree, dir)) repos.push({ at: cwd, env });
  }
  for (const repo of repos) {
    try {
      // git runs from the nearest folder that exists
      let at = repo.at;
      while (!existsSync(at)) at = dirname(at);
      const git = await createGit(at, { env: repo.env });
      const rel = relative(realFolder(git.root) ?? git.root, dir);
      if (rel.startsWith('..') || isAbsolute(rel)) continue;
      const tracked = await git.listFiles({ under: [rel === '' ? '.' : rel.split(sep).join('/')] });
      if (tracked.length > 0) return true;
    } catch {
      return true;
    }
  }
  return false;
}

/** The content hash that keys the cache; node:crypto is loaded only when asked (~7-10 ms). */
export async function loadContentHash(): Promise<(content: string | Buffer) => string> {
  const { createHash } = await import('node:crypto');
  return (content) => createHash('sha256').update(content).digest('base64url');
}

/**
 * Set by the build (src/build/bundle.mjs) to a hash of the built code that turns a manifest's
 * bytes into findings: the reader, its parsers, the consistency rules and the schema validator.
 */
declare const __MLOPS_VALIDATION_HASH__: string | undefined;

/** The shape of a cached entry: 2 keeps the manifest's name as a slot (src/io/validate-run.ts). */
const ENTRY_FORMAT = 'f2';

/**
 * The key a cache must have been written under to be believed: the tool's version and the hash
 * of the validation code, so that any change to a rule, the schema or a parser, once built,
 * leaves every earlier result unused. Running from source, the schema's hash stands in.
 */
export async function cacheKey(toolVersion: string, schemaText: () => string): Promise<string> {
  if (typeof __MLOPS_VALIDATION_HASH__ === 'string')
    return `${toolVersion}:${ENTRY_FORMAT}:${__MLOPS_VALIDATION_HASH__}`;
  return `${toolVersion}:${ENTRY_FORMAT}:source-${(await loadContentHash())(schemaText())}`;
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
 * never trusted when corrupt, and deleting it is always safe. A file is read only when it is
 * the user's own plain file that nobody else may write (see `openValidateCache` for the
 * folder), and is written readable by the user alone.
 *
 * `validate-cache.txt` is a header line, then one line per manifest content: its hash, and for
 * a manifest with findings a tab and the findings as JSON. Most manifests are clean, so most
 * lines are a bare hash, and only the findings of the manifests looked up are parsed: reading
 * a cache of 10,000 entries this way takes about a quarter of the time of one JSON document.
 *
 * `validate-stats-<scope>.txt` maps each file path of one scope (a repository, or the folder
 * the manifests were found in) to the content hash it had with a given inode, size,
 * modification and change time, as git's index does: a file whose stat still matches is not
 * read or hashed again. Each line also carries that content's entry (its three fields, see
 * `formatFields`), so a run whose files are all unchanged never reads the content cache, which
 * holds every manifest seen; the file is kept as read, and each line is looked at where it lies
 * (`statHit`). The change time moves on every write and every `touch`, and cannot be set back;
 * recent times are never recorded (RACY_MS). One file per scope keeps what a run reads to its
 * own files; each line carries the generation (a count of saves, on the second line `#<n>`)
 * when its path was last seen, and files of scopes unused for 30 days are removed.
 */
export class ValidateCache {
  /** Hash → the rest of its line; read on the first lookup the stats could not answer. */
  private oldEntries: Map<string, string> | undefined;
  /** Hash → where its entry's fields start in `statsText`, for stat hits (`hashFor`). */
  private readonly statEntries = new Map<string, number>();
  private readonly used = new Map<string, CachedOutcome>();
  private added = 0;
  /**
   * Path → where its line starts in `statsText`, the stats file as read: a warm run looks each
   * line up once, so a line is read where it lies rather than copied out at open.
   */
  private readonly oldStats: Map<string, number>;
  /** Paths whose stats line still held this run (`statHit`): saved again as they were. */
  private readonly unchanged: string[] = [];
  /** Path → `ino, size, mtimeMs, ctimeMs, hash` as seen this run (`noteStat`). */
  private readonly stats = new Map<string, string>();
  private statsChanged = false;

  private constructor(
    private readonly dir: string,
    private readonly key: string,
    private readonly scope: string | undefined,
    private readonly generation: number,
    private readonly statsText: string,
    oldStats: Map<string, number>,
  ) {
    this.oldStats = oldStats;
  }

  /** The content entries, read once and only when a lookup needs them. */
  private get old(): Map<string, string> {
    if (this.oldEntries) return this.oldEntries;
    const entries = new Map<string, string>();
    for (const line of readLines(join(this.dir, FILE_NAME), HEADER + this.key)) {
      // each line on its own: a search for a tab must not run on into the lines after it
      const tab = line.indexOf('\t');
      if (tab >= 0) entries.set(line.slice(0, tab), line.slice(tab + 1));
      else entries.set(line, '');
    }
    return (this.oldEntries = entries);
  }

  /** Opens the cache in `dir`; with `scope`, also the stats of that scope's files. */
  static open(dir: string, key: string, scope?: string): ValidateCache {
    const stats = new Map<string, number>();
    let generation = 0;
    const read =
      scope === undefined || scope.includes('\n')
        ? undefined
        : readText(join(dir, statsFileName(scope)), `${STATS_HEADER}${key}\t${scope}`);
    const text = read?.text ?? '';
    // the tabs are searched for forward only, across lines, so that a file of lines short of
    // their tabs is still read in one pass
    let tab = -1;
    const nextTab = (from: number): number => {
      if (tab < from) {
        tab = text.indexOf('\t', from);
        if (tab < 0) tab = text.length;
      }
      return tab;
    };
    for (let pos = read?.start ?? 0; pos < text.length;) {
      const end = lineEnd(text, pos);
      if (text[pos] === '#') generation = Number(text.slice(pos + 1, end)) || 0;
      else {
        // generation ino size mtime ctime hash name at findings path: the path is last, so it
        // may hold tabs (no other field does)
        let at = pos - 1;
        for (let k = 0; k < STATS_FIELDS && at < end; k++) at = nextTab(at + 1);
        if (at < end) stats.set(text.slice(at + 1, end), pos);
      }
      pos = end + 1;
    }
    return new ValidateCache(dir, key, scope, generation, text, stats);
  }

  /** The content hash recorded for the file at `abs` when it had exactly this stat. */
  hashFor(abs: string, stat: FileStat): string | undefined {
    const at = this.statLine(abs, stat);
    if (at === undefined) return undefined;
    const hash = this.statsText.slice(at.hash, at.fields - 1);
    if (!this.statsText.startsWith(UNKNOWN_FIELDS, at.fields))
      this.statEntries.set(hash, at.fields);
    return hash;
  }

  /**
   * What a warm run asks of each file, in one look at its stats line: the outcome recorded for
   * the file at `abs` when it had exactly this stat, the stat noted as seen again (as
   * `noteStat` would). Undefined when the stat differs or no outcome is known: the file is
   * then read.
   */
  statHit(abs: string, stat: FileStat): CachedOutcome | undefined {
    const at = this.statLine(abs, stat);
    if (at === undefined) return undefined;
    const text = this.statsText;
    const hash = text.slice(at.hash, at.fields - 1);
    let outcome = this.used.get(hash);
    if (outcome === undefined && !text.startsWith(UNKNOWN_FIELDS, at.fields)) {
      outcome = parseEntryAt(text, at.fields, fieldsEnd(text, at.fields));
      if (outcome) this.used.set(hash, outcome);
    }
    if (outcome !== undefined) {
      // the line was recorded old enough (RACY_MS), and its stat has not changed since
      this.unchanged.push(abs);
      return outcome;
    }
    // no outcome on the line (unknown when saved, or damaged): the content cache may have it,
    // and the line is saved again with it
    outcome = this.get(hash);
    if (outcome !== undefined) {
      this.stats.set(abs, text.slice(text.indexOf('\t', at.line) + 1, at.fields - 1));
      this.statsChanged = true;
    }
    return outcome;
  }

  /**
   * Where the stats line of `abs` starts, and its hash and entry fields, when its stat is
   * exactly `stat`.
   */
  private statLine(
    abs: string,
    stat: FileStat,
  ): { line: number; hash: number; fields: number } | undefined {
    const line = this.oldStats.get(abs);
    if (line === undefined) return undefined;
    const text = this.statsText;
    // field by field, as `noteStat` wrote them: a string built per file to compare would be
    // ten allocations a file, on the path every unchanged file takes
    let hash = numberField(text, text.indexOf('\t', line) + 1, stat.ino);
    hash = numberField(text, hash, stat.size);
    hash = numberField(text, hash, stat.mtimeMs);
    hash = numberField(text, hash, stat.ctimeMs);
    if (hash < 0) return undefined;
    // the line has all its tabs (see open): this search ends within it
    const end = text.indexOf('\t', hash);
    return end > hash ? { line, hash, fields: end + 1 } : undefined;
  }

  /**
   * Records that the file at `abs`, stat'ed before it was read, had content `hash`; unless its
   * times are within RACY_MS of `now` (when the run started).
   */
  noteStat(abs: string, stat: FileStat, hash: string, now: number): void {
    if (this.scope === undefined) return;
    if (abs.includes('\n') || stat.mtimeMs > now - RACY_MS || stat.ctimeMs > now - RACY_MS) {
      if (this.oldStats.delete(abs)) this.statsChanged = true;
      return;
    }
    const line = `${stat.ino}\t${stat.size}\t${stat.mtimeMs}\t${stat.ctimeMs}\t${hash}`;
    this.stats.set(abs, line);
    const before = this.oldStats.get(abs);
    if (before === undefined) {
      this.statsChanged = true;
      return;
    }
    const text = this.statsText;
    const from = text.indexOf('\t', before) + 1;
    if (
      !text.startsWith(`${line}\t`, from) ||
      text.startsWith(UNKNOWN_FIELDS, from + line.length + 1)
    )
      this.statsChanged = true;
  }

  get(hash: string): CachedOutcome | undefined {
    const seen = this.used.get(hash);
    if (seen) return seen;
    const fields = this.statEntries.get(hash);
    // a damaged stats line: look in the content cache instead
    let hit =
      fields === undefined
        ? undefined
        : parseEntryAt(this.statsText, fields, fieldsEnd(this.statsText, fields));
    if (hit === undefined) {
      const raw = this.old.get(hash);
      if (raw === undefined) return undefined;
      hit = parseEntryAt(raw, 0, raw.length);
    }
    if (hit) this.used.set(hash, hit);
    return hit;
  }

  set(hash: string, outcome: CachedOutcome): void {
    this.used.set(hash, outcome);
    this.added++;
  }

  /** Writes what this run changed, atomically; failures only cost speed. */
  save(): void {
    if (this.added === 0 && !(this.statsChanged && this.scope !== undefined)) return;
    try {
      // the folder is checked again as it is written: it may have been swapped since it was read
      mkdirSync(this.dir, { recursive: true, mode: 0o700 });
      if (!folderTrusted(this.dir)) return;
      if (this.added > 0) {
        const lines = [HEADER + this.key];
        for (const [hash, outcome] of this.used) {
          const entry = formatEntry(outcome);
          lines.push(entry === '' ? hash : `${hash}\t${entry}`);
        }
        for (const [hash, raw] of this.old) {
          if (lines.length > MAX_ENTRIES) break;
          if (this.used.has(hash)) continue;
          lines.push(raw === '' ? hash : `${hash}\t${raw}`);
        }
        writeLines(join(this.dir, FILE_NAME), lines);
      }
      if (this.statsChanged && this.scope !== undefined) {
        const generation = this.generation + 1;
        const lines = [`${STATS_HEADER}${this.key}\t${this.scope}`, `#${generation}`];
        const text = this.statsText;
        for (const [abs, raw] of this.stats) {
          const hash = raw.slice(raw.lastIndexOf('\t') + 1);
          const outcome = this.used.get(hash);
          const entry = outcome ? formatFields(outcome) : UNKNOWN_FIELDS;
          lines.push(`${generation}\t${raw}\t${entry}${abs}`);
        }
        const seen = new Set(this.unchanged);
        for (const abs of seen) {
          if (this.stats.has(abs)) continue;
          const line = this.oldStats.get(abs)!;
          lines.push(`${generation}${text.slice(text.indexOf('\t', line), lineEnd(text, line))}`);
        }
        for (const [abs, line] of this.oldStats) {
          if (lines.length > MAX_ENTRIES) break;
          if (
            this.stats.has(abs) ||
            seen.has(abs) ||
            !(generation - Number(text.slice(line, text.indexOf('\t', line))) <= STAT_GENERATIONS)
          )
            continue;
          lines.push(text.slice(line, lineEnd(text, line)));
        }
        writeLines(join(this.dir, statsFileName(this.scope)), lines);
      }
      removeStale(this.dir);
    } catch {
      // a read-only or full disk, or no home: the next run is slower, never wrong
    }
  }
}

/**
 * Where the field after the one at `at` starts when `text` holds there `String(n)` and a tab;
 * else -1 (as when `at` is). A whole number is compared digit by digit, building no string.
 */
export function numberField(text: string, at: number, n: number): number {
  if (at < 0) return -1;
  if (Number.isSafeInteger(n) && n >= 0) {
    // the line has all its tabs (see open): this search ends within it
    const tab = text.indexOf('\t', at);
    // String(n) has a leading zero only in "0"
    return tab > at &&
      digitsValue(text, at, tab) === n &&
      !(tab - at > 1 && text.charCodeAt(at) === 48)
      ? tab + 1
      : -1;
  }
  const shown = String(n);
  return text.startsWith(shown, at) && text.charCodeAt(at + shown.length) === 9
    ? at + shown.length + 1
    : -1;
}

const STATS_HEADER = 'mlops validate stats 3\t';
/** The tabs of a stats line before its path. */
const STATS_FIELDS = 9;
/** The entry fields, and the tab before the path, of a line whose outcome was not known. */
const UNKNOWN_FIELDS = '-\t\t\t';

/** Where the line starting at `line` ends: its line break, or the end of the text. */
function lineEnd(text: string, line: number): number {
  const end = text.indexOf('\n', line);
  return end < 0 ? text.length : end;
}

/** Where the entry fields starting at `start` of a stats line end: the tab before its path. */
function fieldsEnd(text: string, start: number): number {
  return text.indexOf('\t', text.indexOf('\t', text.indexOf('\t', start) + 1) + 1);
}
/** Stats files of scopes not validated for this long are removed. */
const STATS_MAX_AGE_MS = 30 * 24 * 3600 * 1000;

/** Opened without following a link, and without waiting on a pipe (where supported). */
const READ_FLAGS = constants.O_RDONLY | (constants.O_NOFOLLOW ?? 0) | (constants.O_NONBLOCK ?? 0);

/**
 * The lines after the header, or none when the file is missing, is not the user's own plain
 * file (a link, another owner, writable by others, or linked from elsewhere) or its header is
 * not `header`. One open, one stat of what was opened, one read.
 */
function readLines(path: string, header: string): string[] {
  const read = readText(path, header);
  if (read === undefined) return [];
  const lines = read.text.slice(read.start).split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  return lines;
}

/** `readLines` as the text and where the lines after the header start in it. */
function readText(path: string, header: string): { text: string; start: number } | undefined {
  let text: string;
  let fd: number | undefined;
  try {
    fd = openSync(path, READ_FLAGS);
    const st = fstatSync(fd);
    if (!st.isFile() || !ownedAlone(st) || (uid() !== undefined && st.nlink !== 1))
      return undefined;
    text = readFileSync(fd, 'utf8');
  } catch {
    return undefined; // no cache yet, or unreadable: start empty
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
  if (!text.startsWith(header) || (text.length > header.length && text[header.length] !== '\n'))
    return undefined;
  return { text, start: Math.min(text.length, header.length + 1) };
}

/**
 * Writes the file readable by the user alone, through a temporary file that is removed again
 * whatever fails (a full disk, a read-only or vanished folder), so that nothing is left behind.
 */
let tmpSeq = 0;
function writeLines(path: string, lines: string[]): void {
  const tmp = join(
    dirname(path),
    `.${basename(path)}.${process.pid}.${Date.now().toString(36)}${(tmpSeq++).toString(36)}.tmp`,
  );
  let fd: number | undefined;
  try {
    fd = openSync(tmp, 'wx', 0o600);
    writeFileSync(fd, `${lines.join('\n')}\n`);
    closeSync(fd);
    fd = undefined;
    renameSync(tmp, path);
  } catch (error) {
    if (fd !== undefined) {
      try {
        closeSync(fd);
      } catch {
        // closed or never usable: the file is removed below all the same
      }
    }
    rmSync(tmp, { force: true });
    throw error;
  }
}

/** A short, stable file name for a scope (FNV-1a; a clash only shares a file, never an entry). */
function statsFileName(scope: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < scope.length; i++) h = Math.imul(h ^ scope.charCodeAt(i), 0x01000193) >>> 0;
  return `validate-stats-${h.toString(16).padStart(8, '0')}.txt`;
}

/** A temporary file this old was left by a run that was killed while writing. */
const TMP_MAX_AGE_MS = 3600 * 1000;

/** Removes the stats of scopes unused for 30 days, and temporary files of killed runs. */
function removeStale(dir: string): void {
  const now = Date.now();
  for (const name of readdirSync(dir)) {
    const maxAge = name.startsWith('validate-stats-')
      ? STATS_MAX_AGE_MS
      : name.startsWith('.validate-') && name.endsWith('.tmp')
        ? TMP_MAX_AGE_MS
        : undefined;
    if (maxAge === undefined) continue;
    try {
      if (lstatSync(join(dir, name)).mtimeMs < now - maxAge)
        rmSync(join(dir, name), { force: true });
    } catch {
      // removed meanwhile
    }
  }
}

/**
 * An entry after its hash: the name as JSON (or nothing), `line:column` of the name (or
 * nothing), then the findings as JSON when there are any; nothing at all for a manifest with
 * neither. JSON escapes tabs, so the fields split on them, and a clean manifest's entry needs
 * no JSON.parse of findings.
 */
function formatEntry({ findings, name }: CachedOutcome): string {
  if (!name && findings.length === 0) return '';
  const head = name ? `${JSON.stringify(name.name)}\t${name.line}:${name.column}` : '\t';
  return findings.length === 0 ? head : `${head}\t${JSON.stringify(findings)}`;
}

/**
 * The entry as a stats line holds it: always its three fields (name, `line:column`, findings),
 * each empty when there is none, and the tab after them, before the path.
 */
function formatFields(outcome: CachedOutcome): string {
  const entry = formatEntry(outcome);
  if (entry === '') return '\t\t\t';
  return outcome.findings.length === 0 ? `${entry}\t\t` : `${entry}\t`;
}

/**
 * The entry in `text` from `start` to `end` (see `formatEntry`; a stats line's three fields
 * read the same, an empty findings field as none), or undefined when it does not read as one.
 */
function parseEntryAt(text: string, start: number, end: number): CachedOutcome | undefined {
  if (end < start) return undefined;
  if (start === end) return { findings: [] };
  const nameEnd = text.indexOf('\t', start);
  if (nameEnd < 0 || nameEnd >= end) return undefined;
  let atEnd = text.indexOf('\t', nameEnd + 1);
  if (atEnd < 0 || atEnd > end) atEnd = end;
  if (atEnd < end) {
    const extra = text.indexOf('\t', atEnd + 1);
    if (extra >= 0 && extra < end) return undefined;
  }
  try {
    const outcome: CachedOutcome = { findings: [] };
    if (nameEnd > start) {
      const name: unknown =
        plainJsonString(text, start, nameEnd) ?? JSON.parse(text.slice(start, nameEnd));
      const colon = text.indexOf(':', nameEnd + 1);
      if (typeof name !== 'string' || colon < nameEnd + 2 || colon >= atEnd) return undefined;
      const line = digitsValue(text, nameEnd + 1, colon);
      const column = digitsValue(text, colon + 1, atEnd);
      if (line === undefined || column === undefined) return undefined;
      outcome.name = { name, line, column };
    } else if (atEnd > nameEnd + 1) return undefined;
    if (end > atEnd + 1) {
      const findings: unknown = JSON.parse(text.slice(atEnd + 1, end));
      if (!Array.isArray(findings) || findings.length === 0 || !findings.every(isCachedFinding))
        return undefined;
      outcome.findings = findings as CachedOutcome['findings'];
    }
    return outcome;
  } catch {
    return undefined; // cut short or not JSON: as if it were not there
  }
}

/**
 * The string a JSON text from `start` to `end` is when it is a quoted string with no escape
 * and no control character (as nearly every model name is), read without JSON.parse; else
 * undefined, and JSON.parse is asked.
 */
function plainJsonString(text: string, start: number, end: number): string | undefined {
  if (end - start < 2 || text.charCodeAt(start) !== 34 || text.charCodeAt(end - 1) !== 34)
    return undefined;
  for (let i = start + 1; i < end - 1; i++) {
    const c = text.charCodeAt(i);
    if (c === 34 || c === 92 || c < 32) return undefined;
  }
  return text.slice(start + 1, end - 1);
}

/**
 * The decimal digits from `start` to `end` as a number, or undefined when there are none or
 * anything else is there. Exact below 2 ** 53, and never back below it once past: a run of
 * digits equals a safe integer only when they are its own.
 */
function digitsValue(text: string, start: number, end: number): number | undefined {
  if (end <= start) return undefined;
  let n = 0;
  for (let i = start; i < end; i++) {
    const c = text.charCodeAt(i);
    if (c < 48 || c > 57) return undefined;
    n = n * 10 + (c - 48);
  }
  return n;
}

function isCachedFinding(f: unknown): boolean {
  if (f === null || typeof f !== 'object') return false;
  const d = f as Record<string, unknown>;
  return (
    typeof d.code === 'string' &&
    Object.hasOwn(CODES, d.code) &&
    (d.severity === 'error' || d.severity === 'warning' || d.severity === 'info') &&
    typeof d.line === 'number' &&
    typeof d.column === 'number' &&
    Array.isArray(d.path) &&
    d.args !== null &&
    typeof d.args === 'object' &&
    !Array.isArray(d.args)
  );
}
