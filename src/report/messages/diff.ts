import type { DiffCode } from '../../core/codes/index.js';
import type { ChangeArgs, ChangeClass } from '../../core/diff.js';
import type { ArgValue, Args } from '../../core/findings.js';
import type { MessageSpec, Spelling } from './index.js';
import { gitCommit, mlops, placeholder as ph, shellWord } from './shell.js';

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
  fria: 'FRIA',
  art50: 'Art. 50',
  art50Duties: 'Art. 50 duties',
  gpai: 'general-purpose AI',
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
  if (a.what === 'observed') return `${observedSubject(a)}: observed value`;
  if (a.what === 'evidence') return `evidence ${code(a.evidence ?? '?')}`;
  if (a.what === 'staleApproval') return `approval ${code(a.key ?? '?')}`;
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
    case undefined:
      return '';
    default:
      return `: ${WHY[a.note]}`;
  }
}

/** The reason of a list or item change, after a semicolon; empty without one. */
function whyWords(a: ChangeWords): string {
  return a.note !== undefined && a.note in WHY ? `; ${WHY[a.note as keyof typeof WHY]}` : '';
}

/** Why a change loosens (or warns), after its values: what it lets through. */
const WHY: Record<
  Exclude<
    NonNullable<ChangeArgs['note']>,
    | 'towardBaseline'
    | 'awayFromBaseline'
    | 'easierTarget'
    | 'harderTarget'
    | 'phasesLost'
    | 'phasesGained'
  >,
  string
