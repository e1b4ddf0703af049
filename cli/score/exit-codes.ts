/**
 * @module exit-codes
 * What `toxicity-monitor score` exits with, one code per kind of failure, so scripts can tell
 * a typo from a dead service; `--help` and the README list them.
 */

export const EXIT = {
  /** Every input row has its output row (some may carry an `error`, such as an empty text). */
  ok: 0,
  /** A bug: an error this program did not expect. */
  internal: 1,
  /** Bad command line. */
  usage: 2,
  /** The input cannot be read: missing file, missing column, malformed CSV or JSON. */
  input: 3,
  /** The service cannot be reached, or kept failing for longer than --give-up-after. */
  service: 4,
  /** Two models would be mixed: --expect-model, a resumed output, or replicas that disagree. */
  model: 5,
  /** The output cannot be written or continued: it exists without --resume, or is not one this program wrote. */
  output: 6,
  /** Stopped by Ctrl-C or SIGTERM; what was written is whole, and --resume continues it. */
  interrupted: 130,
} as const;

export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

/** A failure the person running the command can act on: printed as one message, no stack. */
export class ScoreError extends Error {
  readonly exitCode: ExitCode;

  constructor(exitCode: ExitCode, message: string) {
    super(message);
    this.name = 'ScoreError';
    this.exitCode = exitCode;
  }
}

/** The exit codes as `--help` prints them. */
export const EXIT_CODES_HELP = `exit codes:
  0    every input row has its output row (rows that could not be scored say why in "error")
  1    internal error (a bug)
  2    bad command line
  3    the input cannot be read (missing file or column, malformed CSV or JSON)
  4    the service cannot be reached, or kept failing for longer than --give-up-after
  5    refused to mix models (--expect-model, a resumed output, or replicas that disagree)
  6    the output exists (use --resume or --overwrite) or is not one this command wrote
  130  interrupted; what was written is whole: run again with --resume`;
