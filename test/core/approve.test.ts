import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import {
  appendApproval,
  approvalId,
  approveManifest,
  parseForEdit,
} from '../../src/core/approve.js';
import type { ApproveRequest } from '../../src/core/approve.js';
import type { EvidenceFile } from '../../src/core/check/evidence.js';
import { digestOf } from '../../src/core/digest.js';
import { evidenceDigest } from '../../src/core/evidence-digest.js';
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
      id: 'envision-head-sales-2026-07-01',
      phase: 'envision',
      role: 'decision_maker',
      by: 'head-sales',
      decision: 'approved',
      date: '2026-07-01',
      digest: digestOf(before.envision),
      // the phase names no evidence file: it binds none, and says so
      evidence: {},
    });
    expect(outcome.text.startsWith(withTicket)).toBe(true);
    const after = read(outcome.text);
    // no finding of its own: those of the fixture's earlier-shape approval, as before
    expect(after.findings).toEqual(read(withTicket).findings);
    expect(after.findings.every((f) => f.path[1] === 0)).toBe(true);
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

describe('appendApproval with the fields that bind', () => {
  const bound: Approval = {
    id: 'build-cco-2026-11-27',
    phase: 'build',
    role: 'decision_maker',
    by: 'cco',
    decision: 'approved',
    date: '2026-11-27',
    digest: 'sha256:abc',
    evidence: {
      'reports/metrics.json': 'sha256:111',
      'docs/model card #1.md': 'sha256:222',
      '../shared/true': 'sha256:333',
    },
    recordedBy: 'Ann Example <ann@example.com>',
    signature: '-----BEGIN SSH SIGNATURE-----\nU1NI\n-----END SSH SIGNATURE-----',
  };
  const appendBound = (text: string): string => {
    const out = appendApproval(text, parseForEdit(text), bound, (edited) => {
      const list = (parse(edited) as { approvals?: unknown[] }).approvals;
      return JSON.stringify(list?.at(-1)) === JSON.stringify(bound);
    });
    if (out === undefined) throw new Error('no edit reads back');
    return out;
  };

  it('writes evidence as a nested block mapping, quoting paths YAML would misread, and the signature on one line', () => {
    const out = appendBound(HEAD);
    expect(out.slice(HEAD.length)).toBe(
      [
        '',
        'approvals:',
        '  - id: build-cco-2026-11-27',
        '    phase: build',
        '    role: decision_maker',
        '    by: cco',
        '    decision: approved',
        '    date: 2026-11-27',
        '    digest: sha256:abc',
        '    evidence:',
        '      reports/metrics.json: sha256:111',
        '      "docs/model card #1.md": sha256:222',
        '      "../shared/true": sha256:333',
        '    recordedBy: Ann Example <ann@example.com>',
        '    signature: "-----BEGIN SSH SIGNATURE-----\\nU1NI\\n-----END SSH SIGNATURE-----"',
        '',
      ].join('\n'),
    );
    expect((parse(out) as { approvals: Approval[] }).approvals[0]).toEqual(bound);
  });

  it('inside a flow list, evidence is a flow mapping; CRLF files get CRLF lines', () => {
    const flow = `${HEAD}approvals: [{ phase: envision, role: decision_maker, by: cco, decision: approved, date: 2026-01-01 }]\n`;
    const out = appendBound(flow);
    expect(out).toContain(
      'evidence: {reports/metrics.json: sha256:111, "docs/model card #1.md": sha256:222, "../shared/true": sha256:333}',
    );
    expect((parse(out) as { approvals: Approval[] }).approvals).toHaveLength(2);
    const crlf =
      `${HEAD}approvals:\n  - phase: envision\n    role: decision_maker\n    by: cco\n    decision: approved\n    date: 2026-01-01\n`.replace(
        /\n/g,
        '\r\n',
      );
    const added = appendBound(crlf).slice(crlf.length);
    expect(added).toContain('    evidence:\r\n      reports/metrics.json: sha256:111\r\n');
    expect(added).not.toMatch(/[^\r]\n/);
  });
});

const COMPLETE = readFileSync(
  new URL('../fixtures/check-complete/mlops.yaml', import.meta.url),
  'utf8',
);
const metricsText = '{"roc_auc": 0.78}\n';
/** The working tree as io reads it: every file there, the model card missing. */
const tree = (p: string): EvidenceFile =>
  p === 'model/docs/model-card.md'
    ? { kind: 'missing' }
    : p.endsWith('.json')
      ? { kind: 'file', text: metricsText, sha256: 'ab'.repeat(32) }
      : { kind: 'file', sha256: 'cd'.repeat(32) };

