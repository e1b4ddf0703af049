/**
 * The Swarm stack file (deploy/swarm/stack.yaml): generated from compose.yaml and the Swarm
 * patch, in sync with them, accepted by the Docker CLI's own stack loader, and carrying the
 * update policy the issue asks for. The live run on a three-node swarm is `npm run test:swarm`.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { REPO_ROOT } from '../../tools/lib/repo.ts';
import { generateStackFile, STACK_FILE } from '../../tools/swarm/generate.ts';
import { applyMergePatch } from '../../tools/swarm/merge-patch.ts';
import { composeToStack, hostModePort, splitSpec, tmpfsVolumes } from '../../tools/swarm/stack-file.ts';

type Service = {
  deploy: {
    mode?: string;
    endpoint_mode: string;
    replicas?: number;
    update_config?: Record<string, string | number>;
    rollback_config?: Record<string, string | number>;
  };
  ports?: { mode: string; published: number | string; target: number }[];
  environment?: Record<string, string>;
  build?: unknown;
  depends_on?: unknown;
};
const stack = parse(readFileSync(STACK_FILE, 'utf8')) as { services: Record<string, Service>; configs: Record<string, { file: string }> };

/** Seconds in a duration such as "10s" or "1m30s". */
const seconds = (text: string) =>
  [...text.matchAll(/(\d+(?:\.\d+)?)(ms|s|m)/g)].reduce((sum, [, n, unit]) => sum + Number(n) * ({ ms: 0.001, s: 1, m: 60 }[unit!] ?? 0), 0);

describe('deploy/swarm/stack.yaml', () => {
  it('is what npm run swarm:stack generates from compose.yaml and swarm.patch.yaml now', () => {
    expect(readFileSync(STACK_FILE, 'utf8')).toBe(generateStackFile());
  });

  it("is accepted by the Docker CLI's stack loader", () => {
    const config = execFileSync('docker', ['stack', 'config', '-c', STACK_FILE], {
      cwd: REPO_ROOT,
      env: { ...process.env, IMAGE_PREFIX: 'registry.example.com/toxicity-monitor', IMAGE_TAG: '1.2.3' },
      encoding: 'utf8',
    });
    expect(config).toContain('image: registry.example.com/toxicity-monitor/functions:1.2.3');
  });

  it('runs every service of compose but the load test, none with build or depends_on', () => {
    const compose = parse(readFileSync(path.join(REPO_ROOT, 'compose.yaml'), 'utf8')) as { services: Record<string, { profiles?: string[] }> };
    const expected = Object.entries(compose.services).filter(([, s]) => !s.profiles).map(([name]) => name);
    expect(Object.keys(stack.services).sort()).toEqual(expected.sort());
    for (const service of Object.values(stack.services)) {
      expect(service.build).toBeUndefined();
      expect(service.depends_on).toBeUndefined();
      expect(service.deploy.endpoint_mode).toBe('dnsrr');
    }
  });

  it('updates the functions one at a time, new before old, health-gated, rolling back on failure', () => {
    const update = stack.services.functions!.deploy.update_config!;
    expect(update).toMatchObject({ parallelism: 1, order: 'start-first', failure_action: 'rollback', max_failure_ratio: 0 });
    expect(stack.services.functions!.deploy.rollback_config).toMatchObject({ order: 'start-first' });
    // The image's HEALTHCHECK must be able to fail a replica within the monitor window.
    const dockerfile = readFileSync(path.join(REPO_ROOT, 'Dockerfile'), 'utf8');
    const check = /FROM \S+ AS functions[\s\S]*HEALTHCHECK (.*?)\\?\n/.exec(dockerfile)?.[1] ?? '';
    const option = (name: string) => seconds(new RegExp(`--${name}=(\\S+)`).exec(check)?.[1] ?? '');
    const needed = option('interval') * Number(/--retries=(\d+)/.exec(check)?.[1]) + option('timeout');
    expect(needed).toBeGreaterThan(0);
    expect(seconds(String(update.monitor))).toBeGreaterThan(needed);
  });

  it('publishes the edge (HTTP and HTTPS) in host mode on every node and keeps Prometheus and Alertmanager unpublished', () => {
    expect(stack.services.proxy!.deploy.mode).toBe('global');
    expect(stack.services.proxy!.ports).toEqual([
      { target: 8080, published: '${PROXY_PORT:-8080}', protocol: 'tcp', mode: 'host' },
      { target: 8443, published: '${PROXY_TLS_PORT:-8443}', protocol: 'tcp', mode: 'host' },
    ]);
    expect(stack.services.prometheus!.ports).toBeUndefined();
    expect(stack.services.alertmanager!.ports).toBeUndefined();
    expect(stack.services['node-exporter']!.deploy.mode).toBe('global');
  });

  it('takes the Grafana password from a Swarm secret, not the environment', () => {
    const grafana = stack.services.grafana!.environment!;
    expect(grafana.GF_SECURITY_ADMIN_PASSWORD).toBeUndefined();
    expect(grafana.GF_SECURITY_ADMIN_PASSWORD__FILE).toBe('/run/secrets/grafana_admin_password');
  });

  it('mounts the same observability files compose mounts, as configs', () => {
    const files = Object.values(stack.configs).map((config) => path.relative(REPO_ROOT, path.resolve(path.dirname(STACK_FILE), config.file)));
    expect(files).toContain('observability/prometheus/prometheus.yml');
    expect(files).toContain('observability/prometheus/rules/alerts.yml');
    expect(files).toContain('observability/grafana/dashboards/toxicity-service.json');
  });
});

