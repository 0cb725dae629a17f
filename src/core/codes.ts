/** Help for a finding code: a title and what to do about it. Used by SARIF and `--verbose`. */
export interface CodeInfo {
  title: string;
  help: string;
}

export const VALIDATE_CODES: Record<string, CodeInfo> = {
  FILE_TOO_LARGE: {
    title: 'Manifest over 1 MiB',
    help: 'Manifests are limited to 1 MiB. Keep large reports in evidence files and reference them.',
  },
  EMPTY_FILE: {
    title: 'Empty manifest',
    help: 'A manifest needs apiVersion, kind, metadata and envision. Run `mlops init` to scaffold one.',
  },
  NOT_A_MAPPING: {
    title: 'Top level is not a mapping',
    help: 'The top level of a manifest is a mapping of keys: apiVersion, kind, metadata, envision, ...',
  },
  YAML_SYNTAX: {
    title: 'YAML syntax error',
    help: 'The file is not valid YAML. Fix the syntax at the position shown.',
  },
  YAML_DUPLICATE_KEY: {
    title: 'Duplicate key',
    help: 'A key appears twice in one mapping; YAML parsers disagree on which wins. Keep one.',
  },
  YAML_MULTIPLE_DOCUMENTS: {
    title: 'Several YAML documents',
    help: 'A manifest is a single YAML document. Put each model in its own mlops.yaml.',
  },
  YAML_ALIAS_LIMIT: {
    title: 'Aliases expand too far',
    help: 'Anchors and aliases expand beyond the limit (a defence against entity expansion). Write the values out.',
  },
  YAML_TAG: {
    title: 'Custom YAML tag',
    help: 'Tags such as !!binary or !custom are not allowed: no tag ever constructs code or objects. Write plain values.',
  },
  YAML_FORBIDDEN_KEY: {
    title: 'Forbidden key',
    help: '__proto__, constructor and prototype are not allowed as keys.',
  },
  UNSUPPORTED_API_VERSION: {
    title: 'Unsupported apiVersion',
    help: 'This version of mlops reads apiVersion mlops/v1.',
  },
  SCHEMA_REQUIRED: {
    title: 'Missing required key',
    help: 'Add the key named in the message to the mapping shown.',
  },
  SCHEMA_UNKNOWN_KEY: {
    title: 'Unknown key',
    help: 'The key is not part of mlops/v1 (often a typo). Prefix a team\'s own keys with "x-" to keep them.',
  },
  SCHEMA_ENUM: { title: 'Value not allowed', help: 'Use one of the values listed in the message.' },
  SCHEMA_CONST: { title: 'Wrong fixed value', help: 'This key takes exactly the value shown.' },
  SCHEMA_TYPE: {
    title: 'Wrong type',
    help: 'The value has the wrong type: text, a number, a list or a mapping as the message says. Quote version strings.',
  },
  SCHEMA_PATTERN: {
    title: 'Badly formed value',
    help: 'Ids use lowercase letters, digits, "-" and "_"; versions are MAJOR.MINOR.PATCH; see the message.',
  },
  SCHEMA_FORMAT: {
    title: 'Badly formed date or email',
    help: 'Dates are YYYY-MM-DD; emails are name@domain.',
  },
  SCHEMA_RANGE: {
    title: 'Number out of range',
    help: 'Likelihood and impact run from 1 to 5; counts are 0 or more.',
  },
  SCHEMA_EMPTY: { title: 'Empty value', help: 'The value must not be empty.' },
  SCHEMA_DUPLICATE_ITEM: {
    title: 'Repeated list item',
    help: 'The list names the same value twice. Remove one.',
  },
  SCHEMA_INVALID: { title: 'Invalid value', help: 'The value does not match the mlops/v1 schema.' },
  GUARDRAIL_NO_BOUND: {
    title: 'Guardrail without a bound',
    help: 'A guardrail is a measured quantity with inclusive bounds: give min, max, or both.',
  },
  DUPLICATE_ID: {
    title: 'Duplicate id',
    help: 'Ids are unique in their list (guardrail ids across the manifest), since diffs, waivers and reports cite them.',
  },
  UNKNOWN_REFERENCE: {
    title: 'Reference to nothing',
    help: 'The id does not name a stakeholder, value metric, guardrail or candidate of this manifest.',
  },
  APPROVAL_ROLE_MISMATCH: {
    title: "Approval role differs from the approver's role",
    help: 'An approval carries the role of the stakeholder who gave it. Record approvals with `mlops approve`.',
  },
  BOUNDS_INVERTED: {
    title: 'Bounds inverted',
    help: 'min must not exceed max, and a drift warn level must not exceed its max.',
  },
  TARGET_DIRECTION: {
    title: 'Target not in direction from the baseline',
    help: 'For direction increase the target lies above the baseline; for decrease, below.',
  },
  MINIMUM_BEYOND_TARGET: {
    title: 'minimumAcceptable better than the target',
    help: 'minimumAcceptable is the worst level at which the hypothesis still holds; it lies between the target and the baseline or beyond the baseline.',
  },
  PSI_BINS_MISSING: {
    title: 'PSI without bins',
    help: 'PSI depends on how the data is binned; state `bins` with the threshold.',
  },
  VALUE_EVALUATION_UNLINKED: {
    title: 'Value evaluation without a value metric',
    help: 'An evaluation of kind value counts for rule B2 only when it names its valueMetric.',
  },
  EU_AI_ACT_PROHIBITED: {
    title: 'Prohibited under the EU AI Act',
    help: 'Practices prohibited by Art. 5 of the EU AI Act may not be built or deployed.',
  },
};
