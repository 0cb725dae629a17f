import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { migrateManifest } from '../../src/core/migrate.js';
import type { MigrateOutcome } from '../../src/core/migrate.js';
import { readManifest } from '../../src/core/manifest/reader.js';
import { describeFinding } from '../../src/report/messages/words.js';
import { validator } from '../helpers/validator.js';

const FILE = 'models/churn/mlops.yaml';
const CHURN = readFileSync(new URL('../../examples/churn/mlops.yaml', import.meta.url), 'utf8');
const read = (text: string): ReturnType<typeof readManifest> => readManifest(text, FILE, validator);

/** The churn example in the earlier shape: `classification: limited`. */
const LIMITED = CHURN.replace('    classification: minimal\n', '    classification: limited\n');

function migrate(text: string): Extract<MigrateOutcome, { kind: 'migrated' }> {
  const outcome = migrateManifest(text, read);
  expect(outcome.kind).toBe('migrated');
  return outcome as Extract<MigrateOutcome, { kind: 'migrated' }>;
}

/** The codes of the findings of a text. */
const codes = (text: string): string[] => read(text).findings.map((f) => f.code);

/**
 * The lines of `after` are those of `before`, line for line, except `changed` (line number in
 * `before` -> its new text) and `inserted` (lines added right after a line of `before`).
 */
function expectOnly(
  before: string,
  after: string,
  changed: Record<number, string>,
  inserted: Record<number, string[]>,
  eol = '\n',
): void {
  const want: string[] = [];
  before.split(eol).forEach((line, i) => {
    want.push(changed[i + 1] ?? line);
    want.push(...(inserted[i + 1] ?? []));
  });
  expect(after.split(eol)).toEqual(want);
}

const lineOf = (text: string, needle: string): number =>
  text.slice(0, text.indexOf(needle)).split('\n').length;

describe('migrate: classification limited', () => {
  it('block mapping: limited -> minimal and art50: true on the next line, every other line as it was', () => {
    expect(LIMITED).not.toBe(CHURN);
    const line = lineOf(LIMITED, 'classification: limited');
    const out = migrate(LIMITED);
    expect(out.changes).toEqual([{ kind: 'classification', line, art50Added: true }]);
    expectOnly(
      LIMITED,
      out.text,
      { [line]: '    classification: minimal' },
      { [line]: ['    art50: true'] },
    );
    const data = parse(out.text) as { metadata: { euAiAct: Record<string, unknown> } };
    expect(data.metadata.euAiAct).toMatchObject({ classification: 'minimal', art50: true });
    expect(codes(LIMITED)).toContain('EU_AI_ACT_EARLIER_SHAPE');
    expect(codes(out.text)).not.toContain('EU_AI_ACT_EARLIER_SHAPE');
  });

  it('flow mapping: art50 goes in the braces, the comment after them stays', () => {
    const text = LIMITED.replace(
      /^ {2}euAiAct:\n {4}classification: limited\n {4}basis: >-\n(?: {6}.*\n)+ {4}role: both\n/m,
      '  euAiAct: {classification: limited, role: both, basis: "Not in Annex III."} # reviewed\n',
    );
    expect(text).toContain('euAiAct: {classification: limited');
    const line = lineOf(text, 'euAiAct: {');
    const out = migrate(text);
    expectOnly(
      text,
      out.text,
      {
        [line]:
          '  euAiAct: {classification: minimal, art50: true, role: both, basis: "Not in Annex III."} # reviewed',
      },
      {},
    );
    expect(codes(out.text)).not.toContain('EU_AI_ACT_EARLIER_SHAPE');
  });

  it('keeps the quoting, and a comment on the line', () => {
    const text = LIMITED.replace('classification: limited', "classification: 'limited' # Art. 50");
    const line = lineOf(text, 'classification:');
    const out = migrate(text);
    expectOnly(
      text,
      out.text,
      { [line]: "    classification: 'minimal' # Art. 50" },
      { [line]: ['    art50: true'] },
    );
  });

  it('art50 already true: only the class changes', () => {
    const text = LIMITED.replace('    role: both\n', '    role: both\n    art50: true\n');
    const line = lineOf(text, 'classification:');
    const out = migrate(text);
    expect(out.changes).toEqual([{ kind: 'classification', line, art50Added: false }]);
    expectOnly(text, out.text, { [line]: '    classification: minimal' }, {});
  });

  it('art50: false contradicts limited: reported, and the file is left as it is', () => {
    const text = LIMITED.replace('    role: both\n', '    role: both\n    art50: false\n');
    const out = migrate(text);
    expect(out.text).toBe(text);
    expect(out.changes).toEqual([]);
    expect(out.notes).toEqual([
      expect.objectContaining({ kind: 'art50Contradiction', art50: 'false', blocking: true }),
    ]);
    // validate says the same and does not send the user to migrate
    const f = read(text).findings.find((x) => x.code === 'EU_AI_ACT_EARLIER_SHAPE')!;
    expect(f.args).toMatchObject({ migrate: false, art50: 'false' });
    expect(f.fix).toBeUndefined();
  });

  it('a form it does not edit (a block scalar) leaves the file unchanged and names the key', () => {
    const text = LIMITED.replace('classification: limited', 'classification: |-\n      limited');
    expect(
      (parse(text) as { metadata: { euAiAct: { classification: string } } }).metadata.euAiAct
        .classification,
    ).toBe('limited');
    const out = migrate(text);
    expect(out.text).toBe(text);
    expect(out.notes).toEqual([
      expect.objectContaining({
        kind: 'notEditable',
        path: ['metadata', 'euAiAct', 'classification'],
      }),
    ]);
  });

  it('CRLF stays CRLF and a byte-order mark stays', () => {
    const crlf = `\ufeff${LIMITED.replace(/\n/g, '\r\n')}`;
    const out = migrate(crlf);
    expect(out.text.startsWith('\ufeff')).toBe(true);
    expect(out.text.replace(/\r\n/g, '')).not.toMatch(/[\r\n]/);
    expect(out.text).toBe(`\ufeff${migrate(LIMITED).text.replace(/\n/g, '\r\n')}`);
  });

  it('a second run changes nothing', () => {
    const once = migrate(LIMITED).text;
    const twice = migrate(once);
    expect(twice.changes).toEqual([]);
    expect(twice.notes).toEqual([]);
    expect(twice.text).toBe(once);
  });

  it('a text that is not YAML is not migrated', () => {
    const out = migrateManifest(`${LIMITED}\n  - : [\n`, read);
    expect(out.kind).toBe('unreadable');
  });
});

