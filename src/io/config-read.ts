import { CONFIG_FILENAME, configSchemaFindings } from '../core/config.js';
import type { ConfigFile, ConfigSettings } from '../core/config.js';
import { compareFindings, finding, fingerprintOf } from '../core/findings.js';
import type { Finding } from '../core/findings.js';
import { readYaml } from '../core/manifest/reader.js';
import type { SchemaValidator } from '../core/manifest/schema-findings.js';
import { InputError } from '../errors.js';
import { readConfigSchemaText } from './assets.js';
import { cwdOf, readCheckedInput, readScopeOf } from './read.js';

/**
 * A config file that does not validate: the run stops (exit 2) with its located findings, which
 * the top-level catch lists (it knows the error by its `findings`, not its class, which a
 * bundle may hold a copy of).
 */
export class ConfigError extends InputError {
  readonly findings: Finding[];
  constructor(findings: Finding[]) {
    const files = [...new Set(findings.map((f) => f.file ?? CONFIG_FILENAME))];
    super(`invalid config file${files.length > 1 ? 's' : ''}: ${files.join(', ')}`, {
      hint: 'fix the places listed above (`mlops schema --config` describes every setting), or delete the file',
    });
    this.findings = findings;
  }
}

// A bundle of its own (see src/build/bundle.mjs), loaded only when a config file exists. The
// schema is compiled at build time, as the manifest's is; from source, ajv compiles it here.
let validatorPromise: Promise<SchemaValidator> | undefined;
function loadConfigValidator(): Promise<SchemaValidator> {
  validatorPromise ??= import('../config-validator.js' as string).then(
    (mod: { default: SchemaValidator }) => mod.default,
    async () => {
      const { compileValidator } = await import('./schema-compile.js');
      return compileValidator(JSON.parse(readConfigSchemaText()) as object);
    },
  );
  return validatorPromise;
}

/** The findings of one config file's text: YAML, then its schema, each located. */
export async function configFindings(
  text: string,
  file: string,
): Promise<{ data: unknown; findings: Finding[] }> {
  const read = readYaml(text, file);
  // the reader words an empty file or a list as a manifest would; a config file says its own
  let findings = read.findings.map((f): Finding => {
    const own =
      f.code === 'EMPTY_FILE'
        ? 'CONFIG_EMPTY'
        : f.code === 'NOT_A_MAPPING'
          ? 'CONFIG_NOT_A_MAPPING'
          : undefined;
    if (own === undefined) return f;
    return {
      ...finding(own, []),
      file,
      line: f.line ?? 1,
      column: f.column ?? 1,
      fingerprint: fingerprintOf(['config', own]),
    };
  });
  if (findings.length === 0) {
    const validate = await loadConfigValidator();
    if (!validate(read.data)) {
      findings = configSchemaFindings(validate.errors ?? []).map((f) => ({
        ...f,
        file,
        ...read.locate(f.path, f.target),
      }));
    }
  }
  return { data: read.data, findings: findings.sort(compareFindings) };
}

/**
 * Reads and validates config files; any finding in any of them stops the run (exit 2), naming
 * every place to fix at once. Each is read as a manifest is (see `readCheckedInput`): a config
 * file that leads outside `root` (default: its repository, see `readScopeOf`), is no regular
 * file, is over 1 MiB or is not UTF-8 is such a finding, and is never read.
 */
export async function readConfigFiles(
  files: readonly { abs: string; file: string; dir: string; root?: string }[],
): Promise<ConfigFile[]> {
  const out: ConfigFile[] = [];
  const findings: Finding[] = [];
  for (const { abs, file, dir, root } of files) {
    const scope = readScopeOf(abs, cwdOf(abs, file), root !== undefined ? { repoRoot: root } : {});
    const bytes = readCheckedInput(abs, file, { scope });
    if ('finding' in bytes) {
      findings.push(bytes.finding);
      continue;
    }
    const read = await configFindings(bytes.bytes.toString('utf8'), file);
    findings.push(...read.findings);
    if (read.findings.length === 0) out.push({ file, dir, settings: read.data as ConfigSettings });
  }
  if (findings.length > 0) throw new ConfigError(findings);
  return out;
}
