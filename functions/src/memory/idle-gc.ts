/**
 * @module idle-gc
 * Gives memory back once a replica goes quiet. V8 keeps the heap a burst of requests grew,
 * garbage included, until its memory reducer runs, and the reducer only acts once it judges
 * the allocation rate low; an idle replica makes no collections to update that judgement, and
 * in the fuzz runs here replicas often held 30-40 MB extra through 45 s of quiet. So after
 * IDLE_GC_MS without requests the replica makes one compacting full collection itself, which
 * gives the old generation's pages back; the young generation is kept small by the
 * --max-semi-space-size flag every replica runs with (SERVER_V8_FLAGS in
 * tools/stack/replica-command.ts).
 */
import type { MiddlewareHandler } from 'hono';
import v8 from 'node:v8';

/** Probes and scrapes arrive every few seconds and allocate next to nothing: they are not activity. */
const NOT_ACTIVITY = new Set(['/healthz', '/readyz', '/metrics']);

export interface IdleGc {
  /** Marks requests as activity; mount before the routes. */
  middleware: MiddlewareHandler;
  stop(): void;
}

/**
 * V8's own gc(), which Node puts on globalThis when started with --expose-gc (every way of
 * starting a replica passes it: SERVER_V8_FLAGS in tools/stack/replica-command.ts).
 */
function v8Gc(): (() => void) | undefined {
  return (globalThis as { gc?: () => void }).gc;
}

/** Whether this process can make the idle collection; the server refuses IDLE_GC_MS without it. */
export function gcExposed(): boolean {
  return v8Gc() !== undefined;
}

/**
 * A full collection that also compacts every page of the old generation, so the pages a burst
 * filled are emptied and handed back to the system: a plain full collection frees the objects
 * but leaves the pages committed wherever a few survivors are scattered over them (30 MB held
 * for 14 MB of live objects was typical here). V8 compacts like this only on its memory
 * reducer's or a last-resort collection; the flag asks for it for this one collection.
 */
export function compactingCollection(): () => void {
  const gc = v8Gc();
  if (!gc) throw new Error('the idle collection needs node --expose-gc');
  return () => {
    v8.setFlagsFromString('--compact-on-every-full-gc');
    try {
      gc();
    } finally {
      v8.setFlagsFromString('--no-compact-on-every-full-gc');
    }
  };
}

/**
 * @example
 * const idle = startIdleGc({ idleMs: 5000, onCollect: () => metrics.idleCollections.inc() });
 * app.use(idle.middleware);
 */
export function startIdleGc(o: { idleMs: number; collect?: () => void; onCollect?: () => void }): IdleGc {
  const collect = o.collect ?? compactingCollection();
  let inFlight = 0;
  let lastActivity = 0;
  /** Requests were served since the last collection. */
  let pending = false;

  const timer = setInterval(
    () => {
      if (!pending || inFlight > 0 || performance.now() - lastActivity < o.idleMs) return;
      pending = false;
      collect();
      o.onCollect?.();
    },
    Math.min(1000, o.idleMs),
  );
  timer.unref();

  return {
    middleware: async (c, next) => {
      if (NOT_ACTIVITY.has(c.req.path)) return next();
      inFlight++;
      try {
        await next();
      } finally {
        inFlight--;
        lastActivity = performance.now();
        pending = true;
      }
    },
    stop: () => clearInterval(timer),
  };
}
