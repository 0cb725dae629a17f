import { dirname, resolve } from 'node:path';
import { ID_PATTERN, bindEvidence, draftApproval, writeApproval } from '../../core/approve.js';
import type { ApproveOutcome, ApproveRefusal, EvidenceProblem } from '../../core/approve.js';
import { signedText } from '../../core/evidence-digest.js';
import type { Approval } from '../../core/manifest.js';
import { readManifest } from '../../core/manifest/reader.js';
import { isIsoDate } from '../../core/check/values.js';
import { didYouMean, suggest } from '../../core/suggest.js';
import { InputError, UsageError } from '../../errors.js';
import type { MlopsError } from '../../errors.js';
import {
  approveScope,
  readBoundEvidence,
  recordedByOf,
  signWithSshKey,
} from '../../io/approve-io.js';
import { loadValidator } from '../../io/assets.js';
import { manifestOfArgument, openManifestForEdit } from '../../io/manifest-file.js';
import type { Reporter } from '../../report/context.js';
import { formatPath } from '../../report/messages/manifest.js';
import { validateReporters } from '../../report/validate.js';
import type { ValidateResult } from '../../report/validate.js';
import { createColors } from '../colors.js';
import type { CommandContext } from '../context.js';
import { localToday } from '../today.js';

export interface ApproveOptions {
  /** The phase signed, or else `reassessment` or `waiver`: exactly one of the three. */
  phase?: 'envision' | 'build' | 'deploy';
  /** The id of the reassessment of `monitor.reassessments` signed. */
  reassessment?: string;
  /** The id of the waiver of `waivers` signed. */
  waiver?: string;
  by: string;
  decision: Approval['decision'];
  conditions?: string;
  date?: string;
  /** The approval's id; default `<subject>-<by>-<date>`. */
  id?: string;
  /** An ssh key file to sign the approval with (`ssh-keygen -Y sign`). */
  signKey?: string;
}

