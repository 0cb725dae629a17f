// The words (and icons) of the report's pages for the states the report data holds. A state is
// never told by colour alone: each has an icon and words; the colour class only adds to them.
import type { Phase } from '../../core/manifest.js';
import type { ValueStanding } from '../../core/report/model.js';
import { esc } from './html.js';

export type Tone = 'ok' | 'warn' | 'bad' | 'none';

/** Heavy check mark, triangle, heavy multiplication x, en dash: as entities, so that the pages
 * stay Latin-1 (one byte a character in memory) unless the data is not. */
const ICONS: Record<Tone, string> = {
  ok: '&#10004;',
  warn: '&#9650;',
  bad: '&#10006;',
  none: '&#8211;',
};

/** A state as HTML: its icon (hidden from screen readers, which read the words) and words. */
export function badge(tone: Tone, words: string): string {
  return `<span class="st st-${tone}"><span aria-hidden="true">${ICONS[tone]}&nbsp;</span>${words}</span>`;
}

export const PHASE_NAMES: Record<Phase, string> = {
  envision: 'Envision',
  build: 'Build',
  deploy: 'Deploy',
  monitor: 'Monitor',
};

/** A name of ours for `s` when there is one, else `s` with underscores as spaces (escaped). */
function wordsOf(table: Record<string, string>, s: string): string {
  return Object.hasOwn(table, s) ? table[s]! : esc(s.replace(/_/g, ' '));
}

export function phaseName(p: string): string {
  return wordsOf(PHASE_NAMES, p);
}

export const STANDING: Record<ValueStanding, { tone: Tone; words: string }> = {
  on_track: { tone: 'ok', words: 'on track' },
  at_risk: { tone: 'warn', words: 'at risk' },
  failing: { tone: 'bad', words: 'failing' },
  unknown: { tone: 'none', words: 'unknown' },
};

export function standingBadge(s: string): string {
  const known = Object.hasOwn(STANDING, s) ? STANDING[s as ValueStanding] : undefined;
  return known ? badge(known.tone, known.words) : badge('none', esc(s));
}

/** What a value metric's standing means, in a sentence. */
export function standingSentence(s: string, direction: string | undefined): string {
  const maintain = direction === 'maintain';
  switch (s) {
    case 'on_track':
      return maintain
        ? 'On track: the latest value is within its tolerance of the target.'
        : 'On track: the latest value is at or better than its target.';
    case 'at_risk':
      return maintain
        ? 'At risk: the latest value is not at its target.'
        : 'At risk: the latest value is better than its minimum acceptable, not yet at its target.';
    case 'failing':
      return maintain
        ? 'Failing: the latest value is outside its tolerance of the target.'
        : 'Failing: the latest value is worse than its minimum acceptable.';
    case 'unknown':
      return 'Unknown: no value has been observed yet.';
    default:
      return `${esc(s)}.`;
  }
}

const GUARDRAIL: Record<string, { tone: Tone; words: string }> = {
  pass: { tone: 'ok', words: 'passing' },
  warn: { tone: 'warn', words: 'warning' },
  fail: { tone: 'bad', words: 'failing' },
  unknown: { tone: 'none', words: 'unknown' },
};

export function guardrailBadge(s: string): string {
  const known = GUARDRAIL[s];
  return known && Object.hasOwn(GUARDRAIL, s)
    ? badge(known.tone, known.words)
    : badge('none', esc(s));
}

const APPROVAL: Record<string, { tone: Tone; words: string }> = {
  current: { tone: 'ok', words: 'current: it counts' },
  stale: { tone: 'warn', words: 'stale: what it signed changed since' },
  superseded: { tone: 'none', words: 'superseded by a later decision of the same role' },
  missing: { tone: 'bad', words: 'missing' },
  rejected: { tone: 'bad', words: 'rejected' },
  no_digest: { tone: 'warn', words: 'does not count: no digest of what was signed' },
  unbound: { tone: 'warn', words: 'does not count: written for the earlier contract' },
  uncommitted: { tone: 'warn', words: 'recorded, not committed yet' },
  not_authored: { tone: 'warn', words: 'does not count: not committed by the approver' },
  not_signed: { tone: 'warn', words: 'does not count: not signed by the approver' },
  same_person: { tone: 'warn', words: 'does not count: the same person fills another role' },
  not_independent: {
    tone: 'warn',
    words: 'does not count: the second line is not independent of the model',
  },
};

export function approvalBadge(s: string): string {
  const known = Object.hasOwn(APPROVAL, s) ? APPROVAL[s] : undefined;
  return known ? badge(known.tone, known.words) : badge('warn', esc(s.replace(/_/g, ' ')));
}

const WAIVER: Record<string, { tone: Tone; words: string }> = {
  in_force: { tone: 'ok', words: 'in force' },
  expired: { tone: 'bad', words: 'not in force: expired' },
  earlier_shape: { tone: 'bad', words: 'not in force: written for the earlier contract' },
  duplicate: { tone: 'bad', words: 'not in force: its id is used twice' },
  not_waivable: { tone: 'bad', words: 'not in force: its rule cannot be waived' },
  beyond_maximum: { tone: 'bad', words: 'not in force: it expires later than allowed' },
  uncommitted: { tone: 'bad', words: 'not in force: not committed yet' },
  unapproved: { tone: 'bad', words: 'not in force: not approved' },
};

export function waiverBadge(s: string): string {
  const known = Object.hasOwn(WAIVER, s) ? WAIVER[s] : undefined;
  return known ? badge(known.tone, known.words) : badge('bad', esc(s.replace(/_/g, ' ')));
}

const DECISIONS: Record<string, string> = {
  approved: 'approved',
  conditional: 'approved with conditions',
  rejected: 'rejected',
};

export function decisionWords(s: string): string {
  return wordsOf(DECISIONS, s);
}

const CLASSES: Record<string, string> = {
  prohibited: 'prohibited',
  high: 'high risk',
  minimal: 'minimal risk',
  out_of_scope: 'out of scope',
};

export function euClassWords(s: string): string {
  return wordsOf(CLASSES, s);
}

/** `_` as a space, escaped: for enumerated values shown as they are. */
export function plainWords(s: string): string {
  return esc(s.replace(/_/g, ' '));
}

/** Sort ranks of the portfolio's enumerated columns: unknown values rank 0. */
export const TIER_RANK: Record<string, number> = { low: 1, medium: 2, high: 3, critical: 4 };
export const CLASS_RANK: Record<string, number> = {
  out_of_scope: 1,
  minimal: 2,
  high: 3,
  prohibited: 4,
};
export const STATUS_RANK: Record<string, number> = {
  envision: 1,
  build: 2,
  deploy: 3,
  monitor: 4,
  retired: 5,
};
/** Worst first. */
export const STANDING_RANK: Record<string, number> = {
  failing: 1,
  at_risk: 2,
  unknown: 3,
  on_track: 4,
};

export function rank(table: Record<string, number>, s: string | undefined): number {
  return s !== undefined && Object.hasOwn(table, s) ? table[s]! : 0;
}

export function plural(n: number, word: string, many = `${word}s`): string {
  return `${n} ${n === 1 ? word : many}`;
}
