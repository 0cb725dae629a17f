/**
 * Types of an `mlops/v1` manifest as the schema shapes it. Readers of these types must stay
 * defensive: a manifest that failed validation can still reach `check` or `diff`.
 */
export const SUPPORTED_API_VERSIONS = ['mlops/v1'] as const;
export const PHASES = ['envision', 'build', 'deploy', 'monitor'] as const;
export type Phase = (typeof PHASES)[number];
export const RISK_TIERS = ['low', 'medium', 'high', 'critical'] as const;
export type RiskTier = (typeof RISK_TIERS)[number];
export const DIMENSIONS = [
  'fairImpartial',
  'robustReliable',
  'transparentExplainable',
  'privacy',
  'safeSecure',
  'responsibleAccountable',
] as const;
export type DimensionKey = (typeof DIMENSIONS)[number];
export const RIGOR_LEVELS = ['dialDown', 'standard', 'dialUp'] as const;
export type Rigor = (typeof RIGOR_LEVELS)[number];
export type Cadence = 'daily' | 'weekly' | 'monthly' | 'quarterly';
export type Direction = 'increase' | 'decrease' | 'maintain';
export type StakeholderRole =
  | 'decision_maker'
  | 'ai_product_manager'
  | 'data_science'
  | 'domain_expert'
  | 'end_user'
  | 'engineering'
  | 'risk_2nd_line'
  | 'internal_audit'
  | 'privacy'
  | 'security'
  | 'legal';

export type Evidence = string | { path: string; pointer?: string; sha256?: string };

export interface Stakeholder {
  id: string;
  name: string;
  role: StakeholderRole;
  email?: string;
}

export interface ValueMetric {
  id: string;
  name: string;
  unit?: string;
  direction?: Direction;
  baseline?: { value: number; asOf?: string; source?: string };
  target?: { value: number; by?: string };
  minimumAcceptable?: number;
  /** For `maintain`: the band around the target inside which a value is at target. */
  tolerance?: number;
  owner?: string;
  cadence?: Cadence;
  dataSource?: string;
}

export interface Risk {
  id: string;
  title: string;
  dimension?: DimensionKey | 'business';
  likelihood?: number;
  impact?: number;
  treatment?: 'mitigate' | 'transfer' | 'avoid' | 'accept';
  mitigation?: string;
  owner?: string;
  lineOfDefense?: 1 | 2 | 3;
  guardrails?: string[];
  /** The risk left once the treatment is in place (EU AI Act Art. 9(5)). */
  residual?: { likelihood: number; impact: number; accepted?: string };
}

export interface Guardrail {
  id: string;
  metric: string;
  min?: number;
  max?: number;
  phases?: ('build' | 'monitor')[];
  description?: string;
  evidence?: Evidence;
  /** Fairness groups, each with a value at /groups/<group>/<metric> of the evidence. */
  groups?: string[];
  /** Live evidence of the monitor phase, refreshed within its cadence. */
  monitor?: { evidence: Evidence; cadence: Cadence };
  /** The declared level of accuracy, robustness or cybersecurity (EU AI Act Art. 15(3)). */
  declares?: 'accuracy' | 'robustness' | 'cybersecurity';
}

export interface Dimension {
  rigor?: Rigor;
  excluded?: boolean;
  justification?: string;
  guardrails?: Guardrail[];
}

export interface Envision {
  hypothesis: string;
  problem?: string;
  businessObjective?: string;
  intendedUse?: { primaryUses?: string[]; primaryUsers?: string[]; outOfScope?: string[] };
  stakeholders?: Stakeholder[];
  valueMetrics?: ValueMetric[];
  risks?: Risk[];
  trustworthyAI?: Partial<Record<DimensionKey, Dimension>>;
}

export interface Build {
  candidates?: { id: string; description?: string; baseline?: boolean }[];
  selected?: { candidate: string; rationale?: string };
  evaluations?: {
    id: string;
    candidate: string;
    metric: string;
    kind: 'statistical' | 'value';
    valueMetric?: string;
    evidence?: Evidence;
  }[];
  datasets?: {
    id: string;
    role: 'train' | 'validation' | 'test' | 'reference';
    uri: string;
    version?: string;
    personalData: boolean;
    sensitiveFeatures?: string[];
    datasheet?: Evidence;
  }[];
  modelCard?: Evidence;
  /** EU AI Act Art. 10(2). */
  dataGovernance?: {
    origin?: string;
    preparation?: string;
    assumptions?: string;
    biasExamination?: string;
    gaps?: string;
  };
}

export interface Deploy {
  dataProtection?: {
    personalData: boolean;
    lawfulBasis?: string;
    dpia?: Evidence;
    retentionDays?: number;
  };
  securityReview?: { threatModel?: Evidence; openFindings?: { critical?: number; high?: number } };
  integration?: {
    processChanges?: string[];
    runbook?: Evidence;
    rollback?: string;
    humanOversight?: {
      mode: 'in_loop' | 'on_loop' | 'none';
      procedure?: Evidence;
      /** Stakeholder ids of the people assigned to oversight (EU AI Act Art. 26(2)). */
      assignedTo?: string[];
    };
    training?: Evidence;
  };
  valueMeasurement?: {
    valueMetric: string;
    design: 'ab_test' | 'holdout' | 'pre_post';
    instrumentation?: Evidence;
    firstReadingBy?: string;
  }[];
  /** EU AI Act Arts 12 and 26(6). */
  logging?: { automatic?: boolean; specification?: Evidence; retentionDays?: number };
  /** EU AI Act Art. 13. */
  instructionsForUse?: Evidence;
  /** EU AI Act Arts 17, 43, 47, 49. */
  conformity?: {
    qualityManagement?: Evidence;
    procedure?: 'internal_control' | 'notified_body';
    assessment?: Evidence;
    declaration?: Evidence;
    registration?: string;
    /** Annex IV point 7. */
    standards?: string[];
  };
  /** Fundamental-rights impact assessment, EU AI Act Art. 27. */
  fria?: Evidence;
  /** The Art. 50 disclosure: notice, label or script. */
  disclosure?: Evidence;
}

