/**
 * @module server-start
 * Measures start-up as an operator sees it: spawns the real server (functions/src/server.ts,
 * through tools/stack's startFunction) and times spawn → /readyz 200, then sends a few real
 * requests and reads the process' resident memory from /proc, so the figure includes node,
 * tsx, transformers.js, the ONNX session and what the first requests allocate.
 */
import { createServer, type AddressInfo } from 'node:net';
import type { ModelDtype } from '../../functions/src/config.ts';
import { statusKb } from '../lib/processes.ts';
import { startFunction } from '../stack/function-process.ts';

export interface StartSample {
  /** Spawn → /readyz answers 200. */
  readyMs: number;
  /** Spawn → the server logged "listening" (node, tsx and the imports, before the model). */
  bootMs: number;
  /** The server's own "ready" log: prepareModel (load + warm-up) alone. */
  loadMs: number;
  rssMb: number;
  /** VmHWM: the most the process was resident at any point, load included. */
  peakRssMb: number;
}

/** Far beyond a healthy start (2–5 s here); a start that takes longer is reported as failed. */
const READY_TIMEOUT_MS = 30_000;

async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

function memoryMb(pid: number): { rssMb: number; peakRssMb: number } {
  const field = (name: string) => {
    const kb = statusKb(pid, name);
    if (kb === undefined) throw new Error(`no ${name} in /proc/${pid}/status`);
    return kb / 1024;
  };
  return { rssMb: field('VmRSS'), peakRssMb: field('VmHWM') };
}

/** The server logs one JSON object per line; returns the first with this `msg`. */
function logLine(output: string, msg: string): Record<string, unknown> {
  for (const line of output.split('\n')) {
    if (!line.startsWith('{')) continue;
    const entry = JSON.parse(line) as Record<string, unknown>;
    if (entry.msg === msg) return entry;
  }
  throw new Error(`the server did not log "${msg}":\n${output}`);
}

async function classify(url: string, body: unknown): Promise<void> {
  const res = await fetch(`${url}/api/v1/classify`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  if (res.status !== 200) throw new Error(`POST /api/v1/classify answered ${res.status}: ${await res.text()}`);
  await res.arrayBuffer();
}

/** `texts` feed the requests; 32 of them make the largest request the API accepts. */
export async function measureServerStart(modelDir: string, dtype: ModelDtype, texts: readonly string[]): Promise<StartSample> {
  const port = await freePort();
  const spawnedAt = Date.now();
  const began = performance.now();
  const fn = await startFunction({
    port,
    env: { MODEL_DIR: modelDir, MODEL_DTYPE: dtype, ORT_THREADS: '1' },
    // As the README's figures were measured (replica-command.ts).
    runtime: 'bundle',
    readyTimeoutMs: READY_TIMEOUT_MS,
  });
  const readyMs = performance.now() - began;
  try {
    if (logLine(fn.output(), 'ready').offline !== false) throw new Error(`the server loaded the offline stand-in, not ${modelDir}`);
    await classify(fn.url, { text: texts[0] });
    await classify(fn.url, { texts: texts.slice(0, 32) });
    await classify(fn.url, { texts: texts.slice(32, 40), spans: true });
    const memory = memoryMb(fn.child.pid!);
    const output = fn.output();
    return {
      readyMs,
      bootMs: Date.parse(String(logLine(output, 'listening').time)) - spawnedAt,
      loadMs: Number(logLine(output, 'ready').load_ms),
      ...memory,
    };
  } finally {
    await fn.stop();
  }
}