describe('approveManifest binds evidence and refuses what it must', () => {
  const build: ApproveRequest = {
    phase: 'build',
    by: 'head-sales',
    decision: 'approved',
    date: '2026-11-20',
    today: '2026-11-30',
    manifestPath: 'model/mlops.yaml',
  };

  it("records the digest of each file the phase's rules read, keyed by its path from the manifest's folder", () => {
    const all = (p: string): EvidenceFile =>
      p.endsWith('.json')
        ? { kind: 'file', text: metricsText, sha256: 'ab'.repeat(32) }
        : { kind: 'file', sha256: 'cd'.repeat(32) };
    const outcome = approveManifest(COMPLETE, read, build, {
      files: all,
      recordedBy: 'Ann <ann@example.com>',
    });
    if (!outcome.ok) throw new Error(`refused: ${outcome.refusal.kind}`);
    expect(outcome.approval.evidence).toEqual({
      'docs/datasheet.md': `sha256:${'cd'.repeat(32)}`,
      'docs/model-card.md': `sha256:${'cd'.repeat(32)}`,
      // data by its parsed content, not its bytes
      'reports/metrics.json': evidenceDigest('x.json', { text: '{ "roc_auc" : 0.78 }' }),
    });
    expect(outcome.approval.recordedBy).toBe('Ann <ann@example.com>');
    const before = read(COMPLETE).data as Manifest;
    expect(read(outcome.text).data).toEqual({
      ...before,
      approvals: [...before.approvals!, outcome.approval],
    });
  });

  it('binds a missing file as missing, and says so', () => {
    const out = approveManifest(COMPLETE, read, build, { files: tree });
    expect(out.ok).toBe(true);
    if (!out.ok) return;
    expect(Object.keys(out.approval.evidence ?? {})).not.toContain('docs/model-card.md');
    expect(Object.keys(out.approval.evidence ?? {}).length).toBeGreaterThan(0);
  });

  it('refuses a bound file it cannot read, naming it and where the manifest names it', () => {
    const unreadable = (p: string) =>
      p.endsWith('model-card.md') ? ({ kind: 'unreadable', reason: 'EACCES' } as const) : tree(p);
    expect(approveManifest(COMPLETE, read, build, { files: unreadable })).toEqual({
      ok: false,
      refusal: {
        kind: 'evidence',
        phase: 'build',
        problems: [
          {
            key: 'docs/model-card.md',
            repoPath: 'model/docs/model-card.md',
            at: ['build', 'modelCard'],
            file: { kind: 'unreadable', reason: 'EACCES' },
          },
        ],
      },
    });
  });

  it('refuses a date after today, conditional without conditions, and conditions otherwise', () => {
    expect(approveManifest(COMPLETE, read, { ...build, date: '2026-12-01' })).toEqual({
      ok: false,
      refusal: { kind: 'future-date', date: '2026-12-01', today: '2026-11-30' },
    });
    expect(approveManifest(COMPLETE, read, { ...build, decision: 'conditional' })).toEqual({
      ok: false,
      refusal: { kind: 'conditions-missing' },
    });
    expect(approveManifest(COMPLETE, read, { ...build, conditions: 'after launch' })).toEqual({
      ok: false,
      refusal: { kind: 'conditions-unexpected', decision: 'approved' },
    });
  });

  it('ids: <subject>-<by>-<date>, then -2, -3; a chosen id that is taken is refused', () => {
    expect(approvalId('build-cco-2026-11-20', new Set())).toBe('build-cco-2026-11-20');
    expect(
      approvalId(
        'build-cco-2026-11-20',
        new Set(['build-cco-2026-11-20', 'build-cco-2026-11-20-2']),
      ),
    ).toBe('build-cco-2026-11-20-3');
    const envision: ApproveRequest = { ...build, phase: 'envision' };
    const first = approveManifest(COMPLETE, read, envision);
    if (!first.ok) throw new Error(`refused: ${first.refusal.kind}`);
    expect(first.approval.id).toBe('envision-head-sales-2026-11-20');
    const second = approveManifest(first.text, read, envision);
    if (!second.ok) throw new Error(`refused: ${second.refusal.kind}`);
    expect(second.approval.id).toBe('envision-head-sales-2026-11-20-2');
    expect(approveManifest(second.text, read, { ...envision, id: first.approval.id! })).toEqual({
      ok: false,
      refusal: {
        kind: 'id-taken',
        id: 'envision-head-sales-2026-11-20',
        free: 'envision-head-sales-2026-11-20-3',
      },
    });
  });

  it('approves a waiver by its id, with the digest of the waiver item and no evidence, by the roles its tier names', () => {
    const waiver = {
      id: 'b3-auc',
      rule: 'B3',
      target: 'auc',
      reason: 'retrain in Q1',
      owner: 'ds',
      expires: '2026-12-31',
    };
    const text = COMPLETE.replace(
      '\napprovals:',
      '\nwaivers:\n  - { rule: B4, reason: old, owner: ds, expires: 2026-12-31 }\n  - { id: b3-auc, rule: B3, target: auc, reason: retrain in Q1, owner: ds, expires: 2026-12-31 }\napprovals:',
    );
    const request: ApproveRequest = { ...build, phase: undefined, waiver: 'b3-auc' };
    const outcome = approveManifest(text, read, request);
    if (!outcome.ok) throw new Error(`refused: ${outcome.refusal.kind}`);
    expect(outcome.approval).toEqual({
      id: 'b3-auc-head-sales-2026-11-20',
      waiver: 'b3-auc',
      role: 'decision_maker',
      by: 'head-sales',
      decision: 'approved',
      date: '2026-11-20',
      digest: digestOf(waiver),
    });
    expect(approveManifest(text, read, { ...request, by: 'ds' })).toEqual({
      ok: false,
      refusal: {
        kind: 'waiver-role',
        waiver: 'b3-auc',
        role: 'data_science',
        tier: 'medium',
        roles: ['decision_maker'],
        stakeholders: ['head-sales'],
      },
    });
    expect(approveManifest(text, read, { ...request, waiver: 'b4' })).toEqual({
      ok: false,
      refusal: {
        kind: 'unknown-waiver',
        id: 'b4',
        ids: ['b3-auc'],
        withoutId: [{ index: 0, rule: 'B4' }],
      },
    });
    // at tier high, the second line approves a waiver, and the decision maker may not
    const high = text.replace('riskTier: medium', 'riskTier: high');
    expect(approveManifest(high, read, request)).toMatchObject({
      ok: false,
      refusal: { kind: 'waiver-role', roles: ['risk_2nd_line'], stakeholders: ['risk'] },
    });
    expect(approveManifest(high, read, { ...request, by: 'risk' }).ok).toBe(true);
  });
});
