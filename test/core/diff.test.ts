import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { diffManifestPair, diffManifests, diffManifestSets } from '../../src/core/diff.js';
import type { Change, DiffFinding, ManifestSide } from '../../src/core/diff.js';
import { digestOf } from '../../src/core/digest.js';
import { readManifest } from '../../src/core/manifest/reader.js';
import { describeChange, describeDiffFinding } from '../../src/report/diff.js';
import { validator } from '../helpers/validator.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Doc = any;

const BASE_YAML = readFileSync(
  new URL('../fixtures/diff-base/mlops.yaml', import.meta.url),
  'utf8',
);

function baseManifest(): Doc {
  const read = readManifest(BASE_YAML, 'mlops.yaml', validator);
  expect(read.findings).toEqual([]);
  return read.data;
}

/** A manifest's text as the reader reads it: what `mlops diff` compares. */
const readSide = (file: string, text: string): ManifestSide => ({
  file,
  ...readManifest(text, file, validator),
});

/** What a reviewer reads of a change or a diff finding, with the model's name. */
const said = (i: Change | DiffFinding): string =>
  'class' in i ? describeChange(i).message : `${i.model}: ${describeDiffFinding(i).text}`;

/** Code, severity and words of diff findings. */
const worded = (findings: DiffFinding[]) =>
  findings.map((f) => ({ code: f.code, severity: f.severity, message: said(f) }));

/** The changes from the base manifest to a copy changed by `edit`. */
function diff(edit: (m: Doc) => void): Change[] {
  const before = baseManifest();
  const after = structuredClone(before);
  edit(after);
  return diffManifests(before, after, { file: 'models/churn/mlops.yaml' });
}

/** class, severity and description of each change: what a reviewer reads. */
const summary = (changes: Change[]): [string, string, string][] =>
  changes.map((c) => [c.class, c.severity, describeChange(c).description]);

const guardrail = (m: Doc, dim: string, id: string): Doc =>
  m.envision.trustworthyAI[dim].guardrails.find((g: Doc) => g.id === id);

describe('guardrail bounds', () => {
  it('lowering a min loosens (error); raising it tightens (info)', () => {
    expect(
      summary(diff((m) => (guardrail(m, 'fairImpartial', 'disparate-impact').min = 0.7))),
    ).toEqual([
      ['loosened', 'error', 'guardrail `disparate-impact` (fairImpartial): min 0.8 → 0.7'],
    ]);
    expect(
      summary(diff((m) => (guardrail(m, 'fairImpartial', 'disparate-impact').min = 0.85))),
    ).toEqual([
      ['tightened', 'info', 'guardrail `disparate-impact` (fairImpartial): min 0.8 → 0.85'],
    ]);
  });

  it('raising a max loosens; lowering it tightens', () => {
    expect(summary(diff((m) => (guardrail(m, 'safeSecure', 'contact-cap').max = 3)))).toEqual([
      ['loosened', 'error', 'guardrail `contact-cap` (safeSecure): max 2 → 3'],
    ]);
    expect(summary(diff((m) => (guardrail(m, 'safeSecure', 'contact-cap').max = 1)))).toEqual([
      ['tightened', 'info', 'guardrail `contact-cap` (safeSecure): max 2 → 1'],
    ]);
  });

  it('dropping a bound loosens; adding one tightens', () => {
    expect(
      summary(diff((m) => delete guardrail(m, 'fairImpartial', 'disparate-impact').max)),
    ).toEqual([
      ['loosened', 'error', 'guardrail `disparate-impact` (fairImpartial): max removed (was 1.25)'],
    ]);
    expect(summary(diff((m) => (guardrail(m, 'robustReliable', 'auc-floor').max = 0.99)))).toEqual([
      ['tightened', 'info', 'guardrail `auc-floor` (robustReliable): max set to 0.99'],
    ]);
  });

  it('a guardrail that stops being checked in a phase loosens', () => {
    expect(
      summary(diff((m) => (guardrail(m, 'fairImpartial', 'parity').phases = ['build']))),
    ).toEqual([
      [
        'loosened',
        'error',
        'guardrail `parity` (fairImpartial): phases set to [build], no longer checked in monitor',
      ],
    ]);
    expect(
      summary(
        diff(
          (m) => (guardrail(m, 'fairImpartial', 'disparate-impact').phases = ['build', 'monitor']),
        ),
      ),
    ).toEqual([
      [
        'tightened',
        'info',
        'guardrail `disparate-impact` (fairImpartial): phases [build] → [build, monitor], now also checked in monitor',
      ],
    ]);
    // absent means both phases: writing both out is no change
    expect(
      diff((m) => (guardrail(m, 'fairImpartial', 'parity').phases = ['monitor', 'build'])),
    ).toEqual([]);
  });

  it('removing a guardrail loosens; adding one tightens', () => {
    expect(summary(diff((m) => m.envision.trustworthyAI.safeSecure.guardrails.pop()))).toEqual([
      ['loosened', 'error', 'guardrail `contact-cap` (safeSecure) removed: max_contacts_30d max 2'],
    ]);
    expect(
      summary(
        diff((m) =>
          m.envision.trustworthyAI.safeSecure.guardrails.push({
            id: 'rate-limit',
            metric: 'requests_per_s',
            max: 50,
          }),
        ),
      ),
    ).toEqual([
      ['tightened', 'info', 'guardrail `rate-limit` (safeSecure) added: requests_per_s max 50'],
    ]);
  });

  it('a guardrail moved to another dimension is one change, matched by id, not a removal and an addition', () => {
    const changes = diff((m) => {
      const g = m.envision.trustworthyAI.fairImpartial.guardrails.pop();
      m.envision.trustworthyAI.privacy.guardrails.unshift(g);
    });
    expect(summary(changes)).toEqual([
      ['changed', 'info', 'guardrail `parity` moved from fairImpartial to privacy'],
    ]);
    expect(changes[0]!.idPath).toEqual([
      'envision',
      'trustworthyAI',
      'privacy',
      'guardrails',
      'parity',
      'dimension',
    ]);
  });
});