describe('migrate: approvals without an id', () => {
  /** The churn example with the id of its first approval removed. */
  const NO_ID = CHURN.replace(
    '  - id: envision-cco-2026-11-30\n    phase: envision\n',
    '  - phase: envision\n',
  );

  it('adds the id mlops approve would write, on a line of its own; the digest is untouched', () => {
    expect(NO_ID).not.toBe(CHURN);
    expect(codes(NO_ID)).toContain('APPROVAL_EARLIER_SHAPE');
    const line = lineOf(NO_ID, '  - phase: envision');
    const out = migrate(NO_ID);
    expect(out.changes).toEqual([
      { kind: 'approvalId', line, index: 0, id: 'envision-cco-2026-11-30' },
    ]);
    expectOnly(NO_ID, out.text, {}, { [line]: ['    id: envision-cco-2026-11-30'] });
    const before = parse(NO_ID) as { approvals: Record<string, unknown>[] };
    const after = parse(out.text) as { approvals: Record<string, unknown>[] };
    expect(after.approvals[0]).toEqual({ ...before.approvals[0], id: 'envision-cco-2026-11-30' });
    expect(after.approvals.slice(1)).toEqual(before.approvals.slice(1));
    expect(codes(out.text)).not.toContain('APPROVAL_EARLIER_SHAPE');
    expect(migrate(out.text).changes).toEqual([]);
  });

  it('an id already taken gets -2, as mlops approve does', () => {
    const text = NO_ID.replace('id: envision-model-risk-2026-11-30', 'id: envision-cco-2026-11-30');
    const out = migrate(text);
    expect(out.changes).toEqual([
      expect.objectContaining({ kind: 'approvalId', id: 'envision-cco-2026-11-30-2' }),
    ]);
  });

  it('a flow mapping gets the id first inside its braces', () => {
    const text = NO_ID.replace(
      /^ {2}- phase: envision\n {4}role: decision_maker\n {4}by: cco\n {4}decision: approved\n {4}date: 2026-11-30\n {4}digest: (\S+)\n {4}evidence: \{\}\n {4}recordedBy: .*\n/m,
      '  - {phase: envision, role: decision_maker, by: cco, decision: approved, date: 2026-11-30, digest: "$1", evidence: {}}\n',
    );
    expect(text).toContain('  - {phase: envision');
    const line = lineOf(text, '  - {phase: envision');
    const out = migrate(text);
    const lines = out.text.split('\n');
    expect(lines[line - 1]).toBe(
      text.split('\n')[line - 1]!.replace('{phase:', '{id: envision-cco-2026-11-30, phase:'),
    );
    expect(codes(out.text)).not.toContain('APPROVAL_EARLIER_SHAPE');
  });

  it('an approval with a signature of its own is left: the id would break it', () => {
    const text = NO_ID.replace(
      '  - phase: envision\n',
      '  - phase: envision\n    signature: "-----BEGIN SSH SIGNATURE-----"\n',
    );
    const out = migrate(text);
    expect(out.text).toBe(text);
    expect(out.notes).toEqual([
      expect.objectContaining({ kind: 'approvalResign', index: 0, why: 'signature' }),
    ]);
    const f = read(text).findings.find((x) => x.code === 'APPROVAL_EARLIER_SHAPE')!;
    expect(f.args).toMatchObject({ migrate: false, signed: true });
  });

  it('a phase approval without evidence digests cannot be migrated: it must be signed again', () => {
    const text = NO_ID.replace(
      '  - phase: envision\n    role: decision_maker\n    by: cco\n    decision: approved\n    date: 2026-11-30\n    digest: sha256:6c54f34d88bd36d47b65550763856bb90796fa814585d42add45cdc7d397436c\n    evidence: {}\n',
      '  - phase: envision\n    role: decision_maker\n    by: cco\n    decision: approved\n    date: 2026-11-30\n    digest: sha256:6c54f34d88bd36d47b65550763856bb90796fa814585d42add45cdc7d397436c\n',
    );
    expect(text).not.toBe(NO_ID);
    const out = migrate(text);
    expect(out.text).toBe(text);
    expect(out.notes).toEqual([
      expect.objectContaining({ kind: 'approvalResign', index: 0, why: 'evidence', by: 'cco' }),
    ]);
  });
});

