/**
 * The page in Debian's Chromium, through nginx, against two real replicas (offline model):
 * the native stack by default, the compose stack under `npm run test:compose`.
 */
import { AxeBuilder } from '@axe-core/playwright';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../tools/lib/repo.ts';
import { launchChromium } from '../../tools/stack/test-stack.ts';
import { openTarget, type Target } from '../support/target.ts';

/** Screenshots go to reports/; the README's (docs/screenshot.png) is redrawn only with UPDATE_DOCS=1. */
const SHOTS = path.join(REPO_ROOT, 'reports');
const README_SHOT = path.join(REPO_ROOT, process.env.UPDATE_DOCS === '1' ? 'docs' : 'reports', 'screenshot.png');

let stack: Target;
let browser: Browser;
const externalRequests: string[] = [];

beforeAll(async () => {
  [stack, browser] = await Promise.all([openTarget(), launchChromium()]);
});
afterAll(async () => {
  await browser?.close();
  await stack?.close();
});

async function openPage(options: { viewport?: { width: number; height: number }; dark?: boolean } = {}): Promise<Page> {
  // axe needs a page from an explicit context.
  const context = await browser.newContext({
    viewport: options.viewport ?? { width: 1000, height: 900 },
    colorScheme: options.dark ? 'dark' : 'light',
  });
  const page = await context.newPage();
  page.on('request', (request) => {
    if (!request.url().startsWith(stack.url) && !request.url().startsWith('data:')) externalRequests.push(request.url());
  });
  await page.goto(stack.url);
  await page.getByTestId('offline-notice').waitFor();
  return page;
}

async function check(page: Page, text: string) {
  await page.getByLabel('Text to check').fill(text);
  await page.getByRole('button', { name: 'Check text' }).click();
  await page.locator('[data-verdict]').waitFor();
}

describe('the page', () => {
  it('shows a toxic verdict, six bars and the highlighted sentence for a toxic text', async () => {
    const page = await openPage();
    await check(page, 'Thanks for coming to the party. You are a stupid worthless bitch.');
    expect(await page.locator('[data-verdict]').getAttribute('data-verdict')).toBe('toxic');
    expect(await page.getByRole('meter').count()).toBe(6);
    expect(await page.locator('mark').first().textContent()).toContain('stupid worthless bitch');
    await expect.poll(() => page.locator('.took').textContent()).toMatch(/Checked in \d+ ms/);
    await page.close();
  });

  it('shows not toxic for a clean text', async () => {
    const page = await openPage();
    await check(page, 'Thank you so much for the lovely dinner, see you next week.');
    expect(await page.locator('[data-verdict]').getAttribute('data-verdict')).toBe('clean');
    expect(await page.getByRole('heading', { name: 'Not toxic' }).isVisible()).toBe(true);
    await page.close();
  });

  it('shows the validation message for an empty submit', async () => {
    const page = await openPage();
    await page.getByRole('button', { name: 'Check text' }).click();
    expect(await page.getByRole('alert').first().textContent()).toBe('Enter some text to check.');
    await page.close();
  });

  it('works with the keyboard alone', async () => {
    const page = await openPage();
    const focused = () => page.evaluate(() => document.activeElement?.getAttribute('id') ?? document.activeElement?.textContent);
    for (let i = 0; i < 10 && (await focused()) !== 'text'; i++) await page.keyboard.press('Tab');
    expect(await focused()).toBe('text');
    await page.keyboard.type('You are an idiot and a loser.');
    for (let i = 0; i < 10 && (await focused()) !== 'Check text'; i++) await page.keyboard.press('Tab');
    expect(await focused()).toBe('Check text');
    await page.keyboard.press('Enter');
    await page.locator('[data-verdict="toxic"]').waitFor();
    await page.getByLabel('Text to check').focus();
    await page.keyboard.press('Control+A');
    await page.keyboard.type('The weather is lovely today.');
    await page.keyboard.press('Control+Enter');
    await page.locator('[data-verdict="clean"]').waitFor();
    await page.close();
  });

  it('has no serious or critical accessibility violations, light and dark', async () => {
    for (const dark of [false, true]) {
      const page = await openPage({ dark });
      await check(page, 'The match was fun. But the referee is a stupid useless moron.');
      const { violations } = await new AxeBuilder({ page }).analyze();
      const serious = violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
      expect(serious.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual([]);
      await page.close();
    }
  });

  it('fits a phone-sized screen without sideways scrolling', async () => {
    const page = await openPage({ viewport: { width: 360, height: 740 } });
    await check(page, 'You are a pathetic idiot and nobody wants you here.');
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    await page.screenshot({ path: path.join(SHOTS, 'screenshot-phone.png'), fullPage: true });
    await page.close();
  });

  it('saves a screenshot for the README', async () => {
    const page = await openPage({ viewport: { width: 900, height: 1000 } });
    await page.getByRole('button', { name: 'Mixed' }).click();
    await page.getByRole('button', { name: 'Check text' }).click();
    await page.locator('[data-verdict]').waitFor();
    await page.screenshot({ path: README_SHOT, fullPage: true });
    await page.close();
  });

  it('made no request outside the service', () => {
    expect(externalRequests).toEqual([]);
  });

  it('shows a friendly error when the API fails (every replica stopped)', async () => {
    const page = await openPage();
    await stack.stopFunctions();
    try {
      await page.getByLabel('Text to check').fill('hello');
      await page.getByRole('button', { name: 'Check text' }).click();
      const error = page.getByTestId('error');
      await error.waitFor();
      expect(await error.textContent()).toMatch(/busy or still starting\. Please try again in 2 seconds/);
    } finally {
      await stack.startFunctions();
      await page.close();
    }
  });
});
