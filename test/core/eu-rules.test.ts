/**
 * The EU AI Act obligation rules on plain manifest data: each is active only from the
 * classification and the operator role (never from riskTier), fails with what is missing and
 * the article, and passes once the obligation is met.
 */
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { ruleById } from '../../src/core/check/index.js';
import type { RuleId } from '../../src/core/check/index.js';
import { createFacts } from '../../src/core/check/facts.js';
import { annexPoint, friaReason } from '../../src/core/check/rules/eu27.js';
import { euAiActOf } from '../../src/core/eu-ai-act.js';
import type { Manifest } from '../../src/core/manifest.js';
import { describeFinding } from '../../src/report/messages/words.js';

const M = 'models/loans/mlops.yaml';

/**
 * A high-risk system of Annex III point 5(b), provider and deployer, that meets every EU rule:
 * each case below breaks one thing.
 */
const BASE = `apiVersion: mlops/v1
kind: ModelManifest
metadata:
  name: loans
  version: 1.0.0
  owner: { name: Ada Example }
  riskTier: high
  euAiAct:
    classification: high
    role: both
    legalBasis: { annex: III, point: 5(b) }
envision:
  stakeholders:
    - { id: dm, name: Head of Lending, role: decision_maker }
    - { id: officer, name: Credit Officer, role: end_user }
  risks:
    - id: unfair
      title: Applicants over 60 refused more often
      treatment: mitigate
      residual: { likelihood: 2, impact: 3 }
  trustworthyAI:
    robustReliable:
      guardrails:
        - { id: auc, metric: roc_auc, min: 0.7, declares: accuracy, evidence: reports/build.json }
        - { id: shift, metric: auc_under_shift, min: 0.65, declares: robustness, evidence: reports/build.json }
    safeSecure:
      guardrails:
        - { id: attack, metric: attack_success_rate, max: 0.01, declares: cybersecurity, evidence: reports/build.json }
build:
  datasets:
    - { id: applications, role: train, uri: s3://loans/apps, personalData: true, datasheet: docs/datasheet.md }
  dataGovernance:
    origin: Applications 2019-2025, collected for credit decisions.
    preparation: Deduplicated; labels from repayment after 12 months.
    biasExamination: Refusal rates compared per age band and sex.
    gaps: Few applicants under 21; weighted.
deploy:
  integration:
    humanOversight: { mode: in_loop, procedure: docs/oversight.md, assignedTo: [officer] }
  logging: { automatic: true, specification: docs/logging.md, retentionDays: 184 }
  instructionsForUse: docs/instructions.md
  conformity:
    qualityManagement: docs/qms.md
    procedure: internal_control
    assessment: docs/conformity.md
    declaration: docs/declaration.md
    registration: EU-DB-000123
  fria: docs/fria.md
  disclosure: docs/disclosure.md
monitor:
  triggers:
    - { on: incident, action: escalate, owner: dm }
  postMarket: { plan: docs/post-market.md, incidentProcedure: docs/incidents.md }
`;

const FILES = [
  'reports/build.json',
  'docs/datasheet.md',
  'docs/oversight.md',
  'docs/logging.md',
  'docs/instructions.md',
  'docs/qms.md',
  'docs/conformity.md',
  'docs/declaration.md',
  'docs/fria.md',
  'docs/disclosure.md',
  'docs/post-market.md',
  'docs/incidents.md',
].map((f) => `models/loans/${f}`);

type Data = Record<string, unknown>;
const base = (): Data => parse(BASE) as Data;

/** The value at `path` of `data`, created on the way. */
function at(data: Data, path: string[]): Data {
  let node = data;
  for (const key of path) node = (node[key] ??= {}) as Data;
  return node;
}

/** `data` with `edit` applied to a fresh copy. */
function edited(edit: (m: Data) => void): Data {
  const m = base();
  edit(m);
  return m;
}

const eu = (m: Data): Data => at(m, ['metadata', 'euAiAct']);

/** The findings of one rule as code, path and words; evidence files committed unless left out. */
function run(id: RuleId, m: Data, opts: { uncommitted?: string[] } = {}) {
  const rule = ruleById(id);
  const tracked = new Set(FILES.filter((f) => !opts.uncommitted?.includes(f)));
  const facts = createFacts(m as unknown as Manifest, {
    manifestPath: M,
    tracked,
    workingState: new Map(),
    evidence: (p) =>
      FILES.includes(p)
        ? { kind: 'file', text: p.endsWith('.json') ? '{}' : '# doc\n' }
        : { kind: 'missing' },
    lastCommitDates: new Map(),
    committedVersions: new Map(),
    today: '2026-11-30',
  });
  return rule.evaluate(facts, rule.phases[0]!).map((f) => ({
    code: f.code,
    at: f.path.join('.'),
    ...describeFinding(f),
  }));
}

