/**
 * Static checks of the images (docker/*.Dockerfile and .dockerignore), since no test machine runs a Docker
 * engine:
 *
 * - every `npm run X` / `npm start` a Dockerfile runs names a script of package.json;
 * - every file a Dockerfile copies or runs is in the build context (exists, not excluded by .dockerignore);
 * - each image runs as a non-root user, with a health check, stops on SIGTERM, and has the base image,
 *   backend and start script its service needs.
 *
 * @packageDocumentation
 */
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import {
  commandOf,
  copySources,
  envOf,
  globalArgs,
  lineageOf,
  npmScriptsIn,
  parseDockerfile,
  repoFilesIn,
  stagesOf,
  type Instruction,
} from '../helpers/dockerfile.js';
import { isIgnored, parseDockerignore } from '../helpers/dockerignore.js';
import { APP_SERVICES, buildOf, loadCompose } from './helpers/compose-file.js';
import { readRepoFile, ROOT } from './helpers/repository.js';

/** The parts of package.json these tests read. */
interface PackageJson {
  scripts: Record<string, string>;
  dependencies: Record<string, string>;
  optionalDependencies?: Record<string, string>;
}
const pkg = JSON.parse(readRepoFile('package.json')) as PackageJson;

describe('Dockerfiles', () => {
  const compose = loadCompose();
  const ignore = parseDockerignore(readRepoFile('.dockerignore'));
  const dockerfiles = APP_SERVICES.map((name) => ({
    name,
    path: buildOf(compose.services[name] ?? {}).dockerfile,
  }));

  /** The final stage's lineage of a Dockerfile. */
  const finalStage = (path: string): Instruction[] => {
    const stages = stagesOf(parseDockerfile(readRepoFile(path)));
    const last = stages.at(-1);
    assert.ok(last, `${path} has no FROM`);
    return lineageOf(stages, last);
  };

  it('the .dockerignore rules behave as Docker reads them', () => {
    assert.equal(isIgnored(ignore, 'node_modules/x/index.js'), true);
    assert.equal(isIgnored(ignore, 'data/synth/a.png'), true);
    assert.equal(isIgnored(ignore, 'src/data/index.ts'), false, 'a top-level pattern must not hide src/data');
    assert.equal(isIgnored(ignore, 'docker/api.Dockerfile'), true);
  });

  it('run only npm scripts that package.json defines', () => {
    for (const { path } of dockerfiles) {
      for (const instruction of parseDockerfile(readRepoFile(path))) {
        if (!['RUN', 'CMD', 'ENTRYPOINT', 'HEALTHCHECK'].includes(instruction.keyword)) continue;
        for (const script of npmScriptsIn(commandOf(instruction))) {
          assert.ok(
            pkg.scripts[script] !== undefined,
            `${path}:${instruction.line} runs "npm run ${script}", which package.json does not define`,
          );
        }
      }
    }
  });

  it('copy and run only files that are in the build context', () => {
    const needed = (path: string, what: string): void => {
      assert.ok(existsSync(join(ROOT, path)), `${what}: ${path} does not exist`);
      assert.ok(!isIgnored(ignore, path), `${what}: ${path} is excluded by .dockerignore`);
    };
    for (const { path } of dockerfiles) {
      const instructions = parseDockerfile(readRepoFile(path));
      for (const instruction of instructions) {
        const where = `${path}:${instruction.line}`;
        if (instruction.keyword === 'COPY' || instruction.keyword === 'ADD') {
          for (const source of copySources(instruction)) needed(source, where);
        }
        if (['RUN', 'CMD', 'ENTRYPOINT', 'HEALTHCHECK'].includes(instruction.keyword)) {
          const command = commandOf(instruction);
          for (const file of repoFilesIn(command)) needed(file, where);
          // The entry file of each npm script the image runs (e.g. workers/training-worker.ts).
          for (const script of npmScriptsIn(command)) {
            for (const file of repoFilesIn(pkg.scripts[script] ?? ''))
              needed(file, `${where} (npm run ${script})`);
          }
        }
      }
    }
  });

  it('start as a non-root user, with a health check, a SIGTERM-safe npm and SIGTERM to stop', () => {
    for (const { path } of dockerfiles) {
      const lineage = finalStage(path);
      const user = lineage
        .filter((instruction) => instruction.keyword === 'USER')
        .at(-1)
        ?.args.trim();
      assert.ok(user !== undefined && !/^(root|0)(:|$)/.test(user), `${path}: runs as root`);
      assert.ok(
        lineage.some((instruction) => instruction.keyword === 'HEALTHCHECK'),
        `${path}: no HEALTHCHECK`,
      );
      const stopSignal = lineage
        .filter((instruction) => instruction.keyword === 'STOPSIGNAL')
        .at(-1)
        ?.args.trim();
      assert.equal(stopSignal ?? 'SIGTERM', 'SIGTERM', `${path}: STOPSIGNAL`);
      const cmd = lineage.filter((instruction) => instruction.keyword === 'CMD').at(-1);
      assert.ok(cmd, `${path}: no CMD`);
      if (npmScriptsIn(commandOf(cmd)).length > 0) {
        // With dash as npm's script shell, the SIGTERM npm forwards stops the shell and orphans the service.
        assert.equal(envOf(lineage).NPM_CONFIG_SCRIPT_SHELL, '/bin/bash', `${path}: npm script shell`);
      }
    }
  });

  it('api.Dockerfile: node:20-bookworm-slim, npm ci, the API on port 3000', () => {
    const path = buildOf(compose.services.api ?? {}).dockerfile;
    const stages = stagesOf(parseDockerfile(readRepoFile(path)));
    assert.equal(stages.at(-1)?.from, 'node:20-bookworm-slim');
    const lineage = finalStage(path);
    assert.ok(
      lineage.some((i) => i.keyword === 'RUN' && /\bnpm ci\b/.test(commandOf(i))),
      'no npm ci',
    );
    assert.ok(
      lineage.some((i) => i.keyword === 'EXPOSE' && i.args.trim() === '3000'),
      'no EXPOSE 3000',
    );
    const cmd = lineage.filter((i) => i.keyword === 'CMD').at(-1);
    assert.deepEqual(npmScriptsIn(cmd ? commandOf(cmd) : ''), ['start:api']);
    const healthcheck = lineage.find((i) => i.keyword === 'HEALTHCHECK');
    assert.match(healthcheck ? commandOf(healthcheck) : '', /healthcheck\.mjs api/);
  });

  it('worker.Dockerfile: tfjs-node at the version of @tensorflow/tfjs, TF_BACKEND=tensorflow, start:worker', () => {
    const path = buildOf(compose.services.worker ?? {}).dockerfile;
    const text = readRepoFile(path);
    const tfjs = pkg.dependencies['@tensorflow/tfjs'];
    assert.ok(
      text.includes(`@tensorflow/tfjs-node@${tfjs}`),
      `${path} must install @tensorflow/tfjs-node@${tfjs}`,
    );
    const lineage = finalStage(path);
    assert.equal(envOf(lineage).TF_BACKEND, 'tensorflow');
    const cmd = lineage.filter((i) => i.keyword === 'CMD').at(-1);
    assert.deepEqual(npmScriptsIn(cmd ? commandOf(cmd) : ''), ['start:worker']);
  });

  it('worker-gpu.Dockerfile: a CUDA 11.2 / cuDNN 8 base for tfjs-node-gpu, TF_BACKEND=tensorflow, start:worker', () => {
    const path = buildOf(compose.services['worker-gpu'] ?? {}).dockerfile;
    const text = readRepoFile(path);
    const stages = stagesOf(parseDockerfile(text));
    const base = (stages[0]?.from ?? '').replace(
      /^\$\{?(\w+)\}?$/,
      (_, name: string) => globalArgs(text)[name] ?? '',
    );
    // tfjs-node-gpu 4.22 runs libtensorflow 2.9.1, built for CUDA 11.2 and cuDNN 8.1.
    assert.match(base, /^nvidia\/cuda:11\.2\.\d+-cudnn8-runtime-ubuntu/);
    const tfjs = pkg.dependencies['@tensorflow/tfjs'];
    assert.equal(
      pkg.optionalDependencies?.['@tensorflow/tfjs-node-gpu'],
      tfjs,
      'tfjs-node-gpu must match tfjs',
    );
    const lineage = finalStage(path);
    assert.equal(envOf(lineage).TF_BACKEND, 'tensorflow');
    const cmd = lineage.filter((i) => i.keyword === 'CMD').at(-1);
    assert.deepEqual(npmScriptsIn(cmd ? commandOf(cmd) : ''), ['start:worker']);
  });
});