> = {
  tierLowered: 'a lower risk tier asks for fewer sign-offs and less evidence at every gate',
  euClassLowered:
    'a lower EU AI Act class drops its obligations (for high: Arts 9-17, 26, 27, 43, 49, 72, 73); the class follows from the use, not from a choice',
  legalBasisRemoved:
    'the Annex I or Annex III point that makes the system high-risk is no longer recorded',
  legalBasisChanged:
    'another Annex point may carry other obligations (Art. 27 for some Annex III points): check the classification still holds',
  art50Dropped:
    'the Art. 50 transparency duties no longer apply, so the disclosure is no longer required (rule EU50)',
  art50FromLimited:
    'the earlier `limited` class meant minimal with Art. 50 duties; written as minimal without `art50: true`, the transparency duties are dropped (rule EU50)',
  art50DutiesLost: 'fewer Art. 50 transparency duties are disclosed to the people concerned',
  gpaiLowered: 'a lower general-purpose AI level drops the obligations of Arts 53-55',
  roleDutiesLost:
    "the new operator role drops obligations the old one carried (a provider's Arts 9-17, 43, 49, 72, 73; a deployer's Arts 26, 27)",
  publicServiceDropped:
    'a deployer that is not a public body or public service no longer needs a fundamental-rights impact assessment (Art. 27(1), rule EU27)',
  outOfScopeLost: 'a use no longer declared out of scope widens what the model may be used for',
  signerRoleChanged:
    "a stakeholder's role decides which sign-offs they can give: check they may approve what they approved",
  unitChanged:
    'the target, baseline and minimum are now read in another unit: check they still mean the same',
  baselineMoved:
    'the target and minimum were set against the old baseline: check they still ask for the same improvement',
  baselineEasier:
    'a baseline moved this way makes the same result read as a larger improvement, so the target and minimum are easier to claim',
  baselineRemoved: 'without a baseline, no improvement can be shown or checked',
  targetRemoved: 'without a target, the value hypothesis can no longer fail at its date',
  targetPostponed:
    'the model has longer to reach its target before a reassessment is due (rule M3)',
  minimumEasier:
    'the floor below which the hypothesis fails moved toward the baseline (or was dropped): a smaller improvement now passes',
  toleranceWider: 'a wider band lets the value drift further before it counts as missed',
  cadenceLonger: 'checked less often, a problem stays unseen longer',
  riskScoreLowered: 'the risk looks smaller, so it draws less treatment and oversight',
  treatmentWeakened:
    'a weaker treatment (avoid > mitigate > transfer > accept) leaves more of the risk in place',
  mitigationRemoved: 'the risk no longer says how it is mitigated',
  lineOfDefenseLowered:
    'the risk is held by an earlier line of defense, with less independent challenge',
  riskGuardrailsLost: 'fewer guardrails watch this risk',
  residualLowered: 'the risk left after treatment looks smaller (Art. 9(5))',
  residualAcceptance: 'who accepts the residual risk, and why, changed (Art. 9(5)): check they may',
  rigorLowered: 'lower rigor asks for fewer guardrails and less evidence in this dimension',
  dimensionExcluded: 'an excluded dimension is no longer judged at all',
  metricChanged: 'the bounds now judge another metric: check they still mean the same',
  groupsLost: 'fewer groups are judged, so a harm to the others goes unseen',
  declaresLost:
    'the guardrail no longer declares an accuracy, robustness or cybersecurity metric (Art. 15, rule EU15)',
  selectedChanged:
    'another candidate goes to production: check it is the one evaluated and signed off',
  evaluationMoved: 'the evaluation now counts for something else: check what it still proves',
  datasetRole: 'the data now serves another purpose: check the evaluations still use held-out data',
  personalDataDropped:
    'without personal data, the privacy obligations (a DPIA, a lawful basis) no longer apply',
  sensitiveFeaturesLost: 'fewer sensitive features are declared, so fewer are checked for bias',
  documentRemoved:
    'a document the readiness rules read is gone, so a gate it proved no longer asks for it',
  pinDropped: 'the evidence is no longer pinned to its sha256, so its content may change unseen',
  governanceFactRemoved: 'a data-governance fact of Art. 10 is no longer recorded',
  lawfulBasisRemoved: 'the lawful basis for processing personal data is no longer recorded',
  dataRetentionLonger: 'personal data is kept longer (or without a limit): a privacy loosening',
  openFindingsRaised: 'more open security findings are accepted at deploy',
  rollbackRemoved: 'there is no longer a recorded way back',
  oversightWeakened:
    'less human oversight (none < on the loop < in the loop) catches fewer bad decisions (Art. 14)',
  oversightPeopleLost: 'fewer named people oversee the model (Art. 26(2))',
  designWeakened:
    'a weaker design (pre/post < holdout < A/B test) proves less that the model caused the value',
  firstReadingLater: 'the first value reading comes later',
  loggingOff: 'without automatic logging, events cannot be traced (Art. 12)',
  logRetentionShorter: 'logs are kept for less time (Art. 26(6) asks for at least six months)',
  conformityWeaker:
    'internal control replaces a notified body in the conformity assessment (Art. 43)',
  registrationRemoved: 'the EU database registration is no longer recorded (Art. 49)',
  standardsLost: 'fewer standards are applied (Annex IV point 7)',
  driftChanged: 'the check now measures drift another way: check its bounds still mean the same',
  featuresLost: 'fewer features are watched for drift',
  missesRaised: 'more consecutive misses of the minimum are needed before a reassessment (rule M3)',
  governanceBodyRemoved: 'no governance body reviews the model any more',
  reviewPostponed: 'the next governance review comes later',
  waiverWidened: 'without a target, the waiver excuses every finding of its rule',
  waiverMoved: 'the waiver now excuses an item it was not approved for',
  waiverLonger: 'the exception lasts longer',
  riskRemoved: 'a risk dropped from the register is no longer treated, owned or watched',
  dimensionRemoved: 'the dimension and its rigor are no longer judged',
  evaluationRemoved: 'the evaluation and the evidence it names no longer count at build',
  datasetRemoved: 'its datasheet and personal-data facts no longer count',
  measurementRemoved: 'the value is no longer measured in production this way',
  triggerRemoved: 'the event no longer sets off its action',
  waiverAdded: 'an exception to a readiness rule lets a failing gate pass',
};

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
      return `${changeField(a)}: ${parts.filter(Boolean).join('; ')}${whyWords(a)}`;
    }
    case 'item': {
      const brief = briefWords(a);
      return `${subjectWords(a)} ${a.op}${brief ? `: ${brief}` : ''}${whyWords(a)}`;
    }
    case 'guardrailMoved':
      return `guardrail ${code(a.key ?? '?')} moved from ${a.old} to ${a.new}`;
    case 'manifest':
      return manifestWords(a);
    case 'observed':
      return observedWords(a);
    case 'evidence':
      return evidenceWords(a);
    case 'staleApproval':
      return staleWords(a);
  }
}

/** The item an observed value is of: "guardrail `auc` (robustReliable, build)", "value metric `churn`". */
function observedSubject(a: ChangeWords): string {
  if (a.subject === 'valueMetric') return `value metric ${code(a.key ?? '?')}`;
  const where = [a.dimension, a.phase].filter(Boolean).join(', ');
  const group = a.group !== undefined ? ` group ${code(a.group)}` : '';
  return `guardrail ${code(a.key ?? '?')}${where ? ` (${where})` : ''}${group}`;
}

