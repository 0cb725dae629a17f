/**
 * The Annex IV technical documentation of the EU AI Act (Regulation (EU) 2024/1689, Art. 11)
 * as data: section by section, each item the manifest and its committed evidence can hold,
 * present (with its value, or its file and the date of the commit that last changed it) or
 * missing (with the manifest key that would hold it). `mlops export annex-iv` renders it, and
 * rule EU11 names the missing items that no other rule judges first.
 */
import type { EvidenceKind, EvidenceRef } from './check/evidence.js';
import type { Facts } from './check/facts.js';
import { guardrailPhases } from './check/evidence.js';
import { isObject, list, str } from './check/util.js';
import { parseEvidenceText } from './check/values.js';
import { euAiActOf, euObligations } from './eu-ai-act.js';
import type { EuAiActView, EuObligations } from './eu-ai-act.js';
import type { PathSegment } from './findings.js';
import { listGuardrails } from './manifest.js';
import type { Manifest, Phase } from './manifest.js';

/** The sections in the order of Annex IV, each with the point(s) of Annex IV it answers. */
export const ANNEX_IV_SECTIONS = [
  { id: 'general', point: '1' },
  { id: 'development', point: '2(a)-(c)' },
  { id: 'data', point: '2(d)' },
  { id: 'validation', point: '2(g), 4' },
  { id: 'monitoring', point: '2(e), 3' },
  { id: 'risk', point: '5' },
  { id: 'changes', point: '6' },
  { id: 'standards', point: '7' },
  { id: 'declaration', point: '8' },
  { id: 'postMarket', point: '9' },
] as const;
export type AnnexIvSectionId = (typeof ANNEX_IV_SECTIONS)[number]['id'];

/** What an item is; its words are in src/report/messages/annex-iv.ts. */
export type AnnexIvItemKind =
  | 'intendedPurpose'
  | 'primaryUses'
  | 'primaryUsers'
  | 'provider'
  | 'version'
  | 'classification'
  | 'role'
  | 'legalBasis'
  | 'instructionsForUse'
  | 'candidates'
  | 'selected'
  | 'rationale'
  | 'modelCard'
  | 'datasets'
  | 'datasheet'
  | 'dataOrigin'
  | 'dataPreparation'
  | 'dataAssumptions'
  | 'biasExamination'
  | 'dataGaps'
  | 'tests'
  | 'evaluation'
  | 'buildGuardrail'
  | 'oversightMode'
  | 'oversightProcedure'
  | 'oversightAssignedTo'
  | 'loggingAutomatic'
  | 'loggingSpec'
  | 'logRetention'
  | 'limitations'
  | 'declaresAccuracy'
  | 'declaresRobustness'
  | 'declaresCybersecurity'
  | 'risks'
  | 'riskTreatment'
  | 'riskResidual'
  | 'versions'
  | 'standards'
  | 'conformityProcedure'
  | 'conformityAssessment'
  | 'declaration'
  | 'registration'
  | 'postMarketPlan'
  | 'incidentProcedure'
  | 'triggers'
  | 'valueTracking'
  | 'drift';

/** A scalar shown as it is written in the manifest. */
export type AnnexIvScalar = string | number | boolean;

/** An evidence file of an item: its path as the user sees it and when it last changed. */
export interface AnnexIvFile {
  /** The path as the manifest writes it. */
  raw: string;
  /** The path from where the user runs mlops; absent when it leaves the repository. */
  path?: string;
  /** The date of the commit that last changed it (YYYY-MM-DD), when it was read. */
  date?: string;
  pointer?: string;
}

/** A committed version of the manifest (rule 6: changes through the lifecycle). */
export interface AnnexIvVersion {
  commit: string;
  date: string;
  /** `metadata.version` at that commit, when it reads. */
  version?: string;
  subject?: string;
}

/** What a present item holds: free text, a list, facts by their manifest key, a file, versions. */
export interface AnnexIvValue {
  text?: string;
  list?: string[];
  facts?: [string, AnnexIvScalar][];
  file?: AnnexIvFile;
  versions?: AnnexIvVersion[];
}

/** Why an item is missing: its key holds nothing, or its evidence does not count (rule G1). */
export type AnnexIvGap =
  | { reason: 'unset' }
  | { reason: 'evidence'; code: string; file: AnnexIvFile }
  | { reason: 'uncommitted' };

