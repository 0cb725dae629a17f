import type { ArgValue } from '../../core/findings.js';
import type { Spelling } from './index.js';

/**
 * Commands and edits in hints, written so that they can be pasted as they are: every command in
 * backticks and complete, every word a shell would split or read as an operator quoted, and a
 * value nobody knows yet a quoted placeholder in capitals (`"STAKEHOLDER_ID"`), which a shell
 * and a YAML reader both take as one plain value.
 */

/** One word for a POSIX shell: bare when it holds only safe characters, else in single quotes. */
export function shellWord(word: string): string {
  if (/^[A-Za-z0-9_./:@%+=,-]+$/.test(word)) return word.startsWith('-') ? `./${word}` : word;
  return `'${word.replace(/'/g, `'\\''`)}'`;
}

/** A placeholder for a value the user fills in: `"STAKEHOLDER_ID"`. */
export const placeholder = (name: string): string => `"${name}"`;

/** A command of mlops in backticks, spelled as the user runs mlops: `` `npx mlops approve …` ``. */
export function mlops(how: Spelling, ...words: string[]): string {
  return `\`${[how.invokedAs, ...words].join(' ')}\``;
}

/** A shell command in backticks, from words already quoted where needed. */
export const run = (...words: string[]): string => `\`${words.join(' ')}\``;

/** A text for `git commit -m`, in double quotes with what a shell expands escaped. */
export function commitMessage(text: string): string {
  return `"${text.replace(/["\\$`!]/g, (c) => `\\${c}`)}"`;
}

/** The paths of `files` (a finding's arg) and `first`, each once, in order. */
export function pathsOf(first: ArgValue, files: ArgValue): string[] {
  const out: string[] = [];
  const add = (v: unknown): void => {
    if (typeof v === 'string' && v !== '' && !out.includes(v)) out.push(v);
  };
  add(first);
  if (Array.isArray(files)) for (const f of files) add(f);
  return out;
}

/**
 * `` `git add a b && git commit -m "…"` ``: commits the files, each named once. `model` names
 * what the evidence is for in the message.
 */
export function gitCommit(paths: readonly string[], what: string): string {
  return run('git add', ...paths.map(shellWord), '&& git commit -m', commitMessage(what));
}
