// The Annex IV technical documentation on plain data: a complete high-risk manifest has no
// missing item; each missing item is named with the key that would hold it; hostile strings
// stay inert in the Markdown; the same inputs give the same bytes; and rule EU11 fails a
// high-risk provider with gaps and passes it once complete.
import { describe, expect, it } from 'vitest';
import { annexIvDocument, annexIvKey, eu11Gaps } from '../../src/core/annex-iv.js';
import type { AnnexIvDocument, AnnexIvInput } from '../../src/core/annex-iv.js';
import { checkReadiness, collectEvidence } from '../../src/core/check/index.js';
import type { EvidenceRef } from '../../src/core/check/index.js';
import type { Manifest } from '../../src/core/manifest.js';
import { renderAnnexIv } from '../../src/report/annex-iv.js';
import { describeFinding } from '../../src/report/messages/words.js';

const MANIFEST_PATH = 'models/credit/mlops.yaml';
const DIR = 'models/credit/';

/** A high-risk credit-scoring system whose manifest holds every Annex IV item. */
function complete(): Manifest {
  return {
    apiVersion: 'mlops/v1',
    kind: 'ModelManifest',
    metadata: {
      name: 'credit-score',
      title: 'Consumer credit scoring',
      version: '2.1.0',
      owner: { name: 'Ana Lopes', team: 'Credit Risk' },
      riskTier: 'high',
      euAiAct: {
        classification: 'high',
        legalBasis: { annex: 'III', point: '5(b)' },
        basis: 'Creditworthiness of natural persons.',
        role: 'provider',
      },
      status: 'deploy',
    },
    envision: {
      hypothesis: 'If we score applicants, then defaults fall, measured by the default rate.',
      intendedUse: {
        primaryUses: ['Score consumer loan applications'],
        primaryUsers: ['Credit officers'],
        outOfScope: ['Mortgages'],
      },
      stakeholders: [
        { id: 'cro', name: 'Chief Risk Officer', role: 'decision_maker' },
        { id: 'mrm', name: 'Model Risk', role: 'risk_2nd_line' },
      ],
      risks: [
        {
          id: 'bias',
          title: 'Younger applicants are refused more often',
          dimension: 'fairImpartial',
          likelihood: 3,
          impact: 4,
          treatment: 'mitigate',
          lineOfDefense: 2,
          residual: { likelihood: 2, impact: 3, accepted: 'cro' },
        },
      ],
      trustworthyAI: {
        robustReliable: {
          guardrails: [
            {
              id: 'auc',
              metric: 'roc_auc',
              min: 0.7,
              phases: ['build'],
              evidence: 'reports/eval.json',
              declares: 'accuracy',
            },
            {
              id: 'noise',
              metric: 'auc_drop',
              max: 0.02,
              phases: ['build'],
              evidence: 'reports/robust.json',
              declares: 'robustness',
            },
          ],
        },
        safeSecure: {
          guardrails: [
            {
              id: 'evasion',
              metric: 'evasion_rate',
              max: 0.01,
              phases: ['build'],
              evidence: 'reports/robust.json',
              declares: 'cybersecurity',
            },
          ],
        },
      },
    },
    build: {
      candidates: [
        { id: 'scorecard', baseline: true, description: 'Current scorecard' },
        { id: 'gbm', description: 'Gradient boosting' },
      ],
      selected: { candidate: 'gbm', rationale: 'Best AUC at equal fairness.' },
      evaluations: [
        {
          id: 'gbm-auc',
          candidate: 'gbm',
          metric: 'roc_auc',
          kind: 'statistical',
          evidence: 'reports/eval.json',
        },
      ],
      datasets: [
        {
          id: 'applications',
          role: 'train',
          uri: 's3://bucket/apps',
          personalData: true,
          datasheet: 'docs/datasheet.md',
        },
      ],
      modelCard: 'docs/model-card.md',
      dataGovernance: {
        origin: 'Loan applications 2019-2024',
        preparation: 'Deduplicated, labelled at 12 months',
        assumptions: 'Repayment behaviour is stable',
        biasExamination: 'Approval rates by age band and sex',
        gaps: 'Few applicants under 21',
      },
    },
    deploy: {
      integration: {
        humanOversight: {
          mode: 'in_loop',
          procedure: 'docs/oversight.md',
          assignedTo: ['cro'],
        },
      },
      logging: { automatic: true, specification: 'docs/logging.md', retentionDays: 200 },
      instructionsForUse: 'docs/instructions.md',
      conformity: {
        qualityManagement: 'docs/qms.md',
        procedure: 'internal_control',
        assessment: 'docs/assessment.md',
        declaration: 'docs/declaration.md',
        registration: 'EUDB-123',
        standards: ['ISO/IEC 42001:2023'],
      },
    },
    monitor: {
      drift: [{ id: 'psi', type: 'data', method: 'psi', max: 0.2, evidence: 'reports/drift.json' }],
      valueTracking: { evidence: 'reports/value.json', cadence: 'monthly' },
      triggers: [{ on: 'incident', action: 'rollback' }],
      postMarket: { plan: 'docs/pmm.md', incidentProcedure: 'docs/incidents.md' },
    },
  };
}

