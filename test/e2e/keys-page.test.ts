/**
 * The page in Debian's Chromium with API keys and TLS on (as exposed: a throwaway certificate,
 * which this Chromium trusts by its public key): it asks for a key when the API answers 401,
 * says plainly when the key is wrong, keeps the key for the tab only and sends it as a header,
 * never in the URL.
 */
import { rmSync } from 'node:fs';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runKeys } from '../../tools/keys/cli.ts';
import { makeThrowawayCa, spkiHash } from '../../tools/lib/throwaway-ca.ts';
import type { Stack } from '../../tools/stack/stack.ts';
import { launchChromium, startTestStack } from '../../tools/stack/test-stack.ts';

const ca = makeThrowawayCa();
const keyFile = path.join(ca.dir, 'api-keys.json');
let key: string;
let stack: Stack;
let browser: Browser;

beforeAll(async () => {
  runKeys(['add', 'page-user', '--file', keyFile], {}, (line) => (key = line));
  [stack, browser] = await Promise.all([
    startTestStack({ monitoring: false, apiKeysFile: keyFile, tls: { cert: ca.cert, key: ca.key } }),
    launchChromium([`--ignore-certificate-errors-spki-list=${spkiHash(ca.cert)}`]),
  ]);
});
afterAll(async () => {
  await browser?.close();
  await stack?.stop();
  rmSync(ca.dir, { recursive: true, force: true });
});

describe('the page with API keys on', () => {
  it('asks for a key, says a wrong one is not accepted, then checks one text and many with the right one, sent as X-API-Key, kept for this tab only and never in the URL', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    const apiRequests: Array<{ url: string; key: string | undefined }> = [];
    page.on('request', (request) => {
      if (new URL(request.url()).pathname.startsWith('/api/')) apiRequests.push({ url: request.url(), key: request.headers()['x-api-key'] });
    });
    const landing = await page.goto(stack.url);
    expect(stack.url).toMatch(/^https:/);
    expect(landing?.status()).toBe(200);
    const prompt = page.getByTestId('key-prompt');
    await expect.poll(() => prompt.getByRole('alert').textContent()).toContain('needs an API key');

    await page.getByLabel('API key').fill('tm_not-the-right-key');
    await page.getByRole('button', { name: 'Use this key' }).click();
    await expect.poll(() => prompt.getByRole('alert').textContent()).toContain('was not accepted: it is wrong, or it has been revoked');

    await page.getByLabel('API key').fill(key);
    await page.getByRole('button', { name: 'Use this key' }).click();
    await page.getByTestId('offline-notice').waitFor();
    expect(await prompt.count()).toBe(0);
    await page.getByLabel('Text to check').fill('You are a stupid worthless idiot.');
    await page.getByRole('button', { name: 'Check text' }).click();
    await page.locator('[data-verdict]').waitFor();

    const last = apiRequests.at(-1)!;
    expect(new URL(last.url).pathname).toBe('/api/v1/classify');
    expect(last.key).toBe(key);
    expect(apiRequests.every((r) => !r.url.includes('key'))).toBe(true);
    expect(page.url()).not.toContain(key);
    expect(await page.evaluate(() => [Object.keys(sessionStorage).length, localStorage.length, document.cookie])).toEqual([1, 0, '']);

    // Many texts sends the same key with every request it makes.
    const before = apiRequests.length;
    await page.getByRole('tab', { name: 'Many texts' }).click();
    await page.getByLabel('Texts to check, one per line').fill('You are a stupid worthless idiot.\nHave a lovely day.\nSee you tomorrow.');
    await page.getByRole('button', { name: 'Check texts' }).click();
    await expect.poll(() => page.locator('#batch-progress-label').textContent()).toContain('Done. 3 of 3');
    const batchRequests = apiRequests.slice(before).filter((r) => new URL(r.url).pathname === '/api/v1/classify');
    expect(batchRequests.length).toBeGreaterThan(0);
    expect(batchRequests.every((r) => r.key === key)).toBe(true);

    // Another tab of the same browser profile starts without the key.
    const other = await context.newPage();
    await other.goto(stack.url);
    await other.getByTestId('key-prompt').waitFor();
    await context.close();
  });
});
