import type { ListTopicsRequest } from '../dto/topics.js';
import { MAX_WORKSPACE_BYTES, WORKSPACE_VERSION } from '../dto/workspace.js';
import type { JsonObject, SaveWorkspaceRequest, WorkspaceState } from '../dto/workspace.js';
import { ValidationError } from './errors.js';
import { number, object, string } from './schemaLib.js';
import type { Schema } from './schemaLib.js';

/** Deepest nesting accepted in workspace data. */
export const MAX_JSON_DEPTH = 64;

const isPlainObject = (value: unknown): value is Record<string, unknown> => {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
};

/**
 * Checks that a value is plain JSON (objects, arrays, strings, finite numbers, booleans, null),
 * at most {@link MAX_JSON_DEPTH} deep; returns a copy or throws ValidationError with the path.
 */
function copyJson(value: unknown, path: string, depth: number): unknown {
  if (depth > MAX_JSON_DEPTH) throw new ValidationError(path, `nested deeper than ${MAX_JSON_DEPTH} levels`);
  if (value === null || typeof value === 'boolean' || typeof value === 'string') return value;
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new ValidationError(path, `not a finite number (${value})`);
    return value;
  }
  if (Array.isArray(value)) return value.map((v, i) => copyJson(v, `${path}[${i}]`, depth + 1));
  if (isPlainObject(value)) {
    const out: Record<string, unknown> = {};
    for (const [key, v] of Object.entries(value)) {
      if (key === '__proto__') throw new ValidationError(`${path}.${key}`, 'reserved key');
      out[key] = copyJson(v, `${path}.${key}`, depth + 1);
    }
    return out;
  }
  throw new ValidationError(path, `not a JSON value (${typeof value})`);
}

/** A JSON object whose JSON text is at most `maxBytes` UTF-16 code units long. */
export function jsonObject(maxBytes: number): Schema<JsonObject> {
  return {
    describe: `json-object(<=${maxBytes})`,
    parse(value, path = 'value') {
      if (!isPlainObject(value)) throw new ValidationError(path, 'expected a JSON object');
      const copy = copyJson(value, path, 0) as JsonObject;
      const size = JSON.stringify(copy).length;
      if (size > maxBytes) throw new ValidationError(path, `larger than ${maxBytes} bytes as JSON (${size})`);
      return copy;
    },
  };
}

/** A stored workspace: the envelope's version and the renderer's data. */
export const workspaceStateSchema: Schema<WorkspaceState> = object({
  version: number({ integer: true, min: WORKSPACE_VERSION, max: WORKSPACE_VERSION }) as Schema<1>,
  data: jsonObject(MAX_WORKSPACE_BYTES),
});

/** The payload of `saveWorkspace`. */
export const saveWorkspaceSchema: Schema<SaveWorkspaceRequest> = object({ state: workspaceStateSchema });

/** The payload of `listTopics`. */
export const listTopicsSchema: Schema<ListTopicsRequest> = object({
  connectionId: string({
    maxLength: 128,
    minLength: 1,
    pattern: /^[A-Za-z0-9._:-]+$/,
    patternName: 'an identifier (letters, digits, . _ : -)',
  }),
});
