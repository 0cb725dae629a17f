import type { ErrorObject } from 'ajv';
import { formatPath } from './diagnostics.js';
import type { PathSegment, Severity } from './diagnostics.js';
import type { Target } from './load.js';
import { SUPPORTED_API_VERSIONS } from './manifest.js';
import { didYouMean } from './suggest.js';

/** A finding before it has a file and a position. */
export interface RawFinding {
  code: string;
  severity: Severity;
  message: string;
  path: PathSegment[];
  target: Target;
  hint?: string;
}

/** A compiled schema validator (ajv, or its standalone build), created with `verbose: true`. */
export interface SchemaValidator {
  (data: unknown): boolean;
  errors?: ErrorObject[] | null;
}

const ID_PATTERN = '^[a-z0-9][a-z0-9_-]*$';

function patternPhrase(path: PathSegment[], pattern: string): [string, string | undefined] {
  const key = String(path[path.length - 1] ?? '');
  if (path[0] === 'metadata' && key === 'name') {
    return [
      'is not a valid model name',
      'use 2-63 lowercase letters, digits and "-", starting with a letter or digit, e.g. customer-churn',
    ];
  }
  if (key === 'version')
    return [
      'is not a semantic version',
      'write MAJOR.MINOR.PATCH, e.g. 1.0.0 (quote it if YAML reads it as a number)',
    ];
  if (key === 'sha256')
    return [
      'is not a sha256 checksum',
      'write the 64 lowercase hex characters of `sha256sum <file>`',
    ];
  if (key === 'pointer') return ['is not a JSON Pointer', 'start it with "/", e.g. /metrics/auc'];
  if (key === 'digest') return ['is not a digest', 'let `mlops approve` write it'];
  if (pattern === ID_PATTERN) {
    return [
      'is not a valid id',
      'use lowercase letters, digits, "-" and "_", starting with a letter or digit',
    ];
  }
  return [`does not match the pattern ${pattern}`, undefined];
}

function describe(value: unknown): string {
  if (value === null) return 'null (an empty value)';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  if (typeof value === 'string') return `the text ${show(value)}`;
  return `${typeof value === 'number' ? 'the number' : typeof value} ${String(value)}`;
}

const TYPE_WORDS: Record<string, string> = {
  object: 'a mapping of keys',
  array: 'a list',
  string: 'text',
  number: 'a number',
  integer: 'a whole number',
  boolean: 'true or false',
  null: 'an empty value',
};

export function show(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 60 ? `${text.slice(0, 57)}..."` : text;
}

function pathOf(instancePath: string): PathSegment[] {
  if (instancePath === '') return [];
  return instancePath
    .slice(1)
    .split('/')
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'))
    .map((s) => (/^(0|[1-9]\d*)$/.test(s) ? Number(s) : s));
}

function valueAt(data: unknown, path: PathSegment[]): unknown {
  let v: unknown = data;
  for (const seg of path) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<string, unknown>)[seg as string];
  }
  return v;
}

const isGuardrailPath = (path: PathSegment[]): boolean =>
  path.length === 5 &&
  path[0] === 'envision' &&
  path[1] === 'trustworthyAI' &&
  path[3] === 'guardrails';

/** Turns ajv's errors into one plain-words finding per real problem. */
export function translateSchemaErrors(errors: readonly ErrorObject[], data: unknown): RawFinding[] {
  // anyOf branches explain why each alternative failed; keep only what the user meant.
  const drop = new Set<ErrorObject>();
  const findings: RawFinding[] = [];
  for (const e of errors) {
    if (e.keyword !== 'anyOf') continue;
    drop.add(e);
    const branchPrefix = `${e.schemaPath}/`;
    const branches = errors.filter(
      (b) =>
        b !== e &&
        b.schemaPath.startsWith(branchPrefix) &&
        b.instancePath.startsWith(e.instancePath),
    );
    const path = pathOf(e.instancePath);
    const value = valueAt(data, path);
    if (isGuardrailPath(path)) {
      branches.forEach((b) => drop.add(b));
      findings.push({
        code: 'GUARDRAIL_NO_BOUND',
        severity: 'error',
        message: `${formatPath(path)}: a guardrail needs a bound: add min and/or max`,
        path,
        target: 'value',
        hint: 'e.g. `min: 0.8` for a disparate-impact ratio, `max: 0.25` for PSI',
      });
      continue;
    }
    // Evidence: a path string, or {path, pointer?, sha256?}. Report the branch the user wrote.
    const keepBranch =
      typeof value === 'string'
        ? '0'
        : value && typeof value === 'object' && !Array.isArray(value)
          ? '1'
          : undefined;
    for (const b of branches)
      if (keepBranch === undefined || !b.schemaPath.startsWith(`${branchPrefix}${keepBranch}/`))
        drop.add(b);
    if (keepBranch === undefined) {
      findings.push({
        code: 'SCHEMA_TYPE',
        severity: 'error',
        message: `${formatPath(path)}: expected a file path or a mapping {path, pointer, sha256}, got ${describe(value)}`,
        path,
        target: 'value',
      });
    }
  }
  for (const e of errors) {
    if (drop.has(e)) continue;
    findings.push(translateOne(e, data));
  }
  return dedupe(findings);
}

