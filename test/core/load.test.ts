import { describe, expect, it } from 'vitest';
import { MAX_MANIFEST_BYTES, parseManifest } from '../../src/core/load.js';

const codes = (text: string) =>
  parseManifest(text, 'm.yaml').diagnostics.map(({ code, line, column }) => ({
    code,
    line,
    column,
  }));

describe('parseManifest: YAML problems are findings with positions, never exceptions', () => {
  it('reports a syntax error where it is', () => {
    expect(codes('apiVersion: mlops/v1\nkind: [ModelManifest\nmetadata: {}\n')).toEqual([
      expect.objectContaining({ code: 'YAML_SYNTAX', line: 3 }),
    ]);
  });

  it('reports a duplicate key at the second occurrence', () => {
    expect(codes('apiVersion: mlops/v1\nkind: ModelManifest\napiVersion: mlops/v2\n')).toEqual([
      { code: 'YAML_DUPLICATE_KEY', line: 3, column: 1 },
    ]);
  });

  it('reports more than one document', () => {
    expect(codes('apiVersion: mlops/v1\n---\napiVersion: mlops/v1\n')).toEqual([
      { code: 'YAML_MULTIPLE_DOCUMENTS', line: 2, column: 1 },
    ]);
  });

  it('stops an alias bomb instead of expanding it', () => {
    const bomb = [
      'a: &a ["x","x","x","x","x","x","x","x","x"]',
      'b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]',
      'c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]',
      'd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]',
      'e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]',
      'f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]',
      'g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]',
      'h: [*g,*g,*g,*g,*g,*g,*g,*g,*g]',
    ].join('\n');
    const parsed = parseManifest(bomb, 'm.yaml');
    expect(parsed.data).toBeUndefined();
    expect(parsed.diagnostics).toEqual([
      expect.objectContaining({ code: 'YAML_ALIAS_LIMIT', line: 2, column: 8 }),
    ]);
  });

  it('refuses a file over 1 MiB without parsing it', () => {
    const big = `x: "${'a'.repeat(MAX_MANIFEST_BYTES)}"\n`;
    expect(codes(big)).toEqual([{ code: 'FILE_TOO_LARGE', line: 1, column: 1 }]);
  });

  it('requires a mapping at the top level', () => {
    expect(codes('- a\n- b\n')).toEqual([{ code: 'NOT_A_MAPPING', line: 1, column: 1 }]);
    expect(codes('just text\n')).toEqual([{ code: 'NOT_A_MAPPING', line: 1, column: 1 }]);
  });

  it('reports an empty file, and a file of only comments', () => {
    expect(codes('')).toEqual([{ code: 'EMPTY_FILE', line: 1, column: 1 }]);
    expect(codes('# nothing yet\n')).toEqual([{ code: 'EMPTY_FILE', line: 1, column: 1 }]);
  });

  it('never constructs custom tags', () => {
    expect(codes('apiVersion: mlops/v1\nkind: !!js/function "function(){}"\n')).toEqual([
      { code: 'YAML_TAG', line: 2, column: 7 },
    ]);
    expect(codes('a: !!binary aGVsbG8=\n')).toEqual([{ code: 'YAML_TAG', line: 1, column: 4 }]);
    expect(codes('a: !custom x\nb: !!set {x}\n')).toEqual([
      { code: 'YAML_TAG', line: 1, column: 4 },
      { code: 'YAML_TAG', line: 2, column: 4 },
    ]);
    expect(codes('a: !!str 1.0\nb: !!int "3"\n')).toEqual([]);
  });

  it('refuses __proto__ and constructor keys and never pollutes prototypes', () => {
    const parsed = parseManifest(
      'metadata:\n  __proto__:\n    polluted: true\n  constructor: x\n',
      'm.yaml',
    );
    expect(parsed.diagnostics.map((d) => [d.code, d.line, d.column])).toEqual([
      ['YAML_FORBIDDEN_KEY', 2, 3],
      ['YAML_FORBIDDEN_KEY', 4, 3],
    ]);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('keeps dates and yes/no as text (YAML 1.2 core schema)', () => {
    const parsed = parseManifest(
      'a: 2026-01-31\nb: yes\nc: no\nd: on\ne: 0o17\nf: 1.0\n',
      'm.yaml',
    );
    expect(parsed.data).toEqual({ a: '2026-01-31', b: 'yes', c: 'no', d: 'on', e: 15, f: 1 });
  });

  it('locates keys and values by path', () => {
    const parsed = parseManifest(
      'metadata:\n  owner:\n    name: Ann\nlist:\n  - id: a\n  - id: b\n',
      'm.yaml',
    );
    expect(parsed.locate(['metadata', 'owner', 'name'])).toEqual({ line: 3, column: 11 });
    expect(parsed.locate(['metadata', 'owner', 'name'], 'key')).toEqual({ line: 3, column: 5 });
    expect(parsed.locate(['list', 1, 'id'])).toEqual({ line: 6, column: 9 });
    // a missing key points at the deepest key that exists
    expect(parsed.locate(['metadata', 'owner', 'email'])).toEqual({ line: 2, column: 3 });
  });
});