/** An observed value, or that there is none. */
const observedValue = (v: ArgValue): string =>
  v === undefined || v === null ? 'not observed' : (formatValue(v) ?? String(v));

/** The bound a guardrail's value is judged against in words: "min 0.8", "max 0.3". */
function rangeBound(a: ChangeWords): string {
  if (a.bound === 'max' && a.max !== undefined) return `max ${a.max}`;
  if (a.min !== undefined) return `min ${a.min}`;
  return a.max !== undefined ? `max ${a.max}` : 'its bounds';
}

/** Where a guardrail's value stands after it moved. */
function rangeStanding(a: ChangeWords): string {
  const bound = rangeBound(a);
  const side = a.bound === 'max' ? 'above' : 'below';
  switch (a.standing) {
    case 'breached':
    case 'appeared':
      return a.min === undefined && a.max === undefined ? '' : `, ${side} ${bound}`;
    case 'further':
      return `, further ${side} ${bound}`;
    case 'stillOut':
      return `, still ${side} ${bound}`;
    case 'backIn':
      return `, back within ${bound}`;
    case 'toward':
      return `, toward ${bound}`;
    case 'away':
      return `, away from ${bound}`;
    case 'moved':
      return a.min === undefined && a.max === undefined ? ', which no bound judges' : '';
    default:
      return '';
  }
}

/** Where a value metric's observed value stands after it moved, read in its direction. */
function valueStanding(a: ChangeWords): string {
  if (a.direction === 'maintain') {
    const band =
      a.target === undefined
        ? 'its target'
        : `${a.target}${a.tolerance !== undefined ? ` ± ${a.tolerance}` : ''}`;
    switch (a.standing) {
      case 'breached':
      case 'appeared':
        return `, outside ${band}`;
      case 'further':
        return `, further outside ${band}`;
      case 'stillOut':
        return `, still outside ${band}`;
      case 'backIn':
        return `, back within ${band}`;
      case 'toward':
        return `, further from the target ${a.target ?? '?'}`;
      case 'away':
        return `, nearer the target ${a.target ?? '?'}`;
      default:
        return '';
    }
  }
  const better = a.direction === 'decrease' ? 'lower is better' : 'higher is better';
  const minimum = a.minimum !== undefined ? `the minimum ${a.minimum}` : undefined;
  const target = a.target !== undefined ? `; target ${a.target}` : '';
  switch (a.standing) {
    case 'breached':
    case 'appeared':
      return minimum ? `, worse than ${minimum}${target}` : '';
    case 'further':
      return `, further from ${minimum ?? 'its minimum'}${target}`;
    case 'stillOut':
      return `, still worse than ${minimum ?? 'its minimum'}${target}`;
    case 'backIn':
      return `, back to ${minimum ?? 'its minimum'} or better${target}`;
    case 'toward':
      return minimum ? `, toward ${minimum}${target}` : `, worse (${better})${target}`;
    case 'away':
      return minimum ? `, away from ${minimum}${target}` : `, better (${better})${target}`;
    default:
      return '';
  }
}

/** "guardrail `auc` (robustReliable, build): roc_auc 0.812 → 0.751, toward min 0.7, in reports/eval.json#/roc_auc". */
function observedWords(a: ChangeWords): string {
  const standing = a.subject === 'valueMetric' ? valueStanding(a) : rangeStanding(a);
  const what = a.subject === 'valueMetric' ? 'observed' : (a.metric ?? 'value');
  const where = `${a.evidence ?? '?'}${a.pointer !== undefined ? `#${a.pointer}` : ''}`;
  const why = a.unread !== undefined ? ` (${UNREAD[a.unread] ?? UNREAD.unreadable})` : '';
  return `${observedSubject(a)}: ${what} ${observedValue(a.old)} → ${observedValue(a.new)}${standing}, in ${where}${why}`;
}

