import { Document } from 'yaml';

/** What the quick readers use of one of yaml's scalar tags. */
export interface CoreScalarTag {
  tag: string;
  default?: boolean | 'key';
  test?: RegExp;
  resolve(value: string, onError: (message: string) => void, options: object): unknown;
}

/**
 * yaml's own core-schema tags, in the order yaml tries them: the quick readers resolve plain
 * scalars with these very objects, so that they and yaml agree on `+.5`, `-0x1F` or `.NaN` by
 * construction. The build swaps this module for yaml's `schema/core/schema.js` (the same array,
 * see src/build/bundle.mjs), so that the fast path never loads the rest of yaml.
 */
export const CORE_TAGS: readonly CoreScalarTag[] = new Document(null, { schema: 'core' }).schema
  .tags as unknown as CoreScalarTag[];
