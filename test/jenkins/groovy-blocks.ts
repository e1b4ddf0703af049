/**
 * @module groovy-blocks
 * Reads the Groovy that a declarative Jenkinsfile is written in as a tree of calls: a name, the
 * raw text of its arguments, and the calls inside its trailing `{ ... }` block. Enough for
 * `stage('x') { steps { sh 'y' } }`, named arguments over several lines and comments; not a
 * Groovy parser (no expressions, no closures inside arguments beyond skipping them).
 *
 * @example
 * const [pipeline] = parseCalls("pipeline { agent any }");
 * pipeline.block?.[0]; // { name: 'agent', args: 'any', line: 1 }
 */

export interface Call {
  name: string;
  /** The text between the name and the block (or the end of the statement), trimmed. */
  args: string;
  /** The calls inside the trailing `{ ... }`, when there is one. */
  block?: Call[];
  line: number;
}

export function parseCalls(source: string): Call[] {
  const reader = new Reader(source);
  const calls = reader.statements();
  reader.skipSpace();
  if (!reader.done()) reader.fail('unexpected text');
  return calls;
}

class Reader {
  private index = 0;
  private readonly source: string;

  constructor(source: string) {
    this.source = source;
  }

  done(): boolean {
    return this.index >= this.source.length;
  }

  fail(message: string): never {
    throw new Error(`${message} at line ${this.lineAt(this.index)}: ${JSON.stringify(this.source.slice(this.index, this.index + 40))}`);
  }

  /** Statements up to a closing brace (not consumed) or the end. */
  statements(): Call[] {
    const calls: Call[] = [];
    for (;;) {
      this.skipSpace();
      if (this.done() || this.peek() === '}') return calls;
      calls.push(this.statement());
    }
  }

  skipSpace(): void {
    while (!this.done()) {
      const char = this.peek();
      if (char === ' ' || char === '\t' || char === '\n' || char === '\r' || char === ';') this.index++;
      else if (this.source.startsWith('//', this.index) || this.source.startsWith('/*', this.index)) this.skipComment();
      else return;
    }
  }

  private statement(): Call {
    const line = this.lineAt(this.index);
    const name = /^[A-Za-z_][\w]*/.exec(this.source.slice(this.index))?.[0];
    if (!name) this.fail('expected a name');
    this.index += name.length;
    const args = this.args();
    if (this.peek() !== '{') return { name, args, line };
    this.index++;
    const block = this.statements();
    if (this.peek() !== '}') this.fail(`unclosed block of ${name}`);
    this.index++;
    return { name, args, block, line };
  }

  /** Raw argument text: up to a block, a closing brace, `;`, or a line end not after a comma. */
  private args(): string {
    let text = '';
    let depth = 0;
    while (!this.done()) {
      const char = this.peek();
      if (char === "'" || char === '"') {
        text += this.stringLiteral();
        continue;
      }
      if (this.source.startsWith('//', this.index) || this.source.startsWith('/*', this.index)) {
        this.skipComment();
        continue;
      }
      if (depth === 0 && (char === '{' || char === '}' || char === ';')) break;
      if (depth === 0 && char === '\n' && !text.trimEnd().endsWith(',')) break;
      if (char === '(' || char === '[') depth++;
      if (char === ')' || char === ']') depth--;
      if (depth < 0) this.fail('unbalanced brackets');
      text += char;
      this.index++;
    }
    if (depth !== 0) this.fail('unclosed brackets');
    return text.replace(/\s+/g, ' ').trim();
  }

  private stringLiteral(): string {
    const start = this.index;
    const quote = this.source.startsWith("'''", start) || this.source.startsWith('"""', start) ? this.source.slice(start, start + 3) : this.peek();
    this.index += quote.length;
    while (!this.done() && !this.source.startsWith(quote, this.index)) {
      this.index += this.peek() === '\\' ? 2 : 1;
    }
    if (this.done()) this.fail('unclosed string');
    this.index += quote.length;
    return this.source.slice(start, this.index);
  }

  private skipComment(): void {
    const end = this.source.startsWith('//', this.index) ? this.source.indexOf('\n', this.index) : this.source.indexOf('*/', this.index) + 2;
    this.index = end <= 1 ? this.source.length : end;
  }

  private peek(): string {
    return this.source[this.index] ?? '';
  }

  private lineAt(index: number): number {
    return this.source.slice(0, index).split('\n').length;
  }
}

/** A Groovy value as written in arguments. GStrings keep their `${...}` text. */
export type Value = { kind: 'string'; value: string; interpolated: boolean } | { kind: 'word'; value: string };

/** Reads one literal: `'text'`, `"text"`, a number or a bare word (`true`, `scm`, `any`). */
export function parseValue(text: string): Value {
  const trimmed = text.trim();
  const quoted = /^('''|"""|'|")([\s\S]*)\1$/.exec(trimmed);
  if (quoted) {
    const [, quote = '', body = ''] = quoted;
    const value = body.replace(/\\(.)/g, '$1');
    return { kind: 'string', value, interpolated: quote.startsWith('"') && /\$\{|\$[A-Za-z_]/.test(body) };
  }
  return { kind: 'word', value: trimmed };
}

/** Named arguments `(a: 1, b: 'x')` or `a: 1, b: 'x'` as a map of their raw value texts. */
export function namedArgs(args: string): Map<string, string> {
  const inner = args.startsWith('(') && args.endsWith(')') ? args.slice(1, -1) : args;
  const named = new Map<string, string>();
  for (const part of splitTopLevel(inner)) {
    const match = /^\s*([A-Za-z_]\w*)\s*:\s*([\s\S]*)$/.exec(part);
    if (match?.[1] && match[2] !== undefined) named.set(match[1], match[2].trim());
  }
  return named;
}

/** The single positional argument: `('x')`, `'x'` or `x`. */
export function positionalArg(args: string): Value {
  const inner = args.startsWith('(') && args.endsWith(')') ? args.slice(1, -1) : args;
  return parseValue(inner);
}

/** Splits on commas outside strings and brackets. */
export function splitTopLevel(text: string): string[] {
  const parts: string[] = [];
  let current = '';
  let depth = 0;
  let quote = '';
  for (let i = 0; i < text.length; i++) {
    const char = text[i] ?? '';
    if (quote) {
      current += char;
      if (char === '\\') current += text[++i] ?? '';
      else if (char === quote) quote = '';
      continue;
    }
    if (char === "'" || char === '"') quote = char;
    else if (char === '(' || char === '[') depth++;
    else if (char === ')' || char === ']') depth--;
    else if (char === ',' && depth === 0) {
      parts.push(current);
      current = '';
      continue;
    }
    current += char;
  }
  if (current.trim()) parts.push(current);
  return parts;
}
