/**
 * The EU AI Act (Regulation (EU) 2024/1689) classification of a manifest, read the same way
 * by the readiness rules, `diff`, `report` and `export`: the risk class, the Art. 50
 * transparency duties and general-purpose AI are separate questions, and the earlier shape
 * (`classification: limited`) means minimal with Art. 50 duties.
 */
import type { Manifest } from './manifest.js';

/** Risk classes from the least to the most regulated (a lower index is a lowered class). */
export const EU_RISK_CLASSES = ['out_of_scope', 'minimal', 'high', 'prohibited'] as const;
export type EuRiskClass = (typeof EU_RISK_CLASSES)[number];

export const EU_ROLES = ['provider', 'deployer', 'both', 'importer', 'distributor'] as const;
export type EuRole = (typeof EU_ROLES)[number];

/** General-purpose AI, from none to a model with systemic risk. */
export const EU_GPAI_LEVELS = ['none', 'model', 'systemic_risk'] as const;
export type EuGpai = (typeof EU_GPAI_LEVELS)[number];

export const EU_ART50_DUTIES = [
  'interaction',
  'synthetic_content',
  'emotion_recognition',
  'biometric_categorisation',
  'deep_fake',
  'public_interest_text',
] as const;
export type EuArt50Duty = (typeof EU_ART50_DUTIES)[number];

/** Art. 26(6): a deployer keeps the logs at least six months; 184 days cover any six months. */
export const EU_MIN_LOG_RETENTION_DAYS = 184;

/** What the manifest says, with the earlier shape read as the current one. */
export interface EuAiActView {
  /** Undefined when the manifest has no (readable) classification. */
  riskClass?: EuRiskClass;
  art50: boolean;
  art50Duties: string[];
  gpai: EuGpai;
  role?: EuRole;
  legalBasis?: { annex: string; point: string };
  publicService: boolean;
  /** The manifest writes `classification: limited` (the earlier shape). */
  earlierShape: boolean;
}

const isObj = (v: unknown): v is Record<string, unknown> =>
  v !== null && typeof v === 'object' && !Array.isArray(v);

function oneOf<T extends string>(list: readonly T[], v: unknown): T | undefined {
  return typeof v === 'string' && (list as readonly string[]).includes(v) ? (v as T) : undefined;
}

/** The meaning of `metadata.euAiAct`; defensive, for manifests that failed validation too. */
export function euAiActOf(manifest: Pick<Manifest, 'metadata'> | unknown): EuAiActView {
  const meta = isObj(manifest) && isObj(manifest.metadata) ? manifest.metadata : {};
  const eu = isObj(meta.euAiAct) ? meta.euAiAct : {};
  const earlierShape = eu.classification === 'limited';
  const riskClass = earlierShape ? 'minimal' : oneOf(EU_RISK_CLASSES, eu.classification);
  const lb = isObj(eu.legalBasis) ? eu.legalBasis : undefined;
  return {
    ...(riskClass ? { riskClass } : {}),
    art50: earlierShape || eu.art50 === true,
    art50Duties: Array.isArray(eu.art50Duties)
      ? eu.art50Duties.filter((d): d is string => typeof d === 'string')
      : [],
    gpai: oneOf(EU_GPAI_LEVELS, eu.gpai) ?? 'none',
    ...(oneOf(EU_ROLES, eu.role) ? { role: oneOf(EU_ROLES, eu.role)! } : {}),
    ...(lb && typeof lb.annex === 'string' && typeof lb.point === 'string'
      ? { legalBasis: { annex: lb.annex, point: lb.point } }
      : {}),
    publicService: eu.publicService === true,
    earlierShape,
  };
}

/** The obligations that apply, from the class and the role (never from `riskTier`). */
export interface EuObligations {
  /** High-risk, provider or both: Arts 9-15, 17, 43, 49, 72, 73. */
  highProvider: boolean;
  /** High-risk, deployer or both: Arts 26, 27. */
  highDeployer: boolean;
  /** High-risk, importer or distributor: Arts 23, 24 (the provider's conformity is verified). */
  highImporterOrDistributor: boolean;
  /** Art. 50 duties: the disclosure. */
  art50: boolean;
}

export function euObligations(view: EuAiActView): EuObligations {
  const high = view.riskClass === 'high';
  const role = view.role;
  return {
    // a high-risk system whose role is not given is held to the provider's duties
    highProvider: high && (role === undefined || role === 'provider' || role === 'both'),
    highDeployer: high && (role === 'deployer' || role === 'both'),
    highImporterOrDistributor: high && (role === 'importer' || role === 'distributor'),
    art50: view.art50,
  };
}

/** The Act's text on EUR-Lex (SARIF helpUri of every rule that cites it). */
export const EU_AI_ACT_URL = 'https://eur-lex.europa.eu/eli/reg/2024/1689/oj';
