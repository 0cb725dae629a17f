import type { ErrorObject } from 'ajv';
import type { ManifestCode } from '../codes/index.js';
import { finding } from '../findings.js';
import type { ArgValue, Args, Finding, Fix, PathSegment } from '../findings.js';
import { SUPPORTED_API_VERSIONS } from '../manifest.js';
import { suggest } from '../suggest.js';

/** A finding of the data, before it has a file and a position; `target` says what to point at. */
export type Problem = Finding & { code: ManifestCode; target: 'key' | 'value' };

/** A compiled schema validator (ajv, or its standalone build), created with `verbose: true`. */
export interface SchemaValidator {
  (data: unknown): boolean;
  errors?: ErrorObject[] | null;
}

export function problem(
  code: ManifestCode,
  path: PathSegment[],
  args: Args,
  target: 'key' | 'value' = 'value',
  fix?: Fix,
): Problem {
  return { ...finding(code, path, args), code, target, ...(fix ? { fix } : {}) };
}

/**
 * A value as finding args carry it: `value` (finite numbers, text, booleans and null as they
 * are; other numbers and collections as text) and `kind`, so that the words can describe it
 * and the args survive JSON (the result cache) unchanged.
 */
export function valueArgs(value: unknown): { value: ArgValue; kind: string } {
  if (value === null || value === undefined) return { value: null, kind: 'null' };
  if (Array.isArray(value)) return { value: JSON.stringify(value), kind: 'list' };
  switch (typeof value) {
    case 'string':
      return { value, kind: 'string' };
    case 'number':
      return { value: Number.isFinite(value) ? value : String(value), kind: 'number' };
    case 'boolean':
      return { value, kind: 'boolean' };
    case 'object':
      return { value: JSON.stringify(value), kind: 'mapping' };
    default:
      return { value: String(value), kind: typeof value };
  }
}

const ID_PATTERN = '^[a-z0-9][a-z0-9_-]*$';

/** What a pattern check is about, for the words (src/report/messages/manifest.ts). */
function patternSubject(path: PathSegment[], pattern: string): string | undefined {
  const key = String(path[path.length - 1] ?? '');
  if (path[0] === 'metadata' && key === 'name') return 'modelName';
  if (key === 'version' || key === 'sha256' || key === 'pointer' || key === 'digest') return key;
  if (pattern === ID_PATTERN) return 'id';
  return undefined;
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

/** Turns ajv's errors into one finding per real problem. */
export function schemaFindings(errors: readonly ErrorObject[], data: unknown): Problem[] {
  // anyOf branches explain why each alternative failed; keep only what the user meant.
  const drop = new Set<ErrorObject>();
  const findings: Problem[] = [];
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
      findings.push(problem('GUARDRAIL_NO_BOUND', path, { at: path }));
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
      findings.push(
        problem('SCHEMA_TYPE', path, { at: path, expected: 'evidence', ...valueArgs(value) }),
      );
    }
  }
  for (const e of errors) {
    if (drop.has(e)) continue;
    findings.push(translateOne(e, data));
  }
  return dedupe(findings);
}

function dedupe(findings: Problem[]): Problem[] {
  const seen = new Set<string>();
  return findings.filter((f) => {
    const key = `${f.code}\0${JSON.stringify(f.path)}\0${JSON.stringify(f.args)}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

function translateOne(e: ErrorObject, data: unknown): Problem {
  const path = pathOf(e.instancePath);
  const value = valueAt(data, path);
  const params = e.params as Record<string, unknown>;
  const at = { at: path };
  switch (e.keyword) {
    case 'required': {
      const key = String(params.missingProperty);
      const fixValue =
        key === 'apiVersion' ? SUPPORTED_API_VERSIONS[0] : key === 'kind' ? 'ModelManifest' : null;
      return problem(
        'SCHEMA_REQUIRED',
        path,
        { ...at, key },
        'key',
        fixValue === null
          ? undefined
          : { kind: 'edit', op: 'add', path: [...path, key], value: fixValue },
      );
    }
    case 'additionalProperties': {
      const key = String(params.additionalProperty);
      const allowed = Object.keys(
        (e.parentSchema as { properties?: object } | undefined)?.properties ?? {},
      );
      const suggestion = suggest(key, allowed);
      return problem(
        'SCHEMA_UNKNOWN_KEY',
        [...path, key],
        { ...at, key, allowed, ...(suggestion !== undefined ? { suggestion } : {}) },
        'key',
      );
    }
    case 'enum': {
      const allowed = ((params.allowedValues as unknown[]) ?? []).map((v) =>
        typeof v === 'number' ? v : String(v),
      );
      const suggestion =
        typeof value === 'string' ? suggest(value, allowed.map(String)) : undefined;
      return problem(
        'SCHEMA_ENUM',
        path,
        { ...at, ...valueArgs(value), allowed, ...(suggestion ? { suggestion } : {}) },
        'value',
        suggestion !== undefined ? { kind: 'edit', op: 'set', path, value: suggestion } : undefined,
      );
    }
    case 'const': {
      const allowed = String(params.allowedValue);
      if (path.length === 1 && path[0] === 'apiVersion') {
        return problem(
          'UNSUPPORTED_API_VERSION',
          path,
          { ...valueArgs(value), supported: [...SUPPORTED_API_VERSIONS] },
          'value',
          { kind: 'edit', op: 'set', path, value: SUPPORTED_API_VERSIONS[0] },
        );
      }
      return problem('SCHEMA_CONST', path, { ...at, ...valueArgs(value), allowed }, 'value', {
        kind: 'edit',
        op: 'set',
        path,
        value: allowed,
      });
    }
    case 'type':
      return problem('SCHEMA_TYPE', path, {
        ...at,
        expected: String(params.type),
        ...valueArgs(value),
      });
    case 'pattern': {
      const pattern = String(params.pattern);
      const subject = patternSubject(path, pattern);
      return problem('SCHEMA_PATTERN', path, {
        ...at,
        ...valueArgs(value),
        pattern,
        ...(subject ? { subject } : {}),
      });
    }
    case 'format':
      return problem('SCHEMA_FORMAT', path, {
        ...at,
        ...valueArgs(value),
        format: String(params.format),
      });
    case 'minimum':
    case 'maximum':
      return problem('SCHEMA_RANGE', path, {
        ...at,
        ...valueArgs(value),
        bound: e.keyword,
        limit: Number(params.limit),
      });
    case 'minLength':
      return problem('SCHEMA_EMPTY', path, at);
    case 'uniqueItems':
      return problem('SCHEMA_DUPLICATE_ITEM', path, {
        ...at,
        first: Number(params.j),
        second: Number(params.i),
      });
    default:
      return problem('SCHEMA_INVALID', path, {
        ...at,
        ...(e.message ? { detail: e.message } : {}),
      });
  }
}
