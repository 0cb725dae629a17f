import { execFileSync } from 'node:child_process';
import { mkdirSync, realpathSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  encodingFinding,
  foreignEncoding,
  invalidUtf8At,
  readCheckedInput,
  readInputFile,
  readScopeOf,
} from '../../src/io/read.js';
import { tempDir } from '../helpers/gitdir.js';

const TEXT = 'apiVersion: mlops/v1\nkind: ModelManifest\nmetadata:\n  name: café-model\n';

/** `text` in an encoding Node has no name for (UTF-16 BE, UTF-32): by code units. */
function encode(text: string, encoding: string, bom: boolean): Buffer {
  const units = [...text].map((c) => c.codePointAt(0)!);
  if (encoding === 'UTF-16 LE' || encoding === 'UTF-16 BE') {
    const b = Buffer.from((bom ? '\uFEFF' : '') + text, 'utf16le');
    return encoding === 'UTF-16 LE' ? b : b.swap16();
  }
  const b = Buffer.alloc((units.length + (bom ? 1 : 0)) * 4);
  (bom ? [0xfeff, ...units] : units).forEach((u, i) =>
    encoding === 'UTF-32 LE' ? b.writeUInt32LE(u, i * 4) : b.writeUInt32BE(u, i * 4),
  );
  return b;
}

describe('foreignEncoding and encodingFinding', () => {
  for (const encoding of ['UTF-16 LE', 'UTF-16 BE', 'UTF-32 LE', 'UTF-32 BE'] as const) {
    for (const bom of [true, false]) {
      it(`${encoding} ${bom ? 'with' : 'without'} a byte order mark`, () => {
        const bytes = encode(TEXT, encoding, bom);
        expect(foreignEncoding(bytes)).toEqual({ encoding, bom });
        expect(encodingFinding(bytes, 'm/mlops.yaml')).toMatchObject({
          code: 'NOT_UTF8',
          severity: 'error',
          args: { encoding, bom },
          file: 'm/mlops.yaml',
          line: 1,
          column: 1,
        });
      });
    }
  }

  it('a one-character UTF-16 file is told apart too', () => {
    expect(foreignEncoding(Buffer.from('a', 'utf16le'))).toEqual({
      encoding: 'UTF-16 LE',
      bom: false,
    });
  });

  it('UTF-8 (with or without a BOM, with non-ASCII text) is no finding', () => {
    expect(encodingFinding(Buffer.from(TEXT), 'f')).toBeUndefined();
    expect(encodingFinding(Buffer.from(`\uFEFF${TEXT}`), 'f')).toBeUndefined();
    expect(encodingFinding(Buffer.from('ключ: значение\n'), 'f')).toBeUndefined();
    expect(encodingFinding(Buffer.alloc(0), 'f')).toBeUndefined();
  });

  it('a byte that is not UTF-8 is located at its line and column', () => {
    const bytes = Buffer.concat([
      Buffer.from('a: 1\r\nb: é\n', 'utf8'),
      Buffer.from('title: Lead sc', 'latin1'),
      Buffer.from([0xf6]),
      Buffer.from('ring\n', 'latin1'),
    ]);
    expect(encodingFinding(bytes, 'f')).toMatchObject({
      code: 'NOT_UTF8',
      args: { byte: '0xF6' },
      line: 3,
      column: 15,
    });
  });

  it('invalidUtf8At finds overlong forms, surrogates and cut sequences', () => {
    expect(invalidUtf8At(Buffer.from('aé€😀'))).toBe(-1);
    expect(invalidUtf8At(Buffer.from([0x61, 0xc0, 0x80]))).toBe(1);
    expect(invalidUtf8At(Buffer.from([0xed, 0xa0, 0x80]))).toBe(0);
    expect(invalidUtf8At(Buffer.from([0x61, 0x62, 0xe2, 0x82]))).toBe(2);
    expect(invalidUtf8At(Buffer.from([0xf4, 0x90, 0x80, 0x80]))).toBe(0);
  });
});

