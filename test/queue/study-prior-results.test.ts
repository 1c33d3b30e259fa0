/**
 * A study handed results trained earlier (`priorResults`, how the weighting bench resumes from its
 * committed files): the matching ones are reused (no job, completed, scored, in the table), the others are
 * ignored, and the rest of the runs are queued seed by seed. Real redis-server, no worker.
 */
import assert from 'node:assert/strict';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { profilePlan, QUICK } from '../../bench/weighting-profiles.js';
import { loadPlanResults, planRuns, type RunResult } from '../../src/experiments/index.js';
import { JobLifecycle } from '../../src/queue/job-lifecycle.js';
import { StudyProducer } from '../../src/queue/study-producer.js';
import { TrainingJobProducer } from '../../src/queue/training-job-producer.js';
import { startRedis, type RedisServer } from '../helpers/redis.js';
import { uniqueQueueName } from '../helpers/training.js';

const COMMITTED = new URL('../../bench/results/weighting/quick/', import.meta.url).pathname;

describe('a study with prior results (real Redis, no worker)', () => {
  let redis: RedisServer;
  let root: string;
  let jobs: TrainingJobProducer;
  let studies: StudyProducer;

  before(async () => {
    redis = await startRedis();
    root = await mkdtemp(join(tmpdir(), 'study-prior-'));
    const queueName = uniqueQueueName('prior');
    const dirs = { artifactDir: join(root, 'artifacts'), dataDir: join(root, 'data') };
    jobs = new TrainingJobProducer({
      redisUrl: redis.url,
      queueName,
      ...dirs,
      maxQueuedJobs: 200,
      jobAttempts: 1,
    });
    studies = new StudyProducer(jobs, new JobLifecycle(jobs, dirs), {
      queueName,
      ...dirs,
      maxQueuedJobs: 200,
    });
  });
  after(async () => {
    await jobs?.close();
    await redis?.stop();
    await rm(root, { recursive: true, force: true });
  });

  it("reuses the committed results of the bench's quick profile and queues only the other runs, seed by seed", async () => {
    const plan = profilePlan(QUICK);
    const runs = planRuns(plan);
    const committed = await loadPlanResults(COMMITTED, runs);
    // Every other row's results (both seeds): the rows between them are queued, so the order shows.
    const rowIndex = (r: RunResult) => plan.rows.findIndex((row) => row.id === r.row.id);
    const handedIn = committed.filter((r) => rowIndex(r) % 2 === 0);
    assert.ok(handedIn.length >= 4, `${handedIn.length} committed results of even rows`);
    const [first, second] = handedIn as [RunResult, RunResult, ...RunResult[]];
    const prior = [
      ...handedIn.slice(1),
      // Neither is reused: another spec (hash), and a run the plan does not have.
      { ...first, specHash: 'f'.repeat(64) },
      { ...second, id: 'not-a-run-seed9' },
    ];
    const { study } = await studies.submit(QUICK, { priorResults: prior });

    const reused = study.runs.filter((r) => r.reused);
    assert.deepEqual(
      reused.map((r) => r.id),
      handedIn.slice(1).map((r) => r.id),
    );
    for (const run of reused)
      assert.deepEqual([run.status, run.scored, run.percent], ['completed', true, 100]);
    assert.equal(study.status, 'queued', 'the other runs wait for a worker');
    assert.equal(study.runCounts.completed, reused.length);
    assert.equal(study.table?.runsDone, reused.length, 'the table is made of the reused results');
    assert.deepEqual(
      (await readdir(join(root, 'artifacts', 'studies', study.id, 'results'))).sort(),
      reused.map((r) => `${r.id}.json`).sort(),
      "the reused results are in the study's store",
    );

    // Every other run has a job, none a reused one; the queue hands them out seed by seed.
    const queued = study.runs.filter((r) => !r.reused);
    for (const run of queued) assert.ok(await jobs.find(run.jobId), `${run.id} has a job`);
    for (const run of reused) assert.equal(await jobs.find(run.jobId), undefined, `${run.id} has none`);
    // getWaiting lists the wait list oldest first: the order workers take it in.
    const order = (await jobs.queue.getWaiting(0, -1)).map((job) => job.id);
    const seedMajor = [...queued].sort(
      (a, b) =>
        a.seed - b.seed || runs.findIndex((r) => r.id === a.id) - runs.findIndex((r) => r.id === b.id),
    );
    assert.deepEqual(
      order,
      seedMajor.map((r) => r.jobId),
    );

    // A later read does not add jobs for the reused runs (the repair of runs a crash left out).
    const again = await studies.get(study.id);
    assert.equal(again.runs.filter((r) => r.reused).length, reused.length);
    for (const run of reused) assert.equal(await jobs.find(run.jobId), undefined);
  });
});
