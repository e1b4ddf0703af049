/**
 * @module prometheus-api
 * The few calls of Prometheus' HTTP API that the dashboard renderer and the observability tests
 * make: instant and range queries, and the alerts the rules have produced.
 */

export interface Sample {
  metric: Record<string, string>;
  value: [number, string];
}

export interface Series {
  metric: Record<string, string>;
  values: Array<[number, string]>;
}

export interface PrometheusAlert {
  labels: Record<string, string>;
  annotations: Record<string, string>;
  state: 'pending' | 'firing';
  value: string;
}

async function api<T>(baseUrl: string, path: string, params: Record<string, string>): Promise<T> {
  const res = await fetch(`${baseUrl}${path}?${new URLSearchParams(params)}`, { signal: AbortSignal.timeout(10_000) });
  const body = (await res.json()) as { status: string; data: T; error?: string };
  if (body.status !== 'success') throw new Error(`${path} ${JSON.stringify(params)}: ${body.error ?? res.status}`);
  return body.data;
}

/**
 * @example
 * const samples = await instantQuery('http://127.0.0.1:9090', 'up{job="functions"}');
 */
export async function instantQuery(baseUrl: string, expr: string): Promise<Sample[]> {
  const data = await api<{ resultType: string; result: Sample[] | [number, string] }>(baseUrl, '/api/v1/query', { query: expr });
  // A scalar expression (e.g. `vector(0)` is a vector, `1` is a scalar) answers one bare value.
  return data.resultType === 'scalar' ? [{ metric: {}, value: data.result as [number, string] }] : (data.result as Sample[]);
}

export async function rangeQuery(baseUrl: string, expr: string, start: Date, end: Date, stepSeconds: number): Promise<Series[]> {
  const data = await api<{ result: Series[] }>(baseUrl, '/api/v1/query_range', {
    query: expr,
    start: String(start.getTime() / 1000),
    end: String(end.getTime() / 1000),
    step: String(stepSeconds),
  });
  return data.result;
}

export async function alerts(baseUrl: string): Promise<PrometheusAlert[]> {
  const data = await api<{ alerts: PrometheusAlert[] }>(baseUrl, '/api/v1/alerts', {});
  return data.alerts;
}