describe('migrate: waivers of the earlier contract', () => {
  const waiver = (rule: string, extra = ''): string =>
    `  - rule: ${rule}\n${extra}    reason: "Accepted until the next release."\n    owner: model-risk\n    expires: 2026-12-20\n`;

  it('adds the id validate suggests, a different one to each waiver of one rule', () => {
    const text = `${CHURN}waivers:\n${waiver('D2')}${waiver('D2')}`;
    const out = migrate(text);
    const first = lineOf(text, '  - rule: D2');
    const second = first + 4;
    expectOnly(
      text,
      out.text,
      {},
      { [first]: ['    id: waive-d2'], [second]: ['    id: waive-d2-2'] },
    );
    expect(codes(text).filter((c) => c === 'WAIVER_EARLIER_SHAPE')).toHaveLength(2);
    expect(codes(out.text)).not.toContain('WAIVER_EARLIER_SHAPE');
    expect(migrate(out.text).changes).toEqual([]);
  });

  it('adds the target when only one is possible, and leaves it to a person when several are', () => {
    // a waiver of D4 names a value metric: the example has more than one
    const several = `${CHURN}waivers:\n${waiver('D4', '    id: waive-d4\n')}`;
    const metrics = (parse(CHURN) as { envision: { valueMetrics: { id: string }[] } }).envision
      .valueMetrics;
    expect(metrics.length).toBeGreaterThan(1);
    const out = migrate(several);
    expect(out.text).toBe(several);
    expect(out.notes).toEqual([
      expect.objectContaining({
        kind: 'waiverTarget',
        index: 0,
        rule: 'D4',
        known: metrics.map((m) => m.id),
      }),
    ]);
    // with one value metric, the target is decided
    const one = [
      'apiVersion: mlops/v1',
      'kind: ModelManifest',
      'metadata:',
      '  name: tiny',
      'envision:',
      '  valueMetrics:',
      '    - id: savings',
      'waivers:',
      '  - id: waive-d4',
      '    rule: D4',
      '    reason: "Measured by hand until the pipeline lands."',
      '    owner: dm',
      '    expires: 2026-12-20',
      '',
    ].join('\n');
    const decided = migrate(one);
    expect(decided.changes).toEqual([
      { kind: 'waiver', line: 9, index: 0, rule: 'D4', target: 'savings' },
    ]);
    expectOnly(one, decided.text, {}, { 9: ['    target: savings'] });
    expect(codes(one)).toContain('WAIVER_EARLIER_SHAPE');
    expect(codes(decided.text)).not.toContain('WAIVER_EARLIER_SHAPE');
  });
});

