import type { Code } from '../../core/codes/index.js';
import type { Args, ArgValue } from '../../core/findings.js';
import { CHECK_MESSAGES } from './check.js';
import type { MessageSpec, Spelling } from './index.js';
import { waiveWords } from './waivers.js';
import { formatPath } from './manifest.js';
import { gitCommit, pathsOf, placeholder as ph } from './shell.js';

const str = (v: ArgValue): string => (v === undefined || v === null ? '' : String(v));
const items = (v: ArgValue): (string | number)[] =>
  Array.isArray(v) ? [...(v as (string | number)[])] : [];
/** A number at six significant digits, as reports rarely need more. */
const fmt = (v: ArgValue): string => String(Number(Number(v).toPrecision(6)));
const known = (v: ArgValue): boolean => typeof v === 'number';
const index = (v: ArgValue): number => (typeof v === 'number' ? v : 0);
/** A value in a YAML snippet: an id as it is, anything else quoted. */
const y = (v: ArgValue): string =>
  /^[a-z0-9][a-z0-9_-]*$/i.test(str(v)) ? str(v) : JSON.stringify(str(v));
const at = (...path: (string | number)[]): string => `\`${formatPath(path)}\``;

/** `` `git add <report> && git commit -m "Update evidence of m"` `` for the projection's report. */
const commitReport = (a: Args): string =>
  gitCommit(
    pathsOf(a.path, a.files),
    `Update ${typeof a.model === 'string' ? `evidence of ${a.model}` : 'evidence'}`,
  );

/** The minimum in words: "the minimum 1.8", or for maintain "the band 95 ± 2 around the target". */
function minimumWords(a: Args): string {
  if (a.direction === 'maintain')
    return known(a.tolerance) && known(a.target)
      ? `the band ${fmt(a.target)} ± ${fmt(a.tolerance)} around the target`
      : 'the band around the target';
  if (a.minimumFrom === 'baseline')
    return `the baseline ${fmt(a.minimum)}, the floor while minimumAcceptable is not set`;
  return known(a.minimum) ? `the minimum ${fmt(a.minimum)}` : 'the minimum';
}

/**
 * The other levels side by side, in parentheses: "(baseline candidate rules-v3 1.88, baseline
 * 1.9, target 1.6)"; `leave` names those the sentence already said.
 */
function sideBySide(a: Args, leave: readonly string[]): string {
  const parts: string[] = [];
  if (!leave.includes('baselineCandidate') && a.baselineCandidateId !== undefined)
    parts.push(
      known(a.baselineCandidate)
        ? `baseline candidate ${str(a.baselineCandidateId)} ${fmt(a.baselineCandidate)}`
        : `baseline candidate ${str(a.baselineCandidateId)} not observed`,
    );
  if (
    !leave.includes('minimum') &&
    a.direction !== 'maintain' &&
    known(a.minimum) &&
    a.minimumFrom !== 'baseline'
  )
    parts.push(`minimum ${fmt(a.minimum)}`);
  if (!leave.includes('minimum') && a.direction === 'maintain' && known(a.tolerance))
    parts.push(`tolerance ± ${fmt(a.tolerance)}`);
  if (known(a.baseline) && !(leave.includes('minimum') && a.minimumFrom === 'baseline'))
    parts.push(`baseline ${fmt(a.baseline)}`);
  if (!leave.includes('target') && known(a.target)) parts.push(`target ${fmt(a.target)}`);
  return parts.length ? ` (${parts.join(', ')})` : '';
}

const selectedProjects = (a: Args): string =>
  `value metric \`${str(a.id)}\`: selected ${str(a.candidate)} projects ${fmt(a.selected)}`;