const EU_RULES: RuleId[] = [
  'EU6',
  'EU9',
  'EU10',
  'EU15',
  'EU12',
  'EU13',
  'EU14',
  'EU17',
  'EU43',
  'EU26',
  'EU27',
  'EU50',
  'EU72',
  'EU73',
];

/** A manifest that meets none of the obligations: a high-risk system with nothing else. */
const bare = (euAiAct: Data, riskTier = 'low'): Data => ({
  apiVersion: 'mlops/v1',
  kind: 'ModelManifest',
  metadata: { name: 'loans', version: '1.0.0', owner: { name: 'A' }, riskTier, euAiAct },
  envision: { stakeholders: [{ id: 'dm', name: 'Head', role: 'decision_maker' }] },
});

describe('the base manifest of these tests', () => {
  it('meets every EU rule, so that each case below fails for its own reason', () => {
    for (const id of EU_RULES)
      expect({ id, findings: run(id, base()) }).toEqual({ id, findings: [] });
  });
});

describe('activation: from the classification and the role, never from riskTier', () => {
  it('no rule applies to a minimal or out-of-scope system, whatever its tier and what it lacks', () => {
    for (const classification of ['minimal', 'out_of_scope'])
      for (const tier of ['low', 'critical'])
        for (const id of EU_RULES)
          expect({
            id,
            classification,
            tier,
            findings: run(id, bare({ classification, role: 'provider' }, tier)),
          }).toEqual({
            id,
            classification,
            tier,
            findings: [],
          });
  });

  it('no rule applies without a classification, even at tier critical', () => {
    const m = bare({}, 'critical');
    delete (m.metadata as Data).euAiAct;
    for (const id of EU_RULES) expect({ id, findings: run(id, m) }).toEqual({ id, findings: [] });
  });

  it("holds each role of a high-risk system to its own duties, and one without a role to the provider's", () => {
    const failing = (role: string | undefined): RuleId[] =>
      EU_RULES.filter(
        (id) => run(id, bare({ classification: 'high', ...(role ? { role } : {}) })).length > 0,
      );
    const provider: RuleId[] = [
      'EU6',
      'EU9',
      'EU10',
      'EU15',
      'EU12',
      'EU13',
      'EU14',
      'EU17',
      'EU43',
      'EU72',
      'EU73',
    ];
    expect(failing('provider')).toEqual(provider);
    expect(failing(undefined)).toEqual(provider);
    expect(failing('deployer')).toEqual(['EU6', 'EU26', 'EU27']);
    expect(failing('importer')).toEqual(['EU6', 'EU13', 'EU43']);
    expect(failing('distributor')).toEqual(['EU6', 'EU13', 'EU43']);
    expect(failing('both')).toEqual([...provider.slice(0, 9), 'EU26', 'EU27', 'EU72', 'EU73']);
  });

  it('holds Art. 50 duties apart from the class: minimal, high, and the earlier `limited`', () => {
    expect(run('EU50', bare({ classification: 'minimal' }))).toEqual([]);
    for (const euAiAct of [
      { classification: 'minimal', art50: true },
      { classification: 'out_of_scope', art50: true },
      { classification: 'high', art50: true, role: 'deployer' },
      { classification: 'limited' },
    ])
      expect(run('EU50', bare(euAiAct)).map((f) => f.code)).toEqual(['EU_DISCLOSURE_MISSING']);
  });
});

