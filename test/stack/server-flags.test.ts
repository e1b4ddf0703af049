/**
 * Every way of starting a replica gives Node the same V8 flags (SERVER_V8_FLAGS): the native
 * stack and the tests take them from tools/stack/build.ts; `npm start` and the image's CMD repeat them.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../tools/lib/repo.ts';
import { SERVER_V8_FLAGS } from '../../tools/stack/build.ts';

const read = (file: string) => readFileSync(path.join(REPO_ROOT, file), 'utf8');

describe('V8 flags of a replica', () => {
  it('npm start passes them to node', () => {
    const start = (JSON.parse(read('package.json')) as { scripts: Record<string, string> }).scripts.start!;
    const node = /\bnode ([^&]*)dist\/functions\/server\.mjs/.exec(start);
    expect(node, start).not.toBeNull();
    for (const flag of SERVER_V8_FLAGS) expect(node![1]!.split(/\s+/)).toContain(flag);
  });

  it("the image's CMD passes them to node", () => {
    const cmd = /^CMD (\[.*\])$/m.exec(read('Dockerfile'));
    expect(cmd).not.toBeNull();
    const argv = JSON.parse(cmd![1]!) as string[];
    expect(argv[0]).toBe('node');
    expect(argv.at(-1)).toBe('dist/functions/server.mjs');
    expect(argv.slice(1, -1)).toEqual(SERVER_V8_FLAGS);
  });
});
