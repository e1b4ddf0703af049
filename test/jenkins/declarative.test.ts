/**
 * The small Jenkinsfile reader the pipeline tests rely on: Groovy call trees, declarative
 * stages with their conditions, and the classification of shell steps.
 */
import { describe, expect, it } from 'vitest';
import { branchMatches, readPipeline, stagesRunOn } from './declarative.ts';
import { namedArgs, parseCalls, parseValue } from './groovy-blocks.ts';
import { classifyShell } from './shell-calls.ts';

describe('parseCalls', () => {
  it('keeps braces, quotes and comment markers inside strings as text', () => {
    const [call] = parseCalls(`echo "a { b } // c" /* gone */ // gone too\n`);
    expect(call).toEqual({ name: 'echo', args: '"a { b } // c"', line: 1 });
  });

  it('reads arguments continued on the next line after a comma, and one-line blocks', () => {
    const calls = parseCalls(`input message: 'ok?',\n  ok: 'Yes'\nwhen { branch 'x' }`);
    expect(calls.map((call) => call.name)).toEqual(['input', 'when']);
    expect(namedArgs(calls[0]?.args ?? '')).toEqual(new Map([['message', "'ok?'"], ['ok', "'Yes'"]]));
    expect(calls[1]?.block).toEqual([{ name: 'branch', args: "'x'", line: 3 }]);
  });

  it('reads brackets over several lines as one argument list', () => {
    const [call] = parseCalls(`withCredentials([\n  string(credentialsId: 'a', variable: 'A')\n]) {\n  sh 'x'\n}`);
    expect(call?.args).toBe("([ string(credentialsId: 'a', variable: 'A') ])");
    expect(call?.block?.[0]?.name).toBe('sh');
  });

  it('points at the line of an unclosed block', () => {
    expect(() => parseCalls(`pipeline {\n  stages {\n`)).toThrow(/unclosed block of stages/);
  });
});

describe('parseValue', () => {
  it('tells single-quoted strings from interpolated GStrings', () => {
    expect(parseValue("'it\\'s'")).toEqual({ kind: 'string', value: "it's", interpolated: false });
    expect(parseValue('"a ${env.X}"')).toEqual({ kind: 'string', value: 'a ${env.X}', interpolated: true });
    expect(parseValue('scm')).toEqual({ kind: 'word', value: 'scm' });
  });
});

describe('readPipeline and stagesRunOn', () => {
  const source = `
    pipeline {
      agent any
      stages {
        stage('a') { steps { sh 'npm ci' } }
        stage('b') {
          when { anyOf { branch 'main'; branch 'hotfix/*' } }
          steps { sh 'npm test' }
        }
        stage('c') {
          when { not { branch 'main' } }
          stages {
            stage('c1') { steps { echo 'x' } }
          }
        }
      }
    }`;
  const pipeline = readPipeline(source);

  it('evaluates anyOf, not and nested stages per branch', () => {
    expect(stagesRunOn(pipeline, 'main').map((stage) => stage.name)).toEqual(['a', 'b']);
    expect(stagesRunOn(pipeline, 'hotfix/1').map((stage) => stage.name)).toEqual(['a', 'b', 'c1']);
    expect(stagesRunOn(pipeline, 'feature/x').map((stage) => stage.name)).toEqual(['a', 'c1']);
  });

  it('refuses directives and conditions it does not read', () => {
    expect(() => readPipeline(`pipeline { stages { stage('a') { tools { nodejs 'x' } steps { sh 'y' } } } }`)).toThrow(/tools/);
    expect(() => readPipeline(`pipeline { stages { stage('a') { when { expression { true } } steps { sh 'y' } } } }`)).toThrow(
      /expression/,
    );
  });
});

describe('branchMatches', () => {
  it('follows Ant globs as Jenkins does', () => {
    expect(branchMatches('release/*', 'release/1.2.3')).toBe(true);
    expect(branchMatches('release/*', 'release/1/2')).toBe(false);
    expect(branchMatches('release/**', 'release/1/2')).toBe(true);
    expect(branchMatches('master', 'master-2')).toBe(false);
    expect(branchMatches('v1.?', 'v1.x')).toBe(true);
    expect(branchMatches('v1.?', 'v10x')).toBe(false);
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
