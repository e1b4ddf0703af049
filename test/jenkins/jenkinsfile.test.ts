/**
 * The Jenkinsfile and the job that builds it (jenkins/casc.yaml), compiled by Groovy, since
 * Jenkins does not run here: which stages each kind of branch runs, timeouts, the release's
 * acceptance gate, teardown and reports; every shell step calls an npm script package.json
 * defines, or a script under tools/ci/ or deploy/ that exists and that a test here runs; the
 * controller has the plugin of every step and the credential of every binding, and builds the
 * branches the stages are meant for.
 */
import { accessSync, constants, readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { allStages, allSteps, effectiveAgent, globMatches, readPipeline, stagesRunOn, type Stage, type Step } from './declarative.ts';
import { callsOf, parseGroovy, stringOf, type Call, type Value } from './groovy-calls.ts';
import { ROOT } from './sandbox.ts';
import { classifyShell } from './shell-calls.ts';

const read = (file: string) => readFileSync(path.join(ROOT, file), 'utf8');
const jenkinsfile = read('Jenkinsfile');
const casc = parse(read('jenkins/casc.yaml')) as Casc;
const packageJson = JSON.parse(read('package.json')) as { scripts?: Record<string, string> };

interface Casc {
  credentials: { system: { domainCredentials: { credentials: Record<string, { id: string }>[] }[] } };
  jobs: { script: string }[];
}

// One compiler run for everything this file reads: a JVM start costs more than the parses.
const parsed = parseGroovy({
  Jenkinsfile: jenkinsfile,
  'job.groovy': casc.jobs[0]?.script ?? '',
  // The Jenkinsfile without its last closing brace, which the compiler must refuse.
  'broken-Jenkinsfile': jenkinsfile.slice(0, jenkinsfile.lastIndexOf('}')),
});
const pipeline = readPipeline(callsOf(parsed.Jenkinsfile, 'Jenkinsfile'));
const job = callsOf(parsed['job.groovy'], "casc.yaml's job script");

const EVERY_BRANCH = ['Checkout', 'Install', 'Build', 'Unit tests'];
const EXPECTED: Record<string, string[]> = {
  'feature/x': EVERY_BRANCH,
  develop: [...EVERY_BRANCH, 'Integration and end-to-end tests', 'Stress (k6)', 'Promote to release'],
  'release/1.2.3': [...EVERY_BRANCH, 'User acceptance', 'Merge to master'],
  master: [...EVERY_BRANCH, 'Build and push images', 'Deploy', 'Smoke check'],
};

/** Scripts that start something, and the script that must tear it down in the stage's post. */
const TEARDOWN_OF: Record<string, string> = { 'tools/ci/stress-stage.sh': 'tools/ci/stack-down.sh' };

const stages = allStages(pipeline);
const stage = (name: string): Stage => {
  const found = stages.find((candidate) => candidate.name === name);
  if (!found) throw new Error(`no stage ${name}`);
  return found;
};
const shellOf = (steps: Step[]) => steps.filter((step) => step.name === 'sh').map((step) => ({ step, command: step.args[0] }));
const scriptsOf = (steps: Step[]) => shellOf(steps).map(({ command }) => stringOf(command));

describe('the Jenkinsfile, compiled by Groovy', () => {
  it('compiles; the same file without its last brace does not, and the compiler names the line', () => {
    expect(parsed.Jenkinsfile.error).toBeUndefined();
    expect(parsed['broken-Jenkinsfile'].error).toMatch(/broken-Jenkinsfile: \d+: expecting '}'/);
  });
});

describe('stages per branch', () => {
  for (const [branch, expected] of Object.entries(EXPECTED)) {
    it(`${branch} runs exactly: ${expected.join(', ')}`, () => {
      expect(stagesRunOn(pipeline, branch).map((run) => run.name)).toEqual(expected);
    });
  }

  it('release/* matches one level of name only, as Jenkins does', () => {
    expect(stagesRunOn(pipeline, 'release/1.2.3/x').map((run) => run.name)).toEqual(EVERY_BRANCH);
  });
});

describe('timeouts', () => {
  it('every stage, nested or not, has its own timeout', () => {
    expect(stages.filter((candidate) => candidate.timeoutMs === null).map((candidate) => candidate.name)).toEqual([]);
  });

  it('a stage holding other stages allows at least the total time of those a branch runs', () => {
    for (const parent of stages.filter((candidate) => candidate.stages.length > 0)) {
      const inside = new Set(allStages({ ...pipeline, stages: parent.stages }));
      for (const branch of Object.keys(EXPECTED)) {
        const total = stagesRunOn(pipeline, branch)
          .filter((run) => inside.has(run))
          .reduce((sum, run) => sum + (run.timeoutMs ?? 0), 0);
        expect(parent.timeoutMs, `${parent.name} on ${branch}`).toBeGreaterThanOrEqual(total);
      }
    }
  });
});

describe('agents and the release acceptance', () => {
  it('only release branches reach an input step', () => {
    for (const branch of Object.keys(EXPECTED)) {
      const inputs = stagesRunOn(pipeline, branch).flatMap((run) => run.steps.filter((step) => step.name === 'input'));
      expect(inputs.length > 0, branch).toBe(branch.startsWith('release/'));
    }
  });

  it('the acceptance waits between one and seven days, holding no executor', () => {
    const acceptance = stage('User acceptance');
    expect(acceptance.timeoutMs).toBeGreaterThanOrEqual(86_400_000);
    expect(acceptance.timeoutMs).toBeLessThanOrEqual(7 * 86_400_000);
    expect(effectiveAgent(pipeline, acceptance)).toBe('none');
  });

  it('every other stage that runs steps has an agent', () => {
    const withoutAgent = stages.filter((candidate) => candidate.steps.length > 0 && effectiveAgent(pipeline, candidate) === 'none');
    expect(withoutAgent.map((candidate) => candidate.name)).toEqual(['User acceptance']);
  });
});

describe('shell steps', () => {
  const commands = shellOf(allSteps(pipeline));

  it('are plain single-quoted strings, so Groovy interpolates no secret into a command line', () => {
    expect(commands.length).toBeGreaterThan(0);
    for (const { step, command } of commands) expect(command?.kind, `line ${step.line}`).toBe('string');
  });

  it('each call npm ci, an npm script package.json defines, or a repository script (below), nothing else', () => {
    const wrong = commands
      .map(({ step, command }) => ({ step, call: classifyShell(stringOf(command) ?? '') }))
      .filter(({ call }) => call.kind === 'other' || (call.kind === 'npm' && !packageJson.scripts?.[call.script]))
      .map(({ step, call }) => `line ${step.line}: ${call.kind === 'other' ? call.reason : `no npm script ${call.kind === 'npm' ? call.script : ''}`}`);
    expect(wrong).toEqual([]);
  });

  it('or an executable script under tools/ci/ or deploy/ that a test here runs', () => {
    const tests = readdirSync(import.meta.dirname)
      .filter((file) => file.endsWith('.test.ts'))
      .map((file) => readFileSync(path.join(import.meta.dirname, file), 'utf8'))
      .join('\n');
    const scripts = commands.flatMap(({ command }) => {
      const call = classifyShell(stringOf(command) ?? '');
      return call.kind === 'repo-script' ? [call.path] : [];
    });
    expect(scripts.length).toBeGreaterThan(0);
    for (const script of new Set(scripts)) {
      expect(script, 'only scripts under tools/ci/ or deploy/').toMatch(/^(tools\/ci|deploy)\//);
      expect(() => accessSync(path.join(ROOT, script), constants.X_OK), `${script} is not an executable file`).not.toThrow();
      expect(tests, `no test under test/jenkins runs ${script}`).toMatch(new RegExp(`runScript(Async)?\\(\\s*'${script}'`));
    }
  });
});

describe('teardown and reports', () => {
  it('a stage that starts a stack tears it down in post { always }', () => {
    const starting = stages.filter((candidate) => scriptsOf(candidate.steps).some((script) => script && TEARDOWN_OF[script]));
    expect(starting.map((candidate) => candidate.name)).toEqual(['Stress (k6)']);
    for (const candidate of starting) {
      for (const script of scriptsOf(candidate.steps)) {
        const teardown = script && TEARDOWN_OF[script];
        if (teardown) expect(scriptsOf(candidate.post.get('always') ?? []), candidate.name).toContain(teardown);
      }
    }
  });

  it('the stress stage runs as a compose project of its own, apart from the deployed one', () => {
    // The stress stage's is a GString (it holds the build number): its source text is enough here.
    const project = (name: string) => {
      const value = stage(name).environment.get('COMPOSE_PROJECT_NAME');
      return value?.kind === 'string' || value?.kind === 'gstring' ? value.value : undefined;
    };
    expect(project('Stress (k6)')).toMatch(/^toxicity-stress-/);
    expect(project('Stress (k6)')).not.toBe(project('Deploy'));
  });

  it('publishes the unit tests JUnit report whatever their outcome, from where test:unit writes it', () => {
    const junit = (stage('Unit tests').post.get('always') ?? []).find((step) => step.name === 'junit');
    const pattern = stringOf(junit?.named.testResults);
    const written = /--outputFile\.junit[= ](\S+)/.exec(packageJson.scripts?.['test:unit'] ?? '')?.[1];
    expect(pattern).toBeDefined();
    expect(written, 'package.json test:unit writes a JUnit file').toBeDefined();
    expect(globMatches(pattern!, written!), `${written} against ${pattern}`).toBe(true);
  });
});

/** Where each step, option or Job DSL method the controller uses comes from. Core needs none. */
const PLUGIN_OF: Record<string, string | null> = {
  pipeline: 'workflow-aggregator',
  checkout: 'workflow-aggregator',
  sh: 'workflow-aggregator',
  input: 'workflow-aggregator',
  timeout: 'workflow-aggregator',
  disableConcurrentBuilds: 'workflow-aggregator',
  buildDiscarder: 'workflow-aggregator',
  logRotator: 'workflow-aggregator',
  skipDefaultCheckout: 'workflow-aggregator',
  timestamps: 'timestamper',
  junit: 'junit',
  withCredentials: 'credentials-binding',
  usernamePassword: 'credentials-binding',
  string: 'credentials-binding',
  cleanWs: 'ws-cleanup',
  archiveArtifacts: null,
  multibranchPipelineJob: 'job-dsl',
  workflowBranchProjectFactory: 'workflow-multibranch',
  git: 'git',
  gitBranchDiscovery: 'git',
  periodicFolderTrigger: 'workflow-multibranch',
  headWildcardFilter: 'workflow-multibranch',
};

/** The declarative syntax itself, which comes with `pipeline` (pipeline-model-definition). */
const DECLARATIVE = new Set(['agent', 'options', 'stages', 'stage', 'steps', 'when', 'branch', 'beforeAgent', 'post', 'always', 'environment']);

/** Every call in a tree, nested calls in arguments included. */
function everyCall(calls: Call[]): Call[] {
  const fromValue = (value: Value): Call[] =>
    value.kind === 'call' ? everyCall([value.call]) : value.kind === 'list' ? value.items.flatMap(fromValue) : [];
  return calls.flatMap((call) => [call, ...call.args.flatMap(fromValue), ...Object.values(call.named).flatMap(fromValue), ...everyCall(call.block ?? [])]);
}

describe('the controller (jenkins/) builds it', () => {
  const plugins = read('jenkins/plugins.txt')
    .split('\n')
    .map((line) => line.replace(/#.*/, '').trim().split(':')[0] ?? '')
    .filter(Boolean);
  const jobCalls = everyCall(job);
  const arg = (name: string) => stringOf(jobCalls.find((call) => call.name === name)?.args[0]);

  it('has the plugin of every step, option and wrapper the Jenkinsfile calls', () => {
    const stepNames = new Set(
      everyCall(callsOf(parsed.Jenkinsfile, 'Jenkinsfile'))
        .filter((call) => !call.assigned)
        .map((call) => (DECLARATIVE.has(call.name) ? 'pipeline' : call.name)),
    );
    for (const name of stepNames) {
      expect(name in PLUGIN_OF, `no known plugin for Jenkinsfile step ${name}: add it to PLUGIN_OF`).toBe(true);
      if (PLUGIN_OF[name]) expect(plugins, `${name} needs ${PLUGIN_OF[name]}`).toContain(PLUGIN_OF[name]);
    }
  });

  it("has the plugin of every Job DSL method the job uses, and the job builds this repository's Jenkinsfile", () => {
    for (const name of new Set(jobCalls.map((call) => call.name))) {
      if (PLUGIN_OF[name]) expect(plugins, `${name} needs ${PLUGIN_OF[name]}`).toContain(PLUGIN_OF[name]);
    }
    expect(jobCalls[0]?.name).toBe('multibranchPipelineJob');
    expect(arg('scriptPath')).toBe('Jenkinsfile');
  });

  it('discovers exactly the branch kinds the stages are written for', () => {
    const discovered = (arg('includes') ?? '').split(' ').sort();
    const patterns = [...new Set(stages.flatMap((candidate) => candidate.when))];
    for (const pattern of patterns) expect(discovered, `stages for ${pattern}`).toContain(pattern);
    expect(discovered).toEqual(['develop', 'feature/*', 'master', 'release/*']);
  });

  it('defines every credential the Jenkinsfile binds, with the matching type', () => {
    const defined = casc.credentials.system.domainCredentials.flatMap((domain) =>
      domain.credentials.flatMap((entry) => Object.entries(entry).map(([type, fields]) => ({ type, id: fields.id }))),
    );
    const bindings = allSteps(pipeline)
      .flatMap((step) => step.within.filter((wrapper) => wrapper.name === 'withCredentials'))
      .flatMap((wrapper) => (wrapper.args[0]?.kind === 'list' ? wrapper.args[0].items : []))
      .flatMap((binding) => (binding.kind === 'call' ? [binding.call] : []))
      .map((binding) => ({ type: binding.name, id: stringOf(binding.named.credentialsId) }));
    expect(bindings.length).toBeGreaterThan(0);
    for (const { type, id } of bindings) {
      const credential = defined.find((candidate) => candidate.id === id);
      expect(credential, `credential ${id}`).toBeDefined();
      expect(credential?.type, `credential ${id}`).toBe(type);
    }
  });
});
