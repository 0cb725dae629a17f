// `mlops explain <rule or code>`: what a readiness rule checks and why, or what a finding code
// means, from the rule registry (src/core/check/registry.ts), the code catalog
// (src/core/codes/) and the words of every code (src/report/messages/).
import type { ChalkInstance } from 'chalk';
import { RULES } from '../core/check/registry.js';
import type { Rule, RuleId } from '../core/check/registry.js';
import { CHECK_CODES } from '../core/codes/check.js';
import { CONFIG_CODES } from '../core/codes/config.js';
import { DIFF_CODES } from '../core/codes/diff.js';
import { CODES } from '../core/codes/index.js';
import type { CheckCode, Code } from '../core/codes/index.js';
import { MANIFEST_CODES } from '../core/codes/manifest.js';
import type { Severity } from '../core/findings.js';
import { PHASES } from '../core/manifest.js';
import { jsonText } from './escape.js';
import { MESSAGES } from './messages/index.js';
import type { MessageSpec } from './messages/index.js';

/** Where a code comes from: reading a manifest, judging readiness, comparing, the config file. */
export type CodeArea = 'manifest' | 'check' | 'diff' | 'config';

const AREAS: readonly [CodeArea, Readonly<Record<string, unknown>>][] = [
  ['manifest', MANIFEST_CODES],
  ['check', CHECK_CODES],
  ['diff', DIFF_CODES],
  ['config', CONFIG_CODES],
];

function areaOf(code: Code): CodeArea {
  return AREAS.find(([, codes]) => Object.hasOwn(codes, code))![0];
}

/** Why an evidence file does not count: rule G1, and every rule that needs the file. */
const EVIDENCE = (Object.keys(CHECK_CODES) as CheckCode[]).filter((c) => c.startsWith('EVIDENCE_'));
const GUARDRAIL: readonly CheckCode[] = [
  'GUARDRAIL_NO_EVIDENCE',
  'GUARDRAIL_UNOBSERVED',
  'GUARDRAIL_OUT_OF_BOUNDS',
  'GUARDRAIL_GROUP_UNOBSERVED',
  'GUARDRAIL_GROUP_OUT_OF_BOUNDS',
];

/**
 * The codes each rule reports (its own, and those of the helpers it judges with in
 * src/core/check/rules/common.ts). The explain tests hold this table to the rules' sources.
 */
