import type { Log, ReportingDescriptor, Result } from 'sarif';
import type { Severity } from '../core/findings.js';
import type { Code } from '../core/codes/index.js';
import { jsonText, mdSpans } from './escape.js';
import { messageSpec } from './messages/words.js';

/** A rule as SARIF describes it to code scanning: an id, a short title and what to do. */
export interface SarifRule {
  id: string;
  title: string;
  /** What the rule asks and what to do, as plain text. */
  help: string;
  /** The same as Markdown, for viewers that render it. */
  helpMarkdown?: string;
  /** A public page about the rule, such as the text of the law it serves. */
  helpUri?: string;
  /** Extra facts about the rule (tags, a legal reference, whether it may be waived). */
  properties?: Record<string, unknown>;
}

/** One result: where, what, and the fingerprint that lets code scanning follow it. */
export interface SarifResult {
  ruleId: string;
  level: 'error' | 'warning' | 'note';
  message: string;
  /** Relative to the repository (`%SRCROOT%`), with `/` separators. */
  file: string;
  line?: number;
  column?: number;
  fingerprint?: string;
}

export interface SarifLogInput {
  toolVersion: string;
  /** Every rule a result may cite; results cite them by id. */
  rules: readonly SarifRule[];
  results: readonly SarifResult[];
  /**
   * Tells runs apart in code scanning, so that one upload does not replace another's results:
   * `mlops/<command>/`, then a category when one is given (`mlops/check/deploy`).
   */
  automationId: string;
}

/** A finding code as a SARIF rule: its title and help from its words, and its public page. */
export function codeRule(code: Code): SarifRule {
  const spec: { title: string; help: string; helpUri?: string } = messageSpec(code);
  return {
    id: code,
    title: spec.title,
    help: spec.help,
    helpMarkdown: mdSpans(spec.help),
    ...(spec.helpUri ? { helpUri: spec.helpUri } : {}),
  };
}

/** The SARIF level of a finding's severity. */
export function sarifLevel(severity: Severity): SarifResult['level'] {
  return severity === 'info' ? 'note' : severity;
}

/** The key of mlops's fingerprints in `partialFingerprints`, versioned as SARIF asks. */
const FINGERPRINT_KEY = 'mlops/v1';

/** A character a path segment of a URI holds as it is (RFC 3986: unreserved, sub-delims, `@`). */
const PCHAR = /^[A-Za-z0-9\-._~!$&'()*+,;=@]$/;

/**
 * A path relative to the repository as the relative URI reference SARIF wants: `/` between
 * segments, every other character outside a segment's allowed set percent-encoded as UTF-8
 * (`#` → `%23`, `?` → `%3F`, `%` → `%25`, a space → `%20`, `é` → `%C3%A9`). `:` is encoded too,
 * so that a first segment is never read as a scheme.
 */
export function sarifUri(path: string): string {
  // a lone surrogate has no UTF-8 form: U+FFFD, as a UTF-8 decoder shows it
  const text = path.replace(
    /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g,
    '\uFFFD',
  );
  return text
    .split('/')
    .map((segment) => {
      let out = '';
      for (const c of segment) out += PCHAR.test(c) ? c : encodeURIComponent(c);
      return out;
    })
    .join('/');
}

/** A rule's title in the form SARIF wants for `name`: `Missing required key` → `MissingRequiredKey`. */
function ruleName(title: string): string {
  return title.replace(/[^A-Za-z0-9]+(.)?/g, (_, c: string | undefined) => (c ?? '').toUpperCase());
}

/**
 * A SARIF 2.1.0 log of one run of mlops, as an object; serialize it once. Columns are counted
 * in UTF-16 code units, as the readers count them.
 */
export function buildSarifLog(input: SarifLogInput): Log {
  const index = new Map(input.rules.map((rule, i) => [rule.id, i]));
  const rules = input.rules.map((rule): ReportingDescriptor => ({
    id: rule.id,
    name: ruleName(rule.title),
    shortDescription: { text: rule.title },
    fullDescription: { text: rule.help },
    help: { text: rule.help, ...(rule.helpMarkdown ? { markdown: rule.helpMarkdown } : {}) },
    ...(rule.helpUri ? { helpUri: rule.helpUri } : {}),
    ...(rule.properties ? { properties: rule.properties } : {}),
  }));
  const results = input.results.map((r): Result => {
    const ruleIndex = index.get(r.ruleId);
    return {
      ruleId: r.ruleId,
      ...(ruleIndex !== undefined ? { ruleIndex } : {}),
      level: r.level,
      message: { text: r.message },
      locations: [
        {
          physicalLocation: {
            artifactLocation: { uri: sarifUri(r.file), uriBaseId: '%SRCROOT%' },
            ...(r.line !== undefined
              ? {
                  region: {
                    startLine: r.line,
                    ...(r.column !== undefined ? { startColumn: r.column } : {}),
                  },
                }
              : {}),
          },
        },
      ],
      ...(r.fingerprint ? { partialFingerprints: { [FINGERPRINT_KEY]: r.fingerprint } } : {}),
    };
  });
  return {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: { driver: { name: 'mlops', version: input.toolVersion, rules } },
        automationDetails: { id: input.automationId },
        results,
        columnKind: 'utf16CodeUnits',
      },
    ],
  };
}

/** The log as text, as commands write it. */
export function renderSarifLog(input: SarifLogInput): string {
  return `${jsonText(buildSarifLog(input))}\n`;
}
