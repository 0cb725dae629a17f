import type { EvidenceKind } from '../../core/check/evidence.js';
import type { ReferenceKind } from '../../core/check/facts.js';
import type { DocumentKind } from '../../core/check/rules/common.js';
import type { CheckCode } from '../../core/codes/index.js';
import type { Args, ArgValue } from '../../core/findings.js';
import type { MessageSpec, Spelling } from './index.js';
import { formatPath } from './manifest.js';
import { approveAndCommit, approver, sectionFirst } from './approve-words.js';
import { waiveWords } from './waivers.js';
import { gitCommit, mlops, pathsOf, placeholder as ph, run, shellWord } from './shell.js';

const str = (v: ArgValue): string => (v === undefined || v === null ? '' : String(v));
const opt = (v: ArgValue): string | undefined =>
  v === undefined || v === null ? undefined : String(v);
const items = (v: ArgValue): (string | number)[] =>
  Array.isArray(v) ? [...(v as (string | number)[])] : [];
/** Observed numbers at six significant digits, as the reports that hold them rarely need more. */
const fmt = (v: ArgValue): string => String(Number(Number(v).toPrecision(6)));
/** "a" or "an" before a word: "an internal_audit". */
const article = (word: string): string => (/^[aeiou]/i.test(word) ? 'an' : 'a');
const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;

const EVIDENCE_LABELS: Record<EvidenceKind, (item: string) => string> = {
  guardrail: (item) => `guardrail \`${item}\``,
  evaluation: (item) => `evaluation \`${item}\``,
  datasheet: (item) => `datasheet of dataset \`${item}\``,
  modelCard: () => 'model card',
  dpia: () => 'DPIA',
  threatModel: () => 'threat model',
  runbook: () => 'runbook',
  oversightProcedure: () => 'human oversight procedure',
  training: () => 'training material',
  instrumentation: (item) => `instrumentation of \`${item}\``,
  drift: (item) => `drift check \`${item}\``,
  valueTracking: () => 'value-tracking report',
  governance: () => 'governance record',
  instructionsForUse: () => 'instructions for use',
  loggingSpec: () => 'logging specification',
  qualityManagement: () => 'quality management system',
  conformityAssessment: () => 'conformity assessment',
  euDeclaration: () => 'EU declaration of conformity',
  fria: () => 'fundamental-rights impact assessment',
  disclosure: () => 'AI disclosure',
  postMarketPlan: () => 'post-market monitoring plan',
  incidentProcedure: () => 'serious-incident procedure',
};

/** What an evidence entry proves: "model card", "guardrail `auc`". */
function evidenceLabel(a: Args): string {
  const kind = str(a.evidence);
  return Object.hasOwn(EVIDENCE_LABELS, kind)
    ? EVIDENCE_LABELS[kind as EvidenceKind](str(a.item))
    : kind;
}

type EvidenceSpec = {
  title: string;
  help: string;
  problem: (a: Args) => string;
  hint: (a: Args, how: Spelling) => string;
};

/** The model's name in a commit message: "Add evidence of churn". */
const evidenceOf = (a: Args): string =>
  typeof a.model === 'string' ? `evidence of ${a.model}` : 'evidence';

/**
 * `` `git add f && git commit -m "Add evidence of m"` ``: commits `first` and every other file
 * of the manifest's evidence that a commit makes count (`files`), each once.
 */
const commitEvidence = (a: Args, first: ArgValue, verb = 'Add'): string =>
  gitCommit(pathsOf(first, a.files), `${verb} ${evidenceOf(a)}`);

/** A file path as one shell word. */
const q = (v: ArgValue): string => shellWord(str(v));

/** A value in a YAML snippet: an id as it is, anything else quoted. */
const y = (v: ArgValue): string =>
  /^[a-z0-9][a-z0-9_-]*$/i.test(str(v)) ? str(v) : JSON.stringify(str(v));

/** A path of the manifest in a hint: `` `envision.valueMetrics[0]` ``. */
const at = (...path: (string | number)[]): string => `\`${formatPath(path)}\``;

/** "add to `path`: `{…}`": an item for a list, or keys for a mapping, as a YAML flow snippet. */
const addTo = (path: (string | number)[], snippet: string): string =>
  `add to ${at(...path)}: \`${snippet}\``;

/** "set `path` to `value`". */
const setTo = (path: (string | number)[], value: string): string =>
  `set ${at(...path)} to \`${value}\``;

/** The index of an item in its list, from the finding's args. */
const index = (v: ArgValue): number => (typeof v === 'number' ? v : 0);

