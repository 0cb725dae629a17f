import type { DiffCode } from '../../core/codes/index.js';
import type { ChangeArgs, ChangeClass } from '../../core/diff.js';
import type { ArgValue, Args } from '../../core/findings.js';
import type { MessageSpec, Spelling } from './index.js';
import { mlops, placeholder as ph, shellWord } from './shell.js';

/** The args of a change, as src/core/diff.ts builds them. */
type ChangeWords = ChangeArgs & {
  model?: string;
  class?: ChangeClass;
  section?: string;
  roles?: readonly string[];
  /** The stakeholders who hold those roles, one per role when the manifest has them. */
  approvers?: readonly string[];
};

interface VersionWords {
  from?: string;
  to?: string;
  bump?: string;
  next?: string;
  belowOne?: boolean;
  classes?: readonly string[];
  count?: number;
  value?: string;
}

interface SideWords {
  side?: 'base' | 'head';
  file?: string;
  errors?: number;
  warnings?: number;
  infos?: number;
}

/** Reads a code's args as the producer typed them: each area knows the shape of its own args. */
const as =
  <T>(fn: (args: T) => string) =>
  (args: Args) =>
    fn(args as T);
const maybe =
  <T>(fn: (args: T, how: Spelling) => string | undefined) =>
  (args: Args, how: Spelling) =>
    fn(args as T, how);

const code = (s: string): string => `\`${s}\``;
/** A list entry in a message: short ones as code, long ones cut. */
const quote = (v: string): string => (v.length > 40 ? `"${v.slice(0, 37)}..."` : code(v));
const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;

const WORDS: Record<string, string> = {
  'target.value': 'target',
  'target.by': 'target date',
  'baseline.value': 'baseline',
  'baseline.asOf': 'baseline date',
  apiVersion: 'apiVersion',
  euAiAct: 'EU AI Act',
  dpia: 'DPIA',
  uri: 'URI',
  trustworthyAI: 'Trustworthy AI',
};

function words(field: readonly string[]): string {
  const joined = field.join('.');
  if (WORDS[joined]) return WORDS[joined];
  return field
    .map(
      (seg) =>
        WORDS[seg] ??
        (seg.startsWith('x-') ? seg : seg.replace(/([a-z0-9])([A-Z])/g, '$1 $2').toLowerCase()),
    )
    .join(' ');
}

/** A value as a reader sees it in one line, or undefined when it is too long to quote. */
export function formatValue(v: ArgValue, max = 48): string | undefined {
  if (v === undefined) return '(none)';
  const s = (Array.isArray(v) ? `[${v.join(', ')}]` : String(v)).replace(/\s+/g, ' ').trim();
  return s.length > max ? undefined : s;
}

/** The section or list item a change is in: "value metric `churn-rate`", "deploy". */
function subjectWords(a: ChangeWords): string {
  const k = a.key ?? '';
  switch (a.subject) {
    case undefined:
      return '';
    case 'section':
      return k;
    case 'stakeholder':
      return `stakeholder ${code(k)}`;
    case 'valueMetric':
      return `value metric ${code(k)}`;
    case 'risk':
      return `risk ${code(k)}`;
    case 'candidate':
      return `candidate ${code(k)}`;
    case 'evaluation':
      return `evaluation ${code(k)}`;
    case 'dataset':
      return `dataset ${code(k)}`;
    case 'valueMeasurement':
      return `value measurement of ${code(k)}`;
    case 'driftCheck':
      return `drift check ${code(k)}`;
    case 'trigger':
      return `trigger ${code(k.replace(':', ' → '))}`;
    case 'approval':
      return a.phase || a.reassessment
        ? `approval of ${a.phase ?? `reassessment ${code(a.reassessment ?? '?')}`} by ${code(a.by ?? '?')} (${a.role ?? '?'}, ${a.date ?? '?'})`
        : `approval ${code(k)}`;
    case 'waiver':
      return `waiver of rule ${code(k)}`;
    case 'dimension':
      return `Trustworthy AI dimension ${code(k)}`;
    case 'guardrail':
      return `guardrail ${code(k)} (${a.dimension ?? '?'})`;
  }
}

/** The field a change is about, in words: "value metric `churn-rate`: target". */
export function changeField(args: Args): string {
  const a = args as ChangeWords;
  if (a.what === 'manifest') return 'manifest';
  const subject = subjectWords(a);
  const field = a.field ?? [];
  if (!subject) return words(field);
  return field.length > 0 ? `${subject}: ${words(field)}` : subject;
}