/** Why no number was read, after "evaluation `x`": "reports/v.json has no value at /m or /metrics/m". */
function unobserved(a: Args): string {
  switch (a.problem) {
    case 'no_evidence':
      return 'the evaluation names no evidence to read it from';
    case 'evidence': {
      const spec = (CHECK_MESSAGES as Record<string, MessageSpec>)[str(a.cause)];
      // the evidence code's message starts with what the file is for: "evaluation `x`: …"
      const said = spec ? spec.message(a).replace(/^[^:]*: /, '') : str(a.cause);
      return `${said} (rule G1)`;
    }
    case 'absent':
      return `${str(a.path)} has no value at ${items(a.pointers).join(' or ')}`;
    case 'not_number': {
      const found =
        a.found === 'null' ? 'null' : a.found === 'object' ? 'an object' : str(a.literal);
      return `${str(a.path)} holds ${found} at ${str(a.pointer)}, not a number`;
    }
    case 'invalid':
      return `${str(a.path)} is not valid ${str(a.format)} (${str(a.detail)})`;
    case 'not_data':
      return `${str(a.path)} is not JSON or YAML, so no projected value can be read from it`;
    default:
      return `${str(a.path)} could not be read`;
  }
}

/** The fix of a projection that was not read: the evidence's own fix, or where to write the number. */
function unobservedHint(a: Args, how: Spelling): string | undefined {
  const evaluation = ['build', 'evaluations', index(a.evaluationIndex)];
  const whose = `the projected ${str(a.id)} of ${str(a.candidate)}`;
  switch (a.problem) {
    case 'no_evidence':
      return `set ${at(...evaluation, 'evidence')} to \`${ph('EVIDENCE_FILE')}\` (the committed JSON or YAML report that holds ${str(a.metric)}, ${whose})`;
    case 'evidence': {
      const spec = (CHECK_MESSAGES as Record<string, MessageSpec>)[str(a.cause)];
      return spec?.hint?.(a, how);
    }
    case 'absent':
      return a.pointerGiven === true
        ? `write ${whose} as a number at ${items(a.pointers).join('')} of ${str(a.path)} and commit it (${commitReport(a)}), or set the pointer of ${at(...evaluation, 'evidence')} to where it is`
        : `write ${whose} as a number at /${str(a.metric)} or /metrics/${str(a.metric)} of ${str(a.path)} and commit it (${commitReport(a)}), or give ${at(...evaluation, 'evidence')} a pointer to where it is`;
    case 'not_number':
      return `write ${whose} as a number at ${str(a.pointer)} of ${str(a.path)} and commit it: ${commitReport(a)}`;
    case 'invalid':
    case 'not_data':
      return `write ${str(a.path)} as JSON or YAML with ${str(a.metric)}, ${whose}, and commit it: ${commitReport(a)}`;
    default:
      return undefined;
  }
}