describe('the conversion', () => {
  it('splits specs on colons outside ${...}', () => {
    expect(splitSpec('${PORT:-8080}:8080')).toEqual(['${PORT:-8080}', '8080']);
    expect(splitSpec('127.0.0.1:${P:-9090}:9090')).toEqual(['127.0.0.1', '${P:-9090}', '9090']);
  });

  it('publishes PUBLISHED:TARGET in host mode and leaves ports bound to one address unpublished', () => {
    expect(hostModePort('3000:3000')).toEqual({ target: 3000, published: 3000, protocol: 'tcp', mode: 'host' });
    expect(hostModePort('127.0.0.1:9090:9090')).toBeUndefined();
  });

  it("mounts compose's tmpfs paths as tmpfs volumes, which docker stack deploy does not drop", () => {
    expect(tmpfsVolumes(['/tmp', '/run'])).toEqual([
      { type: 'tmpfs', target: '/tmp' },
      { type: 'tmpfs', target: '/run' },
    ]);
    expect(() => tmpfsVolumes('/tmp:size=64m')).toThrow(/options/);
    const converted = composeToStack({ services: { s: { image: 'x', volumes: ['data:/data'], tmpfs: ['/tmp'] } } }, { composeDir: REPO_ROOT, stackDir: REPO_ROOT }) as {
      services: { s: { volumes: unknown[]; tmpfs?: unknown } };
    };
    expect(converted.services.s.volumes).toEqual(['data:/data', { type: 'tmpfs', target: '/tmp' }]);
    expect(converted.services.s.tmpfs).toBeUndefined();
  });

  it('turns a bind-mounted folder into one config per file, named by content', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'stack-file-'));
    try {
      mkdirSync(path.join(dir, 'conf/sub'), { recursive: true });
      writeFileSync(path.join(dir, 'conf/a.yml'), 'a: 1\n');
      writeFileSync(path.join(dir, 'conf/sub/b.yml'), 'b: 2\n');
      const compose = { services: { s: { image: 'x', volumes: ['./conf:/etc/x:ro', 'data:/data'] } }, volumes: { data: {} } };
      const converted = composeToStack(compose, { composeDir: dir, stackDir: path.join(dir, 'deploy') }) as {
        services: { s: { volumes: string[]; configs: { source: string; target: string }[] } };
        configs: Record<string, { file: string }>;
      };
      expect(converted.services.s.volumes).toEqual(['data:/data']);
      expect(converted.services.s.configs.map((c) => c.target)).toEqual(['/etc/x/a.yml', '/etc/x/sub/b.yml']);
      const [first] = converted.services.s.configs;
      expect(converted.configs[first!.source]).toEqual({ file: '../conf/a.yml' });
      writeFileSync(path.join(dir, 'conf/a.yml'), 'a: 2\n');
      const changed = composeToStack(compose, { composeDir: dir, stackDir: path.join(dir, 'deploy') }) as typeof converted;
      expect(changed.services.s.configs[0]!.source).not.toBe(first!.source);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('JSON merge patch (RFC 7396)', () => {
  // The examples of RFC 7396, appendix A.
  it.each([
    [{ a: 'b' }, { a: 'c' }, { a: 'c' }],
    [{ a: 'b' }, { b: 'c' }, { a: 'b', b: 'c' }],
    [{ a: 'b' }, { a: null }, {}],
    [{ a: 'b', b: 'c' }, { a: null }, { b: 'c' }],
    [{ a: ['b'] }, { a: 'c' }, { a: 'c' }],
    [{ a: 'c' }, { a: ['b'] }, { a: ['b'] }],
    [{ a: { b: 'c' } }, { a: { b: 'd', c: null } }, { a: { b: 'd' } }],
    [{ a: [{ b: 'c' }] }, { a: [1] }, { a: [1] }],
    [['a', 'b'], ['c', 'd'], ['c', 'd']],
    [{ a: 'b' }, ['c'], ['c']],
    [{ e: null }, { a: 1 }, { e: null, a: 1 }],
    [[1, 2], { a: 'b', c: null }, { a: 'b' }],
    [{}, { a: { bb: { ccc: null } } }, { a: { bb: {} } }],
  ])('%j patched with %j is %j', (target, patch, result) => {
    expect(applyMergePatch(target, patch)).toEqual(result);
  });
});
