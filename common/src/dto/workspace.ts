/** A JSON value (what survives JSON.stringify / JSON.parse unchanged). */
export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };
/** A JSON object. */
export interface JsonObject {
  [key: string]: JsonValue;
}

/** The version of the workspace envelope this build writes. */
export const WORKSPACE_VERSION = 1;

/**
 * The renderer's workspace (open tabs, their settings, pane sizes, theme), kept by main in
 * `userData/workspace.json`. Main checks only that `data` is bounded JSON; its shape belongs to
 * the renderer, which validates it when restoring.
 */
export interface WorkspaceState {
  version: 1;
  data: JsonObject;
}

/** Largest workspace accepted, as JSON text (1 MiB). */
export const MAX_WORKSPACE_BYTES = 1024 * 1024;

/** The stored workspace, or null (first launch, or it could not be read: see `problem`). */
export interface LoadWorkspaceResult {
  state: WorkspaceState | null;
  /** Why a stored workspace could not be used (the file was kept aside, named here). */
  problem?: string;
}

/** Replaces the stored workspace. */
export interface SaveWorkspaceRequest {
  state: WorkspaceState;
}