/** A rule of check that judges an item first, in its phase. */
export interface AnnexIvJudge {
  rule: string;
  phase: Phase;
}

export interface AnnexIvItem {
  kind: AnnexIvItemKind;
  /** The id of the list item it is about (a dataset, a risk, an evaluation, a guardrail). */
  item?: string;
  /** The manifest key that holds it. */
  key: PathSegment[];
  /** Undefined when present. */
  gap?: AnnexIvGap;
  value?: AnnexIvValue;
  /** The rule that judges the item when it is missing, if another rule than EU11 does. */
  judgedBy?: AnnexIvJudge;
}

export interface AnnexIvSection {
  id: AnnexIvSectionId;
  point: string;
  items: AnnexIvItem[];
}

/** Where the manifest stands in git: committed as is, changed since its last commit, or never committed. */
export type AnnexIvSourceState = 'committed' | 'modified' | 'untracked';

export interface AnnexIvDocument {
  /** The manifest's path as the user sees it. */
  manifest: string;
  name?: string;
  title?: string;
  version?: string;
  eu: EuAiActView;
  obligations: EuObligations;
  /** Annex IV is required: the system is high-risk. */
  required: boolean;
  source: { state: AnnexIvSourceState; commit?: string; date?: string };
  /** A date a config file pinned (`today`), with the file; never the clock. */
  pinned?: { today: string; source: string };
  sections: AnnexIvSection[];
  present: number;
  total: number;
}

/** What the model reads besides the manifest: check's judgement of evidence and git's history. */
export interface AnnexIvInput {
  manifest: Manifest;
  /** The manifest's repository path. */
  manifestPath: string;
  /** The manifest's path as the user sees it. */
  manifestShown: string;
  refs: readonly EvidenceRef[];
  /** A repository path as the user sees it. */
  show(repoPath: string): string;
  /** G1's judgement: undefined when the evidence is committed and intact, else its code. */
  evidenceIssue(ref: EvidenceRef): { code: string } | undefined;
  /** The date of the commit that last changed a repository path, when it was read. */
  dateOf(repoPath: string): string | undefined;
  /** Where the manifest stands in git. */
  state: AnnexIvSourceState;
  /** The manifest's committed versions, newest first, when they were read. */
  versions?: readonly { commit: string; date: string; text?: string; subject?: string }[];
  /** The commit the working tree is at (HEAD), when known. */
  head?: string;
  pinned?: { today: string; source: string };
}

/** Evidence kinds whose missing file another rule judges, with that rule and its phase. */
const JUDGES: Partial<Record<AnnexIvItemKind, AnnexIvJudge>> = {
  legalBasis: { rule: 'EU6', phase: 'envision' },
  instructionsForUse: { rule: 'EU13', phase: 'deploy' },
  candidates: { rule: 'B1', phase: 'build' },
  selected: { rule: 'B1', phase: 'build' },
  modelCard: { rule: 'B4', phase: 'build' },
  datasets: { rule: 'EU10', phase: 'build' },
  datasheet: { rule: 'EU10', phase: 'build' },
  dataOrigin: { rule: 'EU10', phase: 'build' },
  dataPreparation: { rule: 'EU10', phase: 'build' },
  dataAssumptions: { rule: 'EU10', phase: 'build' },
  biasExamination: { rule: 'EU10', phase: 'build' },
  dataGaps: { rule: 'EU10', phase: 'build' },
  buildGuardrail: { rule: 'B3', phase: 'build' },
  oversightMode: { rule: 'EU14', phase: 'deploy' },
  oversightProcedure: { rule: 'EU14', phase: 'deploy' },
  oversightAssignedTo: { rule: 'EU26', phase: 'deploy' },
  loggingAutomatic: { rule: 'EU12', phase: 'deploy' },
  loggingSpec: { rule: 'EU12', phase: 'deploy' },
  logRetention: { rule: 'EU26', phase: 'deploy' },
  declaresAccuracy: { rule: 'EU15', phase: 'build' },
  declaresRobustness: { rule: 'EU15', phase: 'build' },
  declaresCybersecurity: { rule: 'EU15', phase: 'build' },
  risks: { rule: 'EU9', phase: 'envision' },
  riskTreatment: { rule: 'EU9', phase: 'envision' },
  riskResidual: { rule: 'EU9', phase: 'envision' },
  conformityProcedure: { rule: 'EU43', phase: 'deploy' },
  conformityAssessment: { rule: 'EU43', phase: 'deploy' },
  declaration: { rule: 'EU43', phase: 'deploy' },
  registration: { rule: 'EU43', phase: 'deploy' },
};

