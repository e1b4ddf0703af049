/**
 * @module groovy-calls
 * Groovy sources as trees of calls, read by Groovy's own compiler (Debian's `groovy`, through
 * CallTree.groovy beside this file): every source in one run, since a JVM start costs more
 * than the parse.
 *
 * @example
 * const { Jenkinsfile } = parseGroovy({ Jenkinsfile: readFileSync('Jenkinsfile', 'utf8') });
 * Jenkinsfile.calls[0].name; // 'pipeline'
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ensurePrograms } from '../../tools/lib/system-packages.ts';

/** An argument: a literal, a GString (its source text), a nested call, a list, or other source text. */
export type Value =
  | { kind: 'string'; value: string }
  | { kind: 'gstring'; value: string }
  | { kind: 'literal'; value: number | boolean | null }
  | { kind: 'word'; value: string }
  | { kind: 'expression'; value: string }
  | { kind: 'list'; items: Value[] }
  | { kind: 'call'; call: Call };

export interface Call {
  /** The method's name; statements that are not calls are named like `<IfStatement>`. */
  name: string;
  line: number;
  args: Value[];
  named: Record<string, Value>;
  /** The calls inside a trailing closure, when there is one. */
  block?: Call[];
  /** For `NAME = value`. */
  assigned?: Value;
}

export type Parsed = { calls: Call[]; error?: undefined } | { error: string; calls?: undefined };

const CALL_TREE = path.join(import.meta.dirname, 'CallTree.groovy');

export function parseGroovy<Name extends string>(sources: Record<Name, string>): Record<Name, Parsed> {
  ensurePrograms(['groovy']);
  const dir = mkdtempSync(path.join(tmpdir(), 'groovy-'));
  try {
    const names = Object.keys(sources) as Name[];
    // Each under its own name, which the compiler's messages then quote.
    const files = names.map((name, i) => {
      mkdirSync(path.join(dir, String(i)));
      const file = path.join(dir, String(i), name.replace(/[^\w.-]/g, '_'));
      writeFileSync(file, sources[name]);
      return file;
    });
    const trees = JSON.parse(execFileSync('groovy', [CALL_TREE, ...files], { encoding: 'utf8', maxBuffer: 64 << 20 })) as Record<string, Parsed>;
    return Object.fromEntries(names.map((name, i) => [name, trees[files[i]!]!])) as Record<Name, Parsed>;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The calls of a source that compiled; throws with the compiler's message otherwise. */
export function callsOf(parsed: Parsed, what: string): Call[] {
  if (parsed.error !== undefined) throw new Error(`${what} does not compile: ${parsed.error}`);
  return parsed.calls;
}

/** A value's text when it is a plain string (not a GString), else undefined. */
export function stringOf(value: Value | undefined): string | undefined {
  return value?.kind === 'string' ? value.value : undefined;
}