const RULE_CODES: Record<RuleId, readonly CheckCode[]> = {
  G1: EVIDENCE,
  G2: ['REFERENCE_UNRESOLVED'],
  G3: [
    'APPROVAL_MISSING',
    'APPROVAL_STALE',
    'APPROVAL_REJECTED',
    'APPROVAL_NO_DIGEST',
    'APPROVAL_UNBOUND',
    'APPROVAL_UNCOMMITTED',
    'APPROVAL_FUTURE',
    'APPROVAL_NOT_AUTHORED',
    'APPROVAL_NOT_SIGNED',
    'APPROVAL_RECORDED',
    'APPROVAL_SAME_PERSON',
    'APPROVAL_NOT_INDEPENDENT',
  ],
  G4: ['PLACEHOLDER_UNFILLED'],
  E1: ['STAKEHOLDER_ROLE_MISSING'],
  E2: [
    'VALUE_METRICS_NONE',
    'VALUE_METRIC_INCOMPLETE',
    'VALUE_TARGET_DIRECTION',
    'VALUE_MINIMUM_OUT_OF_RANGE',
  ],
  E3: ['DIMENSION_MISSING', 'DIMENSION_EXCLUSION_UNJUSTIFIED', 'DIMENSION_UNGUARDED'],
  E4: ['RIGOR_BELOW_TIER', 'GUARDRAIL_GROUPS_MISSING', 'RIGOR_NO_MONITOR'],
  E5: ['RISKS_NONE', 'RISK_INCOMPLETE', 'RISK_DEFENSE_LINE'],
  B1: [
    'CANDIDATES_TOO_FEW',
    'CANDIDATE_BASELINE_MISSING',
    'CANDIDATE_NOT_SELECTED',
    'CANDIDATE_SELECTED_UNKNOWN',
  ],
  B2: [
    'VALUE_EVALUATION_MISSING',
    'VALUE_BASELINE_EVALUATION_MISSING',
    'VALUE_PROJECTION_UNOBSERVED',
    'VALUE_PROJECTION_BELOW_MINIMUM',
    'VALUE_PROJECTION_NOT_BETTER',
    'VALUE_SELECTED_IS_BASELINE',
  ],
  B3: GUARDRAIL,
  B4: ['DOCUMENT_MISSING', ...EVIDENCE],
  D1: ['DATA_PROTECTION_UNSTATED', 'DATA_PROTECTION_MISSING', 'DOCUMENT_MISSING', ...EVIDENCE],
  D2: ['SECURITY_FINDINGS_UNSTATED', 'SECURITY_FINDINGS_OPEN', 'DOCUMENT_MISSING', ...EVIDENCE],
  D3: ['DOCUMENT_MISSING', 'ROLLBACK_MISSING', 'HUMAN_OVERSIGHT_INSUFFICIENT', ...EVIDENCE],
  D4: ['VALUE_MEASUREMENT_MISSING'],
  D5: ['MONITOR_PLAN_MISSING', 'MONITOR_PLAN_INCOMPLETE'],
  M1: [
    'DRIFT_NONE',
    'DRIFT_BELOW_MIN',
    'DRIFT_BELOW_WARN',
    'GUARDRAIL_NO_LIVE_EVIDENCE',
    'GUARDRAIL_LIVE_IS_BUILD_EVIDENCE',
    'DRIFT_NO_EVIDENCE',
    'DRIFT_UNOBSERVED',
    'DRIFT_ABOVE_MAX',
    'DRIFT_ABOVE_WARN',
    ...GUARDRAIL,
  ],
  M2: [
    'MONITORING_NO_EVIDENCE',
    'MONITORING_NO_CADENCE',
    'MONITORING_NEVER_COMMITTED',
    'MONITORING_STALE',
    ...EVIDENCE,
  ],
  M3: [
    'VALUE_TRACKING_MISSING',
    'VALUE_TRACKING_UNCOMMITTED',
    'VALUE_TRACKING_UNREADABLE',
    'VALUE_UNREPORTED',
    'VALUE_BELOW_MINIMUM',
    'VALUE_MISSED_MINIMUM',
    'VALUE_TARGET_DATE_PASSED',
    'REASSESSMENT_UNAPPROVED',
    'REASSESSMENT_DECIDED_CHANGE',
    'REASSESSMENT_DECIDED_RETIRE',
    ...EVIDENCE,
  ],
  M4: ['TRIGGERS_MISSING', 'GOVERNANCE_MISSING', 'GOVERNANCE_REVIEW_UNDATED', 'GOVERNANCE_OVERDUE'],
  EU6: ['EU_RISK_TIER_BELOW_HIGH', 'EU_LEGAL_BASIS_MISSING'],
  EU9: ['EU_RISKS_NONE', 'EU_RISK_UNTREATED', 'EU_RISK_RESIDUAL_MISSING'],
  EU10: ['EU_DATASETS_NONE', 'EU_DATASHEET_MISSING', 'EU_DATA_GOVERNANCE_INCOMPLETE', ...EVIDENCE],
  EU15: [
    'EU_DECLARED_METRIC_MISSING',
    'EU_DECLARED_METRIC_NOT_IN_BUILD',
    'EU_DECLARED_METRIC_NO_EVIDENCE',
    ...EVIDENCE,
  ],
  EU11: ['ANNEX_IV_INCOMPLETE'],
  EU12: ['EU_LOGGING_NOT_AUTOMATIC', 'EU_LOGGING_SPEC_MISSING', ...EVIDENCE],
  EU13: ['EU_INSTRUCTIONS_MISSING', ...EVIDENCE],
  EU14: ['EU_OVERSIGHT_INSUFFICIENT', 'EU_OVERSIGHT_PROCEDURE_MISSING', ...EVIDENCE],
  EU17: ['EU_QUALITY_MANAGEMENT_MISSING', ...EVIDENCE],
  EU43: [
    'EU_CONFORMITY_PROCEDURE_MISSING',
    'EU_CONFORMITY_ASSESSMENT_MISSING',
    'EU_DECLARATION_MISSING',
    'EU_REGISTRATION_MISSING',
    ...EVIDENCE,
  ],
  EU26: [
    'EU_OVERSIGHT_UNASSIGNED',
    'EU_OVERSIGHT_ASSIGNEE_UNKNOWN',
    'EU_OVERSIGHT_ASSIGNEE_UNNAMED',
    'EU_LOG_RETENTION_SHORT',
  ],
  EU27: ['EU_FRIA_MISSING', 'EU_FRIA_UNDETERMINED', ...EVIDENCE],
  EU50: ['EU_DISCLOSURE_MISSING', ...EVIDENCE],
  EU72: ['EU_POST_MARKET_PLAN_MISSING', ...EVIDENCE],
  EU73: ['EU_INCIDENT_PROCEDURE_MISSING', 'EU_INCIDENT_TRIGGER_MISSING', ...EVIDENCE],
};

