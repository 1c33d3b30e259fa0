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
         * @description Redis reachable with noeviction, compute backend initialised, artifact store writable.
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
         * @description Request latency histograms, training jobs by state, training job durations, and process metrics, in the Prometheus text format.
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
         * @description Newest first: by submission (all, queued, running), by end (completed, failed) or by cancellation (cancelled).
         */
        get: {
            parameters: {
                query?: {
                    /** @description queued: waiting for a worker (also after a worker stopped and before another resumes it); running: a worker trains it; completed: the model is saved; failed: it stopped with an error; cancelled: stopped on request. */
                    status?: "queued" | "running" | "completed" | "failed" | "cancelled";
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
                                 * @description queued: waiting for a worker (also after a worker stopped and before another resumes it); running: a worker trains it; completed: the model is saved; failed: it stopped with an error; cancelled: stopped on request.
                                 * @enum {string}
                                 */
                                status: "queued" | "running" | "completed" | "failed" | "cancelled";
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
                                    weighting: {
                                        /**
                                         * @description How task losses are combined
                                         * @enum {string}
                                         */
                                        strategy: "uncertainty" | "uncertainty-positive" | "fixed" | "equal" | "gradnorm" | "dwa";
                                        weights?: {
                                            segmentation?: number;
                                            instances?: number;
                                            depth?: number;
                                        };
                                        /** @description Uncertainty: initial s = log sigma^2 */
                                        initialLogVariance?: number;
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
         * @description Validates the whole spec (every invalid field is named in `details`: the first 10 and a count of the rest), checks the dataset (a CityScapes path inside DATA_DIR with both splits), and queues the job. A body over 64 KiB is refused (413). With `Idempotency-Key`, a resubmission returns the same job (`Idempotent-Replayed: true`).
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
            requestBody: {
                content: {
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
                        weighting: {
                            /**
                             * @description How task losses are combined
                             * @enum {string}
                             */
                            strategy: "uncertainty" | "uncertainty-positive" | "fixed" | "equal" | "gradnorm" | "dwa";
                            weights?: {
                                segmentation?: number;
                                instances?: number;
                                depth?: number;
                            };
                            /** @description Uncertainty: initial s = log sigma^2 */
                            initialLogVariance?: number;
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
                        training: {
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
                             * @description queued: waiting for a worker (also after a worker stopped and before another resumes it); running: a worker trains it; completed: the model is saved; failed: it stopped with an error; cancelled: stopped on request.
                             * @enum {string}
                             */
                            status: "queued" | "running" | "completed" | "failed" | "cancelled";
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
                                weighting: {
                                    /**
                                     * @description How task losses are combined
                                     * @enum {string}
                                     */
                                    strategy: "uncertainty" | "uncertainty-positive" | "fixed" | "equal" | "gradnorm" | "dwa";
                                    weights?: {
                                        segmentation?: number;
                                        instances?: number;
                                        depth?: number;
                                    };
                                    /** @description Uncertainty: initial s = log sigma^2 */
                                    initialLogVariance?: number;
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
                /** @description Dataset path outside DATA_DIR or missing, a split missing or empty (DATASET_ERROR). */
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
                             * @description queued: waiting for a worker (also after a worker stopped and before another resumes it); running: a worker trains it; completed: the model is saved; failed: it stopped with an error; cancelled: stopped on request.
                             * @enum {string}
                             */
                            status: "queued" | "running" | "completed" | "failed" | "cancelled";
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
                                weighting: {
                                    /**
                                     * @description How task losses are combined
                                     * @enum {string}
                                     */
                                    strategy: "uncertainty" | "uncertainty-positive" | "fixed" | "equal" | "gradnorm" | "dwa";
                                    weights?: {
                                        segmentation?: number;
                                        instances?: number;
                                        depth?: number;
                                    };
                                    /** @description Uncertainty: initial s = log sigma^2 */
                                    initialLogVariance?: number;
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
                             * @description queued: waiting for a worker (also after a worker stopped and before another resumes it); running: a worker trains it; completed: the model is saved; failed: it stopped with an error; cancelled: stopped on request.
                             * @enum {string}
                             */
                            status: "queued" | "running" | "completed" | "failed" | "cancelled";
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
        delete?: never;
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
         * @description A queued job is removed and answered `cancelled` (200). A running job stops after the step in progress, writes a checkpoint and ends `cancelled`; the answer (202) shows it still `running` with `cancelRequestedAt`. Cancelling a cancelled job is a no-op (200).
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
                             * @description queued: waiting for a worker (also after a worker stopped and before another resumes it); running: a worker trains it; completed: the model is saved; failed: it stopped with an error; cancelled: stopped on request.
                             * @enum {string}
                             */
                            status: "queued" | "running" | "completed" | "failed" | "cancelled";
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
                                weighting: {
                                    /**
                                     * @description How task losses are combined
                                     * @enum {string}
                                     */
                                    strategy: "uncertainty" | "uncertainty-positive" | "fixed" | "equal" | "gradnorm" | "dwa";
                                    weights?: {
                                        segmentation?: number;
                                        instances?: number;
                                        depth?: number;
                                    };
                                    /** @description Uncertainty: initial s = log sigma^2 */
                                    initialLogVariance?: number;
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
                /** @description Cancellation requested; the worker stops within a step. */
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
                             * @description queued: waiting for a worker (also after a worker stopped and before another resumes it); running: a worker trains it; completed: the model is saved; failed: it stopped with an error; cancelled: stopped on request.
                             * @enum {string}
                             */
                            status: "queued" | "running" | "completed" | "failed" | "cancelled";
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
                                weighting: {
                                    /**
                                     * @description How task losses are combined
                                     * @enum {string}
                                     */
                                    strategy: "uncertainty" | "uncertainty-positive" | "fixed" | "equal" | "gradnorm" | "dwa";
                                    weights?: {
                                        segmentation?: number;
                                        instances?: number;
                                        depth?: number;
                                    };
                                    /** @description Uncertainty: initial s = log sigma^2 */
                                    initialLogVariance?: number;
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
                    /** @description Model id (the id of the job that trained it). */
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
                            };
                            /** @description Validation metrics of the last epoch. */
                            metrics: {
                                [key: string]: unknown;
                            };
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
                    /** @description Model id (the id of the job that trained it). */
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
         * @description Body: an image (`image/png`, `image/jpeg`, or `multipart/form-data` with field `image`) of any size. Answers JSON with every requested output at the image size, or, with `view` (or `Accept: image/png`), a coloured PNG. Work and memory grow linearly with the pixels (up to MAX_IMAGE_PIXELS). 404 when the model is deleted, also while the prediction loads it; 409 MODEL_BROKEN when its files are broken; 503 with Retry-After when every predictor is busy.
         */
        post: {
            parameters: {
                query?: {
                    /** @description Comma-separated heads: segmentation, instances, depth (default: all the model has). */
                    outputs?: string;
                    /** @description Answer a coloured PNG of this output instead of JSON. */
                    view?: "segmentation" | "instances" | "depth" | "overlay";
                };
                header?: never;
                path: {
                    /** @description Model id (the id of the job that trained it). */
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
                /** @description The prediction (JSON), or with `view` (or `Accept: image/png`) a coloured PNG. */
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
                            };
                        };
                        "image/png": Blob;
                    };
                };
                /** @description Empty or malformed body (multipart), bad outputs or view, malformed id */
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
                /** @description Not a PNG/JPEG/multipart body */
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
