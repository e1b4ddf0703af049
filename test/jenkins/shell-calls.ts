/**
 * @module shell-calls
 * What a pipeline `sh` step runs, classified: an npm script, a repository script, or anything
 * else (which the pipeline must not hold: logic belongs in scripts that tests exercise).
 * Leading `NAME=value` assignments are allowed; pipes, lists, redirections, substitutions are not.
 *
 * @example
 * classifyShell('IMAGE_TAG=1.0.0 deploy/compose/rolling-redeploy.sh'); // { kind: 'repo-script', path: 'deploy/compose/rolling-redeploy.sh', env: ['IMAGE_TAG'] }
 * classifyShell('npm run stress -- --json'); // { kind: 'npm', script: 'stress', env: [] }
 */

export type ShellCall =
  | { kind: 'npm'; script: string; env: string[] }
  | { kind: 'npm-command'; command: string; env: string[] }
  | { kind: 'repo-script'; path: string; env: string[] }
  | { kind: 'other'; reason: string };

/** npm's own commands a pipeline may call besides scripts. */
const NPM_COMMANDS = new Set(['ci']);
/** npm commands that run the package.json script of the same name. */
const NPM_SCRIPT_ALIASES = new Set(['test', 'start', 'stop', 'restart']);

export function classifyShell(command: string): ShellCall {
  if (/[;&|<>`\n]|\$\(/.test(command)) return { kind: 'other', reason: 'holds shell logic (; & | < > ` $( or a newline)' };
  const words = command.trim().split(/\s+/);
  const env: string[] = [];
  while (words[0] && /^[A-Za-z_]\w*=\S*$/.test(words[0])) env.push((words.shift() ?? '').split('=')[0] ?? '');
  const [program, first, second] = words;
  if (program === 'npm') {
    if (first === 'run' && second) return { kind: 'npm', script: second, env };
    if (first && NPM_SCRIPT_ALIASES.has(first)) return { kind: 'npm', script: first, env };
    if (first && NPM_COMMANDS.has(first) && words.length === 2) return { kind: 'npm-command', command: first, env };
    return { kind: 'other', reason: `npm ${first ?? ''} is neither a script nor npm ci` };
  }
  if (program && /^(\.\/)?(tools|deploy)\/[\w./-]+$/.test(program) && !program.includes('..')) {
    return { kind: 'repo-script', path: program.replace(/^\.\//, ''), env };
  }
  return { kind: 'other', reason: `${program ?? '(nothing)'} is neither npm nor a script under tools/ or deploy/` };
}