/** The commands that report the codes of each area. */
const REPORTED_BY: Record<CodeArea, readonly string[]> = {
  manifest: ['validate', 'check', 'diff', 'approve'],
  check: ['check'],
  diff: ['diff'],
  config: ['validate', 'check', 'diff'],
};

/** What a rule is, as `mlops explain <rule> --format json` gives it. */
export interface RuleExplanation {
  kind: 'rule';
  id: RuleId;
  title: string;
  phases: string[];
  /** What passes, and what to do when it does not. */
  help: string;
  /** Why the rule exists. */
  rationale: string;
  waivable: boolean;
  legal?: { ref: string; url?: string };
  /** The finding codes it reports. */
  codes: { code: CheckCode; title: string; help: string; severity: Severity }[];
}

/** What a finding code is, as `mlops explain <code> --format json` gives it. */
export interface CodeExplanation {
  kind: 'code';
  code: Code;
  title: string;
  help: string;
  helpUri?: string;
  /** Its usual severity; a finding may carry another (see `note`). */
  severity: Severity;
  area: CodeArea;
  /** The commands that report it. */
  commands: string[];
  /** The readiness rules that report it (check codes only). */
  rules: { id: RuleId; title: string }[];
  /** Whether a waiver can excuse it: through a waiver of a rule that reports it. */
  waivable: boolean;
}

export type Explanation = RuleExplanation | CodeExplanation;

function ruleExplanation(rule: Rule): RuleExplanation {
  return {
    kind: 'rule',
    id: rule.id,
    title: rule.title,
    phases: [...rule.phases],
    help: rule.help,
    rationale: rule.rationale,
    waivable: rule.waivable,
    ...(rule.legal ? { legal: { ...rule.legal } } : {}),
    codes: RULE_CODES[rule.id].map((code) => ({
      code,
      title: MESSAGES[code].title,
      help: MESSAGES[code].help,
      severity: CODES[code].severity,
    })),
  };
}

function codeExplanation(code: Code): CodeExplanation {
  const words: MessageSpec = MESSAGES[code];
  const area = areaOf(code);
  const rules = RULES.filter((r) => (RULE_CODES[r.id] as readonly string[]).includes(code));
  return {
    kind: 'code',
    code,
    title: words.title,
    help: words.help,
    ...(words.helpUri ? { helpUri: words.helpUri } : {}),
    severity: CODES[code].severity,
    area,
    commands: [...REPORTED_BY[area]],
    rules: rules.map((r) => ({ id: r.id, title: r.title })),
    waivable: rules.some((r) => r.waivable),
  };
}

/** Every name `mlops explain` knows: the rule ids, then the finding codes. */
export function explainNames(): string[] {
  return [...RULES.map((r) => r.id), ...(Object.keys(CODES) as Code[])];
}

/**
 * The rule or code that `name` names, whatever its case (and `-` for `_`): `g3`, `G3`,
 * `evidence-untracked`. Undefined when it names none.
 */
export function explainEntry(name: string): Explanation | undefined {
  const key = name.trim().toUpperCase().replace(/-/g, '_');
  const rule = RULES.find((r) => r.id === key);
  if (rule) return ruleExplanation(rule);
  return Object.hasOwn(CODES, key) ? codeExplanation(key as Code) : undefined;
}