describe('EU6: the high-risk classification held', () => {
  it('fails a high-risk system below tier high, and one without its legal basis', () => {
    const m = edited((x) => {
      at(x, ['metadata']).riskTier = 'low';
      delete eu(x).legalBasis;
    });
    expect(run('EU6', m)).toEqual([
      {
        code: 'EU_RISK_TIER_BELOW_HIGH',
        at: 'metadata.riskTier',
        message:
          'riskTier is `low`: a system classified high-risk needs tier high or critical (EU AI Act Art. 6)',
        hint: 'set `metadata.riskTier` to `high` (or critical), or correct `metadata.euAiAct.classification` if the system is not high-risk',
      },
      {
        code: 'EU_LEGAL_BASIS_MISSING',
        at: 'metadata.euAiAct.legalBasis',
        message:
          'the high-risk classification names no legal basis: Annex I legislation or an Annex III point (EU AI Act Art. 6)',
        hint: 'set `metadata.euAiAct.legalBasis` to `{annex: III, point: "POINT"}` (annex: I or III; point: the point of that annex, e.g. 5(b))',
      },
    ]);
    expect(
      run(
        'EU6',
        edited((x) => void (at(x, ['metadata']).riskTier = 'medium')),
      ),
    ).toHaveLength(1);
    expect(
      run(
        'EU6',
        edited((x) => void (at(x, ['metadata']).riskTier = 'critical')),
      ),
    ).toEqual([]);
  });

  it('applies to every role of a high-risk system', () => {
    for (const role of ['deployer', 'importer', 'distributor'])
      expect(run('EU6', bare({ classification: 'high', role })).map((f) => f.code)).toEqual([
        'EU_RISK_TIER_BELOW_HIGH',
        'EU_LEGAL_BASIS_MISSING',
      ]);
  });
});

describe('EU9: risk management with residual risk', () => {
  it('fails without risks, a risk without treatment, and one without its residual', () => {
    expect(
      run(
        'EU9',
        edited((x) => void (at(x, ['envision']).risks = [])),
      ),
    ).toEqual([
      expect.objectContaining({
        code: 'EU_RISKS_NONE',
        at: 'envision.risks',
        message: expect.stringContaining('(EU AI Act Art. 9)'),
      }),
    ]);
    const m = edited((x) => {
      const risks = at(x, ['envision']).risks as Data[];
      delete risks[0]!.treatment;
      risks.push({ id: 'drift', title: 'Drift', treatment: 'accept', residual: { likelihood: 2 } });
      risks.push({ id: 'leak', title: 'Leak', treatment: 'avoid' });
    });
    expect(run('EU9', m)).toEqual([
      {
        code: 'EU_RISK_UNTREATED',
        at: 'envision.risks.0',
        message:
          'risk `unfair` has no treatment: each risk of a high-risk system is treated (EU AI Act Art. 9(2))',
        hint: 'set `envision.risks[0].treatment` to `mitigate` (or transfer, avoid or accept)',
      },
      {
        code: 'EU_RISK_RESIDUAL_MISSING',
        at: 'envision.risks.1.residual',
        message:
          'risk `drift` has no residual impact: the risk left once treated is estimated (EU AI Act Art. 9(5))',
        hint: 'add to `envision.risks[1].residual`: `{impact: "IMPACT"}` (1 to 5, scored with the treatment in place; `accepted` may say why it is acceptable)',
      },
      {
        code: 'EU_RISK_RESIDUAL_MISSING',
        at: 'envision.risks.2',
        message:
          'risk `leak` has no residual likelihood and impact: the risk left once treated is estimated (EU AI Act Art. 9(5))',
        hint: 'set `envision.risks[2].residual` to `{likelihood: "LIKELIHOOD", impact: "IMPACT"}` (1 to 5, scored with the treatment in place; `accepted` may say why it is acceptable)',
      },
    ]);
  });
});

describe('EU10: data and data governance', () => {
  it('fails a dataset without datasheet, whether or not it holds personal data, and data governance left out', () => {
    const m = edited((x) => {
      const ds = at(x, ['build']).datasets as Data[];
      ds[0]!.personalData = false;
      delete ds[0]!.datasheet;
      const dg = at(x, ['build', 'dataGovernance']);
      delete dg.biasExamination;
      dg.gaps = '  ';
    });
    expect(run('EU10', m)).toEqual([
      {
        code: 'EU_DATASHEET_MISSING',
        at: 'build.datasets.0',
        message:
          'dataset `applications` has no datasheet: every dataset of a high-risk system is documented (EU AI Act Art. 10)',
        hint: 'write the datasheet of `applications`, commit it, and name it: set `build.datasets[0].datasheet` to `"DATASHEET_FILE"`',
      },
      {
        code: 'EU_DATA_GOVERNANCE_INCOMPLETE',
        at: 'build.dataGovernance',
        message:
          'build.dataGovernance does not state biasExamination and gaps: the data of a high-risk system is governed (EU AI Act Art. 10(2))',
        hint: 'add to `build.dataGovernance`: `{biasExamination: "BIAS_EXAMINATION", gaps: "GAPS"}` (biasExamination: which biases were looked for and what was done; gaps: the gaps or shortcomings found and how they are addressed)',
      },
    ]);
  });

  it('fails a datasheet that is not committed, with the finding of rule G1', () => {
    const found = run('EU10', base(), { uncommitted: ['models/loans/docs/datasheet.md'] });
    expect(found.map((f) => [f.code, f.at])).toEqual([
      ['EVIDENCE_UNTRACKED', 'build.datasets.0.datasheet'],
    ]);
  });

  it('fails no dataset and no data governance section', () => {
    const m = edited((x) => {
      delete at(x, ['build']).datasets;
      delete at(x, ['build']).dataGovernance;
    });
    expect(run('EU10', m).map((f) => [f.code, f.at])).toEqual([
      ['EU_DATASETS_NONE', 'build'],
      ['EU_DATA_GOVERNANCE_INCOMPLETE', 'build'],
    ]);
    expect(run('EU10', m)[1]!.hint).toMatch(
      /^add to `build`: `\{dataGovernance: \{origin: "ORIGIN", preparation: "PREPARATION", biasExamination: "BIAS_EXAMINATION", gaps: "GAPS"\}\}`/,
    );
  });
});

