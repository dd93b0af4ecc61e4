// The program each worker thread of the blocking pool runs, as source text, and the parent's
// side of its protocol. Started with `new Worker(source, { eval: true })` it needs no file of
// its own, so it works the same from the TypeScript sources, the CommonJS build and the ES
// module build. Invariant: every job message gets exactly one reply with its id — the value,
// or the error packed as plain data, which `unpack` turns back into an Error.

/**
 * Protocol. Parent → worker: `{ id, module, exportName, args }`. Worker → parent:
 * `{ id, ok: true, value }` or `{ id, ok: false, error: { name, message, stack, props } }`.
 * Modules are loaded once per worker (CommonJS `require` first, so a worker that inherited a
 * `-r ts-node/register` can load TypeScript; `import()` for ES modules `require` refuses).
 */
export const WORKER_SOURCE = String.raw`"use strict";
const { parentPort } = require("node:worker_threads");
const { pathToFileURL, fileURLToPath } = require("node:url");
const path = require("node:path");
const modules = new Map();

function load(spec) {
  let loading = modules.get(spec);
  if (loading === undefined) {
    loading = (async () => {
      const file = spec.startsWith("file:") ? fileURLToPath(spec) : spec;
      try {
        return require(file);
      } catch (error) {
        const code = error && error.code;
        if (code !== "ERR_REQUIRE_ESM" && code !== "ERR_REQUIRE_ASYNC_MODULE") throw error;
        return import(path.isAbsolute(file) ? pathToFileURL(file).href : file);
      }
    })();
    modules.set(spec, loading);
  }
  return loading;
}

function pack(error) {
  if (error instanceof Error) {
    const props = {};
    for (const key of Object.keys(error)) {
      try {
        props[key] = structuredClone(error[key]);
      } catch {}
    }
    return { name: error.name, message: error.message, stack: error.stack, props };
  }
  try {
    return { value: structuredClone(error) };
  } catch {
    return { name: "Error", message: "a job threw a value that cannot be cloned: " + String(error), props: {} };
  }
}

parentPort.on("message", async (job) => {
  let reply;
  try {
    const mod = await load(job.module);
    let fn = mod == null ? undefined : mod[job.exportName];
    if (typeof fn !== "function" && mod != null && mod.default != null) fn = mod.default[job.exportName];
    if (typeof fn !== "function") {
      const names = mod == null ? [] : Object.keys(mod).filter((k) => typeof mod[k] === "function");
      throw new TypeError("module " + job.module + " has no function export " + JSON.stringify(job.exportName) + (names.length ? " (its functions: " + names.join(", ") + ")" : ""));
    }
    reply = { id: job.id, ok: true, value: await fn(...job.args) };
  } catch (error) {
    reply = { id: job.id, ok: false, error: pack(error) };
  }
  try {
    parentPort.postMessage(reply);
  } catch (error) {
    parentPort.postMessage({ id: job.id, ok: false, error: { name: "DataCloneError", message: "the result of " + job.exportName + "() cannot be sent back from the worker: " + error.message, props: {} } });
  }
});
`;

/** A worker's answer to one job. */
export interface Reply {
  id: number;
  ok: boolean;
  value?: unknown;
  error?: PackedError;
}

/** An error as the worker sends it: plain, cloneable data. */
export interface PackedError {
  name?: string;
  message?: string;
  stack?: string;
  props?: Record<string, unknown>;
  value?: unknown;
}

const ERROR_TYPES: Record<string, ErrorConstructor> = {
  Error,
  TypeError,
  RangeError,
  SyntaxError,
  ReferenceError,
  EvalError,
  URIError,
};

/** Rebuild an error thrown in a worker: its class when it is a built-in one, its name, message, stack and own data. */
export function unpack(packed: PackedError): unknown {
  if (!("name" in packed) && "value" in packed) return packed.value; // a thrown non-Error value
  const Type = ERROR_TYPES[packed.name ?? "Error"] ?? Error;
  const error = new Type(packed.message ?? "");
  if (error.name !== packed.name && packed.name !== undefined) {
    Object.defineProperty(error, "name", { value: packed.name, configurable: true, writable: true, enumerable: false });
  }
  if (packed.stack !== undefined) error.stack = packed.stack;
  if (packed.props !== undefined) Object.assign(error, packed.props);
  return error;
}