/** `text` broken into lines of at most `width` columns, the first after `first`, the rest after `indent`. */
function wrap(text: string, width: number, first: string, indent: string): string[] {
  const lines: string[] = [];
  let line = first;
  let empty = true;
  for (const word of text.split(/\s+/).filter(Boolean)) {
    if (!empty && line.length + 1 + word.length > width) {
      lines.push(line);
      line = indent;
      empty = true;
    }
    line += empty ? word : ` ${word}`;
    empty = false;
  }
  lines.push(line);
  return lines;
}

const LABEL = 15;

/** A labelled paragraph: `  why           The ...`, continued under its first word. */
function field(label: string, text: string, width: number): string[] {
  return wrap(text, width, `  ${label}`.padEnd(LABEL), ' '.repeat(LABEL));
}

/** Its severity, and when a finding of that severity fails a run. */
function severityWords(c: CodeExplanation): string {
  if (c.severity === 'error') return 'error';
  if (c.severity === 'info') return 'info: fails a run only with --fail-on info';
  switch (c.area) {
    case 'check':
      return 'warning: the rule still passes; only --max-warnings counts it';
    case 'diff':
      return 'warning: fails a run with --fail-on warn or info, or over --max-warnings';
    default:
      return 'warning: fails a run with --strict, or over --max-warnings';
  }
}

function waiverWords(id: RuleId, waivable: boolean): string {
  return waivable
    ? `may be waived: a waiver in the manifest's \`waivers\` (id, rule: ${id}, target, reason, owner, expires), once committed and approved (\`mlops approve <manifest> --waiver <id>\`), excuses its findings about the target through its expiry day, at most 90 days after the commit that added it`
    : 'cannot be waived: the rule must pass';
}

/** `NAME  title`, wrapped under the title, with the name in bold. */
function heading(
  name: string,
  title: string,
  width: number,
  color: ChalkInstance,
  indent = '',
): string[] {
  const [first, ...rest] = wrap(
    title,
    width,
    `${indent}${name}  `,
    ' '.repeat(indent.length + name.length + 2),
  );
  return [`${indent}${color.bold(name)}${first!.slice(indent.length + name.length)}`, ...rest];
}

function ruleText(r: RuleExplanation, width: number, color: ChalkInstance, run: string): string[] {
  const lines = [
    ...heading(r.id, r.title, width, color),
    ...field('phases', r.phases.join(', '), width),
    ...field('passes when', r.help, width),
    ...field('why', r.rationale, width),
  ];
  if (r.legal) {
    lines.push(...field('legal', r.legal.ref, width));
    if (r.legal.url) lines.push(`${' '.repeat(LABEL)}${r.legal.url}`);
  }
  lines.push(...field('waiver', waiverWords(r.id, r.waivable), width), '');
  lines.push(...wrap('Findings it reports, and what each means:', width, '', ''));
  // the evidence codes of a rule that needs a file are rule G1's: one line points there
  const own = r.id === 'G1' ? r.codes : r.codes.filter((c) => !c.code.startsWith('EVIDENCE_'));
  const item = (code: string, title: string, help: string): void => {
    lines.push(...heading(code, title, width, color, '  '));
    lines.push(...wrap(help, width, '      ', '      '));
  };
  for (const c of own)
    item(c.code, `${c.title}${c.severity === 'error' ? '' : ` (${c.severity})`}`, c.help);
  if (own.length < r.codes.length)
    item(
      'EVIDENCE_*',
      'A file it needs does not count as evidence',
      `The findings of rule G1 about that file: \`${run} explain G1\`.`,
    );
  return lines;
}

function codeText(c: CodeExplanation, width: number, color: ChalkInstance, run: string): string[] {
  const lines = [
    ...heading(c.code, c.title, width, color),
    ...field('means', c.help, width),
    ...field('severity', severityWords(c), width),
  ];
  const [first, ...others] = c.commands;
  const commands = `mlops ${[others.length ? `${[first, ...others.slice(0, -1)].join(', ')} and ${others.at(-1)!}` : first].join('')}`;
  const reportedBy = {
    manifest: `${commands}: every command reads a manifest the same way`,
    config: `${commands}, when they read mlops.config.yaml; the command stops (exit 2)`,
    check: commands,
    diff: commands,
  }[c.area];
  lines.push(...field('reported by', reportedBy, width));
  if (c.rules.length > 0) {
    const rules = c.rules.map((r) => `${r.id} (${r.title})`).join(', ');
    lines.push(...field('rules', `${rules}; \`${run} explain <rule>\` tells more`, width));
  }
  lines.push(...field('waiver', codeWaiverWords(c, run), width));
  if (c.helpUri) lines.push(...field('see', c.helpUri, width));
  return lines;
}

