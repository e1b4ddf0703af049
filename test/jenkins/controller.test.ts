/**
 * The Jenkins controller as code (jenkins/): plugins.txt, casc.yaml, Dockerfile and compose.yaml
 * agree with each other: no password has a default, secrets stay out of the environment, the UI
 * is on 127.0.0.1 only, the image installs what `npm test` needs, and the entry point refuses
 * to start without an admin password. What the controller needs for the Jenkinsfile (plugins,
 * credentials, the job) is checked with the Jenkinsfile, in jenkinsfile.test.ts.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { ROOT, tempDir } from './sandbox.ts';

const read = (file: string) => readFileSync(path.join(ROOT, file), 'utf8');
const casc = parse(read('jenkins/casc.yaml')) as Casc;
const compose = parse(read('jenkins/compose.yaml')) as ComposeFile;
const dockerfile = read('jenkins/Dockerfile');
const plugins = read('jenkins/plugins.txt')
  .split('\n')
  .map((line) => line.replace(/#.*/, '').trim())
  .filter(Boolean)
  .map((line) => line.split(':')[0] ?? '');

interface Casc {
  jenkins: {
    securityRealm: { local: { allowsSignup: boolean; users: { id: string; password: string }[] } };
    authorizationStrategy: Record<string, { allowAnonymousRead?: boolean }>;
  };
  credentials: { system: { domainCredentials: { credentials: Record<string, { id: string } & Record<string, string>>[] }[] } };
  jobs: { script: string }[];
}
interface ComposeService {
  build?: { context: string; args?: Record<string, string> };
  ports?: string[];
  environment?: Record<string, string>;
  volumes?: string[];
  group_add?: string[];
}
interface ComposeFile {
  services: Record<string, ComposeService>;
  volumes?: Record<string, { name?: string }>;
  [key: string]: unknown;
}

/** The plugin behind each casc.yaml section and credential type the controller uses. */
const PLUGIN_OF: Record<string, string> = {
  jobs: 'job-dsl',
  credentials: 'credentials',
  usernamePassword: 'credentials',
  string: 'plain-credentials',
};

const cascCredentials: ({ type: string; id: string } & Record<string, string>)[] = casc.credentials.system.domainCredentials.flatMap(
  (domain) => domain.credentials.flatMap((entry) => Object.entries(entry).map(([type, fields]) => ({ ...fields, type }))),
);
const service = compose.services.jenkins as ComposeService;

/** `${NAME}`, `${NAME:-default}`, `${NAME:?message}` references, with whether they have a default. */
function references(text: string): { name: string; hasDefault: boolean }[] {
  return [...text.matchAll(/\$\{([A-Za-z_]\w*)(:?[-?])?/g)].map((match) => ({ name: match[1] ?? '', hasDefault: match[2]?.endsWith('-') ?? false }));
}

/** What compose makes of `${...}`: the default, or the value in `env`. */
function interpolate(text: string, env: Record<string, string> = {}): string {
  return text.replace(/\$\{([A-Za-z_]\w*)(?::([-?])([^}]*))?\}/g, (_, name: string, kind?: string, word?: string) => {
    const value = env[name];
    if (value) return value;
    if (kind === '-') return word ?? '';
    if (kind === '?') throw new Error(`${name} is required: ${word}`);
    return '';
  });
}

/** The secrets the image's entry point knows, read from the script itself. */
const SECRET_FILES = (() => {
  const script = read('jenkins/require-secrets.sh');
  const admin = /\$dir\/(\w+)"/.exec(script)?.[1];
  const others = /for name in ([\w ]+);/.exec(script)?.[1]?.split(' ') ?? [];
  return [admin ?? '', ...others];
})();

