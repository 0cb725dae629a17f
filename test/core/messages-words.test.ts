import { describe, expect, it } from 'vitest';
import { CODES } from '../../src/core/codes/index.js';
import type { Code } from '../../src/core/codes/index.js';
import { CONFIG_CODES } from '../../src/core/codes/config.js';
import { MANIFEST_CODES } from '../../src/core/codes/manifest.js';
import { ANNEX_IV_MESSAGES } from '../../src/report/messages/annex-iv.js';
import { APPROVAL_MESSAGES } from '../../src/report/messages/approvals.js';
import { CHECK_MESSAGES } from '../../src/report/messages/check.js';
import { CONFIG_MESSAGES } from '../../src/report/messages/config.js';
import { DIFF_MESSAGES } from '../../src/report/messages/diff.js';
import { EU_MESSAGES } from '../../src/report/messages/eu.js';
import { MESSAGES } from '../../src/report/messages/index.js';
import { MANIFEST_MESSAGES } from '../../src/report/messages/manifest.js';
import { MONITOR_MESSAGES } from '../../src/report/messages/monitor.js';
import { READ_MESSAGES } from '../../src/report/messages/read-words.js';
import { REASSESS_MESSAGES } from '../../src/report/messages/reassess.js';
import { RIGOR_MESSAGES } from '../../src/report/messages/rigor.js';
import { VALUE_MESSAGES } from '../../src/report/messages/value.js';
import { WAIVER_MESSAGES } from '../../src/report/messages/waivers.js';
import { messageSpec } from '../../src/report/messages/words.js';

const FILES = {
  'annex-iv': ANNEX_IV_MESSAGES,
  approvals: APPROVAL_MESSAGES,
  check: CHECK_MESSAGES,
  config: CONFIG_MESSAGES,
  diff: DIFF_MESSAGES,
  eu: EU_MESSAGES,
  manifest: MANIFEST_MESSAGES,
  monitor: MONITOR_MESSAGES,
  reassess: REASSESS_MESSAGES,
  rigor: RIGOR_MESSAGES,
  value: VALUE_MESSAGES,
  waivers: WAIVER_MESSAGES,
};

describe('the words of findings, split for loading', () => {
  it('each code has its words in exactly one file, so no order of files decides them', () => {
    const where = new Map<string, string[]>();
    for (const [file, words] of Object.entries(FILES))
      for (const code of Object.keys(words)) where.set(code, [...(where.get(code) ?? []), file]);
    const twice = [...where].filter(([, files]) => files.length > 1);
    expect(twice).toEqual([]);
    expect([...where.keys()].sort()).toEqual(Object.keys(CODES).sort());
  });

  it('the words validate needs are all in read-words: every manifest and config code', () => {
    const reading = [...Object.keys(MANIFEST_CODES), ...Object.keys(CONFIG_CODES)];
    expect(reading.filter((code) => !Object.hasOwn(READ_MESSAGES, code))).toEqual([]);
  });

  it('a code reads the same words whichever way they are found', () => {
    for (const code of Object.keys(CODES) as Code[]) expect(messageSpec(code)).toBe(MESSAGES[code]);
  });
});
