/**
 * The Jenkinsfile, read statically (Jenkins does not run here): which stages each kind of
 * branch runs, timeouts, the release's acceptance gate, teardown and reports, and that every
 * shell step calls an npm script from package.json or an executable repository script that a
 * test under test/jenkins exercises.
 */
import { accessSync, constants, readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { allStages, effectiveAgent, readPipeline, stagesRunOn, type Stage, type Step } from './declarative.ts';
import { namedArgs, parseValue } from './groovy-blocks.ts';
import { classifyShell } from './shell-calls.ts';

const ROOT = path.resolve(import.meta.dirname, '../..');
const pipeline = readPipeline(readFileSync(path.join(ROOT, 'Jenkinsfile'), 'utf8'));
const packageJson = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { scripts?: Record<string, string> };

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
const everyStep = (): Step[] => [
  ...stages.flatMap((candidate) => [...candidate.steps, ...[...candidate.post.values()].flat()]),
  ...[...pipeline.post.values()].flat(),
];
const shellCommands = (steps: Step[]) =>
  steps.filter((step) => step.name === 'sh').map((step) => ({ step, literal: parseValue(step.args) }));
const stringArg = (step: Step, name: string) => parseValue(namedArgs(step.args).get(name) ?? '').value;

describe('stages per branch', () => {
  for (const [branch, expected] of Object.entries(EXPECTED)) {
    it(`${branch} runs exactly: ${expected.join(', ')}`, () => {
      expect(stagesRunOn(pipeline, branch).map((run) => run.name)).toEqual(expected);
    });
  }

  it('feature/* matches nested names only one level deep, as Jenkins does', () => {
    expect(stagesRunOn(pipeline, 'feature/a/b').map((run) => run.name)).toEqual(EVERY_BRANCH);
    expect(stagesRunOn(pipeline, 'release/1.2.3/x').map((run) => run.name)).toEqual(EVERY_BRANCH);
  });
});

describe('timeouts and build options', () => {
  it('every stage, nested or not, has its own timeout', () => {
    const without = stages.filter((candidate) => candidate.timeoutMs === null).map((candidate) => candidate.name);
    expect(without).toEqual([]);
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

  it('disables concurrent builds and discards old ones', () => {
    const options = pipeline.options.map((option) => option.name);
    expect(options).toContain('disableConcurrentBuilds');
    expect(options).toContain('buildDiscarder');
  });
});

describe('release acceptance', () => {
  const acceptance = stage('User acceptance');
  const input = acceptance.steps.find((step) => step.name === 'input');

  it('asks for acceptance with an input step and a message', () => {
    expect(input).toBeDefined();
    expect(stringArg(input as Step, 'message')).toMatch(/merge/i);
  });

  it('waits between one and seven days, holding no executor', () => {
    expect(acceptance.timeoutMs).toBeGreaterThanOrEqual(86_400_000);
    expect(acceptance.timeoutMs).toBeLessThanOrEqual(7 * 86_400_000);
    expect(effectiveAgent(pipeline, acceptance)).toBe('none');
  });

  it('only release branches reach an input step', () => {
    for (const branch of Object.keys(EXPECTED).filter((name) => !name.startsWith('release/'))) {
      const inputs = stagesRunOn(pipeline, branch).flatMap((run) => run.steps.filter((step) => step.name === 'input'));
      expect(inputs, branch).toEqual([]);
    }
  });

  it('merges into master with the merge script once accepted', () => {
    const scripts = shellCommands(stage('Merge to master').steps).map(({ literal }) => literal.value);
    expect(scripts).toEqual(['tools/ci/merge-release.sh']);
  });
});

describe('shell steps', () => {
  const commands = shellCommands(everyStep());

  it('are single-quoted, so Groovy interpolates no secret into a command line', () => {
    for (const { step, literal } of commands) {
      expect(literal.kind === 'string' && !literal.interpolated, `line ${step.line}: sh ${step.args}`).toBe(true);
    }
  });

  it('each call an npm script or a repository script, nothing else', () => {
    const other = commands
      .map(({ step, literal }) => ({ step, call: classifyShell(literal.value) }))
      .filter(({ call }) => call.kind === 'other')
      .map(({ step, call }) => `line ${step.line}: ${step.args} (${call.kind === 'other' ? call.reason : ''})`);
    expect(other).toEqual([]);
  });

  it('call only npm scripts that package.json defines', () => {
    const scripts = commands.flatMap(({ literal }) => {
      const call = classifyShell(literal.value);
      return call.kind === 'npm' ? [call.script] : [];
    });
    expect(scripts.length).toBeGreaterThan(0);
    const missing = [...new Set(scripts)].filter((name) => !packageJson.scripts?.[name]);
    expect(missing, 'npm scripts the Jenkinsfile calls but package.json lacks').toEqual([]);
  });

  it('call repository scripts that exist, are executable and are exercised by a test here', () => {
    const tests = readdirSync(import.meta.dirname)
      .filter((file) => file.endsWith('.test.ts') && file !== path.basename(import.meta.filename))
      .map((file) => readFileSync(path.join(import.meta.dirname, file), 'utf8'))
      .join('\n');
    const scripts = commands.flatMap(({ literal }) => {
      const call = classifyShell(literal.value);
      return call.kind === 'repo-script' ? [call.path] : [];
    });
    expect(scripts.length).toBeGreaterThan(0);
    for (const script of new Set(scripts)) {
      expect(() => accessSync(path.join(ROOT, script), constants.X_OK), `${script} is not an executable file`).not.toThrow();
      expect(tests.includes(path.basename(script)), `no test under test/jenkins runs ${script}`).toBe(true);
    }
  });
});

describe('teardown and reports', () => {
  it('a stage that starts a stack tears it down in post { always }', () => {
    for (const candidate of stages) {
      for (const { literal } of shellCommands(candidate.steps)) {
        const teardown = TEARDOWN_OF[literal.value];
        if (!teardown) continue;
        const always = shellCommands(candidate.post.get('always') ?? []).map((command) => command.literal.value);
        expect(always, candidate.name).toContain(teardown);
      }
    }
    expect(shellCommands(stage('Stress (k6)').steps).map(({ literal }) => literal.value)).toContain('tools/ci/stress-stage.sh');
  });

  it('the stress stage names its own compose project, apart from the deployed one', () => {
    const project = stage('Stress (k6)').environment.get('COMPOSE_PROJECT_NAME');
    expect(project).toMatch(/^toxicity-stress-/);
    expect(project).not.toBe(stage('Deploy').environment.get('COMPOSE_PROJECT_NAME'));
  });

  it('publishes the unit tests JUnit report whatever their outcome, from where test:unit writes it', () => {
    const junit = (stage('Unit tests').post.get('always') ?? []).find((step) => step.name === 'junit');
    expect(junit).toBeDefined();
    const pattern = stringArg(junit as Step, 'testResults');
    expect(pattern).toBe('reports/junit-*.xml');
    expect(packageJson.scripts?.['test:unit'] ?? '', 'package.json test:unit writes a JUnit file').toMatch(
      /--reporter[= ]junit\b[\s\S]*--outputFile\.junit[= ]reports\/junit-[\w-]+\.xml/,
    );
  });

  it('archives reports/** always, on the stage that holds the workspace, then wipes it', () => {
    const holder = stages.find((candidate) => candidate.agent === 'any' && candidate.stages.length > 0);
    const always = holder?.post.get('always') ?? [];
    const archive = always.find((step) => step.name === 'archiveArtifacts');
    expect(archive && stringArg(archive, 'artifacts')).toBe('reports/**');
    expect(always.map((step) => step.name)).toContain('cleanWs');
  });

  it('every stage that runs steps has an agent, except the acceptance wait', () => {
    const withoutAgent = stages
      .filter((candidate) => candidate.steps.length > 0 && effectiveAgent(pipeline, candidate) === 'none')
      .map((candidate) => candidate.name);
    expect(withoutAgent).toEqual(['User acceptance']);
  });
});

describe('credentials', () => {
  it('are bound only around the steps that need them', () => {
    const bound = everyStep()
      .filter((step) => step.within.some((wrapper) => wrapper.name === 'withCredentials'))
      .map((step) => parseValue(step.args).value);
    expect(bound.sort()).toEqual(
      ['tools/ci/build-push-images.sh', 'tools/ci/deploy.sh', 'tools/ci/merge-release.sh', 'tools/ci/promote-release.sh'].sort(),
    );
  });
});
