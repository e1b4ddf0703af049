/**
 * @module declarative
 * The declarative pipeline of a Jenkinsfile, as data, from the call tree Groovy's compiler
 * gives (./groovy-calls.ts): stages (nested ones too) with their `when { branch }` conditions, agent,
 * timeout, environment, steps and post steps; and which stages a given branch runs. Reads the
 * directives and conditions this repository's Jenkinsfile uses and refuses the rest, so a new
 * one gets a reading here before the tests trust it.
 *
 * @example
 * const pipeline = readPipeline(callsOf(parsed.Jenkinsfile, 'Jenkinsfile'));
 * stagesRunOn(pipeline, 'feature/x').map((stage) => stage.name);
 */
import { stringOf, type Call, type Value } from './groovy-calls.ts';

export interface Step extends Call {
  /** Wrapping calls, outermost first, e.g. `withCredentials([...])`. */
  within: Call[];
}

export interface Stage {
  name: string;
  line: number;
  /** The `branch` patterns of its `when`, all of which must match; empty: runs on every branch. */
  when: string[];
  /** `any`, `none`, or null to inherit. */
  agent: string | null;
  timeoutMs: number | null;
  environment: Map<string, Value>;
  steps: Step[];
  /** Post condition (always, failure, ...) to its steps. */
  post: Map<string, Step[]>;
  stages: Stage[];
}

export interface Pipeline {
  agent: string | null;
  options: Call[];
  stages: Stage[];
  post: Map<string, Step[]>;
}

const UNIT_MS: Record<string, number> = {
  SECONDS: 1000,
  MINUTES: 60_000,
  HOURS: 3_600_000,
  DAYS: 86_400_000,
};

export function readPipeline(calls: Call[]): Pipeline {
  const [pipeline, ...rest] = calls;
  if (pipeline?.name !== 'pipeline' || !pipeline.block || rest.length > 0) throw new Error('expected a single pipeline { } block');
  return {
    agent: agentOf(child(pipeline, 'agent')),
    options: child(pipeline, 'options')?.block ?? [],
    stages: readStages(required(pipeline, 'stages')),
    post: readPost(child(pipeline, 'post')),
  };
}

/** The stages without nested stages that run on `branch`, in order. */
export function stagesRunOn(pipeline: Pipeline, branch: string): Stage[] {
  const run: Stage[] = [];
  const visit = (stages: Stage[]) => {
    for (const stage of stages) {
      if (!stage.when.every((pattern) => globMatches(pattern, branch))) continue;
      if (stage.stages.length > 0) visit(stage.stages);
      else run.push(stage);
    }
  };
  visit(pipeline.stages);
  return run;
}

/** Every stage, nested ones included, depth first. */
export function allStages(pipeline: Pipeline): Stage[] {
  const all: Stage[] = [];
  const visit = (stages: Stage[]) => {
    for (const stage of stages) {
      all.push(stage);
      visit(stage.stages);
    }
  };
  visit(pipeline.stages);
  return all;
}

/** Every step of the pipeline: stages' steps and post steps, and the pipeline's post steps. */
export function allSteps(pipeline: Pipeline): Step[] {
  return [
    ...allStages(pipeline).flatMap((stage) => [...stage.steps, ...[...stage.post.values()].flat()]),
    ...[...pipeline.post.values()].flat(),
  ];
}

/** The agent a stage runs on: its own, else its nearest enclosing stage's, else the pipeline's. */
export function effectiveAgent(pipeline: Pipeline, target: Stage): string | null {
  const find = (stages: Stage[], inherited: string | null): string | null | undefined => {
    for (const stage of stages) {
      const agent = stage.agent ?? inherited;
      if (stage === target) return agent;
      const nested = find(stage.stages, agent);
      if (nested !== undefined) return nested;
    }
    return undefined;
  };
  const agent = find(pipeline.stages, pipeline.agent);
  if (agent === undefined) throw new Error(`stage ${target.name} is not in the pipeline`);
  return agent;
}

/**
 * An Ant-style glob (`*` within a path segment, `**` across), as Jenkins matches `branch`
 * conditions and report patterns.
 */
