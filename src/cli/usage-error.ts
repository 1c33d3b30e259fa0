/**
 * The command-line entry points' one error for a bad command line, and the exit status that goes with it.
 *
 * @packageDocumentation
 */

/** Exit status for a bad command line. Why 2: the usual status of a usage error (GNU tools, sysexits-lite). */
export const USAGE_EXIT_CODE = 2;

/**
 * Thrown for a bad command line (a missing, unknown or malformed option); the entry point prints the
 * message above its usage text and exits with {@link USAGE_EXIT_CODE}.
 */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}