function dedupe(findings: RawFinding[]): RawFinding[] {
  const seen = new Set<string>();
  return findings.filter((f) => {
    const key = `${f.code}\0${f.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

function translateOne(e: ErrorObject, data: unknown): RawFinding {
  const path = pathOf(e.instancePath);
  const where = formatPath(path);
  const value = valueAt(data, path);
  const params = e.params as Record<string, unknown>;
  const base = { severity: 'error' as const, path, target: 'value' as Target };
  switch (e.keyword) {
    case 'required': {
      const key = String(params.missingProperty);
      return {
        ...base,
        code: 'SCHEMA_REQUIRED',
        message: `${where}: missing required key "${key}"`,
        target: 'key',
        ...(key === 'apiVersion'
          ? { hint: 'add `apiVersion: mlops/v1`' }
          : key === 'kind'
            ? { hint: 'add `kind: ModelManifest`' }
            : {}),
      };
    }
    case 'additionalProperties': {
      const key = String(params.additionalProperty);
      const allowed = Object.keys(
        (e.parentSchema as { properties?: object } | undefined)?.properties ?? {},
      );
      return {
        ...base,
        code: 'SCHEMA_UNKNOWN_KEY',
        message: `${where}: unknown key "${key}"${didYouMean(key, allowed)}`,
        path: [...path, key],
        target: 'key',
        hint: allowed.length
          ? `allowed here: ${allowed.join(', ')}; prefix a team's own keys with "x-"`
          : undefined,
      };
    }
    case 'enum': {
      const allowed = (params.allowedValues as unknown[]) ?? [];
      return {
        ...base,
        code: 'SCHEMA_ENUM',
        message: `${where}: ${show(value)} is not one of ${allowed.join(', ')}${typeof value === 'string' ? didYouMean(value, allowed.map(String)) : ''}`,
      };
    }
    case 'const': {
      const allowed = String(params.allowedValue);
      if (path.length === 1 && path[0] === 'apiVersion') {
        return {
          ...base,
          code: 'UNSUPPORTED_API_VERSION',
          message: `apiVersion: ${show(value)} is not supported; supported versions: ${SUPPORTED_API_VERSIONS.join(', ')}`,
          hint: `write \`apiVersion: ${SUPPORTED_API_VERSIONS[0]}\``,
        };
      }
      return {
        ...base,
        code: 'SCHEMA_CONST',
        message: `${where}: ${show(value)} must be ${show(allowed)}`,
      };
    }
    case 'type': {
      const expected = String(params.type);
      const quote =
        expected === 'string' && (typeof value === 'number' || typeof value === 'boolean');
      return {
        ...base,
        code: 'SCHEMA_TYPE',
        message: `${where}: expected ${TYPE_WORDS[expected] ?? expected}, got ${describe(value)}`,
        hint: quote
          ? path[path.length - 1] === 'version'
            ? 'write a quoted semantic version, e.g. "1.0.0"'
            : 'quote the value so YAML reads it as text'
          : undefined,
      };
    }
    case 'pattern': {
      const [phrase, hint] = patternPhrase(path, String(params.pattern));
      return {
        ...base,
        code: 'SCHEMA_PATTERN',
        message: `${where}: ${show(value)} ${phrase}`,
        hint,
      };
    }
    case 'format': {
      const format = String(params.format);
      const words =
        format === 'date'
          ? 'is not a valid date (YYYY-MM-DD)'
          : format === 'email'
            ? 'is not a valid email address'
            : `is not a valid ${format}`;
      return { ...base, code: 'SCHEMA_FORMAT', message: `${where}: ${show(value)} ${words}` };
    }
    case 'minimum':
    case 'maximum': {
      const limit = String(params.limit);
      const words =
        e.keyword === 'minimum' ? `is below the minimum ${limit}` : `is above the maximum ${limit}`;
      return { ...base, code: 'SCHEMA_RANGE', message: `${where}: ${show(value)} ${words}` };
    }
    case 'minLength':
      return { ...base, code: 'SCHEMA_EMPTY', message: `${where}: must not be empty` };
    case 'uniqueItems':
      return {
        ...base,
        code: 'SCHEMA_DUPLICATE_ITEM',
        message: `${where}: lists the same value twice (items ${String(params.j)} and ${String(params.i)})`,
      };
    default:
      return { ...base, code: 'SCHEMA_INVALID', message: `${where}: ${e.message ?? 'is invalid'}` };
  }
}