const PHASE_ORDER: Record<Phase, number> = { envision: 0, build: 1, deploy: 2, monitor: 3 };

const filledText = (v: unknown): v is string => typeof v === 'string' && v.trim() !== '';
const scalar = (v: unknown): v is AnnexIvScalar =>
  (typeof v === 'string' && v !== '') || typeof v === 'number' || typeof v === 'boolean';
const texts = (v: unknown): string[] => list(v).filter(filledText);

/** The facts of an object by key, in the order given, leaving out what is not set. */
function factsOf(obj: unknown, keys: readonly string[]): [string, AnnexIvScalar][] {
  if (!isObject(obj)) return [];
  return keys.flatMap((k): [string, AnnexIvScalar][] => (scalar(obj[k]) ? [[k, obj[k]]] : []));
}

/** Builds the Annex IV document of one manifest. */
export function annexIvDocument(input: AnnexIvInput): AnnexIvDocument {
  const m = input.manifest;
  const meta = isObject(m.metadata) ? m.metadata : ({} as Record<string, unknown>);
  const env = isObject(m.envision) ? m.envision : ({} as Record<string, unknown>);
  const build = isObject(m.build) ? m.build : ({} as Record<string, unknown>);
  const deploy = isObject(m.deploy) ? m.deploy : ({} as Record<string, unknown>);
  const monitor = isObject(m.monitor) ? m.monitor : ({} as Record<string, unknown>);
  const eu = euAiActOf(m);
  const obligations = euObligations(eu);

  const present = (
    kind: AnnexIvItemKind,
    key: PathSegment[],
    value: AnnexIvValue,
    item?: string,
  ): AnnexIvItem => ({ kind, ...(item !== undefined ? { item } : {}), key, value });
  const missing = (kind: AnnexIvItemKind, key: PathSegment[], item?: string): AnnexIvItem => ({
    kind,
    ...(item !== undefined ? { item } : {}),
    key,
    gap: { reason: 'unset' },
    ...(JUDGES[kind] ? { judgedBy: JUDGES[kind] } : {}),
  });
  /** An item that is a text of the manifest. */
  const textItem = (kind: AnnexIvItemKind, key: PathSegment[], v: unknown): AnnexIvItem =>
    filledText(v) ? present(kind, key, { text: v }) : missing(kind, key);
  /** An item that is a list of texts of the manifest. */
  const listItem = (kind: AnnexIvItemKind, key: PathSegment[], v: unknown): AnnexIvItem => {
    const l = texts(v);
    return l.length > 0 ? present(kind, key, { list: l }) : missing(kind, key);
  };
  const fileOf = (ref: EvidenceRef): AnnexIvFile => {
    const date = ref.repoPath !== undefined ? input.dateOf(ref.repoPath) : undefined;
    return {
      raw: ref.raw,
      ...(ref.repoPath !== undefined && !ref.escape ? { path: input.show(ref.repoPath) } : {}),
      ...(date !== undefined ? { date } : {}),
      ...(ref.pointer !== undefined ? { pointer: ref.pointer } : {}),
    };
  };
  /** An item that is an evidence file: present when committed and intact (G1). */
  const evidenceItem = (
    kind: AnnexIvItemKind,
    key: PathSegment[],
    ref: EvidenceRef | undefined,
    extra: { item?: string; facts?: [string, AnnexIvScalar][] } = {},
  ): AnnexIvItem => {
    const base = {
      kind,
      ...(extra.item !== undefined ? { item: extra.item } : {}),
      key: ref ? ref.at : key,
    };
    const facts = extra.facts && extra.facts.length > 0 ? { facts: extra.facts } : {};
    if (!ref)
      return {
        ...base,
        gap: { reason: 'unset' },
        ...(facts.facts ? { value: facts } : {}),
        ...(JUDGES[kind] ? { judgedBy: JUDGES[kind] } : {}),
      };
    const file = fileOf(ref);
    const issue = input.evidenceIssue(ref);
    if (!issue) return { ...base, value: { ...facts, file } };
    return {
      ...base,
      gap: { reason: 'evidence', code: issue.code, file },
      ...(facts.facts ? { value: facts } : {}),
      judgedBy: { rule: 'G1', phase: ref.phase },
    };
  };
  const refOf = (kind: EvidenceKind, where: { index?: number; phase?: Phase } = {}) =>
    input.refs.find(
      (r) =>
        r.kind === kind &&
        (where.index === undefined || r.index === where.index) &&
        (where.phase === undefined || r.phase === where.phase),
    );

  // 1. General description
  const intended = isObject(env.intendedUse) ? env.intendedUse : {};
  const owner = isObject(meta.owner) ? meta.owner : {};
  const euRaw = isObject(meta.euAiAct) ? meta.euAiAct : undefined;
  const general: AnnexIvItem[] = [
    textItem('intendedPurpose', ['envision', 'hypothesis'], env.hypothesis),
    listItem('primaryUses', ['envision', 'intendedUse', 'primaryUses'], intended.primaryUses),
    listItem('primaryUsers', ['envision', 'intendedUse', 'primaryUsers'], intended.primaryUsers),
    filledText(owner.name)
      ? present('provider', ['metadata', 'owner'], {
          facts: factsOf(owner, ['name', 'team', 'email']),
        })
      : missing('provider', ['metadata', 'owner', 'name']),
    textItem('version', ['metadata', 'version'], meta.version),
    eu.riskClass !== undefined
      ? present('classification', ['metadata', 'euAiAct', 'classification'], {
          facts: [
            ['classification', eu.riskClass],
            ['art50', eu.art50],
            ...(eu.art50Duties.length > 0
              ? ([['art50Duties', eu.art50Duties.join(', ')]] as [string, AnnexIvScalar][])
              : []),
            ['gpai', eu.gpai],
            ...(eu.publicService ? ([['publicService', true]] as [string, AnnexIvScalar][]) : []),
          ],
          ...(euRaw && filledText(euRaw.basis) ? { text: euRaw.basis } : {}),
        })
      : missing('classification', ['metadata', 'euAiAct', 'classification']),
    eu.role !== undefined
      ? present('role', ['metadata', 'euAiAct', 'role'], { text: eu.role })
      : missing('role', ['metadata', 'euAiAct', 'role']),
    eu.legalBasis !== undefined
      ? present('legalBasis', ['metadata', 'euAiAct', 'legalBasis'], {
          facts: [
            ['annex', eu.legalBasis.annex],
            ['point', eu.legalBasis.point],
          ],
        })
      : missing('legalBasis', ['metadata', 'euAiAct', 'legalBasis']),
    evidenceItem(
      'instructionsForUse',
      ['deploy', 'instructionsForUse'],
      refOf('instructionsForUse'),
    ),
  ];

  // 2(a)-(c). Development process and design choices
  const candidates = list(build.candidates).filter(isObject);
  const selected = isObject(build.selected) ? build.selected : {};
  const development: AnnexIvItem[] = [
    candidates.length > 0
      ? present('candidates', ['build', 'candidates'], {
          list: candidates.map(
            (c) =>
              `${String(c.id)}${c.baseline === true ? ' (baseline)' : ''}${filledText(c.description) ? `: ${c.description}` : ''}`,
          ),
        })
      : missing('candidates', ['build', 'candidates']),
    textItem('selected', ['build', 'selected', 'candidate'], selected.candidate),
    textItem('rationale', ['build', 'selected', 'rationale'], selected.rationale),
    evidenceItem('modelCard', ['build', 'modelCard'], refOf('modelCard')),
  ];

  // 2(d). Data and data governance
  const datasets = list(build.datasets);
  const governance = isObject(build.dataGovernance) ? build.dataGovernance : {};
  const gov = (kind: AnnexIvItemKind, key: string): AnnexIvItem =>
    textItem(kind, ['build', 'dataGovernance', key], governance[key]);
  const data: AnnexIvItem[] = [
    datasets.length > 0
      ? present('datasets', ['build', 'datasets'], {
          list: datasets.filter(isObject).map((d) => String(d.id)),
        })
      : missing('datasets', ['build', 'datasets']),
    ...datasets.flatMap((d, index) =>
      isObject(d)
        ? [
            evidenceItem(
              'datasheet',
              ['build', 'datasets', index, 'datasheet'],
              refOf('datasheet', { index }),
              {
                item: String(d.id),
                facts: factsOf(d, ['role', 'uri', 'version', 'personalData']).concat(
                  texts(d.sensitiveFeatures).length > 0
                    ? [['sensitiveFeatures', texts(d.sensitiveFeatures).join(', ')]]
                    : [],
                ),
              },
            ),
          ]
        : [],
    ),
    gov('dataOrigin', 'origin'),
    gov('dataPreparation', 'preparation'),
    gov('dataAssumptions', 'assumptions'),
    gov('biasExamination', 'biasExamination'),
    gov('dataGaps', 'gaps'),
  ];

  // 2(g), 4. Validation and testing, with dated reports
  const evaluations = list(build.evaluations);
  const guardrails = listGuardrails(m);
  const buildGuardrails = guardrails.filter(({ guardrail }) =>
    guardrailPhases(guardrail).includes('build'),
  );
  const validation: AnnexIvItem[] = [
    ...evaluations.flatMap((e, index) =>
      isObject(e)
        ? [
            evidenceItem(
              'evaluation',
              ['build', 'evaluations', index, 'evidence'],
              refOf('evaluation', { index }),
              {
                item: String(e.id),
                facts: factsOf(e, ['candidate', 'metric', 'kind', 'valueMetric']),
              },
            ),
          ]
        : [],
    ),
    ...buildGuardrails.map(({ dimension, index, guardrail: g }) =>
      evidenceItem(
        'buildGuardrail',
        ['envision', 'trustworthyAI', dimension, 'guardrails', index, 'evidence'],
        input.refs.find(
          (r) =>
            r.kind === 'guardrail' &&
            r.phase === 'build' &&
            r.dimension === dimension &&
            r.index === index,
        ),
        {
          item: String(g.id),
          facts: [
            ['dimension', dimension] as [string, AnnexIvScalar],
            ...factsOf(g, ['metric', 'min', 'max', 'declares']),
          ],
        },
      ),
    ),
  ];
  if (validation.length === 0) validation.push(missing('tests', ['build', 'evaluations']));

  // 2(e), 3. Monitoring, functioning and control
  const integration = isObject(deploy.integration) ? deploy.integration : {};
  const oversight = isObject(integration.humanOversight) ? integration.humanOversight : {};
  const logging = isObject(deploy.logging) ? deploy.logging : {};
  const hoKey = ['deploy', 'integration', 'humanOversight'];
  const declared = (kind: AnnexIvItemKind, what: string): AnnexIvItem => {
    const found = guardrails.filter(({ guardrail }) => guardrail.declares === what);
    return found.length > 0
      ? present(kind, ['envision', 'trustworthyAI'], {
          list: found.map(({ guardrail: g }) => {
            const bounds = [
              typeof g.min === 'number' ? `min ${g.min}` : '',
              typeof g.max === 'number' ? `max ${g.max}` : '',
            ].filter((b) => b !== '');
            return `${String(g.id)}: ${String(g.metric)}${bounds.length ? ` (${bounds.join(', ')})` : ''}`;
          }),
        })
      : missing(kind, ['envision', 'trustworthyAI']);
  };
  const assigned = texts(oversight.assignedTo);
  const monitoring: AnnexIvItem[] = [
    filledText(oversight.mode) && oversight.mode !== 'none'
      ? present('oversightMode', [...hoKey, 'mode'], { text: oversight.mode })
      : missing('oversightMode', [...hoKey, 'mode']),
    evidenceItem('oversightProcedure', [...hoKey, 'procedure'], refOf('oversightProcedure')),
    assigned.length > 0
      ? present('oversightAssignedTo', [...hoKey, 'assignedTo'], { list: assigned })
      : missing('oversightAssignedTo', [...hoKey, 'assignedTo']),
    logging.automatic === true
      ? present('loggingAutomatic', ['deploy', 'logging', 'automatic'], { text: 'true' })
      : missing('loggingAutomatic', ['deploy', 'logging', 'automatic']),
    evidenceItem('loggingSpec', ['deploy', 'logging', 'specification'], refOf('loggingSpec')),
    typeof logging.retentionDays === 'number'
      ? present('logRetention', ['deploy', 'logging', 'retentionDays'], {
          text: String(logging.retentionDays),
        })
      : missing('logRetention', ['deploy', 'logging', 'retentionDays']),
    listItem('limitations', ['envision', 'intendedUse', 'outOfScope'], intended.outOfScope),
    declared('declaresAccuracy', 'accuracy'),
    declared('declaresRobustness', 'robustness'),
    declared('declaresCybersecurity', 'cybersecurity'),
  ];

  // 5. Risk management
  const risks = list(env.risks);
  const risk: AnnexIvItem[] = [
    risks.length > 0
      ? present('risks', ['envision', 'risks'], {
          list: risks
            .filter(isObject)
            .map((r) => `${String(r.id)}${filledText(r.title) ? `: ${r.title}` : ''}`),
        })
      : missing('risks', ['envision', 'risks']),
  ];
  risks.forEach((r, index) => {
    if (!isObject(r)) return;
    const id = String(r.id);
    const at: PathSegment[] = ['envision', 'risks', index];
    const treated = filledText(r.treatment);
    risk.push(
      treated
        ? present(
            'riskTreatment',
            [...at, 'treatment'],
            {
              facts: [
                ...factsOf(r, ['likelihood', 'impact']),
                ...(typeof r.likelihood === 'number' && typeof r.impact === 'number'
                  ? ([['score', r.likelihood * r.impact]] as [string, AnnexIvScalar][])
                  : []),
                ...factsOf(r, ['treatment', 'lineOfDefense', 'owner']),
              ],
              ...(filledText(r.mitigation) ? { text: r.mitigation } : {}),
            },
            id,
          )
        : missing('riskTreatment', [...at, 'treatment'], id),
    );
    const residual = isObject(r.residual) ? r.residual : undefined;
    risk.push(
      residual && typeof residual.likelihood === 'number' && typeof residual.impact === 'number'
        ? present(
            'riskResidual',
            [...at, 'residual'],
            {
              facts: [
                ...factsOf(residual, ['likelihood', 'impact']),
                ['score', residual.likelihood * residual.impact],
              ],
              ...(filledText(residual.accepted) ? { text: residual.accepted } : {}),
            },
            id,
          )
        : missing('riskResidual', [...at, 'residual'], id),
    );
  });

  // 6. Changes through the lifecycle: the manifest's committed versions
  const versions: AnnexIvVersion[] = (input.versions ?? []).map((v) => {
    const version = versionAt(input.manifestPath, v.text);
    return {
      commit: v.commit,
      date: v.date,
      ...(version !== undefined ? { version } : {}),
      ...(v.subject !== undefined ? { subject: v.subject } : {}),
    };
  });
  const changes: AnnexIvItem[] = [
    input.state === 'untracked'
      ? {
          kind: 'versions',
          key: [],
          gap: { reason: 'uncommitted' },
          // approvals count only once committed (G3): the manifest's history is theirs to ask for
          judgedBy: { rule: 'G3', phase: 'envision' },
        }
      : present('versions', [], { versions }),
  ];

  // 7. Standards; 8. EU declaration of conformity
  const conformity = isObject(deploy.conformity) ? deploy.conformity : {};
  const confKey = ['deploy', 'conformity'];
  const standards = [listItem('standards', [...confKey, 'standards'], conformity.standards)];
  const declaration: AnnexIvItem[] = [
    evidenceItem('declaration', [...confKey, 'declaration'], refOf('euDeclaration')),
    textItem('conformityProcedure', [...confKey, 'procedure'], conformity.procedure),
    evidenceItem('conformityAssessment', [...confKey, 'assessment'], refOf('conformityAssessment')),
    textItem('registration', [...confKey, 'registration'], conformity.registration),
  ];

  // 9. Post-market monitoring
  const triggers = list(monitor.triggers).filter(isObject);
  const drift = list(monitor.drift).filter(isObject);
  const vt = isObject(monitor.valueTracking) ? monitor.valueTracking : {};
  const postMarket: AnnexIvItem[] = [
    evidenceItem('postMarketPlan', ['monitor', 'postMarket', 'plan'], refOf('postMarketPlan')),
    evidenceItem(
      'incidentProcedure',
      ['monitor', 'postMarket', 'incidentProcedure'],
      refOf('incidentProcedure'),
    ),
    triggers.length > 0
      ? present('triggers', ['monitor', 'triggers'], {
          list: triggers.map(
            (t) =>
              `${String(t.on)} → ${String(t.action)}${filledText(t.owner) ? ` (${t.owner})` : ''}`,
          ),
        })
      : missing('triggers', ['monitor', 'triggers']),
    evidenceItem(
      'valueTracking',
      ['monitor', 'valueTracking', 'evidence'],
      refOf('valueTracking'),
      {
        facts: factsOf(vt, ['cadence', 'missesToTrigger']),
      },
    ),
    drift.length > 0
      ? present('drift', ['monitor', 'drift'], {
          list: drift.map(
            (d) =>
              `${String(d.id)}: ${String(d.type)} drift, ${String(d.method)}${typeof d.max === 'number' ? `, max ${d.max}` : ''}${typeof d.min === 'number' ? `, min ${d.min}` : ''}${filledText(d.cadence) ? `, ${d.cadence}` : ''}`,
          ),
        })
      : missing('drift', ['monitor', 'drift']),
  ];

  const byId: Record<AnnexIvSectionId, AnnexIvItem[]> = {
    general,
    development,
    data,
    validation,
    monitoring,
    risk,
    changes,
    standards,
    declaration,
    postMarket,
  };
  const sections = ANNEX_IV_SECTIONS.map((s) => ({ id: s.id, point: s.point, items: byId[s.id] }));
  const all = sections.flatMap((s) => s.items);
  const newest = input.versions?.[0];
  return {
    manifest: input.manifestShown,
    ...(str(meta.name) !== undefined ? { name: str(meta.name)! } : {}),
    ...(filledText(meta.title) ? { title: meta.title } : {}),
    ...(filledText(meta.version) ? { version: meta.version } : {}),
    eu,
    obligations,
    required: eu.riskClass === 'high',
    source: {
      state: input.state,
      ...(input.head !== undefined ? { commit: input.head } : {}),
      ...(newest !== undefined && input.state !== 'untracked' ? { date: newest.date } : {}),
    },
    ...(input.pinned ? { pinned: input.pinned } : {}),
    sections,
    present: all.filter((i) => i.gap === undefined).length,
    total: all.length,
  };
}

