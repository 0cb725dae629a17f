import type { CodeMeta } from './index.js';

/** Findings of reading and validating one manifest: YAML, schema and consistency. */
export const MANIFEST_CODES = {
  FILE_TOO_LARGE: { severity: 'error' },
  // the file was not read: it leads outside, is not a regular file, cannot be read, or is not UTF-8
  SYMLINK_OUTSIDE: { severity: 'error' },
  NOT_A_REGULAR_FILE: { severity: 'error' },
  FILE_UNREADABLE: { severity: 'error' },
  NOT_UTF8: { severity: 'error' },
  EMPTY_FILE: { severity: 'error' },
  // stands for the findings past the first 100 of one file; its severity is the worst of them
  FINDINGS_OMITTED: { severity: 'error' },
  NOT_A_MAPPING: { severity: 'error' },
  YAML_SYNTAX: { severity: 'error' },
  YAML_DUPLICATE_KEY: { severity: 'error' },
  YAML_MULTIPLE_DOCUMENTS: { severity: 'error' },
  YAML_ALIAS_LIMIT: { severity: 'error' },
  YAML_TAG: { severity: 'error' },
  YAML_FORBIDDEN_KEY: { severity: 'error' },
  YAML_COMPLEX_KEY: { severity: 'error' },
  UNSUPPORTED_API_VERSION: { severity: 'error' },
  SCHEMA_REQUIRED: { severity: 'error' },
  SCHEMA_UNKNOWN_KEY: { severity: 'error' },
  SCHEMA_ENUM: { severity: 'error' },
  SCHEMA_CONST: { severity: 'error' },
  SCHEMA_TYPE: { severity: 'error' },
  SCHEMA_PATTERN: { severity: 'error' },
  SCHEMA_FORMAT: { severity: 'error' },
  SCHEMA_RANGE: { severity: 'error' },
  SCHEMA_EMPTY: { severity: 'error' },
  SCHEMA_DUPLICATE_ITEM: { severity: 'error' },
  SCHEMA_INVALID: { severity: 'error' },
  GUARDRAIL_NO_BOUND: { severity: 'error' },
  DUPLICATE_ID: { severity: 'error' },
  UNKNOWN_REFERENCE: { severity: 'error' },
  APPROVAL_ROLE_MISMATCH: { severity: 'error' },
  // an approval names both a phase and a reassessment, or neither
  APPROVAL_SUBJECT: { severity: 'error' },
  // written for the earlier contract: an approval without id or evidence digests
  APPROVAL_EARLIER_SHAPE: { severity: 'warning' },
  // a waiver without id, or without target where the rule's findings name items
  WAIVER_EARLIER_SHAPE: { severity: 'warning' },
  WAIVER_NOT_WAIVABLE: { severity: 'error' },
  BOUNDS_INVERTED: { severity: 'error' },
  TARGET_DIRECTION: { severity: 'error' },
  MINIMUM_BEYOND_TARGET: { severity: 'warning' },
  PSI_BINS_MISSING: { severity: 'warning' },
  VALUE_EVALUATION_UNLINKED: { severity: 'warning' },
  EU_AI_ACT_PROHIBITED: { severity: 'error' },
  // `classification: limited`, the earlier shape: minimal with Art. 50 duties (mlops migrate)
  EU_AI_ACT_EARLIER_SHAPE: { severity: 'warning' },
  // classification high with riskTier low or medium (rule EU6 fails Envision for it)
  EU_TIER_BELOW_HIGH: { severity: 'warning' },
  // a template placeholder left in a string (rule G4 fails the phase it stands in)
  PLACEHOLDER: { severity: 'warning' },
  // drift statistics: a distance is bounded above, a p-value below
  DRIFT_STATISTIC_UNSTATED: { severity: 'error' },
  DRIFT_BOUND_WRONG_SIDE: { severity: 'error' },
  DRIFT_BOUND_MISSING: { severity: 'error' },
  DRIFT_WARN_BEYOND_ALERT: { severity: 'error' },
  // reassessments (monitor.reassessments)
  REASSESSMENT_NO_DATE: { severity: 'error' },
  // across manifests: a repository-level pass of validate, outside the reader
  DUPLICATE_NAME: { severity: 'error' },
} as const satisfies Record<string, CodeMeta>;
