/**
 * The replicas' meeting point: one SharedArrayBuffer holding a slot per replica and a result vector, and
 * an Atomics barrier. Synchronous on purpose: a training step is synchronous code (one tfjs call after
 * another), and the mean of the gradients is needed in the middle of it.
 *
 * A replica that fails (an exception, or its thread's exit as seen by the supervisor) marks the collective
 * failed with a message; every replica waiting at the barrier wakes and throws {@link CollectiveFailure}.
 * Nobody waits for a dead replica.
 *
 * @packageDocumentation
 */

/** Int32 fields of the control block. */
const GENERATION = 0;
const ARRIVED = 1;
/** 0 while healthy, 1 once a replica failed. */
const FAILED = 2;
/** Length in bytes of the failure message in the message block. */
const MESSAGE_LENGTH = 3;
/** 0, or 1 + the rank of the failing replica that took the message block (so two never mix messages). */
const MESSAGE_CLAIMED = 4;
const CONTROL_FIELDS = 5;
/** Room for a failure message. Why 2 KiB: a message and the top of a stack; the rest is in the logs. */
const MESSAGE_BYTES = 2048;
/**
 * Longest single wait at the barrier before the failure flag is read again. Why 100 ms: a failure wakes
 * the waiters at once through Atomics.notify; this only bounds the rare race where the flag is set between
 * a waiter's look at it and its wait, at no cost (a wait that times out simply waits again).
 */
const WAIT_SLICE_MS = 100;

/** Thrown by every replica when one of them failed: the step cannot complete. */
export class CollectiveFailure extends Error {
  /**
   * @param rank - The replica that failed first.
   * @param detail - What it reported.
   */
  constructor(
    readonly rank: number,
    readonly detail: string,
  ) {
    super(`replica ${rank} failed: ${detail}`);
    this.name = 'CollectiveFailure';
  }
}

/** The shared memory of a collective, as it is handed to each replica thread. */
export interface CollectiveBuffers {
  replicas: number;
  /** Floats per vector (the largest vector reduced). */
  capacity: number;
  control: SharedArrayBuffer;
  data: SharedArrayBuffer;
}

/** One replica's handle on the shared collective. */
export class Collective {
  private readonly control: Int32Array;
  private readonly message: Uint8Array;
  private readonly slots: Float32Array[];
  private readonly result: Float32Array;

  /**
   * @param buffers - From {@link Collective.allocate}.
   * @param rank - This replica (0 = the trainer's own).
   */
  constructor(
    readonly buffers: CollectiveBuffers,
    readonly rank: number,
  ) {
    const { replicas, capacity } = buffers;
    this.control = new Int32Array(buffers.control, 0, CONTROL_FIELDS);
    this.message = new Uint8Array(buffers.control, CONTROL_FIELDS * 4, MESSAGE_BYTES);
    this.slots = Array.from(
      { length: replicas },
      (_, k) => new Float32Array(buffers.data, k * capacity * 4, capacity),
    );
    this.result = new Float32Array(buffers.data, replicas * capacity * 4, capacity);
  }

  /** Shared memory for `replicas` replicas reducing vectors of up to `capacity` floats. */
  static allocate(replicas: number, capacity: number): CollectiveBuffers {
    return {
      replicas,
      capacity,
      control: new SharedArrayBuffer(CONTROL_FIELDS * 4 + MESSAGE_BYTES),
      data: new SharedArrayBuffer((replicas + 1) * capacity * 4),
    };
  }

  /** Replicas taking part. */
  get replicas(): number {
    return this.buffers.replicas;
  }

  /** This replica's slot: write its vector here before {@link allReduceMean}. */
  get slot(): Float32Array {
    return this.slots[this.rank]!;
  }

  /**
   * The element-wise mean of the first `length` floats of the slots of replicas `0 .. active - 1`, the
   * same bits on every replica. Every replica must call it, each after writing its slot (replicas from
   * `active` on contribute nothing). Each replica sums its own part of the vector over the slots, in rank
   * order, so the result does not depend on who was first.
   *
   * @returns A view of the shared result: read it before the next collective call.
   * @throws CollectiveFailure when a replica failed meanwhile.
   */
  allReduceMean(length: number, active: number): Float32Array {
    if (length > this.buffers.capacity) {
      throw new Error(
        `collective: a vector of ${length} floats exceeds the capacity ${this.buffers.capacity}`,
      );
    }
    this.barrier();
    const part = Math.ceil(length / this.replicas);
    const from = Math.min(length, this.rank * part);
    const to = Math.min(length, from + part);
    const { result, slots } = this;
    const first = slots[0]!;
    for (let i = from; i < to; i++) result[i] = first[i]!;
    for (let k = 1; k < active; k++) {
      const slot = slots[k]!;
      for (let i = from; i < to; i++) result[i] = result[i]! + slot[i]!;
    }
    if (active !== 1) {
      const inverse = 1 / active;
      for (let i = from; i < to; i++) result[i] = result[i]! * inverse;
    }
    this.barrier();
    return result.subarray(0, length);
  }

  /**
   * Waits until every replica arrived.
   *
   * @throws CollectiveFailure when a replica failed (before or while waiting).
   */
  barrier(): void {
    const c = this.control;
    this.throwIfFailed();
    const generation = Atomics.load(c, GENERATION);
    if (Atomics.add(c, ARRIVED, 1) === this.replicas - 1) {
      Atomics.store(c, ARRIVED, 0);
      Atomics.add(c, GENERATION, 1);
      Atomics.notify(c, GENERATION);
      return;
    }
    while (Atomics.load(c, GENERATION) === generation) {
      this.throwIfFailed();
      Atomics.wait(c, GENERATION, generation, WAIT_SLICE_MS);
    }
  }

  /**
   * Marks the collective failed (the first failure wins) and wakes every waiting replica.
   *
   * @param rank - Who failed.
   * @param detail - Why, for the job's error.
   */
  fail(rank: number, detail: string): void {
    const c = this.control;
    if (Atomics.compareExchange(c, MESSAGE_CLAIMED, 0, rank + 1) === 0) {
      const bytes = new TextEncoder().encode(detail).subarray(0, MESSAGE_BYTES);
      this.message.set(bytes);
      Atomics.store(c, MESSAGE_LENGTH, bytes.length);
    }
    Atomics.store(c, FAILED, 1);
    Atomics.notify(c, GENERATION);
  }

  /** The failure, when a replica failed. */
  failure(): CollectiveFailure | undefined {
    const c = this.control;
    if (Atomics.load(c, FAILED) === 0) return undefined;
    const length = Atomics.load(c, MESSAGE_LENGTH);
    // Why a copy: TextDecoder does not read views of shared memory.
    const detail = new TextDecoder().decode(this.message.slice(0, length));
    return new CollectiveFailure(Atomics.load(c, MESSAGE_CLAIMED) - 1, detail || 'no detail');
  }

  private throwIfFailed(): void {
    const failure = this.failure();
    if (failure !== undefined) throw failure;
  }
}
