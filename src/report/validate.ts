import { plural } from './words.js';
import { countFindings } from '../core/findings.js';
import type { Finding } from '../core/findings.js';
import {
  configJson,
  describeIgnored,
  describeSettings,
  escapeGithubData,
  escapeGithubProperty,
} from './context.js';
import type { ReportContext, Reporter } from './context.js';
import { describeText } from './describe.js';
import { escapeLine, jsonText } from './escape.js';
import { renderCodeQuality } from './codequality.js';
import { classnameOf, renderJUnit } from './junit.js';
import type { JUnitCase, JUnitItem } from './junit.js';
import { describeFinding, messageSpec } from './messages/words.js';
import type { Telling } from './messages/index.js';
import { keepsPaths, relocateConfig, relocateFinding, toRoot } from './paths.js';
import { codeRule, renderSarifLog, sarifLevel } from './sarif.js';
import { wrapLine } from './wrap.js';

/** `stylish` is the text format (ESLint's name for it); `text` names it too. */
export const VALIDATE_FORMATS = [
  'stylish',
  'json',
  'github',
  'sarif',
  'junit',
  'codequality',
] as const;
export type ValidateFormat = (typeof VALIDATE_FORMATS)[number];

/** What `mlops validate` found, over every file it read. */
export interface ValidateResult {
  /** Files validated, relative to the current folder (`ReportContext.cwd`), or `<stdin>`. */
  files: string[];
  /** Every finding, located, grouped by file in the order of `files`. */
  diagnostics: Finding[];
}

const where = (f: Finding): string => `${f.file ?? ''}:${f.line ?? 1}:${f.column ?? 1}`;

/** The result as machine formats show it: every path relative to the repository root. */
function fromRoot(result: ValidateResult, ctx: ReportContext): ValidateResult {
  const at = toRoot(ctx);
  if (keepsPaths(at)) return result;
  return {
    files: result.files.map(at),
    diagnostics: result.diagnostics.map((f) => relocateFinding(f, at)),
  };
}

/** Lines of `file:line:col  severity  CODE  message`, grouped by file, then a summary line. */
function renderFindingLines(findings: readonly Finding[], ctx: ReportContext): string[] {
  const { color } = ctx;
  const lines: string[] = [];
  let lastFile: string | undefined;
  for (const f of findings) {
    if (lastFile !== undefined && f.file !== lastFile) lines.push('');
    lastFile = f.file;
    const sev =
      f.severity === 'error'
        ? color.red('error  ')
        : f.severity === 'warning'
          ? color.yellow('warning')
          : color.blue('info   ');
    const { message, hint } = describeText(f, { invokedAs: ctx.invokedAs });
    // on a terminal, a long finding goes on under the hint's indent, its hint under its words
    lines.push(
      wrapLine(
        `${color.bold(escapeLine(where(f)))}  ${sev}  ${color.dim(f.code)}  ${message}`,
        ctx.width,
        4,
      ),
    );
    if (hint) lines.push(wrapLine(`    ${color.dim(`hint: ${hint}`)}`, ctx.width, 10));
  }
  return lines;
}

/** `warnings fail: strict from examples/mlops.config.yaml; 2 ignored by mlops.config.yaml` */
function configNotes(ctx: ReportContext): string | undefined {
  const notes = [
    ctx.config?.decisive.length ? `warnings fail: ${describeSettings(ctx.config.decisive)}` : '',
    ctx.config ? (describeIgnored(ctx.config.ignored) ?? '') : '',
  ].filter(Boolean);
  return notes.length ? notes.join('; ') : undefined;
}

const stylish: Reporter<ValidateResult> = (result, ctx) => {
  const { color } = ctx;
  const { errors, warnings } = countFindings(result.diagnostics);
  const lines = renderFindingLines(result.diagnostics, ctx);
  const badFiles = new Set(result.diagnostics.map((d) => d.file)).size;
  const total = plural(result.files.length, 'manifest');
  if (lines.length > 0) lines.push('');
  const note = configNotes(ctx);
  const notes = note ? ` (${escapeLine(note)})` : '';
  if (errors + warnings === 0) {
    lines.push(wrapLine(color.green(`✔ ${total} valid${notes}`), ctx.width, 2));
  } else {
    const counts = [
      errors ? plural(errors, 'error') : '',
      warnings ? plural(warnings, 'warning') : '',
    ]
      .filter(Boolean)
      .join(', ');
    const line = `${errors || ctx.config?.decisive.length ? '✖' : '⚠'} ${counts} in ${badFiles} of ${total}${notes}`;
    lines.push(wrapLine(errors ? color.red(line) : color.yellow(line), ctx.width, 2));
  }
  return `${lines.join('\n')}\n`;
};

/**
 * The JSON envelope (schemaVersion 1). Each diagnostic keeps the fields scripts read (code,
 * severity, message, hint, file, path, line, column) and adds, as data, the args its words
 * were made from, its fingerprint and its fix when it has one.
 */
const json: Reporter<ValidateResult> = (shown, ctx) => `${jsonText(validateJson(shown, ctx))}\n`;

