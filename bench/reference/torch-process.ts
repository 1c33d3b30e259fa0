/**
 * A long-lived PyTorch process (bench/reference/torch_worker.py) driven over stdin/stdout, one JSON request
 * and one JSON answer a line, so that what it times is only the compute.
 *
 * @packageDocumentation
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { createInterface } from 'node:readline';

/**
 * Debian's python3-torch is installed for the system Python: a virtual environment's python would not
 * see it.
 */
export const REFERENCE_PYTHON = '/usr/bin/python3';
/** The worker's script, relative to the repository root (where npm runs the benchmarks). */
const WORKER_SCRIPT = 'bench/reference/torch_worker.py';

/** An answer of the worker: `ok`, and the request's own fields. */
export type TorchAnswer = { ok: true } & Record<string, unknown>;

/** One torch worker at a fixed thread count; requests are answered in order. */
export class TorchProcess {
  private readonly child: ChildProcessWithoutNullStreams;
  private readonly waiting: { resolve(a: TorchAnswer): void; reject(e: Error): void }[] = [];
  private exited: Error | undefined;

  /** Starts a worker with `torch.set_num_threads(threads)`. */
  constructor(readonly threads: number) {
    // -B: no __pycache__ beside the port's modules in the working tree.
    this.child = spawn(REFERENCE_PYTHON, ['-B', WORKER_SCRIPT, '--threads', String(threads)], {
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    this.child.stderr.on('data', (chunk: Buffer) => process.stderr.write(`[torch ${threads}t] ${chunk}`));
    createInterface({ input: this.child.stdout }).on('line', (line) => {
      const waiter = this.waiting.shift();
      if (waiter === undefined) return;
      const answer = JSON.parse(line) as { ok: boolean; error?: string };
      if (answer.ok) waiter.resolve(answer as TorchAnswer);
      else waiter.reject(new Error(`torch worker (${threads} threads): ${answer.error}`));
    });
    this.child.on('exit', (code, signal) => {
      this.exited = new Error(`torch worker (${threads} threads) exited (${signal ?? code})`);
      for (const waiter of this.waiting.splice(0)) waiter.reject(this.exited);
    });
  }

  /** The worker's process id (for its CPU time in /proc). */
  get pid(): number {
    return this.child.pid!;
  }

  /**
   * Sends one request and waits for its answer.
   *
   * @throws Error when the worker answers with an error or has exited.
   */
  request(op: string, fields: Record<string, unknown> = {}): Promise<TorchAnswer> {
    if (this.exited) return Promise.reject(this.exited);
    return new Promise((resolve, reject) => {
      this.waiting.push({ resolve, reject });
      this.child.stdin.write(`${JSON.stringify({ op, ...fields })}\n`);
    });
  }

  /** Asks the worker to exit and waits until it has. */
  async close(): Promise<void> {
    if (this.exited) return;
    const done = new Promise<void>((resolve) => this.child.once('exit', () => resolve()));
    this.child.stdin.end(`${JSON.stringify({ op: 'exit' })}\n`);
    await done;
  }
}
