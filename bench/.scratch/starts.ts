import { measureServerStart } from '../server-start.ts';
import { firstTweets } from '../corpus.ts';
const texts = firstTweets('/work/main/data/davidson-tweets/dev.csv', 40);
let fails = 0;
for (let i = 0; i < 40; i++) {
  for (const dtype of i % 2 ? (['fp32', 'q8'] as const) : (['q8', 'fp32'] as const)) {
    const t = performance.now();
    try {
      const s = await measureServerStart('/tmp/benchmodel', dtype, texts);
      console.log(i, dtype, Math.round(s.readyMs), Math.round(s.loadMs), Math.round(s.rssMb));
    } catch (e) {
      fails++;
      console.log(i, dtype, 'FAILED after', Math.round(performance.now() - t), String(e).slice(0, 1500));
    }
  }
}
console.log('fails', fails);
