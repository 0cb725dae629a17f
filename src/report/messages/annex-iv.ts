import type { AnnexIvItemKind, AnnexIvSectionId } from '../../core/annex-iv.js';
import type { Code } from '../../core/codes/index.js';
import type { ArgValue } from '../../core/findings.js';
import type { MessageSpec } from './index.js';
import { shellWord } from './shell.js';

/** The heading of each section of the Annex IV document. */
export const ANNEX_IV_SECTION_TITLES: Record<AnnexIvSectionId, string> = {
  general: 'General description of the AI system',
  development: 'Development process and design choices',
  data: 'Data and data governance',
  validation: 'Validation and testing',
  monitoring: 'Monitoring, functioning and control',
  risk: 'Risk management system',
  changes: 'Changes through the lifecycle',
  standards: 'Standards and specifications applied',
  declaration: 'EU declaration of conformity',
  postMarket: 'Post-market monitoring',
};

/** Each item of the Annex IV document, in words. */
export const ANNEX_IV_ITEM_WORDS: Record<AnnexIvItemKind, string> = {
  intendedPurpose: 'intended purpose (hypothesis)',
  primaryUses: 'intended uses',
  primaryUsers: 'intended users',
  provider: 'provider',
  version: 'version',
  classification: 'EU AI Act classification',
  role: 'operator role',
  legalBasis: 'legal basis (Annex I or III point)',
  instructionsForUse: 'instructions for use',
  candidates: 'candidates considered',
  selected: 'selected candidate',
  rationale: 'rationale of the selection',
  modelCard: 'model card (architecture and design)',
  datasets: 'datasets',
  datasheet: 'datasheet',
  dataOrigin: 'data origin',
  dataPreparation: 'data preparation',
  dataAssumptions: 'data assumptions',
  biasExamination: 'bias examination',
  dataGaps: 'data gaps and shortcomings',
  tests: 'validation and testing reports',
  evaluation: 'evaluation report',
  buildGuardrail: 'guardrail test report',
  oversightMode: 'human oversight mode',
  oversightProcedure: 'human oversight procedure',
  oversightAssignedTo: 'people assigned to oversight',
  loggingAutomatic: 'automatic logging',
  loggingSpec: 'logging specification',
  logRetention: 'log retention in days',
  limitations: 'limitations (uses out of scope)',
  declaresAccuracy: 'declared accuracy metric',
  declaresRobustness: 'declared robustness metric',
  declaresCybersecurity: 'declared cybersecurity metric',
  risks: 'risks',
  riskTreatment: 'risk treatment',
  riskResidual: 'residual risk',
  versions: 'committed versions of the manifest',
  standards: 'standards applied',
  conformityProcedure: 'conformity assessment procedure',
  conformityAssessment: 'conformity assessment',
  declaration: 'EU declaration of conformity',
  registration: 'EU database registration',
  postMarketPlan: 'post-market monitoring plan',
  incidentProcedure: 'serious-incident procedure',
  triggers: 'triggers',
  valueTracking: 'value tracking report',
  drift: 'drift checks',
};

/** Why evidence named for an item does not count (rule G1's codes), in a few words. */
export function evidenceGapWords(code: string): string {
  switch (code) {
    case 'EVIDENCE_MISSING':
    case 'EVIDENCE_LINKED_MISSING':
      return 'the file is missing';
    case 'EVIDENCE_UNTRACKED':
    case 'EVIDENCE_LINKED_UNTRACKED':
      return 'the file is not committed';
    case 'EVIDENCE_STAGED':
    case 'EVIDENCE_LINKED_STAGED':
      return 'the file is staged, not committed';
    case 'EVIDENCE_MODIFIED':
    case 'EVIDENCE_LINKED_MODIFIED':
      return 'the file has changes that are not committed';
    case 'EVIDENCE_DELETED':
    case 'EVIDENCE_LINKED_DELETED':
      return 'the file is deleted from the working tree';
    default:
      return 'the file does not count as evidence';
  }
}

const strings = (v: ArgValue): string[] =>
  Array.isArray(v) ? v.map((x) => String(x)) : v === undefined || v === null ? [] : [String(v)];

/** The words of the Annex IV findings (rule EU11). */
export const ANNEX_IV_MESSAGES = {
  ANNEX_IV_INCOMPLETE: {
    title: 'Technical documentation incomplete',
    help: 'A high-risk AI system is placed on the market with its technical documentation (EU AI Act Art. 11 and Annex IV) drawn up. Each item the manifest can hold and no other rule already asks for is named with the key that holds it: set it (and commit the file it names), then `mlops export annex-iv <manifest>` writes the document.',
    helpUri: 'https://eur-lex.europa.eu/eli/reg/2024/1689/oj',
    message: (args) => {
      const kinds = strings(args.kinds);
      const items = strings(args.items);
      const keys = strings(args.keys);
      const shown = kinds.slice(0, 8).map((k, i) => {
        const word = ANNEX_IV_ITEM_WORDS[k as AnnexIvItemKind] ?? k;
        const of = items[i] ? ` of ${items[i]}` : '';
        return `${word}${of} (\`${keys[i] ?? ''}\`)`;
      });
      const more = kinds.length > 8 ? `, and ${kinds.length - 8} more` : '';
      return `the technical documentation lacks ${kinds.length} item${kinds.length === 1 ? '' : 's'} (Art. 11, Annex IV): ${shown.join(', ')}${more}`;
    },
    hint: (args, how) =>
      `set ${strings(args.kinds).length === 1 ? 'that key' : 'each key'} in the manifest and commit any file it names; \`${how.invokedAs} export annex-iv ${shellWord(String(args.manifest ?? 'mlops.yaml'))}\` shows the whole document with every missing item`,
  },
} satisfies Partial<Record<Code, MessageSpec>>;