/** `metadata.version` of a committed text of the manifest, when it reads. */
function versionAt(path: string, text: string | undefined): string | undefined {
  if (text === undefined) return undefined;
  const parsed = parseEvidenceText(path.endsWith('.json') ? path : `${path}.yaml`, text);
  if (!parsed.ok || !isObject(parsed.data) || !isObject(parsed.data.metadata)) return undefined;
  const v = parsed.data.metadata.version;
  return typeof v === 'string' ? v : undefined;
}

/**
 * The missing items rule EU11 names: those no other rule judges in deploy or before (a rule
 * of monitor judges too late for a document the system is placed on the market with).
 */
export function eu11Gaps(doc: AnnexIvDocument): AnnexIvItem[] {
  return doc.sections.flatMap((s) =>
    s.items.filter(
      (i) =>
        i.gap !== undefined &&
        (i.judgedBy === undefined || PHASE_ORDER[i.judgedBy.phase] > PHASE_ORDER.deploy),
    ),
  );
}

/** Where a manifest stands in git, from check's inputs. */
export function sourceStateOf(facts: Facts): AnnexIvSourceState {
  const path = facts.input.manifestPath;
  if (!facts.input.tracked.has(path)) return 'untracked';
  return facts.input.workingState.get(path) === undefined ? 'committed' : 'modified';
}

