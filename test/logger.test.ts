import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { describe, it } from 'node:test';
import { createLogger, createRootLogger, jobLogger, rootLogger, setLogLevel } from '../src/logger.js';

/** A destination that keeps every JSON line written to it. */
function capture(): { stream: Writable; lines: Record<string, unknown>[] } {
  const lines: Record<string, unknown>[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString().split('\n')) if (line.trim() !== '') lines.push(JSON.parse(line));
      done();
    },
  });
  return { stream, lines };
}

describe('logger', () => {
  it('writes JSON lines with a level label, ISO time and the service name', () => {
    const { stream, lines } = capture();
    const log = createRootLogger({ level: 'debug', destination: stream });
    log.debug({ epoch: 2 }, 'epoch done');
    log.trace('not written');
    assert.equal(lines.length, 1);
    const line = lines[0]!;
    assert.equal(line.level, 'debug');
    assert.equal(line.msg, 'epoch done');
    assert.equal(line.epoch, 2);
    assert.equal(line.service, 'scene-mtl');
    assert.equal(line.pid, process.pid);
    assert.ok(!Number.isNaN(Date.parse(String(line.time))) && String(line.time).endsWith('Z'));
  });

  it('serialises errors with their stack under err', () => {
    const { stream, lines } = capture();
    createRootLogger({ destination: stream }).error({ err: new Error('boom') }, 'failed');
    const err = lines[0]?.err as { message: string; stack: string; type: string };
    assert.equal(err.message, 'boom');
    assert.equal(err.type, 'Error');
    assert.match(err.stack, /boom/);
  });

  it('createLogger binds { module } and jobLogger adds { jobId }', () => {
    const log = createLogger('trainer');
    assert.equal(log.bindings().module, 'trainer');
    const jobLog = jobLogger(log, 'job-42');
    assert.equal(jobLog.bindings().module, 'trainer');
    assert.equal(jobLog.bindings().jobId, 'job-42');
    const withExtra = createLogger('predictor', { device: 'cpu' }).bindings();
    assert.equal(withExtra.module, 'predictor');
    assert.equal(withExtra.device, 'cpu');
  });

  it('child lines carry module and jobId', () => {
    const { stream, lines } = capture();
    const root = createRootLogger({ destination: stream });
    jobLogger(root.child({ module: 'worker' }), 'j1').info('started');
    assert.equal(lines[0]?.module, 'worker');
    assert.equal(lines[0]?.jobId, 'j1');
  });

  it('setLogLevel updates the root logger and existing module loggers', () => {
    const before = rootLogger.level;
    const log = createLogger('level-test');
    try {
      setLogLevel('error');
      assert.equal(rootLogger.level, 'error');
      assert.equal(log.level, 'error');
      assert.equal(jobLogger(log, 'j').level, 'error');
    } finally {
      setLogLevel(before as Parameters<typeof setLogLevel>[0]);
    }
  });
});
