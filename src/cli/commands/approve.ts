import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { appendApproval } from '../../core/approve.js';
import { isIsoDate } from '../../core/check-values.js';
import { digestOf } from '../../core/digest.js';
import { MAX_MANIFEST_BYTES, parseManifest } from '../../core/load.js';
import type { Approval, Manifest } from '../../core/manifest.js';
import { didYouMean } from '../../core/suggest.js';
import { validateParsed } from '../../core/validate.js';
import { InputError, UsageError } from '../../errors.js';
import { loadValidator } from '../../io/assets.js';
import { statPath, toDisplayPath, writeFileAtomic } from '../../io/fs.js';
import type { CommandContext } from '../context.js';
import { localToday } from './check.js';

export interface ApproveOptions {
  phase: 'envision' | 'build' | 'deploy';
  by: string;
  decision: Approval['decision'];
  conditions?: string;
  date?: string;
}

export async function runApprove(
  manifestArg: string,
  options: ApproveOptions,
  ctx: CommandContext,
): Promise<number> {
  const abs = resolve(ctx.io.cwd, manifestArg);
  const file = toDisplayPath(ctx.io.cwd, abs);
  if (!['envision', 'build', 'deploy'].includes(options.phase)) {
    throw new UsageError(`cannot approve phase "${String(options.phase)}"`, {
      hint: 'approvals sign the envision, build or deploy section',
    });
  }
  if (options.date !== undefined && !isIsoDate(options.date)) {
    throw new UsageError(`--date "${options.date}" is not a date`, {
      hint: 'give the date of the decision as YYYY-MM-DD',
    });
  }
  const st = statPath(abs);
  if (!st?.isFile)
    throw new InputError(`no such manifest: ${file}`, { hint: 'pass the path of an mlops.yaml' });
  if (st.size > MAX_MANIFEST_BYTES)
    throw new InputError(`${file} is over 1 MiB; it is not a manifest mlops can edit`);
  let text: string;
  try {
    text = readFileSync(abs, 'utf8');
  } catch (cause) {
    throw new InputError(`cannot read ${file}`, {
      cause,
      hint: 'check that the file exists and is readable',
    });
  }
  const parsed = parseManifest(text, file);
  const errors = validateParsed(parsed, await loadValidator()).filter(
    (d) => d.severity === 'error',
  );
  if (errors.length > 0 || !parsed.doc || parsed.data === undefined) {
    const first = errors[0];
    throw new InputError(
      `${file} does not validate${first ? ` (${first.line}:${first.column} ${first.message})` : ''}; an approval must sign a valid manifest`,
      {
        hint: `fix what \`mlops validate ${file}\` reports, then approve`,
      },
    );
  }
  const manifest = parsed.data as Manifest;
  const stakeholders = Array.isArray(manifest.envision.stakeholders)
    ? manifest.envision.stakeholders
    : [];
  const who = stakeholders.find((s) => s.id === options.by);
  if (!who) {
    const ids = stakeholders.map((s) => s.id);
    throw new UsageError(
      `unknown stakeholder "${options.by}" in ${file}${didYouMean(options.by, ids)}`,
      {
        hint: ids.length
          ? `approvers are stakeholders of envision.stakeholders: ${ids.join(', ')}`
          : 'add the approver to envision.stakeholders first',
      },
    );
  }
  const section = manifest[options.phase];
  if (section === undefined || section === null) {
    throw new UsageError(`${file} has no ${options.phase} section to approve`, {
      hint: `write the ${options.phase} section first; an approval signs it as it is`,
    });
  }
  const approval: Approval = {
    phase: options.phase,
    role: who.role,
    by: who.id,
    decision: options.decision,
    date: options.date ?? localToday(),
    ...(options.conditions ? { conditions: options.conditions } : {}),
    digest: digestOf(section),
  };
  // The parser reads past a byte-order mark, so its offsets are those of the text without it.
  const bom = text.charCodeAt(0) === 0xfeff ? '\ufeff' : '';
  writeFileAtomic(abs, bom + appendApproval(text.slice(bom.length), parsed.doc, approval), {
    overwrite: true,
  });
  ctx.io.stdout(
    `recorded in ${file}: ${options.phase} ${approval.decision} by ${who.id} (${who.role}) on ${approval.date}${approval.conditions ? `, conditions: ${approval.conditions}` : ''}; digest ${approval.digest!.slice(0, 19)}…\n`,
  );
  return 0;
}
