/**
 * The view kinds a workspace tab can show. Each tab is one view bound to (at most) one
 * connection; the workspace owns the tab (title, order, settings, connection) and mounts the
 * kind's component, lazily loaded, with one prop: `ctx: ViewContext`.
 *
 * ## Adding a view (one entry)
 * 1. Write the component, e.g. `renderer/src/sow/SowView.svelte`:
 *    ```svelte
 *    <script lang="ts">
 *      import type { ViewContext } from '../views/registry.js';
 *      let { ctx }: { ctx: ViewContext } = $props();
 *      // ctx.api, ctx.connectionId (undefined while its connection is not open),
 *      // ctx.settings (persisted JSON), ctx.updateSettings({ topic: 'orders' }),
 *      // ctx.setTitle('orders'), ctx.active (the tab is visible: render less when false)
 *    </script>
 *    ```
 *    Keep the view's state in a controller (`*.svelte.ts`) built from `ctx`, disposed in
 *    `onDestroy`; save what must survive a reload or restart with `ctx.updateSettings`
 *    (debounced by the workspace, JSON only) and read it back from `ctx.settings` at mount.
 *    Mark the view's main filter input with `data-view-filter` so "Focus the filter" finds it.
 * 2. Add (or keep) its entry in {@link VIEW_KINDS} below with `module` = the file's path under
 *    `renderer/src/`. The entry's command ("New SOW query", with its shortcut) appears in the
 *    palette and the menus as soon as the file exists (Vite finds it with `import.meta.glob`);
 *    until then the kind is listed as not available and no command offers it.
 * 3. Settings from the Topics panel: a click on a topic opens `subscription` or `sow` views
 *    with `settings: { topic }`; read `ctx.settings.topic` to prefill.
 * 4. A view that keeps a subscription running in main saves its id as `settings.subscriptionId`
 *    while it runs (null once over): after a reload the workspace ends every subscription no
 *    tab claims this way, and the view re-attaches to its own (`views/reattach.ts`).
 */
import type { Component } from 'svelte';
import type { ConnectionState } from '../../../common/src/dto/connections.js';
import type { ExplorerApi } from '../../../common/src/ipc/contract.js';
import type { Shortcut } from '../lib/commandRegistry.js';
import type { JsonObject, TabConnection } from './workspaceState.js';

declare global {
  interface ImportMeta {
    /** Vite: lazily imported modules matching a pattern, by path. */
    glob<T = unknown>(pattern: string | string[]): Record<string, () => Promise<T>>;
  }
}

/** What a view component receives (reactive: read its members inside `$derived`/markup). */
export interface ViewContext {
  readonly api: ExplorerApi;
  /** The tab's id (stable across reloads and restarts). */
  readonly tabId: string;
  /** The kind of the view. */
  readonly kind: string;
  /** The connection the tab is bound to, when it is open in main now; undefined otherwise. */
  readonly connectionId: string | undefined;
  /** The tab's binding (name, profile), also while its connection is not open. */
  readonly connection: TabConnection | undefined;
  /** The bound connection's current state, when it is open. */
  readonly connectionState: ConnectionState | undefined;
  /** The tab's persisted settings (JSON; replaced, never mutated, on update). */
  readonly settings: JsonObject;
  /** Merges `patch` into the settings and saves the workspace (debounced). */
  updateSettings(patch: JsonObject): void;
  /** The view's own title for its tab (e.g. the topic); empty shows the kind's title alone. */
  setTitle(title: string): void;
  /** The tab is the visible one. */
  readonly active: boolean;
}

/** The props of a view component. */
export interface ViewProps {
  ctx: ViewContext;
}

/** A view component. */
export type ViewComponent = Component<ViewProps>;

/** One kind of view. */
export interface ViewKind {
  kind: string;
  /** Title on tabs and in commands ("Subscription", "SOW query"). */
  title: string;
  /** A short label drawn as the tab's icon (2-4 letters). */
  label: string;
  /** What "New …" opens, for the palette. */
  newCommandTitle: string;
  /** The component's path under `renderer/src/`. */
  module: string;
  /** Shortcuts of its "New …" command. */
  shortcuts: Shortcut[];
  /** The view needs a connection (opening one with none selected asks to connect first). */
  needsConnection: boolean;
  /** Offered on a topic of the Topics panel. */
  opensOnTopic?: boolean;
}

