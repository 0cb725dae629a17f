import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { sha256Hex } from '../../src/core/sha256.js';
import { fingerprintOf } from '../../src/core/findings.js';

const native = (text: string): string => createHash('sha256').update(text, 'utf8').digest('hex');

describe('sha256Hex', () => {
  it('gives the published digests of FIPS 180-4 examples', () => {
    expect(sha256Hex('')).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
    expect(sha256Hex('abc')).toBe(
      'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad',
    );
    expect(sha256Hex('abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq')).toBe(
      '248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1',
    );
  });

  it('agrees with node:crypto at every length around a block edge', () => {
    for (let n = 0; n <= 200; n++) {
      const text = 'x'.repeat(n);
      expect(sha256Hex(text), `length ${n}`).toBe(native(text));
    }
  });

  it('hashes the UTF-8 bytes: accents, emoji, control characters and lone surrogates', () => {
    const samples = [
      'modèle de churn ✓',
      '📈 value 🚀',
      '\u0000\u0001\u001f\u007f',
      'lone \ud800 high and \udc00 low',
      'ü'.repeat(40),
      '\ufeffbom',
    ];
    for (const text of samples) expect(sha256Hex(text), JSON.stringify(text)).toBe(native(text));
  });

  it('agrees with node:crypto on random texts of random lengths', () => {
    let seed = 42;
    const next = (): number => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0);
    for (let k = 0; k < 300; k++) {
      const length = next() % 300;
      let text = '';
      for (let i = 0; i < length; i++) text += String.fromCharCode(next() % 0x3000);
      expect(sha256Hex(text)).toBe(native(text));
    }
  });

  it('hashes each text alone, whatever was hashed before it (longer, shorter, wider)', () => {
    const texts = ['a'.repeat(5000), 'b', 'ü'.repeat(3000), '', 'x'.repeat(119), '📈'.repeat(700)];
    for (const text of [...texts, ...texts.reverse()])
      expect(sha256Hex(text), `${text.slice(0, 3)}... (${text.length})`).toBe(native(text));
  });

  it('keeps fingerprints as they were: the first 16 hex digits of the JSON of the parts', () => {
    const parts = ['churn-model', 'PSI_BINS_MISSING', ['monitor', 'drift', { id: 'psi' }], {}];
    expect(fingerprintOf(parts)).toBe(native(JSON.stringify(parts)).slice(0, 16));
  });
});
