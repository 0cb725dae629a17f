// Writes the static site of `mlops report` into its folder, and keeps what an earlier report
// wrote apart from what someone else put there. `<folder>/.mlops-report.json` records every
// file the last run wrote, with the sha256 of its bytes:
//
// - a file to write that is there and is not recorded with its current hash (put there by a
//   user or a repository, or edited since) is refused before anything is written, unless
//   `--force`; a folder in the way is refused even then (mlops never deletes a folder);
// - every file is written atomically (a temporary file in the same folder, then a rename, which
//   replaces a symlink rather than writing through it), the record last;
// - a file of the previous record that this run did not write is removed only when it is still
//   a regular file with the recorded hash; anything else is left where it is.
//
// The folder and its `models/` must be real folders (not symlinks), and no path written or
// removed leads out of them: the record's names are checked before use. Runs into one folder
// take turns: each holds `.mlops-report.json.lock` in the folder while it works (a second run
// waits up to ten seconds, then stops with exit 2 having written nothing).
import { createHash } from 'node:crypto';
import { lstatSync, mkdirSync, unlinkSync } from 'node:fs';
import { join } from 'node:path';
import { InputError } from '../errors.js';
import { MANY_MANIFESTS, collectGarbage } from './heap.js';
import { readInputFile } from './read.js';
import { lockForWrite, writeError, writeFileAtomic } from './write.js';

/** The record of what the last report wrote, in the site's folder. */
export const SITE_RECORD = '.mlops-report.json';

/** The folder of the model pages, in the site's folder. */
const MODELS = 'models';

/** The names a record may hold: a file of the folder, or of its `models/`; nothing else. */
const SITE_FILE = /^(?:models\/)?[A-Za-z0-9][A-Za-z0-9._-]*$/;

/** A file larger than this was not written by a report: it is not read to be hashed. */
const MAX_HASHED = 64 * 1024 * 1024;

/** In a site of many pages, a full garbage collection after each this many pages. */
const PAGES_PER_COLLECTION = 200;

/** A folder as mlops uses it: its absolute path, and the path as the user named it. */
export interface SiteFolder {
  abs: string;
  shown: string;
}

/** What a run did to the folder. */
export interface SiteWritten {
  /** The files written, relative to the folder (forward slashes). */
  written: string[];
  /** The files of the earlier report removed: their models are no longer reported. */
  removed: string[];
  /** The files of the earlier report left in place: changed since, or no longer a plain file. */
  kept: string[];
}

const shownIn = (folder: SiteFolder, rel: string): string =>
  `${folder.shown.replace(/\/+$/, '') || '.'}/${rel}`;

const absIn = (folder: SiteFolder, rel: string): string => join(folder.abs, ...rel.split('/'));

function sha256(content: string | Buffer): string {
  return `sha256:${createHash('sha256').update(content).digest('hex')}`;
}

/**
 * Refuses a folder that is a symlink or not a folder (InputError naming it): the site is
 * written into real folders only. A path that does not exist yet is fine.
 */
export function checkSiteFolder(abs: string, shown: string): void {
  let st;
  try {
    st = lstatSync(abs, { throwIfNoEntry: false });
  } catch (error) {
    throw writeError(error, shown);
  }
  if (!st || (st.isDirectory() && !st.isSymbolicLink())) return;
  const what = st.isSymbolicLink() ? 'a symlink' : 'a file, not a folder';
  throw new InputError(
    `${shown} is ${what}; mlops report writes its site into a folder of its own`,
    {
      hint: st.isSymbolicLink()
        ? `give the folder the link leads to with -o, or another folder: mlops report never writes through a symlink`
        : `give another folder with -o (default: mlops-report), or move ${shown} out of the way`,
    },
  );
}

/** Makes `abs` a folder if it is not one yet, then checks it is a real folder. */
function ensureFolder(abs: string, shown: string, parents: boolean): void {
  checkSiteFolder(abs, shown);
  try {
    mkdirSync(abs, { recursive: parents });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw writeError(error, shown);
  }
  // made, or already there: a link or a file put in its place meanwhile is refused
  checkSiteFolder(abs, shown);
}

/** The hash of each file the previous record names; empty when there is none, or it does not read. */
function readRecord(folder: SiteFolder): Map<string, string> {
  const files = new Map<string, string>();
  const abs = absIn(folder, SITE_RECORD);
  const st = lstatSync(abs, { throwIfNoEntry: false });
  if (st?.isDirectory())
    throw new InputError(
      `${shownIn(folder, SITE_RECORD)} is a folder; mlops report keeps the record of the files it wrote there`,
      { hint: `move ${shownIn(folder, SITE_RECORD)} out of the way, then run the command again` },
    );
  // only a regular file is read: a link or a pipe is no record (and is replaced by the new one)
  if (!st?.isFile()) return files;
  const read = readInputFile(abs, { maxBytes: 16 * 1024 * 1024 });
  if (read.kind !== 'file') return files;
  let data: unknown;
  try {
    data = JSON.parse(read.bytes.toString('utf8'));
  } catch {
    return files;
  }
  const record = data as { tool?: unknown; files?: unknown } | null;
  if (!record || record.tool !== 'mlops' || typeof record.files !== 'object' || !record.files)
    return files;
  for (const [name, hash] of Object.entries(record.files as Record<string, unknown>)) {
    if (SITE_FILE.test(name) && typeof hash === 'string' && /^sha256:[0-9a-f]{64}$/.test(hash))
      files.set(name, hash);
  }
  return files;
}

