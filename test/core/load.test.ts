import { describe, expect, it } from 'vitest';
import { MAX_MANIFEST_BYTES } from '../../src/core/manifest/limits.js';
import { readYaml } from '../../src/core/manifest/reader.js';

const codes = (text: string) =>
  readYaml(text, 'm.yaml').findings.map(({ code, line, column }) => ({
    code,
    line,
    column,
  }));

describe('readYaml: YAML problems are findings with positions, never exceptions', () => {
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
    const read = readYaml(bomb, 'm.yaml');
    expect(read.data).toBeUndefined();
    expect(read.findings).toEqual([
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
    const read = readYaml(
      'metadata:\n  __proto__:\n    polluted: true\n  constructor: x\n',
      'm.yaml',
    );
    expect(read.findings.map((d) => [d.code, d.line, d.column])).toEqual([
      ['YAML_FORBIDDEN_KEY', 2, 3],
      ['YAML_FORBIDDEN_KEY', 4, 3],
    ]);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('refuses a list or a mapping as a key, which no plain object can hold', () => {
    expect(codes('[apiVersion]: mlops/v1\nkind: ModelManifest\n')).toEqual([
      { code: 'YAML_COMPLEX_KEY', line: 1, column: 1 },
    ]);
    expect(codes('a:\n  ? {b: 1}\n  : c\n')).toEqual([
      { code: 'YAML_COMPLEX_KEY', line: 2, column: 5 },
    ]);
  });

  it('keeps dates and yes/no as text (YAML 1.2 core schema)', () => {
    const read = readYaml('a: 2026-01-31\nb: yes\nc: no\nd: on\ne: 0o17\nf: 1.0\n', 'm.yaml');
    expect(read.data).toEqual({ a: '2026-01-31', b: 'yes', c: 'no', d: 'on', e: 15, f: 1 });
  });

  it('reads signed hex, octal and binary as text, and signed floats as numbers, as YAML 1.2 core does', () => {
    const read = readYaml(
      'a: +.5\nb: -0x1F\nc: +0o17\nd: -.inf\ne: .NaN\nf: 0b1\ng: 0x1F\nh: -.5e1\n',
      'm.yaml',
    );
    expect(read.findings).toEqual([]);
    expect(read.data).toEqual({
      a: 0.5,
      b: '-0x1F',
      c: '+0o17',
      d: -Infinity,
      e: NaN,
      f: '0b1',
      g: 31,
      h: -5,
    });
  });

  it('reads carriage returns alone as line breaks (YAML 1.2), where js-yaml and yaml once disagreed', () => {
    const crOnly = readYaml('a: 1\rb:\r  - x\r  - y\r', 'm.yaml');
    const lf = readYaml('a: 1\nb:\n  - x\n  - y\n', 'm.yaml');
    expect(crOnly.data).toEqual(lf.data);
    expect(crOnly.findings).toEqual([]);
    expect(crOnly.locate(['b', 1])).toEqual({ line: 4, column: 5 });
    const mixed = readYaml('a: 1\r\nb:\r  - x\n  - y\r', 'm.yaml');
    expect(mixed.data).toEqual(lf.data);
    expect(mixed.locate(['b', 1])).toEqual({ line: 4, column: 5 });
    const crlf = readYaml('a: 1\r\nb:\r\n  - x\r\n  - y\r\n', 'm.yaml');
    expect(crlf.data).toEqual(lf.data);
    expect(crlf.locate(['b', 1])).toEqual(lf.locate(['b', 1]));
  });

  it('reads a flow list continued on a line of its own as yaml does', () => {
    const read = readYaml('metadata:\n  tags: [a,\n    b]\n', 'm.yaml');
    expect(read.findings).toEqual([]);
    expect(read.data).toEqual({ metadata: { tags: ['a', 'b'] } });
    // not indented past its key: an error in YAML, which js-yaml let through
    for (const text of ['metadata:\n  tags: [a,\nb]\n', 'metadata:\n  tags: [a,\n  b]\n'])
      expect(codes(text)[0]).toEqual(expect.objectContaining({ code: 'YAML_SYNTAX', line: 3 }));
  });

  it('locates keys and values by path', () => {
    const read = readYaml(
      'metadata:\n  owner:\n    name: Ann\nlist:\n  - id: a\n  - id: b\n',
      'm.yaml',
    );
    expect(read.locate(['metadata', 'owner', 'name'])).toEqual({ line: 3, column: 11 });
    expect(read.locate(['metadata', 'owner', 'name'], 'key')).toEqual({ line: 3, column: 5 });
    expect(read.locate(['list', 1, 'id'])).toEqual({ line: 6, column: 9 });
    // a missing key points at the deepest key that exists
    expect(read.locate(['metadata', 'owner', 'email'])).toEqual({ line: 2, column: 3 });
  });

  it('gives every finding its file, and a fingerprint that does not depend on the file', () => {
    const a = readYaml('a: 1\na: 2\n', 'one/mlops.yaml').findings;
    const b = readYaml('\n\na: 1\na: 2\n', 'two/mlops.yaml').findings;
    expect(a[0]).toMatchObject({ file: 'one/mlops.yaml', fingerprint: expect.any(String) });
    expect(b[0]!.fingerprint).toBe(a[0]!.fingerprint);
  });
});
