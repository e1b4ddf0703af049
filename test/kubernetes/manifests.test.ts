/**
 * The Kubernetes manifests (deploy/kubernetes/), rendered with `kubectl kustomize` as a cluster
 * would get them: every object valid against the Kubernetes 1.27 API schemas and the KEDA,
 * Knative and prometheus-operator CRD schemas (the kubernetes-models packages, which compile
 * those OpenAPI schemas), and what no schema can check: probes on paths and ports the app
 * answers, environment names the function reads, images CI builds, limits matching
 * ORT_THREADS × INFERENCE_WORKERS, drain within the grace period, rules and dashboards from observability/.
 * No cluster runs here; the README gives the steps for kind or k3s.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseAllDocuments, parse } from 'yaml';
import { ScaledObject } from '@kubernetes-models/keda/keda.sh/v1alpha1/ScaledObject';
import { Service as KnativeService } from '@kubernetes-models/knative/serving.knative.dev/v1/Service';
import { PodMonitor } from '@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/PodMonitor';
import { PrometheusRule } from '@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/PrometheusRule';
import { Deployment } from 'kubernetes-models/apps/v1/Deployment';
import { ConfigMap } from 'kubernetes-models/v1/ConfigMap';
import { Namespace } from 'kubernetes-models/v1/Namespace';
import { Service } from 'kubernetes-models/v1/Service';
import { NetworkPolicy } from 'kubernetes-models/networking.k8s.io/v1/NetworkPolicy';
import { PodDisruptionBudget } from 'kubernetes-models/policy/v1/PodDisruptionBudget';
import { createApp } from '../../functions/src/app.ts';
import { DEFAULTS } from '../../functions/src/config.ts';
import { Lifecycle } from '../../functions/src/lifecycle.ts';
import { createMetrics } from '../../functions/src/metrics/metrics.ts';
import { REPO_ROOT } from '../../tools/lib/repo.ts';
import { dashboardConfigMaps, prometheusRule } from '../../tools/kubernetes/generate.ts';

// Rendered objects are checked by the schemas at run time, not by TypeScript.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = Record<string, any>;
interface Validating {
  validate(): void;
}

/** The schema of each kind the manifests use; a kind missing here fails the test. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
const MODELS: Record<string, new (data: any) => Validating> = {
  'v1/Namespace': Namespace,
  'v1/Service': Service,
  'v1/ConfigMap': ConfigMap,
  'apps/v1/Deployment': Deployment,
  'policy/v1/PodDisruptionBudget': PodDisruptionBudget,
  'networking.k8s.io/v1/NetworkPolicy': NetworkPolicy,
  'monitoring.coreos.com/v1/PodMonitor': PodMonitor,
  'monitoring.coreos.com/v1/PrometheusRule': PrometheusRule,
  'keda.sh/v1alpha1/ScaledObject': ScaledObject,
  'serving.knative.dev/v1/Service': KnativeService,
};

const KUSTOMIZATIONS = ['base', 'overlays/autoscaled', 'overlays/knative'];
const render = (dir: string): Json[] =>
  parseAllDocuments(execFileSync('kubectl', ['kustomize', path.join(REPO_ROOT, 'deploy/kubernetes', dir)], { encoding: 'utf8' })).map(
    (doc) => doc.toJS() as Json,
  );
const rendered = Object.fromEntries(KUSTOMIZATIONS.map((dir) => [dir, render(dir)]));
const find = (objects: Json[], kind: string, name: string) => {
  const found = objects.find((o) => o.kind === kind && o.metadata.name === name);
  if (!found) throw new Error(`no ${kind} ${name}`);
  return found;
};
const read = (file: string) => readFileSync(path.join(REPO_ROOT, file), 'utf8');

/** Every pod template with its containers: the Deployments' and the Knative Service's. */
const podSpecs = (objects: Json[]) => objects.filter((o) => o.kind === 'Deployment' || o.apiVersion.startsWith('serving.knative.dev')).map((o) => ({ name: o.metadata.name as string, spec: o.spec.template.spec as Json }));

