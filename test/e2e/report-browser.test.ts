/// <reference lib="dom" />
// The report's pages as a reader sees them: opened from file:// in headless Chromium (Debian's
// chromium package, installed by .ci/run; MLOPS_CHROMIUM names another executable), driven by
// playwright-core. No console error, no network request, a chart point per committed version
// with the values committed, sorting and filtering, a screenshot that is not blank, no serious
// or critical axe-core violation in light and dark, and a print to A4 PDF.
import {
  cpSync,
  existsSync,
  mkdtempSync,
  readFileSync,
  realpathSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runBin } from '../helpers/bin.js';
import { commitFiles, git } from '../helpers/gitdir.js';

const EXAMPLES = new URL('../../examples/', import.meta.url).pathname;
const CHROMIUM = process.env.MLOPS_CHROMIUM ?? '/usr/bin/chromium';
const AXE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

/** The churn example's value-tracking report with these observed values. */
function valueTracking(revenue: number, churn: number): string {
  const base = JSON.parse(
    readFileSync(join(EXAMPLES, 'churn/reports/value-tracking.json'), 'utf8'),
  ) as {
    valueMetrics: Record<string, { observed: number }>;
    metrics: Record<string, number>;
  };
  base.valueMetrics['retention-revenue']!.observed = revenue;
  base.valueMetrics['churn-rate']!.observed = churn;
  base.metrics['retention-revenue'] = revenue;
  base.metrics['churn-rate'] = churn;
  return `${JSON.stringify(base, null, 2)}\n`;
}

const VT = 'churn/reports/value-tracking.json';
/** The committed versions of the churn value report, oldest first: one does not parse. */
const VERSIONS: { date: string; revenue?: number; text: string }[] = [
  { date: '2026-06-01', revenue: 430, text: valueTracking(430, 1.85) },
  { date: '2026-07-01', revenue: 455, text: valueTracking(455, 1.82) },
  { date: '2026-08-01', text: '{ "metrics": ' },
  { date: '2026-09-01', revenue: 500, text: valueTracking(500, 1.78) },
  { date: '2026-10-01', revenue: 520, text: valueTracking(520, 1.76) },
  { date: '2026-11-01', revenue: 536, text: valueTracking(536, 1.74) },
];

let browser: Browser;
let site: string;
/** Folders made outside a test (in beforeAll), removed after all. */
const cleanup: string[] = [];

beforeAll(async () => {
  if (!existsSync(CHROMIUM))
    throw new Error(
      `no chromium at ${CHROMIUM}: install Debian's chromium package (apt-get install chromium), or set MLOPS_CHROMIUM`,
    );
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}, 60_000);

afterAll(async () => {
  await browser?.close();
  for (const dir of cleanup) rmSync(dir, { recursive: true, force: true });
});

/** The two examples in a repository, the churn value report committed six times. */
function exampleRepo(): string {
  const repo = realpathSync(mkdtempSync(join(tmpdir(), 'mlops-report-browser-')));
  cleanup.push(repo);
  git(repo, ['init', '-q', '-b', 'main']);
  git(repo, ['config', 'commit.gpgSign', 'false']);
  cpSync(EXAMPLES, repo, { recursive: true });
  const [first, ...rest] = VERSIONS;
  writeFileSync(join(repo, VT), first!.text);
  git(repo, ['add', '-A']);
  const at = `${first!.date}T12:00:00Z`;
  git(repo, ['commit', '-q', '-m', 'the examples'], {
    GIT_AUTHOR_DATE: at,
    GIT_COMMITTER_DATE: at,
  });
  for (const v of rest)
    commitFiles(repo, { [VT]: v.text }, `value ${v.date}`, `${v.date}T12:00:00Z`);
  return repo;
}

/** A page of a fresh context that records console errors and every request. */
async function open(
  url: string,
  options: { bypassCSP?: boolean; colorScheme?: 'light' | 'dark' } = {},
): Promise<{ context: BrowserContext; page: Page; errors: string[]; requests: string[] }> {
  const context = await browser.newContext({
    bypassCSP: options.bypassCSP === true,
    colorScheme: options.colorScheme ?? 'light',
    viewport: { width: 1200, height: 900 },
  });
  const page = await context.newPage();
  const errors: string[] = [];
  const requests: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error' || m.type() === 'warning') errors.push(`${m.type()}: ${m.text()}`);
  });
  page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
  page.on('request', (r) => requests.push(r.url()));
  await page.goto(url);
  return { context, page, errors, requests };
}

/** How many colours a PNG screenshot has (a blank page has one). */
async function colours(png: Buffer): Promise<number> {
  const context = await browser.newContext();
  const page = await context.newPage();
  const n = await page.evaluate(async (data) => {
    const img = new Image();
    img.src = `data:image/png;base64,${data}`;
    await img.decode();
    const canvas = document.createElement('canvas');
    canvas.width = img.width;
    canvas.height = img.height;
    const g = canvas.getContext('2d')!;
    g.drawImage(img, 0, 0);
    const px = g.getImageData(0, 0, img.width, img.height).data;
    const seen = new Set<number>();
    for (let i = 0; i < px.length; i += 4 * 7)
      seen.add((px[i]! << 16) | (px[i + 1]! << 8) | px[i + 2]!);
    return seen.size;
  }, png.toString('base64'));
  await context.close();
  return n;
}

/** Serious and critical violations of an axe-core scan of the page (WCAG 2 A and AA). */
async function axeViolations(page: Page): Promise<string[]> {
  await page.addScriptTag({ content: AXE });
  const result = (await page.evaluate(() =>
    (
      window as unknown as {
        axe: { run: (c: unknown, o: unknown) => Promise<unknown> };
      }
    ).axe.run(document, {
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] },
    }),
  )) as { violations: { id: string; impact: string; nodes: { target: string[] }[] }[] };
  return result.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id} (${v.impact}): ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}

