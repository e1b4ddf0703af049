/**
 * @module export
 * `npm run stress:export`: writes tools/load/scenarios.json (from tools/load/scenarios.ts),
 * tools/lib/corpus.json (from the tweets CSV) and tools/load/costliest-request.json (the
 * costliest request the default budget accepts), the files k6.js reads. All are committed;
 * test/load/scenarios.test.ts checks they are current.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { DEFAULTS } from '../../functions/src/config.ts';
import { buildCorpus, CORPUS_FILE } from '../lib/corpus.ts';
import { costliestRequest } from '../lib/heavy-requests.ts';
import { LOAD_DIR, PLAN } from './scenarios.ts';

const json = (value: unknown) => `${JSON.stringify(value, null, 2)}\n`;

writeFileSync(path.join(LOAD_DIR, 'scenarios.json'), json(PLAN));
writeFileSync(CORPUS_FILE, json(buildCorpus()));
writeFileSync(path.join(LOAD_DIR, PLAN.costliestRequest), json(costliestRequest(DEFAULTS.maxRequestTokens)));
console.log(
  `wrote tools/load/scenarios.json (${Object.keys(PLAN.scenarios).join(', ')}), tools/lib/corpus.json (${PLAN.corpus.count} tweets) ` +
    `and tools/load/${PLAN.costliestRequest} (budget ${DEFAULTS.maxRequestTokens})`,
);
