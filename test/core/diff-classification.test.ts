import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { diffManifests } from '../../src/core/diff.js';
import type { Change } from '../../src/core/diff.js';
import { FIELD_RULES, ITEM_RULES, fieldRuleFor } from '../../src/core/diff-walk.js';
import { describeChange } from '../../src/report/diff.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Doc = any;
type Node = Record<string, unknown>;

const SCHEMA = JSON.parse(
  readFileSync(new URL('../../schemas/mlops.v1.schema.json', import.meta.url), 'utf8'),
) as Node;

const isNode = (v: unknown): v is Node => v !== null && typeof v === 'object' && !Array.isArray(v);

function resolve(node: Node): Node {
  const ref = node.$ref;
  if (typeof ref !== 'string') return node;
  const target = ref
    .replace(/^#\//, '')
    .split('/')
    .reduce<unknown>((n, k) => (isNode(n) ? n[k] : undefined), SCHEMA);
  if (!isNode(target)) throw new Error(`unresolved ${ref}`);
  return resolve({
    ...target,
    ...Object.fromEntries(Object.entries(node).filter(([k]) => k !== '$ref')),
  });
}

const branchesOf = (node: Node): Node[] =>
  (['anyOf', 'oneOf', 'allOf'] as const).flatMap((k) =>
    Array.isArray(node[k]) ? (node[k] as unknown[]).filter(isNode).map(resolve) : [],
  );

/** Whether a schema (or one of its branches) describes a mapping with named keys. */
function hasProperties(node: Node): boolean {
  const n = resolve(node);
  return isNode(n.properties) || branchesOf(n).some(hasProperties);
}

/**
 * Every leaf path of the schema, and every list whose items are mappings (`x[]`): `$ref`,
 * `properties`, `items`, `additionalProperties` (as `.*`) and the branches of `anyOf`, `oneOf`
 * and `allOf` are followed. A list of scalars is one leaf at its own path. `^x-` extensions
 * (patternProperties) are skipped: mlops keeps and ignores them, and the diff judges a change
 * of one as neutral. A branch that only constrains (`{required: [min]}`) is no leaf.
 */
function schemaPaths(): { leaves: Set<string>; lists: Set<string> } {
  const leaves = new Set<string>();
  const lists = new Set<string>();
  const join = (path: string, key: string): string => (path ? `${path}.${key}` : key);
  const walk = (raw: Node, path: string, depth: number): void => {
    if (depth > 40) throw new Error(`schema too deep at ${path}`);
    const node = resolve(raw);
    let structural = false;
    if (isNode(node.properties)) {
      structural = true;
      for (const [key, child] of Object.entries(node.properties)) {
        if (key.startsWith('x-') || !isNode(child)) continue;
        walk(child, join(path, key), depth + 1);
      }
    }
    if (isNode(node.items)) {
      structural = true;
      if (hasProperties(node.items)) {
        lists.add(`${path}[]`);
        walk(node.items, `${path}[]`, depth + 1);
      } else leaves.add(path);
    }
    if (isNode(node.additionalProperties)) {
      structural = true;
      walk(node.additionalProperties, join(path, '*'), depth + 1);
    }
    const branches = branchesOf(node);
    for (const b of branches) walk(b, path, depth + 1);
    const typed =
      'const' in node ||
      'enum' in node ||
      (typeof node.type === 'string' && node.type !== 'object' && node.type !== 'array');
    const unconstrained =
      branches.length === 0 && !('required' in node) && node.type === undefined && !structural;
    if (!structural && (typed || unconstrained) && path) leaves.add(path);
  };
  walk(SCHEMA, '', 0);
  return { leaves, lists };
}

const DIMENSION_PATH = /^envision\.trustworthyAI\.[A-Za-z]+(?=\.|$)/;
const pattern = (path: string): string => path.replace(DIMENSION_PATH, 'envision.trustworthyAI.*');

describe('every leaf of the schema has a classification', () => {
  const { leaves, lists } = schemaPaths();

  it('finds the schema paths it walks (sanity: known leaves and lists are there)', () => {
    expect(leaves.size).toBeGreaterThan(150);
    for (const p of [
      'envision.valueMetrics[].baseline.value',
      'deploy.securityReview.openFindings.high',
      'metadata.euAiAct.classification',
      'metadata.euAiAct.art50Duties',
      'deploy.fria',
      'deploy.fria.sha256',
      'envision.trustworthyAI.privacy.guardrails[].min',
      'approvals[].evidence.*',
    ])
      expect(leaves).toContain(p);
    expect(lists).toContain('monitor.triggers[]');
    expect(lists).toContain('envision.trustworthyAI.fairImpartial.guardrails[]');
  });

  it('every leaf path has an entry in FIELD_RULES (or sits under a whole one)', () => {
    const missing = [...leaves].filter((p) => fieldRuleFor(p) === undefined);
    expect(missing, `schema paths without a diff classification: ${missing.join(', ')}`).toEqual(
      [],
    );
  });

  it('every list of mappings (and each Trustworthy AI dimension) has an entry in ITEM_RULES', () => {
    const covered = (p: string): boolean =>
      ITEM_RULES[pattern(p)] !== undefined || fieldRuleFor(p.replace(/\[\]$/, ''))?.whole === true;
    const dims = [...leaves]
      .map((p) => DIMENSION_PATH.exec(p)?.[0])
      .filter((p): p is string => p !== undefined);
    const missing = [...new Set([...lists, ...dims])].filter((p) => !covered(p));
    expect(missing, `lists without an item classification: ${missing.join(', ')}`).toEqual([]);
  });

  it('no entry is stale: each names a path of the schema', () => {
    const known = [...leaves].map(pattern);
    const stale = Object.entries(FIELD_RULES)
      .filter(
        ([p, r]) =>
          !known.includes(p) &&
          !(r.whole && known.some((k) => k.startsWith(`${p}.`) || k.startsWith(`${p}[]`))),
      )
      .map(([p]) => p);
    expect(stale, `FIELD_RULES entries matching no schema path: ${stale.join(', ')}`).toEqual([]);
    const listPatterns = new Set([...lists].map(pattern));
    const staleItems = Object.keys(ITEM_RULES).filter(
      (p) => !listPatterns.has(p) && p !== 'envision.trustworthyAI.*',
    );
    expect(staleItems, `ITEM_RULES entries matching no list: ${staleItems.join(', ')}`).toEqual([]);
  });

  it('a neutral entry says why it cannot loosen', () => {
    for (const [p, r] of Object.entries(FIELD_RULES)) {
      expect(r.how.length, p).toBeGreaterThan(10);
      if (r.how.startsWith('neutral')) expect(r.how, p).toMatch(/^neutral: \S/);
    }
  });

  it('a field the schema does not know still shows as a change, and an x- extension as neutral', () => {
    const a = base();
    const b = structuredClone(a);
    b.deploy['x-team'] = 'payments';
    b.deploy.unknownField = 3;
    expect(diffManifests(a, b).map((c) => [c.class, c.idPath.join('.')])).toEqual([
      ['changed', 'deploy.x-team'],
      ['changed', 'deploy.unknownField'],
    ]);
  });
});

/** A manifest with every field the cases below touch (plain data: diff never validates). */
function base(): Doc {
  return {
    apiVersion: 'mlops/v1',
    kind: 'ModelManifest',
    metadata: {
      name: 'credit-model',
      version: '1.4.0',
      riskTier: 'high',
      euAiAct: {
        classification: 'high',
        legalBasis: { annex: 'III', point: '5(b)' },
        art50: true,
        art50Duties: ['interaction', 'synthetic_content'],
        gpai: 'model',
        role: 'both',
        publicService: true,
      },
    },
    envision: {
      stakeholders: [
        { id: 'cco', name: 'Helena Marsh', role: 'decision_maker' },
        { id: 'ops', name: 'Marco Santini', role: 'domain_expert' },
        { id: 'risk', name: 'Felix Brandt', role: 'risk_2nd_line' },
      ],
      intendedUse: { outOfScope: ['employment', 'insurance'] },
      valueMetrics: [
        {
          id: 'default-rate',
          direction: 'decrease',
          baseline: { value: 4.2, asOf: '2026-01-01' },
          target: { value: 3.5, by: '2027-06-30' },
          minimumAcceptable: 4.0,
          cadence: 'weekly',
        },
        {
          id: 'approvals',
          direction: 'increase',
          baseline: { value: 100 },
          target: { value: 120 },
          minimumAcceptable: 110,
        },
      ],
      risks: [
        {
          id: 'bias',
          title: 'Bias',
          likelihood: 3,
          impact: 4,
          treatment: 'mitigate',
          lineOfDefense: 2,
          guardrails: ['parity'],
          residual: { likelihood: 2, impact: 3 },
        },
      ],
      trustworthyAI: {
        robustReliable: {
          rigor: 'standard',
          guardrails: [
            {
              id: 'auc',
              metric: 'roc_auc',
              min: 0.75,
              declares: 'accuracy',
              monitor: { cadence: 'daily', evidence: 'reports/live.json' },
            },
          ],
        },
      },
    },
    build: {
      datasets: [
        { id: 'train', role: 'train', personalData: true, sensitiveFeatures: ['age', 'sex'] },
      ],
      modelCard: 'docs/model-card.md',
      dataGovernance: { origin: 'bureau data', biasExamination: 'parity by age' },
    },
    deploy: {
      dataProtection: { personalData: true, dpia: 'docs/dpia.md', retentionDays: 365 },
      securityReview: {
        threatModel: 'docs/threat-model.md',
        openFindings: { critical: 0, high: 0 },
      },
      integration: {
        runbook: 'docs/runbook.md',
        humanOversight: {
          mode: 'in_loop',
          procedure: 'docs/oversight.md',
          assignedTo: ['cco', 'ops'],
        },
        training: 'docs/training.md',
      },
      valueMeasurement: [
        { valueMetric: 'default-rate', design: 'ab_test', instrumentation: 'docs/instr.md' },
      ],
      logging: { automatic: true, specification: 'docs/logging.md', retentionDays: 200 },
      instructionsForUse: 'docs/ifu.md',
      conformity: {
        qualityManagement: 'docs/qms.md',
        procedure: 'notified_body',
        assessment: { path: 'docs/ca.pdf', sha256: 'a'.repeat(64) },
        declaration: 'docs/doc.md',
        registration: 'EU-DB-123',
        standards: ['ISO/IEC 42001'],
      },
      fria: 'docs/fria.md',
      disclosure: 'docs/disclosure.md',
    },
    monitor: {
      drift: [{ id: 'd', method: 'psi', max: 0.25, cadence: 'weekly' }],
      valueTracking: { cadence: 'weekly', evidence: 'reports/value.json', missesToTrigger: 2 },
      triggers: [
        { on: 'value_below_minimum', action: 'reassess' },
        { on: 'incident', action: 'rollback' },
      ],
      governance: { body: 'Model board', reviewCadence: 'monthly', evidence: 'docs/gov.md' },
      postMarket: { plan: 'docs/pmm.md', incidentProcedure: 'docs/incident.md' },
    },
  };
}

const get = (doc: Doc, path: string): Doc =>
  path
    .split('.')
    .reduce(
      (n: Doc, k) =>
        Array.isArray(n) ? (/^\d+$/.test(k) ? n[Number(k)] : n.find((x: Doc) => x.id === k)) : n[k],
      doc,
    );

function set(doc: Doc, path: string, value: unknown): void {
  const keys = path.split('.');
  const last = keys.pop()!;
  const parent = get(doc, keys.join('.'));
  if (value === undefined) delete parent[last];
  else parent[last] = value;
}

function changesOf(edit: (m: Doc) => void, from: Doc = base()): Change[] {
  const after = structuredClone(from);
  edit(after);
  return diffManifests(from, after);
}

/** [what, path to edit (list items by id), new value (undefined: removed), the idPath reported] */
const LOOSENINGS: [string, string, unknown, string][] = [
  [
    'EU class lowered',
    'metadata.euAiAct.classification',
    'minimal',
    'metadata.euAiAct.classification',
  ],
  [
    'EU class removed',
    'metadata.euAiAct.classification',
    undefined,
    'metadata.euAiAct.classification',
  ],
  ['Art. 50 off', 'metadata.euAiAct.art50', false, 'metadata.euAiAct.art50'],
  ['Art. 50 removed', 'metadata.euAiAct.art50', undefined, 'metadata.euAiAct.art50'],
  [
    'Art. 50 duty lost',
    'metadata.euAiAct.art50Duties',
    ['interaction'],
    'metadata.euAiAct.art50Duties',
  ],
  ['GPAI lowered', 'metadata.euAiAct.gpai', 'none', 'metadata.euAiAct.gpai'],
  ['role both -> provider', 'metadata.euAiAct.role', 'provider', 'metadata.euAiAct.role'],
  ['role both -> deployer', 'metadata.euAiAct.role', 'deployer', 'metadata.euAiAct.role'],
  ['legal basis removed', 'metadata.euAiAct.legalBasis', undefined, 'metadata.euAiAct.legalBasis'],
  ['public service off', 'metadata.euAiAct.publicService', false, 'metadata.euAiAct.publicService'],
  ['risk tier lowered', 'metadata.riskTier', 'medium', 'metadata.riskTier'],
  ['DPIA removed', 'deploy.dataProtection.dpia', undefined, 'deploy.dataProtection.dpia'],
  [
    'threat model removed',
    'deploy.securityReview.threatModel',
    undefined,
    'deploy.securityReview.threatModel',
  ],
  ['runbook removed', 'deploy.integration.runbook', undefined, 'deploy.integration.runbook'],
  [
    'oversight procedure removed',
    'deploy.integration.humanOversight.procedure',
    undefined,
    'deploy.integration.humanOversight.procedure',
  ],
  ['training removed', 'deploy.integration.training', undefined, 'deploy.integration.training'],
  ['model card removed', 'build.modelCard', undefined, 'build.modelCard'],
  [
    'instrumentation removed',
    'deploy.valueMeasurement.0.instrumentation',
    undefined,
    'deploy.valueMeasurement.default-rate.instrumentation',
  ],
  [
    'instructions for use removed',
    'deploy.instructionsForUse',
    undefined,
    'deploy.instructionsForUse',
  ],
  [
    'logging specification removed',
    'deploy.logging.specification',
    undefined,
    'deploy.logging.specification',
  ],
  [
    'quality management removed',
    'deploy.conformity.qualityManagement',
    undefined,
    'deploy.conformity.qualityManagement',
  ],
  [
    'conformity assessment removed',
    'deploy.conformity.assessment',
    undefined,
    'deploy.conformity.assessment',
  ],
  [
    'conformity assessment unpinned',
    'deploy.conformity.assessment',
    'docs/ca.pdf',
    'deploy.conformity.assessment',
  ],
  [
    'EU declaration removed',
    'deploy.conformity.declaration',
    undefined,
    'deploy.conformity.declaration',
  ],
  ['FRIA removed', 'deploy.fria', undefined, 'deploy.fria'],
  ['disclosure removed', 'deploy.disclosure', undefined, 'deploy.disclosure'],
  ['post-market plan removed', 'monitor.postMarket.plan', undefined, 'monitor.postMarket.plan'],
  [
    'incident procedure removed',
    'monitor.postMarket.incidentProcedure',
    undefined,
    'monitor.postMarket.incidentProcedure',
  ],
  [
    'governance evidence removed',
    'monitor.governance.evidence',
    undefined,
    'monitor.governance.evidence',
  ],
  [
    'value tracking evidence removed',
    'monitor.valueTracking.evidence',
    undefined,
    'monitor.valueTracking.evidence',
  ],
  [
    'live guardrail evidence removed',
    'envision.trustworthyAI.robustReliable.guardrails.auc.monitor.evidence',
    undefined,
    'envision.trustworthyAI.robustReliable.guardrails.auc.monitor.evidence',
  ],
  [
    'critical findings raised',
    'deploy.securityReview.openFindings.critical',
    1,
    'deploy.securityReview.openFindings.critical',
  ],
  [
    'high findings raised',
    'deploy.securityReview.openFindings.high',
    3,
    'deploy.securityReview.openFindings.high',
  ],
  [
    'treatment weakened',
    'envision.risks.bias.treatment',
    'transfer',
    'envision.risks.bias.treatment',
  ],
  ['likelihood lowered', 'envision.risks.bias.likelihood', 2, 'envision.risks.bias.likelihood'],
  ['impact lowered', 'envision.risks.bias.impact', 1, 'envision.risks.bias.impact'],
  [
    'residual likelihood lowered',
    'envision.risks.bias.residual.likelihood',
    1,
    'envision.risks.bias.residual.likelihood',
  ],
  [
    'residual impact lowered',
    'envision.risks.bias.residual.impact',
    1,
    'envision.risks.bias.residual.impact',
  ],
  [
    'line of defense lowered',
    'envision.risks.bias.lineOfDefense',
    1,
    'envision.risks.bias.lineOfDefense',
  ],
  [
    'missesToTrigger raised',
    'monitor.valueTracking.missesToTrigger',
    6,
    'monitor.valueTracking.missesToTrigger',
  ],
  [
    'value metric cadence lengthened',
    'envision.valueMetrics.default-rate.cadence',
    'monthly',
    'envision.valueMetrics.default-rate.cadence',
  ],
  [
    'value tracking cadence lengthened',
    'monitor.valueTracking.cadence',
    'quarterly',
    'monitor.valueTracking.cadence',
  ],
  ['drift cadence lengthened', 'monitor.drift.d.cadence', 'monthly', 'monitor.drift.d.cadence'],
  [
    'guardrail monitor cadence lengthened',
    'envision.trustworthyAI.robustReliable.guardrails.auc.monitor.cadence',
    'weekly',
    'envision.trustworthyAI.robustReliable.guardrails.auc.monitor.cadence',
  ],
  [
    'review cadence lengthened',
    'monitor.governance.reviewCadence',
    'quarterly',
    'monitor.governance.reviewCadence',
  ],
  [
    'baseline raised (decrease: easier)',
    'envision.valueMetrics.default-rate.baseline.value',
    5,
    'envision.valueMetrics.default-rate.baseline.value',
  ],
  [
    'baseline lowered (increase: easier)',
    'envision.valueMetrics.approvals.baseline.value',
    90,
    'envision.valueMetrics.approvals.baseline.value',
  ],
  [
    'target date postponed',
    'envision.valueMetrics.default-rate.target.by',
    '2029-12-31',
    'envision.valueMetrics.default-rate.target.by',
  ],
  [
    'minimum toward the baseline (decrease)',
    'envision.valueMetrics.default-rate.minimumAcceptable',
    4.1,
    'envision.valueMetrics.default-rate.minimumAcceptable',
  ],
  [
    'minimum toward the baseline (increase)',
    'envision.valueMetrics.approvals.minimumAcceptable',
    105,
    'envision.valueMetrics.approvals.minimumAcceptable',
  ],
  ['log retention shortened', 'deploy.logging.retentionDays', 90, 'deploy.logging.retentionDays'],
  [
    'data retention lengthened',
    'deploy.dataProtection.retentionDays',
    730,
    'deploy.dataProtection.retentionDays',
  ],
  [
    'oversight mode lowered',
    'deploy.integration.humanOversight.mode',
    'on_loop',
    'deploy.integration.humanOversight.mode',
  ],
  [
    'oversight person lost',
    'deploy.integration.humanOversight.assignedTo',
    ['cco'],
    'deploy.integration.humanOversight.assignedTo',
  ],
  ['automatic logging off', 'deploy.logging.automatic', false, 'deploy.logging.automatic'],
  [
    'guardrail declares removed',
    'envision.trustworthyAI.robustReliable.guardrails.auc.declares',
    undefined,
    'envision.trustworthyAI.robustReliable.guardrails.auc.declares',
  ],
  [
    'personal data off',
    'deploy.dataProtection.personalData',
    false,
    'deploy.dataProtection.personalData',
  ],
  [
    'conformity by internal control',
    'deploy.conformity.procedure',
    'internal_control',
    'deploy.conformity.procedure',
  ],
  ['standard dropped', 'deploy.conformity.standards', [], 'deploy.conformity.standards'],
  [
    'value measurement design weakened',
    'deploy.valueMeasurement.0.design',
    'pre_post',
    'deploy.valueMeasurement.default-rate.design',
  ],
  [
    'out-of-scope use dropped',
    'envision.intendedUse.outOfScope',
    ['employment'],
    'envision.intendedUse.outOfScope',
  ],
  [
    'data governance fact removed',
    'build.dataGovernance.biasExamination',
    undefined,
    'build.dataGovernance.biasExamination',
  ],
];

describe('each loosening is classified loosened, with words that say why', () => {
  it.each(LOOSENINGS)('%s', (_what, path, value, idPath) => {
    const changes = changesOf((m) => set(m, path, value));
    const found = changes.filter((c) => c.idPath.join('.') === idPath);
    expect(
      found.map((c) => c.class),
      JSON.stringify(changes.map((c) => [c.class, c.idPath])),
    ).toEqual(['loosened']);
    expect(found[0]!.severity).toBe('error');
    // what loosened, then why it matters
    expect(describeChange(found[0]!).message).toMatch(/[:;] [a-z(].{15,}$/);
  });

  it('the opposite edits tighten, never loosen', () => {
    const tightened = changesOf((m) => {
      m.deploy.securityReview.openFindings.high = 0;
      m.deploy.logging.retentionDays = 400;
      m.monitor.valueTracking.missesToTrigger = 1;
      m.envision.risks[0].lineOfDefense = 3;
      m.envision.risks[0].treatment = 'avoid';
      m.metadata.euAiAct.classification = 'prohibited';
      m.deploy.integration.humanOversight.assignedTo.push('risk');
    });
    expect(tightened.filter((c) => c.class === 'loosened')).toEqual([]);
    expect(tightened.filter((c) => c.class === 'tightened').length).toBe(6);
  });

  it('a trigger, a risk, an evaluation, a dataset and a value measurement removed loosen', () => {
    const changes = changesOf((m) => {
      m.monitor.triggers = m.monitor.triggers.filter((t: Doc) => t.on !== 'value_below_minimum');
      m.envision.risks = [];
      m.build.datasets = [];
      m.deploy.valueMeasurement = [];
    });
    expect(changes.map((c) => [c.class, c.idPath.join('.')])).toEqual(
      expect.arrayContaining([
        ['loosened', 'monitor.triggers.value_below_minimum:reassess'],
        ['loosened', 'envision.risks.bias'],
        ['loosened', 'build.datasets.train'],
        ['loosened', 'deploy.valueMeasurement.default-rate'],
      ]),
    );
    expect(changes.every((c) => c.class === 'loosened')).toBe(true);
  });

  it('a role change that drops obligations loosens; one that only adds tightens', () => {
    const role = (from: string | undefined, to: string | undefined): string[] => {
      const b = base();
      set(b, 'metadata.euAiAct.role', from);
      return changesOf((m) => set(m, 'metadata.euAiAct.role', to), b).map((c) => c.class);
    };
    expect(role('provider', 'importer')).toEqual(['loosened']);
    expect(role('deployer', 'distributor')).toEqual(['loosened']);
    expect(role('provider', 'deployer')).toEqual(['loosened']);
    expect(role('provider', 'both')).toEqual(['tightened']);
    expect(role('importer', 'distributor')).toEqual(['changed']);
    // no role is held to the provider's duties
    expect(role(undefined, 'provider')).toEqual([]);
    expect(role(undefined, 'deployer')).toEqual(['loosened']);
  });

  it('a baseline moved the harder way is still a warning, never info', () => {
    const changes = changesOf((m) => {
      m.envision.valueMetrics[0].baseline.value = 4.0; // decrease: lowered is harder
      m.envision.valueMetrics[0].baseline.asOf = '2026-06-01';
    });
    expect(changes.map((c) => [c.class, c.severity, c.idPath.at(-1)])).toEqual([
      ['changed', 'warning', 'value'],
      ['changed', 'warning', 'asOf'],
    ]);
    expect(describeChange(changes[0]!).message).toMatch(
      /baseline 4.2 → 4: the target and minimum were set/,
    );
  });
});

describe('EU classification compared by meaning', () => {
  const limited = (): Doc => {
    const b = base();
    b.metadata.euAiAct = { classification: 'limited', role: 'provider' };
    return b;
  };

  it('limited -> minimal with art50: true is no change at all', () => {
    const changes = changesOf((m) => {
      m.metadata.euAiAct = { classification: 'minimal', art50: true, role: 'provider' };
    }, limited());
    expect(changes).toEqual([]);
  });

  it('limited -> minimal without art50 drops the Art. 50 duties: loosened', () => {
    const changes = changesOf((m) => {
      m.metadata.euAiAct = { classification: 'minimal', role: 'provider' };
    }, limited());
    expect(changes.map((c) => [c.class, c.idPath.join('.')])).toEqual([
      ['loosened', 'metadata.euAiAct.art50'],
    ]);
    expect(describeChange(changes[0]!).message).toMatch(
      /earlier `limited` class meant minimal with Art\. 50/,
    );
  });

  it('limited -> high is a raised class, not a loosening', () => {
    const changes = changesOf((m) => {
      m.metadata.euAiAct = { classification: 'high', art50: true, role: 'provider' };
    }, limited());
    expect(changes.map((c) => [c.class, c.idPath.join('.')])).toEqual([
      ['tightened', 'metadata.euAiAct.classification'],
    ]);
  });
});

describe('EU classification added or removed whole', () => {
  it('adding a classification tightens only what it sets; removing a high one loosens', () => {
    const without = base();
    delete without.metadata.euAiAct;
    const added = changesOf((m) => {
      m.metadata.euAiAct = { classification: 'high', gpai: 'none' };
    }, without);
    expect(added.map((c) => [c.class, c.idPath.join('.')])).toEqual([
      ['tightened', 'metadata.euAiAct.classification'],
    ]);
    const removed = changesOf((m) => delete m.metadata.euAiAct);
    expect(removed.map((c) => [c.class, c.idPath.at(-1)]).sort()).toEqual([
      ['loosened', 'art50'],
      ['loosened', 'art50Duties'],
      ['loosened', 'classification'],
      ['loosened', 'gpai'],
      ['loosened', 'legalBasis'],
      ['loosened', 'publicService'],
      ['loosened', 'role'],
    ]);
  });
});
