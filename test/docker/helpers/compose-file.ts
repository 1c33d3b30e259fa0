/**
 * docker-compose.yml as the container tests read it: the service fields they check, and the environment,
 * mounts and build of a service with compose's defaults applied.
 */
import { parse as parseYaml } from 'yaml';
import { readRepoFile } from './repository.js';

/** Services that run this project's code (API and workers) and share the data volume. */
export const APP_SERVICES = ['api', 'worker', 'worker-gpu'] as const;

/** The parts of a compose service these tests read (the schema checks the rest). */
export interface ComposeService {
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
/** The parts of docker-compose.yml these tests read. */
export interface ComposeFile {
  services: Record<string, ComposeService>;
  volumes?: Record<string, unknown>;
}

/** docker-compose.yml as compose reads it: YAML with anchors and `<<` merge keys resolved. */
export function loadCompose(): ComposeFile {
  return parseYaml(readRepoFile('docker-compose.yml'), { merge: true }) as ComposeFile;
}

/** The environment of a service as a map (compose accepts a map or a list of `KEY=VALUE`). */
export function environmentOf(service: ComposeService): Record<string, string> {
  const env = service.environment ?? {};
  if (Array.isArray(env)) {
    return Object.fromEntries(env.map((entry) => [entry.split('=')[0], entry.split('=').slice(1).join('=')]));
  }
  return Object.fromEntries(Object.entries(env).map(([key, value]) => [key, String(value ?? '')]));
}

/** `source:target` pairs of a service's volumes. */
export function mountsOf(service: ComposeService): { source: string; target: string }[] {
  return (service.volumes ?? []).map((volume) => {
    if (typeof volume !== 'string') return { source: volume.source ?? '', target: volume.target ?? '' };
    const [source = '', target = ''] = volume.split(':');
    return { source, target };
  });
}

/** A service's build context and Dockerfile (relative to the context), with compose's defaults. */
export function buildOf(service: ComposeService): { context: string; dockerfile: string } {
  const build = service.build;
  if (build === undefined) throw new Error('no build section');
  if (typeof build === 'string') return { context: build, dockerfile: 'Dockerfile' };
  return { context: build.context ?? '.', dockerfile: build.dockerfile ?? 'Dockerfile' };
}
