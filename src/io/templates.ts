import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { InternalError } from '../errors.js';
import { TEMPLATES_DIR } from './assets.js';

/** One entry of `templates/index.json`. */
export interface TemplateInfo {
  name: string;
  /** One line, shown by `mlops init --list-templates` and in the template question. */
  description: string;
}

function isTemplateInfo(v: unknown): v is TemplateInfo {
  return (
    v !== null &&
    typeof v === 'object' &&
    typeof (v as TemplateInfo).name === 'string' &&
    /^[a-z0-9-]+$/.test((v as TemplateInfo).name) &&
    typeof (v as TemplateInfo).description === 'string'
  );
}

/** The templates shipped with mlops, in the order of `templates/index.json` (default first). */
export function listTemplates(dir: string = TEMPLATES_DIR): TemplateInfo[] {
  let list: unknown;
  try {
    list = JSON.parse(readFileSync(join(dir, 'index.json'), 'utf8'));
  } catch (cause) {
    throw new InternalError(`cannot read the template index in ${dir}`, {
      cause,
      hint: 'reinstall mlops',
    });
  }
  if (!Array.isArray(list) || !list.every(isTemplateInfo)) {
    throw new InternalError(`the template index in ${dir} is malformed`, {
      hint: 'reinstall mlops',
    });
  }
  return list;
}

/** The text of a template listed in the index (the command checks the name first). */
export function readTemplate(name: string, dir: string = TEMPLATES_DIR): string {
  try {
    return readFileSync(join(dir, `${name}.yaml`), 'utf8');
  } catch (cause) {
    throw new InternalError(`template "${name}" is listed but cannot be read`, {
      cause,
      hint: 'reinstall mlops',
    });
  }
}
