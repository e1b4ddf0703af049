/**
 * @module run-cli
 * Runs `toxicity-monitor score` as a user does (the package's bin, a process of its own), and
 * writes the small input files the tests score.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { REPO_ROOT } from '../../tools/lib/repo.ts';

export const BIN = path.join(REPO_ROOT, 'cli/bin/toxicity-monitor.js');

/** The offline stand-in's weights, hashed here independently of the service. */
export const offlineSha256 = (dtype: 'q8' | 'fp32') =>
  createHash('sha256')
    .update(readFileSync(path.join(REPO_ROOT, 'model/offline/unitary/toxic-bert/onnx', dtype === 'q8' ? 'model_quantized.onnx' : 'model.onnx')))
    .digest('hex');

export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

export function startCli(args: string[], env: Record<string, string> = {}): { child: ChildProcess; done: Promise<CliRun> } {
  const child = spawn(process.execPath, [BIN, 'score', ...args], { cwd: REPO_ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (chunk) => (stdout += chunk));
  child.stderr!.on('data', (chunk) => (stderr += chunk));
  const done = new Promise<CliRun>((resolve) => child.on('exit', (code) => resolve({ code, stdout, stderr })));
  return { child, done };
}

export function runCli(args: string[], env?: Record<string, string>): Promise<CliRun> {
  return startCli(args, env).done;
}

/** `count` distinct short texts, toxic and not, as a user's file would hold them. */
export function sampleTexts(count: number): string[] {
  const toxic = ['you are a stupid idiot', 'shut up you worthless bitch', 'what a pathetic loser'];
  const clean = ['thanks for the lovely dinner', 'see you at the game tomorrow', 'the weather is nice today'];
  return Array.from({ length: count }, (_, i) => `${(i % 2 ? toxic : clean)[i % 3]} number ${i}`);
}