describe('dimensions, rigor and risk tier', () => {
  it('excluding a dimension loosens; including it again tightens', () => {
    expect(
      summary(diff((m) => (m.envision.trustworthyAI.responsibleAccountable.excluded = true))),
    ).toEqual([
      [
        'loosened',
        'error',
        'Trustworthy AI dimension `responsibleAccountable`: excluded false → true: an excluded dimension is no longer judged at all',
      ],
    ]);
    const before = baseManifest();
    before.envision.trustworthyAI.responsibleAccountable.excluded = true;
    const after = structuredClone(before);
    delete after.envision.trustworthyAI.responsibleAccountable.excluded;
    expect(summary(diffManifests(before, after))).toEqual([
      [
        'tightened',
        'info',
        'Trustworthy AI dimension `responsibleAccountable`: excluded removed (was true)',
      ],
    ]);
  });

  it('removing a dimension loosens, with its guardrails', () => {
    expect(summary(diff((m) => delete m.envision.trustworthyAI.privacy))).toEqual([
      [
        'loosened',
        'error',
        'Trustworthy AI dimension `privacy` removed; the dimension and its rigor are no longer judged',
      ],
      [
        'loosened',
        'error',
        'guardrail `no-special-category` (privacy) removed: special_category_feature_count max 0',
      ],
    ]);
  });

  it('lowering rigor loosens (dialUp > standard > dialDown); raising it tightens', () => {
    expect(summary(diff((m) => (m.envision.trustworthyAI.privacy.rigor = 'dialDown')))).toEqual([
      [
        'loosened',
        'error',
        'Trustworthy AI dimension `privacy`: rigor dialUp → dialDown: lower rigor asks for fewer guardrails and less evidence in this dimension',
      ],
    ]);
    expect(summary(diff((m) => (m.envision.trustworthyAI.safeSecure.rigor = 'dialUp')))).toEqual([
      ['tightened', 'info', 'Trustworthy AI dimension `safeSecure`: rigor standard → dialUp'],
    ]);
  });

  it('lowering the risk tier loosens; raising it tightens', () => {
    expect(summary(diff((m) => (m.metadata.riskTier = 'low')))).toEqual([
      [
        'loosened',
        'error',
        'metadata: risk tier medium → low: a lower risk tier asks for fewer sign-offs and less evidence at every gate',
      ],
    ]);
    expect(summary(diff((m) => (m.metadata.riskTier = 'critical')))).toEqual([
      ['tightened', 'info', 'metadata: risk tier medium → critical'],
    ]);
  });

  it('weakening human oversight loosens', () => {
    expect(summary(diff((m) => (m.deploy.integration.humanOversight.mode = 'none')))).toEqual([
      [
        'loosened',
        'error',
        'deploy: integration human oversight mode in_loop → none: less human oversight (none < on the loop < in the loop) catches fewer bad decisions (Art. 14)',
      ],
    ]);
  });
});

describe('drift', () => {
  it('raising a drift max loosens; lowering it tightens; removing a check loosens', () => {
    expect(summary(diff((m) => (m.monitor.drift[0].max = 0.3)))).toEqual([
      ['loosened', 'error', 'drift check `feature-drift`: max 0.25 → 0.3'],
    ]);
    expect(summary(diff((m) => (m.monitor.drift[0].max = 0.2)))).toEqual([
      ['tightened', 'info', 'drift check `feature-drift`: max 0.25 → 0.2'],
    ]);
    expect(summary(diff((m) => m.monitor.drift.pop()))).toEqual([
      ['loosened', 'error', 'drift check `feature-drift` removed: psi max 0.25'],
    ]);
  });
});

