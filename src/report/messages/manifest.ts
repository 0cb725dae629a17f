import type { ManifestCode } from '../../core/codes/index.js';
import type { ArgValue, Args, PathSegment } from '../../core/findings.js';
import type { MessageSpec } from './index.js';
import { mlops, placeholder as ph, shellWord } from './shell.js';

/** `envision.valueMetrics[0].target`: the way people write paths, not JSON Pointer. */
export function formatPath(path: readonly PathSegment[]): string {
  let out = '';
  for (const seg of path) {
    if (typeof seg === 'number') out += `[${seg}]`;
    else if (/^[A-Za-z_$][\w$-]*$/.test(seg)) out += out ? `.${seg}` : seg;
    else out += `[${JSON.stringify(seg)}]`;
  }
  return out || '(top level)';
}

const text = (v: ArgValue): string => String(v ?? '');
const list = (v: ArgValue): string => (Array.isArray(v) ? v.join(', ') : text(v));
const where = (args: Args): string =>
  formatPath(Array.isArray(args.at) ? (args.at as PathSegment[]) : []);
const didYouMean = (args: Args): string =>
  args.suggestion !== undefined ? ` (did you mean "${text(args.suggestion)}"?)` : '';

/** A file type as read.ts names it, in words: "a FIFO (named pipe)". */
const fileKind = (type: ArgValue): string =>
  ({
    directory: 'a folder',
    fifo: 'a FIFO (named pipe)',
    'character device': 'a character device',
    'block device': 'a block device',
    socket: 'a socket',
  })[text(type)] ?? 'a special file';

/** Why a file could not be opened, from its error code. */
const errnoWords = (code: string): string =>
  ({
    EACCES: 'permission denied (EACCES)',
    EPERM: 'permission denied (EPERM)',
    ENOENT: 'it does not exist (ENOENT)',
    ELOOP: 'its symlinks form a loop (ELOOP)',
    EIO: 'an input/output error (EIO)',
    ENAMETOOLONG: 'its path is too long (ENAMETOOLONG)',
  })[code] ?? `error ${code}`;

/** A value (as `valueArgs` carries it) in JSON notation, shortened to about 60 characters. */
function show(args: Args): string {
  const { value, kind } = args;
  const json =
    kind === 'list' || kind === 'mapping' || (kind === 'number' && typeof value === 'string')
      ? text(value)
      : (JSON.stringify(value) ?? text(value));
  return json.length > 60 ? `${json.slice(0, 57)}..."` : json;
}

/** A value in words: "the text "x"", "the number 1", "a list". */
function describe(args: Args): string {
  switch (args.kind) {
    case 'null':
      return 'null (an empty value)';
    case 'list':
      return 'a list';
    case 'mapping':
      return 'a mapping';
    case 'string':
      return `the text ${show(args)}`;
    case 'number':
      return `the number ${text(args.value)}`;
    default:
      return `${text(args.kind)} ${text(args.value)}`;
  }
}

const TYPE_WORDS: Record<string, string> = {
  object: 'a mapping of keys',
  array: 'a list',
  string: 'text',
  number: 'a number',
  integer: 'a whole number',
  boolean: 'true or false',
  null: 'an empty value',
  evidence: 'a file path or a mapping {path, pointer, sha256}',
};

/** Words for a badly formed value, by what the pattern is about, and the fix. */
const PATTERN_WORDS: Record<string, [string, string]> = {
  modelName: [
    'is not a valid model name',
    'use 2-63 lowercase letters, digits and "-", starting with a letter or digit, e.g. customer-churn',
  ],
  version: [
    'is not a semantic version',
    'write MAJOR.MINOR.PATCH, e.g. 1.0.0 (quote it if YAML reads it as a number)',
  ],
  sha256: [
    'is not a sha256 checksum',
    `write the 64 lowercase hex characters that \`sha256sum ${ph('FILE')}\` prints first (FILE: the evidence path)`,
  ],
  pointer: ['is not a JSON Pointer', 'start it with "/", e.g. /metrics/auc'],
  digest: [
    'is not a digest',
    'delete the approval and record it again with mlops approve, which writes the digest (mlops check prints the command)',
  ],
  id: [
    'is not a valid id',
    'use lowercase letters, digits, "-" and "_", starting with a letter or digit',
  ],
};

