/**
 * Errors of the experiment runner.
 *
 * @packageDocumentation
 */
import { AppError } from '../errors.js';

/**
 * Thrown (and reported in the runner's outcome) when one run of an experiment fails: its training process
 * threw, crashed or was stopped before writing its result. A 500: the plan was valid.
 */
export class ExperimentRunError extends AppError {
  /**
   * @param runId - The run (`<row>-seed<k>`).
   * @param message - What happened.
   */
  constructor(
    readonly runId: string,
    message: string,
  ) {
    super('EXPERIMENT_RUN_FAILED', 500, `run ${runId}: ${message}`);
  }
}

/**
 * Thrown by the experiment runner when the training worker of its private service exits by itself (it
 * failed at start, or crashed): the study is left as it was, and the next invocation continues it.
 */
export class ExperimentWorkerError extends AppError {
  /**
   * @param studyId - The study the worker was training.
   * @param how - How it exited (`code 1`, `SIGKILL`).
   */
  constructor(
    readonly studyId: string,
    how: string,
  ) {
    super(
      'EXPERIMENT_WORKER_EXITED',
      500,
      `the training worker of study ${studyId} exited by itself (${how}); its output above says why`,
    );
  }
}
