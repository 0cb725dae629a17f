import { approveManifest } from '../../core/approve.js';
import type { ApproveRefusal } from '../../core/approve.js';
import type { Approval } from '../../core/manifest.js';
import { readManifest } from '../../core/manifest/reader.js';
import { isIsoDate } from '../../core/check/values.js';
import { didYouMean, suggest } from '../../core/suggest.js';
import { InputError, UsageError } from '../../errors.js';
import type { MlopsError } from '../../errors.js';
import { loadValidator } from '../../io/assets.js';
import { manifestOfArgument, openManifestForEdit } from '../../io/manifest-file.js';
import type { Reporter } from '../../report/context.js';
import { validateReporters } from '../../report/validate.js';
import type { ValidateResult } from '../../report/validate.js';
import { createColors } from '../colors.js';
import type { CommandContext } from '../context.js';
import { localToday } from '../today.js';

export interface ApproveOptions {
  /** The phase signed, or else `reassessment`: exactly one of the two. */
  phase?: 'envision' | 'build' | 'deploy';
  /** The id of the reassessment of `monitor.reassessments` signed. */
  reassessment?: string;
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
  if (options.phase === undefined && options.reassessment === undefined) {
    throw new UsageError('say what the approval signs: --phase or --reassessment', {
      hint: 'add --phase envision, build or deploy to sign that section, or --reassessment with the id of a reassessment of monitor.reassessments',
    });
  }
  if (options.phase !== undefined && options.reassessment !== undefined) {
    throw new UsageError('--phase and --reassessment cannot be used together', {
      hint: 'an approval signs one phase section or one reassessment: give one of the two',
    });
  }
  if (options.phase !== undefined && !['envision', 'build', 'deploy'].includes(options.phase)) {
    throw new UsageError(`cannot approve phase "${String(options.phase)}"`, {
      hint: 'approvals sign the envision, build or deploy section',
    });
  }
  if (options.date !== undefined && !isIsoDate(options.date)) {
    throw new UsageError(`--date "${options.date}" is not a date`, {
      hint: 'give the date of the decision as YYYY-MM-DD',
    });
  }
  const run = ctx.invokedAs;
  // a folder stands for its own mlops.yaml
  const { abs, shown: file } = await manifestOfArgument(manifestArg, {
    cwd: ctx.io.cwd,
    env: ctx.io.env,
    commandFor: (path) => `${run} approve ${shellPath(path)} ${approveFlags(options)}`,
    initFor: (dir) => `${run} init ${shellPath(dir)}`,
  });
  // locked from the read to the write, so a second approve waits and then reads this one's
  const edit = openManifestForEdit(abs, file, 'approving', ctx.io.cwd);
  let outcome: ReturnType<typeof approveManifest>;
  try {
    const validator = await loadValidator();
    outcome = approveManifest(edit.text, (t) => readManifest(t, file, validator), {
      ...(options.phase !== undefined
        ? { phase: options.phase }
        : { reassessment: options.reassessment! }),
      by: options.by,
      decision: options.decision,
      date: options.date ?? localToday(),
      ...(options.conditions ? { conditions: options.conditions } : {}),
    });
    if (outcome.ok) edit.replace(outcome.text);
  } finally {
    edit.release();
  }
  if (!outcome.ok) {
    if (outcome.refusal.kind === 'invalid') {
      // the same listing as `mlops validate <file>`, so the two can be compared line by line
      const color = ctx.io.stderrIsTTY === true ? ctx.color : await createColors(0);
      // validate's text report (ESLint calls it stylish)
      const reporters: Record<string, Reporter<ValidateResult> | undefined> = validateReporters;
      const text = (reporters.text ?? reporters.stylish)!;
      ctx.io.stderr(
        text(
          { files: [file], diagnostics: outcome.refusal.findings },
          { color, toolVersion: ctx.toolVersion, verbose: ctx.verbose },
        ),
      );
    }
    throw refusalError(outcome.refusal, file, run, options);
  }
  const { approval, approver } = outcome;
  ctx.io.stdout(
    `recorded in ${file}: ${approval.phase ?? `reassessment ${shownText(String(approval.reassessment))}`} ${approval.decision} by ${approver.id} (${approver.role}) on ${approval.date}${approval.conditions ? `, conditions: ${shownText(approval.conditions)}` : ''}; digest ${approval.digest!.slice(0, 19)}…\n`,
  );
  return 0;
}

