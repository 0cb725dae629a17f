import type { ConfigCode, ManifestCode } from '../../core/codes/index.js';
import { APPROVAL_MESSAGES } from './approvals.js';
import { CONFIG_MESSAGES } from './config.js';
import type { MessageSpec } from './index.js';
import { MANIFEST_MESSAGES } from './manifest.js';
import { MONITOR_MESSAGES } from './monitor.js';
import { REASSESS_MESSAGES } from './reassess.js';
import { RIGOR_MESSAGES } from './rigor.js';
import { WAIVER_MESSAGES } from './waivers.js';

/**
 * The words of the files that hold every finding reading a manifest or the config file can
 * give (what `validate` says), some of check's among them: a run with a finding loads these,
 * and the words of check, diff and the law (index.ts) only when it has one of theirs. The type
 * says that every manifest and config code is here.
 */
export const READ_MESSAGES = {
  ...MANIFEST_MESSAGES,
  ...CONFIG_MESSAGES,
  ...MONITOR_MESSAGES,
  ...RIGOR_MESSAGES,
  ...REASSESS_MESSAGES,
  ...APPROVAL_MESSAGES,
  ...WAIVER_MESSAGES,
} satisfies Record<ManifestCode | ConfigCode, MessageSpec>;