describe('value metrics', () => {
  it('a target moved toward the baseline loosens, in words', () => {
    const changes = diff((m) => (m.envision.valueMetrics[0].target.value = 4.0));
    expect(summary(changes)).toEqual([
      ['loosened', 'error', 'value metric `churn-rate`: target 3.5 → 4, toward the baseline 4.2'],
    ]);
    expect(changes[0]).toMatchObject({
      code: 'CHANGE_LOOSENED',
      model: 'churn-model',
      idPath: ['envision', 'valueMetrics', 'churn-rate', 'target', 'value'],
      path: ['envision', 'valueMetrics', 0, 'target', 'value'],
      old: 3.5,
      new: 4,
    });
    expect(describeChange(changes[0]!)).toMatchObject({
      field: 'value metric `churn-rate`: target',
      message: 'churn-model: value metric `churn-rate`: target 3.5 → 4, toward the baseline 4.2',
    });
  });

  it('a target moved away from the baseline tightens, whichever the direction', () => {
    expect(summary(diff((m) => (m.envision.valueMetrics[0].target.value = 3.0)))).toEqual([
      [
        'tightened',
        'info',
        'value metric `churn-rate`: target 3.5 → 3, away from the baseline 4.2',
      ],
    ]);
    expect(summary(diff((m) => (m.envision.valueMetrics[1].target.value = 500)))).toEqual([
      ['loosened', 'error', 'value metric `revenue`: target 600 → 500, toward the baseline 400'],
    ]);
  });

  it('a minimum acceptable moved the worse way loosens', () => {
    expect(summary(diff((m) => (m.envision.valueMetrics[0].minimumAcceptable = 4.1)))).toEqual([
      [
        'loosened',
        'error',
        'value metric `churn-rate`: minimum acceptable 4 → 4.1: the floor below which the hypothesis fails moved toward the baseline (or was dropped): a smaller improvement now passes',
      ],
    ]);
  });

  it('removing a value metric is breaking; adding one is an added item', () => {
    expect(summary(diff((m) => m.envision.valueMetrics.pop()))).toEqual([
      ['breaking', 'error', 'value metric `revenue` removed: target 600 from the baseline 400'],
    ]);
    expect(
      summary(
        diff((m) =>
          m.envision.valueMetrics.push({
            id: 'nps',
            name: 'NPS',
            direction: 'increase',
            baseline: { value: 20 },
            target: { value: 30 },
          }),
        ),
      ),
    ).toEqual([['added', 'info', 'value metric `nps` added: target 30 from the baseline 20']]);
  });
});

describe('identity, other edits and list items', () => {
  it('a changed metadata.name or apiVersion is breaking', () => {
    expect(summary(diff((m) => (m.metadata.name = 'churn-model-v2')))).toEqual([
      ['breaking', 'error', 'metadata: name churn-model → churn-model-v2'],
    ]);
    expect(summary(diff((m) => (m.apiVersion = 'mlops/v2')))).toEqual([
      ['breaking', 'error', 'apiVersion mlops/v1 → mlops/v2'],
    ]);
  });

  it('other edits are changed (info); other list items added are info, removed are warn', () => {
    expect(
      summary(
        diff((m) => {
          m.envision.hypothesis =
            'If we rank customers by churn risk and call the top decile, then churn falls, measured by churn-rate.';
          m.deploy.integration.rollback = 'flip the feature flag';
          m.envision.stakeholders.push({ id: 'dpo', name: 'Ingrid Solberg', role: 'privacy' });
          m.monitor.triggers = m.monitor.triggers.filter((t: Doc) => t.on !== 'incident');
          m.build.candidates = m.build.candidates.filter((c: Doc) => c.id !== 'rules');
          m.metadata.tags.push('postpaid');
        }),
      ),
    ).toEqual([
      // a trigger removed no longer sets off its action: loosened
      [
        'loosened',
        'error',
        'trigger `incident → rollback` removed; the event no longer sets off its action',
      ],
      ['removed', 'warning', 'candidate `rules` removed'],
      ['changed', 'info', 'metadata: tags: added `postpaid`'],
      ['changed', 'info', 'envision: hypothesis changed'],
      [
        'changed',
        'info',
        'deploy: integration rollback switch the queue back to rules → flip the feature flag',
      ],
      ['added', 'info', 'stakeholder `dpo` added: Ingrid Solberg, privacy'],
    ]);
  });

  it('a new waiver accepts an exception to a readiness rule: loosened', () => {
    expect(
      summary(
        diff(
          (m) =>
            (m.waivers = [
              {
                rule: 'B3',
                reason: 'evidence arrives next week',
                owner: 'cco',
                expires: '2026-12-31',
              },
            ]),
        ),
      ),
    ).toEqual([
      [
        'loosened',
        'error',
        'waiver of rule `B3` added: until 2026-12-31; an exception to a readiness rule lets a failing gate pass',
      ],
    ]);
  });

  it('reordering list items, guardrails or tags produces no change', () => {
    expect(
      diff((m) => {
        m.envision.stakeholders.reverse();
        m.envision.valueMetrics.reverse();
        m.envision.trustworthyAI.fairImpartial.guardrails.reverse();
        m.monitor.triggers.reverse();
        m.metadata.tags.reverse();
        m.build.candidates.reverse();
      }),
    ).toEqual([]);
  });

  it('changes are listed loosened first', () => {
    const classes = diff((m) => {
      m.envision.stakeholders.push({ id: 'dpo', name: 'Ingrid Solberg', role: 'privacy' });
      guardrail(m, 'safeSecure', 'contact-cap').max = 1;
      m.metadata.name = 'renamed-model';
      guardrail(m, 'fairImpartial', 'disparate-impact').min = 0.7;
    }).map((c) => c.class);
    expect(classes).toEqual(['loosened', 'breaking', 'added', 'tightened']);
  });
});