/** Text as it is, or quoted with escapes when a line break or control character would garble the line. */
function shownText(text: string): string {
  return /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/.test(text) ? JSON.stringify(text) : text;
}

/** A word as one shell argument, as it can be pasted. */
function shellArg(s: string): string {
  return /^[\w./@:+=,-]+$/.test(s) ? s : `'${s.replaceAll("'", "'\\''")}'`;
}

/** A path as one shell argument: one starting with `-` is not taken for a flag. */
const shellPath = (path: string): string => shellArg(path.startsWith('-') ? `./${path}` : path);

/** The flags of an approve command line as the user gave them, for a command in a hint. */
function approveFlags(options: ApproveOptions, reassessmentWord?: string): string {
  return [
    options.phase !== undefined
      ? `--phase ${shellArg(options.phase)}`
      : `--reassessment ${reassessmentWord ?? shellArg(String(options.reassessment))}`,
    `--by ${shellArg(options.by)}`,
    ...(options.decision !== 'approved' ? [`--decision ${shellArg(options.decision)}`] : []),
    ...(options.conditions ? [`--conditions ${shellArg(options.conditions)}`] : []),
    ...(options.date !== undefined ? [`--date ${shellArg(options.date)}`] : []),
  ].join(' ');
}

/** An id as a YAML snippet holds it, or a placeholder when it is not a valid id. */
const idOr = (id: string, placeholder: string): string =>
  /^[a-z0-9][a-z0-9_-]*$/.test(id) ? id : `"${placeholder}"`;

function refusalError(
  refusal: ApproveRefusal,
  file: string,
  run: string,
  options: ApproveOptions,
): MlopsError {
  switch (refusal.kind) {
    case 'invalid':
      return new InputError(`${file} does not validate; an approval must sign a valid manifest`, {
        hint: `fix what \`${run} validate ${shellPath(file)}\` reports (listed above), then approve`,
      });
    case 'unknown-stakeholder':
      return new UsageError(
        `unknown stakeholder "${refusal.by}" in ${file}${didYouMean(refusal.by, refusal.ids)}`,
        {
          hint: refusal.ids.length
            ? `approvers are stakeholders of envision.stakeholders: ${refusal.ids.join(', ')}`
            : 'add the approver to envision.stakeholders first',
        },
      );
    case 'unknown-reassessment': {
      const suggestion = suggest(refusal.id, refusal.ids);
      const id = idOr(refusal.id, 'REASSESSMENT_ID');
      return new UsageError(
        `no reassessment "${refusal.id}" in ${file}${didYouMean(refusal.id, refusal.ids)}`,
        {
          hint:
            suggestion !== undefined
              ? `approve it by its id: \`${run} approve ${shellPath(file)} ${approveFlags({ ...options, reassessment: suggestion })}\``
              : refusal.ids.length
                ? `the reassessments of monitor.reassessments are: ${refusal.ids.join(', ')}`
                : `record the reassessment first: add to \`monitor.reassessments\`: \`{id: ${id}, date: "YYYY-MM-DD", decision: continue, rationale: "RATIONALE", decider: ${idOr(options.by, 'STAKEHOLDER_ID')}, targetBy: "YYYY-MM-DD"}\`, then approve it: \`${run} approve ${shellPath(file)} ${approveFlags(options, id)}\``,
        },
      );
    }
    case 'no-section':
      return new UsageError(`${file} has no ${refusal.phase} section to approve`, {
        hint: `write the ${refusal.phase} section first; an approval signs it as it is`,
      });
    case 'not-editable':
      return new InputError(
        `${file} was left unchanged: mlops cannot append an approval to it and be sure the recorded digest matches what it signs`,
        {
          hint: 'write the file in plain YAML (block mappings and lists, no anchors, tags or complex keys), then approve again; or add the approval by hand',
        },
      );
  }
}
