import type { ManifestCode } from '../../core/codes/index.js';
import type { MessageSpec } from './index.js';

export const MANIFEST_MESSAGES = {} satisfies Record<ManifestCode, MessageSpec>;
