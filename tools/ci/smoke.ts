/**
 * @module smoke
 * `npm run smoke [-- --url URL --attempts N --interval-ms MS]`: the Jenkins "Smoke check" stage.
 * The URL defaults to DEPLOY_URL. Exits 0 when the deployed stack answers, 1 when it does not,
 * 2 on a usage error.
 */
import { parseArgs } from 'node:util';
import { smokeCheck } from './smoke-check.ts';

function positive(name: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const number = Number(value);
  if (!Number.isInteger(number) || number < 1) throw new Error(`--${name} must be a positive integer`);
  return number;
}

async function main(): Promise<number> {
  let url: string | undefined;
  let attempts: number | undefined;
  let intervalMs: number | undefined;
  try {
    const { values } = parseArgs({
      options: { url: { type: 'string' }, attempts: { type: 'string' }, 'interval-ms': { type: 'string' } },
    });
    url = values.url ?? process.env.DEPLOY_URL;
    attempts = positive('attempts', values.attempts);
    intervalMs = positive('interval-ms', values['interval-ms']);
    if (!url) throw new Error('give --url or set DEPLOY_URL');
    new URL(url);
  } catch (error) {
    console.error(`smoke: ${error instanceof Error ? error.message : String(error)}`);
    return 2;
  }
  try {
    await smokeCheck({ url, ...(attempts ? { attempts } : {}), ...(intervalMs ? { intervalMs } : {}) });
    return 0;
  } catch (error) {
    console.error(error instanceof Error ? error.message : String(error));
    return 1;
  }
}

process.exitCode = await main();
