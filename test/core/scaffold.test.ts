import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { DIMENSIONS } from '../../src/core/manifest.js';
import type { Manifest } from '../../src/core/manifest.js';
import {
  checkName,
  checkTarget,
  closestTemplate,
  nameFromFolder,
  readTemplateDefaults,
  scaffoldManifest,
  slugify,
  todoMarks,
} from '../../src/core/scaffold.js';
import type { InitAnswers } from '../../src/core/scaffold.js';
import { readManifest } from '../../src/core/manifest/reader.js';
import { TEMPLATES_DIR, loadValidator } from '../../src/io/assets.js';

const validator = await loadValidator();
const TEMPLATES = ['default', 'classification', 'forecasting', 'recommendation', 'genai'];
const template = (name: string): string =>
  readFileSync(join(TEMPLATES_DIR, `${name}.yaml`), 'utf8');
const REF = '../node_modules/mlops/schemas/mlops.v1.schema.json';
const base: InitAnswers = {
  name: 'churn-model',
  owner: 'Ada Lovelace',
  riskTier: 'medium',
  template: 'default',
};

const manifestOf = (text: string): Manifest => parse(text) as Manifest;
/**
 * The errors every command finds in the manifest, as `mlops validate` reports them. A scaffold
 * still holds its "TODO:" placeholders, which validate warns about: those are counted apart.
 */
const findings = (text: string) =>
  readManifest(text, 'mlops.yaml', validator).findings.filter((f) => f.severity === 'error');
/** Whole-line comments, in order, without the editor modeline. */
const commentLines = (text: string): string[] =>
  text
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l.startsWith('#') && !l.startsWith('# yaml-language-server:'));

describe('slugify', () => {
  it.each([
    ['Churn Model', '-', 'churn-model'],
    ['  Crème brûlée / v2 ', '-', 'creme-brulee-v2'],
    ['Monthly churn rate (%)', '_', 'monthly_churn_rate'],
    ['--already-a-slug--', '-', 'already-a-slug'],
    ['日本語', '-', ''],
  ] as const)('%s with "%s" gives "%s"', (input, sep, expected) => {
    expect(slugify(input, sep)).toBe(expected);
  });

  it('stops at a word boundary within the length limit and never ends in a separator', () => {
    const slug = slugify('word '.repeat(30));
    expect(slug.length).toBeLessThanOrEqual(63);
    expect(slug).toMatch(/^[a-z0-9][a-z0-9-]*[a-z0-9]$/);
    expect(slugify('a'.repeat(80))).toBe('a'.repeat(63));
  });
});

describe('names', () => {
  it('derives a valid name from a folder name, or none', () => {
    expect(nameFromFolder('Churn Model')).toBe('churn-model');
    expect(nameFromFolder('x')).toBe('x-model');
    expect(nameFromFolder('___')).toBeUndefined();
  });

  it('accepts slugs and explains what is wrong with anything else, suggesting a slug', () => {
    expect(checkName('churn-model')).toBeUndefined();
    expect(checkName('Churn Model')).toContain('"churn-model"');
    expect(checkName('a')).toContain('2 to 63');
    expect(checkName('churn_model')).toBeDefined();
    expect(checkName('-churn')).toBeDefined();
  });
});

describe('checkTarget', () => {
  it('wants the target in the direction of the baseline', () => {
    expect(checkTarget('increase', 10, 12)).toBeUndefined();
    expect(checkTarget('increase', 10, 10)).toContain('above the baseline 10');
    expect(checkTarget('decrease', 2.5, 2.1)).toBeUndefined();
    expect(checkTarget('decrease', 2.5, 3)).toContain('below the baseline 2.5');
    expect(checkTarget('maintain', 5, 5)).toBeUndefined();
    expect(checkTarget('increase', 1, Number.NaN)).toBe('enter a number');
  });
});

describe('readTemplateDefaults', () => {
  it('offers what the template says', () => {
    const d = readTemplateDefaults(template('classification'));
    expect(d.riskTier).toBe('medium');
    expect(d.hypothesis).toMatch(/^If we target retention offers/);
    expect(d.decisionMaker).toBe('TODO: name, e.g. Head of Retention');
    // numbers nobody knows yet are left out of the templates: nothing to offer for them
    expect(d.metric).toEqual({
      name: 'Monthly customer churn rate',
      unit: 'percent of active customers per month',
      direction: 'decrease',
    });
  });
});

