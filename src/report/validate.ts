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
import { MESSAGES, describeFinding } from './messages/index.js';
import { renderSarifLog, sarifLevel } from './sarif.js';

export const VALIDATE_FORMATS = ['stylish', 'json', 'github', 'sarif'] as const;
export type ValidateFormat = (typeof VALIDATE_FORMATS)[number];

/** What `mlops validate` found, over every file it read. */
export interface ValidateResult {
  /** Files validated, as given to the reporters (relative to the working directory). */
  files: string[];
  /** Every finding, located, grouped by file in the order of `files`. */
  diagnostics: Finding[];
}

const where = (f: Finding): string => `${f.file ?? ''}:${f.line ?? 1}:${f.column ?? 1}`;

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
    const { message, hint } = describeText(f);
    lines.push(`${color.bold(escapeLine(where(f)))}  ${sev}  ${color.dim(f.code)}  ${message}`);
    if (hint) lines.push(`    ${color.dim(`hint: ${hint}`)}`);
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
    lines.push(color.green(`✔ ${total} valid${notes}`));
  } else {
    const counts = [
      errors ? plural(errors, 'error') : '',
      warnings ? plural(warnings, 'warning') : '',
    ]
      .filter(Boolean)
      .join(', ');
    const line = `${errors || ctx.config?.decisive.length ? '✖' : '⚠'} ${counts} in ${badFiles} of ${total}${notes}`;
    lines.push(errors ? color.red(line) : color.yellow(line));
  }
  return `${lines.join('\n')}\n`;
};

/**
 * The JSON envelope (schemaVersion 1). Each diagnostic keeps the fields scripts read (code,
 * severity, message, hint, file, path, line, column) and adds, as data, the args its words
 * were made from, its fingerprint and its fix when it has one.
 */
const json: Reporter<ValidateResult> = (result, ctx) => {
  const { errors, warnings } = countFindings(result.diagnostics);
  return `${jsonText({
    schemaVersion: 1,
    command: 'validate',
    ok: errors === 0,
    summary: { files: result.files.length, errors, warnings },
    files: result.files,
    ...configJson(ctx.config),
    diagnostics: result.diagnostics.map((f) => {
      const { message, hint } = describeFinding(f);
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
  })}\n`;
};

const github: Reporter<ValidateResult> = (result, ctx) => {
  const out = result.diagnostics.map((f) => {
    const kind = f.severity === 'error' ? 'error' : f.severity === 'warning' ? 'warning' : 'notice';
    const { message, hint } = describeFinding(f);
    const props = `file=${escapeGithubProperty(f.file ?? '')},line=${f.line ?? 1},col=${f.column ?? 1},title=${escapeGithubProperty(f.code)}`;
    return `::${kind} ${props}::${escapeGithubData(hint ? `${message} (${hint})` : message)}`;
  });
  // a job that fails on warnings, or skips manifests, says which config file made it so
  const notes = configNotes(ctx);
  if (notes) out.push(`::notice title=mlops.config.yaml::${escapeGithubData(notes)}`);
  return out.length ? `${out.join('\n')}\n` : '';
};

/** SARIF 2.1.0: the codes that occur as rules, each finding a result with its fingerprint. */
const sarif: Reporter<ValidateResult> = (result, ctx) => {
  const codes = [...new Set(result.diagnostics.map((f) => f.code))].sort();
  return renderSarifLog({
    toolVersion: ctx.toolVersion,
    automationId: 'mlops/validate/',
    rules: codes.map((code) => ({
      id: code,
      title: MESSAGES[code].title,
      help: MESSAGES[code].help,
    })),
    results: result.diagnostics.map((f) => {
      const { message, hint } = describeFinding(f);
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

export const validateReporters = { stylish, json, github, sarif } satisfies Record<
  ValidateFormat,
  Reporter<ValidateResult>
>;
