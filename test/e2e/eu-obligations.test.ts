/**
 * The EU AI Act obligations as readiness rules, through the built CLI in git repositories: they
 * follow the classification and the operator role whatever the riskTier, each failure names
 * what is missing and the article, SARIF links every rule to the Act, and a waiver excuses one
 * only once approved.
 */
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { EU_AI_ACT_URL } from '../../src/core/eu-ai-act.js';
import { runBin } from '../helpers/bin.js';
import { git, gitDir, writeFiles } from '../helpers/gitdir.js';
import { sarifErrors } from '../helpers/sarif.js';

const FIXTURE = new URL('../fixtures/check-complete/', import.meta.url).pathname;
const M = 'model/mlops.yaml';
const TODAY = '2026-11-27';
const RISK = { name: 'Rui Okafor', email: 'rui@example.com' };

type Data = Record<string, any>;

/** git run on `day` (as the repository's user, or as `who`). */
function on(day: string, who?: { name: string; email: string }): Record<string, string> {
  return {
    GIT_AUTHOR_DATE: `${day}T12:00:00Z`,
    GIT_COMMITTER_DATE: `${day}T12:00:00Z`,
    ...(who
      ? {
          GIT_AUTHOR_NAME: who.name,
          GIT_AUTHOR_EMAIL: who.email,
          GIT_COMMITTER_NAME: who.name,
          GIT_COMMITTER_EMAIL: who.email,
        }
      : {}),
  };
}

const DOCS = [
  'oversight',
  'instructions',
  'logging',
  'qms',
  'conformity',
  'declaration',
  'fria',
  'disclosure',
  'post-market',
  'incidents',
];

/**
 * The complete fixture (every rule of the old kind passes) in a new repository, with `edit`
 * applied to its manifest, the EU documents of model/docs/ written, and every file committed;
 * then envision, build and deploy are signed off by the decision maker (and, at tier high, by
 * the second line, committed by that person).
 */
function model(edit: (m: Data) => void): string {
  const dir = gitDir();
  cpSync(FIXTURE, join(dir, 'model'), { recursive: true });
  writeFiles(dir, Object.fromEntries(DOCS.map((d) => [`model/docs/${d}.md`, `# ${d}\n`])));
  // the build and live reports hold each fairness group's value (rigor dialUp)
  for (const report of ['metrics', 'live']) {
    const path = join(dir, `model/reports/${report}.json`);
    const data = JSON.parse(readFileSync(path, 'utf8')) as Data;
    data.groups = {
      small: { disparate_impact_ratio: 0.9 },
      large: { disparate_impact_ratio: 0.92 },
    };
    Object.assign(data.metrics, { pii_feature_count: 0, invalid_input_acceptance_rate: 0 });
    writeFileSync(path, JSON.stringify(data));
  }
  const m = parse(readFileSync(join(dir, M), 'utf8')) as Data;
  delete m.approvals;
  m.metadata.status = 'deploy';
  m.envision.stakeholders.find((s: Data) => s.id === 'risk').email = RISK.email;
  edit(m);
  writeFileSync(join(dir, M), stringify(m));
  git(dir, ['add', '.']);
  git(dir, ['commit', '-q', '-m', 'model'], on('2026-11-19'));
  signOff(dir, m.metadata.riskTier === 'high' ? ['head-sales', 'risk'] : ['head-sales']);
  return dir;
}

/** Every phase up to deploy signed off by each of `by`, each committing their own approvals. */
function signOff(dir: string, by: string[]): void {
  for (const who of by) {
    for (const phase of ['envision', 'build', 'deploy']) {
      const r = runBin(['approve', M, '--phase', phase, '--by', who, '--date', '2026-11-20'], dir);
      expect(r.code, r.stderr).toBe(0);
    }
    git(
      dir,
      ['commit', '-q', '-am', `sign off (${who})`],
      on('2026-11-20', who === 'risk' ? RISK : undefined),
    );
  }
}

