/**
 * @module supervisor
 * Runs one long-lived child process: writes its output to a log file, restarts it when it dies
 * unexpectedly (as a container runtime would), and stops it with SIGTERM, then SIGKILL if it
 * does not exit in time.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, type WriteStream } from 'node:fs';

export interface SupervisedOptions {
  name: string;
  command: string;
  args: string[];
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  logFile: string;
  /** Restart after an unexpected exit (default true). */
  restart?: boolean;
  /** How long stop() waits after SIGTERM before SIGKILL. */
  stopTimeoutMs?: number;
}

const RESTART_DELAY_MS = 500;

export class Supervised {
  readonly name: string;
  #child: ChildProcess | undefined;
  #log: WriteStream;
  #stopping = false;
  #restarts = 0;
  #exitWaiters: Array<() => void> = [];

  private readonly options: SupervisedOptions;

  constructor(options: SupervisedOptions) {
    this.options = options;
    this.name = options.name;
    this.#log = createWriteStream(options.logFile, { flags: 'a' });
  }

  get pid(): number | undefined {
    return this.#child?.pid;
  }

  /** How many times the supervisor brought the process back after it died. */
  get restarts(): number {
    return this.#restarts;
  }

  get running(): boolean {
    return this.#child !== undefined && this.#child.exitCode === null && this.#child.signalCode === null;
  }

  start(): void {
    this.#stopping = false;
    const child = spawn(this.options.command, this.options.args, {
      cwd: this.options.cwd,
      env: { ...process.env, ...this.options.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.#child = child;
    child.stdout!.pipe(this.#log, { end: false });
    child.stderr!.pipe(this.#log, { end: false });
    child.on('error', (error) => this.#log.write(`[supervisor] ${this.name}: ${error.message}\n`));
    child.on('exit', (code, signal) => {
      this.#log.write(`[supervisor] ${this.name} exited (code ${code}, signal ${signal})\n`);
      const waiters = this.#exitWaiters;
      this.#exitWaiters = [];
      waiters.forEach((resolve) => resolve());
      if (!this.#stopping && (this.options.restart ?? true)) {
        this.#restarts++;
        setTimeout(() => {
          if (!this.#stopping) this.start();
        }, RESTART_DELAY_MS).unref();
      }
    });
  }

  /** Sends a signal without stopping supervision: SIGKILL here simulates a crash. */
  signal(signal: NodeJS.Signals): void {
    this.#child?.kill(signal);
  }

  /** Resolves when the current process exits. */
  waitForExit(): Promise<void> {
    if (!this.running) return Promise.resolve();
    return new Promise((resolve) => this.#exitWaiters.push(resolve));
  }

  /** Stops for good: SIGTERM, then SIGKILL after the timeout. */
  async stop(): Promise<void> {
    this.#stopping = true;
    if (!this.running) return;
    const exited = this.waitForExit();
    this.#child!.kill('SIGTERM');
    const timer = setTimeout(() => this.#child?.kill('SIGKILL'), this.options.stopTimeoutMs ?? 15_000);
    await exited;
    clearTimeout(timer);
  }

  closeLog(): Promise<void> {
    return new Promise((resolve) => this.#log.end(resolve));
  }
}