const LIST_WORDS: Record<string, string> = {
  stakeholder: 'stakeholder',
  valueMetric: 'value metric',
  risk: 'risk',
  guardrail: 'guardrail',
  candidate: 'candidate',
  evaluation: 'evaluation',
  dataset: 'dataset',
  driftCheck: 'drift check',
};
const listWord = (args: Args): string => LIST_WORDS[text(args.list)] ?? text(args.list);
/** A value metric by its id, or by where it is when it has none. */
const metricName = (args: Args): string =>
  args.metric !== undefined ? `value metric "${text(args.metric)}"` : where(args);

export const MANIFEST_MESSAGES = {
  FILE_TOO_LARGE: {
    title: 'Manifest over 1 MiB',
    help: 'Manifests are limited to 1 MiB. Keep large reports in evidence files and reference them.',
    message: (args) =>
      `file is ${(Number(args.bytes) / 1024 / 1024).toFixed(1)} MiB; manifests are limited to 1 MiB`,
    hint: () => 'keep large reports in evidence files and point to them',
  },
  FINDINGS_OMITTED: {
    title: 'More findings in this file',
    help: 'One file lists at most 100 findings; this one counts the rest, which fixing those listed usually clears.',
    message: (args) =>
      `${Number(args.more)} more finding${Number(args.more) === 1 ? '' : 's'} in this file (${Number(args.errors)} error${Number(args.errors) === 1 ? '' : 's'}, ${Number(args.warnings)} warning${Number(args.warnings) === 1 ? '' : 's'}) not listed`,
    hint: () => 'fix the findings listed, then validate again to see the rest',
  },
  SYMLINK_OUTSIDE: {
    title: 'Symlink leading outside the repository',
    help: 'A manifest or config file that is a symlink, or lies in a symlinked folder, must lead to a file inside the repository (outside one, inside the folder mlops runs in). mlops never reads a file outside it, so a repository cannot make it read or show your other files.',
    message: (args) => {
      const outside =
        args.within === 'folder'
          ? `outside the folder ${text(args.root)}`
          : 'outside the repository';
      return args.link !== undefined
        ? `the file is a symlink to ${text(args.target)}, ${outside}; it was not read`
        : `the path leads through a symlinked folder to ${text(args.target)}, ${outside}; it was not read`;
    },
    hint: (args) => {
      const inside = args.within === 'folder' ? text(args.root) : 'the repository';
      return args.link !== undefined
        ? `replace the link with the file itself, or move the file into ${inside} and link to it there`
        : `replace the symlinked folder with a real folder inside ${inside}`;
    },
  },
  NOT_A_REGULAR_FILE: {
    title: 'Not a regular file',
    help: 'A manifest or config file must be a regular file. A FIFO, device or socket is never opened: reading one could block forever or never end.',
    message: (args) => {
      const kind = fileKind(args.type);
      return args.target !== undefined
        ? `the file is a symlink to ${text(args.target)}, which is ${kind}, not a regular file; it was not opened`
        : `the file is ${kind}, not a regular file; it was not opened`;
    },
    hint: () => 'replace it with a regular file that holds the YAML',
  },
  FILE_UNREADABLE: {
    title: 'File cannot be read',
    help: 'A manifest or config file that exists but cannot be read is an error, never skipped: otherwise a model would silently drop out of validation and its gates.',
    message: (args) =>
      args.link !== undefined
        ? `the file is a symlink to ${text(args.link)}, which does not exist`
        : `the file cannot be read: ${errnoWords(text(args.reason))}`,
    hint: (args) => {
      if (args.link !== undefined)
        return 'point the link at a file inside the repository, or replace it with the file itself';
      if (args.reason === 'EACCES' || args.reason === 'EPERM')
        return 'make the file readable by the user running mlops (chmod a+r on the file, a+x on its folders)';
      if (args.reason === 'ELOOP') return 'replace the links with the file itself';
      return 'check that the file and its folders exist and are readable';
    },
  },
  NOT_UTF8: {
    title: 'Not UTF-8',
    help: 'Manifests and config files are read as UTF-8, as YAML tools and git expect. A file saved as UTF-16 or UTF-32 (as some Windows editors do), or holding bytes of another encoding, must be saved as UTF-8.',
    message: (args) =>
      args.encoding !== undefined
        ? `the file is saved as ${text(args.encoding)}${args.bom === true ? ' (with a byte order mark)' : ''}; mlops reads UTF-8 only`
        : `the byte ${text(args.byte)} here is not UTF-8 (is the file saved as Latin-1 or Windows-1252?); mlops reads UTF-8 only`,
    hint: (args) => {
      // with a byte order mark, iconv reads the byte order from it and drops it
      const from =
        args.encoding === undefined
          ? 'WINDOWS-1252'
          : args.bom === true
            ? text(args.encoding).split(' ')[0]!
            : text(args.encoding).replace(' ', '');
      const file = ph('FILE');
      return `save it as UTF-8: \`iconv -f ${from} -t UTF-8 ${file} > mlops.yaml.utf8 && mv mlops.yaml.utf8 ${file}\` (FILE: this file), or your editor's "save with encoding"`;
    },
  },
  EMPTY_FILE: {
    title: 'Empty manifest',
    help: 'A manifest needs apiVersion, kind, metadata and envision. Run `mlops init` to scaffold one.',
    message: () => 'the file is empty; a manifest needs apiVersion, kind, metadata and envision',
    hint: (_args, how) =>
      `scaffold one in its place: ${mlops(how, 'init', ph('FOLDER'), '--force')} (FOLDER: the folder of this file)`,
  },
  NOT_A_MAPPING: {
    title: 'Top level is not a mapping',
    help: 'The top level of a manifest is a mapping of keys: apiVersion, kind, metadata, envision, ...',
    message: (args) =>
      `the top level must be a mapping of keys (apiVersion, kind, ...), not a ${args.actual === 'list' ? 'list' : 'single value'}`,
  },
  YAML_SYNTAX: {
    title: 'YAML syntax error',
    help: 'The file is not valid YAML. Fix the syntax at the position shown.',
    message: (args) => text(args.detail),
  },
  YAML_DUPLICATE_KEY: {
    title: 'Duplicate key',
    help: 'A key appears twice in one mapping; YAML parsers disagree on which wins. Keep one.',
    message: () => 'duplicate key: the same key appears twice in one mapping',
    hint: () => 'keep one of the two keys',
  },
  YAML_MULTIPLE_DOCUMENTS: {
    title: 'Several YAML documents',
    help: 'A manifest is a single YAML document. Put each model in its own mlops.yaml.',
    message: () => 'more than one YAML document (---) in the file; a manifest is one document',
    hint: () => 'put each model in its own mlops.yaml',
  },
  YAML_ALIAS_LIMIT: {
    title: 'Aliases expand too far',
    help: 'Anchors and aliases expand beyond the limit (a defence against entity expansion). Write the values out.',
    message: (args) => `aliases expand too far (${text(args.detail)})`,
    hint: () => 'write the values out instead of repeating aliases',
  },
  YAML_TAG: {
    title: 'Custom YAML tag',
    help: 'Tags such as !!binary or !custom are not allowed: no tag ever constructs code or objects. Write plain values.',
    message: (args) => `tag ${text(args.tag)} is not allowed in a manifest`,
    hint: () => 'remove the tag; write plain values',
  },
  YAML_FORBIDDEN_KEY: {
    title: 'Forbidden key',
    help: '__proto__, constructor and prototype are not allowed as keys.',
    message: (args) => `key "${text(args.key)}" is not allowed`,
    hint: () => 'rename or remove the key',
  },
  YAML_COMPLEX_KEY: {
    title: 'Complex key',
    help: 'A key is a plain value. A list or mapping used as a key (`[a]: x`, `? {a: 1}`) has no meaning in a manifest.',
    message: () => 'a key must be a plain value, not a list or a mapping',
    hint: () => 'write the key as plain text, e.g. `apiVersion:` rather than `[apiVersion]:`',
  },
  UNSUPPORTED_API_VERSION: {
    title: 'Unsupported apiVersion',
    help: 'This version of mlops reads apiVersion mlops/v1.',
    message: (args) =>
      `apiVersion: ${show(args)} is not supported; supported versions: ${list(args.supported)}`,
    hint: (args) =>
      `write \`apiVersion: ${Array.isArray(args.supported) ? text(args.supported[0]) : 'mlops/v1'}\``,
  },
  SCHEMA_REQUIRED: {
    title: 'Missing required key',
    help: 'Add the key named in the message to the mapping shown.',
    message: (args) => `${where(args)}: missing required key "${text(args.key)}"`,
    hint: (args) =>
      args.key === 'apiVersion'
        ? 'add `apiVersion: mlops/v1`'
        : args.key === 'kind'
          ? 'add `kind: ModelManifest`'
          : undefined,
  },
  SCHEMA_UNKNOWN_KEY: {
    title: 'Unknown key',
    help: 'The key is not part of mlops/v1 (often a typo). Prefix a team\'s own keys with "x-" to keep them.',
    message: (args) => `${where(args)}: unknown key "${text(args.key)}"${didYouMean(args)}`,
    hint: (args) =>
      Array.isArray(args.allowed) && args.allowed.length > 0
        ? `allowed here: ${list(args.allowed)}; prefix a team's own keys with "x-"`
        : undefined,
  },
  SCHEMA_ENUM: {
    title: 'Value not allowed',
    help: 'Use one of the values listed in the message.',
    message: (args) =>
      `${where(args)}: ${show(args)} is not one of ${list(args.allowed)}${didYouMean(args)}`,
  },
  SCHEMA_CONST: {
    title: 'Wrong fixed value',
    help: 'This key takes exactly the value shown.',
    message: (args) =>
      `${where(args)}: ${show(args)} must be ${show({ value: args.allowed, kind: 'string' })}`,
  },
  SCHEMA_TYPE: {
    title: 'Wrong type',
    help: 'The value has the wrong type: text, a number, a list or a mapping as the message says. Quote version strings.',
    message: (args) =>
      `${where(args)}: expected ${TYPE_WORDS[text(args.expected)] ?? text(args.expected)}, got ${describe(args)}`,
    hint: (args) => {
      if (args.expected !== 'string' || (args.kind !== 'number' && args.kind !== 'boolean'))
        return undefined;
      const at = Array.isArray(args.at) ? args.at : [];
      return at[at.length - 1] === 'version'
        ? 'write a quoted semantic version, e.g. "1.0.0"'
        : 'quote the value so YAML reads it as text';
    },
  },
  SCHEMA_PATTERN: {
    title: 'Badly formed value',
    help: 'Ids use lowercase letters, digits, "-" and "_"; versions are MAJOR.MINOR.PATCH; see the message.',
    message: (args) =>
      `${where(args)}: ${show(args)} ${PATTERN_WORDS[text(args.subject)]?.[0] ?? `does not match the pattern ${text(args.pattern)}`}`,
    hint: (args, how) =>
      args.subject === 'digest'
        ? `delete the approval and record it again with mlops approve, which writes the digest: ${mlops(how, 'check')} prints the command`
        : PATTERN_WORDS[text(args.subject)]?.[1],
  },
  SCHEMA_FORMAT: {
    title: 'Badly formed date or email',
    help: 'Dates are YYYY-MM-DD; emails are name@domain.',
    message: (args) =>
      `${where(args)}: ${show(args)} ${
        args.format === 'date'
          ? 'is not a valid date (YYYY-MM-DD)'
          : args.format === 'email'
            ? 'is not a valid email address'
            : `is not a valid ${text(args.format)}`
      }`,
  },
  SCHEMA_RANGE: {
    title: 'Number out of range',
    help: 'Likelihood and impact run from 1 to 5; counts are 0 or more.',
    message: (args) =>
      `${where(args)}: ${show(args)} ${args.bound === 'minimum' ? 'is below the minimum' : 'is above the maximum'} ${text(args.limit)}`,
  },
  SCHEMA_EMPTY: {
    title: 'Empty value',
    help: 'The value must not be empty.',
    message: (args) => `${where(args)}: must not be empty`,
  },
  SCHEMA_DUPLICATE_ITEM: {
    title: 'Repeated list item',
    help: 'The list names the same value twice. Remove one.',
    message: (args) =>
      `${where(args)}: lists the same value twice (items ${text(args.first)} and ${text(args.second)})`,
  },
  SCHEMA_INVALID: {
    title: 'Invalid value',
    help: 'The value does not match the mlops/v1 schema.',
    message: (args) =>
      `${where(args)}: ${args.detail !== undefined ? text(args.detail) : 'is invalid'}`,
  },
  GUARDRAIL_NO_BOUND: {
    title: 'Guardrail without a bound',
    help: 'A guardrail is a measured quantity with inclusive bounds: give min, max, or both.',
    message: (args) => `${where(args)}: a guardrail needs a bound: add min and/or max`,
    hint: (args) =>
      `add to \`${where(args)}\`: \`{max: ${ph('MAX')}}\`, a min, or both (e.g. min: 0.8 for a disparate-impact ratio, max: 0.25 for PSI)`,
  },
  DUPLICATE_ID: {
    title: 'Duplicate id',
    help: 'Ids are unique in their list (guardrail ids across the manifest), since diffs, waivers and reports cite them.',
    message: (args) =>
      `${where(args)}: ${listWord(args)} id "${text(args.id)}" is already used at ${formatPath(Array.isArray(args.earlier) ? args.earlier : [])}`,
    hint: (args) =>
      `ids are unique per list${args.list === 'guardrail' ? ' (guardrail ids across the whole manifest)' : ''}; rename one`,
  },
  UNKNOWN_REFERENCE: {
    title: 'Reference to nothing',
    help: 'The id does not name a stakeholder, value metric, guardrail or candidate of this manifest.',
    message: (args) =>
      `${where(args)}: no ${listWord(args)} has id "${text(args.id)}"${didYouMean(args)}`,
    hint: (args) =>
      Array.isArray(args.known) && args.known.length > 0
        ? `known ${listWord(args)} ids: ${list(args.known)}`
        : `add the ${listWord(args)} first`,
  },
  APPROVAL_ROLE_MISMATCH: {
    title: "Approval role differs from the approver's role",
    help: 'An approval carries the role of the stakeholder who gave it. Record approvals with `mlops approve`.',
    message: (args) =>
      `${where(args)}: "${text(args.role)}" but stakeholder "${text(args.by)}" has role "${text(args.expected)}"`,
    hint: (args) =>
      `an approval carries the role of the person who signed it: set \`${where(args)}\` to \`${text(args.expected)}\``,
  },
  APPROVAL_SUBJECT: {
    title: 'Approval of what',
    help: 'An approval signs one phase (`phase`) or one reassessment (`reassessment`): exactly one of the two.',
    message: (args) =>
      args.given === 'both'
        ? `${where(args)}: an approval signs one phase or one reassessment, not both`
        : `${where(args)}: the approval names neither a phase nor a reassessment`,
    hint: (args) => {
      const at = Array.isArray(args.at) ? (args.at as PathSegment[]) : [];
      return args.given === 'both'
        ? 'keep `phase` for a phase sign-off or `reassessment` for a reassessment, and remove the other'
        : `set \`${formatPath([...at, 'phase'])}\` to \`${ph('PHASE')}\` (the phase it signs: envision, build or deploy), or set \`${formatPath([...at, 'reassessment'])}\` to \`${ph('REASSESSMENT_ID')}\` (the id of one of monitor.reassessments)`;
    },
  },
  BOUNDS_INVERTED: {
    title: 'Bounds inverted',
    help: 'A guardrail’s min must not exceed its max.',
    message: (args) =>
      `${where(args)}: min ${text(args.min)} is above max ${text(args.max)}, so no value can pass`,
    hint: () => 'swap the bounds',
  },
  TARGET_DIRECTION: {
    title: 'Target not in direction from the baseline',
    help: 'For direction increase the target lies above the baseline; for decrease, below.',
    message: (args) =>
      `${metricName(args)}: target ${text(args.target)} does not ${text(args.direction)} from the baseline ${text(args.baseline)}`,
    hint: (args) =>
      `a target must lie in \`direction\` from the baseline: ${args.direction === 'increase' ? 'above' : 'below'} ${text(args.baseline)}, or change \`direction\``,
  },
  MINIMUM_BEYOND_TARGET: {
    title: 'minimumAcceptable better than the target',
    help: 'minimumAcceptable is the worst level at which the model still pays for itself; it lies between the baseline (included) and the target.',
    message: (args) =>
      `${metricName(args)}: minimumAcceptable ${text(args.minimum)} is better than the target ${text(args.target)}, so reaching the target would still fail`,
    hint: (args) =>
      `set minimumAcceptable between the baseline (included) and the target ${text(args.target)}: beyond the baseline, rule E2 fails`,
  },
  PSI_BINS_MISSING: {
    title: 'PSI without bins',
    help: 'PSI depends on how the data is binned; state `bins` with the threshold.',
    message: (args) =>
      `${where(args)}: PSI depends on how the data is binned; state \`bins\` with the threshold`,
    hint: (args) =>
      `add to \`${where(args)}\`: \`{bins: 10}\` (or the number of bins the PSI is computed with)`,
  },
  VALUE_EVALUATION_UNLINKED: {
    title: 'Value evaluation without a value metric',
    help: 'An evaluation of kind value counts for rule B2 only when it names its valueMetric.',
    message: (args) =>
      `${where(args)}: an evaluation of kind value names no valueMetric, so it counts for none (rule B2)`,
    hint: (args) =>
      `add to \`${where(args)}\`: \`{valueMetric: ${ph('VALUE_METRIC_ID')}}\` (the id of the value metric it evaluates)`,
  },
  EU_AI_ACT_PROHIBITED: {
    title: 'Prohibited under the EU AI Act',
    help: 'Practices prohibited by Art. 5 of the EU AI Act may not be built or deployed.',
    helpUri: 'https://eur-lex.europa.eu/eli/reg/2024/1689/oj',
    message: (args) =>
      `${where(args)}: "prohibited": practices prohibited by Art. 5 of the EU AI Act may not be built or deployed`,
    hint: () => 'stop the use case, or correct the classification and record its basis',
  },
  EU_AI_ACT_EARLIER_SHAPE: {
    title: 'Earlier EU AI Act classification',
    help: '`classification: limited` is the earlier shape. The risk class (prohibited, high, minimal, out_of_scope) and the transparency duties of Art. 50 (`art50`) are now separate: `limited` reads as minimal with `art50: true`, and `mlops migrate` rewrites it so. A system without an Art. 50 duty (no interaction with people, no synthetic content, no emotion recognition or biometric categorisation, no deep fake) is minimal without `art50`.',
    helpUri: 'https://eur-lex.europa.eu/eli/reg/2024/1689/oj',
    message: (args) =>
      args.migrate === false
        ? `${where(args)}: "limited" is the earlier shape, which meant minimal with the transparency duties of Art. 50, but \`art50\` is ${text(args.art50)} here: the two disagree`
        : `${where(args)}: "limited" is the earlier shape: it now reads as minimal with the transparency duties of Art. 50 (\`art50: true\`)`,
    hint: (args, how) =>
      args.migrate === false
        ? `set \`${where(args)}\` to \`minimal\` if the system has no Art. 50 duty, or remove \`metadata.euAiAct.art50\` and run ${mlops(how, 'migrate', shellWord(text(args.manifest)))}`
        : `rewrite it to the current shape (minimal, art50: true): ${mlops(how, 'migrate', shellWord(text(args.manifest)))}`,
  },
  EU_TIER_BELOW_HIGH: {
    title: 'Risk tier below the EU AI Act class',
    help: 'A system classified high-risk under the EU AI Act (Art. 6) is held to the high-risk obligations whatever its riskTier; a tier below high would also lower its rigor defaults and the sign-offs its phases need. Rule EU6 fails Envision until the tier is high or critical.',
    helpUri: 'https://eur-lex.europa.eu/eli/reg/2024/1689/oj',
    message: (args) =>
      `${where(args)}: "${text(args.tier)}" for a system classified high-risk under the EU AI Act (metadata.euAiAct.classification: high); rule EU6 fails Envision until the tier is high or critical`,
    hint: (args) =>
      `set \`${where(args)}\` to \`high\`, or to \`critical\` when a wrong output could do severe harm`,
  },
  DUPLICATE_NAME: {
    title: 'Model name used twice',
    help: 'metadata.name identifies a model in the repository: diff and check match manifests by it, so no two manifests may share one.',
    message: (args) =>
      `metadata.name: "${text(args.name)}" is also the name of ${list(args.others)}${args.more !== undefined ? ` and ${text(args.more)} more` : ''}`,
    hint: () => 'give each model its own name; diff and check tell manifests apart by it',
  },
} satisfies Partial<Record<ManifestCode, MessageSpec>>;