/** A high-risk system whose provider meets every obligation, at tier high. */
function compliantProvider(m: Data): void {
  m.metadata.riskTier = 'high';
  m.metadata.euAiAct = {
    classification: 'high',
    role: 'provider',
    legalBasis: { annex: 'III', point: '4(a)' },
  };
  m.envision.intendedUse = {
    primaryUses: ['Rank inbound leads'],
    primaryUsers: ['Sales reps'],
    outOfScope: ['Hiring decisions'],
  };
  m.envision.risks[0].residual = { likelihood: 1, impact: 3 };
  const tai = m.envision.trustworthyAI;
  for (const d of ['fairImpartial', 'privacy', 'safeSecure']) tai[d].rigor = 'dialUp';
  tai.fairImpartial.guardrails[0].groups = ['small', 'large'];
  tai.robustReliable.guardrails[0].declares = 'accuracy';
  tai.robustReliable.guardrails.push({
    id: 'shift',
    metric: 'roc_auc',
    min: 0.7,
    phases: ['build'],
    declares: 'robustness',
    evidence: 'reports/metrics.json',
  });
  const live = { evidence: 'reports/live.json', cadence: 'monthly' };
  Object.assign(tai.privacy.guardrails[0], { phases: ['build', 'monitor'], monitor: live });
  Object.assign(tai.safeSecure.guardrails[0], {
    phases: ['build', 'monitor'],
    monitor: live,
    declares: 'cybersecurity',
  });
  m.build.dataGovernance = {
    origin: 'CRM leads 2022-2025, collected for sales follow-up.',
    preparation: 'Deduplicated; labels from conversion within 90 days.',
    biasExamination: 'Conversion and score compared per firm size.',
    gaps: 'Few leads from the public sector.',
  };
  m.deploy.integration.humanOversight = { mode: 'in_loop', procedure: 'docs/oversight.md' };
  m.deploy.logging = { automatic: true, specification: 'docs/logging.md' };
  m.deploy.instructionsForUse = 'docs/instructions.md';
  m.deploy.conformity = {
    qualityManagement: 'docs/qms.md',
    procedure: 'internal_control',
    assessment: 'docs/conformity.md',
    declaration: 'docs/declaration.md',
    registration: 'EU-DB-0001',
    standards: ['ISO/IEC 42001'],
  };
  m.monitor.postMarket = { plan: 'docs/post-market.md', incidentProcedure: 'docs/incidents.md' };
}

/**
 * The compliance lead's case: riskTier low, high-risk provider, oversight none, every
 * dimension at dialDown; monitor holds only the plan rule D5 asks for (no post-market section,
 * no trigger on incident).
 */
function complianceLeadCase(m: Data): void {
  m.metadata.riskTier = 'low';
  m.metadata.euAiAct = { classification: 'high', role: 'provider' };
  for (const dim of Object.values(m.envision.trustworthyAI) as Data[]) dim.rigor = 'dialDown';
  m.deploy.integration.humanOversight = { mode: 'none' };
  m.monitor = {
    valueTracking: m.monitor.valueTracking,
    drift: m.monitor.drift,
    triggers: m.monitor.triggers.filter((t: Data) => t.on !== 'incident'),
  };
}

interface Json {
  manifests: { phases: { phase: string; rules: { id: string; status: string }[] }[] }[];
}

function checkJson(dir: string): Json {
  const r = runBin(['check', '--today', TODAY, '--format', 'json', M], dir);
  expect(r.stderr).toBe('');
  return JSON.parse(r.stdout) as Json;
}

/** The ids of the rules that fail, per phase up to deploy. */
function failing(json: Json): Record<string, string[]> {
  return Object.fromEntries(
    json.manifests[0]!.phases.filter((p) => p.phase !== 'monitor').map((p) => [
      p.phase,
      p.rules.filter((r) => r.status === 'fail').map((r) => r.id),
    ]),
  );
}

function status(json: Json, phase: string, id: string): string | undefined {
  return json.manifests[0]!.phases.find((p) => p.phase === phase)?.rules.find((r) => r.id === id)
    ?.status;
}