/** Every evidence path of the manifest, as committed files with a date. */
function input(m: Manifest, over: Partial<AnnexIvInput> = {}): AnnexIvInput {
  const refs = collectEvidence(m, MANIFEST_PATH);
  return {
    manifest: m,
    manifestPath: MANIFEST_PATH,
    manifestShown: MANIFEST_PATH,
    refs,
    show: (p) => p,
    evidenceIssue: () => undefined,
    dateOf: (p) => (p.startsWith(DIR) ? '2026-10-01' : undefined),
    state: 'committed',
    versions: [
      { commit: 'b'.repeat(40), date: '2026-11-01', subject: 'Version 2.1.0', text: yamlOf(m) },
      { commit: 'a'.repeat(40), date: '2026-09-01', subject: 'First version' },
    ],
    head: 'b'.repeat(40),
    ...over,
  };
}

/** A committed text of the manifest, as far as the version is read from it. */
const yamlOf = (m: Manifest): string => `metadata:\n  version: "${m.metadata.version}"\n`;

const missingKeys = (doc: AnnexIvDocument): string[] =>
  doc.sections.flatMap((s) => s.items.filter((i) => i.gap).map((i) => annexIvKey(i.key)));

const md = (doc: AnnexIvDocument): string => renderAnnexIv(doc, { invokedAs: 'mlops' });