describe('readInputFile', () => {
  it('reads a regular file inside the root, and a symlink that stays inside', () => {
    const root = tempDir();
    writeFileSync(join(root, 'a.yaml'), 'a: 1\n');
    symlinkSync('a.yaml', join(root, 'link.yaml'));
    const read = readInputFile(join(root, 'link.yaml'), { realRoot: root, maxBytes: 100 });
    expect(read).toMatchObject({ kind: 'file', real: join(root, 'a.yaml'), link: 'a.yaml' });
    expect(read.kind === 'file' && read.bytes.toString()).toBe('a: 1\n');
  });

  it('refuses a symlink out of the root, at the leaf or through a parent folder', () => {
    const outside = tempDir();
    writeFileSync(join(outside, 'secret.yaml'), 'TOPSECRET\n');
    const root = tempDir();
    symlinkSync(join(outside, 'secret.yaml'), join(root, 'leaf.yaml'));
    symlinkSync(outside, join(root, 'dir'));
    expect(readInputFile(join(root, 'leaf.yaml'), { realRoot: root, maxBytes: 100 })).toEqual({
      kind: 'outside',
      link: join(outside, 'secret.yaml'),
      target: join(outside, 'secret.yaml'),
    });
    expect(readInputFile(join(root, 'dir/secret.yaml'), { realRoot: root, maxBytes: 100 })).toEqual(
      { kind: 'outside', target: join(outside, 'secret.yaml') },
    );
  });

  it('never opens a FIFO or a device, and names a dangling link', () => {
    const root = tempDir();
    execFileSync('mkfifo', [join(root, 'pipe')]);
    symlinkSync('pipe', join(root, 'to-pipe'));
    symlinkSync('nowhere.yaml', join(root, 'dangling'));
    expect(readInputFile(join(root, 'pipe'), { realRoot: root, maxBytes: 100 })).toEqual({
      kind: 'not_a_file',
      type: 'fifo',
    });
    expect(readInputFile(join(root, 'to-pipe'), { realRoot: root, maxBytes: 100 })).toEqual({
      kind: 'not_a_file',
      type: 'fifo',
      target: join(root, 'pipe'),
    });
    // no root: a file the user named outside any repository; still never opened
    expect(readInputFile('/dev/zero', { maxBytes: 100 })).toEqual({
      kind: 'not_a_file',
      type: 'character device',
    });
    expect(readInputFile(join(root, 'dangling'), { realRoot: root, maxBytes: 100 })).toEqual({
      kind: 'missing',
      link: 'nowhere.yaml',
    });
  });

  it('answers as usual when what a walk saw as a regular file is something else by now', () => {
    // `regular`: the walk saw a regular file, so it is opened without an lstat first; a link,
    // a pipe or nothing put there since must get the answer the usual path gives
    const outside = tempDir();
    writeFileSync(join(outside, 'secret.yaml'), 'TOPSECRET\n');
    const root = tempDir();
    writeFileSync(join(root, 'a.yaml'), 'a: 1\n');
    writeFileSync(join(root, 'big.yaml'), 'x'.repeat(5000));
    symlinkSync('a.yaml', join(root, 'link.yaml'));
    symlinkSync(join(outside, 'secret.yaml'), join(root, 'leaf.yaml'));
    symlinkSync('nowhere.yaml', join(root, 'dangling'));
    execFileSync('mkfifo', [join(root, 'pipe')]);
    symlinkSync('pipe', join(root, 'to-pipe'));
    mkdirSync(join(root, 'folder.yaml'));
    const base = { realRoot: root, maxBytes: 4096, trustedParents: true };
    for (const name of [
      'a.yaml',
      'big.yaml',
      'link.yaml',
      'leaf.yaml',
      'dangling',
      'pipe',
      'to-pipe',
      'folder.yaml',
      'gone.yaml',
    ]) {
      const usual = readInputFile(join(root, name), base);
      const fast = readInputFile(join(root, name), { ...base, regular: true });
      expect(fast, name).toEqual(usual);
    }
    expect(readInputFile(join(root, 'leaf.yaml'), { ...base, regular: true })).toMatchObject({
      kind: 'outside',
    });
  });

  it('reads at most maxBytes + 1 bytes', () => {
    const root = tempDir();
    writeFileSync(join(root, 'big.yaml'), 'x'.repeat(5000));
    expect(readInputFile(join(root, 'big.yaml'), { maxBytes: 4096 })).toEqual({
      kind: 'too_large',
      size: 5000,
    });
  });
});

describe('readScopeOf and readCheckedInput', () => {
  it('the repository holds the scope; outside one, the file’s own folder', () => {
    const repo = tempDir();
    mkdirSync(join(repo, '.git'));
    mkdirSync(join(repo, 'models/a'), { recursive: true });
    expect(readScopeOf(join(repo, 'models/a/mlops.yaml'), repo)).toEqual({
      realRoot: realpathSync(repo),
      within: 'repository',
    });
    const plain = tempDir();
    mkdirSync(join(plain, 'a'));
    expect(readScopeOf(join(plain, 'a/mlops.yaml'), plain)).toEqual({
      realRoot: join(plain, 'a'),
      within: 'folder',
    });
  });

  it('gives the finding every command reports, and no byte of a file outside', () => {
    const outside = tempDir();
    writeFileSync(join(outside, 'secret.yaml'), 'metadata: {name: TOPSECRET_x}\n');
    const repo = tempDir();
    mkdirSync(join(repo, '.git'));
    symlinkSync(join(outside, 'secret.yaml'), join(repo, 'mlops.yaml'));
    const abs = join(repo, 'mlops.yaml');
    const read = readCheckedInput(abs, 'mlops.yaml', { scope: readScopeOf(abs, repo) });
    expect(read).toEqual({
      finding: expect.objectContaining({
        code: 'SYMLINK_OUTSIDE',
        file: 'mlops.yaml',
        line: 1,
        column: 1,
        args: {
          target: join(outside, 'secret.yaml'),
          link: join(outside, 'secret.yaml'),
          within: 'repository',
        },
      }),
    });
    expect(JSON.stringify(read)).not.toContain('TOPSECRET');
  });
});
