import type { SchemaValidator } from '../../src/core/manifest/schema-findings.js';
import { loadValidator } from '../../src/io/assets.js';

/** The validator as the CLI loads it (precompiled by `npm run build`). */
export const validator: SchemaValidator = await loadValidator();