/** The Annex IV document from what check judged a manifest from (its facts). */
export function annexIvOfFacts(
  facts: Facts,
  extra: Pick<AnnexIvInput, 'versions' | 'head' | 'pinned'> = {},
): AnnexIvDocument {
  const versions = extra.versions ?? facts.input.committedVersions.get(facts.input.manifestPath);
  return annexIvDocument({
    manifest: facts.manifest,
    manifestPath: facts.input.manifestPath,
    manifestShown: facts.manifestShown,
    refs: facts.refs,
    show: facts.show,
    evidenceIssue: (ref) => facts.evidenceIssue(ref),
    dateOf: (p) => facts.input.lastCommitDates.get(p),
    state: sourceStateOf(facts),
    ...(versions !== undefined ? { versions } : {}),
    ...(extra.head !== undefined ? { head: extra.head } : {}),
    ...(extra.pinned !== undefined ? { pinned: extra.pinned } : {}),
  });
}

/** `envision.valueMetrics[0].target`: a manifest key as people write it. */
export function annexIvKey(path: readonly PathSegment[]): string {
  let out = '';
  for (const seg of path) {
    if (typeof seg === 'number') out += `[${seg}]`;
    else if (/^[A-Za-z_$][\w$-]*$/.test(seg)) out += out ? `.${seg}` : seg;
    else out += `[${JSON.stringify(seg)}]`;
  }
  return out;
}