export interface DriftCheck {
  id: string;
  type: 'data' | 'concept' | 'prediction';
  method: 'psi' | 'ks' | 'chi2' | 'jensenshannon' | 'wasserstein' | 'hellinger' | 'kl';
  /** What the number is; default by method (ks and chi2 must say). */
  statistic?: 'distance' | 'pvalue';
  features?: string[];
  bins?: number;
  /** A p-value's lower bound. */
  min?: number;
  /** A distance's upper bound. */
  max?: number;
  warn?: number;
  cadence?: Cadence;
  evidence?: Evidence;
}

export type TriggerEvent =
  'drift_alert' | 'value_below_minimum' | 'guardrail_breach' | 'incident' | 'scheduled';

export interface Monitor {
  drift?: DriftCheck[];
  valueTracking?: { cadence?: Cadence; evidence: Evidence; missesToTrigger?: number };
  triggers?: {
    on: TriggerEvent;
    action: 'reassess' | 'retrain' | 'rollback' | 'retire' | 'escalate';
    owner?: string;
  }[];
  governance?: { body: string; reviewCadence?: Cadence; nextReview?: string; evidence?: Evidence };
  reassessments?: Reassessment[];
  /** EU AI Act Arts 72 and 73. */
  postMarket?: { plan?: Evidence; incidentProcedure?: Evidence };
}

/** A decision on the business case once its value falls short or its date passes (rule M3). */
export interface Reassessment {
  id: string;
  date: string;
  decision: 'continue' | 'change' | 'retire';
  rationale: string;
  decider: string;
  /** For `continue`: the new date by which the value targets must be reached. */
  targetBy?: string;
}

export interface Approval {
  /** Unique among the manifest's approvals; absent on approvals of the earlier contract. */
  id?: string;
  /** The phase approved; absent on the approval of a reassessment or a waiver. */
  phase?: 'envision' | 'build' | 'deploy';
  /** The reassessment approved (`monitor.reassessments[].id`), instead of a phase. */
  reassessment?: string;
  /** The waiver approved (`waivers[].id`), instead of a phase. */
  waiver?: string;
  role: StakeholderRole;
  by: string;
  decision: 'approved' | 'rejected' | 'conditional';
  date: string;
  conditions?: string;
  /** sha256 of the canonical JSON of what was signed (section, reassessment or waiver item). */
  digest?: string;
  /** Evidence path (relative to the manifest's folder) to the sha256 of its content. */
  evidence?: Record<string, string>;
  /** Who ran `mlops approve`: "Name <email>" from git's config. */
  recordedBy?: string;
  /** `ssh-keygen -Y sign` signature (namespace mlops-approval) over the approval without it. */
  signature?: string;
}

export interface Waiver {
  /** Unique among the manifest's waivers; what `mlops approve --waiver` names. */
  id?: string;
  rule: string;
  /** The id of the item the excused finding is about, or an evidence path. */
  target?: string;
  reason: string;
  owner: string;
  expires: string;
}

/** `metadata.euAiAct` as written; read it through `euAiActOf` (src/core/eu-ai-act.ts). */
export interface EuAiAct {
  /** `limited` is the earlier shape (minimal with art50). */
  classification: 'prohibited' | 'high' | 'minimal' | 'out_of_scope' | 'limited';
  legalBasis?: { annex: 'I' | 'III'; point: string };
  basis?: string;
  art50?: boolean;
  art50Duties?: string[];
  gpai?: 'none' | 'model' | 'systemic_risk';
  role?: 'provider' | 'deployer' | 'both' | 'importer' | 'distributor';
  publicService?: boolean;
}

export interface Manifest {
  apiVersion: string;
  kind: string;
  metadata: {
    name: string;
    title?: string;
    version: string;
    owner: { name: string; email?: string; team?: string };
    riskTier: RiskTier;
    euAiAct?: EuAiAct;
    status?: Phase | 'retired';
    tags?: string[];
  };
  envision: Envision;
  build?: Build;
  deploy?: Deploy;
  monitor?: Monitor;
  approvals?: Approval[];
  waivers?: Waiver[];
}

/** Every guardrail with the dimension it sits under, in manifest order. */
export function listGuardrails(
  manifest: Pick<Manifest, 'envision'>,
): { dimension: DimensionKey; index: number; guardrail: Guardrail }[] {
  const out: { dimension: DimensionKey; index: number; guardrail: Guardrail }[] = [];
  const tai = manifest.envision?.trustworthyAI;
  if (!tai || typeof tai !== 'object') return out;
  for (const dimension of DIMENSIONS) {
    const list = tai[dimension]?.guardrails;
    if (!Array.isArray(list)) continue;
    list.forEach((guardrail, index) => {
      if (guardrail && typeof guardrail === 'object') out.push({ dimension, index, guardrail });
    });
  }
  return out;
}
