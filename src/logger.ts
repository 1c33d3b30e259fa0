/**
 * Logging: one pino root logger writing JSON lines to stdout, and child loggers per module and per job.
 *
 * ```ts
 * import { createLogger, jobLogger } from './logger.js';
 *
 * const log = createLogger('trainer');          // every line carries { module: 'trainer' }
 * log.info({ epoch: 3 }, 'epoch finished');
 *
 * const jobLog = jobLogger(log, job.id);        // every line carries { module: 'trainer', jobId }
 * jobLog.warn('checkpoint missing, starting from scratch');
 * ```
 *
 * The level comes from `LOG_LEVEL` and the format from `LOG_FORMAT` (the same variables, and the same
 * accepted values, as the configuration), read when this module loads, so that loggers created at import
 * time already have them. `main` calls {@link setLogLevel} with the validated configuration in case the two
 * differ (e.g. in tests). `LOG_FORMAT=pretty` writes one readable line per entry through pino-pretty's
 * formatter (synchronously, so nothing is lost at exit); `json` (the default) writes JSON lines.
 *
 * Lines go to stdout; command-line tools whose stdout is a report call {@link sendLogsToStderr} first.
 *
 * @packageDocumentation
 */
import { hostname } from 'node:os';
import { pino, type DestinationStream, type Logger } from 'pino';
import { prettyFactory } from 'pino-pretty';
import {
  LOG_FORMAT_CHOICES,
  LOG_LEVEL_CHOICES,
  type LogFormatSetting,
  type LogLevelSetting,
} from './config.js';

export type { Logger } from 'pino';

/**
 * Level used when `LOG_LEVEL` is unset or invalid. Why `info`: matches the configuration default; an invalid
 * value is reported by `loadConfig`, which runs right after.
 */
const DEFAULT_LEVEL: LogLevelSetting = 'info';

/**
 * Service name bound to every line. Why: logs of the API and of workers end up in one stream in production,
 * and this tells which service wrote them apart from others sharing the collector.
 */
const SERVICE_NAME = 'scene-mtl';

/** Returns `value` when it is a valid `LOG_LEVEL`, else {@link DEFAULT_LEVEL}. */
function levelFrom(value: string | undefined): LogLevelSetting {
  const trimmed = value?.trim();
  return (LOG_LEVEL_CHOICES as readonly string[]).includes(trimmed ?? '')
    ? (trimmed as LogLevelSetting)
    : DEFAULT_LEVEL;
}

/** Returns `value` when it is a valid `LOG_FORMAT`, else `json` (an invalid value is reported by `loadConfig`). */
function formatFrom(value: string | undefined): LogFormatSetting {
  const trimmed = value?.trim();
  return (LOG_FORMAT_CHOICES as readonly string[]).includes(trimmed ?? '')
    ? (trimmed as LogFormatSetting)
    : 'json';
}

/**
 * The fields pino-pretty leaves out of a pretty line. Why: the same on every line of one process (service,
 * pid, host), or shown before the message (module).
 */
const PRETTY_IGNORED_FIELDS = 'service,pid,hostname,module';

/** Options of {@link createRootLogger}. */
export interface RootLoggerOptions {
  /** Minimum level; defaults to `LOG_LEVEL` from the environment, else `info`. */
  level?: LogLevelSetting;
  /** `json` lines or `pretty` ones; defaults to `LOG_FORMAT` from the environment, else `json`. */
  format?: LogFormatSetting;
  /** Where lines go; stdout (or stderr, see {@link sendLogsToStderr}) by default. Tests pass a stream to capture them. */
  destination?: DestinationStream;
}

/**
 * Wraps `destination` so that each JSON line is written as pino-pretty formats it: time, level,
 * `[module]`, message, then the other fields as JSON on the same line (errors with their stack below).
 *
 * @param destination - Where the pretty lines go.
 * @param colorize - Colour the level (for a terminal).
 */
export function prettyDestination(destination: DestinationStream, colorize = false): DestinationStream {
  const format = prettyFactory({
    colorize,
    singleLine: true,
    translateTime: 'SYS:HH:MM:ss.l',
    ignore: PRETTY_IGNORED_FIELDS,
    messageFormat: '{if module}[{module}] {end}{msg}',
  });
  return { write: (line: string) => destination.write(format(line)) };
}

