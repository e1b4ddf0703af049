import { Hono } from 'hono';
import { afterEach, describe, expect, it } from 'vitest';
import { sleep, waitFor } from '../../../tools/lib/wait.ts';
import { startIdleGc, type IdleGc } from './idle-gc.ts';

const IDLE_MS = 60;

let idle: IdleGc | undefined;
afterEach(() => idle?.stop());

/** An app behind the idle collector, counting collections instead of making them. */
function appWith(): { app: Hono; collections: () => number; release: () => void } {
  let collections = 0;
  idle = startIdleGc({ idleMs: IDLE_MS, collect: () => collections++ });
  let release = () => {};
  const app = new Hono();
  app.use(idle.middleware);
  app.get('/healthz', (c) => c.text('ok'));
  app.get('/metrics', (c) => c.text('# metrics'));
  app.post('/api/v1/classify', (c) => c.json({}));
  app.post('/slow', async (c) => {
    await new Promise<void>((resolve) => (release = resolve));
    return c.json({});
  });
  return { app, collections: () => collections, release: () => release() };
}

const collected = (collections: () => number) => waitFor('an idle collection', collections, (n) => n > 0, 5000, 20);

describe('idle garbage collection', () => {
  it('collects once after requests, when the idle time has passed without any', async () => {
    const { app, collections } = appWith();
    await app.request('/api/v1/classify', { method: 'POST' });
    await app.request('/api/v1/classify', { method: 'POST' });
    await collected(collections);
    await sleep(IDLE_MS * 5);
    expect(collections(), 'nothing new to give back').toBe(1);
    await app.request('/api/v1/classify', { method: 'POST' });
    await waitFor('a second collection', collections, (n) => n === 2, 5000, 20);
  });

  it('is not set off by probes and scrapes alone', async () => {
    const { app, collections } = appWith();
    for (let i = 0; i < 5; i++) {
      await app.request('/healthz');
      await app.request('/metrics');
    }
    await sleep(IDLE_MS * 5);
    expect(collections()).toBe(0);
  });

  it('never collects while a request is in flight', async () => {
    const { app, collections, release } = appWith();
    await app.request('/api/v1/classify', { method: 'POST' });
    const slow = app.request('/slow', { method: 'POST' });
    await sleep(IDLE_MS * 5);
    expect(collections()).toBe(0);
    release();
    await slow;
    await collected(collections);
  });
});
