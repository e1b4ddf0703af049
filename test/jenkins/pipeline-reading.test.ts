/**
 * The two judgements the pipeline tests make on what Groovy's compiler reads from the
 * Jenkinsfile: whether a branch (or a report file) matches a Jenkins glob, and what a shell
 * step runs.
 */
import { describe, expect, it } from 'vitest';
import { globMatches } from './declarative.ts';
import { classifyShell } from './shell-calls.ts';

describe('globMatches', () => {
  it('follows Ant globs as Jenkins does', () => {
    expect(globMatches('release/*', 'release/1.2.3')).toBe(true);
    expect(globMatches('release/*', 'release/1/2')).toBe(false);
    expect(globMatches('release/**', 'release/1/2')).toBe(true);
    expect(globMatches('master', 'master-2')).toBe(false);
    expect(globMatches('v1.?', 'v1.x')).toBe(true);
    expect(globMatches('v1.?', 'v10x')).toBe(false);
  });
});

describe('classifyShell', () => {
  it('accepts npm scripts, npm ci and repository scripts with simple variables', () => {
    expect(classifyShell('npm run test:unit')).toEqual({ kind: 'npm', script: 'test:unit', env: [] });
    expect(classifyShell('npm test')).toEqual({ kind: 'npm', script: 'test', env: [] });
    expect(classifyShell('npm ci')).toEqual({ kind: 'npm-command', command: 'ci', env: [] });
    expect(classifyShell('IMAGE_TAG=1.0.0 deploy/compose/rolling-redeploy.sh')).toEqual({
      kind: 'repo-script',
      path: 'deploy/compose/rolling-redeploy.sh',
      env: ['IMAGE_TAG'],
    });
  });

  it('rejects shell logic and other programs', () => {
    for (const command of ['npm ci && npm test', 'docker compose up', 'tools/x.sh | tee log', 'tools/../x.sh', 'echo $(id)', 'npm install']) {
      expect(classifyShell(command).kind, command).toBe('other');
    }
  });
});