describe('the Annex IV document', () => {
  it('has nothing missing for a complete high-risk manifest, with every section in order', () => {
    const doc = annexIvDocument(input(complete()));
    expect(missingKeys(doc)).toEqual([]);
    expect(doc.present).toBe(doc.total);
    expect(doc.required).toBe(true);
    const text = md(doc);
    const headings = text.split('\n').filter((l) => l.startsWith('## '));
    expect(headings).toEqual([
      '## 1. General description of the AI system (Annex IV point 1)',
      '## 2. Development process and design choices (Annex IV point 2(a)-(c))',
      '## 3. Data and data governance (Annex IV point 2(d))',
      '## 4. Validation and testing (Annex IV point 2(g), 4)',
      '## 5. Monitoring, functioning and control (Annex IV point 2(e), 3)',
      '## 6. Risk management system (Annex IV point 5)',
      '## 7. Changes through the lifecycle (Annex IV point 6)',
      '## 8. Standards and specifications applied (Annex IV point 7)',
      '## 9. EU declaration of conformity (Annex IV point 8)',
      '## 10. Post-market monitoring (Annex IV point 9)',
    ]);
    expect(text).not.toMatch(/^- \*\*Missing:\*\*/m);
    expect(text).toContain(`- **Items present:** ${doc.total} of ${doc.total}\n`);
    // dated reports, the versions of the manifest, the values
    expect(text).toContain(
      '- **Evaluation report of `gbm-auc`:** `models/credit/reports/eval.json`, last changed in a commit of 2026-10-01; candidate gbm, metric roc_auc, kind statistical',
    );
    expect(text).toContain(
      '  - 2026-11-01 `bbbbbbbbbbbb` version 2.1.0: Version 2.1.0\n  - 2026-09-01 `aaaaaaaaaaaa`: First version',
    );
    expect(text).toContain('- **Standards applied:**\n  - ISO/IEC 42001:2023');
    expect(text).toContain(
      '- **Residual risk of `bias`:** likelihood 2, impact 3, score 6\n  - cro',
    );
    expect(text).not.toContain('required only for high-risk');
  });

  it('names each missing item with the key that would hold it, where it belongs', () => {
    const m = complete();
    delete m.deploy!.conformity!.standards;
    delete m.deploy!.conformity!.declaration;
    delete m.build!.dataGovernance!.gaps;
    delete m.envision.risks![0]!.residual;
    delete m.envision.intendedUse!.outOfScope;
    delete m.monitor!.postMarket;
    delete m.deploy!.instructionsForUse;
    const doc = annexIvDocument(input(m));
    expect(missingKeys(doc)).toEqual([
      'deploy.instructionsForUse',
      'build.dataGovernance.gaps',
      'envision.intendedUse.outOfScope',
      'envision.risks[0].residual',
      'deploy.conformity.standards',
      'deploy.conformity.declaration',
      'monitor.postMarket.plan',
      'monitor.postMarket.incidentProcedure',
    ]);
    expect(doc.total - doc.present).toBe(8);
    const text = md(doc);
    expect(text).toContain(`- **Items present:** ${doc.present} of ${doc.total}; 8 missing`);
    const section = (n: number): string =>
      text.split(/\n(?=## )/).find((s) => s.startsWith(`## ${n}. `))!;
    expect(section(8)).toContain(
      '- **Missing:** standards applied — set `deploy.conformity.standards`',
    );
    expect(section(9)).toContain(
      '- **Missing:** EU declaration of conformity — set `deploy.conformity.declaration`',
    );
    expect(section(6)).toContain(
      '- **Missing:** residual risk of `bias` — set `envision.risks[0].residual`',
    );
    expect(section(3)).toContain(
      '- **Missing:** data gaps and shortcomings — set `build.dataGovernance.gaps`',
    );
    expect(section(10)).toContain(
      '- **Missing:** post-market monitoring plan — set `monitor.postMarket.plan`',
    );
    // EU11 names those no other rule of deploy or before asks for
    expect(eu11Gaps(doc).map((i) => annexIvKey(i.key))).toEqual([
      'envision.intendedUse.outOfScope',
      'deploy.conformity.standards',
      'monitor.postMarket.plan',
      'monitor.postMarket.incidentProcedure',
    ]);
  });

  it('counts evidence that is not committed as missing, undated, with why', () => {
    const m = complete();
    const doc = annexIvDocument(
      input(m, {
        evidenceIssue: (ref: EvidenceRef) =>
          ref.raw === 'reports/eval.json' ? { code: 'EVIDENCE_UNTRACKED' } : undefined,
      }),
    );
    expect(missingKeys(doc)).toEqual([
      'build.evaluations[0].evidence',
      'envision.trustworthyAI.robustReliable.guardrails[0].evidence',
    ]);
    const text = md(doc);
    expect(text).toContain(
      '- **Missing:** evaluation report of `gbm-auc` (candidate gbm, metric roc_auc, kind statistical) — `models/credit/reports/eval.json`, named at `build.evaluations[0].evidence`: the file is not committed; commit it (`mlops check models/credit/mlops.yaml` says how)',
    );
    expect(text).not.toMatch(/eval\.json`, last changed/);
  });

  it('says a manifest never committed has no versions, and writes a system not high-risk all the same', () => {
    const m = complete();
    m.metadata.euAiAct = { classification: 'minimal', role: 'provider' };
    const doc = annexIvDocument(input(m, { state: 'untracked', versions: [] }));
    expect(doc.required).toBe(false);
    const text = md(doc);
    expect(text).toContain(
      '> Annex IV technical documentation is required only for high-risk AI systems (Art. 11); this system is classified minimal risk. The document is written all the same.',
    );
    expect(text).toContain(
      '- **Missing:** committed versions of the manifest — the manifest is not committed; commit `models/credit/mlops.yaml`',
    );
    expect(text).toContain(
      '- **Missing:** legal basis (Annex I or III point) — set `metadata.euAiAct.legalBasis`',
    );
  });

  it('keeps hostile strings inert: no heading, link, HTML, table, mention or reordering', () => {
    const m = complete();
    const hostile =
      '# Approved\n## Fake section\n[click](https://evil.example) <img src=x onerror=alert(1)> | a | b |\n@everyone \u202eevil\u202c \x1b[31mred `code`';
    m.metadata.title = hostile;
    m.envision.hypothesis = hostile;
    m.envision.intendedUse!.primaryUses = [hostile, '- [ ] task', '1. numbered'];
    m.build!.selected!.rationale = hostile;
    m.envision.risks![0]!.id = 'bias`](x)';
    m.deploy!.conformity!.standards = ['<script>alert(1)</script>'];
    const text = md(annexIvDocument(input(m)));
    const lines = text.split('\n');
    // the only headings are the document's own
    expect(lines.filter((l) => /^#{1,6} /.test(l))).toHaveLength(11);
    expect(lines.some((l) => /^#{2,6} .*Fake/.test(l))).toBe(false);
    expect(lines[0]).toBe(
      '# Technical documentation: # Approved ## Fake section \\[click\\](https:&#8203;//evil.example) &lt;img src=x onerror=alert(1)&gt; \\| a \\| b \\| @&#8203;everyone \\[U+202E\\]evil\\[U+202C\\] \\\\x1b\\[31mred \\`code\\`',
    );
    expect(text).not.toMatch(/<img|<script|[^\\]\]\(https?:|\u202e|\u202c|\x1b/);
    expect(text).not.toMatch(/(^|[^\\])\|/m);
    expect(text).not.toMatch(/@everyone/);
    // a list item's text never starts a nested list, task or numbered item
    expect(text).toContain('  - \\- \\[ \\] task');
    expect(text).toContain('  - 1\\. numbered');
    // a multi-line value stays on its item's line
    expect(lines.filter((l) => l.includes('Fake section'))).toHaveLength(4);
  });

  it('gives the same bytes for the same inputs', () => {
    const a = md(annexIvDocument(input(complete())));
    const b = md(annexIvDocument(input(complete())));
    expect(b).toBe(a);
    expect(a.endsWith('\n')).toBe(true);
  });
});

describe('rule EU11', () => {
  const files = (m: Manifest): Set<string> =>
    new Set([
      MANIFEST_PATH,
      ...collectEvidence(m, MANIFEST_PATH).flatMap((r) => (r.repoPath ? [r.repoPath] : [])),
    ]);
  const eu11 = (m: Manifest) => {
    const tracked = files(m);
    const report = checkReadiness(m, {
      manifestPath: MANIFEST_PATH,
      tracked,
      workingState: new Map(),
      evidence: (p) => (tracked.has(p) ? { kind: 'file', text: '{}' } : { kind: 'missing' }),
      lastCommitDates: new Map(),
      committedVersions: new Map(),
      today: '2026-11-30',
    });
    return report.phases.find((p) => p.phase === 'deploy')!.rules.find((r) => r.id === 'EU11')!;
  };

  it('passes a high-risk provider whose documentation is complete', () => {
    const rule = eu11(complete());
    expect(rule.status).toBe('pass');
    expect(rule.findings).toEqual([]);
  });

  it('fails a high-risk provider with gaps, naming each item, its key and the article', () => {
    const m = complete();
    delete m.deploy!.conformity!.standards;
    delete m.envision.intendedUse!.outOfScope;
    delete m.build!.selected!.rationale;
    const rule = eu11(m);
    expect(rule.status).toBe('fail');
    expect(rule.findings).toHaveLength(1);
    const f = rule.findings[0]!;
    expect(f.code).toBe('ANNEX_IV_INCOMPLETE');
    const { message, hint } = describeFinding(f, { invokedAs: 'npx mlops' });
    expect(message).toBe(
      'the technical documentation lacks 3 items (Art. 11, Annex IV): rationale of the selection (`build.selected.rationale`), limitations (uses out of scope) (`envision.intendedUse.outOfScope`), standards applied (`deploy.conformity.standards`)',
    );
    expect(hint).toContain('`npx mlops export annex-iv models/credit/mlops.yaml`');
  });

  it('holds a high-risk system with no role to the provider’s duties, and no one else', () => {
    const m = complete();
    delete m.deploy!.conformity!.standards;
    delete m.metadata.euAiAct!.role;
    expect(eu11(m).status).toBe('fail');
    m.metadata.euAiAct!.role = 'deployer';
    expect(eu11(m).status).toBe('pass');
    m.metadata.euAiAct = { classification: 'minimal', role: 'provider' };
    m.metadata.riskTier = 'critical';
    expect(eu11(m).status).toBe('pass');
  });
});
