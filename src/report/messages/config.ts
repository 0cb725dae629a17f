import type { ConfigCode } from '../../core/codes/index.js';
import type { Args } from '../../core/findings.js';
import type { MessageSpec, Spelling } from './index.js';
import { mlops } from './shell.js';

const SCHEMA_HINT = (how: Spelling): string =>
  `every setting is described in ${mlops(how, 'schema', '--config')}`;
/** A type of the config schema as a value to write: "true or false". */
const TYPE_WORDS: Record<string, string> = {
  boolean: 'true or false',
  string: 'text',
  number: 'a number',
  integer: 'a whole number',
  list: 'a list',
  mapping: 'a mapping',
};
const where = (args: Args): string => (args.key ? String(args.key) : 'the top level');
const list = (v: Args[string]): string => (Array.isArray(v) ? v.join(', ') : String(v ?? ''));
const didYouMean = (args: Args): string =>
  args.suggestion ? ` (did you mean "${String(args.suggestion)}"?)` : '';
const shown = (v: Args[string]): string => (typeof v === 'string' ? `"${v}"` : String(v));

export const CONFIG_MESSAGES = {
  CONFIG_EMPTY: {
    title: 'Empty config file',
    help: 'A config file needs at least `apiVersion: mlops/v1` and `kind: Config`.',
    message: () => 'the config file is empty; it needs apiVersion: mlops/v1 and kind: Config',
    hint: () => 'write `apiVersion: mlops/v1` and `kind: Config`, or delete the file',
  },
  CONFIG_NOT_A_MAPPING: {
    title: 'Config file is not a mapping',
    help: 'The top level of a config file is a mapping of settings.',
    message: () =>
      'the top level must be a mapping of keys (apiVersion, kind, ...), not a list or a single value',
    hint: (_args, how) =>
      `write the settings as keys and values, from \`apiVersion: mlops/v1\` and \`kind: Config\` on; ${SCHEMA_HINT(how)}`,
  },
  CONFIG_REQUIRED: {
    title: 'Missing config key',
    help: 'A required key of the config file is missing.',
    message: (args) => `${where(args)}: missing required key "${String(args.missing)}"`,
    hint: (args, how) =>
      args.example !== undefined
        ? `add \`${String(args.missing)}: ${String(args.example)}\``
        : `add ${String(args.missing)}; ${SCHEMA_HINT(how)}`,
  },
  CONFIG_UNKNOWN_KEY: {
    title: 'Unknown config key',
    help: 'The config file has a key its schema does not know.',
    message: (args) => `${where(args)}: unknown key "${String(args.unknown)}"${didYouMean(args)}`,
    hint: (args) => `allowed here: ${list(args.allowed)}; prefix a team's own keys with "x-"`,
  },
  CONFIG_ENUM: {
    title: 'Config value not allowed',
    help: 'A config setting has a value outside the ones its schema allows.',
    message: (args) =>
      `${where(args)}: ${shown(args.value)} is not one of ${list(args.allowed)}${didYouMean(args)}`,
  },
  CONFIG_TYPE: {
    title: 'Config value of the wrong type',
    help: 'A config setting has a value of another type than its schema says.',
    message: (args) =>
      `${where(args)}: expected ${String(args.expected)}, found ${String(args.actual)}`,
    hint: (args, how) =>
      `write ${TYPE_WORDS[String(args.expected)] ?? String(args.expected)} here; ${SCHEMA_HINT(how)}`,
  },
  CONFIG_IGNORE_PATTERN: {
    title: 'Ignore pattern outside its folder',
    help: "An `ignore` entry is a path or glob relative to the config file's folder.",
    message: (args) =>
      `${where(args)}: "${String(args.value)}" is not relative to this file's folder (no leading "/", no "." or ".." folders)`,
    hint: () =>
      "write the path from this file's folder, such as `legacy/**`; a farther folder takes its own mlops.config.yaml",
  },
  CONFIG_INVALID: {
    title: 'Invalid config value',
    help: 'A config setting breaks a rule of its schema.',
    message: (args) => `${where(args)}: not a valid value (${String(args.keyword)})`,
    hint: (_args, how) => SCHEMA_HINT(how),
  },
} satisfies Record<ConfigCode, MessageSpec>;
