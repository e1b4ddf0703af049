/**
 * @module command
 * `toxicity-monitor score …` as a process: parse the command line, run, print the summary on
 * stdout and errors as one line on stderr, and exit with the documented code. The first Ctrl-C
 * (or SIGTERM) lets the run stop cleanly, with whole rows only; a second one exits at once.
 */
import { EXIT, ScoreError } from './exit-codes.ts';
import { parseScoreArgs, USAGE } from './options.ts';
import { runScore } from './run.ts';
import { formatSummary } from './summary.ts';

export async function scoreCommand(args: string[]): Promise<number> {
  const stop = new AbortController();
  const onSignal = () => {
    if (stop.signal.aborted) process.exit(EXIT.interrupted);
    process.stderr.write('\nscore: stopping; whole rows only, --resume continues (again to quit at once)\n');
    stop.abort();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  try {
    const options = parseScoreArgs(args);
    if (!options) {
      process.stdout.write(`${USAGE}\n`);
      return EXIT.ok;
    }
    const summary = await runScore(options, { stderr: process.stderr, stop: stop.signal, env: process.env });
    process.stdout.write(formatSummary(summary));
    return summary.outcome === 'done' ? EXIT.ok : EXIT.interrupted;
  } catch (error) {
    if (error instanceof ScoreError) {
      process.stderr.write(`score: ${error.message}\n`);
      return error.exitCode;
    }
    process.stderr.write(`score: internal error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    return EXIT.internal;
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}
