/**
 * @module generated-file
 * Files the repository keeps generated from others (the Swarm stack file, the Kubernetes rules
 * and dashboards): written by their generator, or only compared with what it would write.
 *
 * @example
 * process.exitCode = writeOrCheck([{ file: STACK_FILE, text }], check, 'npm run swarm:stack');
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { REPO_ROOT } from './repo.ts';

export interface GeneratedFile {
  file: string;
  text: string;
}

/** Writes the files, or with `check` says which differ; returns the exit status (1: out of date). */
export function writeOrCheck(files: GeneratedFile[], check: boolean, command: string): number {
  let status = 0;
  for (const { file, text } of files) {
    const name = path.relative(REPO_ROOT, file);
    if (!check) {
      writeFileSync(file, text);
      console.log(`wrote ${name}`);
    } else if (readFileSync(file, 'utf8') !== text) {
      console.log(`${name} is out of date: run ${command}`);
      status = 1;
    } else {
      console.log(`${name} is in sync`);
    }
  }
  return status;
}
