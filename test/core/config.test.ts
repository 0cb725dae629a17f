import { describe, expect, it } from 'vitest';
import {
  NO_CONFIG,
  extendConfig,
  globToRegExp,
  matchIgnore,
  settingOf,
  settingsInForce,
} from '../../src/core/config.js';
import type { ConfigFile } from '../../src/core/config.js';

const file = (path: string, settings: ConfigFile['settings']): ConfigFile => ({
  file: path,
  dir: path.replace(/\/?mlops\.config\.yaml$/, ''),
  settings,
});

describe('config: nearer files override farther ones, key by key', () => {
  const root = file('mlops.config.yaml', { strict: true, failOn: { diff: 'warn' } });
  const examples = file('examples/mlops.config.yaml', { strict: false });
  const deep = file('examples/churn/mlops.config.yaml', { failOn: { diff: 'none' } });

  it('keeps what a nearer file does not set, and names the file of each setting', () => {
    const resolved = [root, examples].reduce(extendConfig, NO_CONFIG);
    expect(resolved.settings).toEqual({ strict: false, failOn: { diff: 'warn' } });
    expect(resolved.sources).toEqual({
      strict: 'examples/mlops.config.yaml',
      'failOn.diff': 'mlops.config.yaml',
    });
  });

  it('three levels: each key from the nearest file that sets it', () => {
    const resolved = [root, examples, deep].reduce(extendConfig, NO_CONFIG);
    expect(settingsInForce(resolved)).toEqual([
      { key: 'failOn.diff', value: 'none', source: 'examples/churn/mlops.config.yaml' },
      { key: 'strict', value: false, source: 'examples/mlops.config.yaml' },
    ]);
    expect(resolved.chain.map((c) => c.file)).toEqual([
      'mlops.config.yaml',
      'examples/mlops.config.yaml',
      'examples/churn/mlops.config.yaml',
    ]);
  });

  it('a flag wins over the config, the config over the default', () => {
    const resolved = extendConfig(NO_CONFIG, root);
    expect(settingOf(resolved, 'strict', undefined, false)).toEqual({
      value: true,
      source: 'mlops.config.yaml',
    });
    expect(settingOf(resolved, 'strict', false, false)).toEqual({ value: false });
    expect(settingOf(NO_CONFIG, 'failOn.diff', undefined, 'error')).toEqual({ value: 'error' });
    expect(settingsInForce(resolved, ['strict']).map((s) => s.key)).toEqual(['failOn.diff']);
  });

  it('ignore, apiVersion, kind and x- keys are not settings in force', () => {
    const resolved = extendConfig(
      NO_CONFIG,
      file('mlops.config.yaml', {
        ignore: ['legacy'],
        apiVersion: 'mlops/v1',
        kind: 'Config',
        'x-team': 1,
      } as ConfigFile['settings']),
    );
    expect(resolved.settings).toEqual({});
    expect(settingsInForce(resolved)).toEqual([]);
  });
});

describe('config: ignore globs', () => {
  it.each([
    ['legacy', 'legacy/mlops.yaml', true],
    ['legacy/', 'legacy/a/b/mlops.yaml', true],
    ['legacy', 'legacy-2/mlops.yaml', false],
    ['legacy', 'models/legacy/mlops.yaml', false], // anchored at the config's folder
    ['**/legacy', 'models/legacy/mlops.yaml', true],
    ['**/legacy', 'legacy/mlops.yaml', true],
    ['models/*/mlops.yaml', 'models/churn/mlops.yaml', true],
    ['models/*/mlops.yaml', 'models/a/b/mlops.yaml', false],
    ['models/**/mlops.yaml', 'models/a/b/mlops.yaml', true],
    ['models/**/mlops.yaml', 'models/mlops.yaml', true],
    ['test/fixtures/**', 'test/fixtures/broken/mlops.yaml', true],
    ['test/fixtures/**', 'test/fixture/mlops.yaml', false],
    ['m?del', 'model/mlops.yaml', true],
    ['m?del', 'm/del/mlops.yaml', false],
    ['a.b', 'axb/mlops.yaml', false], // a dot is a dot
    ['(x)+', '(x)+/mlops.yaml', true],
    ['**', 'anything/at/all/mlops.yaml', true],
  ])('%s against %s: %s', (pattern, rel, expected) => {
    expect(matchIgnore([pattern], rel) !== undefined).toBe(expected);
  });

  it('never matches outside the folder, and names the pattern that matched', () => {
    expect(matchIgnore(['**'], '../x/mlops.yaml')).toBeUndefined();
    expect(matchIgnore(['nope', 'legacy/**'], 'legacy/a/mlops.yaml')).toBe('legacy/**');
  });

  it('compiles to an anchored expression', () => {
    expect(globToRegExp('a/*/b').source).toBe(new RegExp('^a/[^/]*/b$').source);
  });
});