/** What an evidence file proves, in words: "model card", "guardrail `auc`". */
function provesWords(a: ChangeWords): string {
  const item = a.item !== undefined ? code(a.item) : undefined;
  switch (a.proves) {
    case 'guardrail':
      return item ? `guardrail ${item}` : 'a guardrail';
    case 'evaluation':
      return item ? `evaluation ${item}` : 'an evaluation';
    case 'datasheet':
      return item ? `datasheet of ${item}` : 'a datasheet';
    case 'modelCard':
      return 'model card';
    case 'dpia':
      return 'DPIA';
    case 'threatModel':
      return 'threat model';
    case 'runbook':
      return 'runbook';
    case 'oversightProcedure':
      return 'human oversight procedure';
    case 'training':
      return 'training';
    case 'instrumentation':
      return item ? `instrumentation of ${item}` : 'instrumentation';
    case 'drift':
      return item ? `drift check ${item}` : 'a drift check';
    case 'valueTracking':
      return 'value tracking';
    case 'governance':
      return 'governance record';
    case 'instructionsForUse':
      return 'instructions for use';
    case 'loggingSpec':
      return 'logging specification';
    case 'qualityManagement':
      return 'quality management system';
    case 'conformityAssessment':
      return 'conformity assessment';
    case 'euDeclaration':
      return 'EU declaration of conformity';
    case 'fria':
      return 'fundamental-rights impact assessment';
    case 'disclosure':
      return 'AI disclosure';
    case 'postMarketPlan':
      return 'post-market monitoring plan';
    case 'incidentProcedure':
      return 'serious-incident procedure';
    default:
      return 'evidence';
  }
}

const UNREAD: Record<string, string> = {
  missing: 'the file is not there',
  outside: 'it leads outside the repository',
  not_a_file: 'it is not a regular file',
  too_large: 'it is larger than 32 MiB',
  unreadable: 'it cannot be read',
};

/** "evidence reports/model-card.md (model card) changed". */
function evidenceWords(a: ChangeWords): string {
  const what = `evidence ${a.evidence ?? '?'} (${provesWords(a)})`;
  if (a.op === 'added') return `${what} added`;
  if (a.op === 'deleted') return `${what} deleted`;
  if (a.unread !== undefined)
    return `${what} changed; its content was not compared: ${UNREAD[a.unread] ?? UNREAD.unreadable}`;
  return `${what} changed`;
}

/** What a stale approval signed: "build", "reassessment `r1`", "waiver `w1`". */
function signedWords(a: ChangeWords): string {
  if (a.waiver !== undefined) return `waiver ${code(a.waiver)}`;
  if (a.reassessment !== undefined) return `reassessment ${code(a.reassessment)}`;
  return a.phase ?? '?';
}

/** "approval `build-cco-2026-05-01` of build by Helena Marsh (`cco`, decision_maker) on 2026-05-01 is stale: ...". */
function staleWords(a: ChangeWords): string {
  const who =
    a.name !== undefined
      ? `${a.name} (${code(a.by ?? '?')}, ${a.role ?? '?'})`
      : `${code(a.by ?? '?')} (${a.role ?? '?'})`;
  const subject =
    a.waiver !== undefined || a.reassessment !== undefined
      ? `the ${a.waiver !== undefined ? 'waiver' : 'reassessment'}`
      : `the ${a.phase ?? '?'} section`;
  const files = a.files ?? [];
  const changed = [
    ...(a.sectionChanged ? [subject] : []),
    ...(files.length > 0 ? [files.join(', ')] : []),
  ];
  const why = changed.length > 0 ? changed.join(' and ') : subject;
  return `approval ${code(a.key ?? '?')} of ${signedWords(a)} by ${who} on ${a.date ?? '?'} is now stale: ${why} changed since it was signed`;
}

/** The approve command that signs a stale approval's subject again, by the same stakeholder. */
function staleHint(a: ChangeWords, how: Spelling): string {
  const subject =
    a.waiver !== undefined
      ? ['--waiver', shellWord(a.waiver)]
      : a.reassessment !== undefined
        ? ['--reassessment', shellWord(a.reassessment)]
        : ['--phase', a.phase ?? 'PHASE'];
  return `review what changed, then sign it off again: ${mlops(how, 'approve', shellWord(a.file ?? ''), ...subject, '--by', shellWord(a.by ?? 'STAKEHOLDER_ID'))}, then commit it from the approver's own git identity: ${gitCommit([a.file ?? ''], 'Sign off again')}`;
}

/** What to do about a value past its bound. */
function breachedHint(a: ChangeWords, how: Spelling): string | undefined {
  if (a.section && a.roles)
    return `bring it back within its bounds and commit the new report, or, to accept it, ${signOffAgain({ ...a, section: a.section, roles: a.roles }, how)}`;
  if (a.subject === 'valueMetric')
    return 'the business value is below its minimum in production: reassess the model (monitor.reassessments, rule M3) as monitor.triggers says';
  return a.phase === 'monitor'
    ? 'the model is out of bounds in production: act as monitor.triggers says (retrain, reassess or roll back), then commit the new report'
    : undefined;
}

