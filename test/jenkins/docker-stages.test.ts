/**
 * The pipeline's Docker stages, run against a fake docker that records what it is asked:
 * stress-stage.sh (compose stack up, k6, always down), stack-down.sh, build-push-images.sh and
 * deploy.sh. What they would do to a real engine is the recorded command list.
 */
import { existsSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { cleanEnv, commitFiles, fakeDocker, git, packageJsonAt, ROOT, runScript, tempDir, type FakeDocker } from './sandbox.ts';

const uidGid = `${process.getuid?.() ?? 0}:${process.getgid?.() ?? 0}`;

let dir: string;
let docker: FakeDocker;
beforeEach(() => {
  dir = tempDir();
  docker = fakeDocker(dir);
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));
const env = (extra: Record<string, string> = {}) => cleanEnv(dir, { ...docker.env, ...extra });
const argvs = () => docker.calls().map((call) => call.argv);

describe('stress-stage.sh', () => {
  const run = (extra: Record<string, string> = {}) =>
    runScript('tools/ci/stress-stage.sh', { cwd: dir, env: env({ COMPOSE_PROJECT_NAME: 'toxicity-stress-7', ...extra }) });

  it('builds, starts proxy and replicas, runs k6 from the loadtest profile, then tears down', () => {
    const result = run();
    expect(result.status, result.stderr).toBe(0);
    expect(argvs()).toEqual([
      'compose build functions proxy',
      'compose up -d proxy',
      `compose --profile loadtest run --rm --user ${uidGid} k6`,
      'compose --profile loadtest ps -q',
      'compose --profile loadtest down -v --remove-orphans',
    ]);
    const [build] = docker.calls();
    expect(build?.env).toMatchObject({
      COMPOSE_PROJECT_NAME: 'toxicity-stress-7',
      IMAGE_TAG: 'ci',
      K6_SCENARIO: 'seed',
      PROXY_PORT: '127.0.0.1:18080',
    });
    expect(build?.env.GRAFANA_ADMIN_PASSWORD).not.toBe('');
  });

  it('fails with k6 exit status when a threshold fails, saving logs and still tearing down', () => {
    docker.on(' run --rm ', 99);
    docker.on(' ps -q', 0, 'c0ffee');
    docker.on(' logs --no-color', 0, 'proxy-1 | 127.0.0.1 POST /api/v1/classify 200');
    const result = run();
    expect(result.status).toBe(99);
    expect(result.stderr).toMatch(/threshold/);
    expect(argvs().slice(-3)).toEqual([
      'compose --profile loadtest ps -q',
      'compose --profile loadtest logs --no-color',
      'compose --profile loadtest down -v --remove-orphans',
    ]);
    expect(readFileSync(path.join(dir, 'reports/toxicity-stress-7.log'), 'utf8')).toMatch(/POST \/api\/v1\/classify/);
  });

  it('tears down when the stack does not even start, and never runs k6', () => {
    docker.on(' up -d proxy', 1);
    const result = run();
    expect(result.status).toBe(1);
    expect(argvs().some((argv) => argv.includes(' k6'))).toBe(false);
    expect(argvs().at(-1)).toBe('compose --profile loadtest down -v --remove-orphans');
  });

  it('uses docker-compose 1.29 when the Docker CLI has no compose plugin', () => {
    docker.on('docker compose version', 1);
    expect(run().status).toBe(0);
    const programs = new Set(docker.calls().map((call) => call.program));
    expect(programs).toEqual(new Set(['docker-compose']));
  });

  it('passes a chosen scenario, image tag and port through', () => {
    expect(run({ K6_SCENARIO: 'ramp', IMAGE_TAG: 'ci-abc', PROXY_PORT: '127.0.0.1:28080' }).status).toBe(0);
    expect(docker.calls()[0]?.env).toMatchObject({ K6_SCENARIO: 'ramp', IMAGE_TAG: 'ci-abc', PROXY_PORT: '127.0.0.1:28080' });
  });
});

describe('stack-down.sh', () => {
  it('refuses to guess which project to tear down', () => {
    const result = runScript('tools/ci/stack-down.sh', { cwd: dir, env: env() });
    expect(result.status).not.toBe(0);
    expect(result.stderr).toMatch(/COMPOSE_PROJECT_NAME/);
    expect(argvs()).toEqual([]);
  });

  it('tears down a project that is already gone without failing', () => {
    const result = runScript('tools/ci/stack-down.sh', { cwd: dir, env: env({ COMPOSE_PROJECT_NAME: 'toxicity-stress-8' }) });
    expect(result.status, result.stderr).toBe(0);
    expect(argvs()).toEqual(['compose --profile loadtest ps -q', 'compose --profile loadtest down -v --remove-orphans']);
    expect(existsSync(path.join(dir, 'reports/toxicity-stress-8.log'))).toBe(false);
  });
});

/** A workspace as Jenkins checks it out: a git repository with package.json at `version`. */
function workspace(version: string, files: Record<string, string> = {}): { path: string; commit: string } {
  const repo = path.join(dir, 'workspace');
  git(dir, cleanEnv(dir), 'init', '--quiet', '--initial-branch=master', repo);
  const commit = commitFiles(repo, cleanEnv(dir), { 'package.json': packageJsonAt(version), ...files }, 'Release');
  return { path: repo, commit };
}

const REGISTRY_ENV = { REGISTRY: 'registry.example.com:5000', REGISTRY_USERNAME: 'ci-bot', REGISTRY_PASSWORD: 'p4ss word' };
const PREFIX = 'registry.example.com:5000/toxicity-monitor';

describe('build-push-images.sh', () => {
  it('builds both images and pushes each as the version and the short commit', () => {
    const repo = workspace('1.2.3');
    const short = repo.commit.slice(0, 12);
    const result = runScript('tools/ci/build-push-images.sh', { cwd: repo.path, env: env(REGISTRY_ENV) });
    expect(result.status, result.stderr).toBe(0);
    expect(argvs()).toEqual([
      'docker login registry.example.com:5000 --username ci-bot --password-stdin <stdin:p4ss word>',
      'compose build --pull functions proxy',
      `docker tag ${PREFIX}/functions:1.2.3 ${PREFIX}/functions:${short}`,
      `docker push ${PREFIX}/functions:1.2.3`,
      `docker push ${PREFIX}/functions:${short}`,
      `docker tag ${PREFIX}/proxy:1.2.3 ${PREFIX}/proxy:${short}`,
      `docker push ${PREFIX}/proxy:1.2.3`,
      `docker push ${PREFIX}/proxy:${short}`,
    ]);
    expect(docker.calls()[1]?.env).toMatchObject({ IMAGE_PREFIX: PREFIX, IMAGE_TAG: '1.2.3' });
    expect(readFileSync(path.join(repo.path, 'reports/images.txt'), 'utf8').trim().split('\n')).toHaveLength(4);
  });

  it('logs in with a Docker config of its own, removed afterwards, and the password only on stdin', () => {
    const repo = workspace('1.2.3');
    expect(runScript('tools/ci/build-push-images.sh', { cwd: repo.path, env: env(REGISTRY_ENV) }).status).toBe(0);
    const [login, ...rest] = docker.calls();
    const config = login?.env.DOCKER_CONFIG ?? '';
    expect(config).not.toBe('');
    expect(rest.every((call) => call.env.DOCKER_CONFIG === config)).toBe(true);
    expect(existsSync(config)).toBe(false);
    expect(rest.some((call) => call.argv.includes('p4ss'))).toBe(false);
  });

  it('stops before any docker call without a registry', () => {
    const repo = workspace('1.2.3');
    const result = runScript('tools/ci/build-push-images.sh', { cwd: repo.path, env: env({ REGISTRY_USERNAME: 'u', REGISTRY_PASSWORD: 'p' }) });
    expect(result.status).not.toBe(0);
    expect(result.stderr).toMatch(/REGISTRY/);
    expect(argvs()).toEqual([]);
  });

  it('refuses a version that is not semantic', () => {
    const repo = workspace('next');
    const result = runScript('tools/ci/build-push-images.sh', { cwd: repo.path, env: env(REGISTRY_ENV) });
    expect(result.status).not.toBe(0);
    expect(result.stderr).toMatch(/not a semantic version/);
  });
});

describe('deploy.sh', () => {
  const ROLLING_STUB = `#!/usr/bin/env bash
printf 'rolling-redeploy IMAGE_TAG=%s IMAGE_PREFIX=%s COMPOSE_PROJECT_NAME=%s PWD=%s\\n' "$IMAGE_TAG" "$IMAGE_PREFIX" "$COMPOSE_PROJECT_NAME" "$PWD" >>"$FAKE_DOCKER_LOG"
exit "\${ROLLING_STATUS:-0}"
`;
  const deployEnv = (extra: Record<string, string> = {}) =>
    env({ ...REGISTRY_ENV, GRAFANA_ADMIN_PASSWORD: 'grafana-secret', DEPLOY_DIR: path.join(dir, 'deployed'), COMPOSE_PROJECT_NAME: 'toxicity-monitor', ...extra });

  it('exports the release to DEPLOY_DIR, pulls, starts what is missing, rolls the replicas, then the proxy', () => {
    const repo = workspace('1.2.3', { 'compose.yaml': 'services: {}\n', 'deploy/compose/rolling-redeploy.sh': ROLLING_STUB });
    const deployed = path.join(dir, 'deployed');
    const result = runScript('tools/ci/deploy.sh', { cwd: repo.path, env: deployEnv() });
    expect(result.status, result.stderr).toBe(0);
    expect(argvs()).toEqual([
      'docker login registry.example.com:5000 --username ci-bot --password-stdin <stdin:p4ss word>',
      'compose pull functions proxy',
      'compose up -d --no-recreate',
      `rolling-redeploy IMAGE_TAG=1.2.3 IMAGE_PREFIX=${PREFIX} COMPOSE_PROJECT_NAME=toxicity-monitor PWD=${deployed}`,
      'compose up -d --no-deps proxy',
    ]);
    expect(docker.calls()[2]?.env).toMatchObject({
      GRAFANA_ADMIN_PASSWORD: 'grafana-secret',
      IMAGE_TAG: '1.2.3',
      COMPOSE_PROJECT_NAME: 'toxicity-monitor',
    });
    expect(readFileSync(path.join(deployed, 'compose.yaml'), 'utf8')).toBe('services: {}\n');
  });

  it('leaves the proxy alone when the rolling redeploy fails', () => {
    const repo = workspace('1.2.3', { 'compose.yaml': 'services: {}\n', 'deploy/compose/rolling-redeploy.sh': ROLLING_STUB });
    const result = runScript('tools/ci/deploy.sh', { cwd: repo.path, env: deployEnv({ ROLLING_STATUS: '3' }) });
    expect(result.status).toBe(3);
    expect(argvs().at(-1)).toMatch(/^rolling-redeploy /);
  });

  it('needs the Grafana password and a deploy folder before touching anything', () => {
    const repo = workspace('1.2.3', { 'compose.yaml': 'services: {}\n' });
    const withoutPassword = { ...deployEnv() } as Record<string, string>;
    delete withoutPassword.GRAFANA_ADMIN_PASSWORD;
    expect(runScript('tools/ci/deploy.sh', { cwd: repo.path, env: withoutPassword }).stderr).toMatch(/GRAFANA_ADMIN_PASSWORD/);
    const withoutDir = { ...deployEnv() } as Record<string, string>;
    delete withoutDir.DEPLOY_DIR;
    expect(runScript('tools/ci/deploy.sh', { cwd: repo.path, env: withoutDir }).stderr).toMatch(/DEPLOY_DIR/);
    expect(argvs()).toEqual([]);
  });
});

describe('deploy.sh to a swarm (DEPLOY_TARGET=swarm)', () => {
  const UPDATE = readFileSync(path.join(ROOT, 'deploy/swarm/update.sh'), 'utf8');
  const swarmEnv = (extra: Record<string, string> = {}) => env({ ...REGISTRY_ENV, DEPLOY_TARGET: 'swarm', ...extra });
  const swarmWorkspace = () => workspace('1.2.3', { 'deploy/swarm/update.sh': UPDATE });
  const STATE = ' service inspect --format {{if .UpdateStatus}}{{.UpdateStatus.State}}{{end}} ';

  it('deploys the stack file when the stack does not exist yet', () => {
    docker.on('docker service inspect toxicity_functions', 1);
    const result = runScript('tools/ci/deploy.sh', { cwd: swarmWorkspace().path, env: swarmEnv() });
    expect(result.status, result.stderr).toBe(0);
    expect(argvs().slice(1)).toEqual(['docker service inspect toxicity_functions', 'docker stack deploy --with-registry-auth -c deploy/swarm/stack.yaml toxicity']);
    expect(docker.calls().at(-1)?.env).toMatchObject({ IMAGE_PREFIX: PREFIX, IMAGE_TAG: '1.2.3' });
  });

  it('updates the functions, then the edge, to the release image, waiting for each to converge', () => {
    docker.on(STATE, 0, 'completed');
    const result = runScript('tools/ci/deploy.sh', { cwd: swarmWorkspace().path, env: swarmEnv() });
    expect(result.status, result.stderr).toBe(0);
    expect(argvs()).toEqual([
      'docker login registry.example.com:5000 --username ci-bot --password-stdin <stdin:p4ss word>',
      'docker service inspect toxicity_functions',
      `docker service update --detach=false --quiet --with-registry-auth --image ${PREFIX}/functions:1.2.3 toxicity_functions`,
      `docker${STATE}toxicity_functions`,
      `docker service update --detach=false --quiet --with-registry-auth --image ${PREFIX}/proxy:1.2.3 toxicity_proxy`,
      `docker${STATE}toxicity_proxy`,
    ]);
  });

  it('fails, leaving the edge alone, when Swarm rolled the functions back', () => {
    docker.on(STATE, 0, 'rollback_completed');
    const result = runScript('tools/ci/deploy.sh', { cwd: swarmWorkspace().path, env: swarmEnv() });
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/rollback_completed/);
    expect(argvs().some((argv) => argv.includes('toxicity_proxy'))).toBe(false);
  });

  it('waits while Swarm still calls the update running, and fails when it runs past UPDATE_TIMEOUT', () => {
    docker.on(STATE, 0, 'updating');
    const result = runScript('tools/ci/deploy.sh', { cwd: swarmWorkspace().path, env: swarmEnv({ UPDATE_TIMEOUT: '1' }) });
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/toxicity_functions still 'updating' after 1 s/);
    expect(argvs().filter((argv) => argv === `docker${STATE}toxicity_functions`).length).toBeGreaterThan(1);
    expect(argvs().some((argv) => argv.includes('toxicity_proxy'))).toBe(false);
  });

  it('needs no Grafana password or deploy folder, and refuses an unknown target before any docker call', () => {
    docker.on(STATE, 0, 'completed');
    const repo = swarmWorkspace();
    expect(runScript('tools/ci/deploy.sh', { cwd: repo.path, env: swarmEnv({ STACK_NAME: 'prod' }) }).status).toBe(0);
    expect(argvs()).toContain(`docker service update --detach=false --quiet --with-registry-auth --image ${PREFIX}/functions:1.2.3 prod_functions`);
    const before = argvs().length;
    const wrong = runScript('tools/ci/deploy.sh', { cwd: repo.path, env: swarmEnv({ DEPLOY_TARGET: 'kubernetes' }) });
    expect(wrong.status).toBe(2);
    expect(wrong.stderr).toMatch(/DEPLOY_TARGET/);
    expect(argvs()).toHaveLength(before);
  });
});
