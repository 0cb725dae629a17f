import type { ChalkInstance } from 'chalk';

/** Every style is the identity: what reporters get when color is off, without loading chalk. */
const plain: ChalkInstance = new Proxy(
  ((text: unknown) => String(text)) as unknown as ChalkInstance,
  {
    // not a thenable: `then` must stay undefined, or awaiting it would never settle
    get: (_target, prop) => (prop === 'level' ? 0 : prop === 'then' ? undefined : plain),
    // one argument is the usual call (once per finding and more): no array is built for it
    apply: (_target, _this, args: unknown[]) =>
      args.length === 1 ? String(args[0]) : args.map(String).join(' '),
  },
);

/** The colors for human output: chalk when color is on, loaded only then (it costs ~15 ms). */
export async function createColors(level: 0 | 1 | 2 | 3): Promise<ChalkInstance> {
  if (level === 0) return plain;
  const { Chalk } = await import('chalk');
  return new Chalk({ level });
}
