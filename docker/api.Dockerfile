# syntax=docker/dockerfile:1
# API image: the Fastify service (`npm run start:api`): training-job submission, status, events, models and
# predictions. It never trains. Predictions run on the wasm backend with this project's kernels, which
# ships inside its npm package: no native libtensorflow download, and the same image for amd64 and arm64.
# Build: docker compose build api (context: the repository root). Decisions: docs/docker.md.
FROM node:20-bookworm-slim

# npm settings for every `npm` command below and for `npm run` at start (docs/docker.md, "Signals"):
# bash as the script shell, because dash (Debian's /bin/sh) keeps itself between npm and the script's
# command, so the SIGTERM that npm forwards stopped the shell and orphaned the service; bash execs the
# command, and the signal reaches the process that handles it. No update check, funding or audit noise.
ENV NPM_CONFIG_SCRIPT_SHELL=/bin/bash \
    NPM_CONFIG_UPDATE_NOTIFIER=false \
    NPM_CONFIG_FUND=false \
    NPM_CONFIG_AUDIT=false

WORKDIR /app

# Dependencies first, from the lockfile only, so that a source change does not reinstall them.
# --ignore-scripts: the only install script that matters is the optional @tensorflow/tfjs-node-gpu's,
# which downloads a GPU libtensorflow this image never uses; the package is then removed so that
# TF_BACKEND=auto reports it as not installed. Other scripts are not needed (sharp, esbuild and msgpackr
# load prebuilt binaries from their platform packages). Dev dependencies stay: the scripts run TypeScript
# through tsx, a devDependency.
COPY package.json package-lock.json ./
RUN --mount=type=cache,target=/root/.npm \
    npm ci --ignore-scripts \
 && rm -rf node_modules/@tensorflow/tfjs-node-gpu

COPY . .

# DATA_DIR and ARTIFACT_DIR live on the shared volume mounted at /data. Created here and owned by the
# runtime user (uid 1000 in every image of this project) so that a new named volume starts writable.
RUN mkdir -p /data/datasets /data/artifacts && chown -R node:node /data

USER node
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=3000 \
    TF_BACKEND=wasm \
    DATA_DIR=/data/datasets \
    ARTIFACT_DIR=/data/artifacts
EXPOSE 3000

# Liveness only (GET /health/live); readiness (Redis, backend, artifact store) is /health/ready, for load
# balancers. Why a 60 s start period: tsx compiles the sources on the first start.
HEALTHCHECK --interval=15s --timeout=5s --start-period=60s --retries=3 \
    CMD ["node", "docker/healthcheck.mjs", "api"]

# The API closes within 8 s of SIGTERM (API_GRACE_PERIOD_MS in src/lifecycle.ts), under Docker's 10 s.
STOPSIGNAL SIGTERM
CMD ["npm", "run", "start:api"]
