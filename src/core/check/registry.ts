import { PHASES } from '../manifest.js';
import type { Phase } from '../manifest.js';
import type { RuleDefinition } from './rule.js';
import { b1 } from './rules/b1.js';
import { b2 } from './rules/b2.js';
import { b3 } from './rules/b3.js';
import { b4 } from './rules/b4.js';
import { d1 } from './rules/d1.js';
import { d2 } from './rules/d2.js';
import { d3 } from './rules/d3.js';
import { d4 } from './rules/d4.js';
import { d5 } from './rules/d5.js';
import { e1 } from './rules/e1.js';
import { e2 } from './rules/e2.js';
import { e3 } from './rules/e3.js';
import { e4 } from './rules/e4.js';
import { e5 } from './rules/e5.js';
import { g1 } from './rules/g1.js';
import { g2 } from './rules/g2.js';
import { g3 } from './rules/g3.js';
import { g4 } from './rules/g4.js';
import { m1 } from './rules/m1.js';
import { m2 } from './rules/m2.js';
import { m3 } from './rules/m3.js';
import { m4 } from './rules/m4.js';
import { eu6 } from './rules/eu6.js';
import { eu9 } from './rules/eu9.js';
import { eu10 } from './rules/eu10.js';
import { eu15 } from './rules/eu15.js';
import { eu11 } from './rules/eu11.js';
import { eu12 } from './rules/eu12.js';
import { eu13 } from './rules/eu13.js';
import { eu14 } from './rules/eu14.js';
import { eu17 } from './rules/eu17.js';
import { eu43 } from './rules/eu43.js';
import { eu26 } from './rules/eu26.js';
import { eu27 } from './rules/eu27.js';
import { eu50 } from './rules/eu50.js';
import { eu72 } from './rules/eu72.js';
import { eu73 } from './rules/eu73.js';

/**
 * Every readiness rule of manifest-v1.md, in the order phases list them. The phase tables,
 * SARIF's rule descriptors, the schema's waiver rule ids and the README's table derive from it.
 */
export const RULES = [
  g1,
  g2,
  g3,
  g4,
  e1,
  e2,
  e3,
  e4,
  e5,
  b1,
  b2,
  b3,
  b4,
  d1,
  d2,
  d3,
  d4,
  d5,
  m1,
  m2,
  m3,
  m4,
  eu6,
  eu9,
  eu10,
  eu15,
  eu11,
  eu12,
  eu13,
  eu14,
  eu17,
  eu43,
  eu26,
  eu27,
  eu50,
  eu72,
  eu73,
] as const;

export type RuleId = (typeof RULES)[number]['id'];
export type Rule = RuleDefinition<RuleId>;

const BY_ID = new Map<string, Rule>(RULES.map((r) => [r.id, r]));

export function isRuleId(id: string): id is RuleId {
  return BY_ID.has(id);
}

export function ruleById(id: RuleId): Rule {
  return BY_ID.get(id)!;
}

/** The rules of each phase, in registry order. */
export const RULE_PHASES = Object.fromEntries(
  PHASES.map((phase) => [phase, RULES.filter((r) => r.phases.includes(phase)).map((r) => r.id)]),
) as Record<Phase, RuleId[]>;
