/**
 * @module declarative
 * The declarative pipeline inside a Jenkinsfile, as data: stages (nested ones too) with their
 * `when { branch ... }` conditions, agent, timeout, environment, steps and post steps; and
 * which stages a given branch runs. Covers the directives this repository's Jenkinsfile uses and
 * refuses the rest, so a new directive gets a reading here before the tests trust it.
 *
 * @example
 * const pipeline = readPipeline(readFileSync('Jenkinsfile', 'utf8'));
 * stagesRunOn(pipeline, 'feature/x').map((stage) => stage.name);
 */
import { namedArgs, parseCalls, parseValue, positionalArg, type Call } from './groovy-blocks.ts';

export type Condition =
  | { kind: 'branch'; pattern: string }
  | { kind: 'allOf' | 'anyOf'; of: Condition[] }
  | { kind: 'not'; of: Condition };

export interface Step {
  name: string;
  args: string;
  line: number;
  /** Wrapping calls, outermost first, e.g. `withCredentials([...])`. */
  within: Call[];
}

export interface Stage {
  name: string;
  line: number;
  when: Condition | null;
  /** `any`, `none`, or null to inherit. */
  agent: string | null;
  timeoutMs: number | null;
  environment: Map<string, string>;
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

export function readPipeline(source: string): Pipeline {
  const roots = parseCalls(source);
  const pipeline = roots.find((call) => call.name === 'pipeline');
  if (!pipeline?.block || roots.length !== 1) throw new Error('expected a single pipeline { } block');
  const pipelineAgent = child(pipeline, 'agent');
  return {
    agent: pipelineAgent ? pipelineAgent.args : null,
    options: child(pipeline, 'options')?.block ?? [],
    stages: readStages(required(pipeline, 'stages')),
    post: readPost(child(pipeline, 'post')),
  };
}

/** The stages without nested stages that run on `branch`, in order, with their enclosing stages. */
export function stagesRunOn(pipeline: Pipeline, branch: string): Stage[] {
  const run: Stage[] = [];
  const visit = (stages: Stage[]) => {
    for (const stage of stages) {
      if (stage.when && !holds(stage.when, branch)) continue;
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

/** Jenkins' `branch` condition: an Ant-style glob (`*` within a path segment, `**` across). */
export function branchMatches(pattern: string, branch: string): boolean {
  const regex = pattern
    .split(/(\*\*|\*|\?)/)
    .map((part) => (part === '**' ? '.*' : part === '*' ? '[^/]*' : part === '?' ? '[^/]' : part.replace(/[.+^${}()|[\]\\]/g, '\\$&')))
    .join('');
  return new RegExp(`^${regex}$`).test(branch);
}

function holds(condition: Condition, branch: string): boolean {
  switch (condition.kind) {
    case 'branch':
      return branchMatches(condition.pattern, branch);
    case 'allOf':
      return condition.of.every((inner) => holds(inner, branch));
    case 'anyOf':
      return condition.of.some((inner) => holds(inner, branch));
    case 'not':
      return !holds(condition.of, branch);
  }
}

function readStages(stages: Call): Stage[] {
  return (stages.block ?? []).map((call) => {
    if (call.name !== 'stage' || !call.block) throw new Error(`line ${call.line}: expected stage('...') { }, found ${call.name}`);
    return readStage(call);
  });
}

const STAGE_DIRECTIVES = new Set(['agent', 'when', 'options', 'environment', 'steps', 'stages', 'post']);

function readStage(call: Call): Stage {
  const name = positionalArg(call.args);
  if (name.kind !== 'string') throw new Error(`line ${call.line}: a stage's name must be a string`);
  for (const directive of call.block ?? []) {
    if (!STAGE_DIRECTIVES.has(directive.name)) throw new Error(`line ${directive.line}: stage directive ${directive.name} is not read by this parser`);
  }
  const steps = child(call, 'steps');
  const nested = child(call, 'stages');
  if (Boolean(steps) === Boolean(nested)) throw new Error(`line ${call.line}: stage ${name.value} needs steps or stages, not both`);
  return {
    name: name.value,
    line: call.line,
    when: readWhen(child(call, 'when')),
    agent: child(call, 'agent')?.args ?? null,
    timeoutMs: readTimeout(child(call, 'options')),
    environment: readEnvironment(child(call, 'environment')),
    steps: steps ? readSteps(steps.block ?? [], []) : [],
    post: readPost(child(call, 'post')),
    stages: nested ? readStages(nested) : [],
  };
}

function readWhen(when: Call | undefined): Condition | null {
  if (!when) return null;
  const conditions = (when.block ?? []).filter((call) => !/^before(Agent|Input|Options)$/.test(call.name)).map(readCondition);
  if (conditions.length === 0) throw new Error(`line ${when.line}: empty when`);
  return conditions.length === 1 && conditions[0] ? conditions[0] : { kind: 'allOf', of: conditions };
}

function readCondition(call: Call): Condition {
  switch (call.name) {
    case 'branch': {
      const pattern = positionalArg(call.args);
      if (pattern.kind !== 'string') throw new Error(`line ${call.line}: branch needs a string pattern`);
      return { kind: 'branch', pattern: pattern.value };
    }
    case 'allOf':
    case 'anyOf':
      return { kind: call.name, of: (call.block ?? []).map(readCondition) };
    case 'not': {
      const [inner, ...rest] = call.block ?? [];
      if (!inner || rest.length > 0) throw new Error(`line ${call.line}: not takes one condition`);
      return { kind: 'not', of: readCondition(inner) };
    }
    default:
      throw new Error(`line ${call.line}: when condition ${call.name} is not read by this parser`);
  }
}

function readTimeout(options: Call | undefined): number | null {
  const timeout = options?.block?.find((call) => call.name === 'timeout');
  if (!timeout) return null;
  const args = namedArgs(timeout.args);
  const time = Number(args.get('time'));
  const unit = parseValue(args.get('unit') ?? "'MINUTES'").value;
  const perUnit = UNIT_MS[unit];
  if (!Number.isFinite(time) || perUnit === undefined) throw new Error(`line ${timeout.line}: cannot read timeout(${timeout.args})`);
  return time * perUnit;
}

function readEnvironment(environment: Call | undefined): Map<string, string> {
  const variables = new Map<string, string>();
  for (const call of environment?.block ?? []) {
    const assignment = /^=\s*([\s\S]+)$/.exec(call.args);
    if (!assignment?.[1]) throw new Error(`line ${call.line}: expected NAME = value in environment`);
    variables.set(call.name, parseValue(assignment[1]).value);
  }
  return variables;
}

/** Flattens steps: a call with a block (withCredentials, script, dir) wraps the steps inside it. */
function readSteps(calls: Call[], within: Call[]): Step[] {
  return calls.flatMap((call) =>
    call.block ? readSteps(call.block, [...within, call]) : [{ name: call.name, args: call.args, line: call.line, within }],
  );
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
