/**
 * Every way of starting a replica gives Node the same V8 flags (SERVER_V8_FLAGS): the native
 * stack and the tests take them from tools/stack/replica-command.ts; `npm start` and the
 * image's CMD repeat them, and the tests' image runtime is the image's CMD.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../tools/lib/repo.ts';
import { SERVER_ENTRY, SERVER_V8_FLAGS } from '../../tools/stack/replica-command.ts';

const read = (file: string) => readFileSync(path.join(REPO_ROOT, file), 'utf8');

describe('V8 flags of a replica', () => {
  it('npm start passes them to node', () => {
    const start = (JSON.parse(read('package.json')) as { scripts: Record<string, string> }).scripts.start!;
    const node = /\bnode ([^&]*)dist\/functions\/server\.mjs/.exec(start);
    expect(node, start).not.toBeNull();
    for (const flag of SERVER_V8_FLAGS) expect(node![1]!.split(/\s+/)).toContain(flag);
  });

  it("the image's CMD is node with them on the bundle, as the tests start replicas", () => {
    const cmd = /^CMD (\[.*\])$/m.exec(read('Dockerfile'));
    expect(cmd).not.toBeNull();
    expect(JSON.parse(cmd![1]!)).toEqual(['node', ...SERVER_V8_FLAGS, SERVER_ENTRY]);
  });
});
