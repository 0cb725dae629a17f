import type { Args } from '../../core/findings.js';
import type { Code } from '../../core/codes/index.js';
import { ANNEX_IV_MESSAGES } from './annex-iv.js';
import { EU_MESSAGES } from './eu.js';
import { CHECK_MESSAGES } from './check.js';
import { DIFF_MESSAGES } from './diff.js';
import { READ_MESSAGES } from './read-words.js';
import { VALUE_MESSAGES } from './value.js';

/** The words of one finding code: the only place findings become prose. */
export interface MessageSpec {
  /** A short name for the code (SARIF rule name, `--verbose` headings). */
  title: string;
  /** What the code means and what to do about it, independent of one finding. */
  help: string;
  /** A public page about it, such as the text of the law it cites. */
  helpUri?: string;
  /** The message of one finding, from its args. */
  message: (args: Args) => string;
  /**
   * The fix of one finding in words, when there is one. A command to run is written in
   * backticks and complete (`mlops` spelled as `how` says); an edit names the key to change
   * and, for a new item, every key it needs; a value nobody knows yet is a quoted placeholder
   * such as `"STAKEHOLDER_ID"`, which a shell and a YAML reader both read as one plain value.
   */
  hint?: (args: Args, how: Spelling) => string | undefined;
}

/** The words of every code (see words.ts for how a run finds one without loading them all). */
export const MESSAGES = {
  ...READ_MESSAGES,
  ...CHECK_MESSAGES,
  ...DIFF_MESSAGES,
  ...VALUE_MESSAGES,
  ...EU_MESSAGES,
  ...ANNEX_IV_MESSAGES,
} satisfies Record<Code, MessageSpec>;

/** How a finding is told to the user: how commands in hints start (`mlops`, `npx mlops`). */
export interface Telling {
  invokedAs?: string | undefined;
}

/** How commands in hints start, decided: `mlops` or `npx mlops`. */
export interface Spelling {
  invokedAs: string;
}