/** Environment names functions/src/config.ts reads (the only module that reads process.env). */
const FUNCTION_ENV = new Set([...read('functions/src/config.ts').matchAll(/env\.([A-Z_]+)|env, '([A-Z_]+)'/g)].map((m) => m[1] ?? m[2]));
/** Environment names the proxy image takes: the ENV of the Dockerfile's proxy stage. */
const PROXY_ENV = new Set([...(/FROM \S+ AS proxy[\s\S]*?\nENV ([\s\S]*?)\n(?!\s)/.exec(read('Dockerfile'))?.[1] ?? '').matchAll(/([A-Z_]+)=/g)].map((m) => m[1]));
/** The images CI builds and pushes: compose.yaml's, under its default IMAGE_PREFIX. */
const CI_IMAGES = new Set(
  Object.values((parse(read('compose.yaml')) as { services: Record<string, { image?: string; build?: unknown }> }).services)
    .filter((s) => s.build)
    .map((s) => s.image!.replace('${IMAGE_PREFIX:-toxicity-monitor}', 'toxicity-monitor').replace(/:\$\{IMAGE_TAG[^}]*\}$/, '')),
);

describe.each(KUSTOMIZATIONS)('deploy/kubernetes/%s', (dir) => {
  const objects = rendered[dir]!;

  it('renders, and every object is valid against its API schema', () => {
    expect(objects.length).toBeGreaterThan(0);
    for (const object of objects) {
      const Model = MODELS[`${object.apiVersion}/${object.kind}`];
      expect(Model, `no schema known for ${object.apiVersion} ${object.kind}`).toBeDefined();
      expect(() => new Model!(object).validate(), `${object.kind} ${object.metadata.name}`).not.toThrow();
    }
  });

  it('runs only images CI builds, with environment names the programs read', () => {
    for (const { name, spec } of podSpecs(objects)) {
      for (const container of spec.containers as Json[]) {
        const image = String(container.image).replace(/:[^/:]+$/, '');
        expect(CI_IMAGES, `${name}: ${container.image}`).toContain(image);
        const known = image.endsWith('/proxy') ? PROXY_ENV : FUNCTION_ENV;
        for (const variable of (container.env ?? []) as Json[]) expect(known, `${name}: ${variable.name}`).toContain(variable.name);
      }
    }
  });

  it('probes paths the app answers, on the port it listens on', async () => {
    const app = createApp({ lifecycle: new Lifecycle(), metrics: createMetrics(), maxBodyBytes: 1024 });
    for (const { name, spec } of podSpecs(objects).filter((p) => p.name !== 'proxy')) {
      const container = (spec.containers as Json[])[0]!;
      const port = Number((container.env as Json[]).find((e) => e.name === 'PORT')?.value ?? /\n\s+PORT=(\d+)/.exec(read('Dockerfile'))?.[1]);
      for (const probe of ['startupProbe', 'readinessProbe', 'livenessProbe'].map((key) => container[key]).filter(Boolean) as Json[]) {
        const status = (await app.request(probe.httpGet.path)).status;
        expect([200, 503], `${name}: ${probe.httpGet.path}`).toContain(status);
        const declared = probe.httpGet.port === undefined ? (container.ports as Json[])[0] : (container.ports as Json[]).find((p) => p.name === probe.httpGet.port || p.containerPort === probe.httpGet.port);
        expect(declared?.containerPort, `${name}: probe port`).toBe(port);
      }
    }
  });

  it('gives each function replica as many CPUs as ONNX Runtime threads in all its inference workers', () => {
    for (const { name, spec } of podSpecs(objects).filter((p) => p.name !== 'proxy')) {
      const container = (spec.containers as Json[])[0]!;
      const env = (variable: string, unset: string) => Number((container.env as Json[]).find((e) => e.name === variable)?.value ?? unset);
      const threads = env('ORT_THREADS', 'unset') * env('INFERENCE_WORKERS', String(DEFAULTS.inferenceWorkers));
      expect(Number(container.resources.limits.cpu), name).toBe(threads);
      expect(Number(container.resources.requests.cpu), name).toBe(threads);
      expect(container.securityContext ?? spec.securityContext).toBeDefined();
    }
  });
});

