# syntax=docker/dockerfile:1
# CPU training worker (`npm run start:worker`): takes jobs from Redis and trains them on the native
# TensorFlow CPU backend (@tensorflow/tfjs-node 4.22.0, libtensorflow 2.9.1). One job at a time; scale
# with `docker compose up --scale worker=N`. Build context: the repository root. Decisions: docs/docker.md.

# ---- dependencies: everything that needs a compiler or a download stays in this stage ----
FROM node:20-bookworm-slim AS deps
# Why a toolchain: tfjs-node downloads a prebuilt binding where one exists (linux x64) and compiles it
# with node-gyp otherwise (e.g. arm64).
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 make g++ \
 && rm -rf /var/lib/apt/lists/*
ENV NPM_CONFIG_UPDATE_NOTIFIER=false NPM_CONFIG_FUND=false NPM_CONFIG_AUDIT=false
WORKDIR /app
COPY package.json package-lock.json ./
# 1. The locked dependencies, without install scripts (the optional tfjs-node-gpu's would download a GPU
#    libtensorflow); tfjs-node-gpu is then removed, so TF_BACKEND=tensorflow loads tfjs-node.
# 2. @tensorflow/tfjs-node, not in package.json (it is the CPU twin of the optional tfjs-node-gpu; a
#    machine needs one or the other). Its version must equal @tensorflow/tfjs's (4.22.0): both share one
#    tfjs-core. --no-save leaves package.json and the lockfile as they are.
# 3. Its install script alone: downloads libtensorflow (CPU) and the binding.
# 4. Load it once, so that a failed download fails the build instead of the first job.
RUN --mount=type=cache,target=/root/.npm \
    npm ci --ignore-scripts \
 && npm install --no-save --ignore-scripts @tensorflow/tfjs-node@4.22.0 \
 && rm -rf node_modules/@tensorflow/tfjs-node-gpu \
 && npm rebuild @tensorflow/tfjs-node --foreground-scripts \
 && node -e "require('@tensorflow/tfjs-node')"

# ---- runtime ----
FROM node:20-bookworm-slim
# bash as npm's script shell: with dash, the SIGTERM npm forwards stops the shell and orphans the worker
# before it can checkpoint (docs/docker.md, "Signals").
ENV NPM_CONFIG_SCRIPT_SHELL=/bin/bash \
    NPM_CONFIG_UPDATE_NOTIFIER=false \
    NPM_CONFIG_FUND=false \
    NPM_CONFIG_AUDIT=false
WORKDIR /app
COPY --from=deps /app/node_modules ./node_modules
COPY . .

# The shared volume's mount point, owned by the runtime user (uid 1000 in every image of this project).
RUN mkdir -p /data/datasets /data/artifacts && chown -R node:node /data

USER node
ENV NODE_ENV=production \
    TF_BACKEND=tensorflow \
    DATA_DIR=/data/datasets \
    ARTIFACT_DIR=/data/artifacts

# Healthy while this container's worker holds its connection to the queue (docker/healthcheck.mjs).
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 \
    CMD ["node", "docker/healthcheck.mjs", "worker"]

# SIGTERM: the worker finishes its training step, writes a checkpoint, puts the job back in the queue and
# exits 0. Give it time: stop_grace_period in docker-compose.yml (docker stop -t 120 for plain docker:
# WORKER_GRACE_PERIOD_MS in src/lifecycle.ts).
STOPSIGNAL SIGTERM
CMD ["npm", "run", "start:worker"]
