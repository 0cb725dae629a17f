import { isMap, isScalar, isSeq, stringify } from 'yaml';
import type { Document, Node } from 'yaml';
import { waiverApproverRoles } from './approvals.js';
import type { ApprovablePhase } from './approvals.js';
import { collectEvidence } from './check/evidence.js';
import type { EvidenceFile, EvidenceRef } from './check/evidence.js';
import { digestOf } from './digest.js';
import { boundEvidence, evidenceDigest } from './evidence-digest.js';
import type { BoundFile } from './evidence-digest.js';
import type { Finding, PathSegment } from './findings.js';
import type { Approval, Manifest, Stakeholder, StakeholderRole } from './manifest.js';
import type { ReadResult } from './manifest/reader.js';
import { parseYamlDocument } from './manifest/yaml-reader.js';

const KEY_ORDER = [
  'id',
  'phase',
  'reassessment',
  'waiver',
  'role',
  'by',
  'decision',
  'date',
  'conditions',
  'digest',
  'evidence',
  'recordedBy',
  'signature',
] as const;

/** An id as the schema has it: what `--id` must be, and what approval ids are built of. */
export const ID_PATTERN = /^[a-z0-9][a-z0-9_-]*$/;

/** What approving needs of the reader's answer for a text. */
export type ManifestReading = Pick<ReadResult, 'data' | 'findings'>;

/**
 * What a sign-off signs: a phase section, a reassessment of `monitor.reassessments` (by its
 * id) or a waiver of `waivers` (by its id), whose item the digest is then of.
 */
export type ApproveSubject =
  | { phase: ApprovablePhase; reassessment?: undefined; waiver?: undefined }
  | { reassessment: string; phase?: undefined; waiver?: undefined }
  | { waiver: string; phase?: undefined; reassessment?: undefined };

/** One sign-off as `mlops approve` is asked for it. */
export type ApproveRequest = ApproveSubject & {
  /** The stakeholder's id in `envision.stakeholders`. */
  by: string;
  decision: Approval['decision'];
  conditions?: string;
  /** YYYY-MM-DD. */
  date: string;
  /** Today, YYYY-MM-DD: a decision dated after it is refused. */
  today?: string;
  /** The approval's id as the user chose it; default `<subject>-<by>-<date>` (then `-2`...). */
  id?: string;
  /**
   * The manifest's repository-relative path (forward slashes), which its evidence paths are
   * resolved against; default `mlops.yaml`.
   */
  manifestPath?: string;
};

/** Why a bound evidence file cannot be bound: what reading it gave. */
export interface EvidenceProblem {
  /** The key it would have in `approval.evidence` (the path relative to the manifest's folder). */
  key: string;
  /** Repository-relative; absent when the path itself leaves the repository. */
  repoPath?: string;
  /** The entry of the manifest that names it first. */
  at: PathSegment[];
  file:
    Exclude<EvidenceFile, { kind: 'file' }> | { kind: 'escape'; escape: 'absolute' | 'outside' };
}

/** A waiver of `waivers` that no approval can name: it has no id. */
export interface WaiverWithoutId {
  index: number;
  rule?: string;
  target?: string;
}

/** Why an approval was not written. The file is never changed when there is one. */
export type ApproveRefusal =
  /** The manifest has error findings; `findings` holds every finding of the reading. */
  | { kind: 'invalid'; findings: Finding[] }
  | { kind: 'unknown-stakeholder'; by: string; ids: string[] }
  | { kind: 'no-section'; phase: ApprovablePhase }
  /** No reassessment of `monitor.reassessments` has the id; `ids` are those there are. */
  | { kind: 'unknown-reassessment'; id: string; ids: string[] }
  /** No waiver of `waivers` has the id; `ids` are those there are, `withoutId` those with none. */
  | { kind: 'unknown-waiver'; id: string; ids: string[]; withoutId: WaiverWithoutId[] }
  /**
   * The approver's role does not approve waivers at the manifest's tier: `roles` do, and
   * `stakeholders` are the ids of those who have them.
   */
  | {
      kind: 'waiver-role';
      waiver: string;
      role: StakeholderRole;
      tier?: string;
      roles: StakeholderRole[];
      stakeholders: string[];
    }
  /** The decision is dated after today. */
  | { kind: 'future-date'; date: string; today: string }
  /** `conditional` without conditions, or conditions with another decision. */
  | { kind: 'conditions-missing' }
  | { kind: 'conditions-unexpected'; decision: Approval['decision'] }
  /** An approval already has the id asked for; `free` is one that is not taken. */
  | { kind: 'id-taken'; id: string; free: string }
  /** Evidence the phase's rules read that cannot be read from the working tree to bind it. */
  | { kind: 'evidence'; phase: ApprovablePhase; problems: EvidenceProblem[] }
  /**
   * The YAML editor reads the text differently from the reader, or no edit of it reads back
   * as the same manifest plus the approval: writing would risk a digest that does not match.
   */
  | { kind: 'not-editable' };