describe('EU15: declared accuracy, robustness and cybersecurity', () => {
  it('counts no guardrail of an excluded dimension, and the hint brings the dimension back first', () => {
    const m = edited((x) => {
      const safe = at(x, ['envision', 'trustworthyAI', 'safeSecure']);
      safe.excluded = true;
      safe.justification = 'Internal use only.';
    });
    const found = run('EU15', m);
    expect(found.map((f) => f.code)).toEqual(['EU_DECLARED_METRIC_MISSING']);
    expect(found[0]!.hint).toMatch(
      /^set `envision\.trustworthyAI\.safeSecure\.excluded` to `false` \(a high-risk system cannot leave it out\), and add to `envision\.trustworthyAI\.safeSecure\.guardrails`/,
    );
  });

  it('fails each property no guardrail declares, one not active in build, and one without evidence', () => {
    const m = edited((x) => {
      const rr = at(x, ['envision', 'trustworthyAI', 'robustReliable']).guardrails as Data[];
      rr[0]!.phases = ['monitor'];
      delete rr[1]!.evidence;
      delete (at(x, ['envision', 'trustworthyAI', 'safeSecure']).guardrails as Data[])[0]!.declares;
    });
    expect(run('EU15', m)).toEqual([
      {
        code: 'EU_DECLARED_METRIC_NOT_IN_BUILD',
        at: 'envision.trustworthyAI.robustReliable.guardrails.0.phases',
        message:
          'guardrail `auc` declares accuracy but is not active in build: the declared level is measured before deploy (EU AI Act Art. 15)',
        hint: 'set `envision.trustworthyAI.robustReliable.guardrails[0].phases` to `[build, monitor]` and name its build report: set `envision.trustworthyAI.robustReliable.guardrails[0].evidence` to `"EVIDENCE_FILE"`',
      },
      {
        code: 'EU_DECLARED_METRIC_NO_EVIDENCE',
        at: 'envision.trustworthyAI.robustReliable.guardrails.1',
        message:
          'guardrail `shift` declares robustness but has no build evidence (EU AI Act Art. 15)',
        hint: 'set `envision.trustworthyAI.robustReliable.guardrails[1].evidence` to `"EVIDENCE_FILE"` (the committed build report that holds its metric)',
      },
      {
        code: 'EU_DECLARED_METRIC_MISSING',
        at: 'envision.trustworthyAI',
        message:
          'no guardrail declares the cybersecurity of the system: a high-risk system declares its accuracy, robustness and cybersecurity (EU AI Act Art. 15)',
        hint: 'add to `envision.trustworthyAI.safeSecure.guardrails`: `{id: "GUARDRAIL_ID", metric: "METRIC", min: "MIN", declares: cybersecurity, phases: [build], evidence: "EVIDENCE_FILE"}` (min or max: the declared level; evidence: the committed build report that holds the metric), or give the build guardrail that measures it declares: cybersecurity',
      },
    ]);
  });

  it('asks to enforce in build a guardrail enforced nowhere, without watching it live', () => {
    const m = edited((x) => {
      const rr = at(x, ['envision', 'trustworthyAI', 'robustReliable']).guardrails as Data[];
      rr[0]!.phases = [];
    });
    expect(run('EU15', m).map((f) => f.hint)).toEqual([
      'set `envision.trustworthyAI.robustReliable.guardrails[0].phases` to `[build]` and name its build report: set `envision.trustworthyAI.robustReliable.guardrails[0].evidence` to `"EVIDENCE_FILE"`',
    ]);
  });

  it('passes when one of several guardrails that declare a property counts', () => {
    const m = edited((x) => {
      const rr = at(x, ['envision', 'trustworthyAI', 'robustReliable']).guardrails as Data[];
      rr.unshift({
        id: 'acc-live',
        metric: 'accuracy',
        min: 0.8,
        declares: 'accuracy',
        phases: ['monitor'],
      });
    });
    expect(run('EU15', m)).toEqual([]);
  });

  it('fails build evidence that is not committed, with the finding of rule G1', () => {
    const found = run('EU15', base(), { uncommitted: ['models/loans/reports/build.json'] });
    expect(found.map((f) => f.code)).toEqual([
      'EVIDENCE_UNTRACKED',
      'EVIDENCE_UNTRACKED',
      'EVIDENCE_UNTRACKED',
    ]);
  });
});

