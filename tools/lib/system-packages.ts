/**
 * @module system-packages
 * Makes sure the Debian programs a tool is about to start are installed, through
 * tools/system-packages.sh: as root it installs what is missing, otherwise it names what to
 * install. A fresh machine then gets that, not "spawn nginx ENOENT" halfway through a run.
 */
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { REPO_ROOT } from './repo.ts';

const SCRIPT = path.join(REPO_ROOT, 'tools/system-packages.sh');

/**
 * Returns once every program is there; throws when one is missing and cannot be installed
 * (the script has printed which package and how).
 * @example
 * ensurePrograms(['nginx']);
 */
export function ensurePrograms(programs: readonly string[]): void {
  const result = spawnSync('bash', [SCRIPT, ...programs], { stdio: ['ignore', 'inherit', 'inherit'] });
  if (result.status !== 0) throw new Error(`${programs.join(', ')}: not installed, and could not be installed here (see above)`);
}