/** The file descriptor the process-wide loggers write to: stdout unless {@link sendLogsToStderr} was called. */
let processLogFd: 1 | 2 = 1;

/** Synchronous writers of stdout and stderr, made on first use. Why sync: no line is lost at `process.exit`. */
const processStreams = new Map<1 | 2, DestinationStream>();

/** The default destination: stdout or stderr, whichever {@link processLogFd} says at the time of the write. */
const processDestination: DestinationStream = {
  write(line: string) {
    let stream = processStreams.get(processLogFd);
    if (stream === undefined) {
      stream = pino.destination({ dest: processLogFd, sync: true });
      processStreams.set(processLogFd, stream);
    }
    stream.write(line);
  },
};

/**
 * Sends the lines of every logger that writes to the process (all but those given a destination) to
 * stderr from now on. Command-line tools call it so that their report on stdout has no log lines in it.
 */
export function sendLogsToStderr(): void {
  processLogFd = 2;
}

/**
 * Creates a pino logger configured as the service's root logger: JSON lines (or pretty ones), ISO
 * timestamps, the service name and the process id on each line, errors serialised under `err`.
 *
 * Most code wants {@link createLogger} instead; this exists for tests and for tools that need their own
 * destination.
 *
 * @param options - Level and destination.
 * @returns A new pino logger.
 */
export function createRootLogger(options: RootLoggerOptions = {}): Logger {
  const config = {
    level: options.level ?? levelFrom(process.env.LOG_LEVEL),
    base: { service: SERVICE_NAME, pid: process.pid, hostname: hostname() },
    timestamp: pino.stdTimeFunctions.isoTime,
    // Why: lines read "level":"info" instead of "level":30, which log collectors and people understand.
    formatters: { level: (label: string) => ({ level: label }) },
  };
  const format = options.format ?? formatFrom(process.env.LOG_FORMAT);
  const destination =
    format === 'pretty'
      ? prettyDestination(
          options.destination ?? processDestination,
          options.destination === undefined && process.stdout.isTTY === true,
        )
      : (options.destination ?? processDestination);
  return pino(config, destination);
}

/** The process-wide root logger. Prefer {@link createLogger} so that each line says which module wrote it. */
export const rootLogger: Logger = createRootLogger();

/**
 * Child loggers handed out by {@link createLogger}, so that {@link setLogLevel} can update them too.
 * Why: a pino child copies its parent's level when created and does not follow later changes.
 */
const moduleLoggers = new Set<Logger>();

/**
 * Returns a child of the root logger whose lines carry `{ module }`.
 *
 * Call it once per module, at import (`const log = createLogger('trainer')`); for per-job or per-request
 * context use {@link jobLogger} or `log.child(...)` instead, which are not tracked by {@link setLogLevel}.
 *
 * @param module - Short name of the calling module, e.g. `api`, `trainer`, `predictor`.
 * @param bindings - Extra fields bound to every line.
 * @returns The child logger.
 */
export function createLogger(module: string, bindings: Record<string, unknown> = {}): Logger {
  const child = rootLogger.child({ module, ...bindings });
  moduleLoggers.add(child);
  return child;
}

/**
 * Returns a child of `parent` whose lines carry `{ jobId }`: use it for everything logged while working on
 * one training job, so that a job's whole story can be filtered out of the stream.
 *
 * @param parent - Usually a module logger from {@link createLogger}.
 * @param jobId - The BullMQ job id.
 * @returns The child logger.
 */
export function jobLogger(parent: Logger, jobId: string): Logger {
  return parent.child({ jobId });
}

/**
 * Sets the level of the root logger and of every module logger made so far (job loggers made afterwards
 * inherit it).
 *
 * @param level - The new minimum level, e.g. `config.LOG_LEVEL`.
 */
export function setLogLevel(level: LogLevelSetting): void {
  rootLogger.level = level;
  for (const logger of moduleLoggers) logger.level = level;
}