describe('EU12: automatic logging', () => {
  it('fails logging not automatic and no specification', () => {
    const m = edited((x) => {
      const logging = at(x, ['deploy', 'logging']);
      logging.automatic = false;
      delete logging.specification;
    });
    expect(run('EU12', m)).toEqual([
      {
        code: 'EU_LOGGING_NOT_AUTOMATIC',
        at: 'deploy.logging.automatic',
        message:
          'logging is not automatic (`deploy.logging.automatic: false`): a high-risk system records events automatically (EU AI Act Art. 12)',
        hint: 'set `deploy.logging.automatic` to `true`',
      },
      {
        code: 'EU_LOGGING_SPEC_MISSING',
        at: 'deploy.logging.specification',
        message:
          'no logging specification: what a high-risk system logs, and where, is written down (EU AI Act Art. 12)',
        hint: 'write the logging specification, commit it, and name it: set `deploy.logging.specification` to `"LOGGING_SPEC_FILE"`',
      },
    ]);
    expect(
      run(
        'EU12',
        edited((x) => void delete at(x, ['deploy']).logging),
      ).map((f) => f.message)[0],
    ).toMatch(/^logging is not stated as automatic/);
  });
});

describe('EU13: instructions for use', () => {
  it('fails the provider without them, and the importer or distributor who did not verify them', () => {
    const m = edited((x) => void delete at(x, ['deploy']).instructionsForUse);
    expect(run('EU13', m)).toEqual([
      {
        code: 'EU_INSTRUCTIONS_MISSING',
        at: 'deploy.instructionsForUse',
        message:
          'no instructions for use: the provider of a high-risk system gives deployers instructions for use (EU AI Act Art. 13)',
        hint: 'write the instructions for use, commit it, and name it: set `deploy.instructionsForUse` to `"INSTRUCTIONS_FILE"`',
      },
    ]);
    eu(m).role = 'importer';
    expect(run('EU13', m)[0]!.message).toBe(
      "no instructions for use: the importer of a high-risk system verifies that the provider's come with it (EU AI Act Arts 13, 23(1))",
    );
    eu(m).role = 'distributor';
    expect(run('EU13', m)[0]!.message).toContain('(EU AI Act Arts 13, 24(1))');
    eu(m).role = 'deployer';
    expect(run('EU13', m)).toEqual([]);
  });
});

describe('EU14: human oversight', () => {
  it('fails oversight `none` or missing, and no procedure', () => {
    const m = edited((x) => {
      const ho = at(x, ['deploy', 'integration', 'humanOversight']);
      ho.mode = 'none';
      delete ho.procedure;
    });
    expect(run('EU14', m)).toEqual([
      {
        code: 'EU_OVERSIGHT_INSUFFICIENT',
        at: 'deploy.integration.humanOversight.mode',
        message:
          'human oversight is `none`: a high-risk system needs in_loop or on_loop oversight (EU AI Act Art. 14)',
        hint: 'set `deploy.integration.humanOversight.mode` to `in_loop` (or on_loop: a person supervises and can stop it)',
      },
      {
        code: 'EU_OVERSIGHT_PROCEDURE_MISSING',
        at: 'deploy.integration.humanOversight.procedure',
        message:
          'no human oversight procedure: how people oversee, override and stop a high-risk system is written down (EU AI Act Art. 14)',
        hint: 'write the oversight procedure, commit it, and name it: set `deploy.integration.humanOversight.procedure` to `"PROCEDURE_FILE"`',
      },
    ]);
    const none = edited((x) => void delete at(x, ['deploy']).integration);
    expect(run('EU14', none).map((f) => f.message)[0]).toMatch(
      /^human oversight is not described: /,
    );
    const onLoop = edited(
      (x) => void (at(x, ['deploy', 'integration', 'humanOversight']).mode = 'on_loop'),
    );
    expect(run('EU14', onLoop)).toEqual([]);
  });
});

