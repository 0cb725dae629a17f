import { VALIDATE_CODES } from '../core/codes.js';
import { countDiagnostics, plural } from '../core/diagnostics.js';
import type { Diagnostic } from '../core/diagnostics.js';
import type { ValidateResult } from '../core/validate.js';
import { escapeGithubData, escapeGithubProperty } from './context.js';
import type { ReportContext, Reporter } from './context.js';
import { renderSarif } from './sarif.js';

export const VALIDATE_FORMATS = ['stylish', 'json', 'github', 'sarif'] as const;
export type ValidateFormat = (typeof VALIDATE_FORMATS)[number];

/** Lines of `file:line:col  severity  CODE  message`, grouped by file, then a summary line. */
function renderDiagnosticLines(diagnostics: readonly Diagnostic[], ctx: ReportContext): string[] {
  const { color } = ctx;
  const lines: string[] = [];
  let lastFile: string | undefined;
  for (const d of diagnostics) {
    if (lastFile !== undefined && d.file !== lastFile) lines.push('');
    lastFile = d.file;
    const sev =
      d.severity === 'error'
        ? color.red('error  ')
        : d.severity === 'warning'
          ? color.yellow('warning')
          : color.blue('info   ');
    lines.push(
      `${color.bold(`${d.file}:${d.line}:${d.column}`)}  ${sev}  ${color.dim(d.code)}  ${d.message}`,
    );
    if (d.hint) lines.push(`    ${color.dim(`hint: ${d.hint}`)}`);
  }
  return lines;
}

const stylish: Reporter<ValidateResult> = (result, ctx) => {
  const { color } = ctx;
  const { errors, warnings } = countDiagnostics(result.diagnostics);
  const lines = renderDiagnosticLines(result.diagnostics, ctx);
  const badFiles = new Set(result.diagnostics.map((d) => d.file)).size;
  const total = plural(result.files.length, 'manifest');
  if (lines.length > 0) lines.push('');
  if (errors + warnings === 0) {
    lines.push(color.green(`✔ ${total} valid`));
  } else {
    const counts = [
      errors ? plural(errors, 'error') : '',
      warnings ? plural(warnings, 'warning') : '',
    ]
      .filter(Boolean)
      .join(', ');
    const line = `${errors ? '✖' : '⚠'} ${counts} in ${badFiles} of ${total}`;
    lines.push(errors ? color.red(line) : color.yellow(line));
  }
  return `${lines.join('\n')}\n`;
};

const json: Reporter<ValidateResult> = (result) => {
  const { errors, warnings } = countDiagnostics(result.diagnostics);
  return `${JSON.stringify(
    {
      schemaVersion: 1,
      command: 'validate',
      ok: errors === 0,
      summary: { files: result.files.length, errors, warnings },
      files: result.files,
      diagnostics: result.diagnostics,
    },
    null,
    2,
  )}\n`;
};

const github: Reporter<ValidateResult> = (result) => {
  const out = result.diagnostics.map((d) => {
    const kind = d.severity === 'error' ? 'error' : d.severity === 'warning' ? 'warning' : 'notice';
    const props = `file=${escapeGithubProperty(d.file)},line=${d.line},col=${d.column},title=${escapeGithubProperty(d.code)}`;
    return `::${kind} ${props}::${escapeGithubData(d.hint ? `${d.message} (${d.hint})` : d.message)}`;
  });
  return out.length ? `${out.join('\n')}\n` : '';
};

const sarif: Reporter<ValidateResult> = (result, ctx) =>
  renderSarif(result.diagnostics, VALIDATE_CODES, ctx.toolVersion);

export const validateReporters = { stylish, json, github, sarif } satisfies Record<
  ValidateFormat,
  Reporter<ValidateResult>
>;
