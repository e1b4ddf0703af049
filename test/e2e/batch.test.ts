/**
 * The page's "Many texts" in Debian's Chromium, through nginx, against two real replicas
 * (offline model): a 2,000-row CSV file scored with a progress bar, sorted, filtered, exported,
 * used by keyboard, checked with axe and at phone width; a 10,000-row file to check that only
 * the rows in view are rendered, that the arrow keys reach rows beyond them, and Cancel.
 */
import { AxeBuilder } from '@axe-core/playwright';
import { parse } from 'csv-parse/sync';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../tools/lib/repo.ts';
import { launchChromium } from '../../tools/stack/test-stack.ts';
import { openTarget, type Target } from '../support/target.ts';

/** The README's docs/screenshot-batch.png is redrawn only with UPDATE_DOCS=1. */
const README_SHOT = path.join(REPO_ROOT, process.env.UPDATE_DOCS === '1' ? 'docs' : 'reports', 'screenshot-batch.png');
/** Generous: the machine is shared, and the offline model scores a few hundred texts a second. */
const SCORING_TIMEOUT_MS = 600_000;

const CLEAN = ['Thank you so much for the lovely dinner.', 'The weather is lovely today.', 'See you at the meeting next week.', 'Great match last night, well played.'];
const TOXIC = ['You are a stupid worthless idiot.', 'Shut up, you pathetic loser.', 'The match was fun. But the referee is a stupid useless moron.'];

function csvFile(dir: string, rows: number): string {
  const lines = ['id,comment'];
  for (let i = 1; i <= rows; i++) {
    const pool = i % 3 === 0 ? TOXIC : CLEAN;
    lines.push(`${i},"${pool[i % pool.length]} (${i})"`);
  }
  const file = path.join(dir, `comments-${rows}.csv`);
  writeFileSync(file, lines.join('\n') + '\n');
  return file;
}

let stack: Target;
let browser: Browser;
let dir: string;
const externalRequests: string[] = [];

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'batch-e2e-'));
  [stack, browser] = await Promise.all([openTarget(), launchChromium()]);
});
afterAll(async () => {
  await browser?.close();
  await stack?.close();
  rmSync(dir, { recursive: true, force: true });
});

async function openBatch(viewport = { width: 1200, height: 900 }): Promise<Page> {
  const context = await browser.newContext({ viewport, acceptDownloads: true });
  const page = await context.newPage();
  page.on('request', (request) => {
    const url = request.url();
    if (!url.startsWith(stack.url) && !url.startsWith('data:') && !url.startsWith('blob:')) externalRequests.push(url);
  });
  await page.goto(stack.url);
  await page.getByTestId('offline-notice').waitFor();
  await page.getByRole('tab', { name: 'Many texts' }).click();
  await page.getByLabel('Texts to check, one per line').waitFor();
  return page;
}

/** Chooses the file and starts scoring; resolves with the milliseconds until "Done.". */
async function scoreFile(page: Page, file: string): Promise<{ tookMs: number; sawPartial: boolean }> {
  await page.locator('#batch-file').setInputFiles(file);
  await page.getByTestId('file-chosen').waitFor();
  const began = Date.now();
  await page.getByRole('button', { name: 'Check texts' }).click();
  const progress = page.getByTestId('batch-progress');
  await progress.waitFor();
  let sawPartial = false;
  await expect
    .poll(
      async () => {
        const [value, max] = await Promise.all([progress.getAttribute('value'), progress.getAttribute('max')]);
        if (Number(value) > 0 && Number(value) < Number(max)) sawPartial = true;
        return (await page.locator('#batch-progress-label').textContent()) ?? '';
      },
      { timeout: SCORING_TIMEOUT_MS, interval: 100 },
    )
    .toMatch(/^Done\./);
  return { tookMs: Date.now() - began, sawPartial };
}

const renderedRows = (page: Page) => page.locator('tr.result-row').evaluateAll((rows) => rows.map((r) => Number(r.getAttribute('data-row'))));
const shownCount = async (page: Page) => Number(((await page.getByTestId('shown-count').textContent()) ?? '').match(/Showing ([\d,]+)/)![1]!.replace(/,/g, ''));
const columnValues = (page: Page, label: string) =>
  page.locator(`tr.result-row td[data-label="${label}"] [role="meter"]`).evaluateAll((meters) => meters.map((m) => Number(m.getAttribute('aria-valuenow'))));

