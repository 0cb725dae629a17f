import type { Code } from '../../core/codes/index.js';
import type { ArgValue, Args, PathSegment } from '../../core/findings.js';
import type { MessageSpec } from './index.js';
import { formatPath } from './manifest.js';
import { waiveWords } from './waivers.js';
import { gitCommit, pathsOf, placeholder as ph } from './shell.js';

const str = (v: ArgValue): string => (v === undefined || v === null ? '' : String(v));
const items = (v: ArgValue): (string | number)[] =>
  Array.isArray(v) ? [...(v as (string | number)[])] : [];
/** Observed numbers at six significant digits, as the reports that hold them rarely need more. */
const fmt = (v: ArgValue): string => String(Number(Number(v).toPrecision(6)));
const index = (v: ArgValue): number => (typeof v === 'number' ? v : 0);

/** A path of the manifest in words, from the finding's `at`. */
const where = (a: Args): string => formatPath(items(a.at) as PathSegment[]);

/** A path of the manifest in a hint: `` `envision.risks` ``. */
const at = (...path: (string | number)[]): string => `\`${formatPath(path)}\``;

/** "add to `path`: `{…}`": an item for a list, or keys for a mapping, as a YAML flow snippet. */
const addTo = (path: (string | number)[], snippet: string): string =>
  `add to ${at(...path)}: \`${snippet}\``;

/** "set `path` to `value`". */
const setTo = (path: (string | number)[], value: string): string =>
  `set ${at(...path)} to \`${value}\``;

/** The commit that makes an updated report count: the report and every other file it needs. */
const commitUpdate = (a: Args): string =>
  gitCommit(
    pathsOf(a.path, a.files),
    typeof a.model === 'string' ? `Update evidence of ${a.model}` : 'Update evidence',
  );

/** The guardrail of a finding, by where it is. */
const guardrailAt = (a: Args): (string | number)[] => [
  'envision',
  'trustworthyAI',
  str(a.dimension),
  'guardrails',
  index(a.index),
];

/**
 * The placeholder for the value that replaces a template placeholder, named after its key:
 * `businessObjective` → `"BUSINESS_OBJECTIVE"`, `stakeholders[0].name` → `"NAME"`, and an item
 * of a list after the list, in the singular: `tags[0]` → `"TAG"`.
 */
function valueName(path: readonly PathSegment[]): string {
  for (let i = path.length - 1; i >= 0; i--) {
    const seg = path[i];
    if (typeof seg !== 'string') continue;
    let name = seg
      .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
      .replace(/[^A-Za-z0-9]+/g, '_')
      .replace(/^_+|_+$/g, '')
      .toUpperCase();
    if (i < path.length - 1 && /[^S]S$/.test(name)) name = name.slice(0, -1);
    return /^[A-Z]/.test(name) ? name : 'TEXT';
  }
  return 'TEXT';
}

/** Replaces a template placeholder: the edit, with the value named after its key. */
const fillIn = (a: Args): string => {
  const path = items(a.at);
  return `write what it stands for: ${setTo(path, ph(valueName(path as PathSegment[])))}`;
};

/** The keys of a risk, as a YAML snippet of placeholders, and the values they take. */
const RISK_SNIPPET = `{id: ${ph('RISK_ID')}, title: ${ph('TITLE')}, dimension: ${ph('DIMENSION')}, likelihood: ${ph('LIKELIHOOD')}, impact: ${ph('IMPACT')}, treatment: ${ph('TREATMENT')}, mitigation: ${ph('MITIGATION')}, owner: ${ph('STAKEHOLDER_ID')}, lineOfDefense: ${ph('LINE_OF_DEFENSE')}}`;
const RISK_CHOICES =
  'dimension: fairImpartial, robustReliable, transparentExplainable, privacy, safeSecure, responsibleAccountable or business; likelihood and impact: 1 to 5; treatment: mitigate, transfer, avoid or accept; lineOfDefense: 1, 2 or 3, and 2 or 3 when likelihood x impact is 15 or more';

/** Live evidence of a guardrail, as a YAML snippet, and what it is. */
const LIVE = `{evidence: ${ph('LIVE_EVIDENCE_FILE')}, cadence: ${ph('CADENCE')}}`;
const liveWords = (metric: string): string =>
  `evidence: the report refreshed in production that holds ${metric}, committed on its cadence, not the build report; cadence: daily, weekly, monthly or quarterly`;

/** Why no number is at a group's pointer, after the file: "has no value at /groups/a/m". */
function missingValue(a: Args): string {
  if (a.problem === 'absent') return `has no value at ${items(a.pointers).join(' or ')}`;
  const found = a.found === 'null' ? 'null' : a.found === 'object' ? 'an object' : str(a.literal);
  return `holds ${found} at ${str(a.pointer)}, not a number`;
}

/** The pointer a group's value is read at. */
const groupPointer = (a: Args): string =>
  a.problem === 'absent' ? str(items(a.pointers)[0]) : str(a.pointer);