export type ApproveOutcome =
  | { ok: true; text: string; approval: Approval; approver: Stakeholder }
  | { ok: false; refusal: ApproveRefusal };

/** A sign-off checked against the manifest and ready to be completed and written. */
export interface ApprovalDraft {
  /**
   * The approval as far as the manifest gives it: id, subject, role, by, decision, date,
   * conditions and digest. Evidence digests, `recordedBy` and `signature` are added to it.
   */
  approval: Approval;
  approver: Stakeholder;
  /** The evidence files a phase approval binds (none for reassessments and waivers). */
  bound: BoundFile[];
  /** Evidence entries of the phase whose path leaves the repository: they cannot be bound. */
  escaped: EvidenceRef[];
  /** The text the draft was made from, and how it reads. */
  readonly text: string;
  readonly reading: ManifestReading;
  readonly read: (text: string) => ManifestReading;
}

/** `<subject>-<by>-<date>`, with `-2`, `-3`... appended while an approval has it. */
export function approvalId(base: string, taken: ReadonlySet<string>): string {
  if (!taken.has(base)) return base;
  let n = 2;
  while (taken.has(`${base}-${n}`)) n++;
  return `${base}-${n}`;
}

/**
 * Checks a sign-off of `request` against the manifest in `text`, as `read` (the reader every
 * command uses) reads it, so that the digest is the one `check` and `diff` compute from the
 * same bytes, and a manifest is refused exactly when `validate` reports an error for it.
 */