/** Why an evidence file does not count, without saying which entry it is. */
const EVIDENCE = {
  EVIDENCE_ABSOLUTE: {
    title: 'Evidence path is absolute',
    help: "Evidence lives inside the repository, at a path relative to the manifest's folder.",
    problem: (a) =>
      `evidence path "${str(a.raw)}" is absolute; evidence lives inside the repository`,
    hint: () => "write the path relative to the manifest's folder",
  },
  EVIDENCE_OUTSIDE: {
    title: 'Evidence path leaves the repository',
    help: 'A path whose `..` climbs out of the repository is refused and never read.',
    problem: (a) => `evidence path "${str(a.raw)}" leads outside the repository; it was not read`,
    hint: () =>
      "move the file into the repository and write its path relative to the manifest's folder",
  },
  EVIDENCE_LINK_OUTSIDE: {
    title: 'Evidence is a link out of the repository',
    help: 'A symbolic link that leads out of the repository is refused and never read.',
    problem: (a) =>
      a.target === undefined
        ? `${str(a.path)} is a symbolic link that leads outside the repository; it was not read`
        : `${linkLead(a)} to ${str(a.target)}, outside the repository; it was not read`,
    hint: () => 'replace the link with the file itself, committed in the repository',
  },
  EVIDENCE_NOT_A_FILE: {
    title: 'Evidence is a folder',
    help: 'Evidence names one file.',
    problem: (a) => `${str(a.path)} is a folder, not a file`,
    hint: () => 'point the evidence at a file',
  },
  EVIDENCE_UNTRACKED: {
    title: 'Evidence not committed',
    help: 'The file exists but git does not track it, so no commit holds it.',
    problem: (a) => `${str(a.path)} exists but is not committed`,
    hint: (a) => `commit it: ${commitEvidence(a, a.path)}`,
  },
  EVIDENCE_IN_SUBMODULE: {
    title: 'Evidence inside a submodule',
    help: 'The file is committed in a submodule, a repository of its own, which this repository does not read.',
    problem: (a) =>
      `${str(a.path)} is inside the submodule ${str(a.submodule)}; its commits are not this repository's`,
    hint: (a, how) =>
      `commit the evidence in this repository, or keep the manifest in the submodule and check it there: ${run('cd', q(a.submodule), '&&', how.invokedAs, 'check')}`,
  },
  EVIDENCE_MISSING: {
    title: 'Evidence does not exist',
    help: 'The file named as evidence is neither in the repository nor on disk.',
    problem: (a) => `${str(a.path)} does not exist`,
    hint: (a) =>
      `create ${str(a.path)} and commit it (${commitEvidence(a, a.path)}), or correct the path in the manifest`,
  },
  EVIDENCE_DELETED: {
    title: 'Evidence deleted',
    help: 'The file is committed but deleted in the working tree.',
    problem: (a) => `${str(a.path)} is committed but deleted in the working tree`,
    hint: (a) =>
      `restore it (${run('git restore', q(a.path))}), or point the manifest at the file that replaces it`,
  },
  EVIDENCE_MODIFIED: {
    title: 'Evidence changed since its commit',
    help: 'The working tree differs from the committed file, so what was reviewed is not what is there.',
    problem: (a) => `${str(a.path)} has uncommitted changes`,
    hint: (a) =>
      `commit them (${commitEvidence(a, a.path, 'Update')}), or discard them (${run('git restore', q(a.path))})`,
  },
  EVIDENCE_STAGED: {
    title: 'Evidence staged, not committed',
    help: 'The file is in the index but no commit holds this version yet.',
    problem: (a) => `${str(a.path)} is staged but not committed`,
    hint: (a) => `commit it: ${commitEvidence(a, a.path)}`,
  },
  EVIDENCE_UNREADABLE: {
    title: 'Evidence cannot be read',
    help: 'The file is there but could not be read.',
    problem: (a) => `${str(a.path)} cannot be read (${str(a.reason)})`,
    hint: (a) =>
      a.reason === 'EACCES' || a.reason === 'EPERM'
        ? `make it readable by the user running mlops: ${run('chmod a+r', q(a.path))}`
        : 'check that the file and its folders exist and can be read',
  },
  EVIDENCE_SHA256_MISMATCH: {
    title: 'Evidence does not match its sha256',
    help: 'The manifest records a sha256 of the file, and the file has another.',
    problem: (a) =>
      `${str(a.path)} does not match the sha256 in the manifest (it is ${str(a.actual).slice(0, 12)}…)`,
    hint: (a) =>
      `set its sha256 to \`${str(a.actual)}\` (the file as it is now), or restore the file that was recorded`,
  },
  EVIDENCE_SPECIAL_FILE: {
    title: 'Evidence is not a regular file',
    help: 'Evidence names a regular file. A FIFO, a device or a socket is never opened.',
    problem: (a) => `${reaches(a)} ${specialType(a)}, not a regular file; it was not opened`,
    hint: () => 'point the evidence at a regular file committed in the repository',
  },
  EVIDENCE_TOO_LARGE: {
    title: 'Evidence too large to read',
    help: 'Evidence read for an observed value may be at most 32 MiB, and evidence with a sha256 at most 256 MiB; a larger file is refused without being read whole.',
    problem: (a) =>
      `${reaches(a)} ${bytes(a.size)}, over the ${bytes(a.limit, false)} limit for evidence ${
        a.for === 'sha256' ? 'with a sha256' : 'read for an observed value'
      }; it was not read`,
    hint: (a) =>
      a.for === 'sha256'
        ? `record the sha256 of a smaller file (a summary, or a list of the large files with their hashes), or remove sha256 from the evidence`
        : `commit a smaller report that holds the observed values, and point the evidence at it`,
  },
  EVIDENCE_LINKED_UNTRACKED: {
    title: 'Evidence leads to a file not committed',
    help: 'Evidence that is a symbolic link counts only when the link and the file it leads to are both committed and unmodified.',
    problem: (a) => `${linkedLead(a)} is not committed`,
    hint: (a) => `commit it: ${commitEvidence(a, a.culprit)}`,
  },
  EVIDENCE_LINKED_MISSING: {
    title: 'Evidence leads to a file that does not exist',
    help: 'The symbolic link named as evidence leads to a file that is neither in the repository nor on disk.',
    problem: (a) => `${linkedLead(a)} does not exist`,
    hint: (a) =>
      `create ${str(a.culprit)} and commit it (${commitEvidence(a, a.culprit)}), or point the link or the manifest at the committed file`,
  },
  EVIDENCE_LINKED_DELETED: {
    title: 'Evidence leads to a deleted file',
    help: 'The symbolic link named as evidence leads to a committed file that is deleted in the working tree.',
    problem: (a) => `${linkedLead(a)} is committed but deleted in the working tree`,
    hint: (a) =>
      `restore it (${run('git restore', q(a.culprit))}), or point the link or the manifest at the file that replaces it`,
  },
  EVIDENCE_LINKED_MODIFIED: {
    title: 'Evidence leads to a file changed since its commit',
    help: 'The symbolic link named as evidence leads to a file whose working tree differs from its commit, so what was reviewed is not what is read.',
    problem: (a) => `${linkedLead(a)} has uncommitted changes`,
    hint: (a) =>
      `commit them (${commitEvidence(a, a.culprit, 'Update')}), or discard them (${run('git restore', q(a.culprit))})`,
  },
  EVIDENCE_LINKED_STAGED: {
    title: 'Evidence leads to a file staged, not committed',
    help: 'The symbolic link named as evidence leads to a file that is in the index but not yet in a commit.',
    problem: (a) => `${linkedLead(a)} is staged but not committed`,
    hint: (a) => `commit it: ${commitEvidence(a, a.culprit)}`,
  },
} satisfies Partial<Record<CheckCode, EvidenceSpec>>;

/** "docs/a.md is a symbolic link" or "docs/a.md leads through the symbolic link docs". */
function linkLead(a: Args): string {
  return a.link === undefined || a.link === a.path
    ? `${str(a.path)} is a symbolic link`
    : `${str(a.path)} leads through the symbolic link ${str(a.link)}`;
}

