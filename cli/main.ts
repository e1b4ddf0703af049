/**
 * @module cli/main
 * `toxicity-monitor <command>`: the command-line entry (cli/bin/toxicity-monitor.js runs it).
 * One command so far: `score`.
 */
import { scoreCommand } from './score/command.ts';

const HELP = `usage: toxicity-monitor <command> [options]

commands:
  score   score every text of a CSV, JSONL or text file (toxicity-monitor score --help)`;

const [command, ...args] = process.argv.slice(2);
let code: number;
if (command === 'score') {
  code = await scoreCommand(args);
} else if (command === undefined || command === '--help' || command === '-h') {
  process.stdout.write(`${HELP}\n`);
  code = command === undefined ? 2 : 0;
} else {
  process.stderr.write(`toxicity-monitor: unknown command "${command}"\n${HELP}\n`);
  code = 2;
}
// Explicit: an inference thread or a keep-alive socket must not hold the process open.
process.exit(code);
