import { readFileSync } from 'node:fs';
import { tooLargeFinding, MAX_MANIFEST_BYTES } from '../../core/load.js';
import type { Diagnostic } from '../../core/diagnostics.js';
import { validateText } from '../../core/validate.js';
import { InputError } from '../../errors.js';
import { loadValidator } from '../../io/assets.js';
import { discoverManifests } from '../../io/discover.js';
import { statPath, toDisplayPath } from '../../io/fs.js';
import { validateReporters } from '../../report/validate.js';
import type { ValidateFormat } from '../../report/validate.js';
import type { CommandContext } from '../context.js';
import { exitCodeFor } from '../exit-code.js';

export interface ValidateOptions {
  format: ValidateFormat;
  /** Warnings fail too. */
  strict: boolean;
  /** Read and write the result cache (`--no-cache` turns it off). */
  cache: boolean;
}

export async function runValidate(paths: string[], options: ValidateOptions, ctx: CommandContext): Promise<number> {
  const { cwd } = ctx.io;
  const { files } = await discoverManifests(paths, cwd);
  if (files.length === 0) {
    throw new InputError(`no ${paths.length ? 'mlops.yaml under the paths given' : 'mlops.yaml found in this repository'}`, {
      hint: 'run `mlops init <dir>` to create a manifest, or pass manifest files',
    });
  }
  const validator = await loadValidator();
  const diagnostics: Diagnostic[] = [];
  const display = files.map((f) => toDisplayPath(cwd, f));
  files.forEach((abs, i) => {
    const file = display[i]!;
    const size = statPath(abs)?.size ?? 0;
    if (size > MAX_MANIFEST_BYTES) {
      diagnostics.push(tooLargeFinding(file, size));
      return;
    }
    let text: string;
    try {
      text = readFileSync(abs, 'utf8');
    } catch (cause) {
      throw new InputError(`cannot read ${file}`, { cause, hint: 'check that the file exists and is readable' });
    }
    diagnostics.push(...validateText(text, file, validator));
  });
  ctx.io.stdout(validateReporters[options.format]({ files: display, diagnostics }, { color: ctx.color, toolVersion: ctx.toolVersion, verbose: ctx.verbose }));
  return exitCodeFor(diagnostics, options.strict ? 'warning' : 'error');
}