/** The evidence, or the file its link leads to, before "is": "docs/a.md is" or "… to docs/b.md, which is". */
function reaches(a: Args): string {
  return a.target === undefined
    ? `${str(a.path)} is`
    : `${linkLead(a)} to ${str(a.target)}, which is`;
}

/** The link or file that does not count, before its state: "… to docs/b.md, which". */
function linkedLead(a: Args): string {
  if (a.culprit === a.target || a.culprit === undefined)
    return `${linkLead(a)} to ${str(a.target)}, which`;
  return `${str(a.path)} leads to ${str(a.target)} through the symbolic link ${str(a.culprit)}, which`;
}

const SPECIAL_TYPES: Record<string, string> = {
  fifo: 'a FIFO (named pipe)',
  'character device': 'a character device',
  'block device': 'a block device',
  socket: 'a socket',
};

function specialType(a: Args): string {
  const type = str(a.type);
  return Object.hasOwn(SPECIAL_TYPES, type) ? SPECIAL_TYPES[type]! : 'a special file';
}

/** A byte count in words: "1.5 GiB (1610612736 bytes)", or "1.5 GiB" without `exact`. */
function bytes(v: ArgValue, exact = true): string {
  const n = Number(v);
  const units = ['KiB', 'MiB', 'GiB', 'TiB'];
  let unit = '';
  let x = n;
  for (const u of units) {
    if (x < 1024) break;
    x /= 1024;
    unit = u;
  }
  if (unit === '') return `${n} bytes`;
  const round = `${Number(x.toPrecision(3))} ${unit}`;
  return exact ? `${round} (${n} bytes)` : round;
}

type EvidenceCode = keyof typeof EVIDENCE;

function evidenceMessages(): Record<EvidenceCode, MessageSpec> {
  const out = {} as Record<EvidenceCode, MessageSpec>;
  for (const [code, spec] of Object.entries(EVIDENCE) as [EvidenceCode, EvidenceSpec][]) {
    out[code] = {
      title: spec.title,
      help: spec.help,
      message: (a) => `${evidenceLabel(a)}: ${spec.problem(a)}`,
      hint: spec.hint,
    };
  }
  return out;
}

/** Why evidence data could not be read, after its path: "is not valid JSON (…)". */
function dataProblem(a: Args): string {
  switch (a.problem) {
    case 'invalid':
      return `is not valid ${str(a.format)} (${str(a.detail)})`;
    case 'not_data':
      return 'is not JSON or YAML, so no observed value can be read from it';
    default:
      return 'could not be read';
  }
}

/** Why no number was found, after the path: "has no value at /m or /metrics/m". */
function missingValue(a: Args): string {
  if (a.problem === 'absent') return `has no value at ${items(a.pointers).join(' or ')}`;
  const found = a.found === 'null' ? 'null' : a.found === 'object' ? 'an object' : str(a.literal);
  return `holds ${found} at ${str(a.pointer)}, not a number`;
}

/** Why an observed value is not there: the evidence does not count, cannot be read, or lacks it. */
function observationProblem(a: Args): string {
  if (a.problem === 'evidence') {
    const spec = EVIDENCE[str(a.cause) as EvidenceCode] as EvidenceSpec | undefined;
    return `${spec ? spec.problem(a) : str(a.cause)} (rule G1)`;
  }
  if (a.problem === 'absent' || a.problem === 'not_number')
    return `${str(a.path)} ${missingValue(a)}`;
  return `${str(a.path)} ${dataProblem(a)}`;
}

/** When the evidence itself does not count (rule G1), the fix of that: the value may be there. */
function evidenceHint(a: Args, how: Spelling): string | undefined {
  if (a.problem !== 'evidence') return undefined;
  const spec = EVIDENCE[str(a.cause) as EvidenceCode] as EvidenceSpec | undefined;
  return spec?.hint(a, how);
}

const REFERENCE_KINDS: Record<ReferenceKind, string> = {
  stakeholder: 'stakeholder',
  valueMetric: 'value metric',
  guardrail: 'guardrail',
  candidate: 'candidate',
};

/** "value metric": what kind of item a reference names. */
function referenceWord(a: Args): string {
  return Object.hasOwn(REFERENCE_KINDS, str(a.kind))
    ? REFERENCE_KINDS[str(a.kind) as ReferenceKind]
    : str(a.kind);
}

/** What changed since a stale approval: the command that shows it, when the commit is known. */
function sinceApproved(a: Args, how: Spelling): string {
  if (a.approvedIn !== undefined)
    return `see what changed since it was approved in commit ${str(a.approvedIn)}: ${mlops(how, 'diff', str(a.approvedIn), '--', q(a.manifest))}; then`;
  return `review the ${str(a.phase)} section; then`;
}

const DOCUMENTS: Record<
  DocumentKind,
  { what: (a: Args) => string; key: (a: Args) => (string | number)[]; file: string; doc: string }
> = {
  modelCard: {
    what: () => 'model card',
    key: () => ['build', 'modelCard'],
    file: 'MODEL_CARD_FILE',
    doc: 'a model card',
  },
  datasheet: {
    what: (a) => `datasheet of dataset \`${str(a.item)}\` (personal data)`,
    key: (a) => ['build', 'datasets', index(a.index), 'datasheet'],
    file: 'DATASHEET_FILE',
    doc: 'a datasheet',
  },
  dpia: {
    what: () => 'DPIA for personal data',
    key: () => ['deploy', 'dataProtection', 'dpia'],
    file: 'DPIA_FILE',
    doc: 'the DPIA',
  },
  threatModel: {
    what: () => 'threat model',
    key: () => ['deploy', 'securityReview', 'threatModel'],
    file: 'THREAT_MODEL_FILE',
    doc: 'a threat model',
  },
  runbook: {
    what: () => 'runbook',
    key: () => ['deploy', 'integration', 'runbook'],
    file: 'RUNBOOK_FILE',
    doc: 'a runbook',
  },
};

function documentOf(a: Args): (typeof DOCUMENTS)[DocumentKind] | undefined {
  return Object.hasOwn(DOCUMENTS, str(a.document))
    ? DOCUMENTS[str(a.document) as DocumentKind]
    : undefined;
}

/** Where a monitoring subject (value tracking or a drift check) is in the manifest. */
const monitorPath = (a: Args): (string | number)[] =>
  a.subject === 'drift'
    ? ['monitor', 'drift', index(a.index)]
    : a.subject === 'guardrail'
      ? ['envision', 'trustworthyAI', str(a.dimension), 'guardrails', index(a.index), 'monitor']
      : ['monitor', 'valueTracking'];

