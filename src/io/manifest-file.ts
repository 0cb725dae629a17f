import { realpathSync } from 'node:fs';
import { dirname } from 'node:path';
import { MAX_MANIFEST_BYTES } from '../core/manifest/limits.js';
import { InputError } from '../errors.js';
import { findRepoRoot } from './fs.js';
import { readInputFile } from './read.js';
import type { ReadResult } from './read.js';
import { lockForWrite, replaceFile, snapshotOf, writeError } from './write.js';
import type { FileSnapshot } from './write.js';

/** A manifest opened for one edit, locked against other mlops processes until `release`. */
export interface ManifestEdit {
  /** The text as read under the lock. */
  text: string;
  /**
   * Replaces the manifest with `text` in one step (through a symlink, to the file it leads
   * to), keeping its mode, unless the file changed since it was read: then an InputError
   * saying so, and nothing is written.
   */
  replace(text: string): void;
  /** Releases the lock; call it whatever happened. */
  release(): void;
}

/** The repository's root as a real path, when `dir` is inside one. */
export function realRepoRoot(dir: string): string | undefined {
  const root = findRepoRoot(dir);
  if (root === undefined) return undefined;
  try {
    return realpathSync.native(root);
  } catch {
    return undefined;
  }
}

/** Why a read of the manifest `shown` gave no file to edit. */
function refusal(read: Exclude<ReadResult, { kind: 'file' }>, shown: string): InputError {
  switch (read.kind) {
    case 'missing':
      return new InputError(`no such manifest: ${shown}`, {
        hint: 'pass the path of an mlops.yaml',
      });
    case 'outside':
      return new InputError(
        `${shown} leads outside the repository (to ${read.target}); it was left unchanged`,
        {
          hint: `run the command on ${read.target} in its own repository, or replace the symlink with the file`,
        },
      );
    case 'not_a_file':
      return new InputError(`${shown} is a ${read.type}, not a file; nothing was written`, {
        hint: 'pass the path of an mlops.yaml',
      });
    case 'too_large':
      return new InputError(`${shown} is over 1 MiB; it is not a manifest mlops can edit`, {
        hint: 'a manifest is a few kilobytes: check that this is the right file',
      });
    case 'unreadable':
      return new InputError(
        `cannot read ${shown}: ${read.code === 'EACCES' || read.code === 'EPERM' ? 'permission denied' : read.code}`,
        { hint: 'check that the file exists and is readable' },
      );
  }
}

/**
 * Opens the manifest at `abs` (`shown` as the user sees it) for an edit, under the lock of the
 * file it leads to. A symlink is followed inside the repository and refused when it leads out
 * of it; a FIFO, device or folder is refused unopened. `action` completes "changed while ...".
 */
export function openManifestForEdit(abs: string, shown: string, action: string): ManifestEdit {
  const realRoot = realRepoRoot(dirname(abs));
  const options = { maxBytes: MAX_MANIFEST_BYTES, ...(realRoot ? { realRoot } : {}) };
  // a first look only finds the file to lock; it is read again, under the lock
  const first = readInputFile(abs, options);
  if (first.kind !== 'file') throw refusal(first, shown);
  const release = lockForWrite(first.real, shown);
  try {
    const read = readInputFile(abs, options);
    if (read.kind !== 'file') throw refusal(read, shown);
    const changed = (): InputError =>
      new InputError(`${shown} changed while ${action}; nothing was written`, {
        hint: 'run the command again',
      });
    if (read.real !== first.real) throw changed();
    // bytes are kept, not decoded and encoded again: text that is not UTF-8 would not survive
    const bytes = Buffer.from(read.bytes);
    const text = bytes.toString('utf8');
    if (!Buffer.from(text, 'utf8').equals(bytes)) {
      throw new InputError(`${shown} is not valid UTF-8 text; it was left unchanged`, {
        hint: 'save the file as UTF-8, then run the command again',
      });
    }
    let snapshot: FileSnapshot | undefined;
    try {
      snapshot = snapshotOf(read.real, bytes);
    } catch (error) {
      throw writeError(error, shown, read.real);
    }
    if (snapshot === undefined) throw changed();
    const expected = snapshot;
    return {
      text,
      replace(edited: string): void {
        if (!replaceFile(read.real, Buffer.from(edited, 'utf8'), expected, shown)) throw changed();
      },
      release,
    };
  } catch (error) {
    release();
    throw error;
  }
}