describe('fingerprints', () => {
  const lower = (m: Doc): void => {
    guardrail(m, 'fairImpartial', 'disparate-impact').min = 0.7;
  };

  it('the same change in a later commit keeps its fingerprint', () => {
    const [first] = diff(lower);
    const later = diff((m) => {
      m.envision.hypothesis = 'A different hypothesis, edited in a later commit.';
      m.envision.trustworthyAI.fairImpartial.guardrails.reverse();
      m.envision.stakeholders.reverse();
      lower(m);
    }).find((c) => c.class === 'loosened');
    expect(first!.fingerprint).toMatch(/^[0-9a-f]{16}$/);
    expect(later!.fingerprint).toBe(first!.fingerprint);
  });

  it('a different change, or the same change to another model, has another fingerprint', () => {
    const [a] = diff(lower);
    const [b] = diff((m) => (guardrail(m, 'fairImpartial', 'disparate-impact').min = 0.6));
    const [c] = diff((m) => {
      lower(m);
      m.metadata.name = 'other-model';
    }).filter((x) => x.idPath.includes('min'));
    expect(new Set([a!.fingerprint, b!.fingerprint, c!.fingerprint]).size).toBe(3);
  });
});

describe('acknowledged changes', () => {
  // envision binds no evidence file: its approvals record an empty set of evidence digests
  const approve = (m: Doc, role: string, by: string, digest: string, date = '2026-11-20'): void => {
    (m.approvals ??= []).push({
      id: `envision-${by}-${date}`,
      phase: 'envision',
      role,
      by,
      decision: 'approved',
      date,
      digest,
      evidence: {},
    });
  };

  it('a loosened change drops to warn with a current approval of its section, naming who and when', () => {
    const before = baseManifest();
    const after = structuredClone(before);
    guardrail(after, 'fairImpartial', 'disparate-impact').min = 0.7;
    approve(after, 'decision_maker', 'cco', digestOf(after.envision));
    const [change] = diffManifests(before, after);
    expect(change).toMatchObject({
      class: 'loosened',
      severity: 'warning',
      acknowledged: { phase: 'envision' },
    });
    expect(describeChange(change!).message).toBe(
      'churn-model: guardrail `disparate-impact` (fairImpartial): min 0.8 → 0.7; acknowledged: envision signed off by Helena Marsh (decision_maker) on 2026-11-20',
    );
    const [unacknowledged] = diffManifests(before, { ...after, approvals: [] });
    expect(unacknowledged!.fingerprint).toBe(change!.fingerprint);
  });

  it('an approval without an id or evidence digests (the earlier contract) does not acknowledge', () => {
    const before = baseManifest();
    const after = structuredClone(before);
    guardrail(after, 'fairImpartial', 'disparate-impact').min = 0.7;
    approve(after, 'decision_maker', 'cco', digestOf(after.envision));
    const { id: _id, evidence: _evidence, ...earlier } = after.approvals[0];
    for (const approval of [
      { ...earlier, evidence: {} },
      { ...earlier, id: 'envision-cco' },
    ]) {
      const [change] = diffManifests(before, { ...after, approvals: [approval] });
      expect(change).toMatchObject({ class: 'loosened', severity: 'error' });
      expect(change!.acknowledged).toBeUndefined();
    }
  });

  it('a stale approval (digest of the section before the change) does not acknowledge', () => {
    const before = baseManifest();
    const after = structuredClone(before);
    guardrail(after, 'fairImpartial', 'disparate-impact').min = 0.7;
    approve(after, 'decision_maker', 'cco', digestOf(before.envision));
    const [change] = diffManifests(before, after).filter((c) => c.class === 'loosened');
    expect(change).toMatchObject({ severity: 'error' });
    expect(change!.acknowledged).toBeUndefined();
    expect(describeChange(change!).hint).toContain('mlops approve');
    expect(change!.fix).toEqual({
      kind: 'command',
      argv: ['mlops', 'approve', '', '--phase', 'envision', '--by', 'STAKEHOLDER_ID'],
    });
  });

  it('a section sign-off does not acknowledge a change in another section', () => {
    const before = baseManifest();
    const after = structuredClone(before);
    after.monitor.drift[0].max = 0.4;
    approve(after, 'decision_maker', 'cco', digestOf(after.envision));
    expect(diffManifests(before, after).find((c) => c.class === 'loosened')).toMatchObject({
      severity: 'error',
    });
  });

  it('lowering the tier still needs the sign-offs of the higher tier', () => {
    const before = baseManifest();
    before.metadata.riskTier = 'high';
    const after = structuredClone(before);
    after.metadata.riskTier = 'medium';
    approve(after, 'decision_maker', 'cco', digestOf(after.envision));
    expect(diffManifests(before, after).find((c) => c.class === 'loosened')).toMatchObject({
      severity: 'error',
    });
    approve(after, 'risk_2nd_line', 'risk', digestOf(after.envision), '2026-11-21');
    const change = diffManifests(before, after).find((c) => c.class === 'loosened');
    expect(change).toMatchObject({ severity: 'warning' });
    expect(describeChange(change!).message).toContain(
      'Helena Marsh (decision_maker) on 2026-11-20 and Felix Brandt (risk_2nd_line) on 2026-11-21',
    );
  });

  it('an approval already current at the base cannot acknowledge a later change', () => {
    const before = baseManifest();
    approve(before, 'decision_maker', 'cco', digestOf(before.envision));
    const after = structuredClone(before);
    after.metadata.riskTier = 'low'; // outside the envision section, so its approval stays current
    expect(diffManifests(before, after)).toMatchObject([{ class: 'loosened', severity: 'error' }]);
  });
});

