/**
 * Checks a model's manifest.json as read from disk: a file that does not parse, or lacks a field that the
 * predictor, the model list or the manifest answer reads, makes the model broken ({@link
 * ModelBrokenError}) instead of failing later in whoever touches the missing field.
 *
 * @packageDocumentation
 */
import { Type } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';
import { ModelBrokenError } from '../errors.js';
import type { ModelManifest } from './artifacts.js';
import { TASKS } from './tasks.js';

const Rgb = Type.Array(Type.Integer({ minimum: 0, maximum: 255 }), { minItems: 3, maxItems: 3 });
const Triple = (item: ReturnType<typeof Type.Number>) => Type.Array(item, { minItems: 3, maxItems: 3 });

/** The compute backend a model was trained on, as its manifest records it. */
export const ManifestBackendSchema = Type.Object({
  name: Type.String(),
  package: Type.String(),
  gpu: Type.Boolean(),
  tfjsVersion: Type.String(),
});

/**
 * The fields of manifest.json this service relies on (more are welcome). Why these: every one is read by
 * the predictor (input size, normalisation, classes, tasks, camera), the model list (id, createdAt, tasks,
 * input size, strategy, metrics) or the manifest answer's schema (all of them).
 */
export const StoredManifestSchema = Type.Object({
  id: Type.String(),
  createdAt: Type.String({ minLength: 1 }),
  tasks: Type.Array(Type.Union(TASKS.map((t) => Type.Literal(t))), { minItems: 1, uniqueItems: true }),
  classes: Type.Array(
    Type.Object({
      trainId: Type.Integer({ minimum: 0, maximum: 254 }),
      name: Type.String(),
      color: Rgb,
      isThing: Type.Boolean(),
    }),
  ),
  inputSize: Type.Array(Type.Integer({ minimum: 1 }), { minItems: 2, maxItems: 2 }),
  normalisation: Type.Object({
    mean: Triple(Type.Number()),
    std: Triple(Type.Number({ exclusiveMinimum: 0 })),
  }),
  weighting: Type.Object({ strategy: Type.String(), weights: Type.Object({}) }),
  metrics: Type.Object({}),
  history: Type.Array(Type.Object({})),
  training: Type.Object({}),
  camera: Type.Optional(
    Type.Object({ fx: Type.Number({ exclusiveMinimum: 0 }), baseline: Type.Number({ exclusiveMinimum: 0 }) }),
  ),
  sourceJob: Type.Optional(Type.String()),
  sourceCheckpoint: Type.Optional(Type.String()),
  backend: ManifestBackendSchema,
});

/**
 * Parses and checks the text of model `id`'s manifest.json.
 *
 * @throws ModelBrokenError naming the first problem (not JSON, a missing or mistyped field, another id).
 */
export function parseManifest(id: string, text: string): ModelManifest {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new ModelBrokenError(id, `manifest.json is not valid JSON (${(error as Error).message})`, {
      cause: error,
    });
  }
  const first = Value.Errors(StoredManifestSchema, value).First();
  if (first !== undefined) {
    throw new ModelBrokenError(id, `manifest.json: ${first.path || '/'} ${first.message}`);
  }
  const manifest = value as ModelManifest;
  if (manifest.id !== id) {
    throw new ModelBrokenError(id, `manifest.json describes model "${manifest.id}", not this one`);
  }
  return manifest;
}