export function globMatches(pattern: string, branch: string): boolean {
  const regex = pattern
    .split(/(\*\*|\*|\?)/)
    .map((part) => (part === '**' ? '.*' : part === '*' ? '[^/]*' : part === '?' ? '[^/]' : part.replace(/[.+^${}()|[\]\\]/g, '\\$&')))
    .join('');
  return new RegExp(`^${regex}$`).test(branch);
}

function readStages(stages: Call): Stage[] {
  return (stages.block ?? []).map((call) => {
    if (call.name !== 'stage' || !call.block) throw new Error(`line ${call.line}: expected stage('...') { }, found ${call.name}`);
    return readStage(call);
  });
}

const STAGE_DIRECTIVES = new Set(['agent', 'when', 'options', 'environment', 'steps', 'stages', 'post']);

function readStage(call: Call): Stage {
  const name = stringOf(call.args[0]);
  if (name === undefined) throw new Error(`line ${call.line}: a stage's name must be a string`);
  for (const directive of call.block ?? []) {
    if (!STAGE_DIRECTIVES.has(directive.name)) throw new Error(`line ${directive.line}: stage directive ${directive.name} is not read here`);
  }
  const steps = child(call, 'steps');
  const nested = child(call, 'stages');
  if (Boolean(steps) === Boolean(nested)) throw new Error(`line ${call.line}: stage ${name} needs steps or stages, not both`);
  return {
    name,
    line: call.line,
    when: readWhen(child(call, 'when')),
    agent: agentOf(child(call, 'agent')),
    timeoutMs: readTimeout(child(call, 'options')),
    environment: new Map((child(call, 'environment')?.block ?? []).map((variable) => [variable.name, assignedValue(variable)])),
    steps: steps ? readSteps(steps.block ?? [], []) : [],
    post: readPost(child(call, 'post')),
    stages: nested ? readStages(nested) : [],
  };
}

function agentOf(agent: Call | undefined): string | null {
  if (!agent) return null;
  const [kind] = agent.args;
  if (kind?.kind !== 'word' || agent.block) throw new Error(`line ${agent.line}: only "agent any" and "agent none" are read here`);
  return kind.value;
}

function readWhen(when: Call | undefined): string[] {
  if (!when) return [];
  const patterns = (when.block ?? [])
    .filter((call) => !/^before(Agent|Input|Options)$/.test(call.name))
    .map((call) => {
      const pattern = call.name === 'branch' ? stringOf(call.args[0]) : undefined;
      if (pattern === undefined) throw new Error(`line ${call.line}: only "branch '<pattern>'" conditions are read here, not ${call.name}`);
      return pattern;
    });
  if (patterns.length === 0) throw new Error(`line ${when.line}: empty when`);
  return patterns;
}

function readTimeout(options: Call | undefined): number | null {
  const timeout = options?.block?.find((call) => call.name === 'timeout');
  if (!timeout) return null;
  const time = timeout.named.time;
  const perUnit = UNIT_MS[stringOf(timeout.named.unit) ?? 'MINUTES'];
  if (time?.kind !== 'literal' || typeof time.value !== 'number' || perUnit === undefined) {
    throw new Error(`line ${timeout.line}: cannot read this timeout`);
  }
  return time.value * perUnit;
}

function assignedValue(variable: Call): Value {
  if (!variable.assigned) throw new Error(`line ${variable.line}: expected NAME = value in environment`);
  return variable.assigned;
}

/** Flattens steps: a call with a block (withCredentials, script, dir) wraps the steps inside it. */
function readSteps(calls: Call[], within: Call[]): Step[] {
  return calls.flatMap((call) => (call.block ? readSteps(call.block, [...within, call]) : [{ ...call, within }]));
}

function readPost(post: Call | undefined): Map<string, Step[]> {
  return new Map((post?.block ?? []).map((condition) => [condition.name, readSteps(condition.block ?? [], [])]));
}

function child(call: Call, name: string): Call | undefined {
  const matches = (call.block ?? []).filter((inner) => inner.name === name);
  if (matches.length > 1) throw new Error(`line ${call.line}: ${name} appears ${matches.length} times`);
  return matches[0];
}

function required(call: Call, name: string): Call {
  const found = child(call, name);
  if (!found) throw new Error(`line ${call.line}: ${call.name} has no ${name}`);
  return found;
}