function noteWords(a: ChangeWords): string {
  switch (a.note) {
    case 'towardBaseline':
      return `, toward the baseline ${a.baseline}`;
    case 'awayFromBaseline':
      return `, away from the baseline ${a.baseline}`;
    case 'easierTarget':
      return ', an easier target';
    case 'harderTarget':
      return ', a harder target';
    case 'phasesLost':
      return `, no longer checked in ${(a.phases ?? []).join(' and ')}`;
    case 'phasesGained':
      return `, now also checked in ${(a.phases ?? []).join(' and ')}`;
    default:
      return '';
  }
}

/** A few words on an added or removed item, after its subject. */
function briefWords(a: ChangeWords): string {
  switch (a.subject) {
    case 'stakeholder':
      return [a.name, a.role].filter(Boolean).join(', ');
    case 'valueMetric':
      return a.target === undefined
        ? ''
        : `target ${a.target}${a.baseline === undefined ? '' : ` from the baseline ${a.baseline}`}`;
    case 'risk':
      return a.title ?? '';
    case 'valueMeasurement':
      return a.design ?? '';
    case 'driftCheck':
    case 'guardrail': {
      const parts = [a.metric ?? a.method ?? ''];
      if (a.min !== undefined) parts.push(`min ${a.min}`);
      if (a.max !== undefined) parts.push(`max ${a.max}`);
      return parts.filter(Boolean).join(' ');
    }
    case 'approval':
      return a.decision ?? '';
    case 'waiver':
      return a.expires ? `until ${a.expires}` : '';
    default:
      return '';
  }
}

function leafWords(a: ChangeWords): string {
  const field = changeField(a);
  const note = noteWords(a);
  const o = formatValue(a.old);
  const n = formatValue(a.new);
  if (a.old === undefined) return n ? `${field} set to ${n}${note}` : `${field} added${note}`;
  if (a.new === undefined)
    return o ? `${field} removed (was ${o})${note}` : `${field} removed${note}`;
  return o && n ? `${field} ${o} → ${n}${note}` : `${field} changed${note}`;
}

function manifestWords(a: ChangeWords): string {
  if (a.op === 'added')
    return `manifest added at ${a.file}${a.version ? ` (version ${a.version})` : ''}`;
  if (a.op === 'moved') return `moved from ${a.old} to ${a.new}`;
  return a.retired
    ? `manifest deleted from ${a.file} (it was retired)`
    : `manifest deleted from ${a.file}: its value metrics and guardrails go with it`;
}

/** A change in words, without the model: "value metric `churn-rate`: target 3.5 → 4, toward the baseline 4.2". */
function changeWords(a: ChangeWords): string {
  switch (a.what) {
    case 'field':
      return leafWords(a);
    case 'list': {
      const parts = [
        a.gained?.length ? `added ${a.gained.map(quote).join(', ')}` : '',
        a.lost?.length ? `removed ${a.lost.map(quote).join(', ')}` : '',
      ];
      return `${changeField(a)}: ${parts.filter(Boolean).join('; ')}`;
    }
    case 'item': {
      const brief = briefWords(a);
      return `${subjectWords(a)} ${a.op}${brief ? `: ${brief}` : ''}`;
    }
    case 'guardrailMoved':
      return `guardrail ${code(a.key ?? '?')} moved from ${a.old} to ${a.new}`;
    case 'manifest':
      return manifestWords(a);
  }
}

function changeHint(a: ChangeWords, how: Spelling): string | undefined {
  if (a.section && a.roles) {
    const approve = (by: string): string =>
      mlops(how, 'approve', shellWord(a.file ?? ''), '--phase', a.section!, '--by', by);
    const known = a.approvers?.length ? a.approvers : undefined;
    const commands = known
      ? known.map((id) => approve(shellWord(id))).join(' and ')
      : a.roles.length > 1
        ? `${approve(ph('STAKEHOLDER_ID'))} once for each role (STAKEHOLDER_ID: the id of one who holds it)`
        : `${approve(ph('STAKEHOLDER_ID'))} (STAKEHOLDER_ID: the id of the ${a.roles[0]})`;
    return `to acknowledge a deliberate change to ${a.section}, sign off ${a.section} again (${a.roles.join(', ')}): ${commands}`;
  }
  if (a.what === 'manifest' && a.op === 'deleted' && !a.retired)
    return 'to retire a model, first set metadata.status: retired in one change, then delete the manifest';
  return undefined;
}

const change = (title: string, help: string): MessageSpec => ({
  title,
  help,
  message: as(changeWords),
  hint: maybe(changeHint),
});

/** "the loosened changes need", "the added item needs", "the change needs". */
function why(a: VersionWords): string {
  const n = a.count ?? 0;
  if (a.bump === 'patch') return n === 1 ? 'the change needs' : 'the changes need';
  const noun = a.bump === 'minor' ? 'item' : 'change';
  return `the ${(a.classes ?? []).join(' and ')} ${n === 1 ? `${noun} needs` : `${noun}s need`}`;
}