describe('scaffoldManifest from every template', () => {
  it.each(TEMPLATES)('%s: validates, keeps every comment, has all six dimensions', (name) => {
    const text = scaffoldManifest(template(name), { ...base, template: name }, REF);
    expect(findings(text)).toEqual([]);
    expect(commentLines(text)).toEqual(commentLines(template(name)));
    expect(commentLines(text).length).toBeGreaterThan(20);
    const m = manifestOf(text);
    expect(Object.keys(m.envision.trustworthyAI ?? {}).sort()).toEqual([...DIMENSIONS].sort());
    expect(text.split('\n')[0]).toBe(`# yaml-language-server: $schema=${REF}`);
    expect(m.metadata).toMatchObject({
      name: 'churn-model',
      version: '0.1.0',
      status: 'envision',
      riskTier: 'medium',
    });
    expect(m.metadata.owner.name).toBe('Ada Lovelace');
  });

  it.each(TEMPLATES)(
    '%s at risk tier high: fairness, privacy and security at dialUp unless excluded or justified',
    (name) => {
      const text = scaffoldManifest(
        template(name),
        { ...base, riskTier: 'high', template: name },
        REF,
      );
      expect(findings(text)).toEqual([]);
      const tai = manifestOf(text).envision.trustworthyAI ?? {};
      for (const dim of ['fairImpartial', 'privacy', 'safeSecure'] as const) {
        const d = tai[dim]!;
        expect(d.rigor === 'dialUp' || d.excluded === true || (d.justification ?? '') !== '').toBe(
          true,
        );
      }
      expect(commentLines(text)).toEqual(commentLines(template(name)));
    },
  );
});

