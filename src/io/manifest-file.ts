import { MAX_MANIFEST_BYTES } from '../core/manifest/limits.js';
import { InputError } from '../errors.js';
import { readTextFile, statPath } from './fs.js';
import { writeFileAtomic } from './write.js';

/**
 * The text of a manifest that a command is about to edit; `shown` is the path as the user
 * sees it. A missing, unreadable or oversized file is an InputError: there is nothing to edit.
 */
export function readManifestForEdit(abs: string, shown: string): string {
  const st = statPath(abs);
  if (!st?.isFile)
    throw new InputError(`no such manifest: ${shown}`, { hint: 'pass the path of an mlops.yaml' });
  if (st.size > MAX_MANIFEST_BYTES)
    throw new InputError(`${shown} is over 1 MiB; it is not a manifest mlops can edit`);
  return readTextFile(abs, shown);
}

/** Replaces the manifest in one step, so a reader never sees half of it. */
export function writeEditedManifest(abs: string, text: string): void {
  writeFileAtomic(abs, text, { overwrite: true });
}
