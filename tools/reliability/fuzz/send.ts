/**
 * @module send
 * Sends one fuzz case and records what came back. Node's HTTP client (keep-alive) for ordinary
 * requests; a raw socket for bytes that client will not send, for trickling and for hanging up.
 * The raw reader understands just enough HTTP/1.1 to take one answer: 1xx skipped,
 * Content-Length, chunked, or until close.
 */
import http from 'node:http';
import net from 'node:net';
import { sleep } from '../../lib/wait.ts';
import type { HttpRequestPlan, RawRequestPlan, RequestPlan } from './case.ts';

export interface Answer {
  /** HTTP status, or 0 when no answer came. */
  status: number;
  /** Lower-case names. */
  headers: Record<string, string>;
  body: Buffer;
  /** Why no answer came (hung up, closed, reset, timeout), when status is 0. */
  failure?: string;
  ms: number;
}

export interface Target {
  host: string;
  port: number;
  agent: http.Agent;
  /** A case with no answer after this long fails (stalls wait for nginx's own 10 s timeout). */
  timeoutMs: number;
}

export function sendPlan(target: Target, plan: RequestPlan): Promise<Answer> {
  return plan.transport === 'http' ? sendHttp(target, plan) : sendRaw(target, plan);
}

function sendHttp(target: Target, plan: HttpRequestPlan): Promise<Answer> {
  const started = performance.now();
  return new Promise((resolve) => {
    let settled = false;
    const finish = (answer: Omit<Answer, 'ms'>) => {
      if (settled) return;
      settled = true;
      resolve({ ...answer, ms: performance.now() - started });
    };
    const headers: Record<string, string | number> = { ...plan.headers };
    if (plan.body && !plan.chunked) headers['content-length'] = plan.body.length;
    const request = http.request(
      { host: target.host, port: target.port, method: plan.method, path: plan.path, headers, agent: target.agent, timeout: target.timeoutMs },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => finish({ status: response.statusCode ?? 0, headers: flatHeaders(response.headers), body: Buffer.concat(chunks) }));
        response.on('error', (error) => finish({ status: 0, headers: {}, body: Buffer.alloc(0), failure: error.message }));
      },
    );
    request.on('timeout', () => request.destroy(new Error('timeout')));
    // An early answer (413) may close the connection while the body is still going out: the
    // answer, when it came, is what counts.
    request.on('error', (error: NodeJS.ErrnoException) => finish({ status: 0, headers: {}, body: Buffer.alloc(0), failure: error.code ?? error.message }));
    if (plan.body && plan.chunked) {
      for (let at = 0; at < plan.body.length; at += 64 * 1024) request.write(plan.body.subarray(at, at + 64 * 1024));
      request.end();
    } else {
      request.end(plan.body);
    }
  });
}

function flatHeaders(headers: http.IncomingHttpHeaders): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).map(([name, value]) => [name, Array.isArray(value) ? value.join(', ') : String(value)]));
}

function sendRaw(target: Target, plan: RawRequestPlan): Promise<Answer> {
  const started = performance.now();
  return new Promise((resolve) => {
    const socket = net.connect(target.port, target.host);
    let received = Buffer.alloc(0);
    let settled = false;
    const finish = (answer: Omit<Answer, 'ms'>) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.destroy();
      resolve({ ...answer, ms: performance.now() - started });
    };
    const noAnswer = (failure: string) => finish({ status: 0, headers: {}, body: Buffer.alloc(0), failure });
    const timer = setTimeout(() => noAnswer('timeout'), target.timeoutMs);

    socket.on('data', (data: Buffer) => {
      received = Buffer.concat([received, data]);
      const answer = parseResponse(received, false);
      if (answer) finish(answer);
    });
    socket.on('end', () => {
      const answer = parseResponse(received, true);
      if (answer) finish(answer);
      else noAnswer(received.length > 0 ? `unparsable answer: ${JSON.stringify(received.subarray(0, 80).toString('latin1'))}` : 'closed');
    });
    // A reset after the answer was read is fine; before it, there is no answer.
    socket.on('error', (error: NodeJS.ErrnoException) => {
      const answer = parseResponse(received, true);
      if (answer) finish(answer);
      else noAnswer(error.code ?? error.message);
    });
    socket.on('connect', async () => {
      for (const [i, chunk] of plan.chunks.entries()) {
        if (settled || socket.destroyed) return;
        if (i > 0) await sleep(plan.gapMs);
        socket.write(chunk);
      }
      if (plan.hangUp) {
        await sleep(plan.gapMs);
        noAnswer('hung up');
      }
    });
  });
}

/** The first non-1xx answer in `bytes`, once complete; `ended` when no more bytes will come. */
export function parseResponse(bytes: Buffer, ended: boolean): Omit<Answer, 'ms'> | undefined {
  let offset = 0;
  for (;;) {
    const headEnd = bytes.indexOf('\r\n\r\n', offset);
    if (headEnd < 0) return undefined;
    const lines = bytes.subarray(offset, headEnd).toString('latin1').split('\r\n');
    const status = Number(/^HTTP\/1\.[01] (\d{3})/.exec(lines[0] ?? '')?.[1]);
    if (!Number.isInteger(status)) return undefined;
    const headers: Record<string, string> = {};
    for (const line of lines.slice(1)) {
      const colon = line.indexOf(':');
      if (colon > 0) {
        const name = line.slice(0, colon).trim().toLowerCase();
        const value = line.slice(colon + 1).trim();
        headers[name] = headers[name] === undefined ? value : `${headers[name]}, ${value}`;
      }
    }
    const bodyStart = headEnd + 4;
    if (status >= 100 && status < 200) {
      offset = bodyStart;
      continue;
    }
    const rest = bytes.subarray(bodyStart);
    if (headers['transfer-encoding']?.toLowerCase().includes('chunked')) {
      const body = dechunk(rest);
      return body ? { status, headers, body } : undefined;
    }
    if (headers['content-length'] !== undefined) {
      const length = Number(headers['content-length']);
      return rest.length >= length ? { status, headers, body: Buffer.from(rest.subarray(0, length)) } : undefined;
    }
    return ended ? { status, headers, body: Buffer.from(rest) } : undefined;
  }
}

/** A complete chunked body, or undefined while it is incomplete. */
function dechunk(bytes: Buffer): Buffer | undefined {
  const parts: Buffer[] = [];
  let at = 0;
  for (;;) {
    const lineEnd = bytes.indexOf('\r\n', at);
    if (lineEnd < 0) return undefined;
    const size = parseInt(bytes.subarray(at, lineEnd).toString('latin1').split(';')[0]!, 16);
    if (!Number.isFinite(size)) return undefined;
    if (size === 0) return Buffer.concat(parts);
    if (bytes.length < lineEnd + 2 + size + 2) return undefined;
    parts.push(bytes.subarray(lineEnd + 2, lineEnd + 2 + size));
    at = lineEnd + 2 + size + 2;
  }
}
