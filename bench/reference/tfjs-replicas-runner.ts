/**
 * Placeholder for the "both cores" row: synchronous data-parallel training over local replicas
 * (`training.replicas`, issue 12 item 5), which does not exist yet. Until it does, this runner declines
 * every phase with the reason, and the results file shows the row as not measured.
 *
 * Whoever adds the replicas API fills in `prepare` (start the replicas on the phase's network and batch,
 * e.g. from `phase.bundleDir` or `phase.model`'s weights), `step` (one synchronous step of the global
 * batch, timed where it runs) and `pids` (every replica process, so that their CPU time counts as ours).
 *
 * @packageDocumentation
 */
import type { PreparedPhase, StepRunner, StepTiming } from './step-runner.js';

/** tfjs over `replicas` local replicas at the phase's global batch. */
export class TfjsReplicasRunner implements StepRunner {
  readonly id: string;
  readonly label: string;
  readonly framework = 'tfjs' as const;

  constructor(readonly replicas: number) {
    this.id = `tfjs-${replicas}-replicas`;
    this.label = `tfjs-wasm, ${replicas} replicas`;
  }

  async start(): Promise<Record<string, unknown>> {
    return { replicas: this.replicas };
  }

  async prepare({ spec }: PreparedPhase): Promise<string | undefined> {
    if (spec.kind !== 'train') return 'replicas are a training feature';
    return 'training.replicas (issue 12 item 5) does not exist yet';
  }

  async step(): Promise<StepTiming> {
    throw new Error(`${this.label}: no replicas API to time yet`);
  }

  pids(): number[] {
    return [];
  }

  async finishPhase(): Promise<void> {}

  async close(): Promise<void> {}
}
