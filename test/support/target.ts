/**
 * @module target
 * What the end-to-end tests run against: by default a native stack they start themselves; with
 * E2E_BASE_URL set, an already running compose stack (npm run test:compose), whose function
 * replicas are stopped and started through deploy/compose/compose.sh.
 */
import { waitForOk } from '../../tools/lib/wait.ts';
import { startTestStack } from '../../tools/stack/test-stack.ts';
import { compose } from '../compose/compose-cli.ts';

export interface Target {
  url: string;
  /** Takes every function replica away, so the API fails for real. */
  stopFunctions(): Promise<void>;
  startFunctions(): Promise<void>;
  close(): Promise<void>;
}

export async function openTarget(): Promise<Target> {
  const composeUrl = process.env.E2E_BASE_URL;
  if (composeUrl) {
    return {
      url: composeUrl,
      stopFunctions: async () => {
        await compose(['stop', 'functions']);
      },
      async startFunctions() {
        await compose(['start', 'functions']);
        // Restarted containers may get new addresses; nginx resolves the service name on reload.
        await compose(['exec', '-T', 'proxy', 'nginx', '-s', 'reload']);
        await waitForOk(`${composeUrl}/api/v1/model`, 120_000);
      },
      close: async () => {},
    };
  }
  const stack = await startTestStack({ monitoring: false });
  return {
    url: stack.url,
    stopFunctions: async () => {
      await Promise.all(stack.replicas.map((r) => r.process.stop()));
    },
    async startFunctions() {
      stack.replicas.forEach((r) => r.process.start());
      await Promise.all(stack.replicas.map((r) => waitForOk(`${r.url}/readyz`, 60_000)));
    },
    close: () => stack.stop(),
  };
}