describe('version rules', () => {
  const pairWith = (
    edit: (m: Doc) => void,
    version?: string,
  ): ReturnType<typeof diffManifestPair> => {
    const before = baseManifest();
    const after = structuredClone(before);
    edit(after);
    if (version) after.metadata.version = version;
    return diffManifestPair(
      { file: 'm/mlops.yaml', data: before },
      { file: 'm/mlops.yaml', data: after },
    );
  };
  const findingsOf = (edit: (m: Doc) => void, version?: string) =>
    worded(pairWith(edit, version).findings);
  const loosen = (m: Doc): void => void (m.monitor.drift[0].max = 0.3);
  const add = (m: Doc): void =>
    void m.envision.stakeholders.push({ id: 'dpo', name: 'Ingrid Solberg', role: 'privacy' });
  const edit = (m: Doc): void => void (m.deploy.integration.rollback = 'flip the flag');

  it('a changed manifest whose version did not go up is an error naming the bump', () => {
    expect(findingsOf(loosen)).toMatchObject([
      {
        code: 'VERSION_NOT_BUMPED',
        severity: 'error',
        message:
          'churn-model: version 1.2.0 did not go up; the loosened change needs a major bump: 2.0.0',
      },
    ]);
    expect(findingsOf(add)).toMatchObject([
      { code: 'VERSION_NOT_BUMPED', message: expect.stringContaining('a minor bump: 1.3.0') },
    ]);
    expect(findingsOf(edit)).toMatchObject([
      { code: 'VERSION_NOT_BUMPED', message: expect.stringContaining('a patch bump: 1.2.1') },
    ]);
  });

  it('a bump of the size the changes need passes; a smaller one does not', () => {
    expect(pairWith(loosen, '2.0.0').findings).toEqual([]);
    expect(pairWith(add, '1.3.0').findings).toEqual([]);
    expect(pairWith(edit, '1.2.1').findings).toEqual([]);
    expect(findingsOf(loosen, '1.3.0')).toMatchObject([
      {
        code: 'VERSION_BUMP_TOO_SMALL',
        message:
          'churn-model: version 1.2.0 → 1.3.0 is too small a step; the loosened change needs a major bump: 2.0.0',
      },
    ]);
  });

  it('a version that went down is an error, even without other changes', () => {
    expect(findingsOf(() => undefined, '1.1.9')).toMatchObject([
      {
        code: 'VERSION_DOWNGRADED',
        severity: 'error',
        message: "churn-model: version went down: 1.2.0 → 1.1.9; a manifest's version only goes up",
      },
    ]);
  });

  it('below 1.0.0 a minor step counts as major', () => {
    const before = baseManifest();
    before.metadata.version = '0.3.0';
    const after = structuredClone(before);
    loosen(after);
    const side = (data: Doc) => ({ file: 'm/mlops.yaml', data });
    expect(said(diffManifestPair(side(before), side(after)).findings[0]!)).toContain(
      'a major bump, which below 1.0.0 is 0.4.0',
    );
    after.metadata.version = '0.4.0';
    expect(diffManifestPair(side(before), side(after)).findings).toEqual([]);
  });

  it('recording an approval needs no bump', () => {
    const result = pairWith(
      (m) =>
        (m.approvals = [
          {
            phase: 'build',
            role: 'decision_maker',
            by: 'cco',
            decision: 'approved',
            date: '2026-11-20',
            digest: digestOf(m.build),
          },
        ]),
    );
    expect(result.changes.map((c) => c.class)).toEqual(['added']);
    expect(result.findings).toEqual([]);
  });
});