export async function runApprove(
  manifestArg: string,
  options: ApproveOptions,
  ctx: CommandContext,
): Promise<number> {
  const subjects = [options.phase, options.reassessment, options.waiver].filter(
    (s) => s !== undefined,
  );
  if (subjects.length === 0) {
    throw new UsageError('say what the approval signs: --phase, --reassessment or --waiver', {
      hint: 'add --phase envision, build or deploy to sign that section, --reassessment with the id of a reassessment of monitor.reassessments, or --waiver with the id of a waiver',
    });
  }
  if (subjects.length > 1) {
    throw new UsageError('--phase, --reassessment and --waiver cannot be used together', {
      hint: 'an approval signs one phase section, one reassessment or one waiver: give one of them',
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
  if (options.id !== undefined && !ID_PATTERN.test(options.id)) {
    throw new UsageError(`--id "${shownText(options.id)}" is not an id`, {
      hint: 'an id is lowercase letters, digits, - and _, starting with a letter or digit; or leave out --id for one made of what is signed, the approver and the date',
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
  const today = localToday();
  const recordedBy = await recordedByOf(dirname(abs), ctx.io.env);
  // locked from the read to the write, so a second approve waits and then reads this one's
  const edit = openManifestForEdit(abs, file, 'approving', ctx.io.cwd);
  let missing: string[] = [];
  let outcome: ApproveOutcome;
  let inRepository = true;
  try {
    const scope = approveScope(abs, ctx.io.cwd);
    inRepository = scope.within === 'repository';
    const validator = await loadValidator();
    const drafted = draftApproval(edit.text, (t) => readManifest(t, file, validator), {
      ...(options.phase !== undefined
        ? { phase: options.phase }
        : options.reassessment !== undefined
          ? { reassessment: options.reassessment }
          : { waiver: options.waiver! }),
      by: options.by,
      decision: options.decision,
      date: options.date ?? today,
      today,
      ...(options.conditions !== undefined ? { conditions: options.conditions } : {}),
      ...(options.id !== undefined ? { id: options.id } : {}),
      manifestPath: scope.manifestPath,
    });
    if (!drafted.ok) {
      outcome = drafted;
    } else {
      const { draft } = drafted;
      const bound = bindEvidence(draft, readBoundEvidence(scope.root, draft.bound));
      if (!bound.ok) {
        outcome = bound;
      } else {
        missing = bound.missing ?? [];
        const approval: Approval = {
          ...draft.approval,
          ...(bound.evidence !== undefined ? { evidence: bound.evidence } : {}),
          ...(recordedBy !== undefined ? { recordedBy } : {}),
        };
        if (options.signKey !== undefined) {
          approval.signature = await signWithSshKey(
            resolve(ctx.io.cwd, options.signKey),
            options.signKey,
            signedText(approval),
            file,
          );
        }
        outcome = writeApproval(draft, approval);
      }
    }
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
    throw refusalError(outcome.refusal, file, run, options, inRepository);
  }
  const { approval, approver } = outcome;
  const subject =
    approval.phase ??
    (approval.reassessment !== undefined
      ? `reassessment ${shownText(approval.reassessment)}`
      : `waiver ${shownText(String(approval.waiver))}`);
  const lines = [
    `recorded in ${file}: ${subject} ${approval.decision} by ${approver.id} (${approver.role}) on ${approval.date}${approval.conditions ? `, conditions: ${shownText(approval.conditions)}` : ''}; digest ${approval.digest!.slice(0, 19)}…`,
    `  id: ${approval.id!}`,
  ];
  if (approval.evidence !== undefined) {
    const keys = Object.keys(approval.evidence).map(shownText);
    lines.push(
      keys.length === 0
        ? `  evidence: none to bind (no evidence file is named for the ${approval.phase!} rules)`
        : `  evidence: ${keys.length} file${keys.length === 1 ? '' : 's'} bound by content digest: ${keys.slice(0, 5).join(', ')}${keys.length > 5 ? `, and ${keys.length - 5} more` : ''}`,
    );
  }
  if (missing.length > 0)
    lines.push(
      `  not bound (missing when signed): ${missing.map(shownText).join(', ')}; once committed, they make this approval stale`,
    );
  if (approval.recordedBy !== undefined)
    lines.push(
      `  recorded by: ${shownText(approval.recordedBy)} (git config user.name, user.email)`,
    );
  if (approval.signature !== undefined)
    lines.push(
      `  signed: with ${shownText(options.signKey!)} (ssh-keygen -Y sign, namespace mlops-approval)`,
    );
  ctx.io.stdout(`${lines.join('\n')}\n`);
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
function approveFlags(options: ApproveOptions, subjectWord?: string): string {
  return [
    options.phase !== undefined
      ? `--phase ${shellArg(options.phase)}`
      : options.waiver !== undefined
        ? `--waiver ${subjectWord ?? shellArg(options.waiver)}`
        : `--reassessment ${subjectWord ?? shellArg(String(options.reassessment))}`,
    `--by ${shellArg(options.by)}`,
    ...(options.decision !== 'approved' ? [`--decision ${shellArg(options.decision)}`] : []),
    ...(options.conditions !== undefined ? [`--conditions ${shellArg(options.conditions)}`] : []),
    ...(options.date !== undefined ? [`--date ${shellArg(options.date)}`] : []),
    ...(options.id !== undefined ? [`--id ${shellArg(options.id)}`] : []),
    ...(options.signKey !== undefined ? [`--sign-key ${shellPath(options.signKey)}`] : []),
  ].join(' ');
}

/** The approve command of the options, as a hint spells it (in backticks). */
const approveCommand = (
  run: string,
  file: string,
  options: ApproveOptions,
  subjectWord?: string,
): string => `\`${run} approve ${shellPath(file)} ${approveFlags(options, subjectWord)}\``;

/** An id as a YAML snippet holds it, or a placeholder when it is not a valid id. */
const idOr = (id: string, placeholder: string): string =>
  ID_PATTERN.test(id) ? id : `"${placeholder}"`;

/** What a section holds for its rules, for a hint that says to add it (as `check` says it). */
const SECTION_KEYS: Record<string, string> = {
  envision: 'hypothesis, stakeholders, valueMetrics, risks and trustworthyAI (rules E1 to E5)',
  build: 'candidates, selected, evaluations and modelCard (rules B1 to B4)',
  deploy: 'dataProtection, securityReview, integration and valueMeasurement (rules D1 to D4)',
};

/** The file types read.ts names, in words. */
const TYPE_WORDS: Record<string, string> = {
  directory: 'a folder',
  fifo: 'a FIFO (named pipe)',
  'character device': 'a character device',
  'block device': 'a block device',
  socket: 'a socket',
};

/** A count of bytes as MiB. */
const mib = (bytes: number): string => `${Math.round(bytes / (1024 * 1024))} MiB`;

/** What evidence is read within: the repository, or outside any, the manifest's own folder. */
const scopeWord = (inRepository: boolean): string =>
  inRepository ? 'repository' : "manifest's folder (it is in no git repository)";

/** What is wrong with one evidence file an approval would bind, in words. */
function evidenceProblem(p: EvidenceProblem, inRepository: boolean): string {
  const where = `${shownText(p.key)} (${formatPath(p.at)})`;
  const file = p.file;
  const through =
    'links' in file && file.links !== undefined && file.links.length > 0
      ? ` through the link ${file.links.map(shownText).join(' -> ')}`
      : '';
  switch (file.kind) {
    case 'escape':
      return file.escape === 'absolute'
        ? `${where} is an absolute path, not one inside the ${scopeWord(inRepository)}`
        : `${where} climbs out of the ${scopeWord(inRepository)}`;
    case 'missing':
      return `${where} is missing${through}`;
    case 'outside':
      return `${where} leads outside the ${scopeWord(inRepository)}${file.link !== undefined ? ` through the link ${shownText(file.link)}` : ''}${file.target !== undefined ? ` (to ${shownText(file.target)})` : ''}`;
    case 'not_a_file':
      return `${where} is ${TYPE_WORDS[file.type ?? ''] ?? 'not a regular file'}${through}, not a file`;
    case 'too_large':
      return `${where} is over ${mib(file.limit)} (${mib(file.size)})${through}`;
    case 'unreadable':
      return `${where} cannot be read${through} (${file.reason === 'EACCES' || file.reason === 'EPERM' ? 'permission denied' : file.reason})`;
  }
}

function refusalError(
  refusal: ApproveRefusal,
  file: string,
  run: string,
  options: ApproveOptions,
  inRepository: boolean,
): MlopsError {
  const unchanged = `${file} was left unchanged`;
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
              ? `approve it by its id: ${approveCommand(run, file, { ...options, reassessment: suggestion })}`
              : refusal.ids.length
                ? `the reassessments of monitor.reassessments are: ${refusal.ids.join(', ')}`
                : `record the reassessment first: add to \`monitor.reassessments\`: \`{id: ${id}, date: "YYYY-MM-DD", decision: continue, rationale: "RATIONALE", decider: ${idOr(options.by, 'STAKEHOLDER_ID')}, targetBy: "YYYY-MM-DD"}\`, then approve it: ${approveCommand(run, file, options, id)}`,
        },
      );
    }
    case 'unknown-waiver': {
      const suggestion = suggest(refusal.id, refusal.ids);
      const id = idOr(refusal.id, 'WAIVER_ID');
      const noId = refusal.withoutId.map(
        (w) =>
          `waivers[${w.index}]${w.rule !== undefined ? ` (rule ${shownText(w.rule)}${w.target !== undefined ? `, target ${shownText(w.target)}` : ''})` : ''}`,
      );
      const listed = refusal.ids.length
        ? `; the waivers of ${file} are: ${refusal.ids.join(', ')}`
        : refusal.withoutId.length === 0
          ? `; ${file} has no waivers`
          : '';
      const message = `no waiver "${shownText(refusal.id)}" in ${file}${didYouMean(refusal.id, refusal.ids)}${listed}${noId.length ? `; ${noId.join(', ')} ${noId.length === 1 ? 'has' : 'have'} no id` : ''}`;
      return new UsageError(message, {
        hint:
          suggestion !== undefined
            ? `approve it by its id: ${approveCommand(run, file, { ...options, waiver: suggestion })}`
            : noId.length > 0
              ? `a waiver is approved by its id: add \`id: ${id}\` to ${noId[0]!.replace(/ \(.*$/, '')}, then approve it: ${approveCommand(run, file, options, id)}`
              : refusal.ids.length > 0
                ? `approve one of them by its id: ${approveCommand(run, file, { ...options, waiver: refusal.ids[0]! })}`
                : `write the waiver first: add to \`waivers\`: \`{id: ${id}, rule: RULE, target: TARGET, reason: "REASON", owner: ${idOr(options.by, 'STAKEHOLDER_ID')}, expires: "YYYY-MM-DD"}\`, then approve it: ${approveCommand(run, file, options, id)}`,
      });
    }
    case 'waiver-role': {
      const roles = refusal.roles.join(' or ');
      const at = refusal.tier !== undefined ? `at risk tier ${refusal.tier}` : 'at this risk tier';
      return new UsageError(
        `${options.by} (${refusal.role}) cannot approve waiver "${refusal.waiver}" in ${file}: ${at} a waiver is approved by the ${roles}; ${unchanged}`,
        {
          hint:
            refusal.stakeholders.length > 0
              ? `the ${roles} approves it: ${approveCommand(run, file, { ...options, by: refusal.stakeholders[0]! })}${refusal.stakeholders.length > 1 ? ` (or --by ${refusal.stakeholders.slice(1).join(', ')})` : ''}`
              : `add a ${roles} to envision.stakeholders (\`{id: STAKEHOLDER_ID, name: NAME, role: ${refusal.roles[0]!}}\`), then have them approve it: ${approveCommand(run, file, { ...options, by: 'STAKEHOLDER_ID' })}`,
        },
      );
    }
    case 'future-date':
      return new UsageError(
        `--date ${refusal.date} is after today (${refusal.today}): an approval records a decision already made; ${unchanged}`,
        {
          hint: `record the decision on the day it is made: ${approveCommand(run, file, { ...options, date: undefined })} (today is the default), or give the past date it was made`,
        },
      );
    case 'conditions-missing':
      return new UsageError(
        `--decision conditional needs --conditions: a conditional approval says what it depends on; ${unchanged}`,
        {
          hint: `write the conditions: ${approveCommand(run, file, { ...options, conditions: 'CONDITIONS' })}`,
        },
      );
    case 'conditions-unexpected':
      return new UsageError(
        `--conditions is for --decision conditional, not ${refusal.decision}; ${unchanged}`,
        {
          hint: `make it conditional: ${approveCommand(run, file, { ...options, decision: 'conditional' })}, or leave out --conditions`,
        },
      );
    case 'id-taken':
      return new UsageError(
        `an approval of ${file} already has the id "${refusal.id}"; ${unchanged}`,
        {
          hint: `choose another: ${approveCommand(run, file, { ...options, id: refusal.free })}, or leave out --id for one made of what is signed, the approver and the date`,
        },
      );
    case 'no-section': {
      return new UsageError(
        `${file} has no ${refusal.phase} section to approve: there is nothing to sign off yet; ${unchanged}`,
        {
          hint: `add the ${refusal.phase} section first, with ${SECTION_KEYS[refusal.phase] ?? 'its keys'}; then approve it: ${approveCommand(run, file, options)}`,
        },
      );
    }
    case 'evidence': {
      const problems = refusal.problems.map((p) => evidenceProblem(p, inRepository));
      return new InputError(
        `cannot bind the ${refusal.phase} evidence of ${file}: ${problems.join('; ')}; ${unchanged}`,
        {
          hint: `an approval records the digest of every file the ${refusal.phase} rules read: produce the evidence in the working tree (and commit it), or correct its path in the manifest; then approve again: ${approveCommand(run, file, options)}`,
        },
      );
    }
    case 'not-editable':
      return new InputError(
        `${file} was left unchanged: mlops cannot append an approval to it and be sure the recorded digest matches what it signs`,
        {
          hint: 'write the file in plain YAML (block mappings and lists, no anchors, tags or complex keys), then approve again; or add the approval by hand',
        },
      );
  }
}