describe("the compliance lead's case: high-risk provider at riskTier low, oversight none", () => {
  it('is not ready for deploy: the EU rules fail, each with what is missing and its article', () => {
    const dir = model(complianceLeadCase);
    const r = runBin(['check', '--today', TODAY, '--phase', 'deploy', M], dir);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('not ready for deploy');
    for (const line of [
      '✖ EU6  High-risk classification held',
      'riskTier is `low`: a system classified high-risk needs tier high or critical (EU AI Act Art. 6)',
      '→ set `metadata.riskTier` to `high`',
      'the high-risk classification names no legal basis: Annex I legislation or an Annex III point (EU AI Act Art. 6)',
      '✖ EU9  Risk management with residual risk',
      '(EU AI Act Art. 9(5))',
      '✖ EU10  Data and data governance',
      '(EU AI Act Art. 10(2))',
      '✖ EU15  Accuracy, robustness, cybersecurity declared',
      'no guardrail declares the accuracy of the system',
      '✖ EU12  Automatic logging',
      '(EU AI Act Art. 12)',
      '✖ EU13  Instructions for use',
      '(EU AI Act Art. 13)',
      '✖ EU14  Human oversight',
      'human oversight is `none`: a high-risk system needs in_loop or on_loop oversight (EU AI Act Art. 14)',
      '→ set `deploy.integration.humanOversight.mode` to `in_loop`',
      '✖ EU17  Quality management system',
      '(EU AI Act Art. 17)',
      '✖ EU43  Conformity assessment and registration',
      '(EU AI Act Art. 43)',
      '(EU AI Act Art. 47)',
      '(EU AI Act Art. 49)',
    ])
      expect(r.stdout).toContain(line);

    // only the EU rules hold it back: every rule of the old kind passes
    const fails = failing(checkJson(dir));
    expect(fails.envision).toEqual(['EU6', 'EU9']);
    expect(fails.build).toEqual(['EU10', 'EU15']);
    expect(fails.deploy).toEqual(expect.arrayContaining(['EU12', 'EU13', 'EU14', 'EU17', 'EU43']));
    expect(fails.deploy!.filter((id) => !id.startsWith('EU'))).toEqual([]);
  }, 60_000);

  it('was ready for deploy without the classification: the obligations follow it, not the tier', () => {
    const dir = model((m) => {
      complianceLeadCase(m);
      delete m.metadata.euAiAct;
    });
    const r = runBin(['check', '--today', TODAY, '--phase', 'deploy', M], dir);
    expect(r.stdout).toContain('ready for deploy');
    expect(r.code).toBe(0);
  }, 60_000);

  it('gives code scanning every EU rule with its article and the text of the Act', () => {
    const dir = model(complianceLeadCase);
    const r = runBin(['check', '--today', TODAY, '--phase', 'deploy', '--format', 'sarif', M], dir);
    expect(r.code).toBe(1);
    const log = JSON.parse(r.stdout) as {
      runs: {
        tool: { driver: { rules: { id: string; helpUri?: string; help: { text: string } }[] } };
        results: { ruleId: string; message: { text: string } }[];
      }[];
    };
    expect(sarifErrors(log)).toEqual([]);
    const rules = log.runs[0]!.tool.driver.rules.filter((x) => /^EU\d+$/.test(x.id));
    expect(rules.map((x) => x.id)).toEqual([
      'EU6',
      'EU9',
      'EU10',
      'EU15',
      'EU11',
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
    ]);
    for (const rule of rules) {
      expect(rule.helpUri, rule.id).toBe(EU_AI_ACT_URL);
      const article = rule.id.slice(2);
      expect(rule.help.text, rule.id).toMatch(
        new RegExp(`EU AI Act, Arts?\\.? [^\\n]*\\b${article}\\b`),
      );
    }
    const results = log.runs[0]!.results;
    expect(results.filter((x) => x.ruleId === 'EU14').map((x) => x.message.text)[0]).toContain(
      'human oversight is `none`: a high-risk system needs in_loop or on_loop oversight (EU AI Act Art. 14)',
    );
    expect(results.some((x) => x.ruleId === 'EU6')).toBe(true);
  }, 60_000);
});

describe('a high-risk provider that meets every obligation', () => {
  it('is ready for deploy at tier high', () => {
    const dir = model(compliantProvider);
    const r = runBin(['check', '--today', TODAY, '--phase', 'deploy', M], dir);
    expect(r.stdout).toContain('ready for deploy');
    expect(r.code).toBe(0);
  }, 60_000);
});

