/**
 * @module run
 * `npm run stress [-- --scenario NAME] [--url URL] [--model-dir DIR] [--json]`: runs a scenario
 * of tools/load/scenarios.ts from Node, open model (requests go out on schedule whatever the
 * answers), and prints the achieved rate, latency percentiles and errors by status. NAME may be
 * a group (`abuse`): its scenarios run at once, each from its own loopback address. Exits 1
 * when a threshold fails, 2 on bad arguments.
 *
 * Without --url it starts its own native stack (nginx and 2 replicas on 127.0.0.1, ports
 * 38480 and 33401+, the offline model unless --model-dir names another) and stops it after.
 * That stack lifts nginx's per-client rate limit: all the load comes from one address, and the
 * point is the service's capacity, not the limiter's.
 */
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { loadCorpus } from '../lib/corpus.ts';
import { REPO_ROOT } from '../lib/repo.ts';
import { DEFAULT_STACK, startStack, type Stack } from '../stack/stack.ts';
import { groupNamed, runGroup, runScenario, scenarioNamed, type ScenarioRun } from './drive.ts';
import { GROUP_NAMES, SCENARIO_NAMES } from './scenarios.ts';
import { formatSteps, formatSummary } from './summary.ts';

const USAGE = `usage: npm run stress -- [--scenario ${[...SCENARIO_NAMES, ...GROUP_NAMES].join('|')}] [--url BASE_URL] [--model-dir DIR] [--json]`;
const STRESS_STACK = {
  proxyPort: 38480,
  functionBasePort: 33401,
  replicas: 2,
  monitoring: false,
  rateLimit: '100000r/s',
  rateBurst: 100000,
  dir: path.join(os.tmpdir(), 'toxicity-monitor-stress-stack'),
};

function usage(message: string): never {
  process.stderr.write(`stress: ${message}\n${USAGE}\n`);
  process.exit(2);
}

function options() {
  try {
    const { values } = parseArgs({
      options: {
        scenario: { type: 'string', default: 'seed' },
        url: { type: 'string' },
        'model-dir': { type: 'string' },
        json: { type: 'boolean', default: false },
      },
    });
    if (!groupNamed(values.scenario)) scenarioNamed(values.scenario);
    if (values.url !== undefined && !/^https?:\/\//.test(values.url)) usage(`--url must be an http(s) URL, got "${values.url}"`);
    return values;
  } catch (error) {
    usage((error as Error).message);
  }
}

const args = options();
const group = groupNamed(args.scenario);
let stack: Stack | undefined;
let baseUrl = args.url;
if (!baseUrl) {
  const modelDir = path.resolve(args['model-dir'] ?? path.join(REPO_ROOT, 'model/offline'));
  process.stderr.write(`starting nginx and ${STRESS_STACK.replicas} replicas (MODEL_DIR=${modelDir})…\n`);
  // A group about one client against others needs nginx's per-client limit as deployed.
  const limits = group?.deployedRateLimit ? { rateLimit: DEFAULT_STACK.rateLimit, rateBurst: DEFAULT_STACK.rateBurst } : {};
  stack = await startStack({ ...STRESS_STACK, ...limits, functionEnv: { MODEL_DIR: modelDir, ORT_THREADS: '1' } }).catch((error: Error) => {
    process.stderr.write(`stress: ${error.message}\n`);
    process.exit(1);
  });
  baseUrl = stack.url;
}
const stop = async () => {
  await stack?.stop();
};
process.on('SIGINT', () => void stop().then(() => process.exit(130)));

try {
  process.stderr.write(`running ${group ? 'group' : 'scenario'} ${args.scenario} against ${baseUrl}…\n`);
  const runs: ScenarioRun[] = group ? await runGroup(group, baseUrl, loadCorpus()) : [await runScenario(args.scenario, baseUrl, loadCorpus())];
  const restarts = stack?.replicas.reduce((sum, r) => sum + r.process.restarts, 0) ?? 0;
  for (const run of runs) {
    console.log(formatSummary(run.name, run.scenario, run.summary, run.checks));
    if (run.steps) console.log(formatSteps(run.steps, run.saturationRps!));
  }
  if (stack) console.log(`  replicas   ${restarts} restarts during the run (logs in ${stack.logDir})`);
  const ok = runs.every((run) => run.ok) && restarts === 0;
  console.log(ok ? 'PASS' : 'FAIL');
  if (args.json) {
    const json = group ? { group: args.scenario, runs } : runs[0];
    console.log(JSON.stringify({ ...json, url: baseUrl, replica_restarts: restarts, ok }));
  }
  await stop();
  process.exit(ok ? 0 : 1);
} catch (error) {
  process.stderr.write(`stress failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  await stop();
  process.exit(1);
}
