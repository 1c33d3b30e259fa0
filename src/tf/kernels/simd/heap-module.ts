import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';

/** The emscripten module of tfjs-backend-wasm keeps its wasm exports, the memory among them, on `asm`. */
interface EmscriptenModuleExports {
  asm?: { memory?: unknown };
}

/** What this file uses of the WebAssembly JS API (the project's TypeScript libs have no DOM types). */
interface WebAssemblyApi {
  Memory: abstract new (...args: never[]) => { buffer: ArrayBuffer | SharedArrayBuffer };
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: Record<string, Record<string, unknown>>) => { exports: unknown };
}
const wasmApi = (globalThis as unknown as { WebAssembly: WebAssemblyApi }).WebAssembly;

/**
 * A wasm module of this project's kernels (simd/*.c, committed as base64) that imports tfjs' own heap as
 * its memory, so that its functions read and write tensors in place by their heap offsets.
 *
 * Instantiated once per backend; {@link HeapModule.exportsFor} is undefined where the module cannot share
 * that heap: a build without an exported memory, the threaded build, whose memory is shared (the modules
 * are built for an unshared one), or a runtime that cannot compile them (no wasm SIMD). Callers then take
 * their other path.
 */
export class HeapModule<Exports> {
  private compiled: object | undefined;
  private readonly bound = new WeakMap<BackendWasm, Exports | null>();

  constructor(private readonly base64: string) {}

  /** The module's exports bound to `backend`'s heap, or undefined where it cannot share it. */
  exportsFor(backend: BackendWasm): Exports | undefined {
    let exports = this.bound.get(backend);
    if (exports === undefined) {
      exports = this.instantiate(backend);
      this.bound.set(backend, exports);
    }
    return exports ?? undefined;
  }

  private instantiate(backend: BackendWasm): Exports | null {
    const memory = (backend.wasm as unknown as EmscriptenModuleExports).asm?.memory;
    if (!(memory instanceof wasmApi.Memory) || !(memory.buffer instanceof ArrayBuffer)) return null;
    try {
      this.compiled ??= new wasmApi.Module(Buffer.from(this.base64, 'base64'));
      return new wasmApi.Instance(this.compiled, { env: { memory } }).exports as Exports;
    } catch {
      return null; // e.g. a runtime without wasm SIMD: tfjs then runs its plain build, and so do we
    }
  }
}
