/**
 * @module page-numbers
 * Prints the page's numbers (not asserted in tests; timings are noisy here): the JS+CSS the
 * browser downloads, gzipped, and the time from clicking "Check text" to the verdict, in
 * Chromium, through nginx and two replicas of the native stack with the offline model.
 *
 *   npm run page:numbers [-- --runs 20]
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { gzipSync } from 'node:zlib';
import { REPO_ROOT } from './lib/repo.ts';
import { percentile } from './lib/statistics.ts';
import { launchChromium, startTestStack } from './stack/test-stack.ts';

const { values } = parseArgs({ options: { runs: { type: 'string', default: '20' } } });
const runs = Number(values.runs);
if (!Number.isInteger(runs) || runs < 1) {
  console.error(`page:numbers: --runs must be a positive integer, got "${values.runs}"\nusage: npm run page:numbers [-- --runs 20]`);
  process.exit(2);
}

const assetsDir = path.join(REPO_ROOT, 'static/dist/assets');
let gzipped = 0;
for (const file of readdirSync(assetsDir).filter((f) => /\.(js|css)$/.test(f))) {
  const bytes = gzipSync(readFileSync(path.join(assetsDir, file)), { level: 9 }).length;
  gzipped += bytes;
  console.log(`  ${file.padEnd(28)} ${(bytes / 1024).toFixed(1)} kB gzipped`);
}
console.log(`page JS+CSS: ${(gzipped / 1024).toFixed(1)} kB gzipped (budget 60 kB)`);

const stack = await startTestStack({ monitoring: false });
const browser = await launchChromium();
try {
  const page = await browser.newPage();
  await page.goto(stack.url);
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    await page.getByLabel('Text to check').fill(`Run ${i}: the referee is a stupid useless moron. The weather is lovely today.`);
    const started = await page.evaluate(() => performance.now());
    await page.getByRole('button', { name: 'Check text' }).click();
    await page.waitForFunction(() => document.querySelector('[data-verdict]') && !document.querySelector('[aria-busy="true"]'));
    const ended = await page.evaluate(() => performance.now());
    times.push(ended - started);
  }
  const at = (p: number) => percentile(times, p).toFixed(0);
  console.log(`time from click to verdict over ${runs} runs: median ${at(50)} ms, p90 ${at(90)} ms, max ${at(100)} ms`);
} finally {
  await browser.close();
  await stack.stop();
}
