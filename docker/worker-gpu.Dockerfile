# syntax=docker/dockerfile:1
# GPU training worker (`npm run start:worker`) on @tensorflow/tfjs-node-gpu 4.22.0. That package runs
# libtensorflow 2.9.1, built against CUDA 11.2 and cuDNN 8.1, hence this CUDA base. Needs the NVIDIA driver
# and the NVIDIA Container Toolkit on the host; run it with `docker compose --profile gpu up`.
# linux/amd64 only (no GPU libtensorflow for other platforms). Decisions: docs/docker.md.

# CUDA 11.2.2 (the last 11.2 patch; NVIDIA deleted the older 11.2 tags) with cuDNN 8.1.1, runtime
# libraries only. An argument so that a mirror or a later CUDA 11.x/cuDNN 8 base can be used:
# docker compose build --build-arg CUDA_IMAGE=... worker-gpu
ARG CUDA_IMAGE=nvidia/cuda:11.2.2-cudnn8-runtime-ubuntu20.04

# ---- Node.js from the official tarball, checked against the release's SHASUMS256.txt ----
FROM ${CUDA_IMAGE} AS node
# The Node.js 20 release of the development machines; any 20.x from 20.15 works (zlib.crc32).
ARG NODE_VERSION=20.20.2
RUN apt-get update \
 && apt-get install -y --no-install-recommends ca-certificates curl xz-utils \
 && rm -rf /var/lib/apt/lists/*
RUN set -eux; \
    cd /tmp; \
    tarball="node-v${NODE_VERSION}-linux-x64.tar.xz"; \
    curl -fsSLO "https://nodejs.org/dist/v${NODE_VERSION}/${tarball}"; \
    curl -fsSLO "https://nodejs.org/dist/v${NODE_VERSION}/SHASUMS256.txt"; \
    grep " ${tarball}\$" SHASUMS256.txt | sha256sum -c -; \
    mkdir -p /opt/node; \
    tar -xJf "${tarball}" -C /opt/node --strip-components=1 --no-same-owner; \
    rm -f "${tarball}" SHASUMS256.txt

# ---- CUDA + Node.js, and the runtime user (uid 1000, as the `node` user of the other images) ----
FROM ${CUDA_IMAGE} AS base
COPY --from=node /opt/node /usr/local
RUN groupadd --gid 1000 node \
 && useradd --uid 1000 --gid node --create-home --shell /bin/bash node \
 && node --version && npm --version
# bash as npm's script shell: with dash (Ubuntu's /bin/sh), the SIGTERM npm forwards stops the shell and
# orphans the worker before it can checkpoint (docs/docker.md, "Signals").
ENV NPM_CONFIG_SCRIPT_SHELL=/bin/bash \
    NPM_CONFIG_UPDATE_NOTIFIER=false \
    NPM_CONFIG_FUND=false \
    NPM_CONFIG_AUDIT=false

# ---- dependencies ----
FROM base AS deps
# Why a toolchain: node-gyp compiles a binding (tfjs-node-gpu's, msgpackr's) when no prebuilt one matches.
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 make g++ \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY package.json package-lock.json ./
# With install scripts: the optional @tensorflow/tfjs-node-gpu downloads the GPU libtensorflow and its
# binding here. npm drops an optional package whose script failed and carries on, so the last line makes
# a failed download fail the build (the library cannot be loaded without a GPU driver, which a build has
# not: check the files instead).
RUN --mount=type=cache,target=/root/.npm \
    npm ci \
 && ls node_modules/@tensorflow/tfjs-node-gpu/deps/lib/libtensorflow.so* \
       node_modules/@tensorflow/tfjs-node-gpu/lib/napi-v*/tfjs_binding.node

# ---- runtime ----
FROM base
WORKDIR /app
COPY --from=deps /app/node_modules ./node_modules
COPY . .

# The shared volume's mount point, owned by the runtime user.
RUN mkdir -p /data/datasets /data/artifacts && chown -R node:node /data

USER node
# TF_FORCE_GPU_ALLOW_GROWTH: TensorFlow takes GPU memory as it needs it instead of all of it at start.
ENV NODE_ENV=production \
    TF_BACKEND=tensorflow \
    TF_FORCE_GPU_ALLOW_GROWTH=true \
    DATA_DIR=/data/datasets \
    ARTIFACT_DIR=/data/artifacts

# Healthy while this container's worker holds its connection to the queue (docker/healthcheck.mjs).
HEALTHCHECK --interval=30s --timeout=5s --start-period=120s --retries=3 \
    CMD ["node", "docker/healthcheck.mjs", "worker"]

# SIGTERM: the worker finishes its step, checkpoints, puts the job back in the queue and exits 0.
STOPSIGNAL SIGTERM
CMD ["npm", "run", "start:worker"]
