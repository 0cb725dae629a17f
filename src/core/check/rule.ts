import type { Finding } from '../findings.js';
import type { Phase } from '../manifest.js';
import type { Facts } from './facts.js';

/** A legal text a rule helps to comply with. */
export interface LegalReference {
  /** "EU AI Act, Art. 14 (human oversight)". */
  ref: string;
  url?: string;
}

/**
 * One readiness rule: what it is called and why it exists (for `--verbose`, SARIF and the
 * README), the phases it belongs to, and its judgement of one manifest in one phase.
 */
export interface RuleDefinition<Id extends string = string> {
  id: Id;
  title: string;
  phases: readonly Phase[];
  /** What passes, and what to do when it does not. */
  help: string;
  /** Why the rule exists. */
  rationale: string;
  /** Whether a waiver may excuse it. */
  waivable: boolean;
  /**
   * Whether its findings each name the item they are about (arg `waiverTarget`: an item's id,
   * a Trustworthy AI dimension, an evidence path as the manifest writes it, or the key of a
   * list that is empty): a waiver of it then names that item (`target`) and excuses only the
   * findings about it.
   */
  targeted: boolean;
  legal?: LegalReference;
  /** The findings of one phase; errors fail the rule, warnings only show. */
  evaluate(facts: Facts, phase: Phase): Finding[];
}

/** Declares a rule, keeping its id as a literal type so that the registry can type every id. */
export function defineRule<const Id extends string>(rule: RuleDefinition<Id>): RuleDefinition<Id> {
  return rule;
}