/** "sign off build again (decision_maker): `mlops approve ...`", for a change that needs a sign-off. */
function signOffAgain(
  a: ChangeWords & { section: string; roles: readonly string[] },
  how: Spelling,
): string {
  const approve = (by: string): string =>
    mlops(how, 'approve', shellWord(a.file ?? ''), '--phase', a.section, '--by', by);
  const known = a.approvers?.length ? a.approvers : undefined;
  const commands = known
    ? known.map((id) => approve(shellWord(id))).join(' and ')
    : a.roles.length > 1
      ? `${approve(ph('STAKEHOLDER_ID'))} once for each role (STAKEHOLDER_ID: the id of one who holds it)`
      : `${approve(ph('STAKEHOLDER_ID'))} (STAKEHOLDER_ID: the id of the ${a.roles[0]})`;
  // an approval counts once committed, by the approver (approvals.identity)
  const commit = gitCommit([a.file ?? ''], `Sign off ${a.section}`);
  return `sign off ${a.section} again (${a.roles.join(', ')}): ${commands}, then commit it from the approver's own git identity: ${commit}`;
}

function changeHint(a: ChangeWords, how: Spelling): string | undefined {
  if (a.section && a.roles)
    return `to acknowledge a deliberate change to ${a.section}, ${signOffAgain({ ...a, section: a.section, roles: a.roles }, how)}`;
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
    'A change that asks less of the model or makes a risk look smaller: a bound dropped or widened, a target moved toward its baseline or postponed, a baseline moved to flatter the gain, a lower EU AI Act class, Art. 50 duties, GPAI level, obligations of the role or risk tier, a document (evidence) removed, more open security findings, a weaker risk treatment or lower scores, a trigger removed, a longer cadence, shorter log retention or longer data retention, weaker human oversight, a new waiver. Every field of the schema has its rule. An error until every role its section needs signs that section off again (`mlops approve`); then a warning. A loosened change needs a major version bump.',
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
    'A change that neither loosens nor tightens: text, references, a moved manifest or guardrail. A change with no direction that can still move a gate (a baseline moved, a unit, the metric a bound judges, a drift method) is a warning, with what to check.',
  ),
  CHANGE_ADDED: change('Added', 'A list item or manifest added: a stakeholder, a value metric.'),
  CHANGE_TIGHTENED: change(
    'Tightened',
    'A change that asks more of the model: a bound added or narrowed, a target moved away from its baseline, higher rigor or risk tier.',
  ),
  CHANGE_BREACHED: {
    title: 'Breached',
    help: "A value read from evidence (a guardrail's, in its build report or its live report, or a value metric's, in value tracking) moved past its bound: out of bounds now and in bounds before, or further out than before. An error; a build report's breach drops to a warning when every role build needs signs build off again, binding the new report.",
    message: as(changeWords),
    hint: maybe(breachedHint),
  },
  CHANGE_DEGRADED: {
    title: 'Degraded',
    help: 'A value read from evidence moved toward its bound and is still within it (or is no longer observed): a warning, to look at before it becomes a breach.',
    message: as(changeWords),
  },
  CHANGE_IMPROVED: {
    title: 'Improved',
    help: 'A value read from evidence moved away from its bound, or back within it.',
    message: as(changeWords),
  },
  CHANGE_EVIDENCE: {
    title: 'Evidence changed',
    help: 'An evidence file the manifest names changed (JSON and YAML by their data, so a report reformatted is no change), added or deleted, with no value read from it that moved past, toward or away from a bound. A deleted file is a warning.',
    message: as(changeWords),
    hint: maybe((a: ChangeWords) =>
      a.op === 'deleted'
        ? `put ${a.evidence ?? 'the file'} back, or set the manifest's path to the file that replaces it`
        : undefined,
    ),
  },
  CHANGE_STALE_APPROVAL: {
    title: 'Approval made stale',
    help: 'An approval that was current before the change (its digests matched what it signed: the section, reassessment or waiver, and the evidence files its phase binds) no longer matches: `mlops check` no longer counts it until it is signed off again.',
    message: as(changeWords),
    hint: maybe(staleHint),
  },
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
