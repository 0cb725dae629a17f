import type { Code } from '../../core/codes/index.js';
import { EU_AI_ACT_URL, EU_MIN_LOG_RETENTION_DAYS } from '../../core/eu-ai-act.js';
import type { ArgValue, Args, PathSegment } from '../../core/findings.js';
import type { MessageSpec } from './index.js';
import { formatPath } from './manifest.js';
import { placeholder as ph } from './shell.js';

const str = (v: ArgValue): string => (v === undefined || v === null ? '' : String(v));
const index = (v: ArgValue): number => (typeof v === 'number' ? v : 0);
const items = (v: ArgValue): string[] => (Array.isArray(v) ? v.map(String) : []);
/** "a, b and c". */
const and = (words: readonly string[]): string =>
  words.length <= 1 ? (words[0] ?? '') : `${words.slice(0, -1).join(', ')} and ${words.at(-1)!}`;

/** A path of the manifest in a hint: `` `deploy.conformity.assessment` ``. */
const at = (...path: PathSegment[]): string => `\`${formatPath(path)}\``;
/** "add to `path`: `{…}`": an item for a list, or keys for a mapping, as a YAML flow snippet. */
const addTo = (path: PathSegment[], snippet: string): string =>
  `add to ${at(...path)}: \`${snippet}\``;
/** "set `path` to `value`". */
const setTo = (path: PathSegment[], value: string): string => `set ${at(...path)} to \`${value}\``;

/** A document the Act asks for: write it, commit it, name it where the manifest holds it. */
const nameDocument = (what: string, path: PathSegment[], file: string): string =>
  `write ${what}, commit it, and name it: ${setTo(path, ph(file))}`;

/** The words of one obligation, with the article it comes from and the Act's text. */
const article = (ref: string): string => `(EU AI Act ${ref})`;

const guardrailAt = (a: Args): PathSegment[] => [
  'envision',
  'trustworthyAI',
  str(a.dimension),
  'guardrails',
  index(a.index),
];

/** Who verifies what, by role: the provider does, an importer (Art. 23) or distributor (Art. 24) verifies. */
const VERIFIES: Record<string, string> = { importer: 'Art. 23(1)', distributor: 'Art. 24(1)' };
const verifier = (a: Args): string | undefined => VERIFIES[str(a.role)];

const FRIA_WHY: Record<string, string> = {
  public_service:
    'a deployer that is a public body or provides public services and uses an Annex III high-risk system',
  point_5b: 'a deployer of an Annex III point 5(b) system (creditworthiness, credit score)',
  point_5c: 'a deployer of an Annex III point 5(c) system (life and health insurance pricing)',
};

const DUTIES: Record<string, string> = {
  interaction: 'people interacting with an AI system',
  synthetic_content: 'synthetic content',
  emotion_recognition: 'emotion recognition',
  biometric_categorisation: 'biometric categorisation',
  deep_fake: 'deep fakes',
  public_interest_text: 'generated text on matters of public interest',
};

const GOVERNANCE_KEYS: Record<string, string> = {
  origin: 'origin: where the data comes from and how it was collected',
  preparation: 'preparation: annotation, labelling, cleaning, enrichment, aggregation',
  biasExamination: 'biasExamination: which biases were looked for and what was done',
  gaps: 'gaps: the gaps or shortcomings found and how they are addressed',
};
const GOVERNANCE_PH: Record<string, string> = {
  origin: 'ORIGIN',
  preparation: 'PREPARATION',
  biasExamination: 'BIAS_EXAMINATION',
  gaps: 'GAPS',
};