describe('sets of manifests', () => {
  const side = (
    file: string,
    edit: (m: Doc) => void = () => undefined,
  ): { file: string; data: Doc } => {
    const data = baseManifest();
    edit(data);
    return { file, data };
  };
  const rename = (name: string) => (m: Doc) => void (m.metadata.name = name);

  it('matches a moved manifest by metadata.name and reports the move, not a delete and an add', () => {
    const result = diffManifestSets([side('a/mlops.yaml')], [side('b/mlops.yaml')]);
    expect(result).toHaveLength(1);
    expect(result[0]).toMatchObject({
      status: 'changed',
      baseFile: 'a/mlops.yaml',
      headFile: 'b/mlops.yaml',
      findings: [],
    });
    expect(summary(result[0]!.changes)).toEqual([
      ['changed', 'info', 'moved from a/mlops.yaml to b/mlops.yaml'],
    ]);
  });

  it('a deleted manifest is breaking unless it was retired; an added one is info', () => {
    const result = diffManifestSets(
      [
        side('gone/mlops.yaml', rename('gone-model')),
        side(
          'old/mlops.yaml',
          (m) => ((m.metadata.name = 'old-model'), (m.metadata.status = 'retired')),
        ),
      ],
      [side('new/mlops.yaml', rename('new-model'))],
    );
    expect(
      result.map((m) => [m.file, m.status, m.changes[0]!.class, m.changes[0]!.severity]),
    ).toEqual([
      ['gone/mlops.yaml', 'deleted', 'breaking', 'error'],
      ['new/mlops.yaml', 'added', 'added', 'info'],
      ['old/mlops.yaml', 'deleted', 'removed', 'warning'],
    ]);
  });

  it('a side that does not parse is a finding for that manifest; the rest still diff', () => {
    const result = diffManifestSets(
      [side('a/mlops.yaml', rename('model-a')), side('b/mlops.yaml', rename('model-b'))],
      [
        readSide('a/mlops.yaml', 'apiVersion: mlops/v1\nmetadata:\n  name: [unclosed\n'),
        side(
          'b/mlops.yaml',
          (m) => ((m.metadata.name = 'model-b'), (m.monitor.drift[0].max = 0.3)),
        ),
      ],
    );
    expect(result[0]).toMatchObject({
      model: 'model-a',
      status: 'unparseable',
      changes: [],
      findings: [
        {
          code: 'CANNOT_DIFF',
          severity: 'error',
          file: 'a/mlops.yaml',
          line: expect.any(Number),
          findings: [expect.objectContaining({ code: 'YAML_SYNTAX', file: 'a/mlops.yaml' })],
        },
      ],
    });
    const [cannot] = result[0]!.findings;
    const syntax = cannot!.findings![0]!;
    expect([cannot!.line, cannot!.column]).toEqual([syntax.line, syntax.column]);
    expect(said(cannot!)).toMatch(
      /^model-a: cannot diff: head does not parse: a\/mlops\.yaml:\d+:\d+ \S/,
    );
    expect(summary(result[1]!.changes)).toEqual([
      ['loosened', 'error', 'drift check `feature-drift`: max 0.25 → 0.3'],
    ]);
  });
});

/** 1-based line and column of the first `needle` in `text`, `skip` characters into it. */
function positionOf(text: string, needle: string, skip = 0): { line: number; column: number } {
  const index = text.indexOf(needle);
  if (index < 0) throw new Error(`no "${needle}" in the text`);
  const lines = text.slice(0, index + skip).split('\n');
  return { line: lines.length, column: lines[lines.length - 1]!.length + 1 };
}

/** The base manifest's text with a few text edits. */
function edited(...edits: [string, string][]): string {
  let text = BASE_YAML;
  for (const [from, to] of edits) {
    if (!text.includes(from)) throw new Error(`fixture has no "${from}"`);
    text = text.replace(from, to);
  }
  return text;
}

/** The changes and findings of the base manifest against an edited head, both read from text. */
function diffTexts(head: string, base = BASE_YAML) {
  return diffManifestPair(readSide('m/mlops.yaml', base), readSide('m/mlops.yaml', head));
}

describe('where a change is', () => {
  it('a changed value points at its key in the head', () => {
    const head = edited(['target: { value: 3.5 }', 'target: { value: 4.0 }']);
    const [change] = diffTexts(head).changes;
    expect(change).toMatchObject({
      class: 'loosened',
      file: 'm/mlops.yaml',
      path: ['envision', 'valueMetrics', 0, 'target', 'value'],
      ...positionOf(head, 'value: 4.0'),
    });
  });

  it('a change in a list item points at the item where the head has it, after a reorder', () => {
    const disparate =
      '        - { id: disparate-impact, metric: disparate_impact_ratio, min: 0.8, max: 1.25, phases: [build] }\n';
    const parity =
      '        - { id: parity, metric: statistical_parity_difference, min: -0.1, max: 0.1 }\n';
    const head = edited([disparate + parity, parity + disparate.replace('min: 0.8', 'min: 0.7')]);
    const [change] = diffTexts(head).changes;
    expect(change).toMatchObject({
      idPath: [
        'envision',
        'trustworthyAI',
        'fairImpartial',
        'guardrails',
        'disparate-impact',
        'min',
      ],
      path: ['envision', 'trustworthyAI', 'fairImpartial', 'guardrails', 1, 'min'],
      ...positionOf(head, 'min: 0.7'),
    });
  });

  it('a removal points at the nearest parent the head still has', () => {
    const head = edited(
      ['min: 0.8, max: 1.25, phases', 'min: 0.8, phases'],
      ['    - { on: incident, action: rollback, owner: ds }\n', ''],
    );
    const changes = diffTexts(head).changes;
    expect(changes.find((c) => c.idPath.at(-1) === 'max')).toMatchObject({
      class: 'loosened',
      path: ['envision', 'trustworthyAI', 'fairImpartial', 'guardrails', 0],
      ...positionOf(head, '{ id: disparate-impact'),
    });
    expect(changes.find((c) => c.idPath.at(-1) === 'incident:rollback')).toMatchObject({
      class: 'loosened',
      idPath: ['monitor', 'triggers', 'incident:rollback'],
      path: ['monitor', 'triggers'],
      ...positionOf(head, 'triggers:'),
    });
  });

  it('a guardrail moved to another dimension points at it in its new place', () => {
    const head = edited(
      [
        '        - { id: parity, metric: statistical_parity_difference, min: -0.1, max: 0.1 }\n',
        '',
      ],
      [
        '        - { id: no-special-category',
        '        - { id: parity, metric: statistical_parity_difference, min: -0.1, max: 0.1 }\n        - { id: no-special-category',
      ],
    );
    expect(diffTexts(head).changes).toMatchObject([
      {
        class: 'changed',
        path: ['envision', 'trustworthyAI', 'privacy', 'guardrails', 0],
        ...positionOf(head, '{ id: parity'),
      },
    ]);
  });

  it('the version rule points at metadata.version; a deleted manifest at its base', () => {
    const head = edited(['bins: 10, max: 0.25', 'bins: 10, max: 0.4']);
    expect(diffTexts(head).findings).toMatchObject([
      { code: 'VERSION_NOT_BUMPED', file: 'm/mlops.yaml', ...positionOf(head, 'version:') },
    ]);
    const gone = diffManifestPair(readSide('old/mlops.yaml', BASE_YAML), undefined);
    expect(gone.changes).toMatchObject([
      { class: 'breaking', file: 'old/mlops.yaml', path: [], line: 1, column: 1 },
    ]);
  });
});

