/**
 * @module export
 * `npm run stress:export`: writes tools/load/scenarios.json (from tools/load/scenarios.ts) and
 * tools/lib/corpus.json (from the tweets CSV), the two files k6.js reads. Both are committed;
 * test/load/scenarios.test.ts checks they are current.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { buildCorpus, CORPUS_FILE } from '../lib/corpus.ts';
import { LOAD_DIR, PLAN } from './scenarios.ts';

const json = (value: unknown) => `${JSON.stringify(value, null, 2)}\n`;

writeFileSync(path.join(LOAD_DIR, 'scenarios.json'), json(PLAN));
writeFileSync(CORPUS_FILE, json(buildCorpus()));
console.log(`wrote tools/load/scenarios.json (${Object.keys(PLAN.scenarios).join(', ')}) and tools/lib/corpus.json (${PLAN.corpus.count} tweets)`);