/** The object the JSON format prints, which the programmatic API (src/api.ts) returns. */
export function validateJson(shown: ValidateResult, ctx: ReportContext) {
  const result = fromRoot(shown, ctx);
  const { errors, warnings } = countFindings(result.diagnostics);
  return {
    schemaVersion: 1,
    command: 'validate',
    ok: errors === 0,
    summary: { files: result.files.length, errors, warnings },
    files: result.files,
    ...configJson(relocateConfig(ctx.config, toRoot(ctx))),
    diagnostics: result.diagnostics.map((f) => {
      const { message, hint } = describeFinding(f, { invokedAs: ctx.invokedAs });
      return {
        code: f.code,
        severity: f.severity,
        message,
        ...(hint ? { hint } : {}),
        file: f.file,
        path: f.path,
        line: f.line,
        column: f.column,
        args: f.args,
        ...(f.fingerprint ? { fingerprint: f.fingerprint } : {}),
        ...(f.fix ? { fix: f.fix } : {}),
      };
    }),
  };
}

const github: Reporter<ValidateResult> = (shown, ctx) => {
  const result = fromRoot(shown, ctx);
  const out = result.diagnostics.map((f) => {
    const kind = f.severity === 'error' ? 'error' : f.severity === 'warning' ? 'warning' : 'notice';
    const { message, hint } = describeFinding(f, { invokedAs: ctx.invokedAs });
    const props = `file=${escapeGithubProperty(f.file ?? '')},line=${f.line ?? 1},col=${f.column ?? 1},title=${escapeGithubProperty(f.code)}`;
    return `::${kind} ${props}::${escapeGithubData(hint ? `${message} (${hint})` : message)}`;
  });
  // a job that fails on warnings, or skips manifests, says which config file made it so
  const notes = configNotes({ ...ctx, config: relocateConfig(ctx.config, toRoot(ctx)) });
  if (notes) out.push(`::notice title=mlops.config.yaml::${escapeGithubData(notes)}`);
  return out.length ? `${out.join('\n')}\n` : '';
};

/** SARIF 2.1.0: the codes that occur as rules, each finding a result with its fingerprint. */
const sarif: Reporter<ValidateResult> = (shown, ctx) => {
  const result = fromRoot(shown, ctx);
  const codes = [...new Set(result.diagnostics.map((f) => f.code))].sort();
  return renderSarifLog({
    toolVersion: ctx.toolVersion,
    automationId: 'mlops/validate/',
    rules: codes.map(codeRule),
    results: result.diagnostics.map((f) => {
      const { message, hint } = describeFinding(f, { invokedAs: ctx.invokedAs });
      return {
        ruleId: f.code,
        level: sarifLevel(f.severity),
        message: hint ? `${message}. ${hint}` : message,
        file: f.file ?? '',
        ...(f.line !== undefined ? { line: f.line } : {}),
        ...(f.column !== undefined ? { column: f.column } : {}),
        ...(f.fingerprint ? { fingerprint: f.fingerprint } : {}),
      };
    }),
  });
};

/** A finding as a JUnit report lists it. */
export function junitItem(f: Finding, how: Telling = {}): JUnitItem {
  const { message, hint } = describeFinding(f, how);
  return {
    severity: f.severity,
    message,
    ...(hint ? { hint } : {}),
    file: f.file ?? '',
    ...(f.line !== undefined ? { line: f.line, column: f.column ?? 1 } : {}),
  };
}

/**
 * The testcases of a manifest's findings: one per code, failing on its errors and warnings;
 * info findings are its output. A manifest without findings has one passing testcase.
 */
export function findingCases(
  file: string,
  findings: readonly Finding[],
  how: Telling = {},
): JUnitCase[] {
  const classname = classnameOf(file);
  const codes = [...new Set(findings.map((f) => f.code))];
  if (codes.length === 0) return [{ name: 'schema and consistency', classname, file }];
  return codes.map((code) => {
    const mine = findings.filter((f) => f.code === code);
    const failing = mine.filter((f) => f.severity !== 'info');
    const notes = mine.filter((f) => f.severity === 'info');
    const first = failing[0] ?? mine[0];
    return {
      name: `${code}: ${messageSpec(code).title}`,
      classname,
      file,
      ...(first?.line !== undefined ? { line: first.line } : {}),
      ...(failing.length
        ? { failure: { type: code, items: failing.map((f) => junitItem(f, how)) } }
        : {}),
      ...(notes.length ? { notes: notes.map((f) => junitItem(f, how)) } : {}),
    };
  });
}

/** JUnit XML: a testsuite per manifest, a testcase per code found in it. */
const junit: Reporter<ValidateResult> = (shown, ctx) => {
  const result = fromRoot(shown, ctx);
  const byFile = new Map<string, Finding[]>(result.files.map((f) => [f, []]));
  for (const f of result.diagnostics) {
    const file = f.file ?? '';
    const list = byFile.get(file);
    if (list) list.push(f);
    else byFile.set(file, [f]);
  }
  return renderJUnit(
    'mlops validate',
    [...byFile].map(([file, findings]) => ({
      name: file,
      cases: findingCases(file, findings, { invokedAs: ctx.invokedAs }),
    })),
  );
};

/** GitLab Code Quality: every finding, with its fingerprint. */
const codequality: Reporter<ValidateResult> = (shown, ctx) =>
  renderCodeQuality(
    fromRoot(shown, ctx).diagnostics.map((f) => {
      const { message, hint } = describeFinding(f, { invokedAs: ctx.invokedAs });
      return {
        checkName: f.code,
        severity: f.severity,
        message,
        ...(hint ? { hint } : {}),
        file: f.file ?? '',
        ...(f.line !== undefined ? { line: f.line } : {}),
        ...(f.fingerprint ? { fingerprint: f.fingerprint } : {}),
        identity: [f.path, f.args],
      };
    }),
  );

export const validateReporters = {
  stylish,
  json,
  github,
  sarif,
  junit,
  codequality,
} satisfies Record<ValidateFormat, Reporter<ValidateResult>>;
