/**
 * @module export
 * `npm run stress:export`: writes tools/load/scenarios.json (from tools/load/scenarios.ts) and
 * tools/load/corpus.json (from the tweets CSV), the two files k6.js reads. Both are committed;
 * test/load/scenarios.test.ts checks they are current.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { buildCorpus, STRESS_DIR } from './corpus.ts';
import { PLAN } from './scenarios.ts';

const json = (value: unknown) => `${JSON.stringify(value, null, 2)}\n`;

writeFileSync(path.join(STRESS_DIR, 'scenarios.json'), json(PLAN));
writeFileSync(path.join(STRESS_DIR, PLAN.corpus.file), json(buildCorpus()));
console.log(`wrote tools/load/scenarios.json (${Object.keys(PLAN.scenarios).join(', ')}) and tools/load/${PLAN.corpus.file} (${PLAN.corpus.count} tweets)`);