describe('a move', () => {
  const head = edited(['bins: 10, max: 0.25', 'bins: 10, max: 0.2']);
  const moves = (diff: ReturnType<typeof diffManifestPair>) =>
    diff.changes.filter((c) => c.args.what === 'manifest' && c.args.op === 'moved');

  it('two files compared as given are not a move, whatever their paths', () => {
    const pair = diffManifestPair(
      readSide('/tmp/elsewhere/old.yaml', BASE_YAML),
      readSide('models/new/mlops.yaml', head),
    );
    expect(moves(pair)).toEqual([]);
    expect(summary(pair.changes)).toEqual([
      ['tightened', 'info', 'drift check `feature-drift`: max 0.25 → 0.2'],
    ]);
  });

  it('is a manifest that left its path and was found by its name at another', () => {
    const diffs = diffManifestSets(
      [readSide('models/forecast/mlops.yaml', BASE_YAML)],
      [readSide('models/demand/mlops.yaml', head)],
    );
    expect(diffs).toHaveLength(1);
    expect(moves(diffs[0]!)).toMatchObject([
      { args: { old: 'models/forecast/mlops.yaml', new: 'models/demand/mlops.yaml' } },
    ]);
  });
});

describe('a side that does not validate', () => {
  const invalid = (text: string): string =>
    text.replace('  riskTier: medium\n', '  riskTier: medium\n  colour: red\n');

  it('is reported with the findings validate reports, and still diffed', () => {
    const head = invalid(edited(['bins: 10, max: 0.25', 'bins: 10, max: 0.4']));
    const read = readManifest(head, 'm/mlops.yaml', validator);
    expect(read.findings.length).toBeGreaterThan(0);
    const result = diffTexts(head);
    expect(result.status).toBe('changed');
    expect(result.findings.map((f) => [f.code, f.severity])).toEqual([
      ['SIDE_INVALID', 'error'],
      ['VERSION_NOT_BUMPED', 'error'],
    ]);
    const [sideInvalid] = result.findings;
    expect(sideInvalid).toMatchObject({
      file: 'm/mlops.yaml',
      line: read.findings[0]!.line,
      column: read.findings[0]!.column,
      args: { side: 'head', errors: read.findings.length },
    });
    expect(sideInvalid!.findings).toEqual(read.findings);
    expect(said(sideInvalid!)).toMatch(/^churn-model: head does not validate \(1 error\)/);
    expect(summary(result.changes)).toEqual([
      ['loosened', 'error', 'drift check `feature-drift`: max 0.25 → 0.4'],
      ['changed', 'info', 'metadata: colour set to red'],
    ]);
  });

  it('at the base, is a warning: the change did not cause it', () => {
    const result = diffTexts(BASE_YAML, invalid(BASE_YAML));
    expect(result.findings).toMatchObject([
      { code: 'SIDE_INVALID', severity: 'warning', args: { side: 'base' } },
      // the head dropped the unknown key: a change of its own
      { code: 'VERSION_NOT_BUMPED' },
    ]);
    expect(result.changes.map((c) => c.idPath)).toEqual([['metadata', 'colour']]);
  });

  it('a side with warnings only is valid: nothing to report', () => {
    const warned = edited(['      minimumAcceptable: 4.0\n', '      minimumAcceptable: 3.0\n']);
    expect(readManifest(warned, 'm/mlops.yaml', validator).findings).toMatchObject([
      { severity: 'warning' },
    ]);
    expect(diffTexts(warned, warned)).toMatchObject({ status: 'unchanged', findings: [] });
  });
});