const bumpWords = (a: VersionWords): string =>
  `${why(a)} a ${a.bump} bump${a.belowOne ? `, which below 1.0.0 is ${a.next}` : `: ${a.next}`}`;

function countsWords(a: SideWords): string {
  const parts = [
    a.errors ? plural(a.errors, 'error') : '',
    a.warnings ? plural(a.warnings, 'warning') : '',
    a.infos ? `${a.infos} info` : '',
  ];
  return parts.filter(Boolean).join(', ');
}

export const DIFF_MESSAGES = {
  CHANGE_LOOSENED: change(
    'Loosened',
    'A change that asks less of the model: a bound dropped or widened, a target moved toward its baseline, lower rigor or risk tier, weaker human oversight, a new waiver. An error until every role its section needs signs that section off again (`mlops approve`); then a warning.',
  ),
  CHANGE_BREAKING: change(
    'Breaking',
    'A change others may rely on not happening: a value metric removed, the model renamed, a new apiVersion or kind, a manifest deleted before it was retired. An error until its section is signed off again, like a loosened change.',
  ),
  CHANGE_REMOVED: change(
    'Removed',
    'A list item or a retired manifest removed, which bounds nothing: a stakeholder, a risk, a trigger. A warning, to look at.',
  ),
  CHANGE_CHANGED: change(
    'Changed',
    'A change that neither loosens nor tightens: text, references, a moved manifest or guardrail.',
  ),
  CHANGE_ADDED: change('Added', 'A list item or manifest added: a stakeholder, a value metric.'),
  CHANGE_TIGHTENED: change(
    'Tightened',
    'A change that asks more of the model: a bound added or narrowed, a target moved away from its baseline, higher rigor or risk tier.',
  ),
  VERSION_NOT_BUMPED: {
    title: 'Version not bumped',
    help: "A changed manifest's metadata.version goes up: major for a breaking or loosened change, minor for an added item, patch otherwise (below 1.0.0, one size smaller). Approvals, waivers and moves need no bump.",
    message: as((a: VersionWords) => `version ${a.from} did not go up; ${bumpWords(a)}`),
    hint: as((a: VersionWords) => `set \`metadata.version\` to \`${a.next}\``),
  },
  VERSION_BUMP_TOO_SMALL: {
    title: 'Version bump too small',
    help: 'The version went up by less than the changes need: major for a breaking or loosened change, minor for an added item, patch otherwise (below 1.0.0, one size smaller).',
    message: as(
      (a: VersionWords) => `version ${a.from} → ${a.to} is too small a step; ${bumpWords(a)}`,
    ),
    hint: as((a: VersionWords) => `set \`metadata.version\` to \`${a.next}\``),
  },
  VERSION_DOWNGRADED: {
    title: 'Version downgraded',
    help: "A manifest's metadata.version only goes up, so that a version names one content.",
    message: as(
      (a: VersionWords) =>
        `version went down: ${a.from} → ${a.to}; a manifest's version only goes up`,
    ),
    hint: as((a: VersionWords) => `set \`metadata.version\` to \`${a.next}\` or later`),
  },
  VERSION_INVALID: {
    title: 'Version not semantic',
    help: 'metadata.version is a semantic version (MAJOR.MINOR.PATCH), so that diff can check the bump a change needs.',
    message: as(
      (a: VersionWords) =>
        `version ${a.value === undefined ? '(none)' : JSON.stringify(a.value)} is not a semantic version (MAJOR.MINOR.PATCH); cannot check the bump`,
    ),
    hint: () =>
      'set `metadata.version` to `"VERSION"`: a semantic version (MAJOR.MINOR.PATCH), such as 1.0.0',
  },
  CANNOT_DIFF: {
    title: 'Side does not parse',
    help: 'One side of the manifest is not readable YAML holding a mapping, so nothing is compared; its findings are those of `mlops validate`.',
    message: as((a: SideWords) => `cannot diff: ${a.side} does not parse`),
    hint: maybe((a: SideWords, how) =>
      a.side === 'head'
        ? `fix the YAML, then run ${mlops(how, 'validate', shellWord(a.file ?? ''))}`
        : undefined,
    ),
  },
  SIDE_INVALID: {
    title: 'Side does not validate',
    help: 'One side of the manifest parses but has errors under `mlops validate`; it is still compared, and its findings are listed with it.',
    message: as(
      (a: SideWords) =>
        `${a.side} does not validate (${countsWords(a)}); still compared${a.side === 'base' ? ': the change did not cause these findings' : ''}`,
    ),
    hint: maybe((a: SideWords, how) =>
      a.side === 'head'
        ? `fix the findings, then run ${mlops(how, 'validate', shellWord(a.file ?? ''))}`
        : undefined,
    ),
  },
} satisfies Record<DiffCode, MessageSpec>;
