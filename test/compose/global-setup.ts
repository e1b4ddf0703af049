/**
 * Builds the images and brings the compose stack up once for all compose tests, prints the
 * numbers issue 5 asks for (image sizes, container start to ready), and tears everything down
 * afterwards, volumes included.
 */
import { waitForOk } from '../../tools/lib/wait.ts';
import { compose, COMPOSE_ENV, containerIds, docker, SERVICES } from './compose-cli.ts';

export const PUBLIC_URL = 'http://127.0.0.1:8080';

async function healthy(id: string): Promise<boolean> {
  return (await docker(['inspect', '-f', '{{.State.Health.Status}}', id])) === 'healthy';
}

export default async function setup(): Promise<() => Promise<void>> {
  await compose(['down', '-v', '--remove-orphans']);
  console.log('[compose] building images (functions with the offline model, proxy with the page)…');
  await compose(['build', 'functions', 'proxy']);
  for (const name of ['functions', 'proxy']) {
    const ref = `toxicity-monitor/${name}:${COMPOSE_ENV.IMAGE_TAG}`;
    const bytes = Number(await docker(['image', 'inspect', '-f', '{{.Size}}', ref]));
    console.log(`[compose] image ${ref}: ${(bytes / 1e6).toFixed(0)} MB`);
  }

  const started = Date.now();
  await compose(['up', '-d', ...SERVICES]);
  const functionIds = await containerIds('functions');
  const readyAt = await Promise.all(
    functionIds.map(async (id) => {
      const deadline = Date.now() + 180_000;
      while (!(await healthy(id))) {
        if (Date.now() > deadline) throw new Error(`replica ${id.slice(0, 12)} never became healthy`);
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
      return Date.now();
    }),
  );
  for (const [i, at] of readyAt.entries()) {
    const start = Date.parse(await docker(['inspect', '-f', '{{.State.StartedAt}}', functionIds[i]!]));
    console.log(`[compose] replica ${functionIds[i]!.slice(0, 12)}: container start to healthy ${((at - start) / 1000).toFixed(1)} s`);
  }
  await waitForOk(`${PUBLIC_URL}/api/v1/model`, 120_000);
  console.log(`[compose] stack up in ${((Date.now() - started) / 1000).toFixed(1)} s`);

  return async () => {
    if (process.env.KEEP_COMPOSE === '1') return;
    await compose(['--profile', 'loadtest', 'down', '-v', '--remove-orphans']);
    console.log('[compose] torn down, volumes removed');
  };
}
