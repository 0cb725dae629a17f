import type { Diagnostic } from '../core/diagnostics.js';
import type { CodeInfo } from '../core/codes.js';

const LEVEL = { error: 'error', warning: 'warning', info: 'note' } as const;

/** A SARIF 2.1.0 log for one run of mlops. Rules are the codes that occur, with help text. */
export function renderSarif(
  diagnostics: readonly Diagnostic[],
  rules: Record<string, CodeInfo>,
  toolVersion: string,
): string {
  const used = [...new Set(diagnostics.map((d) => d.code))].sort();
  const index = new Map(used.map((code, i) => [code, i]));
  const log = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'mlops',
            version: toolVersion,
            rules: used.map((code) => {
              const info = rules[code] ?? { title: code, help: code };
              return {
                id: code,
                name: info.title.replace(/[^A-Za-z0-9]+(.)?/g, (_, c: string | undefined) =>
                  (c ?? '').toUpperCase(),
                ),
                shortDescription: { text: info.title },
                fullDescription: { text: info.help },
                help: { text: info.help },
              };
            }),
          },
        },
        results: diagnostics.map((d) => ({
          ruleId: d.code,
          ruleIndex: index.get(d.code)!,
          level: LEVEL[d.severity],
          message: { text: d.hint ? `${d.message}. ${d.hint}` : d.message },
          locations: [
            {
              physicalLocation: {
                artifactLocation: { uri: encodeURI(d.file), uriBaseId: '%SRCROOT%' },
                region: { startLine: d.line, startColumn: d.column },
              },
            },
          ],
        })),
        columnKind: 'unicodeCodePoints',
      },
    ],
  };
  return `${JSON.stringify(log, null, 2)}\n`;
}