describe('EU17: quality management system', () => {
  it('fails without a quality management reference', () => {
    const m = edited((x) => void delete at(x, ['deploy', 'conformity']).qualityManagement);
    expect(run('EU17', m)).toEqual([
      {
        code: 'EU_QUALITY_MANAGEMENT_MISSING',
        at: 'deploy.conformity.qualityManagement',
        message:
          'no quality management system is named: the provider of a high-risk system has one (EU AI Act Art. 17)',
        hint: 'write the quality management document that covers the system, commit it, and name it: set `deploy.conformity.qualityManagement` to `"QMS_FILE"`',
      },
    ]);
  });
});

describe('EU43: conformity assessment and registration', () => {
  it('fails the provider without procedure, assessment, declaration or registration', () => {
    const m = edited((x) => void delete at(x, ['deploy']).conformity);
    expect(run('EU43', m).map((f) => [f.code, f.at, f.message])).toEqual([
      [
        'EU_CONFORMITY_PROCEDURE_MISSING',
        'deploy.conformity.procedure',
        'no conformity assessment procedure: a high-risk system is assessed before deploy (EU AI Act Art. 43)',
      ],
      [
        'EU_CONFORMITY_ASSESSMENT_MISSING',
        'deploy.conformity.assessment',
        'no conformity assessment record: a high-risk system is assessed before deploy (EU AI Act Art. 43)',
      ],
      [
        'EU_DECLARATION_MISSING',
        'deploy.conformity.declaration',
        'no EU declaration of conformity: a high-risk system has one before deploy (EU AI Act Art. 47)',
      ],
      [
        'EU_REGISTRATION_MISSING',
        'deploy.conformity.registration',
        'no EU database registration: a high-risk system is registered before deploy (EU AI Act Art. 49)',
      ],
    ]);
    expect(run('EU43', m).map((f) => f.hint)).toEqual([
      'set `deploy.conformity.procedure` to `internal_control` (or notified_body: the procedure of Art. 43 that applies)',
      'write the conformity assessment record (or the notified body certificate), commit it, and name it: set `deploy.conformity.assessment` to `"ASSESSMENT_FILE"`',
      'write the EU declaration of conformity, commit it, and name it: set `deploy.conformity.declaration` to `"DECLARATION_FILE"`',
      'set `deploy.conformity.registration` to `"REGISTRATION_NUMBER"` (the registration number of the EU database)',
    ]);
  });

  it('holds an importer or distributor to verifying procedure, assessment and declaration, not to registering', () => {
    const m = edited((x) => {
      delete at(x, ['deploy']).conformity;
      eu(x).role = 'importer';
    });
    expect(run('EU43', m).map((f) => f.code)).toEqual([
      'EU_CONFORMITY_PROCEDURE_MISSING',
      'EU_CONFORMITY_ASSESSMENT_MISSING',
      'EU_DECLARATION_MISSING',
    ]);
    expect(run('EU43', m)[0]!.message).toBe(
      "no conformity assessment procedure: the importer verifies the provider's before deploy (EU AI Act Arts 43, 23(1))",
    );
    eu(m).role = 'distributor';
    expect(run('EU43', m)[2]!.message).toContain('(EU AI Act Arts 47, 24(1))');
  });
});