describe('plugins.txt', () => {
  it('lists each plugin once', () => {
    expect(new Set(plugins).size).toBe(plugins.length);
  });

  it('holds the plugin of every casc.yaml section and credential type used, and of configuration as code', () => {
    const used = [...Object.keys(casc), ...cascCredentials.map((credential) => credential.type)].filter((key) => key in PLUGIN_OF);
    expect(used).toEqual(expect.arrayContaining(['jobs', 'credentials', 'usernamePassword']));
    for (const name of used) expect(plugins, `${name} needs ${PLUGIN_OF[name]}`).toContain(PLUGIN_OF[name]);
    expect(plugins).toContain('configuration-as-code');
  });
});

describe('casc.yaml', () => {
  it('has one admin with a password from a secret, no default, no sign-up, no anonymous access', () => {
    const realm = casc.jenkins.securityRealm.local;
    expect(realm.allowsSignup).toBe(false);
    expect(realm.users).toHaveLength(1);
    expect(realm.users[0]?.password).toMatch(/^\$\{\w+\}$/);
    expect(SECRET_FILES).toContain(references(realm.users[0]?.password ?? '')[0]?.name);
    expect(casc.jenkins.authorizationStrategy).toEqual({ loggedInUsersCanDoAnything: { allowAnonymousRead: false } });
  });

  it('takes every secret from a reference, and each reference from the environment compose sets or a secret file', () => {
    const environment = Object.keys(service.environment ?? {});
    for (const credential of cascCredentials) {
      for (const field of ['password', 'secret']) {
        const value = credential[field];
        if (value !== undefined) expect(value, `${credential.id}.${field}`).toMatch(/^\$\{\w+(:-)?\}$/);
      }
    }
    const settings = read('jenkins/casc.yaml').replace(/^\s*#.*$/gm, '');
    const unknown = references(settings).filter(({ name }) => !environment.includes(name) && !SECRET_FILES.includes(name));
    expect(unknown).toEqual([]);
  });
});

describe('jenkins/compose.yaml', () => {
  it('uses only what docker-compose 1.29 and Compose v2 both accept', () => {
    expect(Object.keys(compose).sort()).toEqual(['services', 'volumes']);
    for (const port of service.ports ?? []) expect(typeof port).toBe('string');
  });

  it('publishes only on 127.0.0.1, port 8081 by default', () => {
    const ports = (service.ports ?? []).map((port) => interpolate(port));
    expect(ports).toEqual(['127.0.0.1:8081:8080']);
    for (const [name, other] of Object.entries(compose.services)) {
      for (const port of other.ports ?? []) expect(interpolate(port), name).toMatch(/^127\.0\.0\.1:/);
    }
  });

  it('gives builds the Docker socket and keeps JENKINS_HOME in a volume at its own host path', () => {
    const volumes = (service.volumes ?? []).map((volume) => interpolate(volume));
    expect(volumes).toContain('/var/run/docker.sock:/var/run/docker.sock');
    const home = interpolate(service.environment?.JENKINS_HOME ?? '');
    const volumeName = compose.volumes?.['jenkins-home']?.name ?? '';
    expect(volumes).toContain(`jenkins-home:${home}`);
    expect(home).toBe(`/var/lib/docker/volumes/${volumeName}/_data`);
    expect(interpolate(service.build?.args?.JENKINS_HOME_PATH ?? '')).toBe(home);
    expect(dockerfile).toContain(`ARG JENKINS_HOME_PATH=${home}`);
    expect(service.group_add?.length).toBe(1);
  });

  it('keeps secrets out of the environment, as files mounted read-only', () => {
    expect(Object.keys(service.environment ?? {}).filter((name) => /PASSWORD|TOKEN|SECRET/.test(name))).toEqual([]);
    expect(service.volumes).toContain('./secrets:/run/secrets:ro');
    const ignored = read('jenkins/.dockerignore').split('\n');
    expect(ignored).toEqual(expect.arrayContaining(['.env', 'secrets']));
  });

  it('documents every required setting in .env.example', () => {
    const required = references(read('jenkins/compose.yaml')).filter((reference) => !reference.hasDefault);
    const example = read('jenkins/.env.example');
    expect(required.map((reference) => reference.name).sort()).toEqual(['DOCKER_GID', 'REPO_URL']);
    for (const { name } of required) expect(example).toMatch(new RegExp(`^${name}=`, 'm'));
  });

  // tools/system-packages.sh (run by npm test) installs docker-compose, so this always runs.
  it('passes docker-compose config', () => {
    const output = execFileSync('docker-compose', ['-f', 'jenkins/compose.yaml', 'config'], {
      cwd: ROOT,
      env: { PATH: process.env.PATH ?? '', DOCKER_GID: '999', REPO_URL: 'https://git.example.com/x.git' },
      encoding: 'utf8',
    });
    expect(output).toContain('127.0.0.1:8081:8080');
  });
});

describe('jenkins/Dockerfile', () => {
  it('builds on jenkins/jenkins:lts-jdk17 with plugins.txt and casc.yaml', () => {
    expect(dockerfile).toMatch(/^FROM jenkins\/jenkins:lts-jdk17$/m);
    expect(dockerfile).toMatch(/^COPY plugins\.txt (\S+)\nRUN jenkins-plugin-cli --plugin-file \1$/m);
    const cascTarget = /^COPY casc\.yaml (\S+)$/m.exec(dockerfile)?.[1];
    expect(dockerfile).toContain(`CASC_JENKINS_CONFIG=${cascTarget}`);
    expect(dockerfile).toContain('-Djenkins.install.runSetupWizard=false');
  });

  it('installs every Debian package tools/system-packages.sh may install for npm test (builds run it as a non-root user)', () => {
    const needed = execFileSync('bash', [path.join(ROOT, 'tools/system-packages.sh'), '--list'], { encoding: 'utf8' }).split('\n').filter(Boolean);
    // Every `apt-get install`'s package words, continuation lines joined.
    const installed = [...dockerfile.replace(/\\\n/g, ' ').matchAll(/apt-get install ([^&\n]*)/g)].flatMap((match) =>
      (match[1] ?? '').split(/\s+/).filter((word) => word && !word.startsWith('-')),
    );
    expect(needed.length).toBeGreaterThan(0);
    expect(installed).toEqual(expect.arrayContaining(needed));
  });

  it('starts Jenkins only through the secret check', () => {
    expect(dockerfile).toMatch(/^ENTRYPOINT \[.*"\/usr\/local\/bin\/require-secrets", "\/usr\/local\/bin\/jenkins\.sh"\]$/m);
  });
});

describe('jenkins/require-secrets.sh', () => {
  const run = (files: Record<string, string>) => {
    const dir = tempDir();
    const secrets = path.join(dir, 'secrets');
    mkdirSync(secrets);
    for (const [name, content] of Object.entries(files)) writeFileSync(path.join(secrets, name), content);
    try {
      return spawnSync(path.join(ROOT, 'jenkins/require-secrets.sh'), ['echo', 'jenkins started'], {
        env: { PATH: process.env.PATH ?? '', SECRETS: secrets },
        encoding: 'utf8',
      });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  };

  it('refuses to start without an admin password, or with an empty one', () => {
    const cases: Record<string, string>[] = [{}, { JENKINS_ADMIN_PASSWORD: ' \n' }];
    for (const files of cases) {
      const result = run(files);
      expect(result.status).toBe(1);
      expect(result.stderr).toMatch(/JENKINS_ADMIN_PASSWORD/);
      expect(result.stdout).toBe('');
    }
  });

  it('starts with one, warning about the other secrets missing', () => {
    const result = run({ JENKINS_ADMIN_PASSWORD: 'correct horse\n' });
    expect(result.status).toBe(0);
    expect(result.stdout).toBe('jenkins started\n');
    expect(result.stderr).toMatch(/REGISTRY_PASSWORD/);
  });
});
