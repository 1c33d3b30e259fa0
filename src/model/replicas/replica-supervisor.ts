/**
 * Entry of the supervisor thread of a replica group: it starts the replica threads and watches them.
 *
 * Why a thread of its own: replica 0 (the trainer's thread) waits for the others inside a synchronous
 * training step, where its event loop cannot run, so it would never see a replica thread's `exit` or
 * `error` event. This thread does nothing else, so its event loop is always free: when a replica thread
 * throws outside a step, crashes or is terminated, it marks the collective failed at once, which wakes
 * every replica waiting at the barrier. It also tells replica 0 (`exited`) for the time between steps.
 */
import { parentPort, workerData, type Worker } from 'node:worker_threads';
import { Collective } from './collective.js';
import type { ReplicaExited, ReplicaThreadData, SupervisorData, ToSupervisor } from './replica-messages.js';
import { siblingEntry, spawnThread } from './spawn-thread.js';

const data = workerData as SupervisorData;
const port = parentPort!;
const collective = new Collective(data.collective, 0);
const entry = siblingEntry(import.meta.url, 'replica-thread');
let closing = false;

const threads: Worker[] = data.ports.map((replicaPort, i) => {
  const rank = i + 1;
  const threadData: ReplicaThreadData = {
    topology: data.topology,
    tasks: data.tasks,
    weighting: data.weighting,
    optimizer: data.optimizer,
    backend: data.backend,
    fault: data.fault,
    rank,
    collective: data.collective,
    port: replicaPort,
  };
  const thread = spawnThread(entry, { workerData: threadData, transferList: [replicaPort] });
  let error: string | undefined;
  thread.on('error', (err: unknown) => {
    error = err instanceof Error ? err.message : String(err);
    if (!closing) collective.fail(rank, `replica thread ${rank} threw: ${error}`);
  });
  thread.on('exit', (code) => {
    if (!closing)
      collective.fail(rank, `replica thread ${rank} exited (code ${code})${error ? `: ${error}` : ''}`);
    port.postMessage({ type: 'exited', rank, code, error } satisfies ReplicaExited);
  });
  return thread;
});

port.on('message', (message: ToSupervisor) => {
  if (message.type === 'terminate') {
    void threads[message.rank - 1]?.terminate();
    return;
  }
  closing = true;
  void Promise.all(threads.map((thread) => thread.terminate())).then(() => process.exit(0));
});