function codeWaiverWords(c: CodeExplanation, run: string): string {
  switch (c.area) {
    case 'check':
      return c.waivable
        ? "excused by an approved waiver of the rule that reports it about the same item, in the manifest's `waivers` (id, rule, target, reason, owner, expires)"
        : 'cannot be waived: fix what it names';
    case 'manifest':
      return `cannot be waived: fix the manifest where \`${run} validate\` points`;
    case 'config':
      return `cannot be waived: fix mlops.config.yaml (\`${run} schema --config\` describes every setting)`;
    case 'diff':
      return 'cannot be waived; `--fail-on` (or failOn.diff in mlops.config.yaml) sets the level that fails';
  }
}

/**
 * The text of `mlops explain <name>`, wrapped at `width` columns; commands in it start with
 * `run` (`mlops`, or `npx mlops`: how the user runs mlops).
 */
export function explainText(
  entry: Explanation,
  width: number,
  color: ChalkInstance,
  run = 'mlops',
): string {
  const lines =
    entry.kind === 'rule' ? ruleText(entry, width, color, run) : codeText(entry, width, color, run);
  return `${lines.join('\n')}\n`;
}

/** The JSON of `mlops explain <name> --format json`. */
export function explainJson(entry: Explanation): string {
  const { kind, ...rest } = entry;
  return `${jsonText({ schemaVersion: 1, command: 'explain', [kind]: rest })}\n`;
}

const AREA_HEADINGS: Record<CodeArea, string> = {
  manifest: 'Finding codes of reading a manifest (mlops validate, and every command):',
  check: 'Finding codes of the readiness rules (mlops check):',
  diff: 'Finding codes of comparing revisions (mlops diff):',
  config: 'Finding codes of the config file (mlops.config.yaml):',
};

/** The text of `mlops explain --list`: every rule and code, one line each. */
export function explainListText(color: ChalkInstance, run = 'mlops'): string {
  const lines = ['Readiness rules (mlops check):'];
  // the phases in one column, after ids of two to four characters and the longest title
  const width = Math.max(...RULES.map((r) => r.id.length + r.title.length));
  const phases = (r: Rule): string =>
    r.phases.length === PHASES.length ? 'every phase' : r.phases.join(', ');
  for (const r of RULES)
    lines.push(
      `  ${color.bold(r.id)}  ${r.title.padEnd(width - r.id.length)}  ${color.dim(phases(r))}`,
    );
  for (const [area, codes] of AREAS) {
    lines.push('', AREA_HEADINGS[area]);
    const names = Object.keys(codes) as Code[];
    const pad = Math.min(26, Math.max(...names.map((c) => c.length)));
    for (const code of names) {
      const sev =
        CODES[code].severity === 'error' ? '' : color.yellow(` (${CODES[code].severity})`);
      lines.push(`  ${color.bold(code.padEnd(pad))}  ${MESSAGES[code].title}${sev}`);
    }
  }
  lines.push('', color.dim(`\`${run} explain <rule or code>\` tells more of one.`));
  return `${lines.join('\n')}\n`;
}

/** The JSON of `mlops explain --list --format json`. */
export function explainListJson(): string {
  return `${jsonText({
    schemaVersion: 1,
    command: 'explain',
    rules: RULES.map((r) => ({
      id: r.id,
      title: r.title,
      phases: [...r.phases],
      waivable: r.waivable,
      ...(r.legal ? { legal: { ...r.legal } } : {}),
    })),
    codes: (Object.keys(CODES) as Code[]).map((code) => ({
      code,
      title: MESSAGES[code].title,
      severity: CODES[code].severity,
      area: areaOf(code),
    })),
  })}\n`;
}