describe('fingerprints of existing changes do not move', () => {
  // values from before changes became findings: bots and waivers key on them
  it('keeps each value', () => {
    const before = baseManifest();
    const after = structuredClone(before);
    guardrail(after, 'fairImpartial', 'disparate-impact').min = 0.7;
    after.envision.valueMetrics.pop();
    after.monitor.triggers.pop();
    after.metadata.tags.push('postpaid');
    after.deploy.integration.humanOversight.mode = 'none';
    after.envision.stakeholders.push({ id: 'dpo', name: 'I', role: 'privacy' });
    const pair = diffManifestPair(
      { file: 'a/mlops.yaml', data: before },
      { file: 'a/mlops.yaml', data: after },
    );
    expect(
      Object.fromEntries([...pair.changes, ...pair.findings].map((i) => [said(i), i.fingerprint])),
    ).toEqual({
      'churn-model: guardrail `disparate-impact` (fairImpartial): min 0.8 → 0.7':
        '7384f98cdc7b66fb',
      'churn-model: deploy: integration human oversight mode in_loop → none: less human oversight (none < on the loop < in the loop) catches fewer bad decisions (Art. 14)':
        'a70c9f4ad637e22d',
      'churn-model: value metric `revenue` removed: target 600 from the baseline 400':
        'b873bb0646a2415c',
      // a trigger removed is loosened now (it was `removed`, de432f6fed4e883a): the class is part of it
      'churn-model: trigger `incident → rollback` removed; the event no longer sets off its action':
        'bafceeb3c6c4bd48',
      'churn-model: metadata: tags: added `postpaid`': 'e44f650dff463c4e',
      'churn-model: stakeholder `dpo` added: I, privacy': '89e9e0c2af8ce99b',
      'churn-model: version 1.2.0 did not go up; the breaking and loosened changes need a major bump: 2.0.0':
        '9123325e9b778b3b',
    });
    const other = (name: string): Doc => ({
      ...before,
      metadata: { ...before.metadata, name },
    });
    const sets = diffManifestSets(
      [
        { file: 'a/mlops.yaml', data: before },
        { file: 'g/mlops.yaml', data: other('gone') },
      ],
      [
        { file: 'b/mlops.yaml', data: before },
        { file: 'n/mlops.yaml', data: other('new') },
      ],
    );
    expect(sets.flatMap((m) => m.changes.map((c) => [c.code, c.fingerprint]))).toEqual([
      ['CHANGE_CHANGED', '920b8d91c300ad8e'],
      ['CHANGE_BREAKING', '8b14f715cc926226'],
      ['CHANGE_ADDED', 'fc0134b80c46cfba'],
    ]);
  });
});

describe('what issue-13 fields loosen', () => {
  const classes = (changes: Change[]): string[] => changes.map((c) => c.class);

  it('a later target date or a wider tolerance loosens the value metric', () => {
    const before = baseManifest();
    before.envision.valueMetrics[0].target.by = '2027-06-30';
    before.envision.valueMetrics[0].tolerance = 0.1;
    const later = structuredClone(before);
    later.envision.valueMetrics[0].target.by = '2029-12-31';
    expect(classes(diffManifests(before, later, { file: 'm.yaml' }))).toEqual(['loosened']);
    expect(classes(diffManifests(later, before, { file: 'm.yaml' }))).toEqual(['tightened']);
    const wider = structuredClone(before);
    wider.envision.valueMetrics[0].tolerance = 0.3;
    expect(classes(diffManifests(before, wider, { file: 'm.yaml' }))).toEqual(['loosened']);
  });

  it('judging fewer fairness groups loosens; more tightens', () => {
    const withGroups = (groups: string[]) => (m: Doc) => {
      guardrail(m, 'fairImpartial', 'disparate-impact').groups = groups;
    };
    const before = baseManifest();
    withGroups(['age_band', 'gender'])(before);
    const fewer = structuredClone(before);
    withGroups(['age_band'])(fewer);
    expect(classes(diffManifests(before, fewer, { file: 'm.yaml' }))).toEqual(['loosened']);
    expect(classes(diffManifests(fewer, before, { file: 'm.yaml' }))).toEqual(['tightened']);
  });

  it("a p-value's min and warn loosen when lowered, a distance's warn when raised", () => {
    const before = baseManifest();
    const check = before.monitor.drift[0];
    Object.assign(check, { method: 'ks', statistic: 'pvalue', min: 0.05, warn: 0.1 });
    delete check.max;
    delete check.bins;
    const lower = structuredClone(before);
    Object.assign(lower.monitor.drift[0], { min: 0.01, warn: 0.05 });
    expect(classes(diffManifests(before, lower, { file: 'm.yaml' }))).toEqual([
      'loosened',
      'loosened',
    ]);
    expect(
      classes(
        diff((m) => {
          m.monitor.drift[0].warn = m.monitor.drift[0].max;
        }),
      ),
    ).toEqual(['loosened']);
  });

  it('a longer cadence of a drift check or of live guardrail evidence loosens', () => {
    expect(
      classes(
        diff((m) => {
          m.monitor.drift[0].cadence = 'quarterly';
        }),
      ),
    ).toEqual(['loosened']);
  });
});
