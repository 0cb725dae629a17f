import { finding } from '../../findings.js';
import type { Finding } from '../../findings.js';
import { findPlaceholders, placeholderPhase } from '../../manifest/placeholders.js';
import type { Placeholder } from '../../manifest/placeholders.js';
import type { Facts } from '../facts.js';
import { defineRule } from '../rule.js';

/** The placeholders of each judgement of a manifest, found once for its four phases. */
const found = new WeakMap<Facts, Placeholder[]>();

function placeholdersOf(facts: Facts): Placeholder[] {
  let list = found.get(facts);
  if (list === undefined) found.set(facts, (list = findPlaceholders(facts.manifest)));
  return list;
}

export const g4 = defineRule({
  id: 'G4',
  title: 'No placeholders',
  phases: ['envision', 'build', 'deploy', 'monitor'],
  help: 'No text of the sections a phase needs still holds a template placeholder (a value that starts with TODO, as `mlops init` writes them): metadata and envision for envision, build, deploy and monitor each for their own phase. Write the real value in its place.',
  rationale:
    'A scaffold is not a decision: a hypothesis, a stakeholder or a justification that still reads "TODO" has not been written, and approving it signs nothing.',
  waivable: false,
  targeted: false,
  evaluate(facts, phase) {
    const out: Finding[] = [];
    for (const { path, text } of placeholdersOf(facts)) {
      if (placeholderPhase(path) !== phase) continue;
      out.push(
        finding('PLACEHOLDER_UNFILLED', path, { at: path, text, phase }, { target: 'value' }),
      );
    }
    return out;
  },
});
