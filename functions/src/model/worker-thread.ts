/**
 * @module worker-thread
 * Starts a worker thread from a module file, TypeScript or JavaScript, on any Node this
 * project supports.
 */
import { Worker } from 'node:worker_threads';

/**
 * Node 22.6 and later strip TypeScript types themselves (the image runs Node 24 on the
 * sources). Node 20 runs the sources only under tsx (tests and tools), and a worker does not
 * inherit tsx's loader, so there the worker imports the file through tsx's API.
 * @example
 * const worker = startWorker(new URL('./inference-worker.ts', import.meta.url), { dtype: 'q8' });
 */
export function startWorker(file: URL, workerData: unknown): Worker {
  if (file.pathname.endsWith('.ts') && !process.features.typescript) {
    const tsx = import.meta.resolve('tsx/esm/api');
    const bootstrap = `import(${JSON.stringify(tsx)}).then(({ tsImport }) => tsImport(${JSON.stringify(file.href)}, ${JSON.stringify(import.meta.url)}))`;
    return new Worker(bootstrap, { eval: true, workerData });
  }
  return new Worker(file, { workerData });
}