const monitored = (a: Args): string =>
  a.subject === 'drift'
    ? `drift check \`${str(a.id)}\``
    : a.subject === 'guardrail'
      ? `live evidence of guardrail \`${str(a.id)}\``
      : 'value tracking';

const valueStory = (a: Args): string =>
  `baseline ${opt(a.baseline) ?? '?'} -> target ${opt(a.target) ?? '?'} -> observed ${items(a.observed).map(fmt).join(', ')} (minimum acceptable ${str(a.minimum)})`;

const reading = (a: Args): string =>
  `${str(a.metric ?? a.method)} is ${fmt(a.value)} in ${str(a.path)}#${str(a.pointer)}`;

/** The keys of a value metric that rule E2 needs, as a YAML snippet of placeholders. */
const VALUE_METRIC_KEYS: Record<string, string> = {
  unit: `unit: ${ph('UNIT')}`,
  direction: `direction: ${ph('DIRECTION')}`,
  baseline: `baseline: {value: ${ph('BASELINE')}}`,
  target: `target: {value: ${ph('TARGET')}, by: ${ph('YYYY-MM-DD')}}`,
  minimumAcceptable: `minimumAcceptable: ${ph('MINIMUM')}`,
  owner: `owner: ${ph('STAKEHOLDER_ID')}`,
  cadence: `cadence: ${ph('CADENCE')}`,
};
const VALUE_METRIC_CHOICES =
  'direction: increase, decrease or maintain; baseline and target: numbers; cadence: daily, weekly, monthly or quarterly';

/** The keys of a risk that rule E5 needs, as a YAML snippet of placeholders. */
const RISK_KEYS: Record<string, string> = {
  title: `title: ${ph('TITLE')}`,
  dimension: `dimension: ${ph('DIMENSION')}`,
  likelihood: `likelihood: ${ph('LIKELIHOOD')}`,
  impact: `impact: ${ph('IMPACT')}`,
  treatment: `treatment: ${ph('TREATMENT')}`,
  mitigation: `mitigation: ${ph('MITIGATION')}`,
  owner: `owner: ${ph('STAKEHOLDER_ID')}`,
  lineOfDefense: `lineOfDefense: ${ph('LINE_OF_DEFENSE')}`,
};
const RISK_CHOICES: Record<string, string> = {
  dimension:
    'dimension: fairImpartial, robustReliable, transparentExplainable, privacy, safeSecure, responsibleAccountable or business',
  likelihood: 'likelihood: 1 to 5',
  impact: 'impact: 1 to 5',
  treatment: 'treatment: mitigate, transfer, avoid or accept',
  lineOfDefense: 'lineOfDefense: 1, 2 or 3',
};

/** `{a: "A", b: "B"}` of the keys named in `missing`, from a table of snippets. */
const snippetOf = (missing: ArgValue, keys: Record<string, string>): string =>
  `{${items(missing)
    .map((k) => keys[String(k)] ?? `${String(k)}: ${ph(String(k).toUpperCase())}`)
    .join(', ')}}`;

/** A guardrail with every key it needs, as a YAML snippet. */
const guardrailSnippet = `{id: ${ph('GUARDRAIL_ID')}, metric: ${ph('METRIC')}, max: ${ph('MAX')}, evidence: ${ph('EVIDENCE_FILE')}}`;
const GUARDRAIL_CHOICES =
  'min, max or both; evidence: the JSON or YAML report, committed, that holds the metric';

