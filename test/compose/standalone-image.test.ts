/**
 * The function image on its own, as `docker run -p 8080:8080 IMAGE` starts it: no proxy, no
 * compose. It serves the page and the API on one port, and the page works in Chromium.
 * Published on 127.0.0.1:18081 here, since compose's proxy holds 8080.
 */
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitForOk } from '../../tools/lib/wait.ts';
import { launchChromium } from '../../tools/stack/test-stack.ts';
import { postJson } from '../support/http.ts';
import { COMPOSE_ENV, docker } from './compose-cli.ts';

const URL = 'http://127.0.0.1:18081';
const NAME = `toxicity-standalone-${process.pid}`;
let browser: Browser;

beforeAll(async () => {
  await docker(['rm', '-f', NAME]).catch(() => undefined);
  await docker(['run', '-d', '--name', NAME, '--read-only', '--tmpfs', '/tmp', '-p', '127.0.0.1:18081:8080', `toxicity-monitor/functions:${COMPOSE_ENV.IMAGE_TAG}`]);
  [browser] = await Promise.all([launchChromium(), waitForOk(`${URL}/readyz`, 120_000)]);
}, 180_000);
afterAll(async () => {
  await browser?.close();
  await docker(['rm', '-f', NAME]).catch(() => undefined);
});

describe('the function image alone', () => {
  it('serves the page, which checks a text through the API of the same container', async () => {
    const page = await browser.newPage();
    await page.goto(URL);
    await page.getByTestId('offline-notice').waitFor();
    await page.getByLabel('Text to check').fill('Thanks for coming. You are a stupid worthless bitch.');
    await page.getByRole('button', { name: 'Check text' }).click();
    await page.locator('[data-verdict]').waitFor();
    expect(await page.locator('[data-verdict]').getAttribute('data-verdict')).toBe('toxic');
    expect(await page.getByRole('meter').count()).toBe(6);
    await page.close();
  });

  it('answers the API on the same port', async () => {
    const res = await postJson(`${URL}/api/v1/classify`, { text: 'Have a nice day' });
    expect(res.status).toBe(200);
    expect(((await res.json()) as { results: unknown[] }).results).toHaveLength(1);
  });

  it('does not take a client id from a request header, having no proxy in front to set it', async () => {
    const env = await docker(['inspect', '-f', '{{json .Config.Env}}', NAME]);
    expect(env).not.toContain('CLIENT_ID_HEADER');
  });
});
