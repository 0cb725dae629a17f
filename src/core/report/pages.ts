// The file names of the model pages of `mlops report`: `models/<slug>.html`, one per model,
// unique, made only of lowercase letters, digits and dashes, so that no name from a manifest
// can lead out of the folder or clash on a file system that ignores case.

/** The longest slug: file names stay well under every file system's limit. */
const MAX_SLUG = 80;

/** `metadata.name` as a file name: lowercased, every other character than a-z, 0-9 and `-` a dash. */
export function slugOf(name: string | undefined): string {
  const slug = (name ?? '')
    .toLowerCase()
    .replace(/[^a-z0-9-]/g, '-')
    .slice(0, MAX_SLUG);
  return slug === '' ? 'model' : slug;
}

/**
 * The page of each model, in the order given (the order of their files): `models/<slug>.html`,
 * the second model of one slug `<slug>-2`, the third `<slug>-3`, skipping a name taken.
 */
export function pageNames(names: readonly (string | undefined)[]): string[] {
  const taken = new Set<string>();
  return names.map((name) => {
    const base = slugOf(name);
    let slug = base;
    for (let n = 2; taken.has(slug); n++) slug = `${base}-${n}`;
    taken.add(slug);
    return `models/${slug}.html`;
  });
}
