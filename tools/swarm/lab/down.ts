/**
 * @module down
 * `npm run swarm:lab-down`: removes the swarm lab (tools/swarm/lab/lab.ts) and everything it
 * left: after `KEEP_SWARM=1 npm run test:swarm`, or a run that was killed.
 */
import { destroyLab, LAB_DIR } from './lab.ts';

await destroyLab();
console.log(`swarm lab removed (${LAB_DIR}, tm-swarm-* namespaces and interfaces)`);