describe('validate: the earlier shape and the tier', () => {
  const finding = (text: string, code: string) => read(text).findings.find((f) => f.code === code);

  it('limited is a warning at the key, whose hint is the migrate command for the manifest', () => {
    const f = finding(LIMITED, 'EU_AI_ACT_EARLIER_SHAPE')!;
    expect(f).toMatchObject({
      severity: 'warning',
      path: ['metadata', 'euAiAct', 'classification'],
      line: lineOf(LIMITED, 'classification: limited'),
      fix: { kind: 'command', argv: ['mlops', 'migrate', FILE] },
    });
    const { message, hint } = describeFinding(f, { invokedAs: 'npx mlops' });
    expect(message).toContain('minimal with the transparency duties of Art. 50');
    expect(hint).toContain(`\`npx mlops migrate ${FILE}\``);
    // the fingerprint does not depend on the path the manifest was named by
    const other = readManifest(LIMITED, 'elsewhere/mlops.yaml', validator).findings.find(
      (x) => x.code === 'EU_AI_ACT_EARLIER_SHAPE',
    )!;
    expect(other.fingerprint).toBe(f.fingerprint);
  });

  it('an approval without an id names migrate; one without evidence digests still says sign again', () => {
    const noId = CHURN.replace(
      '  - id: envision-cco-2026-11-30\n    phase: envision\n',
      '  - phase: envision\n',
    );
    const f = finding(noId, 'APPROVAL_EARLIER_SHAPE')!;
    expect(describeFinding(f, { invokedAs: 'mlops' }).hint).toMatch(
      new RegExp(`^add its id .*: \`mlops migrate ${FILE}\`, or sign it off again`),
    );
    const noEvidence = CHURN.replace(
      /(- id: build-cco-2026-11-30\n(?: {4}(?!evidence).*\n)*) {4}evidence:\n(?: {6}.*\n)+/,
      '$1',
    );
    const g = finding(noEvidence, 'APPROVAL_EARLIER_SHAPE')!;
    expect(g.args).toMatchObject({ noId: false, migrate: false });
    const hint = describeFinding(g, { invokedAs: 'mlops' }).hint!;
    expect(hint).toMatch(/^sign it off again and commit it: `mlops approve /);
    expect(hint).not.toContain('migrate');
  });

  it('a waiver without an id names migrate, with the edit as the other way', () => {
    const text = `${CHURN}waivers:\n  - rule: D2\n    reason: "Until the fix ships."\n    owner: model-risk\n    expires: 2026-12-20\n`;
    const f = finding(text, 'WAIVER_EARLIER_SHAPE')!;
    expect(describeFinding(f, { invokedAs: 'mlops' }).hint).toBe(
      `\`mlops migrate ${FILE}\` adds the id, or add to \`waivers[0]\`: \`{id: waive-d2}\`; then it needs an approval, whose command mlops check gives`,
    );
  });

  it('classification high with riskTier low or medium: a warning at the tier, fixed by setting it to high', () => {
    for (const tier of ['low', 'medium']) {
      const text = CHURN.replace('  riskTier: high\n', `  riskTier: ${tier}\n`).replace(
        '    classification: minimal\n',
        '    classification: high\n    legalBasis: {annex: III, point: "5(b)"}\n',
      );
      const f = finding(text, 'EU_TIER_BELOW_HIGH')!;
      expect(f).toMatchObject({
        severity: 'warning',
        path: ['metadata', 'riskTier'],
        line: lineOf(text, '  riskTier:'),
        fix: { kind: 'edit', op: 'set', path: ['metadata', 'riskTier'], value: 'high' },
      });
      expect(describeFinding(f).hint).toMatch(/^set `metadata\.riskTier` to `high`/);
      const fixed = text.replace(`  riskTier: ${tier}\n`, '  riskTier: high\n');
      expect(finding(fixed, 'EU_TIER_BELOW_HIGH')).toBeUndefined();
    }
    // limited is not high: no warning at a low tier
    const limitedLow = LIMITED.replace('  riskTier: high\n', '  riskTier: low\n');
    expect(finding(limitedLow, 'EU_TIER_BELOW_HIGH')).toBeUndefined();
  });
});
