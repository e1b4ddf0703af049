/**
 * @module sandbox
 * Runs the pipeline's scripts (tools/ci/) the way a Jenkins agent would, but against fakes:
 * a `docker`/`docker-compose` on PATH that records its calls instead of acting, and git
 * repositories in a temporary folder standing in for the remote. Nothing leaves the machine.
 *
 * @example
 * const docker = fakeDocker(dir);
 * const run = runScript('tools/ci/stack-down.sh', { cwd: dir, env: { ...docker.env, COMPOSE_PROJECT_NAME: 'x' } });
 * docker.calls(); // [{ argv: 'compose --profile loadtest ps -q', env: {...} }, ...]
 */
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

export const ROOT = path.resolve(import.meta.dirname, '../..');

export function tempDir(prefix = 'jenkins-'): string {
  return mkdtempSync(path.join(tmpdir(), prefix));
}

/** An environment with nothing from the developer's own: fresh HOME, no system git config. */
export function cleanEnv(home: string, extra: Record<string, string> = {}): Record<string, string> {
  return {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: home,
    GIT_CONFIG_NOSYSTEM: '1',
    LANG: 'C.UTF-8',
    ...extra,
  };
}

export interface ScriptRun {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** Runs a repository script (by its path from the repository root) as its own executable. */
export function runScript(script: string, options: { cwd: string; env: Record<string, string>; input?: string }): ScriptRun {
  const result = spawnSync(path.join(ROOT, script), [], {
    cwd: options.cwd,
    env: options.env,
    input: options.input ?? '',
    encoding: 'utf8',
    timeout: 60_000,
  });
  if (result.error) throw result.error;
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** The same, without blocking this process (for scripts that talk to a server the test runs). */
export function runScriptAsync(script: string, options: { cwd: string; env: Record<string, string> }): Promise<ScriptRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(path.join(ROOT, script), [], { cwd: options.cwd, env: options.env, stdio: ['ignore', 'pipe', 'pipe'] });
    const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (status) => {
      clearTimeout(timer);
      resolve({ status, stdout, stderr });
    });
  });
}

export interface RecordedCall {
  /** The call with `docker compose` and `docker-compose` both written `compose`. */
  argv: string;
  program: string;
  env: Record<string, string>;
}

export interface FakeDocker {
  /** PATH (fake first) and the variables the fake reads. */
  env: Record<string, string>;
  /** Makes calls whose command line contains `substring` exit with `status`, printing `stdout`. */
  on(substring: string, status: number, stdout?: string): void;
  calls(): RecordedCall[];
}

/** Variables each recorded call keeps, for assertions on what a script exported. */
const RECORDED_ENV = [
  'COMPOSE_PROJECT_NAME',
  'IMAGE_PREFIX',
  'IMAGE_TAG',
  'K6_SCENARIO',
  'PROXY_PORT',
  'GRAFANA_ADMIN_PASSWORD',
  'DOCKER_CONFIG',
];

const FAKE = `#!/usr/bin/env bash
# Fake docker / docker-compose: records the call, then answers from the rules file.
line="$(basename "$0") $*"
record="$line"
if [[ " $* " == *" --password-stdin "* ]]; then record+=" <stdin:$(cat)>"; fi
for name in $FAKE_DOCKER_RECORD_ENV; do record+=$'\\t'"$name=\${!name:-}"; done
printf '%s\\n' "$record" >>"$FAKE_DOCKER_LOG"
while IFS=$'\\t' read -r pattern status output; do
  if [[ -n "$pattern" && "$line" == *"$pattern"* ]]; then
    [ -n "$output" ] && printf '%s\\n' "$output"
    exit "$status"
  fi
done <"$FAKE_DOCKER_RULES"
exit 0
`;

