/**
 * @module fault-proxy
 * A client's view of a failing network, for tests of clients: an HTTP server that passes
 * requests to a real service, except those a schedule picks, whose connection it drops before
 * passing them on, or drops after the service answered (the work was done, the answer is lost),
 * or answers itself with a 503 and Retry-After as an overloaded service does.
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export type Fault = 'pass' | 'drop-before' | 'drop-after' | 'overloaded';

export interface FaultProxy {
  url: string;
  /** How many requests met each fault. */
  seen: Record<Fault, number>;
  close(): Promise<void>;
}

async function body(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/**
 * @example
 * const proxy = await startFaultProxy(replica.url, (n) => (n % 5 === 0 ? 'drop-before' : 'pass'));
 */
export async function startFaultProxy(target: string, schedule: (request: number, path: string) => Fault): Promise<FaultProxy> {
  const seen: Record<Fault, number> = { pass: 0, 'drop-before': 0, 'drop-after': 0, overloaded: 0 };
  let count = 0;
  const server: Server = createServer(async (req, res) => {
    const fault = schedule(++count, req.url ?? '/');
    seen[fault]++;
    const payload = await body(req);
    if (fault === 'drop-before') return void req.socket.destroy();
    if (fault === 'overloaded') {
      res.writeHead(503, { 'content-type': 'application/json', 'retry-after': '1' });
      return void res.end(JSON.stringify({ error: { code: 'overloaded', message: 'the service is busy; retry shortly', details: [] } }));
    }
    const answer = await fetch(new URL(req.url ?? '/', target), {
      method: req.method,
      headers: { 'content-type': req.headers['content-type'] ?? 'application/json' },
      body: req.method === 'GET' || req.method === 'HEAD' ? undefined : new Uint8Array(payload),
    });
    const bytes = Buffer.from(await answer.arrayBuffer());
    if (fault === 'drop-after') return void req.socket.destroy();
    const headers: Record<string, string> = { 'content-type': answer.headers.get('content-type') ?? 'application/json' };
    const retryAfter = answer.headers.get('retry-after');
    if (retryAfter) headers['retry-after'] = retryAfter;
    res.writeHead(answer.status, headers);
    res.end(bytes);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    seen,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