/** The words of the EU AI Act obligation rules' findings. */
export const EU_MESSAGES = {
  EU_RISK_TIER_BELOW_HIGH: {
    title: 'High-risk system below tier high',
    help: 'A system classified high-risk under the EU AI Act (Art. 6) is held to the rigor of tier high or critical. Raise the riskTier, or correct the classification if the system is not high-risk.',
    helpUri: EU_AI_ACT_URL,
    message: (a) =>
      `riskTier is ${a.tier !== undefined ? `\`${str(a.tier)}\`` : 'not set'}: a system classified high-risk needs tier high or critical ${article('Art. 6')}`,
    hint: () =>
      `${setTo(['metadata', 'riskTier'], 'high')} (or critical), or correct \`metadata.euAiAct.classification\` if the system is not high-risk`,
  },
  EU_LEGAL_BASIS_MISSING: {
    title: 'High-risk classification without legal basis',
    help: 'A high-risk classification names why: the Annex I Union harmonisation legislation (Art. 6(1)) or the Annex III point (Art. 6(2)), in `metadata.euAiAct.legalBasis`.',
    helpUri: EU_AI_ACT_URL,
    message: () =>
      `the high-risk classification names no legal basis: Annex I legislation or an Annex III point ${article('Art. 6')}`,
    hint: () =>
      `${setTo(['metadata', 'euAiAct', 'legalBasis'], `{annex: III, point: ${ph('POINT')}}`)} (annex: I or III; point: the point of that annex, e.g. 5(b))`,
  },
  EU_RISKS_NONE: {
    title: 'No risk managed',
    help: 'The provider of a high-risk system identifies, estimates and treats its known and foreseeable risks (Art. 9(2)): at least one risk in `envision.risks`.',
    helpUri: EU_AI_ACT_URL,
    message: () =>
      `no risk is named: the provider of a high-risk system identifies and treats its risks ${article('Art. 9')}`,
    hint: () =>
      `${addTo(['envision', 'risks'], `{id: ${ph('RISK_ID')}, title: ${ph('TITLE')}, treatment: ${ph('TREATMENT')}, residual: {likelihood: ${ph('LIKELIHOOD')}, impact: ${ph('IMPACT')}}}`)} (treatment: mitigate, transfer, avoid or accept; residual likelihood and impact: 1 to 5, once treated; rule E5 asks for the rest of the risk)`,
  },
  EU_RISK_UNTREATED: {
    title: 'Risk without treatment',
    help: 'Every risk of a high-risk system has a treatment (Art. 9(2)(d)): mitigate, transfer, avoid or accept.',
    helpUri: EU_AI_ACT_URL,
    message: (a) =>
      `risk \`${str(a.id)}\` has no treatment: each risk of a high-risk system is treated ${article('Art. 9(2)')}`,
    hint: (a) =>
      `${setTo(['envision', 'risks', index(a.index), 'treatment'], 'mitigate')} (or transfer, avoid or accept)`,
  },
  EU_RISK_RESIDUAL_MISSING: {
    title: 'Residual risk not estimated',
    help: 'Every risk of a high-risk system states the risk left once treated (`residual: {likelihood, impact}`, each 1 to 5), judged acceptable (Art. 9(5)).',
    helpUri: EU_AI_ACT_URL,
    message: (a) =>
      `risk \`${str(a.id)}\` has no residual ${and(items(a.missing))}: the risk left once treated is estimated ${article('Art. 9(5)')}`,
    hint: (a) => {
      const risk: PathSegment[] = ['envision', 'risks', index(a.index)];
      const keys = items(a.missing).map((k) => `${k}: ${ph(k.toUpperCase())}`);
      return `${
        items(a.missing).length === 2
          ? setTo([...risk, 'residual'], `{${keys.join(', ')}}`)
          : addTo([...risk, 'residual'], `{${keys.join(', ')}}`)
      } (1 to 5, scored with the treatment in place; \`accepted\` may say why it is acceptable)`;
    },
  },
  EU_DATASETS_NONE: {
    title: 'No dataset documented',
    help: 'The provider of a high-risk system documents the training, validation and test data it used (Art. 10): each dataset in `build.datasets`, with its datasheet.',
    helpUri: EU_AI_ACT_URL,
    message: () =>
      `no dataset is listed: the training, validation and test data of a high-risk system are documented ${article('Art. 10')}`,
    hint: () =>
      `${addTo(['build', 'datasets'], `{id: ${ph('DATASET_ID')}, role: train, uri: ${ph('URI')}, personalData: false, datasheet: ${ph('DATASHEET_FILE')}}`)} (role: train, validation, test or reference; datasheet: the committed datasheet)`,
  },
  EU_DATASHEET_MISSING: {
    title: 'Dataset without datasheet',
    help: 'Every dataset of a high-risk system has a committed datasheet (Art. 10(2)), whether or not it holds personal data.',
    helpUri: EU_AI_ACT_URL,
    message: (a) =>
      `dataset \`${str(a.id)}\` has no datasheet: every dataset of a high-risk system is documented ${article('Art. 10')}`,
    hint: (a) =>
      nameDocument(
        `the datasheet of \`${str(a.id)}\``,
        ['build', 'datasets', index(a.index), 'datasheet'],
        'DATASHEET_FILE',
      ),
  },
  EU_DATA_GOVERNANCE_INCOMPLETE: {
    title: 'Data governance not stated',
    help: '`build.dataGovernance` of a high-risk system states the origin of the data, its preparation, the examination for biases and the gaps found (Art. 10(2)).',
    helpUri: EU_AI_ACT_URL,
    message: (a) =>
      `build.dataGovernance does not state ${and(items(a.missing))}: the data of a high-risk system is governed ${article('Art. 10(2)')}`,
    hint: (a) => {
      const missing = items(a.missing);
      const keys = `{${missing.map((k) => `${k}: ${ph(GOVERNANCE_PH[k] ?? k.toUpperCase())}`).join(', ')}}`;
      const what = `(${missing.map((k) => GOVERNANCE_KEYS[k] ?? k).join('; ')})`;
      return a.section === true
        ? `${addTo(['build', 'dataGovernance'], keys)} ${what}`
        : `${addTo(['build'], `{dataGovernance: ${keys}}`)} ${what}`;
    },
  },
  EU_DECLARED_METRIC_MISSING: {
    title: 'Declared metric missing',
    help: 'A high-risk system declares its levels of accuracy, robustness and cybersecurity and their metrics (Art. 15(1), 15(3)): for each, a guardrail with `declares: <it>`, active in build, with committed evidence.',
    helpUri: EU_AI_ACT_URL,
    message: (a) =>
      `no guardrail declares the ${str(a.property)} of the system: a high-risk system declares its accuracy, robustness and cybersecurity ${article('Art. 15')}`,
    hint: (a) =>
      `${a.excluded === true ? `${setTo(['envision', 'trustworthyAI', str(a.dimension), 'excluded'], 'false')} (a high-risk system cannot leave it out), and ` : ''}${addTo(
        ['envision', 'trustworthyAI', str(a.dimension), 'guardrails'],
        `{id: ${ph('GUARDRAIL_ID')}, metric: ${ph('METRIC')}, min: ${ph('MIN')}, declares: ${str(a.property)}, phases: [build], evidence: ${ph('EVIDENCE_FILE')}}`,
      )} (min or max: the declared level; evidence: the committed build report that holds the metric), or give the build guardrail that measures it declares: ${str(a.property)}`,
  },
  EU_DECLARED_METRIC_NOT_IN_BUILD: {
    title: 'Declared metric not measured in build',
    help: 'The guardrail that declares accuracy, robustness or cybersecurity is active in build, so that the declared level is measured before deploy (Art. 15).',
    helpUri: EU_AI_ACT_URL,
    message: (a) =>
      `guardrail \`${str(a.id)}\` declares ${str(a.property)} but is not active in build: the declared level is measured before deploy ${article('Art. 15')}`,
    hint: (a) =>
      `${setTo(
        [...guardrailAt(a), 'phases'],
        items(a.phases).includes('monitor') ? '[build, monitor]' : '[build]',
      )} and name its build report: ${setTo([...guardrailAt(a), 'evidence'], ph('EVIDENCE_FILE'))}`,
  },
  EU_DECLARED_METRIC_NO_EVIDENCE: {
    title: 'Declared metric without evidence',
    help: 'The guardrail that declares accuracy, robustness or cybersecurity names the committed build report that measures it (Art. 15).',
    helpUri: EU_AI_ACT_URL,
    message: (a) =>
      `guardrail \`${str(a.id)}\` declares ${str(a.property)} but has no build evidence ${article('Art. 15')}`,
    hint: (a) =>
      `${setTo([...guardrailAt(a), 'evidence'], ph('EVIDENCE_FILE'))} (the committed build report that holds its metric)`,
  },
  EU_LOGGING_NOT_AUTOMATIC: {
    title: 'Logging not automatic',
    help: 'A high-risk system records events automatically over its lifetime (Art. 12(1)): `deploy.logging.automatic: true`.',
    helpUri: EU_AI_ACT_URL,
    message: (a) =>
      `logging is ${a.automatic === false ? 'not automatic (`deploy.logging.automatic: false`)' : 'not stated as automatic'}: a high-risk system records events automatically ${article('Art. 12')}`,
    hint: () => setTo(['deploy', 'logging', 'automatic'], 'true'),
  },
  EU_LOGGING_SPEC_MISSING: {
    title: 'No logging specification',
    help: 'The automatic logging of a high-risk system is specified in a committed document: what is logged, where, for how long and who can read it (Art. 12(2)).',
    helpUri: EU_AI_ACT_URL,
    message: () =>
      `no logging specification: what a high-risk system logs, and where, is written down ${article('Art. 12')}`,
    hint: () =>
      nameDocument(
        'the logging specification',
        ['deploy', 'logging', 'specification'],
        'LOGGING_SPEC_FILE',
      ),
  },
  EU_INSTRUCTIONS_MISSING: {
    title: 'No instructions for use',
    help: 'A high-risk system comes with instructions for use for its deployers (Art. 13): the provider writes them; an importer (Art. 23(1)) or distributor (Art. 24(1)) verifies they are there.',
    helpUri: EU_AI_ACT_URL,
    message: (a) =>
      verifier(a)
        ? `no instructions for use: the ${str(a.role)} of a high-risk system verifies that the provider's come with it ${article(`Arts 13, ${verifier(a)!.slice(5)}`)}`
        : `no instructions for use: the provider of a high-risk system gives deployers instructions for use ${article('Art. 13')}`,
    hint: (a) =>
      verifier(a)
        ? `commit the provider's instructions for use and name them: ${setTo(['deploy', 'instructionsForUse'], ph('INSTRUCTIONS_FILE'))}`
        : nameDocument(
            'the instructions for use',
            ['deploy', 'instructionsForUse'],
            'INSTRUCTIONS_FILE',
          ),
  },
  EU_OVERSIGHT_INSUFFICIENT: {
    title: 'No human oversight of a high-risk system',
    help: 'A high-risk system is overseen by people while in use (Art. 14): `deploy.integration.humanOversight.mode` is in_loop (a person decides) or on_loop (a person supervises and can stop it), never none.',
    helpUri: EU_AI_ACT_URL,
    message: (a) =>
      `human oversight is ${a.mode !== undefined ? `\`${str(a.mode)}\`` : 'not described'}: a high-risk system needs in_loop or on_loop oversight ${article('Art. 14')}`,
    hint: () =>
      `${setTo(['deploy', 'integration', 'humanOversight', 'mode'], 'in_loop')} (or on_loop: a person supervises and can stop it)`,
  },
  EU_OVERSIGHT_PROCEDURE_MISSING: {
    title: 'No human oversight procedure',
    help: 'The human oversight of a high-risk system follows a committed procedure: how people read its output, override it and stop it (Art. 14(4)).',
    helpUri: EU_AI_ACT_URL,
    message: () =>
      `no human oversight procedure: how people oversee, override and stop a high-risk system is written down ${article('Art. 14')}`,
    hint: () =>
      nameDocument(
        'the oversight procedure',
        ['deploy', 'integration', 'humanOversight', 'procedure'],
        'PROCEDURE_FILE',
      ),
  },
  EU_QUALITY_MANAGEMENT_MISSING: {
    title: 'No quality management system',
    help: 'The provider of a high-risk system has a documented quality management system (Art. 17), named in `deploy.conformity.qualityManagement`.',
    helpUri: EU_AI_ACT_URL,
    message: () =>
      `no quality management system is named: the provider of a high-risk system has one ${article('Art. 17')}`,
    hint: () =>
      nameDocument(
        'the quality management document that covers the system',
        ['deploy', 'conformity', 'qualityManagement'],
        'QMS_FILE',
      ),
  },
  EU_CONFORMITY_PROCEDURE_MISSING: {
    title: 'No conformity assessment procedure',
    help: 'A high-risk system goes through a conformity assessment before it is placed on the market or put into service (Art. 43): internal control (Annex VI) or with a notified body (Annex VII).',
    helpUri: EU_AI_ACT_URL,
    message: (a) =>
      `no conformity assessment procedure: ${verifier(a) ? `the ${str(a.role)} verifies the provider's` : 'a high-risk system is assessed'} before deploy ${article(verifier(a) ? `Arts 43, ${verifier(a)!.slice(5)}` : 'Art. 43')}`,
    hint: () =>
      `${setTo(['deploy', 'conformity', 'procedure'], 'internal_control')} (or notified_body: the procedure of Art. 43 that applies)`,
  },
  EU_CONFORMITY_ASSESSMENT_MISSING: {
    title: 'No conformity assessment record',
    help: 'The conformity assessment of a high-risk system is recorded in a committed document, or the notified body certificate (Art. 43).',
    helpUri: EU_AI_ACT_URL,
    message: (a) =>
      `no conformity assessment record: a high-risk system is assessed before deploy ${article(verifier(a) ? `Arts 43, ${verifier(a)!.slice(5)}` : 'Art. 43')}`,
    hint: () =>
      nameDocument(
        'the conformity assessment record (or the notified body certificate)',
        ['deploy', 'conformity', 'assessment'],
        'ASSESSMENT_FILE',
      ),
  },
  EU_DECLARATION_MISSING: {
    title: 'No EU declaration of conformity',
    help: 'The provider of a high-risk system draws up an EU declaration of conformity (Art. 47); an importer or distributor verifies it (Arts 23(1), 24(1)).',
    helpUri: EU_AI_ACT_URL,
    message: (a) =>
      `no EU declaration of conformity: a high-risk system has one before deploy ${article(verifier(a) ? `Arts 47, ${verifier(a)!.slice(5)}` : 'Art. 47')}`,
    hint: () =>
      nameDocument(
        'the EU declaration of conformity',
        ['deploy', 'conformity', 'declaration'],
        'DECLARATION_FILE',
      ),
  },
  EU_REGISTRATION_MISSING: {
    title: 'Not registered in the EU database',
    help: 'The provider registers a high-risk system in the EU database before placing it on the market or putting it into service (Art. 49): `deploy.conformity.registration` holds the registration.',
    helpUri: EU_AI_ACT_URL,
    message: () =>
      `no EU database registration: a high-risk system is registered before deploy ${article('Art. 49')}`,
    hint: () =>
      `${setTo(['deploy', 'conformity', 'registration'], ph('REGISTRATION_NUMBER'))} (the registration number of the EU database)`,
  },
  EU_OVERSIGHT_UNASSIGNED: {
    title: 'Human oversight assigned to no one',
    help: 'A deployer of a high-risk system assigns its human oversight to named people with the competence, training and authority it needs (Art. 26(2)): `deploy.integration.humanOversight.assignedTo` lists their stakeholder ids.',
    helpUri: EU_AI_ACT_URL,
    message: () =>
      `human oversight is assigned to no one: a deployer of a high-risk system assigns it to named people ${article('Art. 26(2)')}`,
    hint: (a) =>
      a.oversight === true
        ? `${setTo(['deploy', 'integration', 'humanOversight', 'assignedTo'], `[${ph('STAKEHOLDER_ID')}]`)} (ids of envision.stakeholders)`
        : `${setTo(['deploy', 'integration', 'humanOversight'], `{mode: in_loop, assignedTo: [${ph('STAKEHOLDER_ID')}]}`)} (mode: in_loop or on_loop; assignedTo: ids of envision.stakeholders)`,
  },
  EU_OVERSIGHT_ASSIGNEE_UNKNOWN: {
    title: 'Oversight assigned to an unknown stakeholder',
    help: 'Each id in `humanOversight.assignedTo` names a stakeholder of `envision.stakeholders` (Art. 26(2)).',
    helpUri: EU_AI_ACT_URL,
    message: (a) =>
      `\`${str(a.id)}\` in humanOversight.assignedTo is no stakeholder: oversight is assigned to named people ${article('Art. 26(2)')}`,
    hint: (a) =>
      `${addTo(['envision', 'stakeholders'], `{id: ${/^[a-z0-9][a-z0-9_-]*$/i.test(str(a.id)) ? str(a.id) : JSON.stringify(str(a.id))}, name: ${ph('NAME')}, role: ${ph('ROLE')}}`)}, or ${setTo(['deploy', 'integration', 'humanOversight', 'assignedTo', index(a.index)], ph('STAKEHOLDER_ID'))}`,
  },
  EU_OVERSIGHT_ASSIGNEE_UNNAMED: {
    title: 'Oversight assignee without a name',
    help: 'The people assigned to human oversight are named (Art. 26(2)): each stakeholder in `humanOversight.assignedTo` has a name.',
    helpUri: EU_AI_ACT_URL,
    message: (a) =>
      `stakeholder \`${str(a.id)}\`, assigned to human oversight, has no name ${article('Art. 26(2)')}`,
    hint: (a) => setTo(['envision', 'stakeholders', index(a.stakeholderIndex), 'name'], ph('NAME')),
  },
  EU_LOG_RETENTION_SHORT: {
    title: 'Logs kept less than six months',
    help: `A deployer of a high-risk system keeps the logs it generates at least six months (Art. 26(6)): \`deploy.logging.retentionDays\` of ${EU_MIN_LOG_RETENTION_DAYS} or more, which covers any six months.`,
    helpUri: EU_AI_ACT_URL,
    message: (a) =>
      `${typeof a.days === 'number' ? `logs are kept ${str(a.days)} days` : 'no log retention is stated'}: a deployer of a high-risk system keeps them at least six months, ${str(a.min)} days ${article('Art. 26(6)')}`,
    hint: (a) =>
      `${setTo(['deploy', 'logging', 'retentionDays'], str(a.min))} (or longer where other Union or national law asks)`,
  },
  EU_FRIA_MISSING: {
    title: 'No fundamental-rights impact assessment',
    help: 'Before first use, a deployer of an Annex III high-risk system (other than point 2) that is a public body or provides public services, and a deployer of an Annex III point 5(b) or 5(c) system, assesses its impact on fundamental rights (Art. 27): `deploy.fria`.',
    helpUri: EU_AI_ACT_URL,
    message: (a) =>
      `no fundamental-rights impact assessment: ${FRIA_WHY[str(a.reason)] ?? 'this deployer'} (Annex ${str(a.annex)}, point ${str(a.point)}) assesses one before first use ${article('Art. 27')}`,
    hint: () =>
      nameDocument('the fundamental-rights impact assessment', ['deploy', 'fria'], 'FRIA_FILE'),
  },
  EU_FRIA_UNDETERMINED: {
    title: 'Whether a FRIA is needed is unknown',
    help: 'Whether Art. 27 asks a deployer of a high-risk system for a fundamental-rights impact assessment depends on the Annex III point of its classification: name the legal basis (and `publicService`), or commit a FRIA.',
    helpUri: EU_AI_ACT_URL,
    message: () =>
      `whether a fundamental-rights impact assessment is needed cannot be answered: the high-risk classification names no legal basis ${article('Arts 6, 27')}`,
    hint: () =>
      `${setTo(['metadata', 'euAiAct', 'legalBasis'], `{annex: III, point: ${ph('POINT')}}`)} (and \`publicService: true\` for a public body or a provider of public services), or ${nameDocument('the fundamental-rights impact assessment', ['deploy', 'fria'], 'FRIA_FILE')}`,
  },
  EU_DISCLOSURE_MISSING: {
    title: 'No transparency disclosure',
    help: 'A system with Art. 50 duties tells people that they interact with an AI system, or that content is generated or manipulated, or that emotion recognition or biometric categorisation applies to them: the notice, label or script is committed and named in `deploy.disclosure` (Art. 50).',
    helpUri: EU_AI_ACT_URL,
    message: (a) => {
      const duties = items(a.duties).map((d) => DUTIES[d] ?? d);
      const which = duties.length > 0 ? ` (${and(duties)})` : '';
      const limited = a.earlierShape === true ? ', as `classification: limited` says,' : '';
      return `no transparency disclosure: a system with Art. 50 duties${which}${limited} tells people ${article('Art. 50')}`;
    },
    hint: () =>
      nameDocument(
        'the disclosure people see (notice, label or script)',
        ['deploy', 'disclosure'],
        'DISCLOSURE_FILE',
      ),
  },
  EU_POST_MARKET_PLAN_MISSING: {
    title: 'No post-market monitoring plan',
    help: 'The provider of a high-risk system monitors it after deploy following a post-market monitoring plan (Art. 72), named in `monitor.postMarket.plan`.',
    helpUri: EU_AI_ACT_URL,
    message: () =>
      `no post-market monitoring plan: the provider of a high-risk system follows one ${article('Art. 72')}`,
    hint: () =>
      nameDocument(
        'the post-market monitoring plan',
        ['monitor', 'postMarket', 'plan'],
        'PLAN_FILE',
      ),
  },
  EU_INCIDENT_PROCEDURE_MISSING: {
    title: 'No serious-incident procedure',
    help: 'The provider of a high-risk system reports serious incidents to the market surveillance authority (Art. 73), following a committed procedure named in `monitor.postMarket.incidentProcedure`.',
    helpUri: EU_AI_ACT_URL,
    message: () =>
      `no serious-incident procedure: the provider of a high-risk system reports serious incidents ${article('Art. 73')}`,
    hint: () =>
      nameDocument(
        'the serious-incident reporting procedure',
        ['monitor', 'postMarket', 'incidentProcedure'],
        'INCIDENT_PROCEDURE_FILE',
      ),
  },
  EU_INCIDENT_TRIGGER_MISSING: {
    title: 'No trigger on incident',
    help: 'A serious incident starts the reporting procedure (Art. 73): `monitor.triggers` has a trigger `on: incident`.',
    helpUri: EU_AI_ACT_URL,
    message: () =>
      `no trigger on incident: a serious incident of a high-risk system starts its reporting ${article('Art. 73')}`,
    hint: () =>
      `${addTo(['monitor', 'triggers'], `{on: incident, action: escalate, owner: ${ph('STAKEHOLDER_ID')}}`)} (the owner reports it)`,
  },
} satisfies Partial<Record<Code, MessageSpec>>;