/** The words of G4 (PLACEHOLDER_UNFILLED, and validate's PLACEHOLDER), E4 (GUARDRAIL_GROUPS_MISSING, RIGOR_NO_MONITOR), E5 (RISKS_NONE), B3 and M1 (GUARDRAIL_GROUP_*). */
export const RIGOR_MESSAGES = {
  PLACEHOLDER: {
    title: 'Template placeholder',
    help: 'A text that starts with TODO is a placeholder that `mlops init` wrote for a value only the team can give. Write the real value: until then rule G4 fails the phase the text stands in (metadata and envision: envision; build, deploy and monitor: their own). In approvals, waivers and x- keys it is only this warning.',
    message: (a) =>
      `${where(a)}: "${str(a.text)}" is a template placeholder, not a value${
        a.phase !== undefined ? ` (rule G4 fails ${str(a.phase)} until it is written)` : ''
      }`,
    hint: fillIn,
  },
  PLACEHOLDER_UNFILLED: {
    title: 'Template placeholder not filled in',
    help: 'A text of the sections the phase needs still starts with TODO: the placeholder that `mlops init` wrote for a value only the team can give. Write the real value.',
    message: (a) => `${where(a)} is still the template placeholder "${str(a.text)}"`,
    hint: fillIn,
  },
  RISKS_NONE: {
    title: 'No risk named',
    help: 'At tier medium, high and critical a model names at least one risk, scored, treated and owned.',
    message: (a) => `no risk is named; at tier ${str(a.tier)} at least one is`,
    hint: () => `${addTo(['envision', 'risks'], RISK_SNIPPET)} (${RISK_CHOICES})`,
  },
  GUARDRAIL_GROUPS_MISSING: {
    title: 'Fairness guardrail without groups',
    help: 'At rigor dialUp, each fairness guardrail names the groups it is measured for (`groups`), and its evidence holds a value for each group at /groups/<group>/<metric>, judged against the same bounds (rules B3 and M1).',
    message: (a) =>
      `guardrail \`${str(a.id)}\` (${str(a.metric)}) names no groups; fairness at dialUp is measured for each group`,
    hint: (a) =>
      `${addTo(guardrailAt(a), `{groups: [${ph('GROUP')}, ${ph('OTHER_GROUP')}]}`)} (the groups the model could treat differently, such as age bands; the evidence then holds each group's value at /groups/<group>/${str(a.metric)})`,
  },
  RIGOR_NO_MONITOR: {
    title: 'dialUp without monitor evidence',
    help: 'A dimension at rigor dialUp has at least one guardrail watched in production: active in monitor (`phases` left out, or listing monitor) with live evidence of its own, `monitor: {evidence, cadence}`.',
    message: (a) =>
      `${str(a.dimension)} is at dialUp but none of its guardrails is watched in production (active in monitor, with monitor evidence of its own)`,
    hint: (a) => {
      const metric = a.metric !== undefined ? str(a.metric) : 'the metric';
      if (a.index === undefined) {
        const guardrails = ['envision', 'trustworthyAI', str(a.dimension), 'guardrails'];
        return `${addTo(
          guardrails,
          `{id: ${ph('GUARDRAIL_ID')}, metric: ${ph('METRIC')}, max: ${ph('MAX')}, evidence: ${ph('EVIDENCE_FILE')}, monitor: ${LIVE}}`,
        )} (min, max or both; evidence: the committed build report; monitor.${liveWords('the metric')})`;
      }
      const g = guardrailAt(a);
      const add = `${addTo(g, `{monitor: ${LIVE}}`)} (${liveWords(metric)})`;
      return a.notInMonitor === true
        ? `watch guardrail \`${str(a.id)}\` in production: ${setTo([...g, 'phases'], '[build, monitor]')} and ${add}`
        : `watch guardrail \`${str(a.id)}\` in production: ${add}`;
    },
  },
  GUARDRAIL_GROUP_UNOBSERVED: {
    title: 'Group value not observed',
    help: "A guardrail that names groups reads each group's value at /groups/<group>/<metric> of its evidence; that place holds no number.",
    message: (a) =>
      `guardrail \`${str(a.id)}\`, group \`${str(a.group)}\`: ${str(a.path)} ${missingValue(a)}`,
    hint: (a) =>
      `write the ${str(a.metric)} of group ${str(a.group)} at ${groupPointer(a)} of ${str(a.path)} and commit it: ${commitUpdate(a)}`,
  },
  GUARDRAIL_GROUP_OUT_OF_BOUNDS: {
    title: 'Group value out of bounds',
    help: "The value of one group named by a guardrail lies outside the guardrail's min or max.",
    message: (a) =>
      `guardrail \`${str(a.id)}\`, group \`${str(a.group)}\`: ${str(a.metric)} is ${fmt(a.value)} in ${str(a.path)}#${str(a.pointer)}, ${
        a.bound === 'min' ? 'below min' : 'above max'
      } ${fmt(a.limit)}`,
    hint: (a, how) => {
      const rule = a.rule !== undefined ? str(a.rule) : 'B3';
      return `bring the group within bounds and commit the new report (${commitUpdate(a)}), or waive rule ${rule}: ${waiveWords(rule, a, how)}`;
    },
  },
} satisfies Partial<Record<Code, MessageSpec>>;
