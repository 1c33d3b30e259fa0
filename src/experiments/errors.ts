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
