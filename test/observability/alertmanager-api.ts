/**
 * @module alertmanager-api
 * Alertmanager's v2 API as the live tests use it: post alerts the way Prometheus does, and read
 * back where each went (receivers) and whether an inhibition rule muted it.
 */

export interface AlertmanagerAlert {
  labels: Record<string, string>;
  receivers: Array<{ name: string }>;
  status: { state: 'active' | 'suppressed' | 'unprocessed'; inhibitedBy: string[]; silencedBy: string[] };
}

/** `filter` are Alertmanager matchers, e.g. `alertname="FunctionDown"`. */
export async function listAlerts(baseUrl: string, ...filter: string[]): Promise<AlertmanagerAlert[]> {
  const query = new URLSearchParams(filter.map((f) => ['filter', f]));
  const res = await fetch(`${baseUrl}/api/v2/alerts?${query}`, { signal: AbortSignal.timeout(5000) });
  if (!res.ok) throw new Error(`GET /api/v2/alerts: ${res.status} ${await res.text()}`);
  return (await res.json()) as AlertmanagerAlert[];
}

export async function postAlerts(baseUrl: string, labelSets: Array<Record<string, string>>, minutes = 5): Promise<void> {
  const endsAt = new Date(Date.now() + minutes * 60_000).toISOString();
  const res = await fetch(`${baseUrl}/api/v2/alerts`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(labelSets.map((labels) => ({ labels, annotations: {}, endsAt }))),
    signal: AbortSignal.timeout(5000),
  });
  if (!res.ok) throw new Error(`POST /api/v2/alerts: ${res.status} ${await res.text()}`);
}
