/**
 * The PyTorch port at a fixed thread count, in its own long-lived process (torch-process.ts): the same
 * weights and batch as the tfjs runner, loaded from the phase's bundle.
 *
 * @packageDocumentation
 */
import type { PreparedPhase, StepRunner, StepTiming, TorchProfile } from './step-runner.js';
import { TorchProcess } from './torch-process.js';

/** Runs the port with `torch.set_num_threads(threads)`. */
export class TorchRunner implements StepRunner {
  readonly id: string;
  readonly label: string;
  readonly framework = 'torch' as const;
  private process: TorchProcess | undefined;

  constructor(readonly threads: number) {
    this.id = `torch-${threads}`;
    this.label = `PyTorch, ${threads} thread${threads === 1 ? '' : 's'}`;
  }

  async start(): Promise<Record<string, unknown>> {
    this.process = new TorchProcess(this.threads);
    return this.process.request('hello');
  }

  async prepare(phase: PreparedPhase): Promise<string | undefined> {
    await this.worker().request('load', { bundle: phase.bundleDir, mode: phase.spec.kind });
    return undefined;
  }

  async step(): Promise<StepTiming> {
    const answer = await this.worker().request('step');
    return { ms: answer.ms as number, cpuMs: answer.cpu_ms as number };
  }

  /** torch's own op table of one step of the prepared phase (torch.profiler, self CPU time). */
  async profile(): Promise<TorchProfile> {
    return (await this.worker().request('profile')) as unknown as TorchProfile;
  }

  /** GFLOP/s of float32 GEMMs on this worker's threads: oneDNN at n, torch.mm and numpy at blasN. */
  async gemm(n: number, blasN: number, reps: number): Promise<Record<string, number>> {
    return (await this.worker().request('gemm', { n, blas_n: blasN, reps })) as never;
  }

  pids(): number[] {
    return this.process ? [this.process.pid] : [];
  }

  async finishPhase(): Promise<void> {}

  async close(): Promise<void> {
    await this.process?.close();
  }

  private worker(): TorchProcess {
    if (this.process === undefined) throw new Error(`${this.label}: start() was not called`);
    return this.process;
  }
}
