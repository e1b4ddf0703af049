/**
 * @module test-stack
 * The native stack on test ports (so a developer's `npm run stack` on the default ports is
 * left alone), and a Chromium launcher for Debian's /usr/bin/chromium.
 */
import path from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { REPO_ROOT } from '../lib/repo.ts';
import { ensurePrograms } from '../lib/system-packages.ts';
import { OFFLINE_MODEL_DIR } from './function-process.ts';
import { startStack, type Stack, type StackOptions } from './stack.ts';

export const TEST_PORTS = {
  proxyPort: 18080,
  functionBasePort: 13001,
  prometheusPort: 19090,
  alertmanagerPort: 19093,
  nodeExporterPort: 19100,
  tlsPort: 18443,
} as const;

/**
 * Replicas run as `npm run stack` runs them (tools/stack/replica-command.ts says why) and serve
 * the committed stand-in unless told otherwise, whatever model/weights holds.
 */
export function startTestStack(options: Partial<StackOptions> = {}): Promise<Stack> {
  return startStack({
    ...TEST_PORTS,
    dir: path.join(REPO_ROOT, '.stack-test'),
    ...options,
    functionEnv: { MODEL_DIR: OFFLINE_MODEL_DIR, ...options.functionEnv },
  });
}

/** extraArgs: more Chromium flags (trusting a test's certificate). */
export function launchChromium(extraArgs: string[] = []): Promise<Browser> {
  ensurePrograms(['chromium']);
  return chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: [
      ...extraArgs,
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--no-first-run',
      '--disable-sync',
    ],
  });
}