export function fakeDocker(dir: string): FakeDocker {
  const bin = path.join(dir, 'fake-bin');
  mkdirSync(bin, { recursive: true });
  for (const name of ['docker', 'docker-compose']) {
    writeFileSync(path.join(bin, name), FAKE);
    chmodSync(path.join(bin, name), 0o755);
  }
  const log = path.join(dir, 'docker-calls.log');
  const rules = path.join(dir, 'docker-rules.tsv');
  writeFileSync(log, '');
  writeFileSync(rules, '');
  return {
    env: {
      PATH: `${bin}:${process.env.PATH ?? '/usr/bin:/bin'}`,
      FAKE_DOCKER_LOG: log,
      FAKE_DOCKER_RULES: rules,
      FAKE_DOCKER_RECORD_ENV: RECORDED_ENV.join(' '),
    },
    on(substring, status, stdout = '') {
      writeFileSync(rules, `${readFileSync(rules, 'utf8')}${substring}\t${status}\t${stdout}\n`);
    },
    calls() {
      return readFileSync(log, 'utf8')
        .split('\n')
        .filter(Boolean)
        .map((line) => {
          const [argv = '', ...pairs] = line.split('\t');
          const env = Object.fromEntries(pairs.map((pair) => [pair.slice(0, pair.indexOf('=')), pair.slice(pair.indexOf('=') + 1)]));
          return { argv: argv.replace(/^docker compose |^docker-compose /, 'compose '), program: argv.split(' ')[0] ?? '', env };
        })
        .filter((call) => call.argv !== 'compose version');
    },
  };
}

/** Runs git with the sandbox's environment; returns trimmed stdout. */
export function git(cwd: string, env: Record<string, string>, ...args: string[]): string {
  return execFileSync('git', args, { cwd, env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim();
}

/** An identity for commits the test itself makes (the scripts must cope without one). */
export const AUTHOR = {
  GIT_AUTHOR_NAME: 'Test Author',
  GIT_AUTHOR_EMAIL: 'author@example.com',
  GIT_COMMITTER_NAME: 'Test Author',
  GIT_COMMITTER_EMAIL: 'author@example.com',
};

/** Writes files (creating folders) and commits them on the current branch. */
export function commitFiles(repo: string, env: Record<string, string>, files: Record<string, string>, message: string): string {
  for (const [file, content] of Object.entries(files)) {
    const target = path.join(repo, file);
    mkdirSync(path.dirname(target), { recursive: true });
    writeFileSync(target, content);
    if (file.endsWith('.sh')) chmodSync(target, 0o755);
  }
  const withAuthor = { ...env, ...AUTHOR };
  git(repo, withAuthor, 'add', '--all');
  git(repo, withAuthor, 'commit', '--quiet', '-m', message);
  return git(repo, env, 'rev-parse', 'HEAD');
}

export const packageJsonAt = (version: string) => `${JSON.stringify({ name: 'toxicity-monitor', version }, null, 2)}\n`;

/** A bare "origin" and a working repository that pushes to it; `master` holds package.json. */
export function originWithMaster(dir: string, env: Record<string, string>, version: string): { origin: string; seed: string } {
  const origin = path.join(dir, 'origin.git');
  const seed = path.join(dir, 'seed');
  git(dir, env, 'init', '--quiet', '--bare', '--initial-branch=master', origin);
  git(dir, env, 'init', '--quiet', '--initial-branch=master', seed);
  git(seed, env, 'remote', 'add', 'origin', origin);
  commitFiles(seed, env, { 'package.json': packageJsonAt(version) }, 'Initial commit');
  git(seed, env, 'push', '--quiet', 'origin', 'master');
  return { origin, seed };
}

/** What Jenkins leaves in a workspace: a clone of `url` with `branch` checked out, detached. */
export function jenkinsCheckout(dir: string, env: Record<string, string>, url: string, branch: string): string {
  const workspace = path.join(dir, `workspace-${branch.replace(/\W/g, '-')}`);
  if (existsSync(workspace)) throw new Error(`${workspace} exists`);
  git(dir, env, 'clone', '--quiet', url, workspace);
  git(workspace, env, 'checkout', '--quiet', '--detach', `origin/${branch}`);
  return workspace;
}
