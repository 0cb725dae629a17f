import { isMap, isScalar, isSeq, stringify } from 'yaml';
import type { Document, Node } from 'yaml';
import type { ApprovablePhase } from './approvals.js';
import { digestOf } from './digest.js';
import type { Finding } from './findings.js';
import type { Approval, Manifest, Stakeholder } from './manifest.js';
import type { ReadResult } from './manifest/reader.js';
import { parseYamlDocument } from './manifest/yaml-reader.js';

const KEY_ORDER = ['phase', 'role', 'by', 'decision', 'date', 'conditions', 'digest'] as const;

/** What approving needs of the reader's answer for a text. */
export type ManifestReading = Pick<ReadResult, 'data' | 'findings'>;

/** One sign-off as `mlops approve` is asked for it. */
export interface ApproveRequest {
  phase: ApprovablePhase;
  /** The stakeholder's id in `envision.stakeholders`. */
  by: string;
  decision: Approval['decision'];
  conditions?: string;
  /** YYYY-MM-DD. */
  date: string;
}

/** Why an approval was not written. The file is never changed when there is one. */
export type ApproveRefusal =
  /** The manifest has error findings; `findings` holds every finding of the reading. */
  | { kind: 'invalid'; findings: Finding[] }
  | { kind: 'unknown-stakeholder'; by: string; ids: string[] }
  | { kind: 'no-section'; phase: ApprovablePhase }
  /**
   * The YAML editor reads the text differently from the reader, or no edit of it reads back
   * as the same manifest plus the approval: writing would risk a digest that does not match.
   */
  | { kind: 'not-editable' };

export type ApproveOutcome =
  | { ok: true; text: string; approval: Approval; approver: Stakeholder }
  | { ok: false; refusal: ApproveRefusal };

/**
 * Signs `request.phase` of the manifest in `text`. `read` is the reader every command uses, so
 * the digest is the one `check` and `diff` compute from the same bytes, and a manifest is
 * refused exactly when `validate` reports an error for it. The approval is appended as a text
 * edit that keeps every other byte; the edit is accepted only when it reads back as the same
 * data plus the approval.
 */
export function approveManifest(
  text: string,
  read: (text: string) => ManifestReading,
  request: ApproveRequest,
): ApproveOutcome {
  const reading = read(text);
  if (reading.findings.some((f) => f.severity === 'error') || !isRecord(reading.data)) {
    return { ok: false, refusal: { kind: 'invalid', findings: reading.findings } };
  }
  const manifest = reading.data as unknown as Manifest;
  const stakeholders = Array.isArray(manifest.envision?.stakeholders)
    ? manifest.envision.stakeholders
    : [];
  const approver = stakeholders.find((s) => s.id === request.by);
  if (!approver) {
    return {
      ok: false,
      refusal: { kind: 'unknown-stakeholder', by: request.by, ids: stakeholders.map((s) => s.id) },
    };
  }
  const section = manifest[request.phase];
  if (section === undefined || section === null) {
    return { ok: false, refusal: { kind: 'no-section', phase: request.phase } };
  }
  const approval: Approval = {
    phase: request.phase,
    role: approver.role,
    by: approver.id,
    decision: request.decision,
    date: request.date,
    ...(request.conditions ? { conditions: request.conditions } : {}),
    digest: digestOf(section),
  };
  // The editor reads past a byte-order mark, so its offsets are those of the text without it.
  const bom = text.charCodeAt(0) === 0xfeff ? '\ufeff' : '';
  const body = text.slice(bom.length);
  const doc = parseForEdit(body);
  if (doc.errors.length > 0 || !sameData(doc.toJS(), reading.data)) {
    return { ok: false, refusal: { kind: 'not-editable' } };
  }
  const existing = Array.isArray(reading.data.approvals) ? reading.data.approvals : [];
  const expected = { ...reading.data, approvals: [...existing, approvalData(approval)] };
  const edited = appendApproval(body, doc, approval, (candidate) => {
    const back = read(bom + candidate);
    return !back.findings.some((f) => f.severity === 'error') && sameData(back.data, expected);
  });
  if (edited === undefined) return { ok: false, refusal: { kind: 'not-editable' } };
  return { ok: true, text: bom + edited, approval, approver };
}

/** The yaml Document that approvals are edited in, parsed exactly as the reader's yaml path. */
export function parseForEdit(text: string): Document {
  return parseYamlDocument(text);
}

function scalar(value: string): string {
  return stringify(value, { lineWidth: 0 }).trimEnd();
}

function approvalData(approval: Approval): Record<string, unknown> {
  return Object.fromEntries(
    KEY_ORDER.filter((k) => approval[k] !== undefined).map((k) => [k, approval[k]]),
  );
}

function itemLines(approval: Approval, dashIndent: string): string[] {
  const keys = KEY_ORDER.filter((k) => approval[k] !== undefined);
  const inner = `${dashIndent}  `;
  return keys.map(
    (k, i) => `${i === 0 ? `${dashIndent}- ` : inner}${k}: ${scalar(String(approval[k]))}`,
  );
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
 * `parseForEdit(text)`. Returns undefined when the layout is one this edit does not handle;
 * the caller then falls back to `appendApprovalToDocument`.
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
    if (value.items.length > 0) return undefined;
    const [start, end] = value.range;
    const eol = lineBreakNear(text, norm, start);
    return `${text.slice(0, start).trimEnd()}${eol}${itemLines(approval, '  ').join(eol)}${text.slice(end)}`;
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

/** The same edit through the yaml Document; keeps comments, may re-flow long text. */
export function appendApprovalToDocument(doc: Document, approval: Approval): string {
  const node = doc.createNode(approvalData(approval));
  const existing = doc.get('approvals', true);
  if (isSeq(existing)) {
    existing.flow = false;
    existing.items.push(node);
  } else {
    doc.set('approvals', doc.createNode([approvalData(approval)]));
  }
  return doc.toString();
}

/**
 * Appends an approval keeping the file as it is elsewhere: the text edit when `readsBack`
 * accepts it, else the Document edit when it does; undefined when neither reads back.
 * `doc` is changed by the fallback.
 */
export function appendApproval(
  text: string,
  doc: Document,
  approval: Approval,
  readsBack: (edited: string) => boolean,
): string | undefined {
  const edited = appendApprovalText(text, doc, approval);
  if (edited !== undefined && readsBack(edited)) return edited;
  const rewritten = appendApprovalToDocument(doc, approval);
  return readsBack(rewritten) ? rewritten : undefined;
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
