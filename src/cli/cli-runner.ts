/**
 * Shared plumbing of the command-line entry points: argument and validation errors become their message,
 * the usage text and exit status 2, other known errors a one-line message and status 1, never a stack trace.
 */
import { AppError, ValidationError } from '../errors.js';
import { sendLogsToStderr } from '../logger.js';
import { USAGE_EXIT_CODE, UsageError } from './usage-error.js';

/**
 * Runs a CLI body and maps its failure to an exit status and a message. Log lines go to stderr, so that
 * the report a tool prints on stdout has none in it.
 *
 * @param usage - Usage text printed with argument errors.
 * @param body - The command; returns normally on success.
 */
export async function runCli(usage: string, body: () => Promise<void>): Promise<void> {
  sendLogsToStderr();
  try {
    await body();
  } catch (error) {
    if (error instanceof UsageError || isNodeArgError(error)) {
      process.stderr.write(`error: ${(error as Error).message}\n\n${usage}\n`);
      process.exitCode = USAGE_EXIT_CODE;
      return;
    }
    if (error instanceof ValidationError) {
      // The options built an invalid spec or value: the same words as the API's, and how to call it.
      process.stderr.write(`error: ${error.message}\n\n${usage}\n`);
      process.exitCode = USAGE_EXIT_CODE;
      return;
    }
    if (error instanceof AppError && error.statusCode < 500) {
      process.stderr.write(`error: ${error.message}\n`);
      process.exitCode = 1;
      return;
    }
    process.stderr.write(`error: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  }
}

/** node:util parseArgs throws TypeErrors with ERR_PARSE_ARGS_* codes for unknown or malformed options. */
function isNodeArgError(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && code.startsWith('ERR_PARSE_ARGS');
}

/** Parses "128x256" (height x width) into [height, width]. */
export function parseSize(value: string, option: string): [number, number] {
  const match = /^(\d+)x(\d+)$/.exec(value);
  if (match === null)
    throw new UsageError(`${option} must look like 128x256 (height x width), got "${value}"`);
  return [Number(match[1]), Number(match[2])];
}

/** Parses a positive integer option. */
export function parseInteger(value: string | undefined, option: string, fallback: number, min = 1): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < min)
    throw new UsageError(`${option} must be an integer >= ${min}, got "${value}"`);
  return n;
}

/** Parses a number option. */
export function parseNumber(value: string | undefined, option: string): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isFinite(n)) throw new UsageError(`${option} must be a number, got "${value}"`);
  return n;
}
