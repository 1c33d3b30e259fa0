// Generated from openapi.yaml by `npm run openapi` (openapi-typescript; binary bodies as Blob); do not edit.
export interface paths {
    "/health/live": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Liveness probe */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description The process is alive. */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @enum {string} */
                            status: "ok";
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/health/ready": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Readiness probe
         * @description Redis reachable with noeviction, compute backend initialised, artifact store writable; `disk` reports the bytes used under ARTIFACT_DIR (datasets, cache, models, checkpoints) and DATA_DIR and the free space left (not a readiness condition).
         */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Ready. */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @enum {string} */
                            status: "ready" | "not_ready";
                            checks: {
                                redis: {
                                    ok: boolean;
                                    /** @description Why the check failed. */
                                    error?: string;
                                    latencyMs?: number;
                                    version?: string;
                                    maxmemoryPolicy?: string;
                                };
                                backend: {
                                    ok: boolean;
                                    /** @description Why the check failed. */
                                    error?: string;
                                    name?: string;
                                    package?: string;
                                    gpu?: boolean;
                                    tfjsVersion?: string;
                                };
                                artifactStore: {
                                    ok: boolean;
                                    /** @description Why the check failed. */
                                    error?: string;
                                };
                            };
                            /** @description Disk use of ARTIFACT_DIR (with its parts) and DATA_DIR, and free space on their filesystems. Informational: it does not make the service unready. */
                            disk?: {
                                artifactDir: {
                                    /** @description Bytes of the files under it. */
                                    bytes: number;
                                    /** @description Bytes still writable on its filesystem (fs.statfs). */
                                    freeBytes?: number;
                                    /** @description Size of its filesystem. */
                                    totalBytes?: number;
                                    /** @description Bytes of the parts of ARTIFACT_DIR. */
                                    areas: {
                                        /** @description Generated datasets (datasets/). */
                                        datasets: number;
                                        /** @description Target caches (cache/). */
                                        cache: number;
                                        /** @description Trained models (models/). */
                                        models: number;
                                        /** @description Job checkpoints (jobs/). */
                                        checkpoints: number;
                                    };
                                };
                                dataDir: {
                                    /** @description Bytes of the files under it. */
                                    bytes: number;
                                    /** @description Bytes still writable on its filesystem (fs.statfs). */
                                    freeBytes?: number;
                                    /** @description Size of its filesystem. */
                                    totalBytes?: number;
                                };
                                /**
                                 * Format: date-time
                                 * @description When the files were counted (reused for 30 s); free space is read at each request.
                                 */
                                measuredAt: string;
                            };
                        };
                    };
                };
                /** @description Not ready; the failing checks say why. */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @enum {string} */
                            status: "ready" | "not_ready";
                            checks: {
                                redis: {
                                    ok: boolean;
                                    /** @description Why the check failed. */
                                    error?: string;
                                    latencyMs?: number;
                                    version?: string;
                                    maxmemoryPolicy?: string;
                                };
                                backend: {
                                    ok: boolean;
                                    /** @description Why the check failed. */
                                    error?: string;
                                    name?: string;
                                    package?: string;
                                    gpu?: boolean;
                                    tfjsVersion?: string;
                                };
                                artifactStore: {
                                    ok: boolean;
                                    /** @description Why the check failed. */
                                    error?: string;
                                };
                            };
                            /** @description Disk use of ARTIFACT_DIR (with its parts) and DATA_DIR, and free space on their filesystems. Informational: it does not make the service unready. */
                            disk?: {
                                artifactDir: {
                                    /** @description Bytes of the files under it. */
                                    bytes: number;
                                    /** @description Bytes still writable on its filesystem (fs.statfs). */
                                    freeBytes?: number;
                                    /** @description Size of its filesystem. */
                                    totalBytes?: number;
                                    /** @description Bytes of the parts of ARTIFACT_DIR. */
                                    areas: {
                                        /** @description Generated datasets (datasets/). */
                                        datasets: number;
                                        /** @description Target caches (cache/). */
                                        cache: number;
                                        /** @description Trained models (models/). */
                                        models: number;
                                        /** @description Job checkpoints (jobs/). */
                                        checkpoints: number;
                                    };
                                };
                                dataDir: {
                                    /** @description Bytes of the files under it. */
                                    bytes: number;
                                    /** @description Bytes still writable on its filesystem (fs.statfs). */
                                    freeBytes?: number;
                                    /** @description Size of its filesystem. */
                                    totalBytes?: number;
                                };
                                /**
                                 * Format: date-time
                                 * @description When the files were counted (reused for 30 s); free space is read at each request.
                                 */
                                measuredAt: string;
                            };
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/metrics": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Prometheus metrics
         * @description Request latency histograms, training jobs by state, training job durations, training steps, step durations, current loss and sigma per worker slot, disk use and free space, and process metrics, in the Prometheus text format.
         */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Metrics in the Prometheus text format. */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "text/plain": string;
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/training-jobs": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List training jobs
         * @description Newest first: by submission (all, queued, running, cancelling), by end (completed, failed) or by cancellation (cancelled).
         */
        get: {
            parameters: {
                query?: {
                    /** @description queued: waiting for a worker (also after a worker stopped and before another resumes it); running: a worker trains it; cancelling: a running job asked to stop, until its worker has stopped it (within a few seconds, in any phase); completed: the model is saved; failed: it stopped with an error; cancelled: stopped on request. */
                    status?: "queued" | "running" | "cancelling" | "completed" | "failed" | "cancelled";
                    limit?: number;
                    offset?: number;
                    /** @description Only those with exactly this name. */
                    name?: string;
                    /** @description Only those with this label (key:value); repeat it for several labels, all of which must match. */
                    label?: string[];
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description A page of training jobs, newest first. */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            items: {
                                /** @description Job id; also the id of the model it produces. */
                                id: string;
                                /** @description A name for the job and its model, 1 to 128 characters (no control characters); filter lists with ?name=. */
                                name?: string;
                                /** @description Up to 16 labels, key -> value, copied to the model; keys are 1 to 63 letters, digits, ".", "_", "-" or "/", starting with a letter or digit; values at most 128 characters. Filter lists with ?label=key:value. */
                                labels?: {
                                    [key: string]: string;
                                };
                                /**
                                 * @description queued: waiting for a worker (also after a worker stopped and before another resumes it); running: a worker trains it; cancelling: a running job asked to stop, until its worker has stopped it (within a few seconds, in any phase); completed: the model is saved; failed: it stopped with an error; cancelled: stopped on request.
                                 * @enum {string}
                                 */
                                status: "queued" | "running" | "cancelling" | "completed" | "failed" | "cancelled";
                                /** @description Where training stands. */
                                progress?: {
                                    /**
                                     * @description preparing: building the dataset; training; validating; saving the model. Absent once the job has ended (completed, failed, cancelled).
                                     * @enum {string}
                                     */
                                    phase?: "preparing" | "training" | "validating" | "saving";
                                    /** @description Steps done over all steps, in %. */
                                    percent: number;
                                    /** @description Estimated seconds until the job ends (null until a few steps ran). */
                                    etaSeconds: number | null;
                                    /** @description Epoch in progress, 1-based. */
                                    epoch?: number;
                                    epochs?: number;
                                    /** @description Steps done over all epochs. */
                                    step?: number;
                                    totalSteps?: number;
                                    stepInEpoch?: number;
                                    stepsPerEpoch?: number;
                                    /** @description Raw (unweighted) loss of each task on the latest batch. */
                                    losses?: {
                                        segmentation?: number;
                                        instances?: number;
                                        depth?: number;
                                    };
                                    /** @description The weighted total that was minimised. */
                                    totalLoss?: number;
                                    /** @description Effective weight of each task. */
                                    weights?: {
                                        segmentation?: number;
                                        instances?: number;
                                        depth?: number;
                                    };
                                    /** @description Learned log-variances s = log sigma^2 (uncertainty strategies). */
                                    logVariances?: {
                                        segmentation?: number;
                                        instances?: number;
                                        depth?: number;
                                    };
                                    /** @description sigma = exp(s / 2) per task (uncertainty strategies). */
                                    sigmas?: {
                                        segmentation?: number;
                                        instances?: number;
                                        depth?: number;
                                    };
                                    /** @description Optimum s* of the form for the running mean raw loss (bias-corrected exponential average, decay 0.98, ~50 steps; uncertainty strategies). */
                                    optimalLogVariances?: {
                                        segmentation?: number;
                                        instances?: number;
                                        depth?: number;
                                    };
                                    /** @description s - s* per task (uncertainty strategies). */
                                    logVarianceGaps?: {
                                        segmentation?: number;
                                        instances?: number;
                                        depth?: number;
                                    };
                                    learningRate?: number;
                                    /** @description Duration of the latest step. */
                                    stepMs?: number;
                                    /** Format: date-time */
                                    updatedAt: string;
                                };
                                /** @description The trained model (when completed). */
                                modelId?: string;
                                /** @description Validation metrics of the last epoch. */
                                metrics?: {
                                    [key: string]: unknown;
                                };
                                /** @description Why the job failed. */
                                error?: {
                                    /** @description e.g. VALIDATION_ERROR, DATASET_ERROR, TRAINING_FAILED, STALLED. */
                                    code: string;
                                    message: string;
                                };
                                /** Format: date-time */
                                createdAt: string;
                                /**
                                 * Format: date-time
                                 * @description First start by a worker.
                                 */
                                startedAt?: string;
                                /** Format: date-time */
                                finishedAt?: string;
                                /** Format: date-time */
                                cancelRequestedAt?: string;
                                /** @description Tries of the job: a failure is retried up to max (JOB_ATTEMPTS); a worker stopping or dying does not use one. */
                                attempts: {
                                    /** @description Attempts made, the successful one included. */
                                    made: number;
                                    max: number;
                                };
                                /** @description Checkpoint the latest attempt resumed from. */
                                resumedFrom?: string;
                                /** @description Global step of resumedFrom: the latest attempt trained on from this step. */
                                resumedAtStep?: number;
                                /** @description Compute backend of the worker. */
                                backend?: {
                                    /** @description tfjs backend: tensorflow, wasm or cpu. */
                                    name: string;
                                    /** @description npm package that provides it. */
                                    package: string;
                                    /** @description Whether it runs on a CUDA device. */
                                    gpu: boolean;
                                };
                                /** @description The worker slot that runs the job (or, once it ended, ran it last). */
                                worker?: {
                                    /** @description The worker process, as host:pid. */
                                    name: string;
                                    /** @description The worker's slot the job runs in, 0 .. WORKER_CONCURRENCY - 1 (one training child each). */
                                    slot: number;
                                };
                                /** @description Data-parallel replicas (threads) the latest attempt trains with (training.replicas resolved). */
                                replicas?: number;
                                /**
                                 * @description A training job. `tasks`, `weighting` and `training` may be left out (every field of theirs has a default: all three tasks, uncertainty weighting, one epoch of batches of 4); `dataset` and `model` are required.
                                 * @example {
                                 *       "dataset": {
                                 *         "kind": "synthetic",
                                 *         "scenes": 8,
                                 *         "size": [
                                 *           64,
                                 *           128
                                 *         ],
                                 *         "seed": 1
                                 *       },
                                 *       "tasks": [
                                 *         "segmentation",
                                 *         "instances",
                                 *         "depth"
                                 *       ],
                                 *       "weighting": {
                                 *         "strategy": "uncertainty"
                                 *       },
                                 *       "model": {
                                 *         "width": 8,
                                 *         "inputSize": [
                                 *           64,
                                 *           128
                                 *         ]
                                 *       },
                                 *       "training": {
                                 *         "epochs": 2,
                                 *         "batchSize": 4
                                 *       }
                                 *     }
                                 */
                                spec: {
                                    /** @description A name for the job and its model, 1 to 128 characters (no control characters); filter lists with ?name=. */
                                    name?: string;
                                    /** @description Up to 16 labels, key -> value, copied to the model; keys are 1 to 63 letters, digits, ".", "_", "-" or "/", starting with a letter or digit; values at most 128 characters. Filter lists with ?label=key:value. */
                                    labels?: {
                                        [key: string]: string;
                                    };
                                    dataset: {
                                        /** @enum {string} */
                                        kind: "synthetic";
                                        /**
                                         * @description Training scenes
                                         * @default 16
                                         */
                                        scenes: number;
                                        /** @description Validation scenes (default: a quarter of scenes, at least 2) */
                                        validationScenes?: number;
                                        /** @description [height, width] of the generated images */
                                        size: number[];
                                        /**
                                         * @description Generator seed
                                         * @default 1
                                         */
                                        seed: number;
                                    } | {
                                        /** @enum {string} */
                                        kind: "cityscapes";
                                        /** @description Directory relative to DATA_DIR */
                                        path: string;
                                        /** @default train */
                                        trainSplit: string;
                                        /** @default val */
                                        validationSplit: string;
                                    };
                                    /**
                                     * @default [
                                     *       "segmentation",
                                     *       "instances",
                                     *       "depth"
                                     *     ]
                                     */
                                    tasks: ("segmentation" | "instances" | "depth")[];
                                    /** @default {} */
                                    weighting: {
                                        /**
                                         * @description How task losses are combined
                                         * @default uncertainty
                                         * @enum {string}
                                         */
                                        strategy: "uncertainty" | "uncertainty-positive" | "fixed" | "equal" | "gradnorm" | "dwa";
                                        weights?: {
                                            segmentation?: number;
                                            instances?: number;
                                            depth?: number;
                                        };
                                        /** @description Uncertainty strategies: where s = log sigma^2 starts. "auto" (default): s of each task set, before the first step, to the optimum of the form for the first batch's raw loss (regression log L, classification log 2L; positive form log(L/4 + sqrt(L^2/16 + L/2))). A number: that s for every task (0, sigma = 1, is the paper's start). An object: s per task, tasks left out start at "auto". */
                                        initialLogVariance?: "auto" | number | {
                                            /** @description initial s = log sigma^2 of segmentation */
                                            segmentation?: number;
                                            /** @description initial s = log sigma^2 of instances */
                                            instances?: number;
                                            /** @description initial s = log sigma^2 of depth */
                                            depth?: number;
                                        };
                                        /** @description DWA temperature */
                                        temperature?: number;
                                        /** @description GradNorm asymmetry */
                                        alpha?: number;
                                    };
                                    model: {
                                        /** @default 16 */
                                        width: number;
                                        /** @description [height, width] the network trains at; multiples of 32 */
                                        inputSize: number[];
                                    };
                                    /** @default {} */
                                    training: {
                                        /** @default 1 */
                                        epochs: number;
                                        /** @default 4 */
                                        batchSize: number;
                                        /**
                                         * @description adam, or sgd with Nesterov momentum
                                         * @enum {string}
                                         */
                                        optimizer?: "adam" | "sgd";
                                        learningRate?: number;
                                        logVarianceLearningRate?: number;
                                        momentum?: number;
                                        weightDecay?: number;
                                        /**
                                         * @description Learning-rate schedule
                                         * @enum {string}
                                         */
                                        schedule?: "poly" | "constant";
                                        /** @default 1 */
                                        seed: number;
                                        /**
                                         * @description Random horizontal flips
                                         * @default true
                                         */
                                        augment: boolean;
                                        /**
                                         * @description Synchronous data-parallel replicas (threads) sharing each batch, at most batchSize. auto: one per CPU core the worker gives the job (at least 2 samples each), 1 on the native tensorflow backend. Batch norm uses per-replica statistics, so set a number for runs that must repeat exactly on other machines.
                                         * @default auto
                                         */
                                        replicas: number | "auto";
                                    };
                                };
                                /** @description Finished epochs with validation metrics. */
                                history: {
                                    /** @description Epochs done (1-based). */
                                    epoch: number;
                                    /** @description Mean raw (unweighted) loss of each task over the epoch. */
                                    losses: {
                                        segmentation?: number;
                                        instances?: number;
                                        depth?: number;
                                    };
                                    /** @description Effective weight of each task at the end of the epoch. */
                                    weights: {
                                        segmentation?: number;
                                        instances?: number;
                                        depth?: number;
                                    };
                                    /** @description Learned log-variances s = log sigma^2 (uncertainty strategies). */
                                    logVariances?: {
                                        segmentation?: number;
                                        instances?: number;
                                        depth?: number;
                                    };
                                    /** @description sigma = exp(s / 2) per task (uncertainty strategies). */
                                    sigmas?: {
                                        segmentation?: number;
                                        instances?: number;
                                        depth?: number;
                                    };
                                    /** @description Optimum s* of the form for the running mean raw loss (bias-corrected exponential average, decay 0.98, ~50 steps; uncertainty strategies). */
                                    optimalLogVariances?: {
                                        segmentation?: number;
                                        instances?: number;
                                        depth?: number;
                                    };
                                    /** @description s - s* per task (uncertainty strategies). */
                                    logVarianceGaps?: {
                                        segmentation?: number;
                                        instances?: number;
                                        depth?: number;
                                    };
                                    learningRate: number;
                                    /** @description Validation metrics after the epoch. */
                                    metrics?: {
                                        [key: string]: unknown;
                                    };
                                    durationMs: number;
                                    /** @description Checkpoint written after the epoch. */
                                    checkpoint?: string;
                                }[];
                                /** @description Checkpoints on disk, oldest first. */
                                checkpoints: {
                                    /** @description Directory name under ARTIFACT_DIR/jobs/{id}/checkpoints/. */
                                    name: string;
                                    /** @description Whole epochs done. */
                                    epoch: number;
                                    /** @description Steps done into the next epoch (0 = epoch end). */
                                    stepInEpoch: number;
                                    globalStep: number;
                                }[];
                            }[];
                            /** @description Jobs matching the filter, over all pages. */
                            total: number;
                            limit: number;
                            offset: number;
                        };
                    };
                };
                /** @description Invalid query (VALIDATION_ERROR). */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            error: {
                                /** @description Stable machine-readable code, UPPER_SNAKE_CASE (e.g. NOT_FOUND). */
                                code: string;
                                /** @description Human-readable explanation. */
                                message: string;
                                /** @description Structured details, e.g. the invalid fields. */
                                details?: unknown;
                            };
                        };
                    };
                };
                /** @description Missing or unknown API key (UNAUTHORIZED). */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            error: {
                                /** @description Stable machine-readable code, UPPER_SNAKE_CASE (e.g. NOT_FOUND). */
                                code: string;
                                /** @description Human-readable explanation. */
                                message: string;
                                /** @description Structured details, e.g. the invalid fields. */
                                details?: unknown;
                            };
                        };
                    };
                };
                /** @description Redis unreachable (SERVICE_UNAVAILABLE). */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            error: {
                                /** @description Stable machine-readable code, UPPER_SNAKE_CASE (e.g. NOT_FOUND). */
                                code: string;
                                /** @description Human-readable explanation. */
                                message: string;
                                /** @description Structured details, e.g. the invalid fields. */
                                details?: unknown;
                            };
                        };
                    };
                };
            };
        };
        put?: never;
        /**
         * Submit a training job
         * @description Validates the whole spec (every invalid field is named in `details`: the first 10 and a count of the rest), checks the dataset (a CityScapes path inside DATA_DIR with both splits) and the job's estimated cost against the configured limits and the free disk, and queues the job. `tasks`, `weighting` and `training` may be left out. A body over 64 KiB is refused (413). With `Idempotency-Key`, a resubmission returns the same job (`Idempotent-Replayed: true`).
         */
        post: {
            parameters: {
                query?: never;
                header?: {
                    /** @description Makes retries safe: a resubmission with the same key and body within 24 h returns the same job (409 if the body differs). */
                    "idempotency-key"?: string;
                };
                path?: never;
                cookie?: never;
            };
            /** @description A training job. `tasks`, `weighting` and `training` may be left out (every field of theirs has a default: all three tasks, uncertainty weighting, one epoch of batches of 4); `dataset` and `model` are required. */
            requestBody: {
                content: {
                    /**
                     * @example {
                     *       "dataset": {
                     *         "kind": "synthetic",
                     *         "scenes": 8,
                     *         "size": [
                     *           64,
                     *           128
                     *         ],
                     *         "seed": 1
                     *       },
                     *       "tasks": [
                     *         "segmentation",
                     *         "instances",
                     *         "depth"
                     *       ],
                     *       "weighting": {
                     *         "strategy": "uncertainty"
                     *       },
                     *       "model": {
                     *         "width": 8,
                     *         "inputSize": [
                     *           64,
                     *           128
                     *         ]
                     *       },
                     *       "training": {
                     *         "epochs": 2,
                     *         "batchSize": 4
                     *       }
                     *     }
                     */
                    "application/json": {
                        /** @description A name for the job and its model, 1 to 128 characters (no control characters); filter lists with ?name=. */
                        name?: string;
                        /** @description Up to 16 labels, key -> value, copied to the model; keys are 1 to 63 letters, digits, ".", "_", "-" or "/", starting with a letter or digit; values at most 128 characters. Filter lists with ?label=key:value. */
                        labels?: {
                            [key: string]: string;
                        };
                        dataset: {
                            /** @enum {string} */
                            kind: "synthetic";
                            /**
                             * @description Training scenes
                             * @default 16
                             */
                            scenes?: number;
                            /** @description Validation scenes (default: a quarter of scenes, at least 2) */
                            validationScenes?: number;
                            /** @description [height, width] of the generated images */
                            size: number[];
                            /**
                             * @description Generator seed
                             * @default 1
                             */
                            seed?: number;
                        } | {
                            /** @enum {string} */
                            kind: "cityscapes";
                            /** @description Directory relative to DATA_DIR */
                            path: string;
                            /** @default train */
                            trainSplit?: string;
                            /** @default val */
                            validationSplit?: string;
                        };
                        /**
                         * @default [
                         *       "segmentation",
                         *       "instances",
                         *       "depth"
                         *     ]
                         */
                        tasks?: ("segmentation" | "instances" | "depth")[];
                        /** @default {} */
                        weighting?: {
                            /**
                             * @description How task losses are combined
                             * @default uncertainty
                             * @enum {string}
                             */
                            strategy?: "uncertainty" | "uncertainty-positive" | "fixed" | "equal" | "gradnorm" | "dwa";
                            weights?: {
                                segmentation?: number;
                                instances?: number;
                                depth?: number;
                            };
                            /** @description Uncertainty strategies: where s = log sigma^2 starts. "auto" (default): s of each task set, before the first step, to the optimum of the form for the first batch's raw loss (regression log L, classification log 2L; positive form log(L/4 + sqrt(L^2/16 + L/2))). A number: that s for every task (0, sigma = 1, is the paper's start). An object: s per task, tasks left out start at "auto". */
                            initialLogVariance?: "auto" | number | {
                                /** @description initial s = log sigma^2 of segmentation */
                                segmentation?: number;
                                /** @description initial s = log sigma^2 of instances */
                                instances?: number;
                                /** @description initial s = log sigma^2 of depth */
                                depth?: number;
                            };
                            /** @description DWA temperature */
                            temperature?: number;
                            /** @description GradNorm asymmetry */
                            alpha?: number;
                        };
                        model: {
                            /** @default 16 */
                            width?: number;
                            /** @description [height, width] the network trains at; multiples of 32 */
                            inputSize: number[];
                        };
                        /** @default {} */
                        training?: {
                            /** @default 1 */
                            epochs?: number;
                            /** @default 4 */
                            batchSize?: number;
                            /**
                             * @description adam, or sgd with Nesterov momentum
                             * @enum {string}
                             */
                            optimizer?: "adam" | "sgd";
                            learningRate?: number;
                            logVarianceLearningRate?: number;
                            momentum?: number;
                            weightDecay?: number;
                            /**
                             * @description Learning-rate schedule
                             * @enum {string}
                             */
                            schedule?: "poly" | "constant";
                            /** @default 1 */
                            seed?: number;
                            /**
                             * @description Random horizontal flips
                             * @default true
                             */
                            augment?: boolean;
                            /**
                             * @description Synchronous data-parallel replicas (threads) sharing each batch, at most batchSize. auto: one per CPU core the worker gives the job (at least 2 samples each), 1 on the native tensorflow backend. Batch norm uses per-replica statistics, so set a number for runs that must repeat exactly on other machines.
                             * @default auto
                             */
                            replicas?: number | "auto";
                        };
                    };
                };
            };
            responses: {
                /** @description Queued (or the earlier job of the same Idempotency-Key). */
                202: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Job id; also the id of the model it produces. */
                            id: string;
                            /** @description A name for the job and its model, 1 to 128 characters (no control characters); filter lists with ?name=. */
                            name?: string;
                            /** @description Up to 16 labels, key -> value, copied to the model; keys are 1 to 63 letters, digits, ".", "_", "-" or "/", starting with a letter or digit; values at most 128 characters. Filter lists with ?label=key:value. */
                            labels?: {
                                [key: string]: string;
                            };
                            /**
                             * @description queued: waiting for a worker (also after a worker stopped and before another resumes it); running: a worker trains it; cancelling: a running job asked to stop, until its worker has stopped it (within a few seconds, in any phase); completed: the model is saved; failed: it stopped with an error; cancelled: stopped on request.
                             * @enum {string}
                             */
                            status: "queued" | "running" | "cancelling" | "completed" | "failed" | "cancelled";
                            /** @description Where training stands. */
                            progress?: {
                                /**
                                 * @description preparing: building the dataset; training; validating; saving the model. Absent once the job has ended (completed, failed, cancelled).
                                 * @enum {string}
                                 */
                                phase?: "preparing" | "training" | "validating" | "saving";
                                /** @description Steps done over all steps, in %. */
                                percent: number;
                                /** @description Estimated seconds until the job ends (null until a few steps ran). */
                                etaSeconds: number | null;
                                /** @description Epoch in progress, 1-based. */
                                epoch?: number;
                                epochs?: number;
                                /** @description Steps done over all epochs. */
                                step?: number;
                                totalSteps?: number;
                                stepInEpoch?: number;
                                stepsPerEpoch?: number;
                                /** @description Raw (unweighted) loss of each task on the latest batch. */
                                losses?: {
                                    segmentation?: number;
                                    instances?: number;
                                    depth?: number;
                                };
                                /** @description The weighted total that was minimised. */
                                totalLoss?: number;
                                /** @description Effective weight of each task. */
                                weights?: {
                                    segmentation?: number;
                                    instances?: number;
                                    depth?: number;
                                };
                                /** @description Learned log-variances s = log sigma^2 (uncertainty strategies). */
                                logVariances?: {
                                    segmentation?: number;
                                    instances?: number;
                                    depth?: number;
                                };
                                /** @description sigma = exp(s / 2) per task (uncertainty strategies). */
                                sigmas?: {
                                    segmentation?: number;
                                    instances?: number;
                                    depth?: number;
                                };
                                /** @description Optimum s* of the form for the running mean raw loss (bias-corrected exponential average, decay 0.98, ~50 steps; uncertainty strategies). */
                                optimalLogVariances?: {
                                    segmentation?: number;
                                    instances?: number;
                                    depth?: number;
                                };
                                /** @description s - s* per task (uncertainty strategies). */
                                logVarianceGaps?: {
                                    segmentation?: number;
                                    instances?: number;
                                    depth?: number;
                                };
                                learningRate?: number;
                                /** @description Duration of the latest step. */
                                stepMs?: number;
                                /** Format: date-time */
                                updatedAt: string;
                            };
                            /** @description The trained model (when completed). */
                            modelId?: string;
                            /** @description Validation metrics of the last epoch. */
                            metrics?: {
                                [key: string]: unknown;
                            };
                            /** @description Why the job failed. */
                            error?: {
                                /** @description e.g. VALIDATION_ERROR, DATASET_ERROR, TRAINING_FAILED, STALLED. */
                                code: string;
                                message: string;
                            };
                            /** Format: date-time */
                            createdAt: string;
                            /**
                             * Format: date-time
                             * @description First start by a worker.
                             */
                            startedAt?: string;
                            /** Format: date-time */
                            finishedAt?: string;
                            /** Format: date-time */
                            cancelRequestedAt?: string;
                            /** @description Tries of the job: a failure is retried up to max (JOB_ATTEMPTS); a worker stopping or dying does not use one. */
                            attempts: {
                                /** @description Attempts made, the successful one included. */
                                made: number;
                                max: number;
                            };
                            /** @description Checkpoint the latest attempt resumed from. */
                            resumedFrom?: string;
                            /** @description Global step of resumedFrom: the latest attempt trained on from this step. */
                            resumedAtStep?: number;
                            /** @description Compute backend of the worker. */
                            backend?: {
                                /** @description tfjs backend: tensorflow, wasm or cpu. */
                                name: string;
                                /** @description npm package that provides it. */
                                package: string;
                                /** @description Whether it runs on a CUDA device. */
                                gpu: boolean;
                            };
                            /** @description The worker slot that runs the job (or, once it ended, ran it last). */
                            worker?: {
                                /** @description The worker process, as host:pid. */
                                name: string;
                                /** @description The worker's slot the job runs in, 0 .. WORKER_CONCURRENCY - 1 (one training child each). */
                                slot: number;
                            };
                            /** @description Data-parallel replicas (threads) the latest attempt trains with (training.replicas resolved). */
                            replicas?: number;
                            /**
                             * @description A training job. `tasks`, `weighting` and `training` may be left out (every field of theirs has a default: all three tasks, uncertainty weighting, one epoch of batches of 4); `dataset` and `model` are required.
                             * @example {
                             *       "dataset": {
                             *         "kind": "synthetic",
                             *         "scenes": 8,
                             *         "size": [
                             *           64,
                             *           128
                             *         ],
                             *         "seed": 1
                             *       },
                             *       "tasks": [
                             *         "segmentation",
                             *         "instances",
                             *         "depth"
                             *       ],
                             *       "weighting": {
                             *         "strategy": "uncertainty"
                             *       },
                             *       "model": {
                             *         "width": 8,
                             *         "inputSize": [
                             *           64,
                             *           128
                             *         ]
                             *       },
                             *       "training": {
                             *         "epochs": 2,
                             *         "batchSize": 4
                             *       }
                             *     }
                             */
                            spec: {
                                /** @description A name for the job and its model, 1 to 128 characters (no control characters); filter lists with ?name=. */
                                name?: string;
                                /** @description Up to 16 labels, key -> value, copied to the model; keys are 1 to 63 letters, digits, ".", "_", "-" or "/", starting with a letter or digit; values at most 128 characters. Filter lists with ?label=key:value. */
                                labels?: {
                                    [key: string]: string;
                                };
                                dataset: {
                                    /** @enum {string} */
                                    kind: "synthetic";
                                    /**
                                     * @description Training scenes
                                     * @default 16
                                     */
                                    scenes: number;
                                    /** @description Validation scenes (default: a quarter of scenes, at least 2) */
                                    validationScenes?: number;
                                    /** @description [height, width] of the generated images */
                                    size: number[];
                                    /**
                                     * @description Generator seed
                                     * @default 1
                                     */
                                    seed: number;
                                } | {
                                    /** @enum {string} */
                                    kind: "cityscapes";
                                    /** @description Directory relative to DATA_DIR */
                                    path: string;
                                    /** @default train */
                                    trainSplit: string;
                                    /** @default val */
                                    validationSplit: string;
                                };
                                /**
                                 * @default [
                                 *       "segmentation",
                                 *       "instances",
                                 *       "depth"
                                 *     ]
                                 */
                                tasks: ("segmentation" | "instances" | "depth")[];
                                /** @default {} */
                                weighting: {
                                    /**
                                     * @description How task losses are combined
                                     * @default uncertainty
                                     * @enum {string}
                                     */
                                    strategy: "uncertainty" | "uncertainty-positive" | "fixed" | "equal" | "gradnorm" | "dwa";
                                    weights?: {
                                        segmentation?: number;
                                        instances?: number;
                                        depth?: number;
                                    };
                                    /** @description Uncertainty strategies: where s = log sigma^2 starts. "auto" (default): s of each task set, before the first step, to the optimum of the form for the first batch's raw loss (regression log L, classification log 2L; positive form log(L/4 + sqrt(L^2/16 + L/2))). A number: that s for every task (0, sigma = 1, is the paper's start). An object: s per task, tasks left out start at "auto". */
                                    initialLogVariance?: "auto" | number | {
                                        /** @description initial s = log sigma^2 of segmentation */
                                        segmentation?: number;
                                        /** @description initial s = log sigma^2 of instances */
                                        instances?: number;
                                        /** @description initial s = log sigma^2 of depth */
                                        depth?: number;
                                    };
                                    /** @description DWA temperature */
                                    temperature?: number;
                                    /** @description GradNorm asymmetry */
                                    alpha?: number;
                                };
                                model: {
                                    /** @default 16 */
                                    width: number;
                                    /** @description [height, width] the network trains at; multiples of 32 */
                                    inputSize: number[];
                                };
                                /** @default {} */
                                training: {
                                    /** @default 1 */
                                    epochs: number;
                                    /** @default 4 */
                                    batchSize: number;
                                    /**
                                     * @description adam, or sgd with Nesterov momentum
                                     * @enum {string}
                                     */
                                    optimizer?: "adam" | "sgd";
                                    learningRate?: number;
                                    logVarianceLearningRate?: number;
                                    momentum?: number;
                                    weightDecay?: number;
                                    /**
                                     * @description Learning-rate schedule
                                     * @enum {string}
                                     */
                                    schedule?: "poly" | "constant";
                                    /** @default 1 */
                                    seed: number;
                                    /**
                                     * @description Random horizontal flips
                                     * @default true
                                     */
                                    augment: boolean;
                                    /**
                                     * @description Synchronous data-parallel replicas (threads) sharing each batch, at most batchSize. auto: one per CPU core the worker gives the job (at least 2 samples each), 1 on the native tensorflow backend. Batch norm uses per-replica statistics, so set a number for runs that must repeat exactly on other machines.
                                     * @default auto
                                     */
                                    replicas: number | "auto";
                                };
                            };
                            /** @description Finished epochs with validation metrics. */
                            history: {
                                /** @description Epochs done (1-based). */
                                epoch: number;
                                /** @description Mean raw (unweighted) loss of each task over the epoch. */
                                losses: {
                                    segmentation?: number;
                                    instances?: number;
                                    depth?: number;
                                };
                                /** @description Effective weight of each task at the end of the epoch. */
                                weights: {
                                    segmentation?: number;
                                    instances?: number;
                                    depth?: number;
                                };
                                /** @description Learned log-variances s = log sigma^2 (uncertainty strategies). */
                                logVariances?: {
                                    segmentation?: number;
                                    instances?: number;
                                    depth?: number;
                                };
                                /** @description sigma = exp(s / 2) per task (uncertainty strategies). */
                                sigmas?: {
                                    segmentation?: number;
                                    instances?: number;
                                    depth?: number;
                                };
                                /** @description Optimum s* of the form for the running mean raw loss (bias-corrected exponential average, decay 0.98, ~50 steps; uncertainty strategies). */
                                optimalLogVariances?: {
                                    segmentation?: number;
                                    instances?: number;
                                    depth?: number;
                                };
                                /** @description s - s* per task (uncertainty strategies). */
                                logVarianceGaps?: {
                                    segmentation?: number;
                                    instances?: number;
                                    depth?: number;
                                };
                                learningRate: number;
                                /** @description Validation metrics after the epoch. */
                                metrics?: {
                                    [key: string]: unknown;
                                };
                                durationMs: number;
                                /** @description Checkpoint written after the epoch. */
                                checkpoint?: string;
                            }[];
                            /** @description Checkpoints on disk, oldest first. */
                            checkpoints: {
                                /** @description Directory name under ARTIFACT_DIR/jobs/{id}/checkpoints/. */
                                name: string;
                                /** @description Whole epochs done. */
                                epoch: number;
                                /** @description Steps done into the next epoch (0 = epoch end). */
                                stepInEpoch: number;
                                globalStep: number;
                            }[];
                        };
                    };
                };
                /** @description Invalid spec (VALIDATION_ERROR, with details). */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            error: {
                                /** @description Stable machine-readable code, UPPER_SNAKE_CASE (e.g. NOT_FOUND). */
                                code: string;
                                /** @description Human-readable explanation. */
                                message: string;
                                /** @description Structured details, e.g. the invalid fields. */
                                details?: unknown;
                            };
                        };
                    };
                };
                /** @description Missing or unknown API key (UNAUTHORIZED). */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            error: {
                                /** @description Stable machine-readable code, UPPER_SNAKE_CASE (e.g. NOT_FOUND). */
                                code: string;
                                /** @description Human-readable explanation. */
                                message: string;
                                /** @description Structured details, e.g. the invalid fields. */
                                details?: unknown;
                            };
                        };
                    };
                };
                /** @description Idempotency-Key reused with another body (CONFLICT). */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            error: {
                                /** @description Stable machine-readable code, UPPER_SNAKE_CASE (e.g. NOT_FOUND). */
                                code: string;
                                /** @description Human-readable explanation. */
                                message: string;
                                /** @description Structured details, e.g. the invalid fields. */
                                details?: unknown;
                            };
                        };
                    };
                };
                /** @description Body over 64 KiB (PAYLOAD_TOO_LARGE). */
                413: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            error: {
                                /** @description Stable machine-readable code, UPPER_SNAKE_CASE (e.g. NOT_FOUND). */
                                code: string;
                                /** @description Human-readable explanation. */
                                message: string;
                                /** @description Structured details, e.g. the invalid fields. */
                                details?: unknown;
                            };
                        };
                    };
                };
                /** @description The body is not application/json (UNSUPPORTED_MEDIA_TYPE). */
                415: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            error: {
                                /** @description Stable machine-readable code, UPPER_SNAKE_CASE (e.g. NOT_FOUND). */
                                code: string;
                                /** @description Human-readable explanation. */
                                message: string;
                                /** @description Structured details, e.g. the invalid fields. */
                                details?: unknown;
                            };
                        };
                    };
                };
                /** @description Dataset path outside DATA_DIR or missing, a split missing or empty (DATASET_ERROR); the job is over a cost limit (JOB_TOO_LARGE: MAX_JOB_GENERATED_PIXELS, MAX_JOB_DATASET_BYTES, MAX_JOB_TRAINING_STEPS) or would leave less free disk than DISK_RESERVE_BYTES (INSUFFICIENT_DISK); the message names the limit and the numbers. */
                422: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            error: {
                                /** @description Stable machine-readable code, UPPER_SNAKE_CASE (e.g. NOT_FOUND). */
                                code: string;
                                /** @description Human-readable explanation. */
                                message: string;
                                /** @description Structured details, e.g. the invalid fields. */
                                details?: unknown;
                            };
                        };
                    };
                };
                /** @description Queue full (MAX_QUEUED_JOBS) or Redis down; see Retry-After. */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            error: {
                                /** @description Stable machine-readable code, UPPER_SNAKE_CASE (e.g. NOT_FOUND). */
                                code: string;
                                /** @description Human-readable explanation. */
                                message: string;
                                /** @description Structured details, e.g. the invalid fields. */
                                details?: unknown;
                            };
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/training-jobs/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Get a training job
         * @description Status, progress with ETA (its phase absent once the job has ended), model id (completed), metrics, error (failed), name and labels first; then attempts, backend, spec, per-epoch history with validation metrics and checkpoints. `?view=summary` leaves out spec, history and checkpoints, for cheap polling.
         */
        get: {
            parameters: {
                query?: {
                    /** @description full: the whole job; summary: without spec, history and checkpoints (for polling: status, progress, modelId, metrics, error). */
                    view?: "full" | "summary";
                };
                header?: never;
                path: {
                    /** @description Job id, as returned by POST /v1/training-jobs. */
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description The job (?view=full, the default) or its summary (?view=summary). */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Job id; also the id of the model it produces. */
                            id: string;
                            /** @description A name for the job and its model, 1 to 128 characters (no control characters); filter lists with ?name=. */
                            name?: string;
                            /** @description Up to 16 labels, key -> value, copied to the model; keys are 1 to 63 letters, digits, ".", "_", "-" or "/", starting with a letter or digit; values at most 128 characters. Filter lists with ?label=key:value. */
                            labels?: {
                                [key: string]: string;
                            };
                            /**
                             * @description queued: waiting for a worker (also after a worker stopped and before another resumes it); running: a worker trains it; cancelling: a running job asked to stop, until its worker has stopped it (within a few seconds, in any phase); completed: the model is saved; failed: it stopped with an error; cancelled: stopped on request.
                             * @enum {string}
                             */
                            status: "queued" | "running" | "cancelling" | "completed" | "failed" | "cancelled";
                            /** @description Where training stands. */
                            progress?: {
                                /**
                                 * @description preparing: building the dataset; training; validating; saving the model. Absent once the job has ended (completed, failed, cancelled).
                                 * @enum {string}
                                 */
                                phase?: "preparing" | "training" | "validating" | "saving";
                                /** @description Steps done over all steps, in %. */
                                percent: number;
                                /** @description Estimated seconds until the job ends (null until a few steps ran). */
                                etaSeconds: number | null;
                                /** @description Epoch in progress, 1-based. */
                                epoch?: number;
                                epochs?: number;
                                /** @description Steps done over all epochs. */
                                step?: number;
                                totalSteps?: number;
                                stepInEpoch?: number;
                                stepsPerEpoch?: number;
                                /** @description Raw (unweighted) loss of each task on the latest batch. */
                                losses?: {
                                    segmentation?: number;
                                    instances?: number;
                                    depth?: number;
                                };
                                /** @description The weighted total that was minimised. */
                                totalLoss?: number;
                                /** @description Effective weight of each task. */
                                weights?: {
                                    segmentation?: number;
                                    instances?: number;
                                    depth?: number;
                                };
                                /** @description Learned log-variances s = log sigma^2 (uncertainty strategies). */
                                logVariances?: {
                                    segmentation?: number;
                                    instances?: number;
                                    depth?: number;
                                };
                                /** @description sigma = exp(s / 2) per task (uncertainty strategies). */
                                sigmas?: {
                                    segmentation?: number;
                                    instances?: number;
                                    depth?: number;
                                };
                                /** @description Optimum s* of the form for the running mean raw loss (bias-corrected exponential average, decay 0.98, ~50 steps; uncertainty strategies). */
                                optimalLogVariances?: {
                                    segmentation?: number;
                                    instances?: number;
                                    depth?: number;
                                };
                                /** @description s - s* per task (uncertainty strategies). */
                                logVarianceGaps?: {
                                    segmentation?: number;
                                    instances?: number;
                                    depth?: number;
                                };
                                learningRate?: number;
                                /** @description Duration of the latest step. */
                                stepMs?: number;
                                /** Format: date-time */
                                updatedAt: string;
                            };
                            /** @description The trained model (when completed). */
                            modelId?: string;
                            /** @description Validation metrics of the last epoch. */
                            metrics?: {
                                [key: string]: unknown;
                            };
                            /** @description Why the job failed. */
                            error?: {
                                /** @description e.g. VALIDATION_ERROR, DATASET_ERROR, TRAINING_FAILED, STALLED. */
                                code: string;
                                message: string;
                            };
                            /** Format: date-time */
                            createdAt: string;
                            /**
                             * Format: date-time
                             * @description First start by a worker.
                             */
                            startedAt?: string;
                            /** Format: date-time */
                            finishedAt?: string;
                            /** Format: date-time */
                            cancelRequestedAt?: string;
                            /** @description Tries of the job: a failure is retried up to max (JOB_ATTEMPTS); a worker stopping or dying does not use one. */
                            attempts: {
                                /** @description Attempts made, the successful one included. */
                                made: number;
                                max: number;
                            };
                            /** @description Checkpoint the latest attempt resumed from. */
                            resumedFrom?: string;
                            /** @description Global step of resumedFrom: the latest attempt trained on from this step. */
                            resumedAtStep?: number;
                            /** @description Compute backend of the worker. */
                            backend?: {
                                /** @description tfjs backend: tensorflow, wasm or cpu. */
                                name: string;
                                /** @description npm package that provides it. */
                                package: string;
                                /** @description Whether it runs on a CUDA device. */
                                gpu: boolean;
                            };
                            /** @description The worker slot that runs the job (or, once it ended, ran it last). */
                            worker?: {
                                /** @description The worker process, as host:pid. */
                                name: string;
                                /** @description The worker's slot the job runs in, 0 .. WORKER_CONCURRENCY - 1 (one training child each). */
                                slot: number;
                            };
                            /** @description Data-parallel replicas (threads) the latest attempt trains with (training.replicas resolved). */
                            replicas?: number;
                            /**
                             * @description A training job. `tasks`, `weighting` and `training` may be left out (every field of theirs has a default: all three tasks, uncertainty weighting, one epoch of batches of 4); `dataset` and `model` are required.
                             * @example {
                             *       "dataset": {
                             *         "kind": "synthetic",
                             *         "scenes": 8,
                             *         "size": [
                             *           64,
                             *           128
                             *         ],
                             *         "seed": 1
                             *       },
                             *       "tasks": [
                             *         "segmentation",
                             *         "instances",
                             *         "depth"
                             *       ],
                             *       "weighting": {
                             *         "strategy": "uncertainty"
                             *       },
                             *       "model": {
                             *         "width": 8,
                             *         "inputSize": [
                             *           64,
                             *           128
                             *         ]
                             *       },
                             *       "training": {
                             *         "epochs": 2,
                             *         "batchSize": 4
                             *       }
                             *     }
                             */
                            spec: {
                                /** @description A name for the job and its model, 1 to 128 characters (no control characters); filter lists with ?name=. */
                                name?: string;
                                /** @description Up to 16 labels, key -> value, copied to the model; keys are 1 to 63 letters, digits, ".", "_", "-" or "/", starting with a letter or digit; values at most 128 characters. Filter lists with ?label=key:value. */
                                labels?: {
                                    [key: string]: string;
                                };
                                dataset: {
                                    /** @enum {string} */
                                    kind: "synthetic";
                                    /**
                                     * @description Training scenes
                                     * @default 16
                                     */
                                    scenes: number;
                                    /** @description Validation scenes (default: a quarter of scenes, at least 2) */
                                    validationScenes?: number;
                                    /** @description [height, width] of the generated images */
                                    size: number[];
                                    /**
                                     * @description Generator seed
                                     * @default 1
                                     */
                                    seed: number;
                                } | {
                                    /** @enum {string} */
                                    kind: "cityscapes";
                                    /** @description Directory relative to DATA_DIR */
                                    path: string;
                                    /** @default train */
                                    trainSplit: string;
                                    /** @default val */
                                    validationSplit: string;
                                };
                                /**
                                 * @default [
                                 *       "segmentation",
                                 *       "instances",
                                 *       "depth"
                                 *     ]
                                 */
                                tasks: ("segmentation" | "instances" | "depth")[];
                                /** @default {} */
                                weighting: {
                                    /**
                                     * @description How task losses are combined
                                     * @default uncertainty
                                     * @enum {string}
                                     */
                                    strategy: "uncertainty" | "uncertainty-positive" | "fixed" | "equal" | "gradnorm" | "dwa";
                                    weights?: {
                                        segmentation?: number;
                                        instances?: number;
                                        depth?: number;
                                    };
                                    /** @description Uncertainty strategies: where s = log sigma^2 starts. "auto" (default): s of each task set, before the first step, to the optimum of the form for the first batch's raw loss (regression log L, classification log 2L; positive form log(L/4 + sqrt(L^2/16 + L/2))). A number: that s for every task (0, sigma = 1, is the paper's start). An object: s per task, tasks left out start at "auto". */
                                    initialLogVariance?: "auto" | number | {
                                        /** @description initial s = log sigma^2 of segmentation */
                                        segmentation?: number;
                                        /** @description initial s = log sigma^2 of instances */
                                        instances?: number;
                                        /** @description initial s = log sigma^2 of depth */
                                        depth?: number;
                                    };
                                    /** @description DWA temperature */
                                    temperature?: number;
                                    /** @description GradNorm asymmetry */
                                    alpha?: number;
                                };
                                model: {
                                    /** @default 16 */
                                    width: number;
                                    /** @description [height, width] the network trains at; multiples of 32 */
                                    inputSize: number[];
                                };
                                /** @default {} */
                                training: {
                                    /** @default 1 */
                                    epochs: number;
                                    /** @default 4 */
                                    batchSize: number;
                                    /**
                                     * @description adam, or sgd with Nesterov momentum
                                     * @enum {string}
                                     */
                                    optimizer?: "adam" | "sgd";
                                    learningRate?: number;
                                    logVarianceLearningRate?: number;
                                    momentum?: number;
                                    weightDecay?: number;
                                    /**
                                     * @description Learning-rate schedule
                                     * @enum {string}
                                     */
                                    schedule?: "poly" | "constant";
                                    /** @default 1 */
                                    seed: number;
                                    /**
                                     * @description Random horizontal flips
                                     * @default true
                                     */
                                    augment: boolean;
                                    /**
                                     * @description Synchronous data-parallel replicas (threads) sharing each batch, at most batchSize. auto: one per CPU core the worker gives the job (at least 2 samples each), 1 on the native tensorflow backend. Batch norm uses per-replica statistics, so set a number for runs that must repeat exactly on other machines.
                                     * @default auto
                                     */
                                    replicas: number | "auto";
                                };
                            };
                            /** @description Finished epochs with validation metrics. */
                            history: {
                                /** @description Epochs done (1-based). */
                                epoch: number;
                                /** @description Mean raw (unweighted) loss of each task over the epoch. */
                                losses: {
                                    segmentation?: number;
                                    instances?: number;
                                    depth?: number;
                                };
                                /** @description Effective weight of each task at the end of the epoch. */
                                weights: {
                                    segmentation?: number;
                                    instances?: number;
                                    depth?: number;
                                };
                                /** @description Learned log-variances s = log sigma^2 (uncertainty strategies). */
                                logVariances?: {
                                    segmentation?: number;
                                    instances?: number;
                                    depth?: number;
                                };
                                /** @description sigma = exp(s / 2) per task (uncertainty strategies). */
                                sigmas?: {
                                    segmentation?: number;
                                    instances?: number;
                                    depth?: number;
                                };
                                /** @description Optimum s* of the form for the running mean raw loss (bias-corrected exponential average, decay 0.98, ~50 steps; uncertainty strategies). */
                                optimalLogVariances?: {
                                    segmentation?: number;
                                    instances?: number;
                                    depth?: number;
                                };
                                /** @description s - s* per task (uncertainty strategies). */
                                logVarianceGaps?: {
                                    segmentation?: number;
                                    instances?: number;
                                    depth?: number;
                                };
                                learningRate: number;
                                /** @description Validation metrics after the epoch. */
                                metrics?: {
                                    [key: string]: unknown;
                                };
                                durationMs: number;
                                /** @description Checkpoint written after the epoch. */
                                checkpoint?: string;
                            }[];
                            /** @description Checkpoints on disk, oldest first. */
                            checkpoints: {
                                /** @description Directory name under ARTIFACT_DIR/jobs/{id}/checkpoints/. */
                                name: string;
                                /** @description Whole epochs done. */
                                epoch: number;
                                /** @description Steps done into the next epoch (0 = epoch end). */
                                stepInEpoch: number;
                                globalStep: number;
                            }[];
                        } | {
                            /** @description Job id; also the id of the model it produces. */
                            id: string;
                            /** @description A name for the job and its model, 1 to 128 characters (no control characters); filter lists with ?name=. */
                            name?: string;
                            /** @description Up to 16 labels, key -> value, copied to the model; keys are 1 to 63 letters, digits, ".", "_", "-" or "/", starting with a letter or digit; values at most 128 characters. Filter lists with ?label=key:value. */
                            labels?: {
                                [key: string]: string;
                            };
                            /**
                             * @description queued: waiting for a worker (also after a worker stopped and before another resumes it); running: a worker trains it; cancelling: a running job asked to stop, until its worker has stopped it (within a few seconds, in any phase); completed: the model is saved; failed: it stopped with an error; cancelled: stopped on request.
                             * @enum {string}
                             */
                            status: "queued" | "running" | "cancelling" | "completed" | "failed" | "cancelled";
                            /** @description Where training stands. */
                            progress?: {
                                /**
                                 * @description preparing: building the dataset; training; validating; saving the model. Absent once the job has ended (completed, failed, cancelled).
                                 * @enum {string}
                                 */
                                phase?: "preparing" | "training" | "validating" | "saving";
                                /** @description Steps done over all steps, in %. */
                                percent: number;
                                /** @description Estimated seconds until the job ends (null until a few steps ran). */
                                etaSeconds: number | null;
                                /** @description Epoch in progress, 1-based. */
                                epoch?: number;
                                epochs?: number;
                                /** @description Steps done over all epochs. */
                                step?: number;
                                totalSteps?: number;
                                stepInEpoch?: number;
                                stepsPerEpoch?: number;
                                /** @description Raw (unweighted) loss of each task on the latest batch. */
                                losses?: {
                                    segmentation?: number;
                                    instances?: number;
                                    depth?: number;
                                };
                                /** @description The weighted total that was minimised. */
                                totalLoss?: number;
                                /** @description Effective weight of each task. */
                                weights?: {
                                    segmentation?: number;
                                    instances?: number;
                                    depth?: number;
                                };
                                /** @description Learned log-variances s = log sigma^2 (uncertainty strategies). */
                                logVariances?: {
                                    segmentation?: number;
                                    instances?: number;
                                    depth?: number;
                                };
                                /** @description sigma = exp(s / 2) per task (uncertainty strategies). */
                                sigmas?: {
                                    segmentation?: number;
                                    instances?: number;
                                    depth?: number;
                                };
                                /** @description Optimum s* of the form for the running mean raw loss (bias-corrected exponential average, decay 0.98, ~50 steps; uncertainty strategies). */
                                optimalLogVariances?: {
                                    segmentation?: number;
                                    instances?: number;
                                    depth?: number;
                                };
                                /** @description s - s* per task (uncertainty strategies). */
                                logVarianceGaps?: {
                                    segmentation?: number;
                                    instances?: number;
                                    depth?: number;
                                };
                                learningRate?: number;
                                /** @description Duration of the latest step. */
                                stepMs?: number;
                                /** Format: date-time */
                                updatedAt: string;
                            };
                            /** @description The trained model (when completed). */
                            modelId?: string;
                            /** @description Validation metrics of the last epoch. */
                            metrics?: {
                                [key: string]: unknown;
                            };
                            /** @description Why the job failed. */
                            error?: {
                                /** @description e.g. VALIDATION_ERROR, DATASET_ERROR, TRAINING_FAILED, STALLED. */
                                code: string;
                                message: string;
                            };
                            /** Format: date-time */
                            createdAt: string;
                            /**
                             * Format: date-time
                             * @description First start by a worker.
                             */
                            startedAt?: string;
                            /** Format: date-time */
                            finishedAt?: string;
                            /** Format: date-time */
                            cancelRequestedAt?: string;
                            /** @description Tries of the job: a failure is retried up to max (JOB_ATTEMPTS); a worker stopping or dying does not use one. */
                            attempts: {
                                /** @description Attempts made, the successful one included. */
                                made: number;
                                max: number;
                            };
                            /** @description Checkpoint the latest attempt resumed from. */
                            resumedFrom?: string;
                            /** @description Global step of resumedFrom: the latest attempt trained on from this step. */
                            resumedAtStep?: number;
                            /** @description Compute backend of the worker. */
                            backend?: {
                                /** @description tfjs backend: tensorflow, wasm or cpu. */
                                name: string;
                                /** @description npm package that provides it. */
                                package: string;
                                /** @description Whether it runs on a CUDA device. */
                                gpu: boolean;
                            };
                            /** @description The worker slot that runs the job (or, once it ended, ran it last). */
                            worker?: {
                                /** @description The worker process, as host:pid. */
                                name: string;
                                /** @description The worker's slot the job runs in, 0 .. WORKER_CONCURRENCY - 1 (one training child each). */
                                slot: number;
                            };
                            /** @description Data-parallel replicas (threads) the latest attempt trains with (training.replicas resolved). */
                            replicas?: number;
                        };
                    };
                };
                /** @description Malformed id (VALIDATION_ERROR). */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            error: {
                                /** @description Stable machine-readable code, UPPER_SNAKE_CASE (e.g. NOT_FOUND). */
                                code: string;
                                /** @description Human-readable explanation. */
                                message: string;
                                /** @description Structured details, e.g. the invalid fields. */
                                details?: unknown;
                            };
                        };
                    };
                };
                /** @description Missing or unknown API key (UNAUTHORIZED). */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            error: {
                                /** @description Stable machine-readable code, UPPER_SNAKE_CASE (e.g. NOT_FOUND). */
                                code: string;
                                /** @description Human-readable explanation. */
                                message: string;
                                /** @description Structured details, e.g. the invalid fields. */
                                details?: unknown;
                            };
                        };
                    };
                };
                /** @description Unknown job (NOT_FOUND). */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            error: {
                                /** @description Stable machine-readable code, UPPER_SNAKE_CASE (e.g. NOT_FOUND). */
                                code: string;
                                /** @description Human-readable explanation. */
                                message: string;
                                /** @description Structured details, e.g. the invalid fields. */
                                details?: unknown;
                            };
                        };
                    };
                };
                /** @description Redis unreachable (SERVICE_UNAVAILABLE). */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            error: {
                                /** @description Stable machine-readable code, UPPER_SNAKE_CASE (e.g. NOT_FOUND). */
                                code: string;
                                /** @description Human-readable explanation. */
                                message: string;
                                /** @description Structured details, e.g. the invalid fields. */
                                details?: unknown;
                            };
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        /**
         * Delete a training job
         * @description Deletes a completed, failed or cancelled job: its record, its place in the lists and its files under ARTIFACT_DIR/jobs/{id}/ (checkpoints). The model it produced stays (DELETE /v1/models/{id}). A queued or running job is refused (409 JOB_RUNNING): cancel it first.
         */
        delete: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    /** @description Job id, as returned by POST /v1/training-jobs. */
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Deleted. */
                204: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
                /** @description Malformed id (VALIDATION_ERROR). */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            error: {
                                /** @description Stable machine-readable code, UPPER_SNAKE_CASE (e.g. NOT_FOUND). */
                                code: string;
                                /** @description Human-readable explanation. */
                                message: string;
                                /** @description Structured details, e.g. the invalid fields. */
                                details?: unknown;
                            };
                        };
                    };
                };
                /** @description Missing or unknown API key (UNAUTHORIZED). */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            error: {
                                /** @description Stable machine-readable code, UPPER_SNAKE_CASE (e.g. NOT_FOUND). */
                                code: string;
                                /** @description Human-readable explanation. */
                                message: string;
                                /** @description Structured details, e.g. the invalid fields. */
                                details?: unknown;
                            };
                        };
                    };
                };
                /** @description Unknown job (NOT_FOUND). */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            error: {
                                /** @description Stable machine-readable code, UPPER_SNAKE_CASE (e.g. NOT_FOUND). */
                                code: string;
                                /** @description Human-readable explanation. */
                                message: string;
                                /** @description Structured details, e.g. the invalid fields. */
                                details?: unknown;
                            };
                        };
                    };
                };
                /** @description The job is queued or running (JOB_RUNNING). */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            error: {
                                /** @description Stable machine-readable code, UPPER_SNAKE_CASE (e.g. NOT_FOUND). */
                                code: string;
                                /** @description Human-readable explanation. */
                                message: string;
                                /** @description Structured details, e.g. the invalid fields. */
                                details?: unknown;
                            };
                        };
                    };
                };
                /** @description Redis unreachable (SERVICE_UNAVAILABLE). */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            error: {
                                /** @description Stable machine-readable code, UPPER_SNAKE_CASE (e.g. NOT_FOUND). */
                                code: string;
                                /** @description Human-readable explanation. */
                                message: string;
                                /** @description Structured details, e.g. the invalid fields. */
                                details?: unknown;
                            };
                        };
                    };
                };
            };
        };
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/training-jobs/{id}/cancel": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Cancel a training job
         * @description A queued job is removed and answered `cancelled` (200). A running job stops in whatever phase it is in (between two generated scenes, cached samples, training steps or validation batches; within about a second), writes a checkpoint when it was training, removes its temporary files and ends `cancelled`; the answer (202) shows it `cancelling` with `cancelRequestedAt` until then. Cancelling a cancelled job is a no-op (200).
         */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    /** @description Job id, as returned by POST /v1/training-jobs. */
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Cancelled. */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Job id; also the id of the model it produces. */
                            id: string;
                            /** @description A name for the job and its model, 1 to 128 characters (no control characters); filter lists with ?name=. */
                            name?: string;
                            /** @description Up to 16 labels, key -> value, copied to the model; keys are 1 to 63 letters, digits, ".", "_", "-" or "/", starting with a letter or digit; values at most 128 characters. Filter lists with ?label=key:value. */
                            labels?: {
                                [key: string]: string;
                            };
                            /**
                             * @description queued: waiting for a worker (also after a worker stopped and before another resumes it); running: a worker trains it; cancelling: a running job asked to stop, until its worker has stopped it (within a few seconds, in any phase); completed: the model is saved; failed: it stopped with an error; cancelled: stopped on request.
                             * @enum {string}
                             */
                            status: "queued" | "running" | "cancelling" | "completed" | "failed" | "cancelled";
                            /** @description Where training stands. */
                            progress?: {
                                /**
                                 * @description preparing: building the dataset; training; validating; saving the model. Absent once the job has ended (completed, failed, cancelled).
                                 * @enum {string}
                                 */
                                phase?: "preparing" | "training" | "validating" | "saving";
                                /** @description Steps done over all steps, in %. */
                                percent: number;
                                /** @description Estimated seconds until the job ends (null until a few steps ran). */
                                etaSeconds: number | null;
                                /** @description Epoch in progress, 1-based. */
                                epoch?: number;
                                epochs?: number;
                                /** @description Steps done over all epochs. */
                                step?: number;
                                totalSteps?: number;
                                stepInEpoch?: number;
                                stepsPerEpoch?: number;
                                /** @description Raw (unweighted) loss of each task on the latest batch. */
                                losses?: {
                                    segmentation?: number;
                                    instances?: number;
                                    depth?: number;
                                };
                                /** @description The weighted total that was minimised. */
                                totalLoss?: number;
                                /** @description Effective weight of each task. */
                                weights?: {
                                    segmentation?: number;
                                    instances?: number;
                                    depth?: number;
                                };
                                /** @description Learned log-variances s = log sigma^2 (uncertainty strategies). */
                                logVariances?: {
                                    segmentation?: number;
                                    instances?: number;
                                    depth?: number;
                                };
                                /** @description sigma = exp(s / 2) per task (uncertainty strategies). */
                                sigmas?: {
                                    segmentation?: number;
                                    instances?: number;
                                    depth?: number;
                                };
                                /** @description Optimum s* of the form for the running mean raw loss (bias-corrected exponential average, decay 0.98, ~50 steps; uncertainty strategies). */
                                optimalLogVariances?: {
                                    segmentation?: number;
                                    instances?: number;
                                    depth?: number;
                                };
                                /** @description s - s* per task (uncertainty strategies). */
                                logVarianceGaps?: {
                                    segmentation?: number;
                                    instances?: number;
                                    depth?: number;
                                };
                                learningRate?: number;
                                /** @description Duration of the latest step. */
                                stepMs?: number;
                                /** Format: date-time */
                                updatedAt: string;
                            };
                            /** @description The trained model (when completed). */
                            modelId?: string;
                            /** @description Validation metrics of the last epoch. */
                            metrics?: {
                                [key: string]: unknown;
                            };
                            /** @description Why the job failed. */
                            error?: {
                                /** @description e.g. VALIDATION_ERROR, DATASET_ERROR, TRAINING_FAILED, STALLED. */
                                code: string;
                                message: string;
                            };
                            /** Format: date-time */
                            createdAt: string;
                            /**
                             * Format: date-time
                             * @description First start by a worker.
                             */
                            startedAt?: string;
                            /** Format: date-time */
                            finishedAt?: string;
                            /** Format: date-time */
                            cancelRequestedAt?: string;
                            /** @description Tries of the job: a failure is retried up to max (JOB_ATTEMPTS); a worker stopping or dying does not use one. */
                            attempts: {
                                /** @description Attempts made, the successful one included. */
                                made: number;
                                max: number;
                            };
                            /** @description Checkpoint the latest attempt resumed from. */
                            resumedFrom?: string;
                            /** @description Global step of resumedFrom: the latest attempt trained on from this step. */
                            resumedAtStep?: number;
                            /** @description Compute backend of the worker. */
                            backend?: {
                                /** @description tfjs backend: tensorflow, wasm or cpu. */
                                name: string;
                                /** @description npm package that provides it. */
                                package: string;
                                /** @description Whether it runs on a CUDA device. */
                                gpu: boolean;
                            };
                            /** @description The worker slot that runs the job (or, once it ended, ran it last). */
                            worker?: {
                                /** @description The worker process, as host:pid. */
                                name: string;
                                /** @description The worker's slot the job runs in, 0 .. WORKER_CONCURRENCY - 1 (one training child each). */
                                slot: number;
                            };
                            /** @description Data-parallel replicas (threads) the latest attempt trains with (training.replicas resolved). */
                            replicas?: number;
                            /**
                             * @description A training job. `tasks`, `weighting` and `training` may be left out (every field of theirs has a default: all three tasks, uncertainty weighting, one epoch of batches of 4); `dataset` and `model` are required.
                             * @example {
                             *       "dataset": {
                             *         "kind": "synthetic",
                             *         "scenes": 8,
                             *         "size": [
                             *           64,
                             *           128
                             *         ],
                             *         "seed": 1
                             *       },
                             *       "tasks": [
                             *         "segmentation",
                             *         "instances",
                             *         "depth"
                             *       ],
                             *       "weighting": {
                             *         "strategy": "uncertainty"
                             *       },
                             *       "model": {
                             *         "width": 8,
                             *         "inputSize": [
                             *           64,
                             *           128
                             *         ]
                             *       },
                             *       "training": {
                             *         "epochs": 2,
                             *         "batchSize": 4
                             *       }
                             *     }
                             */
                            spec: {
                                /** @description A name for the job and its model, 1 to 128 characters (no control characters); filter lists with ?name=. */
                                name?: string;
                                /** @description Up to 16 labels, key -> value, copied to the model; keys are 1 to 63 letters, digits, ".", "_", "-" or "/", starting with a letter or digit; values at most 128 characters. Filter lists with ?label=key:value. */
                                labels?: {
                                    [key: string]: string;
                                };
                                dataset: {
                                    /** @enum {string} */
                                    kind: "synthetic";
                                    /**
                                     * @description Training scenes
                                     * @default 16
                                     */
                                    scenes: number;
                                    /** @description Validation scenes (default: a quarter of scenes, at least 2) */
                                    validationScenes?: number;
                                    /** @description [height, width] of the generated images */
                                    size: number[];
                                    /**
                                     * @description Generator seed
                                     * @default 1
                                     */
                                    seed: number;
                                } | {
                                    /** @enum {string} */
                                    kind: "cityscapes";
                                    /** @description Directory relative to DATA_DIR */
                                    path: string;
                                    /** @default train */
                                    trainSplit: string;
                                    /** @default val */
                                    validationSplit: string;
                                };
                                /**
                                 * @default [
                                 *       "segmentation",
                                 *       "instances",
                                 *       "depth"
                                 *     ]
                                 */
                                tasks: ("segmentation" | "instances" | "depth")[];
                                /** @default {} */
                                weighting: {
                                    /**
                                     * @description How task losses are combined
                                     * @default uncertainty
                                     * @enum {string}
                                     */
                                    strategy: "uncertainty" | "uncertainty-positive" | "fixed" | "equal" | "gradnorm" | "dwa";
                                    weights?: {
                                        segmentation?: number;
                                        instances?: number;
                                        depth?: number;
                                    };
                                    /** @description Uncertainty strategies: where s = log sigma^2 starts. "auto" (default): s of each task set, before the first step, to the optimum of the form for the first batch's raw loss (regression log L, classification log 2L; positive form log(L/4 + sqrt(L^2/16 + L/2))). A number: that s for every task (0, sigma = 1, is the paper's start). An object: s per task, tasks left out start at "auto". */
                                    initialLogVariance?: "auto" | number | {
                                        /** @description initial s = log sigma^2 of segmentation */
                                        segmentation?: number;
                                        /** @description initial s = log sigma^2 of instances */
                                        instances?: number;
                                        /** @description initial s = log sigma^2 of depth */
                                        depth?: number;
                                    };
                                    /** @description DWA temperature */
                                    temperature?: number;
                                    /** @description GradNorm asymmetry */
                                    alpha?: number;
                                };
                                model: {
                                    /** @default 16 */
                                    width: number;
                                    /** @description [height, width] the network trains at; multiples of 32 */
                                    inputSize: number[];
                                };
                                /** @default {} */
                                training: {
                                    /** @default 1 */
                                    epochs: number;
                                    /** @default 4 */
                                    batchSize: number;
                                    /**
                                     * @description adam, or sgd with Nesterov momentum
                                     * @enum {string}
                                     */
                                    optimizer?: "adam" | "sgd";
                                    learningRate?: number;
                                    logVarianceLearningRate?: number;
                                    momentum?: number;
                                    weightDecay?: number;
                                    /**
                                     * @description Learning-rate schedule
                                     * @enum {string}
                                     */
                                    schedule?: "poly" | "constant";
                                    /** @default 1 */
                                    seed: number;
                                    /**
                                     * @description Random horizontal flips
                                     * @default true
                                     */
                                    augment: boolean;
                                    /**
                                     * @description Synchronous data-parallel replicas (threads) sharing each batch, at most batchSize. auto: one per CPU core the worker gives the job (at least 2 samples each), 1 on the native tensorflow backend. Batch norm uses per-replica statistics, so set a number for runs that must repeat exactly on other machines.
                                     * @default auto
                                     */
                                    replicas: number | "auto";
                                };
                            };
                            /** @description Finished epochs with validation metrics. */
                            history: {
                                /** @description Epochs done (1-based). */
                                epoch: number;
                                /** @description Mean raw (unweighted) loss of each task over the epoch. */
                                losses: {
                                    segmentation?: number;
                                    instances?: number;
                                    depth?: number;
                                };
                                /** @description Effective weight of each task at the end of the epoch. */
                                weights: {
                                    segmentation?: number;
                                    instances?: number;
                                    depth?: number;
                                };
                                /** @description Learned log-variances s = log sigma^2 (uncertainty strategies). */
                                logVariances?: {
                                    segmentation?: number;
                                    instances?: number;
                                    depth?: number;
                                };
                                /** @description sigma = exp(s / 2) per task (uncertainty strategies). */
                                sigmas?: {
                                    segmentation?: number;
                                    instances?: number;
                                    depth?: number;
                                };
                                /** @description Optimum s* of the form for the running mean raw loss (bias-corrected exponential average, decay 0.98, ~50 steps; uncertainty strategies). */
                                optimalLogVariances?: {
                                    segmentation?: number;
                                    instances?: number;
                                    depth?: number;
                                };
                                /** @description s - s* per task (uncertainty strategies). */
                                logVarianceGaps?: {
                                    segmentation?: number;
                                    instances?: number;
                                    depth?: number;
                                };
                                learningRate: number;
                                /** @description Validation metrics after the epoch. */
                                metrics?: {
                                    [key: string]: unknown;
                                };
                                durationMs: number;
                                /** @description Checkpoint written after the epoch. */
                                checkpoint?: string;
                            }[];
                            /** @description Checkpoints on disk, oldest first. */
                            checkpoints: {
                                /** @description Directory name under ARTIFACT_DIR/jobs/{id}/checkpoints/. */
                                name: string;
                                /** @description Whole epochs done. */
                                epoch: number;
                                /** @description Steps done into the next epoch (0 = epoch end). */
                                stepInEpoch: number;
                                globalStep: number;
                            }[];
                        };
                    };
                };
                /** @description Cancellation requested: the job is `cancelling` until its worker has stopped it. */
                202: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Job id; also the id of the model it produces. */
                            id: string;
                            /** @description A name for the job and its model, 1 to 128 characters (no control characters); filter lists with ?name=. */
                            name?: string;
                            /** @description Up to 16 labels, key -> value, copied to the model; keys are 1 to 63 letters, digits, ".", "_", "-" or "/", starting with a letter or digit; values at most 128 characters. Filter lists with ?label=key:value. */
                            labels?: {
                                [key: string]: string;
                            };
                            /**
                             * @description queued: waiting for a worker (also after a worker stopped and before another resumes it); running: a worker trains it; cancelling: a running job asked to stop, until its worker has stopped it (within a few seconds, in any phase); completed: the model is saved; failed: it stopped with an error; cancelled: stopped on request.
                             * @enum {string}
                             */
                            status: "queued" | "running" | "cancelling" | "completed" | "failed" | "cancelled";
                            /** @description Where training stands. */
                            progress?: {
                                /**
                                 * @description preparing: building the dataset; training; validating; saving the model. Absent once the job has ended (completed, failed, cancelled).
                                 * @enum {string}
                                 */
                                phase?: "preparing" | "training" | "validating" | "saving";
                                /** @description Steps done over all steps, in %. */
                                percent: number;
                                /** @description Estimated seconds until the job ends (null until a few steps ran). */
                                etaSeconds: number | null;
                                /** @description Epoch in progress, 1-based. */
                                epoch?: number;
                                epochs?: number;
                                /** @description Steps done over all epochs. */
                                step?: number;
                                totalSteps?: number;
                                stepInEpoch?: number;
                                stepsPerEpoch?: number;
                                /** @description Raw (unweighted) loss of each task on the latest batch. */
                                losses?: {
                                    segmentation?: number;
                                    instances?: number;
                                    depth?: number;
                                };
                                /** @description The weighted total that was minimised. */
                                totalLoss?: number;
                                /** @description Effective weight of each task. */
                                weights?: {
                                    segmentation?: number;
                                    instances?: number;
                                    depth?: number;
                                };
                                /** @description Learned log-variances s = log sigma^2 (uncertainty strategies). */
                                logVariances?: {
                                    segmentation?: number;
                                    instances?: number;
                                    depth?: number;
                                };
                                /** @description sigma = exp(s / 2) per task (uncertainty strategies). */
                                sigmas?: {
                                    segmentation?: number;
                                    instances?: number;
                                    depth?: number;
                                };
                                /** @description Optimum s* of the form for the running mean raw loss (bias-corrected exponential average, decay 0.98, ~50 steps; uncertainty strategies). */
                                optimalLogVariances?: {
                                    segmentation?: number;
                                    instances?: number;
                                    depth?: number;
                                };
                                /** @description s - s* per task (uncertainty strategies). */
                                logVarianceGaps?: {
                                    segmentation?: number;
                                    instances?: number;
                                    depth?: number;
                                };
                                learningRate?: number;
                                /** @description Duration of the latest step. */
                                stepMs?: number;
                                /** Format: date-time */
                                updatedAt: string;
                            };
                            /** @description The trained model (when completed). */
                            modelId?: string;
                            /** @description Validation metrics of the last epoch. */
                            metrics?: {
                                [key: string]: unknown;
                            };
                            /** @description Why the job failed. */
                            error?: {
                                /** @description e.g. VALIDATION_ERROR, DATASET_ERROR, TRAINING_FAILED, STALLED. */
                                code: string;
                                message: string;
                            };
                            /** Format: date-time */
                            createdAt: string;
                            /**
                             * Format: date-time
                             * @description First start by a worker.
                             */
                            startedAt?: string;
                            /** Format: date-time */
                            finishedAt?: string;
                            /** Format: date-time */
                            cancelRequestedAt?: string;
                            /** @description Tries of the job: a failure is retried up to max (JOB_ATTEMPTS); a worker stopping or dying does not use one. */
                            attempts: {
                                /** @description Attempts made, the successful one included. */
                                made: number;
                                max: number;
                            };
                            /** @description Checkpoint the latest attempt resumed from. */
                            resumedFrom?: string;
                            /** @description Global step of resumedFrom: the latest attempt trained on from this step. */
                            resumedAtStep?: number;
                            /** @description Compute backend of the worker. */
                            backend?: {
                                /** @description tfjs backend: tensorflow, wasm or cpu. */
                                name: string;
                                /** @description npm package that provides it. */
                                package: string;
                                /** @description Whether it runs on a CUDA device. */
                                gpu: boolean;
                            };
                            /** @description The worker slot that runs the job (or, once it ended, ran it last). */
                            worker?: {
                                /** @description The worker process, as host:pid. */
                                name: string;
                                /** @description The worker's slot the job runs in, 0 .. WORKER_CONCURRENCY - 1 (one training child each). */
                                slot: number;
                            };
                            /** @description Data-parallel replicas (threads) the latest attempt trains with (training.replicas resolved). */
                            replicas?: number;
                            /**
                             * @description A training job. `tasks`, `weighting` and `training` may be left out (every field of theirs has a default: all three tasks, uncertainty weighting, one epoch of batches of 4); `dataset` and `model` are required.
                             * @example {
                             *       "dataset": {
                             *         "kind": "synthetic",
                             *         "scenes": 8,
                             *         "size": [
                             *           64,
                             *           128
                             *         ],
                             *         "seed": 1
                             *       },
                             *       "tasks": [
                             *         "segmentation",
                             *         "instances",
                             *         "depth"
                             *       ],
                             *       "weighting": {
                             *         "strategy": "uncertainty"
                             *       },
                             *       "model": {
                             *         "width": 8,
                             *         "inputSize": [
                             *           64,
                             *           128
                             *         ]
                             *       },
                             *       "training": {
                             *         "epochs": 2,
                             *         "batchSize": 4
                             *       }
                             *     }
                             */
                            spec: {
                                /** @description A name for the job and its model, 1 to 128 characters (no control characters); filter lists with ?name=. */
                                name?: string;
                                /** @description Up to 16 labels, key -> value, copied to the model; keys are 1 to 63 letters, digits, ".", "_", "-" or "/", starting with a letter or digit; values at most 128 characters. Filter lists with ?label=key:value. */
                                labels?: {
                                    [key: string]: string;
                                };
                                dataset: {
                                    /** @enum {string} */
                                    kind: "synthetic";
                                    /**
                                     * @description Training scenes
                                     * @default 16
                                     */
                                    scenes: number;
                                    /** @description Validation scenes (default: a quarter of scenes, at least 2) */
                                    validationScenes?: number;
                                    /** @description [height, width] of the generated images */
                                    size: number[];
                                    /**
                                     * @description Generator seed
                                     * @default 1
                                     */
                                    seed: number;
                                } | {
                                    /** @enum {string} */
                                    kind: "cityscapes";
                                    /** @description Directory relative to DATA_DIR */
                                    path: string;
                                    /** @default train */
                                    trainSplit: string;
                                    /** @default val */
                                    validationSplit: string;
                                };
                                /**
                                 * @default [
                                 *       "segmentation",
                                 *       "instances",
                                 *       "depth"
                                 *     ]
                                 */
                                tasks: ("segmentation" | "instances" | "depth")[];
                                /** @default {} */
                                weighting: {
                                    /**
                                     * @description How task losses are combined
                                     * @default uncertainty
                                     * @enum {string}
                                     */
                                    strategy: "uncertainty" | "uncertainty-positive" | "fixed" | "equal" | "gradnorm" | "dwa";
                                    weights?: {
                                        segmentation?: number;
                                        instances?: number;
                                        depth?: number;
                                    };
                                    /** @description Uncertainty strategies: where s = log sigma^2 starts. "auto" (default): s of each task set, before the first step, to the optimum of the form for the first batch's raw loss (regression log L, classification log 2L; positive form log(L/4 + sqrt(L^2/16 + L/2))). A number: that s for every task (0, sigma = 1, is the paper's start). An object: s per task, tasks left out start at "auto". */
                                    initialLogVariance?: "auto" | number | {
                                        /** @description initial s = log sigma^2 of segmentation */
                                        segmentation?: number;
                                        /** @description initial s = log sigma^2 of instances */
                                        instances?: number;
                                        /** @description initial s = log sigma^2 of depth */
                                        depth?: number;
                                    };
                                    /** @description DWA temperature */
                                    temperature?: number;
                                    /** @description GradNorm asymmetry */
                                    alpha?: number;
                                };
                                model: {
                                    /** @default 16 */
                                    width: number;
                                    /** @description [height, width] the network trains at; multiples of 32 */
                                    inputSize: number[];
                                };
                                /** @default {} */
                                training: {
                                    /** @default 1 */
                                    epochs: number;
                                    /** @default 4 */
                                    batchSize: number;
                                    /**
                                     * @description adam, or sgd with Nesterov momentum
                                     * @enum {string}
                                     */
                                    optimizer?: "adam" | "sgd";
                                    learningRate?: number;
                                    logVarianceLearningRate?: number;
                                    momentum?: number;
                                    weightDecay?: number;
                                    /**
                                     * @description Learning-rate schedule
                                     * @enum {string}
                                     */
                                    schedule?: "poly" | "constant";
                                    /** @default 1 */
                                    seed: number;
                                    /**
                                     * @description Random horizontal flips
                                     * @default true
                                     */
                                    augment: boolean;
                                    /**
                                     * @description Synchronous data-parallel replicas (threads) sharing each batch, at most batchSize. auto: one per CPU core the worker gives the job (at least 2 samples each), 1 on the native tensorflow backend. Batch norm uses per-replica statistics, so set a number for runs that must repeat exactly on other machines.
                                     * @default auto
                                     */
                                    replicas: number | "auto";
                                };
                            };
                            /** @description Finished epochs with validation metrics. */
                            history: {
                                /** @description Epochs done (1-based). */
                                epoch: number;
                                /** @description Mean raw (unweighted) loss of each task over the epoch. */
                                losses: {
                                    segmentation?: number;
                                    instances?: number;
                                    depth?: number;
                                };
                                /** @description Effective weight of each task at the end of the epoch. */
                                weights: {
                                    segmentation?: number;
                                    instances?: number;
                                    depth?: number;
                                };
                                /** @description Learned log-variances s = log sigma^2 (uncertainty strategies). */
                                logVariances?: {
                                    segmentation?: number;
                                    instances?: number;
                                    depth?: number;
                                };
                                /** @description sigma = exp(s / 2) per task (uncertainty strategies). */
                                sigmas?: {
                                    segmentation?: number;
                                    instances?: number;
                                    depth?: number;
                                };
                                /** @description Optimum s* of the form for the running mean raw loss (bias-corrected exponential average, decay 0.98, ~50 steps; uncertainty strategies). */
                                optimalLogVariances?: {
                                    segmentation?: number;
                                    instances?: number;
                                    depth?: number;
                                };
                                /** @description s - s* per task (uncertainty strategies). */
                                logVarianceGaps?: {
                                    segmentation?: number;
                                    instances?: number;
                                    depth?: number;
                                };
                                learningRate: number;
                                /** @description Validation metrics after the epoch. */
                                metrics?: {
                                    [key: string]: unknown;
                                };
                                durationMs: number;
                                /** @description Checkpoint written after the epoch. */
                                checkpoint?: string;
                            }[];
                            /** @description Checkpoints on disk, oldest first. */
                            checkpoints: {
                                /** @description Directory name under ARTIFACT_DIR/jobs/{id}/checkpoints/. */
                                name: string;
                                /** @description Whole epochs done. */
                                epoch: number;
                                /** @description Steps done into the next epoch (0 = epoch end). */
                                stepInEpoch: number;
                                globalStep: number;
                            }[];
                        };
                    };
                };
                /** @description Malformed id (VALIDATION_ERROR). */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            error: {
                                /** @description Stable machine-readable code, UPPER_SNAKE_CASE (e.g. NOT_FOUND). */
                                code: string;
                                /** @description Human-readable explanation. */
                                message: string;
                                /** @description Structured details, e.g. the invalid fields. */
                                details?: unknown;
                            };
                        };
                    };
                };
                /** @description Missing or unknown API key (UNAUTHORIZED). */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            error: {
                                /** @description Stable machine-readable code, UPPER_SNAKE_CASE (e.g. NOT_FOUND). */
                                code: string;
                                /** @description Human-readable explanation. */
                                message: string;
                                /** @description Structured details, e.g. the invalid fields. */
                                details?: unknown;
                            };
                        };
                    };
                };
                /** @description Unknown job (NOT_FOUND). */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            error: {
                                /** @description Stable machine-readable code, UPPER_SNAKE_CASE (e.g. NOT_FOUND). */
                                code: string;
                                /** @description Human-readable explanation. */
                                message: string;
                                /** @description Structured details, e.g. the invalid fields. */
                                details?: unknown;
                            };
                        };
                    };
                };
                /** @description The job has completed or failed (CONFLICT). */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            error: {
                                /** @description Stable machine-readable code, UPPER_SNAKE_CASE (e.g. NOT_FOUND). */
                                code: string;
                                /** @description Human-readable explanation. */
                                message: string;
                                /** @description Structured details, e.g. the invalid fields. */
                                details?: unknown;
                            };
                        };
                    };
                };
                /** @description Redis unreachable (SERVICE_UNAVAILABLE). */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            error: {
                                /** @description Stable machine-readable code, UPPER_SNAKE_CASE (e.g. NOT_FOUND). */
                                code: string;
                                /** @description Human-readable explanation. */
                                message: string;
                                /** @description Structured details, e.g. the invalid fields. */
                                details?: unknown;
                            };
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/training-jobs/{id}/events": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Follow a training job (Server-Sent Events)
         * @description Events: `state` (the job now, sent first and on queued/running changes), `progress` (latest step and ETA), `epoch` (a finished epoch with validation metrics), then one of `completed`, `failed`, `cancelled`, after which the stream ends. Each `data` is JSON; `state` and the final event carry the whole job. A `: heartbeat` comment comes every SSE_HEARTBEAT_MS.
         */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    /** @description Job id, as returned by POST /v1/training-jobs. */
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description An event stream. */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "text/event-stream": string;
                    };
                };
                /** @description Malformed id (VALIDATION_ERROR). */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            error: {
                                /** @description Stable machine-readable code, UPPER_SNAKE_CASE (e.g. NOT_FOUND). */
                                code: string;
                                /** @description Human-readable explanation. */
                                message: string;
                                /** @description Structured details, e.g. the invalid fields. */
                                details?: unknown;
                            };
                        };
                    };
                };
                /** @description Missing or unknown API key (UNAUTHORIZED). */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            error: {
                                /** @description Stable machine-readable code, UPPER_SNAKE_CASE (e.g. NOT_FOUND). */
                                code: string;
                                /** @description Human-readable explanation. */
                                message: string;
                                /** @description Structured details, e.g. the invalid fields. */
                                details?: unknown;
                            };
                        };
                    };
                };
                /** @description Unknown job (NOT_FOUND). */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            error: {
                                /** @description Stable machine-readable code, UPPER_SNAKE_CASE (e.g. NOT_FOUND). */
                                code: string;
                                /** @description Human-readable explanation. */
                                message: string;
                                /** @description Structured details, e.g. the invalid fields. */
                                details?: unknown;
                            };
                        };
                    };
                };
                /** @description Redis unreachable (SERVICE_UNAVAILABLE). */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            error: {
                                /** @description Stable machine-readable code, UPPER_SNAKE_CASE (e.g. NOT_FOUND). */
                                code: string;
                                /** @description Human-readable explanation. */
                                message: string;
                                /** @description Structured details, e.g. the invalid fields. */
                                details?: unknown;
                            };
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/training-jobs/{id}/resume": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Resume a cancelled or failed training job
         * @description Queues the job again under the same id (its submission time and checkpoints kept; a failed job's attempts start again). A worker continues from its newest checkpoint (from the start if it has none); once it runs, `resumedFrom` and `resumedAtStep` say where it continued.
         */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    /** @description Job id, as returned by POST /v1/training-jobs. */
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Queued again. */
                202: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Job id; also the id of the model it produces. */
                            id: string;
                            /** @description A name for the job and its model, 1 to 128 characters (no control characters); filter lists with ?name=. */
                            name?: string;
                            /** @description Up to 16 labels, key -> value, copied to the model; keys are 1 to 63 letters, digits, ".", "_", "-" or "/", starting with a letter or digit; values at most 128 characters. Filter lists with ?label=key:value. */
                            labels?: {
                                [key: string]: string;
                            };
                            /**
                             * @description queued: waiting for a worker (also after a worker stopped and before another resumes it); running: a worker trains it; cancelling: a running job asked to stop, until its worker has stopped it (within a few seconds, in any phase); completed: the model is saved; failed: it stopped with an error; cancelled: stopped on request.
                             * @enum {string}
                             */
                            status: "queued" | "running" | "cancelling" | "completed" | "failed" | "cancelled";
                            /** @description Where training stands. */
                            progress?: {
                                /**
                                 * @description preparing: building the dataset; training; validating; saving the model. Absent once the job has ended (completed, failed, cancelled).
                                 * @enum {string}
                                 */
                                phase?: "preparing" | "training" | "validating" | "saving";
                                /** @description Steps done over all steps, in %. */
                                percent: number;
                                /** @description Estimated seconds until the job ends (null until a few steps ran). */
                                etaSeconds: number | null;
                                /** @description Epoch in progress, 1-based. */
                                epoch?: number;
                                epochs?: number;
                                /** @description Steps done over all epochs. */
                                step?: number;
                                totalSteps?: number;
                                stepInEpoch?: number;
                                stepsPerEpoch?: number;
                                /** @description Raw (unweighted) loss of each task on the latest batch. */
                                losses?: {
                                    segmentation?: number;
                                    instances?: number;
                                    depth?: number;
                                };
                                /** @description The weighted total that was minimised. */
                                totalLoss?: number;
                                /** @description Effective weight of each task. */
                                weights?: {
                                    segmentation?: number;
                                    instances?: number;
                                    depth?: number;
                                };
                                /** @description Learned log-variances s = log sigma^2 (uncertainty strategies). */
                                logVariances?: {
                                    segmentation?: number;
                                    instances?: number;
                                    depth?: number;
                                };
                                /** @description sigma = exp(s / 2) per task (uncertainty strategies). */
                                sigmas?: {
                                    segmentation?: number;
                                    instances?: number;
                                    depth?: number;
                                };
                                /** @description Optimum s* of the form for the running mean raw loss (bias-corrected exponential average, decay 0.98, ~50 steps; uncertainty strategies). */
                                optimalLogVariances?: {
                                    segmentation?: number;
                                    instances?: number;
                                    depth?: number;
                                };
                                /** @description s - s* per task (uncertainty strategies). */
                                logVarianceGaps?: {
                                    segmentation?: number;
                                    instances?: number;
                                    depth?: number;
                                };
                                learningRate?: number;
                                /** @description Duration of the latest step. */
                                stepMs?: number;
                                /** Format: date-time */
                                updatedAt: string;
                            };
                            /** @description The trained model (when completed). */
                            modelId?: string;
                            /** @description Validation metrics of the last epoch. */
                            metrics?: {
                                [key: string]: unknown;
                            };
                            /** @description Why the job failed. */
                            error?: {
                                /** @description e.g. VALIDATION_ERROR, DATASET_ERROR, TRAINING_FAILED, STALLED. */
                                code: string;
                                message: string;
                            };
                            /** Format: date-time */
                            createdAt: string;
                            /**
                             * Format: date-time
                             * @description First start by a worker.
                             */
                            startedAt?: string;
                            /** Format: date-time */
                            finishedAt?: string;
                            /** Format: date-time */
                            cancelRequestedAt?: string;
                            /** @description Tries of the job: a failure is retried up to max (JOB_ATTEMPTS); a worker stopping or dying does not use one. */
                            attempts: {
                                /** @description Attempts made, the successful one included. */
                                made: number;
                                max: number;
                            };
                            /** @description Checkpoint the latest attempt resumed from. */
                            resumedFrom?: string;
                            /** @description Global step of resumedFrom: the latest attempt trained on from this step. */
                            resumedAtStep?: number;
                            /** @description Compute backend of the worker. */
                            backend?: {
                                /** @description tfjs backend: tensorflow, wasm or cpu. */
                                name: string;
                                /** @description npm package that provides it. */
                                package: string;
                                /** @description Whether it runs on a CUDA device. */
                                gpu: boolean;
                            };
                            /** @description The worker slot that runs the job (or, once it ended, ran it last). */
                            worker?: {
                                /** @description The worker process, as host:pid. */
                                name: string;
                                /** @description The worker's slot the job runs in, 0 .. WORKER_CONCURRENCY - 1 (one training child each). */
                                slot: number;
                            };
                            /** @description Data-parallel replicas (threads) the latest attempt trains with (training.replicas resolved). */
                            replicas?: number;
                            /**
                             * @description A training job. `tasks`, `weighting` and `training` may be left out (every field of theirs has a default: all three tasks, uncertainty weighting, one epoch of batches of 4); `dataset` and `model` are required.
                             * @example {
                             *       "dataset": {
                             *         "kind": "synthetic",
                             *         "scenes": 8,
                             *         "size": [
                             *           64,
                             *           128
                             *         ],
                             *         "seed": 1
                             *       },
                             *       "tasks": [
                             *         "segmentation",
                             *         "instances",
                             *         "depth"
                             *       ],
                             *       "weighting": {
                             *         "strategy": "uncertainty"
                             *       },
                             *       "model": {
                             *         "width": 8,
                             *         "inputSize": [
                             *           64,
                             *           128
                             *         ]
                             *       },
                             *       "training": {
                             *         "epochs": 2,
                             *         "batchSize": 4
                             *       }
                             *     }
                             */
                            spec: {
                                /** @description A name for the job and its model, 1 to 128 characters (no control characters); filter lists with ?name=. */
                                name?: string;
                                /** @description Up to 16 labels, key -> value, copied to the model; keys are 1 to 63 letters, digits, ".", "_", "-" or "/", starting with a letter or digit; values at most 128 characters. Filter lists with ?label=key:value. */
                                labels?: {
                                    [key: string]: string;
                                };
                                dataset: {
                                    /** @enum {string} */
                                    kind: "synthetic";
                                    /**
                                     * @description Training scenes
                                     * @default 16
                                     */
                                    scenes: number;
                                    /** @description Validation scenes (default: a quarter of scenes, at least 2) */
                                    validationScenes?: number;
                                    /** @description [height, width] of the generated images */
                                    size: number[];
                                    /**
                                     * @description Generator seed
                                     * @default 1
                                     */
                                    seed: number;
                                } | {
                                    /** @enum {string} */
                                    kind: "cityscapes";
                                    /** @description Directory relative to DATA_DIR */
                                    path: string;
                                    /** @default train */
                                    trainSplit: string;
                                    /** @default val */
                                    validationSplit: string;
                                };
                                /**
                                 * @default [
                                 *       "segmentation",
                                 *       "instances",
                                 *       "depth"
                                 *     ]
                                 */
                                tasks: ("segmentation" | "instances" | "depth")[];
                                /** @default {} */
                                weighting: {
                                    /**
                                     * @description How task losses are combined
                                     * @default uncertainty
                                     * @enum {string}
                                     */
                                    strategy: "uncertainty" | "uncertainty-positive" | "fixed" | "equal" | "gradnorm" | "dwa";
                                    weights?: {
                                        segmentation?: number;
                                        instances?: number;
                                        depth?: number;
                                    };
                                    /** @description Uncertainty strategies: where s = log sigma^2 starts. "auto" (default): s of each task set, before the first step, to the optimum of the form for the first batch's raw loss (regression log L, classification log 2L; positive form log(L/4 + sqrt(L^2/16 + L/2))). A number: that s for every task (0, sigma = 1, is the paper's start). An object: s per task, tasks left out start at "auto". */
                                    initialLogVariance?: "auto" | number | {
                                        /** @description initial s = log sigma^2 of segmentation */
                                        segmentation?: number;
                                        /** @description initial s = log sigma^2 of instances */
                                        instances?: number;
                                        /** @description initial s = log sigma^2 of depth */
                                        depth?: number;
                                    };
                                    /** @description DWA temperature */
                                    temperature?: number;
                                    /** @description GradNorm asymmetry */
                                    alpha?: number;
                                };
                                model: {
                                    /** @default 16 */
                                    width: number;
                                    /** @description [height, width] the network trains at; multiples of 32 */
                                    inputSize: number[];
                                };
                                /** @default {} */
                                training: {
                                    /** @default 1 */
                                    epochs: number;
                                    /** @default 4 */
                                    batchSize: number;
                                    /**
                                     * @description adam, or sgd with Nesterov momentum
                                     * @enum {string}
                                     */
                                    optimizer?: "adam" | "sgd";
                                    learningRate?: number;
                                    logVarianceLearningRate?: number;
                                    momentum?: number;
                                    weightDecay?: number;
                                    /**
                                     * @description Learning-rate schedule
                                     * @enum {string}
                                     */
                                    schedule?: "poly" | "constant";
                                    /** @default 1 */
                                    seed: number;
                                    /**
                                     * @description Random horizontal flips
                                     * @default true
                                     */
                                    augment: boolean;
                                    /**
                                     * @description Synchronous data-parallel replicas (threads) sharing each batch, at most batchSize. auto: one per CPU core the worker gives the job (at least 2 samples each), 1 on the native tensorflow backend. Batch norm uses per-replica statistics, so set a number for runs that must repeat exactly on other machines.
                                     * @default auto
                                     */
                                    replicas: number | "auto";
                                };
                            };
                            /** @description Finished epochs with validation metrics. */
                            history: {
                                /** @description Epochs done (1-based). */
                                epoch: number;
                                /** @description Mean raw (unweighted) loss of each task over the epoch. */
                                losses: {
                                    segmentation?: number;
                                    instances?: number;
                                    depth?: number;
                                };
                                /** @description Effective weight of each task at the end of the epoch. */
                                weights: {
                                    segmentation?: number;
                                    instances?: number;
                                    depth?: number;
                                };
                                /** @description Learned log-variances s = log sigma^2 (uncertainty strategies). */
                                logVariances?: {
                                    segmentation?: number;
                                    instances?: number;
                                    depth?: number;
                                };
                                /** @description sigma = exp(s / 2) per task (uncertainty strategies). */
                                sigmas?: {
                                    segmentation?: number;
                                    instances?: number;
                                    depth?: number;
                                };
                                /** @description Optimum s* of the form for the running mean raw loss (bias-corrected exponential average, decay 0.98, ~50 steps; uncertainty strategies). */
                                optimalLogVariances?: {
                                    segmentation?: number;
                                    instances?: number;
                                    depth?: number;
                                };
                                /** @description s - s* per task (uncertainty strategies). */
                                logVarianceGaps?: {
                                    segmentation?: number;
                                    instances?: number;
                                    depth?: number;
                                };
                                learningRate: number;
                                /** @description Validation metrics after the epoch. */
                                metrics?: {
                                    [key: string]: unknown;
                                };
                                durationMs: number;
                                /** @description Checkpoint written after the epoch. */
                                checkpoint?: string;
                            }[];
                            /** @description Checkpoints on disk, oldest first. */
                            checkpoints: {
                                /** @description Directory name under ARTIFACT_DIR/jobs/{id}/checkpoints/. */
                                name: string;
                                /** @description Whole epochs done. */
                                epoch: number;
                                /** @description Steps done into the next epoch (0 = epoch end). */
                                stepInEpoch: number;
                                globalStep: number;
                            }[];
                        };
                    };
                };
                /** @description Malformed id (VALIDATION_ERROR). */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            error: {
                                /** @description Stable machine-readable code, UPPER_SNAKE_CASE (e.g. NOT_FOUND). */
                                code: string;
                                /** @description Human-readable explanation. */
                                message: string;
                                /** @description Structured details, e.g. the invalid fields. */
                                details?: unknown;
                            };
                        };
                    };
                };
                /** @description Missing or unknown API key (UNAUTHORIZED). */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            error: {
                                /** @description Stable machine-readable code, UPPER_SNAKE_CASE (e.g. NOT_FOUND). */
                                code: string;
                                /** @description Human-readable explanation. */
                                message: string;
                                /** @description Structured details, e.g. the invalid fields. */
                                details?: unknown;
                            };
                        };
                    };
                };
                /** @description Unknown job (NOT_FOUND). */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            error: {
                                /** @description Stable machine-readable code, UPPER_SNAKE_CASE (e.g. NOT_FOUND). */
                                code: string;
                                /** @description Human-readable explanation. */
                                message: string;
                                /** @description Structured details, e.g. the invalid fields. */
                                details?: unknown;
                            };
                        };
                    };
                };
                /** @description The job is queued, running or completed (CONFLICT). */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            error: {
                                /** @description Stable machine-readable code, UPPER_SNAKE_CASE (e.g. NOT_FOUND). */
                                code: string;
                                /** @description Human-readable explanation. */
                                message: string;
                                /** @description Structured details, e.g. the invalid fields. */
                                details?: unknown;
                            };
                        };
                    };
                };
                /** @description Queue full (MAX_QUEUED_JOBS) or Redis down; see Retry-After. */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            error: {
                                /** @description Stable machine-readable code, UPPER_SNAKE_CASE (e.g. NOT_FOUND). */
                                code: string;
                                /** @description Human-readable explanation. */
                                message: string;
                                /** @description Structured details, e.g. the invalid fields. */
                                details?: unknown;
                            };
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/training-jobs/{id}/checkpoints/{checkpoint}/promote": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Promote a checkpoint to a model
         * @description Writes a new model (its own id; `sourceJob` and `sourceCheckpoint` in its manifest) from one of the job's checkpoints, e.g. of a cancelled job: the network as the checkpoint holds it and a manifest with the weighting, epochs and metrics at that point. The job is not changed.
         */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    /** @description Job id, as returned by POST /v1/training-jobs. */
                    id: string;
                    /** @description A checkpoint's name as in the job's `checkpoints` (e.g. epoch-0001, epoch-0001-step-000002), or `latest` for the newest. */
                    checkpoint: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description The new model (see Location). */
                201: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            id: string;
                            /** @description A name for the job and its model, 1 to 128 characters (no control characters); filter lists with ?name=. */
                            name?: string;
                            /** @description Up to 16 labels, key -> value, copied to the model; keys are 1 to 63 letters, digits, ".", "_", "-" or "/", starting with a letter or digit; values at most 128 characters. Filter lists with ?label=key:value. */
                            labels?: {
                                [key: string]: string;
                            };
                            /** Format: date-time */
                            createdAt: string;
                            tasks: ("segmentation" | "instances" | "depth")[];
                            classes: {
                                trainId: number;
                                name: string;
                                color: number[];
                                isThing: boolean;
                            }[];
                            /** @description [height, width] */
                            inputSize: number[];
                            normalisation: {
                                mean: number[];
                                std: number[];
                            };
                            weighting: {
                                strategy: string;
                                weights: {
                                    segmentation?: number;
                                    instances?: number;
                                    depth?: number;
                                };
                                logVariances?: {
                                    segmentation?: number;
                                    instances?: number;
                                    depth?: number;
                                };
                                sigmas?: {
                                    segmentation?: number;
                                    instances?: number;
                                    depth?: number;
                                };
                                optimalLogVariances?: {
                                    segmentation?: number;
                                    instances?: number;
                                    depth?: number;
                                };
                                logVarianceGaps?: {
                                    segmentation?: number;
                                    instances?: number;
                                    depth?: number;
                                };
                            };
                            /** @description Validation metrics of the last epoch. */
                            metrics: {
                                [key: string]: unknown;
                            };
                            /** @description Per-epoch trajectory as the job reported it: losses, weights, and for uncertainty strategies logVariances, sigmas, optimalLogVariances and logVarianceGaps, with the validation metrics. */
                            history: {
                                [key: string]: unknown;
                            }[];
                            /** @description The training spec. */
                            training: {
                                [key: string]: unknown;
                            };
                            camera?: {
                                fx: number;
                                baseline: number;
                            };
                            sourceJob?: string;
                            /** @description The checkpoint of sourceJob the model was promoted from. */
                            sourceCheckpoint?: string;
                            backend: {
                                name: string;
                                package: string;
                                gpu: boolean;
                                tfjsVersion: string;
                            };
                        } & {
                            [key: string]: unknown;
                        };
                    };
                };
                /** @description Malformed id (VALIDATION_ERROR). */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            error: {
                                /** @description Stable machine-readable code, UPPER_SNAKE_CASE (e.g. NOT_FOUND). */
                                code: string;
                                /** @description Human-readable explanation. */
                                message: string;
                                /** @description Structured details, e.g. the invalid fields. */
                                details?: unknown;
                            };
                        };
                    };
                };
                /** @description Missing or unknown API key (UNAUTHORIZED). */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            error: {
                                /** @description Stable machine-readable code, UPPER_SNAKE_CASE (e.g. NOT_FOUND). */
                                code: string;
                                /** @description Human-readable explanation. */
                                message: string;
                                /** @description Structured details, e.g. the invalid fields. */
                                details?: unknown;
                            };
                        };
                    };
                };
                /** @description Unknown job, or the job has no such checkpoint (NOT_FOUND). */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            error: {
                                /** @description Stable machine-readable code, UPPER_SNAKE_CASE (e.g. NOT_FOUND). */
                                code: string;
                                /** @description Human-readable explanation. */
                                message: string;
                                /** @description Structured details, e.g. the invalid fields. */
                                details?: unknown;
                            };
                        };
                    };
                };
                /** @description Redis unreachable (SERVICE_UNAVAILABLE). */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            error: {
                                /** @description Stable machine-readable code, UPPER_SNAKE_CASE (e.g. NOT_FOUND). */
                                code: string;
                                /** @description Human-readable explanation. */
                                message: string;
                                /** @description Structured details, e.g. the invalid fields. */
                                details?: unknown;
                            };
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/training-jobs/{id}/samples": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List a training job's pictures per epoch
         * @description A few fixed validation images: their ground truth (epoch 0) and the coloured predictions after the first epoch and the most recent ones. Empty until the first epoch ends.
         */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    /** @description Job id, as returned by POST /v1/training-jobs. */
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description A job's pictures per epoch. */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Validation images rendered per epoch. */
                            samples: number;
                            /** @description Epochs with pictures, ascending: the first epoch and the most recent ones. */
                            epochs: number[];
                            /** @description Predicted views per image (e.g. segmentation, overlay). */
                            views: string[];
                            /** @description Ground-truth pictures per image, under epoch 0. */
                            groundTruth: string[];
                        };
                    };
                };
                /** @description Malformed id (VALIDATION_ERROR). */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            error: {
                                /** @description Stable machine-readable code, UPPER_SNAKE_CASE (e.g. NOT_FOUND). */
                                code: string;
                                /** @description Human-readable explanation. */
                                message: string;
                                /** @description Structured details, e.g. the invalid fields. */
                                details?: unknown;
                            };
                        };
                    };
                };
                /** @description Missing or unknown API key (UNAUTHORIZED). */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            error: {
                                /** @description Stable machine-readable code, UPPER_SNAKE_CASE (e.g. NOT_FOUND). */
                                code: string;
                                /** @description Human-readable explanation. */
                                message: string;
                                /** @description Structured details, e.g. the invalid fields. */
                                details?: unknown;
                            };
                        };
                    };
                };
                /** @description Unknown job (NOT_FOUND). */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            error: {
                                /** @description Stable machine-readable code, UPPER_SNAKE_CASE (e.g. NOT_FOUND). */
                                code: string;
                                /** @description Human-readable explanation. */
                                message: string;
                                /** @description Structured details, e.g. the invalid fields. */
                                details?: unknown;
                            };
                        };
                    };
                };
                /** @description Redis unreachable (SERVICE_UNAVAILABLE). */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            error: {
                                /** @description Stable machine-readable code, UPPER_SNAKE_CASE (e.g. NOT_FOUND). */
                                code: string;
                                /** @description Human-readable explanation. */
                                message: string;
                                /** @description Structured details, e.g. the invalid fields. */
                                details?: unknown;
                            };
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/training-jobs/{id}/samples/{epoch}/{sample}/{view}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Get one picture of a training job */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    /** @description Job id, as returned by POST /v1/training-jobs. */
                    id: string;
                    /** @description Epoch (0 = ground truth). */
                    epoch: number;
                    /** @description Image index. */
                    sample: number;
                    /** @description View file, e.g. overlay.png. */
                    view: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Malformed id (VALIDATION_ERROR). */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "image/png": {
                            error: {
                                /** @description Stable machine-readable code, UPPER_SNAKE_CASE (e.g. NOT_FOUND). */
                                code: string;
                                /** @description Human-readable explanation. */
                                message: string;
                                /** @description Structured details, e.g. the invalid fields. */
                                details?: unknown;
                            };
                        };
                    };
                };
                /** @description Missing or unknown API key (UNAUTHORIZED). */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "image/png": {
                            error: {
                                /** @description Stable machine-readable code, UPPER_SNAKE_CASE (e.g. NOT_FOUND). */
                                code: string;
                                /** @description Human-readable explanation. */
                                message: string;
                                /** @description Structured details, e.g. the invalid fields. */
                                details?: unknown;
                            };
                        };
                    };
                };
                /** @description No such job or picture (NOT_FOUND). */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "image/png": {
                            error: {
                                /** @description Stable machine-readable code, UPPER_SNAKE_CASE (e.g. NOT_FOUND). */
                                code: string;
                                /** @description Human-readable explanation. */
                                message: string;
                                /** @description Structured details, e.g. the invalid fields. */
                                details?: unknown;
                            };
                        };
                    };
                };
                /** @description Redis unreachable (SERVICE_UNAVAILABLE). */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "image/png": {
                            error: {
                                /** @description Stable machine-readable code, UPPER_SNAKE_CASE (e.g. NOT_FOUND). */
                                code: string;
                                /** @description Human-readable explanation. */
                                message: string;
                                /** @description Structured details, e.g. the invalid fields. */
                                details?: unknown;
                            };
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/models": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List trained models
         * @description Newest first. `?name=` and `?label=key:value` (repeatable, all must match) keep the models whose training job had that name and those labels; broken models are listed only without filters.
         */
        get: {
            parameters: {
                query?: {
                    /** @description Only those with exactly this name. */
                    name?: string;
                    /** @description Only those with this label (key:value); repeat it for several labels, all of which must match. */
                    label?: string[];
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Newest first: ready models by createdAt, broken ones by modifiedAt. */
                            items: ({
                                id: string;
                                /** @description A name for the job and its model, 1 to 128 characters (no control characters); filter lists with ?name=. */
                                name?: string;
                                /** @description Up to 16 labels, key -> value, copied to the model; keys are 1 to 63 letters, digits, ".", "_", "-" or "/", starting with a letter or digit; values at most 128 characters. Filter lists with ?label=key:value. */
                                labels?: {
                                    [key: string]: string;
                                };
                                /**
                                 * @description The model loads and predicts.
                                 * @enum {string}
                                 */
                                status: "ready";
                                /** Format: date-time */
                                createdAt: string;
                                tasks: string[];
                                inputSize: number[];
                                strategy: string;
                                sourceJob?: string;
                                /** @description Headline validation metrics. */
                                metrics: {
                                    [key: string]: unknown;
                                };
                            } | {
                                id: string;
                                /** @enum {string} */
                                status: "broken";
                                /** @description What is wrong with its files (e.g. "weights.bin is missing"), as in the MODEL_BROKEN error that GET /v1/models/{id} and predict answer. */
                                problem: string;
                                /**
                                 * Format: date-time
                                 * @description When its folder last changed.
                                 */
                                modifiedAt: string;
                            })[];
                        };
                    };
                };
                /** @description Invalid filter (VALIDATION_ERROR). */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            error: {
                                /** @description Stable machine-readable code, UPPER_SNAKE_CASE (e.g. NOT_FOUND). */
                                code: string;
                                /** @description Human-readable explanation. */
                                message: string;
                                /** @description Structured details, e.g. the invalid fields. */
                                details?: unknown;
                            };
                        };
                    };
                };
                /** @description Missing or unknown API key (UNAUTHORIZED). */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            error: {
                                /** @description Stable machine-readable code, UPPER_SNAKE_CASE (e.g. NOT_FOUND). */
                                code: string;
                                /** @description Human-readable explanation. */
                                message: string;
                                /** @description Structured details, e.g. the invalid fields. */
                                details?: unknown;
                            };
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/models/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * A model's manifest
         * @description Tasks, classes and colours, input size, normalisation, weighting strategy with learned log-variances and sigmas, metrics, training spec, source job, backend. 409 MODEL_BROKEN when its manifest.json is malformed or model.json or weights.bin is missing.
         */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    /** @description Model id: the id of the job that trained it, or a new one for a promoted checkpoint. */
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            id: string;
                            /** @description A name for the job and its model, 1 to 128 characters (no control characters); filter lists with ?name=. */
                            name?: string;
                            /** @description Up to 16 labels, key -> value, copied to the model; keys are 1 to 63 letters, digits, ".", "_", "-" or "/", starting with a letter or digit; values at most 128 characters. Filter lists with ?label=key:value. */
                            labels?: {
                                [key: string]: string;
                            };
                            /** Format: date-time */
                            createdAt: string;
                            tasks: ("segmentation" | "instances" | "depth")[];
                            classes: {
                                trainId: number;
                                name: string;
                                color: number[];
                                isThing: boolean;
                            }[];
                            /** @description [height, width] */
                            inputSize: number[];
                            normalisation: {
                                mean: number[];
                                std: number[];
                            };
                            weighting: {
                                strategy: string;
                                weights: {
                                    segmentation?: number;
                                    instances?: number;
                                    depth?: number;
                                };
                                logVariances?: {
                                    segmentation?: number;
                                    instances?: number;
                                    depth?: number;
                                };
                                sigmas?: {
                                    segmentation?: number;
                                    instances?: number;
                                    depth?: number;
                                };
                                optimalLogVariances?: {
                                    segmentation?: number;
                                    instances?: number;
                                    depth?: number;
                                };
                                logVarianceGaps?: {
                                    segmentation?: number;
                                    instances?: number;
                                    depth?: number;
                                };
                            };
                            /** @description Validation metrics of the last epoch. */
                            metrics: {
                                [key: string]: unknown;
                            };
                            /** @description Per-epoch trajectory as the job reported it: losses, weights, and for uncertainty strategies logVariances, sigmas, optimalLogVariances and logVarianceGaps, with the validation metrics. */
                            history: {
                                [key: string]: unknown;
                            }[];
                            /** @description The training spec. */
                            training: {
                                [key: string]: unknown;
                            };
                            camera?: {
                                fx: number;
                                baseline: number;
                            };
                            sourceJob?: string;
                            /** @description The checkpoint of sourceJob the model was promoted from. */
                            sourceCheckpoint?: string;
                            backend: {
                                name: string;
                                package: string;
                                gpu: boolean;
                                tfjsVersion: string;
                            };
                        } & {
                            [key: string]: unknown;
                        };
                    };
                };
                /** @description Malformed id (VALIDATION_ERROR). */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            error: {
                                /** @description Stable machine-readable code, UPPER_SNAKE_CASE (e.g. NOT_FOUND). */
                                code: string;
                                /** @description Human-readable explanation. */
                                message: string;
                                /** @description Structured details, e.g. the invalid fields. */
                                details?: unknown;
                            };
                        };
                    };
                };
                /** @description Missing or unknown API key (UNAUTHORIZED). */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            error: {
                                /** @description Stable machine-readable code, UPPER_SNAKE_CASE (e.g. NOT_FOUND). */
                                code: string;
                                /** @description Human-readable explanation. */
                                message: string;
                                /** @description Structured details, e.g. the invalid fields. */
                                details?: unknown;
                            };
                        };
                    };
                };
                /** @description No such model */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            error: {
                                /** @description Stable machine-readable code, UPPER_SNAKE_CASE (e.g. NOT_FOUND). */
                                code: string;
                                /** @description Human-readable explanation. */
                                message: string;
                                /** @description Structured details, e.g. the invalid fields. */
                                details?: unknown;
                            };
                        };
                    };
                };
                /** @description The model's files are broken (MODEL_BROKEN; details name the model and the problem): delete it or train it again. */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            error: {
                                /** @description Stable machine-readable code, UPPER_SNAKE_CASE (e.g. NOT_FOUND). */
                                code: string;
                                /** @description Human-readable explanation. */
                                message: string;
                                /** @description Structured details, e.g. the invalid fields. */
                                details?: unknown;
                            };
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        /**
         * Delete a model
         * @description Refused (409) while the training job that writes this model is queued or running. Works on a broken model too.
         */
        delete: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    /** @description Model id: the id of the job that trained it, or a new one for a promoted checkpoint. */
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Deleted */
                204: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
                /** @description Malformed id (VALIDATION_ERROR). */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            error: {
                                /** @description Stable machine-readable code, UPPER_SNAKE_CASE (e.g. NOT_FOUND). */
                                code: string;
                                /** @description Human-readable explanation. */
                                message: string;
                                /** @description Structured details, e.g. the invalid fields. */
                                details?: unknown;
                            };
                        };
                    };
                };
                /** @description Missing or unknown API key (UNAUTHORIZED). */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            error: {
                                /** @description Stable machine-readable code, UPPER_SNAKE_CASE (e.g. NOT_FOUND). */
                                code: string;
                                /** @description Human-readable explanation. */
                                message: string;
                                /** @description Structured details, e.g. the invalid fields. */
                                details?: unknown;
                            };
                        };
                    };
                };
                /** @description No such model */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            error: {
                                /** @description Stable machine-readable code, UPPER_SNAKE_CASE (e.g. NOT_FOUND). */
                                code: string;
                                /** @description Human-readable explanation. */
                                message: string;
                                /** @description Structured details, e.g. the invalid fields. */
                                details?: unknown;
                            };
                        };
                    };
                };
                /** @description A job is writing the model */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            error: {
                                /** @description Stable machine-readable code, UPPER_SNAKE_CASE (e.g. NOT_FOUND). */
                                code: string;
                                /** @description Human-readable explanation. */
                                message: string;
                                /** @description Structured details, e.g. the invalid fields. */
                                details?: unknown;
                            };
                        };
                    };
                };
                /** @description Redis unreachable: whether a job writes the model is unknown (SERVICE_UNAVAILABLE). */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            error: {
                                /** @description Stable machine-readable code, UPPER_SNAKE_CASE (e.g. NOT_FOUND). */
                                code: string;
                                /** @description Human-readable explanation. */
                                message: string;
                                /** @description Structured details, e.g. the invalid fields. */
                                details?: unknown;
                            };
                        };
                    };
                };
            };
        };
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/models/{id}/predict": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Predict segmentation, instances and depth for an image
         * @description Body: an image (`image/png`, `image/jpeg`, or `multipart/form-data` with field `image`) of any size. Answers JSON with every requested output at the image size, or, with `view` (or `Accept: image/png`), a coloured PNG, or, with `encoding=raw` (or `Accept: application/octet-stream`), the same fields with the maps as raw little-endian arrays: a uint32 LE header length L, then L bytes of UTF-8 JSON (the JSON answer with each map as `{format: "raw", dtype: uint8|uint16|float32, shape: [height, width], offset, byteLength}`, space-padded so the data starts on a multiple of 8), then the data section, each map at `offset` bytes from its start (multiples of 8); disparity (px) and depth (m) are float32, unquantised (docs/service.md). Work and memory grow linearly with the pixels (up to MAX_IMAGE_PIXELS). 404 when the model is deleted, also while the prediction loads it; 409 MODEL_BROKEN when its files are broken; 503 with Retry-After when every predictor is busy.
         */
        post: {
            parameters: {
                query?: {
                    /** @description Comma-separated heads: segmentation, instances, depth (default: all the model has). */
                    outputs?: string;
                    /** @description Answer a coloured PNG of this output instead of JSON. */
                    view?: "segmentation" | "instances" | "depth" | "overlay";
                    /** @description How the maps travel: png (default; PNGs in the JSON answer) or raw (an application/octet-stream answer: length-prefixed JSON header, then the maps as typed arrays; see the route description). `Accept: application/octet-stream` means raw. */
                    encoding?: "png" | "raw";
                };
                header?: never;
                path: {
                    /** @description Model id: the id of the job that trained it, or a new one for a promoted checkpoint. */
                    id: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "image/png": Blob;
                    "image/jpeg": Blob;
                    "multipart/form-data": {
                        /**
                         * Format: binary
                         * @description The image file, PNG or JPEG.
                         */
                        image: Blob;
                    };
                };
            };
            responses: {
                /** @description The prediction (JSON; with `encoding=raw` or `Accept: application/octet-stream` the raw binary layout), or with `view` (or `Accept: image/png`) a coloured PNG. */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            model: string;
                            width: number;
                            height: number;
                            segmentation?: {
                                classes: {
                                    trainId: number;
                                    name: string;
                                    color: number[];
                                    pixelShare: number;
                                }[];
                                /** @description 8-bit grey PNG of train ids at the image size */
                                labelMap: {
                                    /** @enum {string} */
                                    format: "png";
                                    /** @enum {number} */
                                    bitDepth: 8 | 16;
                                    /** @enum {string} */
                                    encoding: "base64";
                                    data: string;
                                    /** @description value = pixel / scale */
                                    scale?: number;
                                };
                            };
                            instances?: {
                                count: number;
                                instances: {
                                    /** @description Value of the instance in idMap */
                                    id: number;
                                    trainId: number;
                                    className: string | null;
                                    area: number;
                                    /** @description [x0, y0, x1, y1], x1/y1 exclusive */
                                    bbox: number[];
                                    /** @description [x, y] */
                                    centroid: number[];
                                    score: number;
                                }[];
                                /** @description 16-bit grey PNG of instance ids (0 = none) at the image size */
                                idMap: {
                                    /** @enum {string} */
                                    format: "png";
                                    /** @enum {number} */
                                    bitDepth: 8 | 16;
                                    /** @enum {string} */
                                    encoding: "base64";
                                    data: string;
                                    /** @description value = pixel / scale */
                                    scale?: number;
                                };
                            };
                            depth?: {
                                /** @enum {string} */
                                unit: "px";
                                /** @description Smallest disparity (px of this image) */
                                min: number;
                                max: number;
                                /** @description 16-bit grey PNG of disparity; disparity_px = pixel / scale */
                                disparityMap: {
                                    /** @enum {string} */
                                    format: "png";
                                    /** @enum {number} */
                                    bitDepth: 8 | 16;
                                    /** @enum {string} */
                                    encoding: "base64";
                                    data: string;
                                    /** @description value = pixel / scale */
                                    scale?: number;
                                };
                                metres?: {
                                    min: number;
                                    max: number;
                                    median: number;
                                    /** @description 16-bit grey PNG of depth; metres = pixel / scale (0 = unknown) */
                                    depthMap: {
                                        /** @enum {string} */
                                        format: "png";
                                        /** @enum {number} */
                                        bitDepth: 8 | 16;
                                        /** @enum {string} */
                                        encoding: "base64";
                                        data: string;
                                        /** @description value = pixel / scale */
                                        scale?: number;
                                    };
                                };
                            };
                            timings: {
                                decodeMs: number;
                                preprocessMs: number;
                                inferenceMs: number;
                                postprocessMs: number;
                                encodeMs: number;
                                /** @description Images in the forward pass this prediction shared (inferenceMs is that pass) */
                                batch: number;
                                /** @description Predictor threads that ran this prediction's heads: 2 when an idle thread computed some of them (and the depth maps) while this one computed the rest; inferenceMs is then this thread's part, and postprocessMs and encodeMs add both threads' times */
                                threads: number;
                            };
                        };
                        "image/png": Blob;
                        "application/octet-stream": Blob;
                    };
                };
                /** @description Empty or malformed body (multipart), bad outputs, view or encoding, malformed id */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            error: {
                                /** @description Stable machine-readable code, UPPER_SNAKE_CASE (e.g. NOT_FOUND). */
                                code: string;
                                /** @description Human-readable explanation. */
                                message: string;
                                /** @description Structured details, e.g. the invalid fields. */
                                details?: unknown;
                            };
                        };
                    };
                };
                /** @description Missing or unknown API key (UNAUTHORIZED). */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            error: {
                                /** @description Stable machine-readable code, UPPER_SNAKE_CASE (e.g. NOT_FOUND). */
                                code: string;
                                /** @description Human-readable explanation. */
                                message: string;
                                /** @description Structured details, e.g. the invalid fields. */
                                details?: unknown;
                            };
                        };
                    };
                };
                /** @description No such model */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            error: {
                                /** @description Stable machine-readable code, UPPER_SNAKE_CASE (e.g. NOT_FOUND). */
                                code: string;
                                /** @description Human-readable explanation. */
                                message: string;
                                /** @description Structured details, e.g. the invalid fields. */
                                details?: unknown;
                            };
                        };
                    };
                };
                /** @description The model's files are broken (MODEL_BROKEN; details name the model and the problem): delete it or train it again. */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            error: {
                                /** @description Stable machine-readable code, UPPER_SNAKE_CASE (e.g. NOT_FOUND). */
                                code: string;
                                /** @description Human-readable explanation. */
                                message: string;
                                /** @description Structured details, e.g. the invalid fields. */
                                details?: unknown;
                            };
                        };
                    };
                };
                /** @description Body or image too large */
                413: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            error: {
                                /** @description Stable machine-readable code, UPPER_SNAKE_CASE (e.g. NOT_FOUND). */
                                code: string;
                                /** @description Human-readable explanation. */
                                message: string;
                                /** @description Structured details, e.g. the invalid fields. */
                                details?: unknown;
                            };
                        };
                    };
                };
                /** @description Not a PNG/JPEG/multipart body: the message says "send image/png, image/jpeg or multipart/form-data with field image" */
                415: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            error: {
                                /** @description Stable machine-readable code, UPPER_SNAKE_CASE (e.g. NOT_FOUND). */
                                code: string;
                                /** @description Human-readable explanation. */
                                message: string;
                                /** @description Structured details, e.g. the invalid fields. */
                                details?: unknown;
                            };
                        };
                    };
                };
                /** @description The image does not decode */
                422: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            error: {
                                /** @description Stable machine-readable code, UPPER_SNAKE_CASE (e.g. NOT_FOUND). */
                                code: string;
                                /** @description Human-readable explanation. */
                                message: string;
                                /** @description Structured details, e.g. the invalid fields. */
                                details?: unknown;
                            };
                        };
                    };
                };
                /** @description Every predictor is busy; see Retry-After */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            error: {
                                /** @description Stable machine-readable code, UPPER_SNAKE_CASE (e.g. NOT_FOUND). */
                                code: string;
                                /** @description Human-readable explanation. */
                                message: string;
                                /** @description Structured details, e.g. the invalid fields. */
                                details?: unknown;
                            };
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/models/{id}/files/{file}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Download a model's network file (tfjs layers format)
         * @description model.json or weights.bin, for `tf.loadLayersModel('<base>/v1/models/{id}/files/model.json')` in a browser or Node. With an ETag; `If-None-Match` with it answers 304. Pages of the origins in CORS_ORIGINS may read it; when API_KEYS is set the request needs `Authorization: Bearer <key>` (tfjs: `loadLayersModel(url, { requestInit: { headers: { Authorization: 'Bearer <key>' } } })`).
         */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    /** @description Model id: the id of the job that trained it, or a new one for a promoted checkpoint. */
                    id: string;
                    /** @description model.json (topology and weights manifest) or weights.bin (the weights it names). */
                    file: "model.json" | "weights.bin";
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description The file (model.json: application/json; weights.bin: application/octet-stream). */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": Blob;
                        "application/octet-stream": Blob;
                    };
                };
                /** @description Not modified: If-None-Match names the current ETag. */
                304: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
                /** @description Missing or unknown API key (UNAUTHORIZED). */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            error: {
                                /** @description Stable machine-readable code, UPPER_SNAKE_CASE (e.g. NOT_FOUND). */
                                code: string;
                                /** @description Human-readable explanation. */
                                message: string;
                                /** @description Structured details, e.g. the invalid fields. */
                                details?: unknown;
                            };
                        };
                        "application/octet-stream": {
                            error: {
                                /** @description Stable machine-readable code, UPPER_SNAKE_CASE (e.g. NOT_FOUND). */
                                code: string;
                                /** @description Human-readable explanation. */
                                message: string;
                                /** @description Structured details, e.g. the invalid fields. */
                                details?: unknown;
                            };
                        };
                    };
                };
                /** @description No such model */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            error: {
                                /** @description Stable machine-readable code, UPPER_SNAKE_CASE (e.g. NOT_FOUND). */
                                code: string;
                                /** @description Human-readable explanation. */
                                message: string;
                                /** @description Structured details, e.g. the invalid fields. */
                                details?: unknown;
                            };
                        };
                        "application/octet-stream": {
                            error: {
                                /** @description Stable machine-readable code, UPPER_SNAKE_CASE (e.g. NOT_FOUND). */
                                code: string;
                                /** @description Human-readable explanation. */
                                message: string;
                                /** @description Structured details, e.g. the invalid fields. */
                                details?: unknown;
                            };
                        };
                    };
                };
                /** @description The model's files are broken (MODEL_BROKEN; details name the model and the problem): delete it or train it again. */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            error: {
                                /** @description Stable machine-readable code, UPPER_SNAKE_CASE (e.g. NOT_FOUND). */
                                code: string;
                                /** @description Human-readable explanation. */
                                message: string;
                                /** @description Structured details, e.g. the invalid fields. */
                                details?: unknown;
                            };
                        };
                        "application/octet-stream": {
                            error: {
                                /** @description Stable machine-readable code, UPPER_SNAKE_CASE (e.g. NOT_FOUND). */
                                code: string;
                                /** @description Human-readable explanation. */
                                message: string;
                                /** @description Structured details, e.g. the invalid fields. */
                                details?: unknown;
                            };
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/datasets": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List datasets
         * @description The synthetic datasets the service generated (ARTIFACT_DIR/datasets) and the CityScapes-layout datasets in DATA_DIR, with their bytes on disk, scenes per split and the queued or running jobs that use them. Sizes are measured by walking the files at each call.
         */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Generated datasets first, then those in DATA_DIR, each sorted by id. */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            items: {
                                /** @description Id for `/v1/datasets/{id}`: the folder name of a generated dataset (`synthetic-{scenes}-{validationScenes}-{height}x{width}-seed{seed}`), `data:{path}` for one in DATA_DIR. */
                                id: string;
                                /**
                                 * @description `synthetic`: generated by the service under ARTIFACT_DIR/datasets (deletable); `cityscapes`: a CityScapes-layout directory in DATA_DIR (never deleted by the service).
                                 * @enum {string}
                                 */
                                kind: "synthetic" | "cityscapes";
                                /** @description For `cityscapes`, the `dataset.path` a training job names it by; for `synthetic`, its folder. */
                                path: string;
                                /** @description Bytes of its files on disk. */
                                bytes: number;
                                /** @description Number of its files. */
                                files: number;
                                /** @description Scenes (images) per split, e.g. `{ "train": 16, "val": 4 }`. */
                                scenes: {
                                    [key: string]: number;
                                };
                                /** @description Scenes over all splits. */
                                totalScenes: number;
                                /**
                                 * Format: date-time
                                 * @description When it was generated (generated datasets) or last modified (DATA_DIR datasets).
                                 */
                                createdAt: string;
                                /** @description Whether `DELETE /v1/datasets/{id}` may remove it. */
                                deletable: boolean;
                                /** @description Ids of the queued or running training jobs that will read it (it cannot be deleted meanwhile). */
                                usedBy: string[];
                                /** @description What a generated dataset was generated from (its training spec `dataset`). */
                                generated?: {
                                    scenes: number;
                                    validationScenes: number;
                                    /** @description [height, width] */
                                    size: number[];
                                    seed: number;
                                };
                            }[];
                            /** @description Bytes of every listed dataset together. */
                            totalBytes: number;
                        };
                    };
                };
                /** @description Missing or unknown API key (UNAUTHORIZED). */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            error: {
                                /** @description Stable machine-readable code, UPPER_SNAKE_CASE (e.g. NOT_FOUND). */
                                code: string;
                                /** @description Human-readable explanation. */
                                message: string;
                                /** @description Structured details, e.g. the invalid fields. */
                                details?: unknown;
                            };
                        };
                    };
                };
                /** @description Redis unreachable (SERVICE_UNAVAILABLE). */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            error: {
                                /** @description Stable machine-readable code, UPPER_SNAKE_CASE (e.g. NOT_FOUND). */
                                code: string;
                                /** @description Human-readable explanation. */
                                message: string;
                                /** @description Structured details, e.g. the invalid fields. */
                                details?: unknown;
                            };
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/datasets/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Read a dataset */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    /** @description Dataset id from GET /v1/datasets (URL-encode the `/` of a DATA_DIR path as %2F). */
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description A dataset on disk. */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Id for `/v1/datasets/{id}`: the folder name of a generated dataset (`synthetic-{scenes}-{validationScenes}-{height}x{width}-seed{seed}`), `data:{path}` for one in DATA_DIR. */
                            id: string;
                            /**
                             * @description `synthetic`: generated by the service under ARTIFACT_DIR/datasets (deletable); `cityscapes`: a CityScapes-layout directory in DATA_DIR (never deleted by the service).
                             * @enum {string}
                             */
                            kind: "synthetic" | "cityscapes";
                            /** @description For `cityscapes`, the `dataset.path` a training job names it by; for `synthetic`, its folder. */
                            path: string;
                            /** @description Bytes of its files on disk. */
                            bytes: number;
                            /** @description Number of its files. */
                            files: number;
                            /** @description Scenes (images) per split, e.g. `{ "train": 16, "val": 4 }`. */
                            scenes: {
                                [key: string]: number;
                            };
                            /** @description Scenes over all splits. */
                            totalScenes: number;
                            /**
                             * Format: date-time
                             * @description When it was generated (generated datasets) or last modified (DATA_DIR datasets).
                             */
                            createdAt: string;
                            /** @description Whether `DELETE /v1/datasets/{id}` may remove it. */
                            deletable: boolean;
                            /** @description Ids of the queued or running training jobs that will read it (it cannot be deleted meanwhile). */
                            usedBy: string[];
                            /** @description What a generated dataset was generated from (its training spec `dataset`). */
                            generated?: {
                                scenes: number;
                                validationScenes: number;
                                /** @description [height, width] */
                                size: number[];
                                seed: number;
                            };
                        };
                    };
                };
                /** @description Missing or unknown API key (UNAUTHORIZED). */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            error: {
                                /** @description Stable machine-readable code, UPPER_SNAKE_CASE (e.g. NOT_FOUND). */
                                code: string;
                                /** @description Human-readable explanation. */
                                message: string;
                                /** @description Structured details, e.g. the invalid fields. */
                                details?: unknown;
                            };
                        };
                    };
                };
                /** @description No such dataset (DATASET_NOT_FOUND). */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            error: {
                                /** @description Stable machine-readable code, UPPER_SNAKE_CASE (e.g. NOT_FOUND). */
                                code: string;
                                /** @description Human-readable explanation. */
                                message: string;
                                /** @description Structured details, e.g. the invalid fields. */
                                details?: unknown;
                            };
                        };
                    };
                };
                /** @description Redis unreachable (SERVICE_UNAVAILABLE). */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            error: {
                                /** @description Stable machine-readable code, UPPER_SNAKE_CASE (e.g. NOT_FOUND). */
                                code: string;
                                /** @description Human-readable explanation. */
                                message: string;
                                /** @description Structured details, e.g. the invalid fields. */
                                details?: unknown;
                            };
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        /**
         * Delete a generated dataset
         * @description Removes a synthetic dataset the service generated; a job that asks for it later generates it again. Refused (409 DATASET_IN_USE) while a queued or running job uses it, and (403 DATASET_NOT_DELETABLE) for a dataset in DATA_DIR: the service never deletes user data.
         */
        delete: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    /** @description Dataset id from GET /v1/datasets (URL-encode the `/` of a DATA_DIR path as %2F). */
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Deleted. */
                204: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
                /** @description Missing or unknown API key (UNAUTHORIZED). */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            error: {
                                /** @description Stable machine-readable code, UPPER_SNAKE_CASE (e.g. NOT_FOUND). */
                                code: string;
                                /** @description Human-readable explanation. */
                                message: string;
                                /** @description Structured details, e.g. the invalid fields. */
                                details?: unknown;
                            };
                        };
                    };
                };
                /** @description A dataset in DATA_DIR (DATASET_NOT_DELETABLE). */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            error: {
                                /** @description Stable machine-readable code, UPPER_SNAKE_CASE (e.g. NOT_FOUND). */
                                code: string;
                                /** @description Human-readable explanation. */
                                message: string;
                                /** @description Structured details, e.g. the invalid fields. */
                                details?: unknown;
                            };
                        };
                    };
                };
                /** @description No such dataset (DATASET_NOT_FOUND). */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            error: {
                                /** @description Stable machine-readable code, UPPER_SNAKE_CASE (e.g. NOT_FOUND). */
                                code: string;
                                /** @description Human-readable explanation. */
                                message: string;
                                /** @description Structured details, e.g. the invalid fields. */
                                details?: unknown;
                            };
                        };
                    };
                };
                /** @description A queued or running job uses it (DATASET_IN_USE); `details.jobIds` names them. */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            error: {
                                /** @description Stable machine-readable code, UPPER_SNAKE_CASE (e.g. NOT_FOUND). */
                                code: string;
                                /** @description Human-readable explanation. */
                                message: string;
                                /** @description Structured details, e.g. the invalid fields. */
                                details?: unknown;
                            };
                        };
                    };
                };
                /** @description Redis unreachable (SERVICE_UNAVAILABLE). */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            error: {
                                /** @description Stable machine-readable code, UPPER_SNAKE_CASE (e.g. NOT_FOUND). */
                                code: string;
                                /** @description Human-readable explanation. */
                                message: string;
                                /** @description Structured details, e.g. the invalid fields. */
                                details?: unknown;
                            };
                        };
                    };
                };
            };
        };
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/studies": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List studies
         * @description Newest first, each with its status and run counts.
         */
        get: {
            parameters: {
                query?: {
                    limit?: number;
                    offset?: number;
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            items: {
                                id: string;
                                name: string;
                                /**
                                 * @description queued: no run has started; running: runs are training; cancelling: cancel requested, runs still stopping; cancelled; completed: every run scored; failed: every run ended and some failed or were cancelled.
                                 * @enum {string}
                                 */
                                status: "queued" | "running" | "cancelling" | "cancelled" | "completed" | "failed";
                                /** Format: date-time */
                                createdAt: string;
                                /** Format: date-time */
                                cancelRequestedAt?: string;
                                /** Format: date-time */
                                finishedAt?: string;
                                /** @description Runs per job status. */
                                runCounts: {
                                    [key: string]: number;
                                };
                                runsPlanned: number;
                            }[];
                            total: number;
                            limit: number;
                            offset: number;
                        };
                    };
                };
                /** @description Invalid query (VALIDATION_ERROR). */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            error: {
                                /** @description Stable machine-readable code, UPPER_SNAKE_CASE (e.g. NOT_FOUND). */
                                code: string;
                                /** @description Human-readable explanation. */
                                message: string;
                                /** @description Structured details, e.g. the invalid fields. */
                                details?: unknown;
                            };
                        };
                    };
                };
                /** @description Missing or unknown API key (UNAUTHORIZED). */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            error: {
                                /** @description Stable machine-readable code, UPPER_SNAKE_CASE (e.g. NOT_FOUND). */
                                code: string;
                                /** @description Human-readable explanation. */
                                message: string;
                                /** @description Structured details, e.g. the invalid fields. */
                                details?: unknown;
                            };
                        };
                    };
                };
                /** @description Redis unreachable (SERVICE_UNAVAILABLE). */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            error: {
                                /** @description Stable machine-readable code, UPPER_SNAKE_CASE (e.g. NOT_FOUND). */
                                code: string;
                                /** @description Human-readable explanation. */
                                message: string;
                                /** @description Structured details, e.g. the invalid fields. */
                                details?: unknown;
                            };
                        };
                    };
                };
            };
        };
        put?: never;
        /**
         * Start a study (a weighting comparison)
         * @description Plans the comparison (rows: single-task per task, equal, a fixed-weight grid, the learned strategies asked for; times the seeds), checks the dataset and one run's cost like a training job, and queues every run as a training job labelled `study:<id>`, spread over the workers. With `Idempotency-Key`, a resubmission returns the same study.
         */
        post: {
            parameters: {
                query?: never;
                header?: {
                    /** @description Makes retries safe: a resubmission with the same key and body within 24 h returns the same study (409 if the body differs). */
                    "idempotency-key"?: string;
                };
                path?: never;
                cookie?: never;
            };
            /** @description A weighting comparison: rows (methods) x seeds, each an ordinary training job, at most 200 runs. */
            requestBody: {
                content: {
                    /**
                     * @example {
                     *       "dataset": {
                     *         "kind": "synthetic",
                     *         "train": 32,
                     *         "validation": 8,
                     *         "test": 8,
                     *         "size": [
                     *           64,
                     *           128
                     *         ],
                     *         "seed": 1
                     *       },
                     *       "methods": [
                     *         "equal",
                     *         "uncertainty"
                     *       ],
                     *       "seeds": [
                     *         1,
                     *         2
                     *       ],
                     *       "model": {
                     *         "width": 8,
                     *         "inputSize": [
                     *           64,
                     *           128
                     *         ]
                     *       },
                     *       "training": {
                     *         "epochs": 1,
                     *         "batchSize": 4
                     *       }
                     *     }
                     */
                    "application/json": {
                        /** @description A name for the job and its model, 1 to 128 characters (no control characters); filter lists with ?name=. */
                        name?: string;
                        dataset: {
                            /** @enum {string} */
                            kind: "synthetic";
                            /** @description Training scenes */
                            train: number;
                            /** @description Validation scenes (the best fixed point is chosen on them) */
                            validation: number;
                            /** @description Test scenes (the table reports on them) */
                            test: number;
                            /** @description [height, width] of the generated images */
                            size: number[];
                            /** @default 1 */
                            seed?: number;
                        } | {
                            /** @enum {string} */
                            kind: "cityscapes";
                            /** @description Directory relative to DATA_DIR */
                            path: string;
                            /** @default train */
                            trainSplit?: string;
                            /** @default val */
                            validationSplit?: string;
                            /** @default test */
                            testSplit?: string;
                        };
                        /** @description Tasks of the multi-task rows (default: all three); each also gets a single-task row. */
                        tasks?: ("segmentation" | "instances" | "depth")[];
                        /** @description Kinds of rows (default: single-task, equal, fixed, uncertainty, uncertainty-positive). fixed is one row per point of fixedGrid. */
                        methods?: ("single-task" | "equal" | "fixed" | "uncertainty" | "uncertainty-positive" | "gradnorm" | "dwa")[];
                        /** @description Fixed-weight points, a weight per task (default: the first task at 1, each other at 1/3, 1 or 3 times it). */
                        fixedGrid?: {
                            segmentation?: number;
                            instances?: number;
                            depth?: number;
                        }[];
                        /** @description One run of every row per seed (default [1, 2, 3]). */
                        seeds?: number[];
                        /** @description Default: width 16, input 64x128. */
                        model?: {
                            width: number;
                            /** @description [height, width], multiples of 32 */
                            inputSize: number[];
                        };
                        /** @default {} */
                        training?: {
                            /** @default 1 */
                            epochs?: number;
                            /** @default 4 */
                            batchSize?: number;
                            /**
                             * @description adam, or sgd with Nesterov momentum
                             * @enum {string}
                             */
                            optimizer?: "adam" | "sgd";
                            learningRate?: number;
                            logVarianceLearningRate?: number;
                            momentum?: number;
                            weightDecay?: number;
                            /**
                             * @description Learning-rate schedule
                             * @enum {string}
                             */
                            schedule?: "poly" | "constant";
                            /**
                             * @description Random horizontal flips
                             * @default true
                             */
                            augment?: boolean;
                        };
                        /** @description Steps between two curve points (default 10). */
                        curveEvery?: number;
                    };
                };
            };
            responses: {
                /** @description Queued (or the earlier study of the same Idempotency-Key). */
                202: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            id: string;
                            name: string;
                            /**
                             * @description queued: no run has started; running: runs are training; cancelling: cancel requested, runs still stopping; cancelled; completed: every run scored; failed: every run ended and some failed or were cancelled.
                             * @enum {string}
                             */
                            status: "queued" | "running" | "cancelling" | "cancelled" | "completed" | "failed";
                            /** Format: date-time */
                            createdAt: string;
                            /** Format: date-time */
                            cancelRequestedAt?: string;
                            /** Format: date-time */
                            finishedAt?: string;
                            /** @description Runs per job status. */
                            runCounts: {
                                [key: string]: number;
                            };
                            /** @description The request with every default filled in. */
                            request: unknown;
                            runs: {
                                /** @description <row>-seed<k> */
                                id: string;
                                row: string;
                                seed: number;
                                /** @description Its training job (GET /v1/training-jobs/{jobId}); a reused run has none (see `reused`). */
                                jobId: string;
                                /**
                                 * @description queued: waiting for a worker (also after a worker stopped and before another resumes it); running: a worker trains it; cancelling: a running job asked to stop, until its worker has stopped it (within a few seconds, in any phase); completed: the model is saved; failed: it stopped with an error; cancelled: stopped on request.
                                 * @enum {string}
                                 */
                                status: "queued" | "running" | "cancelling" | "completed" | "failed" | "cancelled";
                                percent: number;
                                modelId?: string;
                                /** @description Its test-split result is in the table. */
                                scored: boolean;
                                /**
                                 * @description Scored from an earlier result of the same run and spec, handed in when the study was submitted (the weighting bench resuming from its committed results); such a run has no job.
                                 * @enum {boolean}
                                 */
                                reused?: true;
                                error?: {
                                    code: string;
                                    message: string;
                                };
                            }[];
                            /** @description The comparison over the runs scored so far: per row (method) each metric's mean and std over seeds (test and validation), Delta_m against the single-task rows, mean rank, final weights, sigmas and s - s*, wall time, and which fixed row is best on validation. */
                            table?: unknown;
                        };
                    };
                };
                /** @description Invalid request (VALIDATION_ERROR, naming the field). */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            error: {
                                /** @description Stable machine-readable code, UPPER_SNAKE_CASE (e.g. NOT_FOUND). */
                                code: string;
                                /** @description Human-readable explanation. */
                                message: string;
                                /** @description Structured details, e.g. the invalid fields. */
                                details?: unknown;
                            };
                        };
                    };
                };
                /** @description Missing or unknown API key (UNAUTHORIZED). */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            error: {
                                /** @description Stable machine-readable code, UPPER_SNAKE_CASE (e.g. NOT_FOUND). */
                                code: string;
                                /** @description Human-readable explanation. */
                                message: string;
                                /** @description Structured details, e.g. the invalid fields. */
                                details?: unknown;
                            };
                        };
                    };
                };
                /** @description Idempotency-Key reused with another body (CONFLICT). */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            error: {
                                /** @description Stable machine-readable code, UPPER_SNAKE_CASE (e.g. NOT_FOUND). */
                                code: string;
                                /** @description Human-readable explanation. */
                                message: string;
                                /** @description Structured details, e.g. the invalid fields. */
                                details?: unknown;
                            };
                        };
                    };
                };
                /** @description Body over 64 KiB (PAYLOAD_TOO_LARGE). */
                413: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            error: {
                                /** @description Stable machine-readable code, UPPER_SNAKE_CASE (e.g. NOT_FOUND). */
                                code: string;
                                /** @description Human-readable explanation. */
                                message: string;
                                /** @description Structured details, e.g. the invalid fields. */
                                details?: unknown;
                            };
                        };
                    };
                };
                /** @description The body is not application/json (UNSUPPORTED_MEDIA_TYPE). */
                415: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            error: {
                                /** @description Stable machine-readable code, UPPER_SNAKE_CASE (e.g. NOT_FOUND). */
                                code: string;
                                /** @description Human-readable explanation. */
                                message: string;
                                /** @description Structured details, e.g. the invalid fields. */
                                details?: unknown;
                            };
                        };
                    };
                };
                /** @description Dataset missing or incomplete (DATASET_ERROR); one run over a cost limit (JOB_TOO_LARGE) or the disk (INSUFFICIENT_DISK). */
                422: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            error: {
                                /** @description Stable machine-readable code, UPPER_SNAKE_CASE (e.g. NOT_FOUND). */
                                code: string;
                                /** @description Human-readable explanation. */
                                message: string;
                                /** @description Structured details, e.g. the invalid fields. */
                                details?: unknown;
                            };
                        };
                    };
                };
                /** @description No room in the queue for every run (MAX_QUEUED_JOBS) or Redis down; see Retry-After. */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            error: {
                                /** @description Stable machine-readable code, UPPER_SNAKE_CASE (e.g. NOT_FOUND). */
                                code: string;
                                /** @description Human-readable explanation. */
                                message: string;
                                /** @description Structured details, e.g. the invalid fields. */
                                details?: unknown;
                            };
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/studies/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Read a study
         * @description Status, every run (its training job, status, progress, model) and, once runs are scored, the table.
         */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    /** @description Study id, as returned by POST /v1/studies. */
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            id: string;
                            name: string;
                            /**
                             * @description queued: no run has started; running: runs are training; cancelling: cancel requested, runs still stopping; cancelled; completed: every run scored; failed: every run ended and some failed or were cancelled.
                             * @enum {string}
                             */
                            status: "queued" | "running" | "cancelling" | "cancelled" | "completed" | "failed";
                            /** Format: date-time */
                            createdAt: string;
                            /** Format: date-time */
                            cancelRequestedAt?: string;
                            /** Format: date-time */
                            finishedAt?: string;
                            /** @description Runs per job status. */
                            runCounts: {
                                [key: string]: number;
                            };
                            /** @description The request with every default filled in. */
                            request: unknown;
                            runs: {
                                /** @description <row>-seed<k> */
                                id: string;
                                row: string;
                                seed: number;
                                /** @description Its training job (GET /v1/training-jobs/{jobId}); a reused run has none (see `reused`). */
                                jobId: string;
                                /**
                                 * @description queued: waiting for a worker (also after a worker stopped and before another resumes it); running: a worker trains it; cancelling: a running job asked to stop, until its worker has stopped it (within a few seconds, in any phase); completed: the model is saved; failed: it stopped with an error; cancelled: stopped on request.
                                 * @enum {string}
                                 */
                                status: "queued" | "running" | "cancelling" | "completed" | "failed" | "cancelled";
                                percent: number;
                                modelId?: string;
                                /** @description Its test-split result is in the table. */
                                scored: boolean;
                                /**
                                 * @description Scored from an earlier result of the same run and spec, handed in when the study was submitted (the weighting bench resuming from its committed results); such a run has no job.
                                 * @enum {boolean}
                                 */
                                reused?: true;
                                error?: {
                                    code: string;
                                    message: string;
                                };
                            }[];
                            /** @description The comparison over the runs scored so far: per row (method) each metric's mean and std over seeds (test and validation), Delta_m against the single-task rows, mean rank, final weights, sigmas and s - s*, wall time, and which fixed row is best on validation. */
                            table?: unknown;
                        };
                    };
                };
                /** @description Malformed id (VALIDATION_ERROR). */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            error: {
                                /** @description Stable machine-readable code, UPPER_SNAKE_CASE (e.g. NOT_FOUND). */
                                code: string;
                                /** @description Human-readable explanation. */
                                message: string;
                                /** @description Structured details, e.g. the invalid fields. */
                                details?: unknown;
                            };
                        };
                    };
                };
                /** @description Missing or unknown API key (UNAUTHORIZED). */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            error: {
                                /** @description Stable machine-readable code, UPPER_SNAKE_CASE (e.g. NOT_FOUND). */
                                code: string;
                                /** @description Human-readable explanation. */
                                message: string;
                                /** @description Structured details, e.g. the invalid fields. */
                                details?: unknown;
                            };
                        };
                    };
                };
                /** @description No such study (NOT_FOUND). */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            error: {
                                /** @description Stable machine-readable code, UPPER_SNAKE_CASE (e.g. NOT_FOUND). */
                                code: string;
                                /** @description Human-readable explanation. */
                                message: string;
                                /** @description Structured details, e.g. the invalid fields. */
                                details?: unknown;
                            };
                        };
                    };
                };
                /** @description Redis unreachable (SERVICE_UNAVAILABLE). */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            error: {
                                /** @description Stable machine-readable code, UPPER_SNAKE_CASE (e.g. NOT_FOUND). */
                                code: string;
                                /** @description Human-readable explanation. */
                                message: string;
                                /** @description Structured details, e.g. the invalid fields. */
                                details?: unknown;
                            };
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        /**
         * Delete a study
         * @description Deletes a study that has ended: its run jobs, results and record; with `?models=true` also the runs' models.
         */
        delete: {
            parameters: {
                query?: {
                    /** @description Also delete the models the study's runs trained. */
                    models?: boolean;
                };
                header?: never;
                path: {
                    /** @description Study id, as returned by POST /v1/studies. */
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Deleted. */
                204: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
                /** @description Malformed id (VALIDATION_ERROR). */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            error: {
                                /** @description Stable machine-readable code, UPPER_SNAKE_CASE (e.g. NOT_FOUND). */
                                code: string;
                                /** @description Human-readable explanation. */
                                message: string;
                                /** @description Structured details, e.g. the invalid fields. */
                                details?: unknown;
                            };
                        };
                    };
                };
                /** @description Missing or unknown API key (UNAUTHORIZED). */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            error: {
                                /** @description Stable machine-readable code, UPPER_SNAKE_CASE (e.g. NOT_FOUND). */
                                code: string;
                                /** @description Human-readable explanation. */
                                message: string;
                                /** @description Structured details, e.g. the invalid fields. */
                                details?: unknown;
                            };
                        };
                    };
                };
                /** @description No such study (NOT_FOUND). */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            error: {
                                /** @description Stable machine-readable code, UPPER_SNAKE_CASE (e.g. NOT_FOUND). */
                                code: string;
                                /** @description Human-readable explanation. */
                                message: string;
                                /** @description Structured details, e.g. the invalid fields. */
                                details?: unknown;
                            };
                        };
                    };
                };
                /** @description The study is queued, running or cancelling (JOB_RUNNING). */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            error: {
                                /** @description Stable machine-readable code, UPPER_SNAKE_CASE (e.g. NOT_FOUND). */
                                code: string;
                                /** @description Human-readable explanation. */
                                message: string;
                                /** @description Structured details, e.g. the invalid fields. */
                                details?: unknown;
                            };
                        };
                    };
                };
                /** @description Redis unreachable (SERVICE_UNAVAILABLE). */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            error: {
                                /** @description Stable machine-readable code, UPPER_SNAKE_CASE (e.g. NOT_FOUND). */
                                code: string;
                                /** @description Human-readable explanation. */
                                message: string;
                                /** @description Structured details, e.g. the invalid fields. */
                                details?: unknown;
                            };
                        };
                    };
                };
            };
        };
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/studies/{id}/table": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * A study's table as markdown or CSV
         * @description The same table as the bench writes (markdown), or one line per row and metric (CSV).
         */
        get: {
            parameters: {
                query?: {
                    format?: "markdown" | "csv";
                };
                header?: never;
                path: {
                    /** @description Study id, as returned by POST /v1/studies. */
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description The table. */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "text/markdown": string;
                        "text/csv": string;
                    };
                };
                /** @description Malformed id (VALIDATION_ERROR). */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            error: {
                                /** @description Stable machine-readable code, UPPER_SNAKE_CASE (e.g. NOT_FOUND). */
                                code: string;
                                /** @description Human-readable explanation. */
                                message: string;
                                /** @description Structured details, e.g. the invalid fields. */
                                details?: unknown;
                            };
                        };
                    };
                };
                /** @description Missing or unknown API key (UNAUTHORIZED). */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            error: {
                                /** @description Stable machine-readable code, UPPER_SNAKE_CASE (e.g. NOT_FOUND). */
                                code: string;
                                /** @description Human-readable explanation. */
                                message: string;
                                /** @description Structured details, e.g. the invalid fields. */
                                details?: unknown;
                            };
                        };
                    };
                };
                /** @description No such study (NOT_FOUND). */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            error: {
                                /** @description Stable machine-readable code, UPPER_SNAKE_CASE (e.g. NOT_FOUND). */
                                code: string;
                                /** @description Human-readable explanation. */
                                message: string;
                                /** @description Structured details, e.g. the invalid fields. */
                                details?: unknown;
                            };
                        };
                    };
                };
                /** @description Redis unreachable (SERVICE_UNAVAILABLE). */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            error: {
                                /** @description Stable machine-readable code, UPPER_SNAKE_CASE (e.g. NOT_FOUND). */
                                code: string;
                                /** @description Human-readable explanation. */
                                message: string;
                                /** @description Structured details, e.g. the invalid fields. */
                                details?: unknown;
                            };
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/studies/{id}/curves": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * A study's curves and per-class scores
         * @description Every scored run's recorded curve (every curveEvery steps: raw losses, effective weights, log-variances, sigmas and s - s* where learned), its final weights and its per-class IoU on the test split, with the class names: what the dashboard's compare page overlays.
         */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    /** @description Study id, as returned by POST /v1/studies. */
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            classes: {
                                trainId: number;
                                name: string;
                            }[];
                            runs: {
                                id: string;
                                row: string;
                                label: string;
                                group: string;
                                seed: number;
                                tasks: string[];
                                /** @description { step, losses, weights, logVariances?, sigmas?, logVarianceGaps? } every curveEvery steps. */
                                curve: unknown[];
                                /** @description Weights (and log-variances, sigmas, s - s*) after the last epoch. */
                                final: unknown;
                                perClassIoU: (number | null)[] | null;
                            }[];
                        };
                    };
                };
                /** @description Malformed id (VALIDATION_ERROR). */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            error: {
                                /** @description Stable machine-readable code, UPPER_SNAKE_CASE (e.g. NOT_FOUND). */
                                code: string;
                                /** @description Human-readable explanation. */
                                message: string;
                                /** @description Structured details, e.g. the invalid fields. */
                                details?: unknown;
                            };
                        };
                    };
                };
                /** @description Missing or unknown API key (UNAUTHORIZED). */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            error: {
                                /** @description Stable machine-readable code, UPPER_SNAKE_CASE (e.g. NOT_FOUND). */
                                code: string;
                                /** @description Human-readable explanation. */
                                message: string;
                                /** @description Structured details, e.g. the invalid fields. */
                                details?: unknown;
                            };
                        };
                    };
                };
                /** @description No such study (NOT_FOUND). */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            error: {
                                /** @description Stable machine-readable code, UPPER_SNAKE_CASE (e.g. NOT_FOUND). */
                                code: string;
                                /** @description Human-readable explanation. */
                                message: string;
                                /** @description Structured details, e.g. the invalid fields. */
                                details?: unknown;
                            };
                        };
                    };
                };
                /** @description Redis unreachable (SERVICE_UNAVAILABLE). */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            error: {
                                /** @description Stable machine-readable code, UPPER_SNAKE_CASE (e.g. NOT_FOUND). */
                                code: string;
                                /** @description Human-readable explanation. */
                                message: string;
                                /** @description Structured details, e.g. the invalid fields. */
                                details?: unknown;
                            };
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/studies/{id}/cancel": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Cancel a study
         * @description Cancels every run that has not ended; the study is `cancelling` until none is active, then `cancelled`.
         */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    /** @description Study id, as returned by POST /v1/studies. */
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            id: string;
                            name: string;
                            /**
                             * @description queued: no run has started; running: runs are training; cancelling: cancel requested, runs still stopping; cancelled; completed: every run scored; failed: every run ended and some failed or were cancelled.
                             * @enum {string}
                             */
                            status: "queued" | "running" | "cancelling" | "cancelled" | "completed" | "failed";
                            /** Format: date-time */
                            createdAt: string;
                            /** Format: date-time */
                            cancelRequestedAt?: string;
                            /** Format: date-time */
                            finishedAt?: string;
                            /** @description Runs per job status. */
                            runCounts: {
                                [key: string]: number;
                            };
                            /** @description The request with every default filled in. */
                            request: unknown;
                            runs: {
                                /** @description <row>-seed<k> */
                                id: string;
                                row: string;
                                seed: number;
                                /** @description Its training job (GET /v1/training-jobs/{jobId}); a reused run has none (see `reused`). */
                                jobId: string;
                                /**
                                 * @description queued: waiting for a worker (also after a worker stopped and before another resumes it); running: a worker trains it; cancelling: a running job asked to stop, until its worker has stopped it (within a few seconds, in any phase); completed: the model is saved; failed: it stopped with an error; cancelled: stopped on request.
                                 * @enum {string}
                                 */
                                status: "queued" | "running" | "cancelling" | "completed" | "failed" | "cancelled";
                                percent: number;
                                modelId?: string;
                                /** @description Its test-split result is in the table. */
                                scored: boolean;
                                /**
                                 * @description Scored from an earlier result of the same run and spec, handed in when the study was submitted (the weighting bench resuming from its committed results); such a run has no job.
                                 * @enum {boolean}
                                 */
                                reused?: true;
                                error?: {
                                    code: string;
                                    message: string;
                                };
                            }[];
                            /** @description The comparison over the runs scored so far: per row (method) each metric's mean and std over seeds (test and validation), Delta_m against the single-task rows, mean rank, final weights, sigmas and s - s*, wall time, and which fixed row is best on validation. */
                            table?: unknown;
                        };
                    };
                };
                /** @description Malformed id (VALIDATION_ERROR). */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            error: {
                                /** @description Stable machine-readable code, UPPER_SNAKE_CASE (e.g. NOT_FOUND). */
                                code: string;
                                /** @description Human-readable explanation. */
                                message: string;
                                /** @description Structured details, e.g. the invalid fields. */
                                details?: unknown;
                            };
                        };
                    };
                };
                /** @description Missing or unknown API key (UNAUTHORIZED). */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            error: {
                                /** @description Stable machine-readable code, UPPER_SNAKE_CASE (e.g. NOT_FOUND). */
                                code: string;
                                /** @description Human-readable explanation. */
                                message: string;
                                /** @description Structured details, e.g. the invalid fields. */
                                details?: unknown;
                            };
                        };
                    };
                };
                /** @description No such study (NOT_FOUND). */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            error: {
                                /** @description Stable machine-readable code, UPPER_SNAKE_CASE (e.g. NOT_FOUND). */
                                code: string;
                                /** @description Human-readable explanation. */
                                message: string;
                                /** @description Structured details, e.g. the invalid fields. */
                                details?: unknown;
                            };
                        };
                    };
                };
                /** @description The study has completed or failed (CONFLICT). */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            error: {
                                /** @description Stable machine-readable code, UPPER_SNAKE_CASE (e.g. NOT_FOUND). */
                                code: string;
                                /** @description Human-readable explanation. */
                                message: string;
                                /** @description Structured details, e.g. the invalid fields. */
                                details?: unknown;
                            };
                        };
                    };
                };
                /** @description Redis unreachable (SERVICE_UNAVAILABLE). */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            error: {
                                /** @description Stable machine-readable code, UPPER_SNAKE_CASE (e.g. NOT_FOUND). */
                                code: string;
                                /** @description Human-readable explanation. */
                                message: string;
                                /** @description Structured details, e.g. the invalid fields. */
                                details?: unknown;
                            };
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/studies/{id}/resume": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Resume a cancelled or failed study
         * @description Queues again every run that was cancelled or failed, each from its newest checkpoint and still a run of the study (as `POST /v1/training-jobs/{id}/resume` does for one), and any run that was never queued; the runs already scored stay as they are. The study is `queued` or `running` again.
         */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    /** @description Study id, as returned by POST /v1/studies. */
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                202: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            id: string;
                            name: string;
                            /**
                             * @description queued: no run has started; running: runs are training; cancelling: cancel requested, runs still stopping; cancelled; completed: every run scored; failed: every run ended and some failed or were cancelled.
                             * @enum {string}
                             */
                            status: "queued" | "running" | "cancelling" | "cancelled" | "completed" | "failed";
                            /** Format: date-time */
                            createdAt: string;
                            /** Format: date-time */
                            cancelRequestedAt?: string;
                            /** Format: date-time */
                            finishedAt?: string;
                            /** @description Runs per job status. */
                            runCounts: {
                                [key: string]: number;
                            };
                            /** @description The request with every default filled in. */
                            request: unknown;
                            runs: {
                                /** @description <row>-seed<k> */
                                id: string;
                                row: string;
                                seed: number;
                                /** @description Its training job (GET /v1/training-jobs/{jobId}); a reused run has none (see `reused`). */
                                jobId: string;
                                /**
                                 * @description queued: waiting for a worker (also after a worker stopped and before another resumes it); running: a worker trains it; cancelling: a running job asked to stop, until its worker has stopped it (within a few seconds, in any phase); completed: the model is saved; failed: it stopped with an error; cancelled: stopped on request.
                                 * @enum {string}
                                 */
                                status: "queued" | "running" | "cancelling" | "completed" | "failed" | "cancelled";
                                percent: number;
                                modelId?: string;
                                /** @description Its test-split result is in the table. */
                                scored: boolean;
                                /**
                                 * @description Scored from an earlier result of the same run and spec, handed in when the study was submitted (the weighting bench resuming from its committed results); such a run has no job.
                                 * @enum {boolean}
                                 */
                                reused?: true;
                                error?: {
                                    code: string;
                                    message: string;
                                };
                            }[];
                            /** @description The comparison over the runs scored so far: per row (method) each metric's mean and std over seeds (test and validation), Delta_m against the single-task rows, mean rank, final weights, sigmas and s - s*, wall time, and which fixed row is best on validation. */
                            table?: unknown;
                        };
                    };
                };
                /** @description Malformed id (VALIDATION_ERROR). */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            error: {
                                /** @description Stable machine-readable code, UPPER_SNAKE_CASE (e.g. NOT_FOUND). */
                                code: string;
                                /** @description Human-readable explanation. */
                                message: string;
                                /** @description Structured details, e.g. the invalid fields. */
                                details?: unknown;
                            };
                        };
                    };
                };
                /** @description Missing or unknown API key (UNAUTHORIZED). */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            error: {
                                /** @description Stable machine-readable code, UPPER_SNAKE_CASE (e.g. NOT_FOUND). */
                                code: string;
                                /** @description Human-readable explanation. */
                                message: string;
                                /** @description Structured details, e.g. the invalid fields. */
                                details?: unknown;
                            };
                        };
                    };
                };
                /** @description No such study (NOT_FOUND). */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            error: {
                                /** @description Stable machine-readable code, UPPER_SNAKE_CASE (e.g. NOT_FOUND). */
                                code: string;
                                /** @description Human-readable explanation. */
                                message: string;
                                /** @description Structured details, e.g. the invalid fields. */
                                details?: unknown;
                            };
                        };
                    };
                };
                /** @description The study is still active, or has completed (CONFLICT). */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            error: {
                                /** @description Stable machine-readable code, UPPER_SNAKE_CASE (e.g. NOT_FOUND). */
                                code: string;
                                /** @description Human-readable explanation. */
                                message: string;
                                /** @description Structured details, e.g. the invalid fields. */
                                details?: unknown;
                            };
                        };
                    };
                };
                /** @description The queue has no room for the runs to resume, or Redis is unreachable (SERVICE_UNAVAILABLE). */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            error: {
                                /** @description Stable machine-readable code, UPPER_SNAKE_CASE (e.g. NOT_FOUND). */
                                code: string;
                                /** @description Human-readable explanation. */
                                message: string;
                                /** @description Structured details, e.g. the invalid fields. */
                                details?: unknown;
                            };
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/studies/{id}/events": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Follow a study (Server-Sent Events)
         * @description Events: `study` (the study without its table, first and when its status changes), `run` (a run whose status changed or that was scored), then one of `completed`, `failed`, `cancelled` with the whole study, after which the stream ends.
         */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    /** @description Study id, as returned by POST /v1/studies. */
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description An event stream. */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "text/event-stream": string;
                    };
                };
                /** @description Malformed id (VALIDATION_ERROR). */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            error: {
                                /** @description Stable machine-readable code, UPPER_SNAKE_CASE (e.g. NOT_FOUND). */
                                code: string;
                                /** @description Human-readable explanation. */
                                message: string;
                                /** @description Structured details, e.g. the invalid fields. */
                                details?: unknown;
                            };
                        };
                    };
                };
                /** @description Missing or unknown API key (UNAUTHORIZED). */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            error: {
                                /** @description Stable machine-readable code, UPPER_SNAKE_CASE (e.g. NOT_FOUND). */
                                code: string;
                                /** @description Human-readable explanation. */
                                message: string;
                                /** @description Structured details, e.g. the invalid fields. */
                                details?: unknown;
                            };
                        };
                    };
                };
                /** @description No such study (NOT_FOUND). */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            error: {
                                /** @description Stable machine-readable code, UPPER_SNAKE_CASE (e.g. NOT_FOUND). */
                                code: string;
                                /** @description Human-readable explanation. */
                                message: string;
                                /** @description Structured details, e.g. the invalid fields. */
                                details?: unknown;
                            };
                        };
                    };
                };
                /** @description Redis unreachable (SERVICE_UNAVAILABLE). */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            error: {
                                /** @description Stable machine-readable code, UPPER_SNAKE_CASE (e.g. NOT_FOUND). */
                                code: string;
                                /** @description Human-readable explanation. */
                                message: string;
                                /** @description Structured details, e.g. the invalid fields. */
                                details?: unknown;
                            };
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
}
export type webhooks = Record<string, never>;
export interface components {
    schemas: never;
    responses: never;
    parameters: never;
    requestBodies: never;
    headers: never;
    pathItems: never;
}
export type $defs = Record<string, never>;
export type operations = Record<string, never>;