export function draftApproval(
  text: string,
  read: (text: string) => ManifestReading,
  request: ApproveRequest,
): { ok: true; draft: ApprovalDraft } | { ok: false; refusal: ApproveRefusal } {
  const refuse = (refusal: ApproveRefusal): { ok: false; refusal: ApproveRefusal } => ({
    ok: false,
    refusal,
  });
  if (request.today !== undefined && request.date > request.today) {
    return refuse({ kind: 'future-date', date: request.date, today: request.today });
  }
  if (request.decision === 'conditional' && !request.conditions) {
    return refuse({ kind: 'conditions-missing' });
  }
  if (request.decision !== 'conditional' && request.conditions) {
    return refuse({ kind: 'conditions-unexpected', decision: request.decision });
  }
  const reading = read(text);
  if (reading.findings.some((f) => f.severity === 'error') || !isRecord(reading.data)) {
    return refuse({ kind: 'invalid', findings: reading.findings });
  }
  const manifest = reading.data as unknown as Manifest;
  const stakeholders = Array.isArray(manifest.envision?.stakeholders)
    ? manifest.envision.stakeholders
    : [];
  const approver = stakeholders.find((s) => s.id === request.by);
  if (!approver) {
    return refuse({
      kind: 'unknown-stakeholder',
      by: request.by,
      ids: stakeholders.map((s) => s.id),
    });
  }
  let signed: unknown;
  let subject: string;
  if (request.phase !== undefined) {
    subject = request.phase;
    signed = manifest[request.phase];
    if (signed === undefined || signed === null) {
      return refuse({ kind: 'no-section', phase: request.phase });
    }
  } else if (request.reassessment !== undefined) {
    subject = request.reassessment;
    // the first item of the id, as check finds the reassessment an approval names
    const items = Array.isArray(manifest.monitor?.reassessments)
      ? manifest.monitor.reassessments
      : [];
    signed = items.find((r) => r.id === request.reassessment);
    if (signed === undefined) {
      const ids = [...new Set(items.map((r) => r.id))];
      return refuse({ kind: 'unknown-reassessment', id: request.reassessment, ids });
    }
  } else {
    subject = request.waiver;
    const items: unknown[] = Array.isArray(manifest.waivers) ? manifest.waivers : [];
    // the first waiver of the id, as check finds the waiver an approval names
    signed = items.find((w) => isRecord(w) && w.id === request.waiver);
    if (signed === undefined) {
      const ids = [
        ...new Set(items.flatMap((w) => (isRecord(w) && typeof w.id === 'string' ? [w.id] : []))),
      ];
      const withoutId = items.flatMap((w, index): WaiverWithoutId[] =>
        isRecord(w) && w.id === undefined
          ? [
              {
                index,
                ...(typeof w.rule === 'string' ? { rule: w.rule } : {}),
                ...(typeof w.target === 'string' ? { target: w.target } : {}),
              },
            ]
          : [],
      );
      return refuse({ kind: 'unknown-waiver', id: request.waiver, ids, withoutId });
    }
    const tier = manifest.metadata?.riskTier;
    const roles = waiverApproverRoles(tier);
    if (!roles.includes(approver.role)) {
      return refuse({
        kind: 'waiver-role',
        waiver: request.waiver,
        role: approver.role,
        ...(typeof tier === 'string' ? { tier } : {}),
        roles,
        stakeholders: stakeholders.filter((s) => roles.includes(s.role)).map((s) => s.id),
      });
    }
  }
  const existing: unknown[] = Array.isArray(manifest.approvals) ? manifest.approvals : [];
  const taken = new Set(
    existing.flatMap((a) => (isRecord(a) && typeof a.id === 'string' ? [a.id] : [])),
  );
  const generated = approvalId(`${subject}-${approver.id}-${request.date}`, taken);
  if (request.id !== undefined && taken.has(request.id)) {
    return refuse({ kind: 'id-taken', id: request.id, free: approvalId(request.id, taken) });
  }
  const approval: Approval = {
    id: request.id ?? generated,
    ...(request.phase !== undefined
      ? { phase: request.phase }
      : request.reassessment !== undefined
        ? { reassessment: request.reassessment }
        : { waiver: request.waiver }),
    role: approver.role,
    by: approver.id,
    decision: request.decision,
    date: request.date,
    ...(request.conditions ? { conditions: request.conditions } : {}),
    digest: digestOf(signed),
  };
  const manifestPath = request.manifestPath ?? 'mlops.yaml';
  let bound: BoundFile[] = [];
  let escaped: EvidenceRef[] = [];
  if (request.phase !== undefined) {
    const refs = collectEvidence(manifest, manifestPath);
    bound = boundEvidence(manifest, manifestPath, request.phase, refs);
    escaped = refs.filter((r) => r.phase === request.phase && r.repoPath === undefined);
  }
  return { ok: true, draft: { approval, approver, bound, escaped, text, reading, read } };
}

/**
 * The evidence digests of a phase approval (`approval.evidence`): for each bound file, the
 * digest of its content as `files` found it in the working tree. Any file that could not be
 * read, and any evidence path of the phase that leaves the repository, refuses the approval:
 * it would not bind what the approver looked at. Undefined for reassessments and waivers.
 */
export function bindEvidence(
  draft: ApprovalDraft,
  files: (repoPath: string) => EvidenceFile | undefined,
):
  | { ok: true; evidence?: Record<string, string>; missing?: string[] }
  | { ok: false; refusal: ApproveRefusal } {
  const phase = draft.approval.phase;
  if (phase === undefined) return { ok: true };
  // a file missing when signed is bound as absent: once it appears, the approval is stale
  const missing: string[] = [];
  const problems: EvidenceProblem[] = draft.escaped.map((ref) => ({
    key: ref.raw,
    at: ref.at,
    file: { kind: 'escape', escape: ref.escape ?? 'outside' },
  }));
  const evidence: Record<string, string> = {};
  for (const bound of draft.bound) {
    const file = files(bound.repoPath) ?? { kind: 'unreadable' as const, reason: 'not read' };
    const at = bound.refs[0]!.at;
    if (file.kind === 'missing' && !('links' in file && file.links?.length)) {
      missing.push(bound.key);
      continue;
    }
    if (file.kind !== 'file') {
      problems.push({ key: bound.key, repoPath: bound.repoPath, at, file });
      continue;
    }
    const digest = evidenceDigest(bound.repoPath, {
      ...(file.text !== undefined ? { text: file.text } : {}),
      ...(file.sha256 !== undefined ? { bytesSha256: file.sha256 } : {}),
    });
    if (digest === undefined) {
      problems.push({
        key: bound.key,
        repoPath: bound.repoPath,
        at,
        file: { kind: 'unreadable', reason: 'not read' },
      });
      continue;
    }
    evidence[bound.key] = digest;
  }
  if (problems.length > 0) return { ok: false, refusal: { kind: 'evidence', phase, problems } };
  return { ok: true, evidence, ...(missing.length ? { missing } : {}) };
}

