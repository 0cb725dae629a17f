import { isMap, isScalar, isSeq, parseDocument, stringify } from 'yaml';
import type { Document, Node } from 'yaml';
import type { Approval } from './manifest.js';

const KEY_ORDER = ['phase', 'role', 'by', 'decision', 'date', 'conditions', 'digest'] as const;

function scalar(value: string): string {
  return stringify(value, { lineWidth: 0 }).trimEnd();
}

function itemLines(approval: Approval, dashIndent: string): string[] {
  const keys = KEY_ORDER.filter((k) => approval[k] !== undefined);
  const inner = `${dashIndent}  `;
  return keys.map(
    (k, i) => `${i === 0 ? `${dashIndent}- ` : inner}${k}: ${scalar(String(approval[k]))}`,
  );
}

function lineStart(text: string, offset: number): number {
  return text.lastIndexOf('\n', offset - 1) + 1;
}

/**
 * Appends `approval` to the manifest's `approvals` as a text edit, so every other byte of the
 * file (comments, folding, quoting, blank lines) stays as it was. `doc` is the parsed document
 * of `text`. Returns undefined when the layout is one this edit does not handle; the caller
 * then falls back to `appendApprovalToDocument`.
 */
export function appendApprovalText(
  text: string,
  doc: Document,
  approval: Approval,
): string | undefined {
  if (!isMap(doc.contents)) return undefined;
  const pair = doc.contents.items.find((p) => isScalar(p.key) && p.key.value === 'approvals');
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  if (!pair) {
    const body = text.length === 0 || text.endsWith('\n') ? text : `${text}${eol}`;
    return `${body}${eol}approvals:${eol}${itemLines(approval, '  ').join(eol)}${eol}`;
  }
  const value = pair.value as Node | null;
  const keyNode = pair.key as Node;
  if (value === null || (isScalar(value) && value.value === null)) {
    const keyLineEnd = text.indexOf('\n', keyNode.range?.[1] ?? 0);
    const at = keyLineEnd < 0 ? text.length : keyLineEnd + 1;
    const prefix = keyLineEnd < 0 ? eol : '';
    return `${text.slice(0, at)}${prefix}${itemLines(approval, '  ').join(eol)}${eol}${text.slice(at)}`;
  }
  if (!isSeq(value) || !value.range) return undefined;
  if (value.flow) {
    if (value.items.length > 0) return undefined;
    const [start, end] = value.range;
    return `${text.slice(0, start).trimEnd()}${eol}${itemLines(approval, '  ').join(eol)}${text.slice(end)}`;
  }
  const first = value.items[0] as Node | undefined;
  const last = value.items[value.items.length - 1] as Node | undefined;
  if (!first?.range || !last?.range) return undefined;
  const firstLine = text.slice(lineStart(text, first.range[0]), first.range[0]);
  const dash = /^(\s*)-\s*$/.exec(firstLine);
  if (!dash) return undefined;
  let end = last.range[1];
  while (end > 0 && /\s/.test(text[end - 1]!)) end--;
  const lineEnd = text.indexOf('\n', end);
  const at = lineEnd < 0 ? text.length : lineEnd + 1;
  const prefix = lineEnd < 0 ? eol : '';
  return `${text.slice(0, at)}${prefix}${itemLines(approval, dash[1]!).join(eol)}${eol}${text.slice(at)}`;
}

/** The same edit through the yaml Document; keeps comments, may re-flow long text. */
export function appendApprovalToDocument(doc: Document, approval: Approval): string {
  const node = doc.createNode(approval);
  const existing = doc.get('approvals', true);
  if (isSeq(existing)) {
    existing.flow = false;
    existing.items.push(node);
  } else {
    doc.set('approvals', doc.createNode([approval]));
  }
  return doc.toString();
}

/** Appends an approval keeping the file as it is elsewhere; checks that the result reads back. */
export function appendApproval(text: string, doc: Document, approval: Approval): string {
  const edited = appendApprovalText(text, doc, approval);
  if (edited !== undefined && readsBack(edited, approval)) return edited;
  return appendApprovalToDocument(doc, approval);
}

function readsBack(text: string, approval: Approval): boolean {
  const doc = parseDocument(text, { schema: 'core', uniqueKeys: true });
  if (doc.errors.length > 0) return false;
  const list = (doc.toJS() as { approvals?: unknown } | null)?.approvals;
  if (!Array.isArray(list)) return false;
  const last = list[list.length - 1] as Record<string, unknown> | undefined;
  return (
    JSON.stringify(last) ===
    JSON.stringify(
      Object.fromEntries(
        KEY_ORDER.filter((k) => approval[k] !== undefined).map((k) => [k, approval[k]]),
      ),
    )
  );
}
