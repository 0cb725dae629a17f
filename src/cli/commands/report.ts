import { resolve } from 'node:path';
import { KeptStrings, assembleReport, modelDetail } from '../../core/report/collect.js';
import type { ModelDetail } from '../../core/report/collect.js';
import { DEFAULT_HISTORY } from '../../core/report/model.js';
import type { ModelData } from '../../core/report/model.js';
import { UsageError } from '../../errors.js';
import { checkSiteFolder, writeSite } from '../../io/report-site.js';
import { describeText } from '../../report/describe.js';
import { jsonChunksOfList } from '../../report/escape.js';
import { renderModelPage, renderPortfolio } from '../../report/site/index.js';
import { plural } from '../../report/words.js';
import type { CommandContext } from '../context.js';
import { writeOutputs } from '../output.js';
import { gatherCheck, outsideRepository } from './check.js';

/** The options of `mlops report` (src/cli/run.ts). */
export interface ReportOptions {
  format?: 'html' | 'json';
  output?: string;
  today?: string;
  history?: string;
  force?: boolean;
}

/** The most versions `--history` may ask for per evidence file. */
const MAX_HISTORY = 1000;

/** `--history`: a whole number from 1 to 1000. */
function parseHistory(value: string | undefined): number {
  if (value === undefined) return DEFAULT_HISTORY;
  const n = /^\d+$/.test(value.trim()) ? Number(value) : NaN;
  if (!Number.isSafeInteger(n) || n < 1 || n > MAX_HISTORY)
    throw new UsageError(
      `--history must be a whole number from 1 to ${MAX_HISTORY}, not "${value}"`,
      {
        hint: `give how many of the newest committed versions of each evidence file to draw, e.g. --history 24 (default ${DEFAULT_HISTORY})`,
      },
    );
  return n;
}

/** `mlops report`: writes the static site (or its data); see README "mlops report". */
export async function runReport(
  paths: string[],
  options: ReportOptions,
  ctx: CommandContext,
): Promise<number> {
  const { cwd } = ctx.io;
  const historyLimit = parseHistory(options.history);
  const format = options.format ?? 'html';
  if (options.output !== undefined && options.output.trim() === '')
    throw new UsageError('-o needs a path', {
      hint:
        format === 'json'
          ? 'give the file to write the data to, e.g. -o portfolio.json, or leave -o out for standard output'
          : 'give the folder to write the site to, e.g. -o site (default: mlops-report)',
    });
  const shown = options.output ?? (format === 'html' ? 'mlops-report' : undefined);
  const target = shown === undefined ? undefined : { abs: resolve(cwd, shown), shown };
  // a folder mlops will not write into is said before the models are judged
  if (format === 'html') checkSiteFolder(target!.abs, target!.shown);

  const strings = new KeptStrings();
  const details: (ModelDetail | undefined)[] = [];
  const gathered = await gatherCheck(
    paths,
    {
      ...(options.today !== undefined ? { today: options.today } : {}),
      historyDepth: historyLimit,
      detail: (index, facts) => {
        details[index] = modelDetail(facts, { historyLimit, strings });
      },
    },
    ctx.io,
  ).catch(
    outsideRepository(
      'mlops report draws the evidence committed to git: run it inside the repository (git init, then commit the manifests and their evidence)',
    ),
  );
  const { result } = gathered;
  const tell = (f: Parameters<typeof describeText>[0]) =>
    describeText(f, { invokedAs: ctx.invokedAs });
  const data = assembleReport(
    { version: ctx.toolVersion, today: result.today, root: result.root, historyLimit },
    result.manifests,
    details,
    tell,
  );

  if (format === 'json') {
    // a model at a time, as check's JSON; to a file as every command's -o writes one
    writeOutputs(
      {
        targets: [{ format: 'json', ...(target ? { file: target } : {}) }],
        quiet: false,
        quietFrom: '',
        overridden: [],
      },
      () =>
        (function* () {
          yield* jsonChunksOfList({ ...data, models: [] }, 'models', data.models, (m) => m);
          yield '\n';
        })(),
      ctx.io,
    );
    return 0;
  }

  const folder = target!;
  const byPage = new Map<string, ModelData>(data.models.map((m) => [m.page, m]));
  const done = writeSite(
    folder,
    ['index.html', ...byPage.keys()],
    (rel) =>
      rel === 'index.html' ? renderPortfolio(data) : renderModelPage(byPage.get(rel)!, data),
    { force: options.force === true },
  );
  const at = (rel: string): string => `${folder.shown.replace(/\/+$/, '') || '.'}/${rel}`;
  const lines = [
    `wrote ${at('index.html')} and ${plural(data.models.length, 'model page')}`,
    ...done.removed.map((rel) => `removed ${at(rel)}: its model is no longer reported`),
    ...done.kept.map(
      (rel) => `left ${at(rel)} in place: an earlier report wrote it, and it was changed since`,
    ),
  ];
  ctx.io.stdout(`${lines.join('\n')}\n`);
  return 0;
}
