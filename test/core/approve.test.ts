import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { appendApproval, approveManifest, parseForEdit } from '../../src/core/approve.js';
import type { ApproveRequest } from '../../src/core/approve.js';
import { digestOf } from '../../src/core/digest.js';
import type { Approval, Manifest } from '../../src/core/manifest.js';
import { readManifest } from '../../src/core/manifest/reader.js';
import type { ReadResult } from '../../src/core/manifest/reader.js';
import { validator } from '../helpers/validator.js';

const approval: Approval = {
  phase: 'build',
  role: 'decision_maker',
  by: 'cco',
  decision: 'conditional',
  date: '2026-11-27',
  conditions: 're-test: after launch',
  digest: 'sha256:abc',
};

/** These texts are fragments, not manifests: reading back means the YAML ends with `approval`. */
function append(text: string): string {
  const out = appendApproval(text, parseForEdit(text), approval, (edited) => {
    const list = (parse(edited) as { approvals?: unknown[] }).approvals;
    return JSON.stringify(list?.at(-1)) === JSON.stringify(approval);
  });
  if (out === undefined) throw new Error('no edit reads back');
  return out;
}

const HEAD = `apiVersion: mlops/v1   # keep me
kind: ModelManifest
envision:
  hypothesis: >-
    A long folded hypothesis that a re-serialiser would happily re-flow at eighty columns, which must not happen here.
  valueMetrics:
    - { id: x, baseline: { value: 1.0 } }   # flow style stays
`;

describe('appendApproval', () => {
  it('adds an approvals list at the end and changes no other byte', () => {
    const out = append(HEAD);
    expect(out.startsWith(HEAD)).toBe(true);
    expect(out.slice(HEAD.length)).toBe(
      '\napprovals:\n  - phase: build\n    role: decision_maker\n    by: cco\n    decision: conditional\n    date: 2026-11-27\n    conditions: "re-test: after launch"\n    digest: sha256:abc\n',
    );
  });

  it('appends after the last existing approval, in its indentation, before what follows', () => {
    const text = `${HEAD}approvals:
    - phase: envision   # first
      role: decision_maker
      by: cco
      decision: approved
      date: 2026-01-01

# trailing comment
waivers: []
`;
    const out = append(text);
    const data = parse(out) as { approvals: Approval[]; waivers: unknown[] };
    expect(data.approvals).toHaveLength(2);
    expect(data.approvals[1]).toEqual(approval);
    expect(
      out.replace(
        /      date: 2026-01-01\n(    - phase: build\n(?: {6}.*\n)+)/,
        '      date: 2026-01-01\n',
      ),
    ).toBe(text);
    expect(out).toContain(
      '      date: 2026-01-01\n    - phase: build\n      role: decision_maker\n',
    );
  });

  it('fills an empty flow list and a key without a value', () => {
    for (const text of [`${HEAD}approvals: []\n`, `${HEAD}approvals:\nwaivers: []\n`]) {
      const out = append(text);
      const data = parse(out) as { approvals: Approval[] };
      expect(data.approvals).toEqual([approval]);
      expect(out.startsWith(HEAD)).toBe(true);
    }
  });

  it('keeps CRLF line endings', () => {
    const text = HEAD.replace(/\n/g, '\r\n');
    const out = append(text);
    expect(out.startsWith(text)).toBe(true);
    expect(out.slice(text.length)).not.toMatch(/[^\r]\n/);
  });
});

const BASE = readFileSync(new URL('../fixtures/malformed/base.yaml', import.meta.url), 'utf8');
const read = (text: string): ReadResult => readManifest(text, 'mlops.yaml', validator);
const request: ApproveRequest = {
  phase: 'envision',
  by: 'head-sales',
  decision: 'approved',
  date: '2026-07-01',
};
const withTicket = BASE.replace('envision:\n', 'envision:\n  x-ticket: -0x1F\n');

describe('approveManifest', () => {
  it('signs the section as the reader reads it, and the edit reads back as the same data plus the approval', () => {
    const outcome = approveManifest(withTicket, read, request);
    if (!outcome.ok) throw new Error(`refused: ${outcome.refusal.kind}`);
    const before = read(withTicket).data as Manifest;
    expect(outcome.approval).toEqual({
      phase: 'envision',
      role: 'decision_maker',
      by: 'head-sales',
      decision: 'approved',
      date: '2026-07-01',
      digest: digestOf(before.envision),
    });
    expect(outcome.text.startsWith(withTicket)).toBe(true);
    const after = read(outcome.text);
    expect(after.findings).toEqual([]);
    expect(after.data).toEqual({
      ...before,
      approvals: [...before.approvals!, outcome.approval],
    });
  });

  it('refuses a manifest with an error finding, consistency included, with every finding of the reading', () => {
    const text = BASE.replace('{ id: auc, metric: roc_auc', '{ id: parity, metric: roc_auc');
    const outcome = approveManifest(text, read, request);
    expect(outcome).toEqual({
      ok: false,
      refusal: { kind: 'invalid', findings: read(text).findings },
    });
    if (outcome.ok || outcome.refusal.kind !== 'invalid') return;
    expect(outcome.refusal.findings.map((f) => f.code)).toContain('DUPLICATE_ID');
  });

  it('refuses an unknown stakeholder, naming the known ones, and a missing section', () => {
    expect(approveManifest(BASE, read, { ...request, by: 'head-sale' })).toEqual({
      ok: false,
      refusal: { kind: 'unknown-stakeholder', by: 'head-sale', ids: ['head-sales', 'ds'] },
    });
    expect(approveManifest(BASE, read, { ...request, phase: 'build' })).toEqual({
      ok: false,
      refusal: { kind: 'no-section', phase: 'build' },
    });
  });

  it('refuses rather than write a digest of data the YAML editor reads differently', () => {
    // a reader that took -0x1F for the number -31, as a second parser once did
    const diverging = (text: string): ReadResult => {
      const r = read(text);
      const data = structuredClone(r.data) as { envision: Record<string, unknown> };
      if (data.envision['x-ticket'] === '-0x1F') data.envision['x-ticket'] = -31;
      return { ...r, data };
    };
    expect(approveManifest(withTicket, diverging, request)).toEqual({
      ok: false,
      refusal: { kind: 'not-editable' },
    });
  });

  it('keeps a byte-order mark and CRLF line endings', () => {
    const text = `\ufeff${BASE.replace(/\n/g, '\r\n')}`;
    const outcome = approveManifest(text, read, request);
    if (!outcome.ok) throw new Error(`refused: ${outcome.refusal.kind}`);
    expect(outcome.text.startsWith(text)).toBe(true);
    expect(outcome.text.slice(text.length)).not.toMatch(/[^\r]\n/);
  });

  it('writes the line breaks of the lines it follows: lone CRs, or LF after a CRLF header', () => {
    const crOnly = BASE.replace(/^#.*\n/, '').replace(/\n/g, '\r');
    const mixed = BASE.replace(/\n(?=apiVersion|kind)/g, '\r\n');
    for (const [text, added] of [
      [crOnly, /^(?:[^\n]*\r)+$/],
      [mixed, /^(?:[^\r]*\n)+$/],
    ] as const) {
      const outcome = approveManifest(text, read, request);
      if (!outcome.ok) throw new Error(`refused: ${outcome.refusal.kind}`);
      expect(outcome.text.startsWith(text)).toBe(true);
      expect(outcome.text.slice(text.length)).toMatch(added);
      expect((read(outcome.text).data as Manifest).approvals).toHaveLength(2);
    }
  });
});