/**
 * Appends `approval` (the draft's, completed with its evidence digests, `recordedBy` and
 * `signature`) as a text edit that keeps every other byte; the edit is accepted only when it
 * reads back as the same data plus the approval.
 */
export function writeApproval(draft: ApprovalDraft, approval: Approval): ApproveOutcome {
  const { text, reading, read } = draft;
  // The editor reads past a byte-order mark, so its offsets are those of the text without it.
  const bom = text.charCodeAt(0) === 0xfeff ? '\ufeff' : '';
  const body = text.slice(bom.length);
  const doc = parseForEdit(body);
  if (doc.errors.length > 0 || !sameData(doc.toJS(), reading.data)) {
    return { ok: false, refusal: { kind: 'not-editable' } };
  }
  const data = reading.data as Record<string, unknown>;
  const existing = Array.isArray(data.approvals) ? data.approvals : [];
  const expected = { ...data, approvals: [...existing, approvalData(approval)] };
  const edited = appendApproval(body, doc, approval, (candidate) => {
    const back = read(bom + candidate);
    return !back.findings.some((f) => f.severity === 'error') && sameData(back.data, expected);
  });
  if (edited === undefined) return { ok: false, refusal: { kind: 'not-editable' } };
  return { ok: true, text: bom + edited, approval, approver: draft.approver };
}

/**
 * Signs `request.phase` (or the reassessment or waiver it names) of the manifest in `text`, in
 * one step: `draftApproval`, then `bindEvidence` with `files` (the evidence as found in the
 * working tree; without it a phase with bound evidence is refused as unread), then
 * `writeApproval` with `recordedBy` when given. The approval is appended as a text edit that
 * keeps every other byte.
 */
export function approveManifest(
  text: string,
  read: (text: string) => ManifestReading,
  request: ApproveRequest,
  options: {
    files?: (repoPath: string) => EvidenceFile | undefined;
    recordedBy?: string;
  } = {},
): ApproveOutcome {
  const drafted = draftApproval(text, read, request);
  if (!drafted.ok) return drafted;
  const { draft } = drafted;
  const bound = bindEvidence(draft, options.files ?? (() => undefined));
  if (!bound.ok) return bound;
  return writeApproval(draft, {
    ...draft.approval,
    ...(bound.evidence !== undefined ? { evidence: bound.evidence } : {}),
    ...(options.recordedBy !== undefined ? { recordedBy: options.recordedBy } : {}),
  });
}

/** The yaml Document that approvals are edited in, parsed exactly as the reader's yaml path. */
export function parseForEdit(text: string): Document {
  return parseYamlDocument(text);
}

/** Characters a plain or single-quoted scalar cannot hold as they are: written as escapes. */
const NEEDS_ESCAPE = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\ufeff\ud800-\udfff\ufffe\uffff]/;

/**
 * A one-line double-quoted scalar: line breaks, tabs and other control characters as escapes,
 * so the text reads back exactly and the line breaks of the file are not mixed with others.
 */
function doubleQuoted(value: string): string {
  let out = '"';
  for (const ch of value) {
    const c = ch.charCodeAt(0);
    if (ch === '"') out += '\\"';
    else if (ch === '\\') out += '\\\\';
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\t') out += '\\t';
    else if (ch.length === 1 && NEEDS_ESCAPE.test(ch))
      out += `\\u${c.toString(16).padStart(4, '0')}`;
    else out += ch;
  }
  return `${out}"`;
}

/** A scalar on one line, in a block mapping: plain where that reads back as the text. */
function scalar(value: string): string {
  if (NEEDS_ESCAPE.test(value)) return doubleQuoted(value);
  const written = stringify(value, { lineWidth: 0 }).trimEnd();
  return written.includes('\n') ? doubleQuoted(value) : written;
}

/** A scalar inside a flow collection, where `,`, `:`, brackets and braces mean structure. */
function flowScalar(value: string): string {
  // a colon is plain text there only between two such characters, as in `sha256:e69b`
  return /^[A-Za-z0-9][A-Za-z0-9_.-]*(?::[A-Za-z0-9_.-]+)*$/.test(value) && scalar(value) === value
    ? value
    : doubleQuoted(value);
}