/** Every view kind, in menu order. */
export const VIEW_KINDS: readonly ViewKind[] = [
  {
    kind: 'subscription',
    title: 'Subscription',
    label: 'SUB',
    newCommandTitle: 'New subscription',
    module: 'subscriptions/SubscriptionView.svelte',
    shortcuts: [{ key: 's', mod: true, alt: true }],
    needsConnection: true,
    opensOnTopic: true,
  },
  {
    kind: 'sow',
    title: 'SOW query',
    label: 'SOW',
    newCommandTitle: 'New SOW query',
    module: 'sow/SowView.svelte',
    shortcuts: [{ key: 'q', mod: true, alt: true }],
    needsConnection: true,
    opensOnTopic: true,
  },
  {
    kind: 'publish',
    title: 'Publish',
    label: 'PUB',
    newCommandTitle: 'New publish',
    module: 'publish/PublishView.svelte',
    shortcuts: [{ key: 'p', mod: true, alt: true }],
    needsConnection: true,
  },
  {
    kind: 'ha',
    title: 'HA',
    label: 'HA',
    newCommandTitle: 'Open the HA view',
    module: 'ha/HaView.svelte',
    shortcuts: [{ key: 'h', mod: true, alt: true }],
    needsConnection: true,
  },
  {
    kind: 'inspector',
    title: 'Wire inspector',
    label: 'WIRE',
    newCommandTitle: 'Open the wire inspector',
    module: 'inspector/InspectorView.svelte',
    shortcuts: [{ key: 'i', mod: true, alt: true }],
    needsConnection: true,
  },
  {
    kind: 'chart',
    title: 'Live chart',
    label: 'PLOT',
    newCommandTitle: 'New live chart',
    module: 'charts/ChartView.svelte',
    shortcuts: [{ key: 'g', mod: true, alt: true }],
    needsConnection: true,
    opensOnTopic: true,
  },
  {
    kind: 'server',
    title: 'Server overview',
    label: 'SRV',
    newCommandTitle: 'Open the server overview',
    module: 'server/ServerView.svelte',
    shortcuts: [{ key: 'o', mod: true, alt: true }],
    needsConnection: true,
  },
];

/** Loaders of every view component that exists, by path under `renderer/src/`. */
const LOADERS: Record<string, () => Promise<{ default: ViewComponent }>> = Object.fromEntries(
  Object.entries(
    import.meta.glob<{ default: ViewComponent }>([
      '../subscriptions/SubscriptionView.svelte',
      '../sow/SowView.svelte',
      '../publish/PublishView.svelte',
      '../ha/HaView.svelte',
      '../inspector/InspectorView.svelte',
      '../charts/ChartView.svelte',
      '../server/ServerView.svelte',
    ]),
  ).map(([path, load]) => [path.replace(/^\.\.\//, ''), load]),
);

/** The kind named `kind`, if the registry has it. */
export const viewKind = (kind: string): ViewKind | undefined => VIEW_KINDS.find((v) => v.kind === kind);

/** The loader of a kind's component, or undefined while its component is not built. */
export const viewLoader = (kind: string): (() => Promise<{ default: ViewComponent }>) | undefined => {
  const entry = viewKind(kind);
  return entry === undefined ? undefined : LOADERS[entry.module];
};

/** Kinds whose component exists (offered by commands and menus). */
export const availableKinds = (): ViewKind[] => VIEW_KINDS.filter((v) => LOADERS[v.module] !== undefined);

/** The tab's accessible name and text: the kind's title, then the view's own title. */
export function tabTitle(kind: string, title: string | undefined): string {
  const base = viewKind(kind)?.title ?? kind;
  return title === undefined || title === '' ? base : `${base}: ${title}`;
}
