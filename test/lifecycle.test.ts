/**
 * src/lifecycle.ts through real processes (test/helpers/lifecycle-process.ts): the first SIGINT/SIGTERM
 * closes gracefully, a second one exits 1, a failing or overlong close exits 1, a different signal soon
 * after the first is the same stop, and an invalid configuration is printed with the prefix and exits 1.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { spawnScript, type SpawnedScript } from './helpers/spawned-script.js';
import { waitFor } from './helpers/training.js';

/** The stderr prefix the spawned processes are given. */
const STDERR_PREFIX = 'lifecycle-test:';

/** A spawned lifecycle process, which can wait for its log lines. */
interface Spawned extends SpawnedScript {
  /** Resolves once stdout has a log line whose message is `msg`. */
  logged(msg: string): Promise<void>;
}

/** Spawns the lifecycle process with `env` added to this environment. */
function spawnLifecycle(env: NodeJS.ProcessEnv): Spawned {
  const spawned = spawnScript('test/helpers/lifecycle-process.ts', [], {
    ...process.env,
    LOG_LEVEL: 'info',
    STDERR_PREFIX,
    ...env,
  });
  // Why: a failed assertion must not leave a child waiting for a signal.
  const kill = (): void => void spawned.child.kill('SIGKILL');
  process.once('exit', kill);
  void spawned.exited.then(() => process.off('exit', kill));
  const logged = async (msg: string): Promise<void> => {
    await waitFor(`"${msg}" in the lifecycle process's stdout`, () =>
      spawned.stdout().includes(`"msg":"${msg}"`) ? true : undefined,
    );
  };
  return { ...spawned, logged };
}

describe('src/lifecycle.ts', () => {
  it('closes on the first signal and the process ends by itself with status 0', async () => {
    const spawned = spawnLifecycle({ CLOSE_DELAY_MS: '100' });
    await spawned.logged('ready');
    spawned.child.kill('SIGTERM');
    assert.deepEqual(await spawned.exited, { code: 0, signal: null }, spawned.stderr());
    assert.match(spawned.stdout(), /"signal":"SIGTERM","msg":"shutting down"/);
    assert.match(spawned.stdout(), /"msg":"stopped"/);
  });

  it('exits 0 once closed when asked to, even if a handle is left', async () => {
    const spawned = spawnLifecycle({ EXIT_WHEN_CLOSED: '1', KEEP_ALIVE_AFTER_CLOSE: '1' });
    await spawned.logged('ready');
    spawned.child.kill('SIGINT');
    assert.deepEqual(await spawned.exited, { code: 0, signal: null }, spawned.stderr());
  });

  it('exits at once with status 1 on a second signal, after the forced-exit hook', async () => {
    const spawned = spawnLifecycle({ CLOSE: 'hang', SAME_STOP_WITHIN_MS: '0' });
    await spawned.logged('ready');
    spawned.child.kill('SIGINT');
    await spawned.logged('shutting down');
    spawned.child.kill('SIGINT');
    assert.deepEqual(await spawned.exited, { code: 1, signal: null });
    assert.match(spawned.stdout(), /"msg":"second signal during shutdown, exiting now"/);
    assert.match(spawned.stdout(), /"msg":"forced exit hook ran"/);
  });

  it('exits 1 when close fails', async () => {
    const spawned = spawnLifecycle({ CLOSE: 'reject' });
    await spawned.logged('ready');
    spawned.child.kill('SIGTERM');
    assert.deepEqual(await spawned.exited, { code: 1, signal: null });
    assert.match(spawned.stdout(), /"msg":"shutdown failed"/);
    assert.match(spawned.stdout(), /close broke/);
  });

  it('exits 1 when close outlasts its budget', async () => {
    const spawned = spawnLifecycle({ CLOSE: 'hang', TIMEOUT_MS: '200' });
    await spawned.logged('ready');
    spawned.child.kill('SIGTERM');
    assert.deepEqual(await spawned.exited, { code: 1, signal: null });
    assert.match(spawned.stdout(), /"timeoutMs":200,"msg":"shutdown timed out, exiting"/);
  });

  it('takes another signal soon after the first, the same or a different one, as the same stop', async () => {
    const spawned = spawnLifecycle({ CLOSE_DELAY_MS: '500', SAME_STOP_WITHIN_MS: '5000' });
    await spawned.logged('ready');
    spawned.child.kill('SIGINT');
    await spawned.logged('shutting down');
    spawned.child.kill('SIGINT');
    spawned.child.kill('SIGTERM');
    assert.deepEqual(await spawned.exited, { code: 0, signal: null }, spawned.stdout());
    assert.match(spawned.stdout(), /"msg":"signal belongs to the stop already under way"/);
    assert.match(spawned.stdout(), /"msg":"stopped"/);
  });

  it('still exits 1 on the same signal, or a different one, after the window', async () => {
    const again = spawnLifecycle({ CLOSE: 'hang', SAME_STOP_WITHIN_MS: '100' });
    const other = spawnLifecycle({ CLOSE: 'hang', SAME_STOP_WITHIN_MS: '100' });
    await Promise.all([again.logged('ready'), other.logged('ready')]);
    again.child.kill('SIGINT');
    other.child.kill('SIGINT');
    await Promise.all([again.logged('shutting down'), other.logged('shutting down')]);
    await new Promise((resolve) => setTimeout(resolve, 300));
    again.child.kill('SIGINT');
    other.child.kill('SIGTERM');
    assert.deepEqual(await again.exited, { code: 1, signal: null });
    assert.deepEqual(await other.exited, { code: 1, signal: null });
  });

  it('prints an invalid configuration after the prefix, naming the variable, and exits 1', async () => {
    const spawned = spawnLifecycle({ PORT: 'abc', API_KEYS: 'bad key' });
    assert.deepEqual(await spawned.exited, { code: 1, signal: null });
    assert.ok(spawned.stderr().startsWith(`${STDERR_PREFIX} `), `prefixed: ${spawned.stderr()}`);
    assert.match(spawned.stderr(), /PORT="abc" is invalid/);
    assert.match(spawned.stderr(), /API_KEYS=<hidden>/);
    assert.ok(!spawned.stderr().includes('bad key'), 'secrets stay hidden');
    assert.doesNotMatch(spawned.stderr(), /^\s+at /m, 'no stack trace');
    assert.doesNotMatch(spawned.stdout(), /"msg":"ready"/, 'nothing started');
  });
});