/** The words of E2 (VALUE_MINIMUM_OUT_OF_RANGE) and B2 (VALUE_BASELINE_EVALUATION_MISSING, VALUE_PROJECTION_*, VALUE_SELECTED_IS_BASELINE). */
export const VALUE_MESSAGES = {
  VALUE_MINIMUM_OUT_OF_RANGE: {
    title: 'Minimum acceptable out of range',
    help: 'minimumAcceptable is the worst value at which the model still pays for itself: it lies from the baseline (included) to the target. Worse than the baseline, the model would be accepted doing worse than today; beyond the target, reaching the target would still fall short.',
    message: (a) =>
      a.side === 'target'
        ? `value metric \`${str(a.id)}\`: minimumAcceptable ${fmt(a.minimum)} is beyond the target ${fmt(a.target)}, so reaching the target would still fall short (baseline ${fmt(a.baseline)})`
        : `value metric \`${str(a.id)}\`: minimumAcceptable ${fmt(a.minimum)} is worse than the baseline ${fmt(a.baseline)}, so the model would be accepted doing worse than today (target ${fmt(a.target)})`,
    hint: (a) =>
      `set ${at('envision', 'valueMetrics', index(a.index), 'minimumAcceptable')} to \`${ph('MINIMUM')}\` (the worst value at which the model still pays for itself: a number from the baseline ${fmt(a.baseline)}, included, to the target ${fmt(a.target)})`,
  },
  VALUE_BASELINE_EVALUATION_MISSING: {
    title: 'Baseline candidate not evaluated',
    help: 'The baseline candidate (the current process or a simple model) has a value evaluation of each value metric, so that the selected candidate’s projection can be compared with what it replaces.',
    message: (a) =>
      `value metric \`${str(a.id)}\`: the baseline candidate ${str(a.candidate)} has no evaluation of kind value, so nothing shows that ${str(a.selected)} beats it`,
    hint: (a) =>
      `add to ${at('build', 'evaluations')}: \`{id: ${ph('EVALUATION_ID')}, candidate: ${y(a.candidate)}, metric: ${ph('METRIC')}, kind: value, valueMetric: ${y(a.id)}, evidence: ${ph('EVIDENCE_FILE')}}\` (metric and evidence: where a committed JSON or YAML report holds the projected ${str(a.id)} of ${str(a.candidate)}${a.like !== undefined ? `, as evaluation ${str(a.like)} holds that of ${str(a.selected)}` : ''})`,
  },
  VALUE_PROJECTION_UNOBSERVED: {
    title: 'Projected value not observed',
    help: 'A value evaluation of the selected or the baseline candidate yields no number: its evidence does not count, cannot be read, or holds no number for its metric. Without the number, nothing shows that the model pays for itself.',
    message: (a) =>
      `value metric \`${str(a.id)}\`: no projected value for the ${a.role === 'baseline' ? 'baseline' : 'selected'} candidate ${str(a.candidate)} (evaluation \`${str(a.evaluation)}\`): ${unobserved(a)}`,
    hint: unobservedHint,
  },
  VALUE_PROJECTION_BELOW_MINIMUM: {
    title: 'Projected value below the minimum',
    help: 'The selected candidate projects a value worse than minimumAcceptable (for maintain: outside the tolerance band around the target): the model would not pay for itself.',
    message: (a) =>
      `${selectedProjects(a)}, ${a.direction === 'maintain' ? 'outside' : 'worse than'} ${minimumWords(a)}${sideBySide(a, a.direction === 'maintain' ? ['minimum', 'target'] : ['minimum'])}`,
    hint: (a, how) =>
      `improve ${str(a.candidate)} or select a candidate that projects ${a.direction === 'maintain' ? 'within the band' : `at least ${a.minimumFrom === 'baseline' ? 'the baseline' : 'the minimum'} ${fmt(a.minimum)}`}, rerun the value evaluation and commit its report (${commitReport(a)}), or waive rule B2: ${waiveWords('B2', a, how)}`,
  },
  VALUE_PROJECTION_NOT_BETTER: {
    title: 'Projected value not better than the baseline',
    help: 'The selected candidate does not project a strictly better value than the baseline candidate: it does not beat what it replaces.',
    message: (a) =>
      `${selectedProjects(a)}, not better than the baseline candidate ${str(a.baselineCandidateId)} at ${fmt(a.baselineCandidate)}${sideBySide(a, ['baselineCandidate'])}`,
    hint: (a, how) =>
      `improve ${str(a.candidate)} or select a candidate that projects better than ${fmt(a.baselineCandidate)}, rerun the value evaluation and commit its report (${commitReport(a)}), or waive rule B2: ${waiveWords('B2', a, how)}`,
  },
  VALUE_SELECTED_IS_BASELINE: {
    title: 'Selected candidate is the baseline',
    help: 'The selected candidate is the baseline, the current process or a simple model: the model did not beat what it replaces.',
    message: (a) =>
      `the selected candidate ${str(a.candidate)} is the baseline: no model beat what it replaces`,
    hint: (a) => {
      const others = items(a.others).map(String);
      const key = at('build', 'selected', 'candidate');
      if (others.length === 1)
        return `select the candidate that is not the baseline: set ${key} to \`${y(others[0])}\`, once its projected value beats that of ${str(a.candidate)}`;
      if (others.length > 1)
        return `select a candidate that is not the baseline: set ${key} to \`${ph('CANDIDATE_ID')}\` (one of ${others.join(', ')}), once its projected value beats that of ${str(a.candidate)}`;
      return `add a candidate that is not the baseline (add to ${at('build', 'candidates')}: \`{id: ${ph('CANDIDATE_ID')}}\`), evaluate it, and select it: set ${key} to \`${ph('CANDIDATE_ID')}\``;
    },
  },
} satisfies Partial<Record<Code, MessageSpec>>;