describe('mlops report in a browser', () => {
  beforeAll(() => {
    const repo = exampleRepo();
    const r = runBin(['report', '--today', '2026-11-30', '-o', 'site'], repo);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    site = join(repo, 'site');
  }, 120_000);

  it('the portfolio opens from file:// with no error and no request, sorts and filters', async () => {
    const url = pathToFileURL(join(site, 'index.html')).href;
    const { context, page, errors, requests } = await open(url);
    try {
      expect(errors).toEqual([]);
      expect(requests).toEqual([url]);
      const rows = page.locator('#portfolio tbody tr');
      expect(await rows.count()).toBe(2);
      const names = async (): Promise<string[]> =>
        page.$$eval('#portfolio tbody tr:not([hidden])', (trs) =>
          trs.map((tr) => tr.getAttribute('data-model') ?? ''),
        );
      const header = page.locator('#portfolio thead th', { hasText: /name|model/i }).first();
      await header.locator('button').click();
      const up = await names();
      expect(await header.getAttribute('aria-sort')).toBe('ascending');
      expect(up).toEqual([...up].sort());
      await header.locator('button').click();
      expect(await header.getAttribute('aria-sort')).toBe('descending');
      expect(await names()).toEqual([...up].reverse());

      await page.fill('#filter', 'forecast');
      expect(await names()).toEqual(['store-demand-forecast']);
      expect(await page.textContent('#shown')).toMatch(/1 of 2 models/);
      await page.fill('#filter', '');
      expect((await names()).length).toBe(2);
      // the forecast example claims build and is ready for it; churn claims deploy
      await page.selectOption('#filter-readiness', 'invalid');
      expect(await names()).toEqual([]);
      await page.selectOption('#filter-readiness', '');
      expect(errors).toEqual([]);

      const shot = await page.screenshot({ fullPage: true });
      expect(await colours(shot)).toBeGreaterThan(8);
    } finally {
      await context.close();
    }
  }, 60_000);

  it('a model page draws one point per committed version, with the values committed', async () => {
    const index = readFileSync(join(site, 'index.html'), 'utf8');
    const href = /href="(models\/churn[^"]*\.html)"/.exec(index)?.[1];
    expect(href).toBeDefined();
    const url = pathToFileURL(join(site, href!)).href;
    const { context, page, errors, requests } = await open(url);
    try {
      expect(errors).toEqual([]);
      expect(requests).toEqual([url]);
      const chart = page.locator('figure.chart[data-series="retention-revenue"]');
      expect(await chart.count()).toBe(1);
      const points = await chart.locator('circle.point').evaluateAll((cs) =>
        cs.map((c) => ({
          date: c.getAttribute('data-date'),
          value: c.getAttribute('data-value'),
        })),
      );
      expect(points).toEqual(
        VERSIONS.filter((v) => v.revenue !== undefined).map((v) => ({
          date: v.date,
          value: String(v.revenue),
        })),
      );
      const gaps = await chart
        .locator('g.gap')
        .evaluateAll((gs) => gs.map((g) => g.getAttribute('data-date')));
      expect(gaps).toEqual(['2026-08-01']);
      // a row per version in its data table, and a summary in words
      expect(await chart.locator('table.chart-data tbody tr').count()).toBe(VERSIONS.length);
      expect((await chart.locator('figcaption').textContent())?.trim().length).toBeGreaterThan(20);
      // the way back to the portfolio
      await page.locator('a[href="../index.html"]').first().click();
      expect(page.url()).toBe(pathToFileURL(join(site, 'index.html')).href);
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  }, 60_000);

  it('no serious or critical accessibility violation, light or dark', async () => {
    const index = readFileSync(join(site, 'index.html'), 'utf8');
    const pages = [
      'index.html',
      ...[...index.matchAll(/href="(models\/[^"]+\.html)"/g)].map((m) => m[1]!),
    ];
    expect(pages.length).toBe(3);
    for (const scheme of ['light', 'dark'] as const) {
      for (const p of pages) {
        const { context, page } = await open(pathToFileURL(join(site, p)).href, {
          bypassCSP: true,
          colorScheme: scheme,
        });
        try {
          expect({ page: p, scheme, violations: await axeViolations(page) }).toEqual({
            page: p,
            scheme,
            violations: [],
          });
        } finally {
          await context.close();
        }
      }
    }
  }, 120_000);

  it('prints to A4 PDF pages', async () => {
    const index = readFileSync(join(site, 'index.html'), 'utf8');
    const href = /href="(models\/churn[^"]*\.html)"/.exec(index)![1]!;
    for (const p of ['index.html', href]) {
      const { context, page } = await open(pathToFileURL(join(site, p)).href);
      try {
        await page.emulateMedia({ media: 'print' });
        const pdf = await page.pdf({ format: 'A4' });
        const text = pdf.toString('latin1');
        expect(text.startsWith('%PDF-')).toBe(true);
        const pages = text.match(/\/Type\s*\/Page(?!s)/g) ?? [];
        expect(pages.length).toBeGreaterThanOrEqual(1);
        // A4: 595 x 842 points
        expect(text).toMatch(
          /\/MediaBox\s*\[\s*0\s+0\s+595(\.\d+)?\s+841\.\d+|\/MediaBox\s*\[\s*0\s+0\s+595(\.\d+)?\s+842/,
        );
      } finally {
        await context.close();
      }
    }
  }, 60_000);
});
