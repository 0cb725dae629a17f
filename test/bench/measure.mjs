// Timing helpers for the benchmark scripts: whole-process wall time and peak RSS, with runs
// of the candidates alternated so that machine noise falls on both alike.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

const TIME = existsSync('/usr/bin/time') ? '/usr/bin/time' : undefined;

/** Runs a command once: wall seconds, peak RSS in MiB (when /usr/bin/time exists), exit code. */
export function runOnce(cmd, args, options = {}) {
  const start = process.hrtime.bigint();
  const r = TIME
    ? spawnSync(TIME, ['-f', '%M', cmd, ...args], {
        encoding: 'utf8',
        maxBuffer: 1 << 28,
        ...options,
      })
    : spawnSync(cmd, args, { encoding: 'utf8', maxBuffer: 1 << 28, ...options });
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  let rssMiB;
  if (TIME) {
    const lines = r.stderr.trim().split('\n');
    rssMiB = Number(lines[lines.length - 1]) / 1024;
  }
  return { seconds, rssMiB, status: r.status, stdout: r.stdout, stderr: r.stderr };
}

export const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

/**
 * Alternates the candidates `runs` times ({name: () => result}) and returns, per name, the
 * median seconds, the max peak RSS and the last result.
 */
export function alternate(candidates, runs) {
  const out = Object.fromEntries(
    Object.keys(candidates).map((k) => [k, { times: [], rss: [], last: undefined }]),
  );
  for (let i = 0; i < runs; i++) {
    for (const [name, fn] of Object.entries(candidates)) {
      const r = fn();
      out[name].times.push(r.seconds);
      if (r.rssMiB !== undefined) out[name].rss.push(r.rssMiB);
      out[name].last = r;
    }
  }
  return Object.fromEntries(
    Object.entries(out).map(([k, v]) => [
      k,
      {
        seconds: median(v.times),
        rssMiB: v.rss.length ? Math.max(...v.rss) : undefined,
        last: v.last,
      },
    ]),
  );
}

export function table(rows, headers) {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => String(r[i]).length)));
  const line = (cells) => cells.map((c, i) => String(c).padEnd(widths[i])).join('  ');
  return [line(headers), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}

export const fmt = (s) => (s < 1 ? `${(s * 1000).toFixed(0)} ms` : `${s.toFixed(2)} s`);
export const ratio = (a, b) => `${(a / b).toFixed(2)}x`;
