import type { ErrorObject } from 'ajv';
import type { ManifestCode } from '../codes/index.js';
import { finding } from '../findings.js';
import type { ArgValue, Args, Finding, Fix, PathSegment } from '../findings.js';
import { SUPPORTED_API_VERSIONS } from '../manifest.js';
import { suggest } from '../suggest.js';

/**
 * A finding of the data, before it has a file and a position; `target` says what to point at.
 * `complete`, when there is one, gives the args and fix with what is costly to work out (a
 * suggestion): the reader asks it only for the findings it lists (see `MAX_FINDINGS`).
 */
export type Problem = Finding & {
  code: ManifestCode;
  target: 'key' | 'value';
  complete?: () => { args: Args; fix?: Fix };
};

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
 * `p` with a `suggestion` arg, the closest of `candidates` to `input` if one is close enough,
 * added when the finding is listed; with `fixAt`, the fix sets that path to it. A suggestion
 * among 10,000 ids for each of 10,000 findings would take minutes; for the findings listed, it
 * takes a moment.
 */
export function suggestLater(
  p: Problem,
  input: string,
  candidates: readonly string[],
  fixAt?: PathSegment[],
): Problem {
  const complete = (): { args: Args; fix?: Fix } => {
    const suggestion = suggest(input, candidates);
    if (suggestion === undefined) return { args: p.args };
    return {
      args: { ...p.args, suggestion },
      ...(fixAt ? { fix: { kind: 'edit', op: 'set', path: fixAt, value: suggestion } } : {}),
    };
  };
  return { ...p, complete };
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
  const branchesOf = branchFinder(errors);
  for (const e of errors) {
    if (e.keyword === 'oneOf') {
      // an approval signs a phase or a reassessment: one finding that says so, not ajv's three
      const path = pathOf(e.instancePath);
      const value = valueAt(data, path);
      if (path.length === 2 && path[0] === 'approvals' && value && typeof value === 'object') {
        drop.add(e);
        branchesOf(e).forEach((b) => drop.add(b));
        const both = 'phase' in value && 'reassessment' in value;
        findings.push(
          problem('APPROVAL_SUBJECT', path, { at: path, given: both ? 'both' : 'neither' }),
        );
      }
      continue;
    }
    if (e.keyword !== 'anyOf') continue;
    drop.add(e);
    const branchPrefix = `${e.schemaPath}/`;
    const branches = branchesOf(e);
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

/**
 * The errors of an anyOf's branches: those whose schema path lies under the anyOf's and whose
 * instance path starts with its instance path. Found through the errors grouped by schema path
 * (as many groups as the schema has places) and sorted by instance path, where the paths that
 * start with one text are neighbours: one binary search each, not a pass over every error for
 * each of thousands of failed anyOfs.
 */
function branchFinder(errors: readonly ErrorObject[]): (e: ErrorObject) => ErrorObject[] {
  let groups: Map<string, ErrorObject[]> | undefined;
  const under = new Map<string, ErrorObject[][]>();
  return (e) => {
    if (groups === undefined) {
      groups = new Map();
      for (const b of errors) {
        const group = groups.get(b.schemaPath);
        if (group) group.push(b);
        else groups.set(b.schemaPath, [b]);
      }
      for (const group of groups.values())
        group.sort((a, b) =>
          a.instancePath < b.instancePath ? -1 : a.instancePath > b.instancePath ? 1 : 0,
        );
    }
    const prefix = `${e.schemaPath}/`;
    let lists = under.get(prefix);
    if (lists === undefined) {
      lists = [...groups].filter(([path]) => path.startsWith(prefix)).map(([, group]) => group);
      under.set(prefix, lists);
    }
    const out: ErrorObject[] = [];
    for (const group of lists) {
      let low = 0;
      let high = group.length;
      while (low < high) {
        const mid = (low + high) >> 1;
        if (group[mid]!.instancePath < e.instancePath) low = mid + 1;
        else high = mid;
      }
      for (let i = low; i < group.length; i++) {
        const b = group[i]!;
        if (!b.instancePath.startsWith(e.instancePath)) break;
        if (b !== e) out.push(b);
      }
    }
    return out;
  };
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

/** The keys a schema object names, one list per schema object for all its findings. */
const allowedByParent = new WeakMap<object, string[]>();
function allowedKeys(parentSchema: unknown): string[] {
  const properties = (parentSchema as { properties?: object } | undefined)?.properties;
  if (properties === undefined || properties === null) return [];
  let allowed = allowedByParent.get(properties);
  if (allowed === undefined) allowedByParent.set(properties, (allowed = Object.keys(properties)));
  return allowed;
}

/** `waivers[i].rule`. */
const isWaiverRulePath = (path: PathSegment[]): boolean =>
  path.length === 3 && path[0] === 'waivers' && typeof path[1] === 'number' && path[2] === 'rule';

/**
 * A waiver of a rule no waiver may name (the schema lists those it may): WAIVER_NOT_WAIVABLE.
 * A rule id (a letter and digits) is named as meant: no other rule is suggested for it.
 */
function waiverRuleProblem(path: PathSegment[], value: unknown, allowed: string[]): Problem {
  const suggestion =
    typeof value === 'string' && !/^[A-Z]\d+$/.test(value) ? suggest(value, allowed) : undefined;
  return problem(
    'WAIVER_NOT_WAIVABLE',
    path,
    { at: path, ...valueArgs(value), allowed, ...(suggestion ? { suggestion } : {}) },
    'value',
    suggestion !== undefined ? { kind: 'edit', op: 'set', path, value: suggestion } : undefined,
  );
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
      const allowed = allowedKeys(e.parentSchema);
      return suggestLater(
        problem('SCHEMA_UNKNOWN_KEY', [...path, key], { ...at, key, allowed }, 'key'),
        key,
        allowed,
      );
    }
    case 'enum': {
      const allowed = ((params.allowedValues as unknown[]) ?? []).map((v) =>
        typeof v === 'number' ? v : String(v),
      );
      if (isWaiverRulePath(path)) return waiverRuleProblem(path, value, allowed.map(String));
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