function approvalData(approval: Approval): Record<string, unknown> {
  return Object.fromEntries(
    KEY_ORDER.filter((k) => approval[k] !== undefined).map((k) => [k, approval[k]]),
  );
}

/**
 * A mapping key on one line, in a block or a flow mapping: plain when it is a path of letters,
 * digits, `_`, `.`, `/` and `-` that reads back as that text, else double-quoted.
 */
function keyScalar(key: string): string {
  return /^[A-Za-z0-9_][A-Za-z0-9_./-]*$/.test(key) && scalar(key) === key
    ? key
    : doubleQuoted(key);
}

/** The entries of `approval.evidence` in its key order (they are sorted when bound). */
const evidenceEntries = (evidence: Record<string, string>): [string, string][] =>
  Object.entries(evidence);

function itemLines(approval: Approval, dashIndent: string): string[] {
  const keys = KEY_ORDER.filter((k) => approval[k] !== undefined);
  const inner = `${dashIndent}  `;
  return keys.flatMap((k, i) => {
    const lead = `${i === 0 ? `${dashIndent}- ` : inner}${k}:`;
    if (k !== 'evidence') return [`${lead} ${scalar(String(approval[k]))}`];
    const entries = evidenceEntries(approval.evidence!);
    // a nested block mapping, one file a line; none: an empty flow mapping
    if (entries.length === 0) return [`${lead} {}`];
    return [
      lead,
      ...entries.map(([path, digest]) => `${inner}  ${keyScalar(path)}: ${scalar(digest)}`),
    ];
  });
}

/** The approval as one flow mapping, `{ phase: build, ... }` (`padded`: spaces inside the braces). */
function flowItem(approval: Approval, padded: boolean): string {
  const keys = KEY_ORDER.filter((k) => approval[k] !== undefined);
  const inner = keys
    .map((k) => {
      if (k !== 'evidence') return `${k}: ${flowScalar(String(approval[k]))}`;
      const entries = evidenceEntries(approval.evidence!).map(
        ([path, digest]) => `${keyScalar(path)}: ${flowScalar(digest)}`,
      );
      return `${k}: {${entries.join(', ')}}`;
    })
    .join(', ');
  return padded ? `{ ${inner} }` : `{${inner}}`;
}

/**
 * The line break that ends the line at `offset`, else the last one before it, so added lines
 * match their neighbours: LF, CRLF, or a lone CR (a line break in YAML 1.2 too). `norm` is
 * `text` with lone CRs as LF: the same length, so offsets in one are offsets in the other.
 */
function lineBreakNear(text: string, norm: string, offset: number): string {
  let at = norm.indexOf('\n', offset);
  if (at < 0) at = norm.lastIndexOf('\n', offset);
  if (at < 0) return '\n';
  if (text[at] === '\r') return '\r';
  return at > 0 && text[at - 1] === '\r' ? '\r\n' : '\n';
}

/**
 * Appends `approval` to the manifest's `approvals` as a text edit, so every other byte of the
 * file (comments, folding, quoting, line breaks, blank lines) stays as it was. `doc` is
 * `parseForEdit(text)`. Returns undefined when the layout is one this edit does not handle.
 */
