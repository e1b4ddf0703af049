/**
 * @module metrics-text
 * Reads values off a replica's /metrics page (Prometheus' text format), for the tests,
 * benchmarks and soak that look inside a running replica.
 */

/**
 * The value of the first `name` line whose labels include `labels` (e.g. `kind="major"`), or
 * undefined when there is none: a counter with labels has no line until it first counts.
 * @example
 * metricValue(text, 'nodejs_gc_duration_seconds_count', 'kind="major"') ?? 0
 */
export function metricValue(text: string, name: string, labels = ''): number | undefined {
  for (const line of text.matchAll(new RegExp(`^${name}(?:\\{([^}]*)\\})? (\\S+)$`, 'gm'))) {
    if ((line[1] ?? '').includes(labels)) return Number(line[2]);
  }
  return undefined;
}
