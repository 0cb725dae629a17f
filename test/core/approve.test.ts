import { describe, expect, it } from 'vitest';
import { appendApproval } from '../../src/core/approve.js';
import { parseManifest } from '../../src/core/load.js';
import type { Approval } from '../../src/core/manifest.js';

const approval: Approval = {
  phase: 'build',
  role: 'decision_maker',
  by: 'cco',
  decision: 'conditional',
  date: '2026-11-27',
  conditions: 're-test: after launch',
  digest: 'sha256:abc',
};

function append(text: string): string {
  const parsed = parseManifest(text, 'm.yaml');
  return appendApproval(text, parsed.doc!, approval);
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
    const data = parseManifest(out, 'm.yaml').data as { approvals: Approval[]; waivers: unknown[] };
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
      const data = parseManifest(out, 'm.yaml').data as { approvals: Approval[] };
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