describe('EU26: obligations of deployers', () => {
  it('fails oversight assigned to no one, and logs kept less than six months', () => {
    const m = edited((x) => {
      delete at(x, ['deploy', 'integration', 'humanOversight']).assignedTo;
      at(x, ['deploy', 'logging']).retentionDays = 183;
    });
    expect(run('EU26', m)).toEqual([
      {
        code: 'EU_OVERSIGHT_UNASSIGNED',
        at: 'deploy.integration.humanOversight.assignedTo',
        message:
          'human oversight is assigned to no one: a deployer of a high-risk system assigns it to named people (EU AI Act Art. 26(2))',
        hint: 'set `deploy.integration.humanOversight.assignedTo` to `["STAKEHOLDER_ID"]` (ids of envision.stakeholders)',
      },
      {
        code: 'EU_LOG_RETENTION_SHORT',
        at: 'deploy.logging.retentionDays',
        message:
          'logs are kept 183 days: a deployer of a high-risk system keeps them at least six months, 184 days (EU AI Act Art. 26(6))',
        hint: 'set `deploy.logging.retentionDays` to `184` (or longer where other Union or national law asks)',
      },
    ]);
  });

  it('fails an assignee who is no stakeholder or has no name, and a retention not stated', () => {
    const m = edited((x) => {
      at(x, ['deploy', 'integration', 'humanOversight']).assignedTo = ['officer', 'ghost', 'dm'];
      (at(x, ['envision']).stakeholders as Data[])[0]!.name = ' ';
      delete at(x, ['deploy', 'logging']).retentionDays;
    });
    expect(run('EU26', m)).toEqual([
      {
        code: 'EU_OVERSIGHT_ASSIGNEE_UNKNOWN',
        at: 'deploy.integration.humanOversight.assignedTo.1',
        message:
          '`ghost` in humanOversight.assignedTo is no stakeholder: oversight is assigned to named people (EU AI Act Art. 26(2))',
        hint: 'add to `envision.stakeholders`: `{id: ghost, name: "NAME", role: "ROLE"}`, or set `deploy.integration.humanOversight.assignedTo[1]` to `"STAKEHOLDER_ID"`',
      },
      {
        code: 'EU_OVERSIGHT_ASSIGNEE_UNNAMED',
        at: 'deploy.integration.humanOversight.assignedTo.2',
        message:
          'stakeholder `dm`, assigned to human oversight, has no name (EU AI Act Art. 26(2))',
        hint: 'set `envision.stakeholders[0].name` to `"NAME"`',
      },
      expect.objectContaining({
        code: 'EU_LOG_RETENTION_SHORT',
        message: expect.stringMatching(
          /^no log retention is stated: .*\(EU AI Act Art\. 26\(6\)\)$/,
        ),
      }),
    ]);
  });

  it('passes 184 days, whatever the provider duties', () => {
    const m = edited((x) => void (eu(x).role = 'deployer'));
    expect(run('EU26', m)).toEqual([]);
    eu(m).role = 'provider';
    delete at(m, ['deploy']).logging;
    expect(run('EU26', m)).toEqual([]);
  });
});

describe('EU27: fundamental-rights impact assessment', () => {
  it('reads an Annex III point as written', () => {
    expect(annexPoint('5(b)')).toEqual({ number: 5, letter: 'b' });
    expect(annexPoint(' 5 (C) ')).toEqual({ number: 5, letter: 'c' });
    expect(annexPoint('5b')).toEqual({ number: 5, letter: 'b' });
    expect(annexPoint('2')).toEqual({ number: 2 });
    expect(annexPoint('Section A 12')).toEqual({});
  });

  it('asks for a FRIA where Art. 27(1) does, and only there', () => {
    const reason = (euAiAct: Data): string | undefined => {
      const view = euAiActOf({ metadata: { euAiAct } });
      return friaReason({ ...view, legalBasis: view.legalBasis! });
    };
    const high = { classification: 'high', role: 'deployer' };
    expect(reason({ ...high, legalBasis: { annex: 'III', point: '5(b)' } })).toBe('point_5b');
    expect(reason({ ...high, legalBasis: { annex: 'III', point: '5(c)' } })).toBe('point_5c');
    expect(reason({ ...high, legalBasis: { annex: 'III', point: '5(a)' } })).toBeUndefined();
    expect(
      reason({ ...high, legalBasis: { annex: 'III', point: '5(a)' }, publicService: true }),
    ).toBe('public_service');
    expect(
      reason({ ...high, legalBasis: { annex: 'III', point: '4(a)' }, publicService: true }),
    ).toBe('public_service');
    // critical infrastructure (point 2) is left out, even for a public body
    expect(
      reason({ ...high, legalBasis: { annex: 'III', point: '2(a)' }, publicService: true }),
    ).toBeUndefined();
    expect(
      reason({ ...high, legalBasis: { annex: 'I', point: 'Section A 12' }, publicService: true }),
    ).toBeUndefined();
  });

  it('fails a deployer of Annex III point 5(b) without a FRIA, and a public body without one', () => {
    const m = edited((x) => void delete at(x, ['deploy']).fria);
    expect(run('EU27', m)).toEqual([
      {
        code: 'EU_FRIA_MISSING',
        at: 'deploy.fria',
        message:
          'no fundamental-rights impact assessment: a deployer of an Annex III point 5(b) system (creditworthiness, credit score) (Annex III, point 5(b)) assesses one before first use (EU AI Act Art. 27)',
        hint: 'write the fundamental-rights impact assessment, commit it, and name it: set `deploy.fria` to `"FRIA_FILE"`',
      },
    ]);
    eu(m).legalBasis = { annex: 'III', point: '4(a)' };
    expect(run('EU27', m)).toEqual([]);
    eu(m).publicService = true;
    expect(run('EU27', m).map((f) => f.message)[0]).toMatch(
      /^no fundamental-rights impact assessment: a deployer that is a public body or provides public services/,
    );
  });

  it('says the question cannot be answered without the legal basis, unless a FRIA counts', () => {
    const m = edited((x) => {
      delete eu(x).legalBasis;
      delete at(x, ['deploy']).fria;
    });
    expect(run('EU27', m)).toEqual([
      {
        code: 'EU_FRIA_UNDETERMINED',
        at: 'metadata.euAiAct.legalBasis',
        message:
          'whether a fundamental-rights impact assessment is needed cannot be answered: the high-risk classification names no legal basis (EU AI Act Arts 6, 27)',
        hint: 'set `metadata.euAiAct.legalBasis` to `{annex: III, point: "POINT"}` (and `publicService: true` for a public body or a provider of public services), or write the fundamental-rights impact assessment, commit it, and name it: set `deploy.fria` to `"FRIA_FILE"`',
      },
    ]);
    expect(
      run(
        'EU27',
        edited((x) => void delete eu(x).legalBasis),
      ),
    ).toEqual([]);
  });
});