describe('a high-risk deployer', () => {
  const deployer = (m: Data): void => {
    m.metadata.riskTier = 'low';
    m.metadata.euAiAct = {
      classification: 'high',
      role: 'deployer',
      legalBasis: { annex: 'III', point: '5(b)' },
    };
  };

  it('assigns oversight to named people, keeps logs six months and has a FRIA for point 5(b)', () => {
    const dir = model(deployer);
    const r = runBin(['check', '--today', TODAY, '--phase', 'deploy', M], dir);
    expect(r.code).toBe(1);
    for (const line of [
      '✖ EU26  Deployer obligations',
      'human oversight is assigned to no one: a deployer of a high-risk system assigns it to named people (EU AI Act Art. 26(2))',
      'no log retention is stated: a deployer of a high-risk system keeps them at least six months, 184 days (EU AI Act Art. 26(6))',
      '✖ EU27  Fundamental-rights impact assessment',
      'no fundamental-rights impact assessment: a deployer of an Annex III point 5(b) system (creditworthiness, credit score) (Annex III, point 5(b)) assesses one before first use (EU AI Act Art. 27)',
    ])
      expect(r.stdout).toContain(line);
    // the provider's duties are not the deployer's
    expect(failing(checkJson(dir))).toEqual({
      envision: ['EU6'],
      build: [],
      deploy: ['EU26', 'EU27'],
    });

    const fixed = model((m) => {
      deployer(m);
      m.deploy.integration.humanOversight.assignedTo = ['rep'];
      m.deploy.logging = { retentionDays: 184 };
      m.deploy.fria = 'docs/fria.md';
    });
    const json = checkJson(fixed);
    expect([status(json, 'deploy', 'EU26'), status(json, 'deploy', 'EU27')]).toEqual([
      'pass',
      'pass',
    ]);
    expect(failing(json).deploy).toEqual([]);
  }, 90_000);
});

describe('Art. 50 duties apart from the risk class', () => {
  it('a minimal-risk chatbot is not ready for deploy without its disclosure, and is with it', () => {
    const art50 = (m: Data): void => {
      m.metadata.euAiAct = { classification: 'minimal', art50: true, art50Duties: ['interaction'] };
    };
    const dir = model(art50);
    const r = runBin(['check', '--today', TODAY, '--phase', 'deploy', M], dir);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain(
      'no transparency disclosure: a system with Art. 50 duties (people interacting with an AI system) tells people (EU AI Act Art. 50)',
    );
    expect(r.stdout).toContain('set `deploy.disclosure` to `"DISCLOSURE_FILE"`');
    expect(failing(checkJson(dir))).toEqual({ envision: [], build: [], deploy: ['EU50'] });

    const ok = model((m) => {
      art50(m);
      m.deploy.disclosure = 'docs/disclosure.md';
    });
    const after = runBin(['check', '--today', TODAY, '--phase', 'deploy', M], ok);
    expect(after.stdout).toContain('ready for deploy');
    expect(after.code).toBe(0);
  }, 90_000);
});

describe('a waiver of an EU rule', () => {
  it('counts only once approved: committed but unapproved, deploy is not ready; approved, it is', () => {
    const dir = model((m) => {
      compliantProvider(m);
      delete m.deploy.integration.humanOversight.procedure;
      m.waivers = [
        {
          id: 'waive-eu14',
          rule: 'EU14',
          reason: 'The oversight procedure is in review with the works council.',
          owner: 'ds',
          expires: '2026-12-15',
        },
      ];
    });
    const before = runBin(['check', '--today', TODAY, '--phase', 'deploy', M], dir);
    expect(before.code).toBe(1);
    expect(before.stdout).toContain('no human oversight procedure');
    expect(before.stdout).toContain('waiver waive-eu14 (EU14) is not in force');
    expect(status(checkJson(dir), 'deploy', 'EU14')).toBe('fail');

    // at tier high the second line approves it, and commits the approval
    const r = runBin(
      ['approve', M, '--waiver', 'waive-eu14', '--by', 'risk', '--date', '2026-11-21'],
      dir,
    );
    expect(r.code, r.stderr).toBe(0);
    git(dir, ['commit', '-q', '-am', 'approve the waiver'], on('2026-11-21', RISK));
    const after = runBin(['check', '--today', TODAY, '--phase', 'deploy', M], dir);
    expect(after.stdout).toMatch(/~ EU14 {2}Human oversight: waived by waive-eu14/);
    expect(after.stdout).toContain('ready for deploy');
    expect(after.code).toBe(0);
    expect(status(checkJson(dir), 'deploy', 'EU14')).toBe('waived');
  }, 90_000);
});