export function appendApprovalText(
  text: string,
  doc: Document,
  approval: Approval,
): string | undefined {
  if (!isMap(doc.contents)) return undefined;
  const norm = text.includes('\r') ? text.replace(/\r(?!\n)/g, '\n') : text;
  const pair = doc.contents.items.find((p) => isScalar(p.key) && p.key.value === 'approvals');
  if (!pair) {
    const eol = lineBreakNear(text, norm, text.length);
    const body = text.length === 0 || norm.endsWith('\n') ? text : `${text}${eol}`;
    return `${body}${eol}approvals:${eol}${itemLines(approval, '  ').join(eol)}${eol}`;
  }
  const value = pair.value as Node | null;
  const keyEnd = (pair.key as Node).range?.[1] ?? 0;
  if (value === null || (isScalar(value) && value.value === null)) {
    const eol = lineBreakNear(text, norm, keyEnd);
    const keyLineEnd = norm.indexOf('\n', keyEnd);
    const at = keyLineEnd < 0 ? text.length : keyLineEnd + 1;
    const prefix = keyLineEnd < 0 ? eol : '';
    return `${text.slice(0, at)}${prefix}${itemLines(approval, '  ').join(eol)}${eol}${text.slice(at)}`;
  }
  if (!isSeq(value) || !value.range) return undefined;
  if (value.flow) {
    if (value.items.length === 0) {
      // `approvals: []` becomes a block list holding the approval
      const [start, end] = value.range;
      const eol = lineBreakNear(text, norm, start);
      return `${text.slice(0, start).trimEnd()}${eol}${itemLines(approval, '  ').join(eol)}${text.slice(end)}`;
    }
    return insertIntoFlow(text, norm, value.items[value.items.length - 1], approval);
  }
  const first = value.items[0] as Node | undefined;
  const last = value.items[value.items.length - 1] as Node | undefined;
  if (!first?.range || !last?.range) return undefined;
  const firstLine = text.slice(norm.lastIndexOf('\n', first.range[0] - 1) + 1, first.range[0]);
  const dash = /^(\s*)-\s*$/.exec(firstLine);
  if (!dash) return undefined;
  let end = last.range[1];
  while (end > 0 && /\s/.test(text[end - 1]!)) end--;
  const eol = lineBreakNear(text, norm, end);
  const lineEnd = norm.indexOf('\n', end);
  const at = lineEnd < 0 ? text.length : lineEnd + 1;
  const prefix = lineEnd < 0 ? eol : '';
  return `${text.slice(0, at)}${prefix}${itemLines(approval, dash[1]!).join(eol)}${eol}${text.slice(at)}`;
}

/**
 * Inserts `approval` after `last`, the last item of a flow sequence (`[a, b]`), touching only
 * the sequence's text: on the same line (`[a, b, {...}]`), or, when each item ends its line,
 * on a line of its own indented as the last item (a comma after that item when it had none).
 */
function insertIntoFlow(
  text: string,
  norm: string,
  last: unknown,
  approval: Approval,
): string | undefined {
  const range = (last as Node | null)?.range;
  if (!range) return undefined;
  const [lastStart, lastEnd] = range;
  // the new item is spaced as the last one is, `{ a: 1 }` or `{a: 1}`
  const padded = text[lastStart] !== '{' || text[lastStart + 1] === ' ';
  const item = flowItem(approval, padded);
  let i = lastEnd;
  while (text[i] === ' ' || text[i] === '\t') i++;
  const comma = text[i] === ',';
  if (comma) i++;
  while (text[i] === ' ' || text[i] === '\t') i++;
  const endsLine = i >= text.length || norm[i] === '\n' || text[i] === '#';
  if (!endsLine) return `${text.slice(0, lastEnd)}, ${item}${text.slice(lastEnd)}`;
  const lineStart = norm.lastIndexOf('\n', lastStart - 1) + 1;
  const lead = text.slice(lineStart, lastStart);
  const indent = /^[ \t]*$/.test(lead) ? lead : ' '.repeat(lastStart - lineStart);
  const eol = lineBreakNear(text, norm, lastEnd);
  const lineEnd = norm.indexOf('\n', lastEnd);
  const at = lineEnd < 0 ? text.length : lineEnd + 1;
  const before = comma ? text.slice(0, at) : `${text.slice(0, lastEnd)},${text.slice(lastEnd, at)}`;
  return `${before}${lineEnd < 0 ? eol : ''}${indent}${item}${comma ? ',' : ''}${eol}${text.slice(at)}`;
}

/**
 * Appends an approval as a text edit that keeps every other byte of the file, when
 * `readsBack` accepts the result; undefined otherwise. The file is never re-serialised.
 */
export function appendApproval(
  text: string,
  doc: Document,
  approval: Approval,
  readsBack: (edited: string) => boolean,
): string | undefined {
  const edited = appendApprovalText(text, doc, approval);
  return edited !== undefined && readsBack(edited) ? edited : undefined;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/** Deep equality of plain data; `0` and `-0` are equal (the digest cannot tell them apart). */
export function sameData(a: unknown, b: unknown): boolean {
  if (a === b || Object.is(a, b)) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a)) {
    return Array.isArray(b) && a.length === b.length && a.every((item, i) => sameData(item, b[i]));
  }
  if (Array.isArray(b)) return false;
  const ka = Object.keys(a);
  const rb = b as Record<string, unknown>;
  return (
    ka.length === Object.keys(rb).length &&
    ka.every((k) => Object.hasOwn(rb, k) && sameData((a as Record<string, unknown>)[k], rb[k]))
  );
}