describe('EU50: transparency disclosure', () => {
  it('fails a system with Art. 50 duties without its disclosure, naming the duties', () => {
    const m = bare({
      classification: 'minimal',
      art50: true,
      art50Duties: ['interaction', 'synthetic_content'],
    });
    expect(run('EU50', m)).toEqual([
      {
        code: 'EU_DISCLOSURE_MISSING',
        at: 'deploy.disclosure',
        message:
          'no transparency disclosure: a system with Art. 50 duties (people interacting with an AI system and synthetic content) tells people (EU AI Act Art. 50)',
        hint: 'write the disclosure people see (notice, label or script), commit it, and name it: set `deploy.disclosure` to `"DISCLOSURE_FILE"`',
      },
    ]);
    expect(run('EU50', bare({ classification: 'limited' }))[0]!.message).toContain(
      'as `classification: limited` says',
    );
    expect(
      run(
        'EU50',
        edited((x) => void (eu(x).art50 = true)),
      ),
    ).toEqual([]);
  });
});

describe('EU72 and EU73: post-market monitoring and serious incidents', () => {
  it('fails no post-market plan, no incident procedure and no trigger on incident', () => {
    const m = edited((x) => void delete x.monitor);
    expect(run('EU72', m)).toEqual([
      {
        code: 'EU_POST_MARKET_PLAN_MISSING',
        at: 'monitor.postMarket.plan',
        message:
          'no post-market monitoring plan: the provider of a high-risk system follows one (EU AI Act Art. 72)',
        hint: 'write the post-market monitoring plan, commit it, and name it: set `monitor.postMarket.plan` to `"PLAN_FILE"`',
      },
    ]);
    expect(run('EU73', m)).toEqual([
      {
        code: 'EU_INCIDENT_PROCEDURE_MISSING',
        at: 'monitor.postMarket.incidentProcedure',
        message:
          'no serious-incident procedure: the provider of a high-risk system reports serious incidents (EU AI Act Art. 73)',
        hint: 'write the serious-incident reporting procedure, commit it, and name it: set `monitor.postMarket.incidentProcedure` to `"INCIDENT_PROCEDURE_FILE"`',
      },
      {
        code: 'EU_INCIDENT_TRIGGER_MISSING',
        at: 'monitor.triggers',
        message:
          'no trigger on incident: a serious incident of a high-risk system starts its reporting (EU AI Act Art. 73)',
        hint: 'add to `monitor.triggers`: `{on: incident, action: escalate, owner: "STAKEHOLDER_ID"}` (the owner reports it)',
      },
    ]);
    const drift = edited(
      (x) => void (at(x, ['monitor']).triggers = [{ on: 'drift_alert', action: 'retrain' }]),
    );
    expect(run('EU73', drift).map((f) => f.code)).toEqual(['EU_INCIDENT_TRIGGER_MISSING']);
  });

  it('fails a plan that is not committed, with the finding of rule G1', () => {
    const found = run('EU72', base(), { uncommitted: ['models/loans/docs/post-market.md'] });
    expect(found.map((f) => [f.code, f.at])).toEqual([
      ['EVIDENCE_UNTRACKED', 'monitor.postMarket.plan'],
    ]);
  });
});
