import { describe, expect, it } from 'vitest';
import { exitCodeFor, exitCodeForGroups } from '../../src/cli/exit-code.js';

const w = { severity: 'warning' as const };
const e = { severity: 'error' as const };
const strict = { key: 'strict' as const, value: true, source: 'examples/mlops.config.yaml' };

describe('exit codes', () => {
  it('1 at or above the threshold; none never fails; the threshold may depend on the finding', () => {
    expect(exitCodeFor([w], 'error')).toBe(0);
    expect(exitCodeFor([w], 'warning')).toBe(1);
    expect(exitCodeFor([e], 'none')).toBe(0);
    expect(exitCodeFor([w, e], (f) => (f.severity === 'error' ? 'none' : 'info'))).toBe(1);
  });

  it('per manifest: each held to its own threshold; the settings that changed a verdict', () => {
    expect(
      exitCodeForGroups(
        [
          { findings: [w], failOn: 'warning', setting: strict },
          { findings: [w], failOn: 'error' },
        ],
        'error',
      ),
    ).toEqual({ code: 1, decisive: [strict] });
    // strict where there is no warning, or where an error fails anyway, changes nothing
    expect(
      exitCodeForGroups(
        [
          { findings: [], failOn: 'warning', setting: strict },
          { findings: [e], failOn: 'warning', setting: strict },
        ],
        'error',
      ),
    ).toEqual({ code: 1, decisive: [] });
    const none = { key: 'failOn.diff' as const, value: 'none', source: 'mlops.config.yaml' };
    expect(exitCodeForGroups([{ findings: [e], failOn: 'none', setting: none }], 'error')).toEqual({
      code: 0,
      decisive: [none],
    });
  });
});