describe('the function Deployment', () => {
  const objects = rendered.base!;
  const deployment = find(objects, 'Deployment', 'functions');
  const pod = deployment.spec.template.spec as Json;
  const container = pod.containers[0] as Json;

  it('drains within the grace period: preStop pause, then the replica drain bound', () => {
    const pause = Number(container.lifecycle.preStop.exec.command.at(-1));
    const drain = Number(container.env.find((e: Json) => e.name === 'DRAIN_TIMEOUT_MS').value) / 1000;
    expect(pause).toBeGreaterThan(0);
    expect(pod.terminationGracePeriodSeconds).toBeGreaterThan(pause + drain);
  });

  it('never goes below its replicas during a rollout, spreads over nodes and lets a node drain', () => {
    expect(deployment.spec.strategy.rollingUpdate.maxUnavailable).toBe(0);
    expect(pod.topologySpreadConstraints[0].topologyKey).toBe('kubernetes.io/hostname');
    const budget = find(objects, 'PodDisruptionBudget', 'functions');
    expect(budget.spec.maxUnavailable).toBeGreaterThanOrEqual(1);
    expect(budget.spec.maxUnavailable).toBeLessThan(deployment.spec.replicas);
  });

  it('runs non-root, read-only, without privileges or capabilities, under RuntimeDefault seccomp', () => {
    expect(pod.securityContext).toMatchObject({ runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } });
    expect(container.securityContext).toEqual({ readOnlyRootFilesystem: true, allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } });
  });

  it('lets only the edge and Prometheus reach the replicas', () => {
    const policy = find(objects, 'NetworkPolicy', 'functions-ingress');
    const sources = (policy.spec.ingress as Json[]).flatMap((rule) => rule.from.map((from: Json) => from.podSelector.matchLabels['app.kubernetes.io/name']));
    expect(sources.sort()).toEqual(['prometheus', 'proxy']);
  });
});

describe('monitoring and autoscaling', () => {
  it('holds every rule group of observability/prometheus/rules in the PrometheusRule, generated in sync', () => {
    expect(read('deploy/kubernetes/base/generated/prometheus-rules.yaml')).toBe(prometheusRule().text);
    const rule = find(rendered.base!, 'PrometheusRule', 'toxicity-monitor');
    const names = ['alerts.yml', 'recording.yml'].flatMap((file) => (parse(read(`observability/prometheus/rules/${file}`)) as { groups: { name: string }[] }).groups.map((g) => g.name));
    expect(rule.spec.groups.map((g: Json) => g.name)).toEqual(names);
  });

  it('ships every Grafana dashboard as a ConfigMap of the same JSON, generated in sync', () => {
    expect(read('deploy/kubernetes/base/generated/grafana-dashboards.yaml')).toBe(dashboardConfigMaps().text);
    const maps = rendered.base!.filter((o) => o.kind === 'ConfigMap' && o.metadata.labels?.grafana_dashboard === '1');
    expect(maps.map((m) => Object.keys(m.data)[0]).sort()).toEqual(['host-containers.json', 'toxicity-service.json']);
    expect(maps.find((m) => m.data['toxicity-service.json'])!.data['toxicity-service.json']).toBe(read('observability/grafana/dashboards/toxicity-service.json'));
  });

  it('scrapes the replicas as job "functions", the name the rules select on', () => {
    const monitor = find(rendered.base!, 'PodMonitor', 'functions');
    expect(monitor.spec.jobLabel).toBe('app.kubernetes.io/name');
    expect(find(rendered.base!, 'Deployment', 'functions').spec.template.metadata.labels['app.kubernetes.io/name']).toBe('functions');
    expect(monitor.spec.podMetricsEndpoints[0].path).toBe('/metrics');
  });

  it('scales on requests in flight, a metric the replicas export, and scales down slowly', async () => {
    const scaled = find(rendered['overlays/autoscaled']!, 'ScaledObject', 'functions');
    const metric = /(toxicity_\w+)/.exec(scaled.spec.triggers[0].metadata.query)?.[1];
    expect(await createMetrics().registry.getSingleMetric(metric!)).toBeDefined();
    expect(scaled.spec.advanced.horizontalPodAutoscalerConfig.behavior.scaleDown.stabilizationWindowSeconds).toBeGreaterThanOrEqual(60);
    expect(scaled.spec.minReplicaCount).toBeGreaterThanOrEqual(2);
  });

  it('gives the Knative Service a concurrency limit above its target, and no client header to trust', () => {
    const service = find(rendered['overlays/knative']!, 'Service', 'toxicity');
    const annotations = service.spec.template.metadata.annotations;
    expect(service.spec.template.spec.containerConcurrency).toBeGreaterThan(Number(annotations['autoscaling.knative.dev/target']));
    expect(['0', '1']).toContain(annotations['autoscaling.knative.dev/min-scale']);
    expect(service.spec.template.spec.containers[0].env.map((e: Json) => e.name)).not.toContain('CLIENT_ID_HEADER');
  });
});
