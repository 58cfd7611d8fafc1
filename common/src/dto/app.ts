/** Where the app runs: the Electron main process or the Node browser host (`npm run web`). */
export type AppMode = 'electron' | 'browser';

/** How saved passwords are protected. */
export interface SecretStorageInfo {
  /** True when passwords can be encrypted and survive a restart (Electron safeStorage). */
  persistent: boolean;
  /** Backend name, e.g. `safeStorage`, `safeStorage:basic_text`, `memory`. */
  backend: string;
}

/** Facts about the running app, for the About box and the secret-storage notice. */
export interface AppInfo {
  mode: AppMode;
  version: string;
  secretStorage: SecretStorageInfo;
}