describe('the page with many texts (2,000-row CSV file)', () => {
  let page: Page;

  it('scores the file with a progress bar up to "Done." and shows every row', async () => {
    page = await openBatch();
    const { tookMs, sawPartial } = await scoreFile(page, csvFile(dir, 2000));
    console.log(`2,000 rows scored in ${(tookMs / 1000).toFixed(1)} s`);
    expect(sawPartial).toBe(true);
    expect(await page.locator('#batch-progress-label').textContent()).toMatch(/^Done\. 2,000 of 2,000 texts in [\d.]+ s\.$/);
    expect(await shownCount(page)).toBe(2000);
    expect(await renderedRows(page)).toContain(1);
  }, SCORING_TIMEOUT_MS);

  it('sorts by a label, highest first, then lowest first', async () => {
    await page.getByRole('button', { name: 'Insult' }).click();
    expect(await page.locator('th:has(button[data-sort="insult"])').getAttribute('aria-sort')).toBe('descending');
    const down = await columnValues(page, 'insult');
    expect(down.length).toBeGreaterThan(5);
    expect(down).toEqual([...down].sort((a, b) => b - a));
    await page.getByRole('button', { name: 'Insult' }).click();
    const up = await columnValues(page, 'insult');
    expect(up).toEqual([...up].sort((a, b) => a - b));
    expect(up[0]).toBeLessThanOrEqual(down[0]!);
  });

  it('filters to flagged rows, to one label, and by a search', async () => {
    await page.getByLabel('Flagged only').check();
    const flagged = await shownCount(page);
    expect(flagged).toBeGreaterThan(0);
    expect(flagged).toBeLessThan(2000);
    const rows = page.locator('tr.result-row');
    expect(await rows.count()).toBeGreaterThan(0);
    expect(await rows.filter({ hasNot: page.locator('td.over') }).count()).toBe(0);

    await page.getByLabel('Label', { exact: true }).selectOption('toxic');
    expect(await shownCount(page)).toBeLessThanOrEqual(flagged);
    expect(await rows.filter({ hasNot: page.locator('td[data-label="toxic"].over') }).count()).toBe(0);

    await page.getByLabel('Flagged only').uncheck();
    await page.getByLabel('Label', { exact: true }).selectOption('');
    await page.getByLabel('Search').fill('WEATHER');
    expect(await shownCount(page)).toBe(Array.from({ length: 2000 }, (_, i) => i + 1).filter((i) => i % 3 !== 0 && i % 4 === 1).length);
    const texts = await page.locator('tr.result-row .row-open').allTextContents();
    expect(texts.every((t) => t.includes('weather'))).toBe(true);
    await page.getByLabel('Search').fill('');
    expect(await shownCount(page)).toBe(2000);
  });

  it('downloads the rows shown, in the order shown, as CSV with the six scores', async () => {
    await page.getByLabel('Flagged only').check();
    await page.getByRole('button', { name: 'Toxic', exact: true }).click();
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Download CSV' }).click()]);
    const raw = readFileSync((await download.path())!, 'utf8');
    expect(raw.startsWith('\uFEFFrow,text,toxic,severe_toxic,obscene,threat,insult,identity_hate,flagged,labels,error\r\n')).toBe(true);
    const records = parse(raw, { bom: true, columns: true }) as Record<string, string>[];
    expect(records.length).toBe(await shownCount(page));
    expect(records.every((r) => r.flagged === 'true' && r.labels !== '')).toBe(true);
    const toxic = records.map((r) => Number(r.toxic));
    expect(toxic).toEqual([...toxic].sort((a, b) => b - a));
    const shown = await renderedRows(page);
    expect(records.slice(0, shown.length).map((r) => Number(r.row))).toEqual(shown);
    const firstText = await page.locator('tr.result-row .row-open').first().textContent();
    expect(records[0]!.text).toBe(firstText);
    await page.getByLabel('Flagged only').uncheck();
  });

  it('works with the keyboard: sort from a header, open a row with Enter in One text with its sentence highlighted', async () => {
    const focused = () => page.evaluate(() => document.activeElement?.getAttribute('data-sort') ?? document.activeElement?.className);
    await page.getByRole('tab', { name: 'Many texts' }).focus();
    for (let i = 0; i < 40 && (await focused()) !== 'insult'; i++) await page.keyboard.press('Tab');
    expect(await focused()).toBe('insult');
    await page.keyboard.press('Enter');
    expect(await page.locator('th:has(button[data-sort="insult"])').getAttribute('aria-sort')).toBe('descending');
    for (let i = 0; i < 20 && (await focused()) !== 'row-open'; i++) await page.keyboard.press('Tab');
    expect(await focused()).toBe('row-open');
    const text = await page.evaluate(() => document.activeElement?.textContent);
    await page.keyboard.press('Enter');
    expect(await page.getByRole('tab', { name: 'One text' }).getAttribute('aria-selected')).toBe('true');
    await expect.poll(() => page.getByLabel('Text to check').inputValue()).toBe(text);
    await page.locator('[data-verdict="toxic"]').waitFor();
    expect(await page.locator('#panel-one mark').count()).toBeGreaterThan(0);
    await page.getByRole('tab', { name: 'One text' }).focus();
    await page.keyboard.press('ArrowRight');
    expect(await page.getByRole('tab', { name: 'Many texts' }).getAttribute('aria-selected')).toBe('true');
    expect(await shownCount(page)).toBe(2000);
  });

  it('has no serious or critical accessibility violations, light and dark', async () => {
    for (const colorScheme of ['light', 'dark'] as const) {
      await page.emulateMedia({ colorScheme });
      const { violations } = await new AxeBuilder({ page }).analyze();
      const serious = violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
      expect(serious.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual([]);
    }
    await page.emulateMedia({ colorScheme: 'light' });
  });

  it('saves a screenshot for the README', async () => {
    await page.getByRole('button', { name: 'Toxic', exact: true }).click();
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.screenshot({ path: README_SHOT, fullPage: true });
  });

  it('fits a phone-sized screen without sideways scrolling of the page', async () => {
    await page.setViewportSize({ width: 390, height: 844 });
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    await page.screenshot({ path: path.join(REPO_ROOT, 'reports', 'screenshot-batch-phone.png'), fullPage: true });
    await page.close();
  });
});

describe('the page with many texts (10,000-row CSV file)', () => {
  let page: Page;
  const file = () => csvFile(dir, 10_000);

  it('renders only the rows in view, at the top and scrolled halfway', async () => {
    page = await openBatch();
    const { tookMs } = await scoreFile(page, file());
    console.log(`10,000 rows scored in ${(tookMs / 1000).toFixed(1)} s`);
    expect(await shownCount(page)).toBe(10_000);
    const top = await renderedRows(page);
    expect(top.length).toBeGreaterThan(5);
    expect(top.length).toBeLessThanOrEqual(50);
    await page.locator('.table-scroll').evaluate((el) => (el.scrollTop = el.scrollHeight / 2));
    await expect.poll(async () => (await renderedRows(page))[0]).toBeGreaterThan(4000);
    const middle = await renderedRows(page);
    expect(middle.length).toBeLessThanOrEqual(50);
    expect(middle.some((row) => row > 4900 && row < 5100)).toBe(true);
  }, SCORING_TIMEOUT_MS);

  it('moves between rows with the arrow keys and Page Down, past the rows first rendered', async () => {
    await page.locator('.table-scroll').evaluate((el) => (el.scrollTop = 0));
    await expect.poll(async () => (await renderedRows(page))[0]).toBe(1);
    await page.locator('.row-open').first().focus();
    for (let i = 0; i < 3; i++) await page.keyboard.press('ArrowDown');
    for (let i = 0; i < 10; i++) await page.keyboard.press('PageDown');
    await page.keyboard.press('ArrowUp');
    const focused = () => page.evaluate(() => `${document.activeElement?.getAttribute('data-index')} ${document.activeElement?.closest('tr')?.getAttribute('data-row')}`);
    await expect.poll(focused).toBe('102 103');
    expect((await renderedRows(page)).length).toBeLessThanOrEqual(50);
  });

  it('stops at Cancel with part of the rows done', async () => {
    await page.getByRole('button', { name: 'Check texts' }).click();
    const progress = page.getByTestId('batch-progress');
    await expect.poll(async () => Number(await progress.getAttribute('value')), { timeout: 60_000 }).toBeGreaterThan(0);
    await page.getByRole('button', { name: 'Cancel' }).click();
    await expect.poll(() => page.locator('#batch-progress-label').textContent()).toMatch(/^Cancelled\./);
    const done = Number(await progress.getAttribute('value'));
    expect(done).toBeGreaterThan(0);
    expect(done).toBeLessThan(10_000);
    expect(await shownCount(page)).toBe(done);
    await page.close();
  }, 120_000);

  it('made no request outside the service', () => {
    expect(externalRequests).toEqual([]);
  });
});
