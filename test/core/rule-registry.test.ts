import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { dirname, join, normalize } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CHECK_CODES } from '../../src/core/codes/check.js';
import { RULES, RULE_PHASES, isRuleId, ruleById } from '../../src/core/check/index.js';
import type { RuleId } from '../../src/core/check/index.js';
import { PHASES } from '../../src/core/manifest.js';
import { NEVER_WAIVED, TARGETED_WAIVER_RULES } from '../../src/core/manifest/consistency.js';

const ROOT = new URL('../../', import.meta.url);
const read = (path: string): string => readFileSync(new URL(path, ROOT), 'utf8');

/** The rows of the README's readiness-rule table, as cells. */
function readmeRows(): Map<string, string[]> {
  const text = read('README.md');
  const section = text.slice(text.indexOf('### Readiness rules'));
  const rows = new Map<string, string[]>();
  let started = false;
  for (const line of section.split('\n').slice(1)) {
    if (!line.startsWith('|')) {
      if (started) break;
      continue;
    }
    started = true;
    const cells = line
      .slice(1, -1)
      .split(' | ')
      .map((c) => c.trim());
    if (cells[0] === 'id' || cells[0]?.startsWith('---')) continue;
    rows.set(cells[0]!, cells);
  }
  return rows;
}

describe('the rule registry', () => {
  it('declares every rule once, with its title, phases, help, rationale and evaluation', () => {
    const ids = RULES.map((r) => r.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const rule of RULES) {
      expect(rule.id).toMatch(/^(?:[GEBDM]\d|EU\d{1,2})$/);
      expect(rule.title.length).toBeGreaterThan(3);
      expect(rule.phases.length).toBeGreaterThan(0);
      for (const p of rule.phases) expect(PHASES).toContain(p);
      expect(rule.help.length).toBeGreaterThan(20);
      expect(rule.rationale.length).toBeGreaterThan(20);
      expect(typeof rule.waivable).toBe('boolean');
      expect(typeof rule.targeted).toBe('boolean');
      expect(typeof rule.evaluate).toBe('function');
      if (rule.legal) expect(rule.legal.ref).toMatch(/\bArts?\.? \d+/);
      // one file per rule, named by its id
      const file = `src/core/check/rules/${rule.id.toLowerCase()}.ts`;
      expect(existsSync(new URL(file, ROOT))).toBe(true);
      expect(read(file)).toContain(`id: '${rule.id}'`);
    }
    const files = readdirSync(new URL('src/core/check/rules/', ROOT)).filter((f) =>
      /^(?:[a-z]|eu)\d+\.ts$/.test(f),
    );
    expect(files.sort()).toEqual(ids.map((id) => `${id.toLowerCase()}.ts`).sort());
  });

  it('derives the phase tables: every rule of a phase, in registry order', () => {
    expect(RULE_PHASES).toEqual({
      envision: ['G1', 'G2', 'G3', 'G4', 'E1', 'E2', 'E3', 'E4', 'E5', 'EU6', 'EU9'],
      build: ['G1', 'G2', 'G3', 'G4', 'B1', 'B2', 'B3', 'B4', 'EU10', 'EU15'],
      deploy: [
        'G1',
        'G2',
        'G3',
        'G4',
        'D1',
        'D2',
        'D3',
        'D4',
        'D5',
        'EU11',
        'EU12',
        'EU13',
        'EU14',
        'EU17',
        'EU43',
        'EU26',
        'EU27',
        'EU50',
      ],
      monitor: ['G1', 'G2', 'G4', 'M1', 'M2', 'M3', 'M4', 'EU72', 'EU73'],
    });
    for (const phase of PHASES)
      for (const id of RULE_PHASES[phase]) expect(ruleById(id).phases).toContain(phase);
  });

  it('knows its ids, and an unknown id is a type error', () => {
    expect(isRuleId('B3')).toBe(true);
    expect(isRuleId('B9')).toBe(false);
    expect(ruleById('B3').title).toBe('Build guardrails within bounds');
    // @ts-expect-error: not a rule of the registry
    const unknown: RuleId = 'X9';
    expect(isRuleId(unknown)).toBe(false);
  });

  it('never lets a waiver excuse evidence, references, sign-offs, placeholders or the team', () => {
    expect(RULES.filter((r) => !r.waivable).map((r) => r.id)).toEqual([
      'G1',
      'G2',
      'G3',
      'G4',
      'E1',
    ]);
    // validate reads these lists without loading the rules: they say what the registry says
    expect([...NEVER_WAIVED]).toEqual(RULES.filter((r) => !r.waivable).map((r) => r.id));
    expect([...TARGETED_WAIVER_RULES].sort()).toEqual(
      RULES.filter((r) => r.waivable && r.targeted)
        .map((r) => r.id)
        .sort(),
    );
  });

  it('gives the schema its waiver rule ids: exactly the rules that may be waived', () => {
    const schema = JSON.parse(read('schemas/mlops.v1.schema.json')) as {
      $defs: { waiver: { properties: { rule: { enum: string[] } } } };
    };
    expect(schema.$defs.waiver.properties.rule.enum).toEqual(
      RULES.filter((r) => r.waivable).map((r) => r.id),
    );
  });

  it("matches the README's table: one row per rule with its title, phases and legal reference", () => {
    const rows = readmeRows();
    expect([...rows.keys()]).toEqual(RULES.map((r) => r.id));
    for (const rule of RULES) {
      const [, title, phases, passes, legal] = rows.get(rule.id)!;
      expect({ id: rule.id, title, phases: phases?.split(', ') }).toEqual({
        id: rule.id,
        title: rule.title,
        phases: [...rule.phases],
      });
      expect(passes?.length).toBeGreaterThan(10);
      expect(legal ?? '').toBe(rule.legal?.ref ?? '');
    }
  });

  it('uses every readiness code it catalogs', () => {
    const source = readdirSync(new URL('src/core/check/', ROOT), { recursive: true })
      .map(String)
      .filter((f) => f.endsWith('.ts'))
      .map((f) => read(`src/core/check/${f}`))
      .join('\n');
    const unused = Object.keys(CHECK_CODES).filter((code) => !source.includes(`'${code}'`));
    expect(unused).toEqual([]);
  });

  it('imports one way: no module of src/core/check imports one that imports it back', () => {
    const files = readdirSync(new URL('src/core/check/', ROOT), { recursive: true })
      .map(String)
      .filter((f) => f.endsWith('.ts'));
    const edges = new Map(
      files.map((f) => [
        f,
        [...read(`src/core/check/${f}`).matchAll(/from '(\.[^']+)\.js'/g)]
          .map((m) => normalize(join(dirname(f), `${m[1]!}.ts`)))
          .filter((t) => files.includes(t)),
      ]),
    );
    const cycles: string[] = [];
    const visit = (f: string, trail: string[]): void => {
      if (trail.includes(f)) {
        cycles.push([...trail.slice(trail.indexOf(f)), f].join(' -> '));
        return;
      }
      for (const t of edges.get(f) ?? []) visit(t, [...trail, f]);
    };
    for (const f of files) visit(f, []);
    expect(files.length).toBeGreaterThan(20);
    expect(cycles).toEqual([]);
  });
});
