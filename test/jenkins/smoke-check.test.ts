/**
 * The post-deploy smoke check (tools/ci/smoke-check.ts, `npm run smoke` via smoke.ts) against
 * a stand-in for the deployed proxy on 127.0.0.1: passes on a healthy stack, waits out a proxy
 * that is restarting, fails on a wrong answer, and its command line reports through exit codes.
 */
import { spawn } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { classifyProblems, LABELS, smokeCheck } from '../../tools/ci/smoke-check.ts';
import { ROOT } from './sandbox.ts';

const SCORES = Object.fromEntries(LABELS.map((label) => [label, 0.01]));
const GOOD = JSON.stringify({ model: { id: 'unitary/toxic-bert', dtype: 'q8' }, threshold: 0.5, results: [{ scores: SCORES, flagged: false, labels: [] }] });

let server: Server | undefined;
afterEach(async () => {
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  server = undefined;
});

/** A stand-in proxy; `unavailableFor` first requests get 503, as while nginx restarts. */
async function standIn(options: { classifyBody?: string; unavailableFor?: number } = {}): Promise<string> {
  let unavailable = options.unavailableFor ?? 0;
  server = createServer((request, response) => {
    if (unavailable > 0) {
      unavailable--;
      response.writeHead(503).end();
      return;
    }
    if (request.method === 'GET' && request.url === '/healthz') {
      response.writeHead(200, { 'content-type': 'application/json' }).end('{"status":"ok"}');
    } else if (request.method === 'POST' && request.url === '/api/v1/classify' && request.headers['content-type'] === 'application/json') {
      request.resume();
      request.on('end', () => response.writeHead(200, { 'content-type': 'application/json' }).end(options.classifyBody ?? GOOD));
    } else {
      response.writeHead(404).end();
    }
  });
  await new Promise<void>((resolve) => server?.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

const quiet = { log: () => {}, intervalMs: 10 };

describe('smokeCheck', () => {
  it('passes against a healthy stack', async () => {
    await expect(smokeCheck({ url: await standIn(), ...quiet })).resolves.toBeUndefined();
  });

  it('waits for a proxy that is still restarting', async () => {
    const lines: string[] = [];
    const url = await standIn({ unavailableFor: 3 });
    await smokeCheck({ url, attempts: 5, intervalMs: 10, log: (line) => lines.push(line) });
    expect(lines.at(-1)).toMatch(/passed .* \(attempt [23]\)/);
  });

  it('fails, saying why, when the answer lacks a label', async () => {
    const { identity_hate: _, ...scores } = SCORES;
    const url = await standIn({ classifyBody: JSON.stringify({ results: [{ scores }] }) });
    await expect(smokeCheck({ url, attempts: 2, ...quiet })).rejects.toThrow(/identity_hate/);
  });

  it('fails when nothing listens', async () => {
    await expect(smokeCheck({ url: 'http://127.0.0.1:9', attempts: 1, ...quiet })).rejects.toThrow(/healthz/);
  });
});

describe('classifyProblems', () => {
  it('accepts one result with every label scored in [0, 1]', () => {
    expect(classifyProblems(GOOD)).toEqual([]);
  });

  it('rejects other bodies', () => {
    expect(classifyProblems('<html>')).toEqual([expect.stringMatching(/JSON/)]);
    expect(classifyProblems('{"results": []}')).toEqual([expect.stringMatching(/no single result/)]);
    expect(classifyProblems(JSON.stringify({ results: [{ scores: { ...SCORES, toxic: 1.5 } }] }))).toEqual([expect.stringMatching(/toxic/)]);
  });
});

describe('npm run smoke (tools/ci/smoke.ts)', () => {
  const cli = (args: string[], env: Record<string, string> = {}) =>
    new Promise<{ status: number | null; output: string }>((resolve) => {
      const child = spawn(path.join(ROOT, 'node_modules/.bin/tsx'), ['tools/ci/smoke.ts', ...args], {
        cwd: ROOT,
        env: { PATH: process.env.PATH ?? '', ...env },
      });
      let output = '';
      child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
      child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
      child.on('close', (status) => resolve({ status, output }));
    });

  it('exits 0 against DEPLOY_URL when the stack answers', async () => {
    const run = await cli([], { DEPLOY_URL: await standIn() });
    expect(run.status, run.output).toBe(0);
  });

  it('exits 1 when the stack does not answer, and 2 without a URL', async () => {
    expect((await cli(['--url', 'http://127.0.0.1:9', '--attempts', '1'])).status).toBe(1);
    const usage = await cli([]);
    expect(usage.status).toBe(2);
    expect(usage.output).toMatch(/DEPLOY_URL/);
  });
});
