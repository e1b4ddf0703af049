/**
 * The pipeline's release stages against real git and a throwaway remote: promote-release.sh
 * (develop to release/<version>), merge-release.sh (accepted release into master, tagged), and
 * the credentials path: git-askpass.sh answering an HTTP remote that demands a login.
 */
import { spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { serveGitOverHttp, type GitHttpRemote } from './git-http.ts';
import {
  cleanEnv,
  commitFiles,
  git,
  jenkinsCheckout,
  originWithMaster,
  packageJsonAt,
  ROOT,
  runScript,
  runScriptAsync,
  tempDir,
} from './sandbox.ts';

let dir: string;
let env: Record<string, string>;
beforeEach(() => {
  dir = tempDir();
  env = cleanEnv(dir);
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const refOf = (repo: string, ref: string) => {
  const result = spawnSync('git', ['rev-parse', '--verify', '--quiet', ref], { cwd: repo, env, encoding: 'utf8' });
  return result.status === 0 ? result.stdout.trim() : null;
};

/** origin with master at 1.2.2 and develop one commit ahead at 1.2.3; the seed repo is on develop. */
function originWithDevelop(): { origin: string; seed: string; develop: string } {
  const { origin, seed } = originWithMaster(dir, env, '1.2.2');
  git(seed, env, 'checkout', '--quiet', '-b', 'develop');
  const develop = commitFiles(seed, env, { 'package.json': packageJsonAt('1.2.3'), 'feature.txt': 'new\n' }, 'Feature');
  git(seed, env, 'push', '--quiet', 'origin', 'develop');
  return { origin, seed, develop };
}

describe('promote-release.sh', () => {
  it('pushes the tested develop commit to release/<version>', () => {
    const { origin, develop } = originWithDevelop();
    const workspace = jenkinsCheckout(dir, env, origin, 'develop');
    const result = runScript('tools/ci/promote-release.sh', { cwd: workspace, env });
    expect(result.status, result.stderr).toBe(0);
    expect(refOf(origin, 'refs/heads/release/1.2.3')).toBe(develop);
  });

  it('moves an existing release branch forward, but never over commits made on it', () => {
    const { origin, seed } = originWithDevelop();
    expect(runScript('tools/ci/promote-release.sh', { cwd: jenkinsCheckout(dir, env, origin, 'develop'), env }).status).toBe(0);

    const next = commitFiles(seed, env, { 'feature.txt': 'newer\n' }, 'More on develop');
    git(seed, env, 'push', '--quiet', 'origin', 'develop');
    const second = path.join(dir, 'second');
    git(dir, env, 'clone', '--quiet', origin, second);
    git(second, env, 'checkout', '--quiet', '--detach', 'origin/develop');
    expect(runScript('tools/ci/promote-release.sh', { cwd: second, env }).status).toBe(0);
    expect(refOf(origin, 'refs/heads/release/1.2.3')).toBe(next);

    git(seed, env, 'fetch', '--quiet', 'origin');
    git(seed, env, 'checkout', '--quiet', '-b', 'release/1.2.3', 'origin/release/1.2.3');
    const fix = commitFiles(seed, env, { 'fix.txt': 'fixed during acceptance\n' }, 'Fix on the release');
    git(seed, env, 'push', '--quiet', 'origin', 'release/1.2.3');
    git(seed, env, 'checkout', '--quiet', 'develop');
    commitFiles(seed, env, { 'feature.txt': 'newest\n' }, 'Even more on develop');
    git(seed, env, 'push', '--quiet', 'origin', 'develop');
    const third = path.join(dir, 'third');
    git(dir, env, 'clone', '--quiet', origin, third);
    git(third, env, 'checkout', '--quiet', '--detach', 'origin/develop');
    expect(runScript('tools/ci/promote-release.sh', { cwd: third, env }).status).not.toBe(0);
    expect(refOf(origin, 'refs/heads/release/1.2.3')).toBe(fix);
  });

  it('refuses a version that is already released', () => {
    const { origin, seed } = originWithDevelop();
    git(seed, env, 'tag', 'v1.2.3');
    git(seed, env, 'push', '--quiet', 'origin', 'v1.2.3');
    const result = runScript('tools/ci/promote-release.sh', { cwd: jenkinsCheckout(dir, env, origin, 'develop'), env });
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/already released.*bump/);
    expect(refOf(origin, 'refs/heads/release/1.2.3')).toBeNull();
  });
});

describe('merge-release.sh', () => {
  /** master with a hotfix the release lacks, and release/1.2.3 one commit past the fork. */
  function originWithRelease(releaseFiles: Record<string, string> = {}) {
    const { origin, seed } = originWithMaster(dir, env, '1.2.2');
    git(seed, env, 'checkout', '--quiet', '-b', 'release/1.2.3');
    const release = commitFiles(seed, env, { 'package.json': packageJsonAt('1.2.3'), ...releaseFiles }, 'Release 1.2.3');
    git(seed, env, 'push', '--quiet', 'origin', 'release/1.2.3');
    git(seed, env, 'checkout', '--quiet', 'master');
    const hotfix = commitFiles(seed, env, { 'hotfix.txt': 'hotfix\n' }, 'Hotfix on master');
    git(seed, env, 'push', '--quiet', 'origin', 'master');
    return { origin, release, hotfix };
  }

  it('merges the accepted release into master, tags it v<version> and pushes both', () => {
    const { origin, release, hotfix } = originWithRelease();
    const workspace = jenkinsCheckout(dir, env, origin, 'release/1.2.3');
    const result = runScript('tools/ci/merge-release.sh', { cwd: workspace, env: { ...env, BRANCH_NAME: 'release/1.2.3' } });
    expect(result.status, result.stderr).toBe(0);

    const master = refOf(origin, 'refs/heads/master');
    expect(git(origin, env, 'rev-list', '--parents', '-n', '1', 'master').split(' ')).toEqual([master, hotfix, release]);
    expect(refOf(origin, 'refs/tags/v1.2.3^{commit}')).toBe(master);
    expect(git(origin, env, 'cat-file', '-t', 'v1.2.3')).toBe('tag');
    expect(git(origin, env, 'log', '-1', '--format=%an <%ae>|%s', 'master')).toBe('Jenkins <jenkins@localhost>|Merge release/1.2.3 into master (release 1.2.3)');
  });

  it('refuses a branch whose name does not match package.json', () => {
    const { origin, hotfix } = originWithRelease();
    const workspace = jenkinsCheckout(dir, env, origin, 'release/1.2.3');
    const result = runScript('tools/ci/merge-release.sh', { cwd: workspace, env: { ...env, BRANCH_NAME: 'release/9.9.9' } });
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/does not match/);
    expect(refOf(origin, 'refs/heads/master')).toBe(hotfix);
  });

  it('fails on a conflict and pushes nothing', () => {
    const { origin, hotfix } = originWithRelease({ 'hotfix.txt': 'the release changed this too\n' });
    const workspace = jenkinsCheckout(dir, env, origin, 'release/1.2.3');
    const result = runScript('tools/ci/merge-release.sh', { cwd: workspace, env: { ...env, BRANCH_NAME: 'release/1.2.3' } });
    expect(result.status).not.toBe(0);
    expect(refOf(origin, 'refs/heads/master')).toBe(hotfix);
    expect(refOf(origin, 'refs/tags/v1.2.3')).toBeNull();
  });
});

describe('pushing with the credentials Jenkins binds', () => {
  let remote: GitHttpRemote;
  afterEach(async () => {
    await remote?.close();
  });

  it('git-askpass.sh answers git prompts from GIT_USERNAME and GIT_PASSWORD', () => {
    const ask = (prompt: string) =>
      spawnSync(path.join(ROOT, 'tools/ci/git-askpass.sh'), [prompt], {
        env: { ...env, GIT_USERNAME: 'ci-bot', GIT_PASSWORD: 'tok en' },
        encoding: 'utf8',
      }).stdout;
    expect(ask("Username for 'https://git.example.com': ")).toBe('ci-bot\n');
    expect(ask("Password for 'https://ci-bot@git.example.com': ")).toBe('tok en\n');
  });

  it('promote-release.sh logs in to an HTTP remote through GIT_ASKPASS, the token in no URL', async () => {
    const { origin, develop } = originWithDevelop();
    remote = await serveGitOverHttp(dir, { username: 'ci-bot', password: 's3cret-token' });
    const workspace = jenkinsCheckout(dir, env, origin, 'develop');
    const url = `${remote.url}/${path.basename(origin)}`;
    git(workspace, env, 'remote', 'set-url', 'origin', url);

    // Asynchronous runs: the HTTP remote lives in this process and must keep answering.
    const withoutCredentials = await runScriptAsync('tools/ci/promote-release.sh', { cwd: workspace, env: { ...env, GIT_TERMINAL_PROMPT: '0' } });
    expect(withoutCredentials.status).not.toBe(0);
    expect(refOf(origin, 'refs/heads/release/1.2.3')).toBeNull();

    const result = await runScriptAsync('tools/ci/promote-release.sh', {
      cwd: workspace,
      env: { ...env, GIT_USERNAME: 'ci-bot', GIT_PASSWORD: 's3cret-token' },
    });
    expect(result.status, result.stderr).toBe(0);
    expect(refOf(origin, 'refs/heads/release/1.2.3')).toBe(develop);
    expect(remote.authorizations.length).toBeGreaterThan(0);
    expect(git(workspace, env, 'config', '--get', 'remote.origin.url')).toBe(url);
    expect(`${result.stdout}${result.stderr}`).not.toContain('s3cret-token');
  });
});
