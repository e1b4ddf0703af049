/**
 * @module model/first-run
 * The first step of `npm start` (built into dist/functions/first-run.mjs): when the model the
 * server would load is missing, offer to fetch it from the Hub first, with the progress bar and
 * checksums of `npm run model:fetch`. fetch/offer.ts decides whether to ask; where the Hub
 * cannot be reached, or the offer is declined, it says so and the server then starts on the
 * offline stand-in, which it announces itself. Exits 0 whatever happened to the download, so
 * the server always starts (and reports its own configuration errors); 2 for a bad
 * MODEL_FETCH. The images never run this: a replica never downloads.
 */
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { createInterface } from 'node:readline/promises';
import type { ModelDtype } from '../functions/src/config.ts';
import { hasModel } from '../functions/src/model/location.ts';
import { oneLine } from './fetch/errors.ts';
import { fetchModel, summary, type FetchOptions } from './fetch/fetch-model.ts';
import { probe } from './fetch/hub.ts';
import { decideFetch, fetchSetting, isYes, type FetchSetting } from './fetch/offer.ts';
import { resolveOptions } from './fetch/options.ts';

/** Left in MODEL_DIR when the person says no, so npm start asks once, not at every start. */
const DECLINED_FILE = '.fetch-declined';
/** How long the Hub may take to answer its first request before it counts as unreachable. */
const REACH_TIMEOUT_MS = 10_000;
const SIZE: Record<ModelDtype, string> = { q8: 'about 110 MB', fp32: 'about 440 MB' };

const say = (line: string) => process.stderr.write(`npm start: ${line}\n`);
const shown = (dir: string) => path.relative(process.cwd(), dir) || '.';

/** The person's answer, or undefined when the terminal closed (Ctrl-D) without one. */
async function ask(question: string): Promise<string | undefined> {
  const terminal = createInterface({ input: process.stdin, output: process.stderr });
  try {
    return await new Promise<string | undefined>((resolve) => {
      terminal.once('close', () => resolve(undefined));
      terminal.question(question).then(resolve, () => resolve(undefined));
    });
  } finally {
    terminal.close();
  }
}

async function fetchReal(options: FetchOptions): Promise<void> {
  try {
    await probe(options, 'config.json', AbortSignal.timeout(REACH_TIMEOUT_MS));
  } catch (error) {
    say(`cannot reach ${options.endpoint} (${oneLine(error)}): starting on the offline stand-in.`);
    say('"npm run model:fetch" fetches the model once the Hub can be reached.');
    return;
  }
  try {
    say(`fetched: ${summary(await fetchModel(options))}`);
  } catch (error) {
    say(`fetching the model failed (${oneLine(error)}): starting on the offline stand-in. "npm run model:fetch" resumes it.`);
  }
}

async function main(): Promise<number> {
  let setting: FetchSetting;
  try {
    setting = fetchSetting(process.env);
  } catch (error) {
    say(oneLine(error));
    return 2;
  }
  let options: FetchOptions;
  try {
    options = resolveOptions([], process.env);
  } catch (error) {
    // A bad MODEL_DIR, MODEL_ID or MODEL_DTYPE the server reports too, and stops on.
    say(`not offering to fetch the model: ${oneLine(error)}`);
    return 0;
  }
  const dtype = options.dtype === 'fp32' ? 'fp32' : 'q8';
  if (hasModel(options.modelDir, options.modelId, dtype)) return 0;

  const declined = path.join(options.modelDir, DECLINED_FILE);
  const terminal = process.stdin.isTTY === true && process.stderr.isTTY === true;
  const decision = decideFetch({ setting, terminal, declinedBefore: existsSync(declined) });
  if (decision.action === 'skip') {
    if (decision.reason === 'declined-before') say(`not offering to fetch ${options.modelId} again (declined before; ${shown(declined)} remembers it).`);
    return 0;
  }
  if (decision.action === 'ask') {
    say(`${options.modelId} (${dtype}) is not in ${shown(options.modelDir)}: without it the server runs a small offline stand-in whose scores are far weaker.`);
    const answer = await ask(`Fetch it now from ${options.endpoint} (${options.repo}, ${SIZE[dtype]})? [Y/n] `);
    if (answer === undefined || !isYes(answer)) {
      if (answer !== undefined) {
        mkdirSync(options.modelDir, { recursive: true });
        writeFileSync(declined, 'npm start offered to fetch the model and was told no. Delete this file to be asked again, or run "npm run model:fetch".\n');
      }
      say('not fetching: starting on the offline stand-in. "npm run model:fetch" fetches the model later; npm start will not ask again.');
      return 0;
    }
  }
  await fetchReal({ ...options, dtype });
  return 0;
}

process.exit(await main());
