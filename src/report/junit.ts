import type { Severity } from '../core/findings.js';
import { escapeControl, escapeLine } from './escape.js';

/**
 * JUnit XML, as CI systems that read only test reports take it (GitLab, Jenkins, Azure DevOps,
 * CircleCI): `testsuites` > `testsuite` > `testcase`, a testcase failing with one `failure`
 * or `skipped` with one `skipped`. Every count is computed from the cases.
 */

/** One finding in a failing (or noted) testcase. */
export interface JUnitItem {
  severity: Severity;
  message: string;
  hint?: string;
  /** Relative to the repository root. */
  file: string;
  line?: number;
  column?: number;
}

export interface JUnitCase {
  name: string;
  classname: string;
  /** The file the case is about, relative to the repository root. */
  file?: string;
  line?: number;
  /** Fails the case: the findings that do. */
  failure?: { type: string; items: readonly JUnitItem[] };
  /** Leaves the case out, saying why. */
  skipped?: string;
  /** Findings that do not fail the case (info), shown as its output. */
  notes?: readonly JUnitItem[];
}

export interface JUnitSuite {
  name: string;
  cases: readonly JUnitCase[];
}

/**
 * Text as XML 1.0 allows it: the control characters other than tab, line feed and carriage
 * return are not allowed even as references, so they are shown as `\x1b` (as terminals get
 * them); DEL and C1 controls too; a lone surrogate, U+FFFE and U+FFFF become U+FFFD.
 */
function xmlChars(s: string): string {
  return escapeControl(s).replace(
    /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]|[\uFFFE\uFFFF]/g,
    '\uFFFD',
  );
}

const ENTITIES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&apos;',
  '\n': '&#10;',
  '\r': '&#13;',
  '\t': '&#9;',
};

/** An attribute value: entities for markup, and for the white space a parser would normalise. */
export function xmlAttribute(s: string): string {
  return xmlChars(s).replace(/[&<>"'\n\r\t]/g, (c) => ENTITIES[c]!);
}

/** Element text: entities for markup. */
export function xmlText(s: string): string {
  return xmlChars(s).replace(/[&<>]/g, (c) => ENTITIES[c]!);
}

const SEVERITY_WORD: Record<Severity, string> = {
  error: 'error',
  warning: 'warning',
  info: 'info',
};

/**
 * `examples/churn/mlops.yaml:12:5  error  message` and its fix on the next line, each one line
 * (a line break of an input shown as `\n`).
 */
function itemLines(i: JUnitItem): string[] {
  const at = escapeLine(`${i.file}:${i.line ?? 1}:${i.column ?? 1}`);
  return [
    `${at}  ${SEVERITY_WORD[i.severity]}  ${escapeLine(i.message)}`,
    ...(i.hint ? [`    fix: ${escapeLine(i.hint)}`] : []),
  ];
}

/** The one-line summary of a failure: its first finding, and how many more there are. */
function failureMessage(items: readonly JUnitItem[]): string {
  const first = items[0];
  if (!first) return '';
  const more = items.length > 1 ? ` (+${items.length - 1} more)` : '';
  return `${escapeLine(first.message)}${more}`;
}

interface Counts {
  tests: number;
  failures: number;
  skipped: number;
}

function countCases(cases: readonly JUnitCase[]): Counts {
  return {
    tests: cases.length,
    failures: cases.filter((c) => c.failure).length,
    skipped: cases.filter((c) => !c.failure && c.skipped !== undefined).length,
  };
}

const countAttributes = (c: Counts): string =>
  `tests="${c.tests}" failures="${c.failures}" errors="0" skipped="${c.skipped}" time="0"`;

function caseXml(c: JUnitCase): string[] {
  const attributes = [
    `name="${xmlAttribute(c.name)}"`,
    `classname="${xmlAttribute(c.classname)}"`,
    ...(c.file !== undefined ? [`file="${xmlAttribute(c.file)}"`] : []),
    ...(c.line !== undefined ? [`line="${c.line}"`] : []),
    'time="0"',
  ].join(' ');
  const body: string[] = [];
  if (c.failure) {
    body.push(
      `      <failure message="${xmlAttribute(failureMessage(c.failure.items))}" type="${xmlAttribute(c.failure.type)}">${xmlText(c.failure.items.flatMap(itemLines).join('\n'))}</failure>`,
    );
  } else if (c.skipped !== undefined) {
    body.push(`      <skipped message="${xmlAttribute(c.skipped)}"/>`);
  }
  if (c.notes?.length)
    body.push(`      <system-out>${xmlText(c.notes.flatMap(itemLines).join('\n'))}</system-out>`);
  if (body.length === 0) return [`    <testcase ${attributes}/>`];
  return [`    <testcase ${attributes}>`, ...body, '    </testcase>'];
}

/** The report: one `testsuites` named `name`, its suites in order. */
export function renderJUnit(name: string, suites: readonly JUnitSuite[]): string {
  const all = countCases(suites.flatMap((s) => s.cases));
  const lines = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="${xmlAttribute(name)}" ${countAttributes(all)}>`,
  ];
  for (const s of suites) {
    lines.push(
      `  <testsuite name="${xmlAttribute(s.name)}" ${countAttributes(countCases(s.cases))}>`,
    );
    for (const c of s.cases) lines.push(...caseXml(c));
    lines.push('  </testsuite>');
  }
  lines.push('</testsuites>');
  return `${lines.join('\n')}\n`;
}

/** A classname from a manifest's path: without its extension, as tools that read dots as packages want. */
export function classnameOf(file: string): string {
  return file.replace(/\.ya?ml$/i, '');
}