/** Whether the file at `abs` is a regular file whose bytes hash to `hash`. */
function holds(abs: string, hash: string | undefined): boolean {
  if (hash === undefined) return false;
  const read = readInputFile(abs, { maxBytes: MAX_HASHED });
  return read.kind === 'file' && read.link === undefined && sha256(read.bytes) === hash;
}

/**
 * What stands in the way of writing `rel`: nothing (absent, or the earlier report's own file
 * unchanged), a folder, or a file the earlier report did not write as it is now.
 */
function obstacle(
  folder: SiteFolder,
  rel: string,
  recorded: ReadonlyMap<string, string>,
): 'folder' | 'foreign' | undefined {
  const abs = absIn(folder, rel);
  const st = lstatSync(abs, { throwIfNoEntry: false });
  if (!st) return undefined;
  if (st.isDirectory()) return 'folder';
  if (st.isFile() && holds(abs, recorded.get(rel))) return undefined;
  return 'foreign';
}

/** The record's text: every file with its hash, by name. */
function recordText(files: ReadonlyMap<string, string>): string {
  const sorted: Record<string, string> = {};
  for (const name of [...files.keys()].sort()) sorted[name] = files.get(name)!;
  return `${JSON.stringify({ tool: 'mlops', files: sorted }, null, 2)}\n`;
}

/**
 * Writes the site: each of `files` (relative to the folder, forward slashes: `index.html`,
 * `models/<name>.html`), made by `render` one at a time, then the record; removes what the
 * previous report wrote and this one did not (see the top of this file). Throws an InputError,
 * having written nothing, when a file in the way was not written by an earlier report (unless
 * `force`) or is a folder.
 */
export function writeSite(
  folder: SiteFolder,
  files: readonly string[],
  render: (rel: string) => string,
  options: { force: boolean },
): SiteWritten {
  ensureFolder(folder.abs, folder.shown, true);
  const release = lockForWrite(absIn(folder, SITE_RECORD), shownIn(folder, SITE_RECORD));
  try {
    return writeLocked(folder, files, render, options);
  } finally {
    release();
  }
}

function writeLocked(
  folder: SiteFolder,
  files: readonly string[],
  render: (rel: string) => string,
  options: { force: boolean },
): SiteWritten {
  if (files.some((f) => f.startsWith(`${MODELS}/`)))
    ensureFolder(absIn(folder, MODELS), shownIn(folder, MODELS), false);
  else checkSiteFolder(absIn(folder, MODELS), shownIn(folder, MODELS));
  const recorded = readRecord(folder);
  // everything in the way is known before anything is written
  const folders: string[] = [];
  const foreign: string[] = [];
  for (const rel of files) {
    const found = obstacle(folder, rel, recorded);
    if (found === 'folder') folders.push(rel);
    else if (found === 'foreign') foreign.push(rel);
  }
  if (folders.length > 0) {
    const first = shownIn(folder, folders[0]!);
    throw new InputError(
      `${first} is a folder where mlops report writes a page${more(folders.length)}; nothing was written`,
      {
        hint: `move ${first} out of the way (mlops never deletes a folder), then run the command again`,
      },
    );
  }
  if (foreign.length > 0 && !options.force) {
    const first = shownIn(folder, foreign[0]!);
    throw new InputError(
      `${first} was not written by an earlier mlops report, or was changed since${more(foreign.length)}; nothing was written`,
      {
        hint: `move it out of the way (or write the site to another folder with -o), or run the command again with --force to replace it`,
      },
    );
  }
  const written = new Map<string, string>();
  let done = false;
  try {
    const many = files.length >= MANY_MANIFESTS;
    for (const rel of files) {
      if (many && written.size > 0 && written.size % PAGES_PER_COLLECTION === 0) collectGarbage();
      const content = render(rel);
      const abs = absIn(folder, rel);
      try {
        writeFileAtomic(abs, content, { overwrite: true });
      } catch (error) {
        throw writeError(error, shownIn(folder, rel), abs);
      }
      written.set(rel, sha256(content));
    }
    done = true;
  } finally {
    if (!done && written.size > 0) {
      // stopped half way: the record keeps what the earlier report wrote and what this one did,
      // so that the next run replaces both without --force
      const both = new Map([...recorded, ...written]);
      try {
        writeFileAtomic(absIn(folder, SITE_RECORD), recordText(both), { overwrite: true });
      } catch {
        // the error that stopped the run is the one to report
      }
    }
  }
  // what the earlier report wrote and this one did not: its own, unchanged files go
  const removed: string[] = [];
  const kept: string[] = [];
  for (const [rel, hash] of recorded) {
    if (written.has(rel)) continue;
    const abs = absIn(folder, rel);
    const st = lstatSync(abs, { throwIfNoEntry: false });
    if (!st) continue;
    if (st.isFile() && holds(abs, hash)) {
      try {
        unlinkSync(abs);
        removed.push(rel);
        continue;
      } catch {
        // left in place, and said so
      }
    }
    kept.push(rel);
  }
  const record = absIn(folder, SITE_RECORD);
  try {
    writeFileAtomic(record, recordText(written), { overwrite: true });
  } catch (error) {
    throw writeError(error, shownIn(folder, SITE_RECORD), record);
  }
  return { written: [...written.keys()], removed, kept };
}

const more = (n: number): string => (n > 1 ? ` (and ${n - 1} more file${n > 2 ? 's' : ''})` : '');
