import { linkSync, renameSync, unlinkSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';

/**
 * Writes `content` to `path` atomically: a temporary file in the same folder, then a rename.
 * Without `overwrite`, an existing file is never replaced, even one created in the meantime.
 */
let tmpSeq = 0;
export function writeFileAtomic(
  path: string,
  content: string,
  options: { overwrite: boolean },
): void {
  // unique by process and call (not random: node:crypto costs ~7 ms to load); 'wx' refuses a clash
  const tmp = join(
    dirname(path),
    `.${basename(path)}.${process.pid}.${Date.now().toString(36)}${(tmpSeq++).toString(36)}.tmp`,
  );
  writeFileSync(tmp, content, { flag: 'wx' });
  try {
    if (options.overwrite) {
      renameSync(tmp, path);
    } else {
      linkSync(tmp, path);
      unlinkSync(tmp);
    }
  } catch (error) {
    try {
      unlinkSync(tmp);
    } catch {
      // already gone
    }
    throw error;
  }
}