describe('scaffoldManifest with answers', () => {
  const answers: InitAnswers = {
    ...base,
    template: 'classification',
    problem: 'Too many subscribers cancel in their second year.',
    hypothesis:
      'If we call the customers most likely to leave, then fewer leave, measured by monthly churn rate.',
    decisionMaker: 'Grace Hopper',
    productManager: 'Alan Turing',
    metric: {
      name: 'Second-year churn rate',
      unit: 'percent per month',
      direction: 'decrease',
      baseline: 3,
      target: 2.4,
      minimumAcceptable: 2.8,
      by: '2027-12-31',
    },
  };

  it('puts every answer in its place', () => {
    const text = scaffoldManifest(template('classification'), answers, REF);
    expect(findings(text)).toEqual([]);
    const { envision } = manifestOf(text);
    expect(envision.problem).toBe(answers.problem);
    expect(envision.hypothesis).toBe(answers.hypothesis);
    expect(envision.stakeholders?.find((s) => s.role === 'decision_maker')?.name).toBe(
      'Grace Hopper',
    );
    expect(envision.stakeholders?.find((s) => s.role === 'ai_product_manager')?.name).toBe(
      'Alan Turing',
    );
    expect(envision.valueMetrics?.[0]).toMatchObject({
      id: 'second_year_churn_rate',
      name: 'Second-year churn rate',
      unit: 'percent per month',
      direction: 'decrease',
      baseline: { value: 3 },
      target: { value: 2.4, by: '2027-12-31' },
      minimumAcceptable: 2.8,
    });
    // in the order a reader expects, before the owner and the cadence
    expect(Object.keys(envision.valueMetrics![0]!)).toEqual([
      'id',
      'name',
      'unit',
      'direction',
      'baseline',
      'target',
      'minimumAcceptable',
      'owner',
      'cadence',
    ]);
  });

  it('stands the baseline in for a minimum the answers leave out, marked to be set', () => {
    const { minimumAcceptable: _, ...metric } = answers.metric!;
    const withMinimum = template('classification').replace(
      '      owner: decision-maker\n',
      '      minimumAcceptable: 2.4\n      owner: decision-maker\n',
    );
    const text = scaffoldManifest(withMinimum, { ...answers, metric }, REF);
    expect(manifestOf(text).envision.valueMetrics?.[0]?.minimumAcceptable).toBe(3);
    expect(text).toContain('minimumAcceptable: 3 # TODO:');
  });

  it('keeps long answers on one line', () => {
    const long = `If we ${'do something useful '.repeat(20)}then value follows, measured by churn.`;
    const text = scaffoldManifest(template('default'), { ...base, hypothesis: long }, REF);
    expect(text.split('\n')).toContain(`  hypothesis: ${long}`);
  });

  it('drops the quotes a TODO needed, and quotes only where YAML needs it', () => {
    const text = scaffoldManifest(
      template('default'),
      { ...base, problem: 'Claims wait: three weeks', decisionMaker: 'Grace Hopper' },
      REF,
    );
    expect(text).toContain('  problem: "Claims wait: three weeks"\n');
    expect(text).toContain('      name: Grace Hopper\n');
    expect(manifestOf(text).envision.problem).toBe('Claims wait: three weeks');
  });

  it('keeps the template text for answers left empty', () => {
    const text = scaffoldManifest(
      template('default'),
      { ...base, problem: '  ', decisionMaker: '' },
      REF,
    );
    const { envision } = manifestOf(text);
    expect(envision.problem).toBe("TODO: the business problem, in the business's words");
    expect(envision.stakeholders?.[0]?.name).toBe('TODO: name');
  });

  it('leaves the first metric alone when the answers repeat the template', () => {
    const withNumbers = template('genai').replace(
      '      owner: decision-maker\n',
      '      baseline: { value: 15 }\n      target: { value: 35 }\n      minimumAcceptable: 25\n      owner: decision-maker\n',
    );
    const offered = readTemplateDefaults(withNumbers).metric!;
    const metric = {
      ...offered,
      direction: offered.direction!,
      baseline: offered.baseline!,
      target: offered.target!,
    };
    const m = manifestOf(scaffoldManifest(withNumbers, { ...base, metric }, REF));
    expect(m.envision.valueMetrics?.[0]).toMatchObject({
      id: 'deflection_rate',
      minimumAcceptable: 25,
    });
  });

  it('drops minimumAcceptable for a metric to maintain', () => {
    const metric = {
      name: 'Customer satisfaction',
      unit: 'CSAT 1-5',
      direction: 'maintain' as const,
      baseline: 4.2,
      target: 4.2,
    };
    const text = scaffoldManifest(template('genai'), { ...base, metric }, REF);
    expect(findings(text)).toEqual([]);
    expect(manifestOf(text).envision.valueMetrics?.[0]).not.toHaveProperty('minimumAcceptable');
  });

  it('gives a renamed first metric an id no other metric uses', () => {
    const metric = {
      name: 'Revenue per session',
      unit: 'EUR',
      direction: 'increase' as const,
      baseline: 3,
      target: 4,
    };
    const text = scaffoldManifest(template('recommendation'), { ...base, metric }, REF);
    expect(findings(text)).toEqual([]);
    expect(manifestOf(text).envision.valueMetrics?.map((m) => m.id)).toEqual([
      'revenue_per_session_2',
      'revenue_per_session',
    ]);
  });

  it('moves references to the renamed metric along with its id', () => {
    const withRefs = `${template('default')}build:
  evaluations:
    - id: value-eval
      candidate: gbm
      metric: uplift
      kind: value
      valueMetric: primary_value
deploy:
  valueMeasurement:
    - valueMetric: primary_value
      design: ab_test
`;
    const metric = {
      name: 'Claims settled per day',
      unit: 'claims',
      direction: 'increase' as const,
      baseline: 40,
      target: 55,
    };
    const m = manifestOf(scaffoldManifest(withRefs, { ...base, metric }, REF));
    expect(m.envision.valueMetrics?.[0]?.id).toBe('claims_settled_per_day');
    expect(m.build?.evaluations?.[0]?.valueMetric).toBe('claims_settled_per_day');
    expect(m.deploy?.valueMeasurement?.[0]?.valueMetric).toBe('claims_settled_per_day');
  });

  it('replaces a modeline the template already has instead of adding a second one', () => {
    const text = scaffoldManifest(
      `# yaml-language-server: $schema=old.json\n${template('default')}`,
      base,
      REF,
    );
    expect(text.split('\n').filter((l) => l.includes('yaml-language-server'))).toEqual([
      `# yaml-language-server: $schema=${REF}`,
    ]);
  });

  it('raises rigor with a comment saying why, and leaves justified dimensions as they are', () => {
    const text = scaffoldManifest(template('forecasting'), { ...base, riskTier: 'critical' }, REF);
    const tai = manifestOf(text).envision.trustworthyAI!;
    expect(tai.fairImpartial?.rigor).toBe('dialUp');
    expect(tai.privacy?.rigor).toBe('dialDown');
    expect(tai.safeSecure?.rigor).toBe('dialUp');
    expect(text).toContain('rigor: dialUp # risk tier critical: at least dialUp here (rule E4)');
    expect(tai.robustReliable?.rigor).toBe('standard');
  });
});

describe('closestTemplate', () => {
  it('takes the only template a name begins, else a near typo, else none', () => {
    expect(closestTemplate('forecast', TEMPLATES)).toBe('forecasting');
    expect(closestTemplate('genia', TEMPLATES)).toBe('genai');
    expect(closestTemplate('xyz', TEMPLATES)).toBeUndefined();
  });
});

describe('todoMarks', () => {
  it("counts the marks left to fill in, not the header's mention of them", () => {
    expect(todoMarks('# Replace every "TODO:" mark\na: TODO: x\nb: "TODO: y"\n')).toBe(2);
    const text = scaffoldManifest(template('default'), base, REF);
    expect(todoMarks(text)).toBeGreaterThan(0);
  });
});