export const CHECK_MESSAGES = {
  ...evidenceMessages(),
  REFERENCE_UNRESOLVED: {
    title: 'Reference names nothing',
    help: 'An id reference names no item of its kind in this manifest.',
    message: (a) => {
      const kind = referenceWord(a);
      const mean = a.suggestion !== undefined ? ` (did you mean "${str(a.suggestion)}"?)` : '';
      return `"${str(a.value)}" is not a ${kind} of this manifest${mean}`;
    },
    hint: (a) => {
      const known = items(a.known);
      return known.length ? `use one of: ${known.join(', ')}` : `add the ${referenceWord(a)} first`;
    },
  },
  APPROVAL_MISSING: {
    title: 'Approval missing',
    help: 'No approval of the phase by a stakeholder of a role that the risk tier requires.',
    message: (a) =>
      `no ${str(a.phase)} approval by ${article(str(a.role))} ${str(a.role)}${a.noSection ? ` (there is no ${str(a.phase)} section yet)` : ''}`,
    hint: (a, how) =>
      a.noSection ? sectionFirst(a) : `sign it off and commit it: ${approveAndCommit(a, how)}`,
  },
  APPROVAL_STALE: {
    title: 'Approval stale',
    help: 'What the approval signed changed since: the phase section (its digest no longer matches) or an evidence file the phase reads (a digest in the approval’s `evidence` no longer matches the file’s content).',
    message: (a) => {
      const files = items(a.evidence).map(String);
      const ids = items(a.valueIds).map(String);
      const was = items(a.valueWas);
      const now = items(a.valueNow);
      const moved = ids.map(
        (id, i) =>
          `${id} ${was[i] === '' ? 'unread' : fmt(was[i])} → ${now[i] === '' ? 'unread' : fmt(now[i])}`,
      );
      const what = [
        a.sectionChanged === true || files.length === 0 ? `the ${str(a.phase)} section` : '',
        files.length
          ? `evidence ${files.join(', ')}${moved.length ? ` (${moved.join('; ')})` : ''}`
          : '',
      ]
        .filter(Boolean)
        .join(' and ');
      return `the approval by ${approver(a)} is stale: ${what} changed since it was approved`;
    },
    hint: (a, how) =>
      a.noSection
        ? sectionFirst(a)
        : `${sinceApproved(a, how)} sign it off again and commit it: ${approveAndCommit(a, how)}`,
  },
  APPROVAL_REJECTED: {
    title: 'Phase rejected',
    help: 'The latest decision of a required role on the phase is a rejection.',
    message: (a) =>
      `${str(a.phase)} was rejected by ${approver(a)}${a.conditions ? `: ${str(a.conditions)}` : ''}`,
    hint: (a, how) =>
      a.noSection
        ? sectionFirst(a)
        : `address the reasons, then record a new decision and commit it: ${approveAndCommit(a, how)}`,
  },
  APPROVAL_NO_DIGEST: {
    title: 'Approval without digest',
    help: 'An approval without a digest does not show which version of the section it approved.',
    message: (a) =>
      `the approval by ${approver(a)} has no digest, so nothing shows which ${str(a.phase)} section it approved`,
    hint: (a, how) =>
      a.noSection ? sectionFirst(a) : `record it again and commit it: ${approveAndCommit(a, how)}`,
  },
  STAKEHOLDER_ROLE_MISSING: {
    title: 'Stakeholder role missing',
    help: 'The team lacks a role that envisioning a model needs.',
    message: (a) => `no stakeholder with role ${items(a.roles).join(' or ')}`,
    hint: (a) => {
      const roles = items(a.roles).map(String);
      const item = `{id: ${ph('STAKEHOLDER_ID')}, name: ${ph('NAME')}, role: ${roles[0] ?? ph('ROLE')}}`;
      return roles.length > 1
        ? `add someone who knows the business process or uses the output: ${addTo(['envision', 'stakeholders'], item)} (role: ${roles.join(' or ')})`
        : `add the ${String(roles[0]).replace(/_/g, ' ')}: ${addTo(['envision', 'stakeholders'], item)}`;
    },
  },
  VALUE_METRICS_NONE: {
    title: 'No value metric',
    help: 'Nothing says what business value the model must deliver.',
    message: () => 'no value metric: nothing says what business value the model must deliver',
    hint: () =>
      `${addTo(
        ['envision', 'valueMetrics'],
        `{id: ${ph('METRIC_ID')}, name: ${ph('NAME')}, ${Object.values(VALUE_METRIC_KEYS).join(', ')}}`,
      )} (${VALUE_METRIC_CHOICES})`,
  },
  VALUE_METRIC_INCOMPLETE: {
    title: 'Value metric incomplete',
    help: 'A value metric needs unit, direction, baseline, a target with its date (target.by), owner and cadence, and the least the model must deliver: minimumAcceptable for increase and decrease, tolerance for maintain.',
    message: (a) =>
      `value metric \`${str(a.id)}\` has no ${items(a.missing)
        .map((k) => (k === 'target.by' ? 'target date (target.by)' : String(k)))
        .join(', ')}`,
    hint: (a) => {
      const missing = items(a.missing).map(String);
      const has = (k: string): boolean => missing.includes(k);
      const keys: Record<string, string> = {
        ...VALUE_METRIC_KEYS,
        target: `target: {value: ${ph('TARGET')}, by: ${ph('YYYY-MM-DD')}}`,
        minimumAcceptable: `minimumAcceptable: ${ph('MINIMUM')}`,
        tolerance: `tolerance: ${ph('TOLERANCE')}`,
      };
      const metric = ['envision', 'valueMetrics', index(a.index)];
      const edits: string[] = [];
      const own = missing.filter((k) => k !== 'target.by');
      if (own.length) edits.push(addTo(metric, snippetOf(own, keys)));
      if (has('target.by')) edits.push(addTo([...metric, 'target'], `{by: ${ph('YYYY-MM-DD')}}`));
      const choices = [
        has('direction') ? 'direction: increase, decrease or maintain' : '',
        has('baseline') || has('target')
          ? `${has('baseline') && has('target') ? 'baseline and target' : has('target') ? 'target' : 'baseline'}: numbers`
          : '',
        has('target') || has('target.by') ? 'by: the date the target is due' : '',
        has('minimumAcceptable')
          ? 'minimumAcceptable: the worst value at which the model still pays for itself, from the baseline (included) to the target'
          : '',
        has('tolerance')
          ? 'tolerance: how far from the target, in the unit of the metric, the value still counts as on target'
          : '',
        has('cadence') ? 'cadence: daily, weekly, monthly or quarterly' : '',
      ].filter((c) => c !== '');
      return `${edits.join(', and ')}${choices.length ? ` (${choices.join('; ')})` : ''}`;
    },
  },
  VALUE_TARGET_DIRECTION: {
    title: 'Target against direction',
    help: 'A value metric’s target lies in its direction from the baseline.',
    message: (a) =>
      `value metric \`${str(a.id)}\`: target ${str(a.target)} does not ${str(a.direction)} from the baseline ${str(a.baseline)}`,
    hint: () => 'fix the target or the direction',
  },
  DIMENSION_MISSING: {
    title: 'Trustworthy AI dimension missing',
    help: 'Each of the six dimensions is there, guarded or excluded with a justification.',
    message: (a) => `Trustworthy AI dimension ${str(a.dimension)} is missing`,
    hint: (a) => {
      const d = str(a.dimension);
      const rigor = a.rigor !== undefined ? `rigor: ${str(a.rigor)}, ` : '';
      return `${addTo(['envision', 'trustworthyAI'], `{${d}: {${rigor}guardrails: [${guardrailSnippet}]}}`)} (${GUARDRAIL_CHOICES}), or exclude it: \`{${d}: {excluded: true, justification: ${ph('WHY')}}}\``;
    },
  },
  DIMENSION_EXCLUSION_UNJUSTIFIED: {
    title: 'Exclusion without justification',
    help: 'A dimension excluded from guardrails says why it does not apply.',
    message: (a) => `${str(a.dimension)} is excluded without a justification`,
    hint: (a) =>
      `say why the dimension does not apply: ${addTo(['envision', 'trustworthyAI', str(a.dimension)], `{justification: ${ph('WHY')}}`)}`,
  },
  DIMENSION_UNGUARDED: {
    title: 'Dimension without a bounded guardrail',
    help: 'A dimension that is not excluded has a guardrail with min or max, enforced in build, monitor or both (`phases: []` guards nothing).',
    message: (a) =>
      Array.isArray(a.unenforced) && a.unenforced.length > 0
        ? `${str(a.dimension)} has no guardrail enforced in a phase: ${items(a.unenforced)
            .map((id) => `\`${String(id)}\``)
            .join(
              ', ',
            )} ${a.unenforced.length === 1 ? 'has' : 'have'} phases: [], which guards nothing`
        : `${str(a.dimension)} has no guardrail with a bound`,
    hint: (a) => {
      const d = ['envision', 'trustworthyAI', str(a.dimension)];
      if (Array.isArray(a.unenforced) && a.unenforced.length > 0 && a.index !== undefined)
        return `enforce it: ${setTo([...d, 'guardrails', index(a.index), 'phases'], '[build, monitor]')}`;
      return `${addTo([...d, 'guardrails'], guardrailSnippet)} (${GUARDRAIL_CHOICES}), or exclude the dimension: ${addTo(d, `{excluded: true, justification: ${ph('WHY')}}`)}`;
    },
  },
  RIGOR_BELOW_TIER: {
    title: 'Rigor below the tier',
    help: 'A dimension’s rigor is at least what its risk tier expects, unless justified.',
    message: (a) =>
      `${str(a.dimension)} rigor is ${opt(a.rigor) ?? 'not set'}; tier ${opt(a.tier) ?? 'unknown'} expects at least ${str(a.need)}`,
    hint: (a) => {
      const d = ['envision', 'trustworthyAI', str(a.dimension)];
      return `${setTo([...d, 'rigor'], str(a.need))}, or say why it is dialed down: ${addTo(d, `{justification: ${ph('WHY')}}`)}`;
    },
  },
  RISK_INCOMPLETE: {
    title: 'Risk incomplete',
    help: 'A risk has a title, dimension, likelihood, impact, treatment, mitigation, owner and line of defense.',
    message: (a) => `risk \`${str(a.id)}\` has no ${items(a.missing).join(', ')}`,
    hint: (a) => {
      const choices = items(a.missing)
        .map((k) => RISK_CHOICES[String(k)])
        .filter((c): c is string => c !== undefined);
      return `${addTo(['envision', 'risks', index(a.index)], snippetOf(a.missing, RISK_KEYS))}${choices.length ? ` (${choices.join('; ')})` : ''}`;
    },
  },
  RISK_DEFENSE_LINE: {
    title: 'Severe risk held by the first line',
    help: 'A risk scoring 15 or more (likelihood x impact) is held by line of defense 2 or 3.',
    message: (a) =>
      `risk \`${str(a.id)}\` scores ${str(a.score)} (likelihood x impact) but is held only by line of defense ${opt(a.lineOfDefense) ?? 'none'}`,
    hint: (a) =>
      `${setTo(['envision', 'risks', index(a.index), 'lineOfDefense'], '2')} (the risk function), or 3 (internal audit)`,
  },
  CANDIDATES_TOO_FEW: {
    title: 'Fewer than two candidates',
    help: 'A model is compared with at least one alternative.',
    message: (a) => `${plural(Number(a.count), 'candidate')}: compare at least two`,
    hint: (a) =>
      a.baseline === true
        ? `add another candidate: ${addTo(['build', 'candidates'], `{id: ${ph('CANDIDATE_ID')}}`)}`
        : `add the current process or a simple model as a baseline candidate: ${addTo(['build', 'candidates'], `{id: ${ph('CANDIDATE_ID')}, baseline: true}`)}`,
  },
  CANDIDATE_BASELINE_MISSING: {
    title: 'No baseline candidate',
    help: 'One candidate is the baseline: the current process or a non-AI model.',
    message: () => 'no candidate is marked baseline: true',
    hint: () =>
      `add the current process or a non-AI model as the baseline: ${addTo(['build', 'candidates'], `{id: ${ph('CANDIDATE_ID')}, baseline: true}`)}, or mark the candidate that is one with baseline: true`,
  },
  CANDIDATE_NOT_SELECTED: {
    title: 'No candidate selected',
    help: 'The build names the candidate it selected, with the rationale.',
    message: () => 'no candidate is selected',
    hint: () =>
      `${addTo(['build'], `{selected: {candidate: ${ph('CANDIDATE_ID')}, rationale: ${ph('WHY')}}}`)} (candidate: the id of one of build.candidates)`,
  },
  CANDIDATE_SELECTED_UNKNOWN: {
    title: 'Selected candidate not listed',
    help: 'The selected candidate is one of the candidates compared.',
    message: (a) => `the selected candidate "${str(a.candidate)}" is not among the candidates`,
    hint: () => 'select one of the listed candidates',
  },
  VALUE_EVALUATION_MISSING: {
    title: 'Value not evaluated',
    help: 'Each value metric has a build evaluation of kind value of the selected candidate, whose committed evidence holds the projected value.',
    message: (a) =>
      a.candidate !== undefined
        ? `value metric \`${str(a.id)}\` has no evaluation of kind value for the selected candidate ${str(a.candidate)}`
        : `value metric \`${str(a.id)}\` has no evaluation of kind value`,
    hint: (a) =>
      `${addTo(
        ['build', 'evaluations'],
        `{id: ${ph('EVALUATION_ID')}, candidate: ${a.candidate !== undefined ? y(a.candidate) : ph('CANDIDATE_ID')}, metric: ${ph('METRIC')}, kind: value, valueMetric: ${y(a.id)}, evidence: ${ph('EVIDENCE_FILE')}}`,
      )} (metric and evidence: where a committed JSON or YAML report holds the projected ${str(a.id)}${a.candidate !== undefined ? ` of ${str(a.candidate)}` : ''}${a.like !== undefined ? `, as evaluation ${str(a.like)} holds that of the baseline candidate` : ''})`,
  },
  GUARDRAIL_NO_EVIDENCE: {
    title: 'Guardrail without evidence',
    help: 'A guardrail active in the phase names the committed report that measures it.',
    message: (a) => `guardrail \`${str(a.id)}\` (${str(a.metric)}) has no evidence`,
    hint: (a) =>
      a.dimension !== undefined
        ? `${setTo(['envision', 'trustworthyAI', str(a.dimension), 'guardrails', index(a.index), 'evidence'], ph('EVIDENCE_FILE'))}: the committed JSON or YAML report that holds ${str(a.metric)}`
        : `add evidence: the committed JSON or YAML report that holds ${str(a.metric)}`,
  },
  GUARDRAIL_UNOBSERVED: {
    title: 'Guardrail value not observed',
    help: 'The guardrail’s evidence does not count, cannot be read, or holds no number for its metric.',
    message: (a) => `guardrail \`${str(a.id)}\`: ${observationProblem(a)}`,
    hint: (a, how) =>
      evidenceHint(a, how) ??
      (a.pointerGiven
        ? `write the number at the pointer in ${str(a.path)}, or set the pointer to where it is`
        : `write ${str(a.metric)} at /${str(a.metric)} or /metrics/${str(a.metric)} of ${str(a.path)}, or give a pointer`),
  },
  GUARDRAIL_OUT_OF_BOUNDS: {
    title: 'Guardrail out of bounds',
    help: 'The observed value of a guardrail lies outside its min or max.',
    message: (a) =>
      `guardrail \`${str(a.id)}\`: ${reading(a)}, ${a.bound === 'min' ? 'below min' : 'above max'} ${fmt(a.limit)}`,
    hint: (a, how) =>
      `bring it within bounds and commit the new report (${commitEvidence(a, a.path, 'Update')}), or waive rule ${a.rule !== undefined ? str(a.rule) : 'B3'}: ${waiveWords(a.rule !== undefined ? str(a.rule) : 'B3', a, how)}`,
  },
  DOCUMENT_MISSING: {
    title: 'Document not named',
    help: 'The phase needs a document that the manifest does not name.',
    message: (a) => `no ${documentOf(a)?.what(a) ?? str(a.document)}`,
    hint: (a) => {
      const d = documentOf(a);
      return d
        ? `write ${d.doc}, commit it, and name it: ${setTo(d.key(a), ph(d.file))}`
        : undefined;
    },
  },
  DATA_PROTECTION_MISSING: {
    title: 'No data protection section',
    help: 'Deploy says whether personal data is processed, on which lawful basis, and where the DPIA is.',
    message: (a) =>
      `no deploy.dataProtection${a.personalData ? ' although build datasets hold personal data' : ''}`,
    hint: (a) =>
      a.personalData
        ? `${addTo(['deploy'], `{dataProtection: {personalData: true, lawfulBasis: ${ph('LAWFUL_BASIS')}, dpia: ${ph('DPIA_FILE')}}}`)} (dpia: the committed data protection impact assessment)`
        : `say whether the model processes personal data: ${addTo(['deploy'], '{dataProtection: {personalData: false}}')}, or \`true\` with lawfulBasis and dpia`,
  },
  DATA_PROTECTION_UNSTATED: {
    title: 'Personal data not stated',
    help: 'The data protection section says whether personal data is processed.',
    message: () => 'deploy.dataProtection does not say whether personal data is processed',
    hint: () =>
      `${addTo(['deploy'], '{dataProtection: {personalData: false}}')}, or \`true\` with lawfulBasis and dpia`,
  },
  SECURITY_FINDINGS_UNSTATED: {
    title: 'Open security findings not stated',
    help: 'The security review states its open critical and high findings.',
    message: () => 'the security review does not state its open findings',
    hint: () =>
      `state them once they are closed: ${addTo(['deploy', 'securityReview'], '{openFindings: {critical: 0, high: 0}}')}`,
  },
  SECURITY_FINDINGS_OPEN: {
    title: 'Open security findings',
    help: 'No critical security finding is open, nor a high one at tier high and critical.',
    message: (a) => {
      const level = str(a.level);
      if (a.count === undefined)
        return level === 'high'
          ? `open high findings are not stated (tier ${str(a.tier)})`
          : `open ${level} findings are not stated`;
      const open = `${plural(Number(a.count), `open ${level} security finding`)}`;
      return level === 'high' ? `${open} at tier ${str(a.tier)}` : open;
    },
    hint: (a) =>
      `close them, then ${setTo(['deploy', 'securityReview', 'openFindings', str(a.level)], '0')}`,
  },
  ROLLBACK_MISSING: {
    title: 'No rollback',
    help: 'The integration says how to go back to the previous process.',
    message: () => 'no rollback is described',
    hint: () =>
      `say how to go back to the previous process: ${setTo(['deploy', 'integration', 'rollback'], ph('HOW_TO_ROLL_BACK'))}`,
  },
  HUMAN_OVERSIGHT_INSUFFICIENT: {
    title: 'Human oversight insufficient',
    help: 'At tier high and critical a person is in or on the loop.',
    message: (a) =>
      `human oversight is ${opt(a.mode) ?? 'not described'}; tier ${str(a.tier)} needs a person in or on the loop`,
    hint: () =>
      `${setTo(['deploy', 'integration', 'humanOversight'], `{mode: in_loop, procedure: ${ph('PROCEDURE_FILE')}}`)} (or mode: on_loop; procedure: the committed oversight procedure)`,
  },
  VALUE_MEASUREMENT_MISSING: {
    title: 'Value measurement not planned',
    help: 'Each value metric has a measurement plan in deploy.valueMeasurement.',
    message: (a) => `value metric \`${str(a.id)}\` has no measurement plan`,
    hint: (a) =>
      `${addTo(['deploy', 'valueMeasurement'], `{valueMetric: ${y(a.id)}, design: ${ph('DESIGN')}}`)} (design: ab_test, holdout or pre_post)`,
  },
  DRIFT_NO_EVIDENCE: {
    title: 'Drift check without evidence',
    help: 'A drift check names the committed report that measures it.',
    message: (a) => `drift check \`${str(a.id)}\` has no evidence`,
    hint: (a) =>
      `${setTo(['monitor', 'drift', index(a.index), 'evidence'], ph('EVIDENCE_FILE'))}: the committed drift report`,
  },
  DRIFT_UNOBSERVED: {
    title: 'Drift not observed',
    help: 'The drift check’s evidence does not count, cannot be read, or holds no number for it.',
    message: (a) => `drift check \`${str(a.id)}\`: ${observationProblem(a)}`,
    hint: (a, how) =>
      evidenceHint(a, how) ??
      (a.pointerGiven
        ? `write the number at the pointer in ${str(a.path)}, or set the pointer to where it is`
        : `write the value at /${str(a.id)} or /metrics/${str(a.id)} of ${str(a.path)}, or give a pointer`),
  },
  DRIFT_ABOVE_MAX: {
    title: 'Drift above max',
    help: 'The observed drift is above the check’s max.',
    message: (a) => `drift check \`${str(a.id)}\`: ${reading(a)}, above max ${fmt(a.max)}`,
    hint: (a) =>
      `investigate the drift and act on the drift_alert trigger (retrain or reassess); then commit the new report: ${commitEvidence(a, a.path, 'Update')}`,
  },
  DRIFT_ABOVE_WARN: {
    title: 'Drift above warn',
    help: 'The observed drift is above the check’s warning level, not yet its max.',
    message: (a) =>
      `drift check \`${str(a.id)}\`: ${reading(a)}, above warn ${fmt(a.warn)} (max ${str(a.max)})`,
  },
  MONITORING_NO_EVIDENCE: {
    title: 'Monitoring without evidence',
    help: 'Value tracking, each drift check and the live evidence of each guardrail in monitor name the committed report they produce.',
    message: (a) => `${monitored(a)} has no evidence`,
    hint: (a) =>
      a.subject === 'drift' || a.subject === 'guardrail'
        ? `${setTo([...monitorPath(a), 'evidence'], ph('EVIDENCE_FILE'))}: the committed ${a.subject === 'drift' ? 'drift' : 'live'} report`
        : `${addTo(['monitor'], `{valueTracking: {evidence: ${ph('EVIDENCE_FILE')}, cadence: ${ph('CADENCE')}}}`)} (evidence: the committed report of observed value metrics; cadence: daily, weekly, monthly or quarterly)`,
  },
  MONITORING_NO_CADENCE: {
    title: 'Monitoring without cadence',
    help: 'Value tracking, each drift check and the live evidence of each guardrail in monitor say how often their report is committed.',
    message: (a) => `${monitored(a)} has no cadence`,
    hint: (a) =>
      `${setTo([...monitorPath(a), 'cadence'], ph('CADENCE'))} (daily, weekly, monthly or quarterly)`,
  },
  MONITORING_NEVER_COMMITTED: {
    title: 'Monitoring report never committed',
    help: 'No commit touched the monitoring report, so it has no date.',
    message: (a) => `${monitored(a)}: ${str(a.path)} has never been committed`,
    hint: (a) => `commit it: ${commitEvidence(a, a.path)}`,
  },
  MONITORING_STALE: {
    title: 'Monitoring report out of date',
    help: 'The monitoring report was last committed longer ago than its cadence allows.',
    message: (a) =>
      `${monitored(a)}: ${str(a.path)} was last committed on ${str(a.date)}, ${str(a.age)} days before ${str(a.today)}; the ${str(a.cadence)} cadence allows ${str(a.days)}`,
    hint: (a) =>
      `run the ${str(a.cadence)} report and commit it: ${commitEvidence(a, a.path, 'Update')}`,
  },
  VALUE_TRACKING_MISSING: {
    title: 'No value tracking',
    help: 'Monitoring tracks the business value with a committed report of observed value metrics.',
    message: () => 'no value tracking: nothing shows whether the business value is achieved',
    hint: () =>
      `${addTo(['monitor'], `{valueTracking: {evidence: ${ph('EVIDENCE_FILE')}, cadence: ${ph('CADENCE')}}}`)} (evidence: the committed report of observed value metrics; cadence: daily, weekly, monthly or quarterly)`,
  },
  VALUE_TRACKING_UNCOMMITTED: {
    title: 'Value tracking never committed',
    help: 'The value-tracking report has no committed version to read observations from.',
    message: (a) => `value tracking: ${str(a.path)} has no committed version`,
    hint: (a) => `commit it: ${commitEvidence(a, a.path)}`,
  },
  VALUE_TRACKING_UNREADABLE: {
    title: 'Value tracking unreadable',
    help: 'A committed version of the value-tracking report is not readable JSON or YAML.',
    message: (a) => `value tracking: ${str(a.path)} at ${str(a.commit)} ${dataProblem(a)}`,
    hint: (a) =>
      `write ${str(a.path)} as JSON or YAML and commit it: ${commitEvidence(a, a.path, 'Update')}`,
  },
  VALUE_UNREPORTED: {
    title: 'Value metric not reported',
    help: 'The latest committed value-tracking report holds no number for a value metric.',
    message: (a) =>
      `value metric \`${str(a.id)}\`: ${str(a.path)} (committed ${str(a.date)}) ${missingValue(a)}`,
    hint: (a) =>
      `report ${str(a.id)} in ${str(a.path)} and commit it: ${commitEvidence(a, a.path, 'Update')}`,
  },
  VALUE_BELOW_MINIMUM: {
    title: 'Business value below the minimum',
    help: 'A value metric was worse than its minimum acceptable in each of the last missesToTrigger committed reports.',
    message: (a) => {
      const run = Number(a.run);
      const versions = run === 1 ? 'committed version' : `${run} committed versions`;
      return `value metric \`${str(a.id)}\` is worse than its minimum acceptable in the last ${versions}: ${valueStory(a)}`;
    },
    hint: (a) =>
      `reassess the model, and change it if business value isn't achieved (the value_below_minimum trigger); once the value is back within the minimum, commit the new report: ${commitEvidence(a, a.path, 'Update')}`,
  },
  VALUE_MISSED_MINIMUM: {
    title: 'Business value missed the minimum',
    help: 'A value metric was worse than its minimum acceptable recently, not yet missesToTrigger times in a row.',
    message: (a) =>
      `value metric \`${str(a.id)}\` missed its minimum acceptable in the latest ${str(a.run)} of ${str(a.n)} versions that trigger reassessment: ${valueStory(a)}`,
  },
  TRIGGERS_MISSING: {
    title: 'Triggers missing',
    help: 'Monitoring has triggers on drift alerts, value below the minimum and incidents.',
    message: (a) => `no trigger on ${items(a.events).join(', ')}`,
    hint: (a) => {
      const list = items(a.events).map(
        (e) => `{on: ${String(e)}, action: ${ph('ACTION')}, owner: ${ph('STAKEHOLDER_ID')}}`,
      );
      return `${addTo(['monitor', 'triggers'], list.length === 1 ? list[0]! : `[${list.join(', ')}]`)} (action: reassess, retrain, rollback, retire or escalate)`;
    },
  },
  GOVERNANCE_MISSING: {
    title: 'No governance',
    help: 'A governance body reviews the model on a cadence.',
    message: () => 'no governance body reviews the model',
    hint: () =>
      `${addTo(['monitor'], `{governance: {body: ${ph('BODY')}, reviewCadence: ${ph('CADENCE')}, nextReview: ${ph('YYYY-MM-DD')}}}`)} (reviewCadence: daily, weekly, monthly or quarterly)`,
  },
  GOVERNANCE_OVERDUE: {
    title: 'Governance review overdue',
    help: 'The next governance review date has passed.',
    message: (a) => `the governance review was due on ${str(a.date)}`,
    hint: () =>
      `hold the review, commit its record, and ${setTo(['monitor', 'governance', 'nextReview'], ph('YYYY-MM-DD'))}`,
  },
} satisfies Partial<Record<CheckCode, MessageSpec>>;
