import assert from 'node:assert/strict';
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
} from './dockerfile.js';

/** A two-stage Dockerfile with a global ARG, comments, continuations and both command forms. */
const MULTI_STAGE = [
  '# syntax=docker/dockerfile:1',
  'ARG BASE=node:20-bookworm-slim',
  'FROM ${BASE} AS base',
  'ENV NPM_CONFIG_SCRIPT_SHELL=/bin/bash \\',
  '    # a comment inside a continuation',
  '    TF_BACKEND=wasm',
  '',
  'run --mount=type=cache,target=/root/.npm \\',
  '    npm ci',
  'FROM --platform=linux/amd64 base AS app',
  'ENV TF_BACKEND tensorflow',
  'CMD ["npm", "run", "start:worker"]',
].join('\n');

/** One instruction, as `parseDockerfile` would return it. */
function instruction(keyword: string, args: string): Instruction {
  return { keyword, args, line: 1 };
}

describe('parseDockerfile', () => {
  it('drops comments, joins continuations, upper-cases keywords and keeps the first line number', () => {
    assert.deepEqual(
      parseDockerfile(MULTI_STAGE).map(({ keyword, line }) => [keyword, line]),
      [
        ['ARG', 2],
        ['FROM', 3],
        ['ENV', 4],
        ['RUN', 8],
        ['FROM', 10],
        ['ENV', 11],
        ['CMD', 12],
      ],
    );
    const [, , env, run] = parseDockerfile(MULTI_STAGE);
    assert.equal(env?.args, 'NPM_CONFIG_SCRIPT_SHELL=/bin/bash  TF_BACKEND=wasm');
    assert.equal(run?.args, '--mount=type=cache,target=/root/.npm  npm ci');
  });
});

describe('stagesOf and lineageOf', () => {
  it('splits the stages at FROM, reads their names past --options, and follows FROM <stage> back', () => {
    const stages = stagesOf(parseDockerfile(MULTI_STAGE));
    assert.deepEqual(
      stages.map(({ name, from }) => [name, from]),
      [
        ['base', '${BASE}'],
        ['app', 'base'],
      ],
    );
    assert.deepEqual(
      lineageOf(stages, stages[1]!).map((i) => i.keyword),
      ['ENV', 'RUN', 'ENV', 'CMD'],
    );
    assert.deepEqual(
      lineageOf(stages, stages[0]!).map((i) => i.keyword),
      ['ENV', 'RUN'],
    );
    assert.equal(stagesOf(parseDockerfile('FROM node:20')).at(0)?.name, undefined);
  });
});

describe('globalArgs', () => {
  it('reads the ARG defaults before the first FROM only', () => {
    assert.deepEqual(globalArgs(`${MULTI_STAGE}\nARG LATE=1`), { BASE: 'node:20-bookworm-slim' });
  });
});

describe('envOf', () => {
  it('reads both ENV forms, strips quotes, and lets later values win', () => {
    const stages = stagesOf(parseDockerfile(MULTI_STAGE));
    assert.deepEqual(envOf(lineageOf(stages, stages[1]!)), {
      NPM_CONFIG_SCRIPT_SHELL: '/bin/bash',
      TF_BACKEND: 'tensorflow',
    });
    assert.deepEqual(envOf([instruction('ENV', `A="one two" B='x' C=3`)]), { A: 'one two', B: 'x', C: '3' });
    assert.deepEqual(envOf([instruction('ENV', 'GREETING hello world')]), { GREETING: 'hello world' });
  });
});

describe('commandOf', () => {
  it('joins the exec form and drops RUN and HEALTHCHECK options', () => {
    assert.equal(commandOf(instruction('CMD', '["npm", "run", "start:api"]')), 'npm run start:api');
    assert.equal(commandOf(instruction('RUN', '--mount=type=cache,target=/x  npm ci')), 'npm ci');
    assert.equal(
      commandOf(
        instruction('HEALTHCHECK', '--interval=15s --retries=3 CMD ["node", "docker/healthcheck.mjs"]'),
      ),
      'node docker/healthcheck.mjs',
    );
    assert.equal(commandOf(instruction('ENTRYPOINT', '  tini --  ')), 'tini --');
  });
});

describe('npmScriptsIn', () => {
  it('names the scripts of npm run, npm run-script, npm start and npm test, past options', () => {
    assert.deepEqual(npmScriptsIn('npm ci && npm run --silent build; npm start|tee log'), ['build', 'start']);
    assert.deepEqual(npmScriptsIn('npm run-script start:worker || npm test'), ['start:worker', 'test']);
    assert.deepEqual(npmScriptsIn('npm ci --omit=dev'), []);
  });
});

describe('repoFilesIn', () => {
  it('finds docker/, src/ and workers/ paths, not the same names inside other paths', () => {
    assert.deepEqual(repoFilesIn('node docker/healthcheck.mjs api'), ['docker/healthcheck.mjs']);
    assert.deepEqual(repoFilesIn('tsx "src/main.ts" --entry=workers/training-worker.ts'), [
      'src/main.ts',
      'workers/training-worker.ts',
    ]);
    assert.deepEqual(repoFilesIn('cat /usr/src/app.js src/'), []);
  });
});

describe('copySources', () => {
  it('lists the sources of a COPY from the context, none for one from a stage', () => {
    assert.deepEqual(copySources(instruction('COPY', '--chown=node package.json package-lock.json ./')), [
      'package.json',
      'package-lock.json',
    ]);
    assert.deepEqual(copySources(instruction('COPY', '["docker/redis.conf", "/etc/redis.conf"]')), [
      'docker/redis.conf',
    ]);
    assert.deepEqual(copySources(instruction('COPY', '--from=build /app/dist /app')), []);
  });
});
