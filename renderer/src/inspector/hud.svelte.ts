import type { ExplorerApi } from '../../../common/src/ipc/contract.js';
import { Live } from '../lib/live.svelte.js';
import { HudModel, type HudSnapshot } from './hudModel.js';

/** Chromium's non-standard heap figure. */
interface MemoryInfo {
  usedJSHeapSize: number;
}

/**
 * The HUD's controller: polls main while the page is visible, counts animation frames for the
 * renderer's frame rate and reads the heap where the browser exposes it.
 */
export class HudController {
  readonly model: HudModel;
  readonly #live: Live<HudSnapshot>;
  #raf = 0;
  readonly #onVisibility = (): void => this.#follow();

  constructor(api: ExplorerApi) {
    this.model = new HudModel(api);
    this.#live = new Live(this.model);
    document.addEventListener('visibilitychange', this.#onVisibility);
    this.#follow();
  }

  get state(): HudSnapshot {
    return this.#live.current;
  }

  dispose(): void {
    document.removeEventListener('visibilitychange', this.#onVisibility);
    if (this.#raf !== 0) cancelAnimationFrame(this.#raf);
    this.#raf = 0;
    this.#live.dispose();
    this.model.dispose();
  }

  #follow(): void {
    const visible = document.visibilityState === 'visible';
    this.model.setVisible(visible);
    if (visible && this.#raf === 0) this.#raf = requestAnimationFrame((t) => this.#frame(t));
    if (!visible && this.#raf !== 0) {
      cancelAnimationFrame(this.#raf);
      this.#raf = 0;
    }
  }

  #frame(now: number): void {
    this.model.frame(now);
    const memory = (performance as Performance & { memory?: MemoryInfo }).memory;
    this.model.heap(memory?.usedJSHeapSize);
    this.#raf = requestAnimationFrame((t) => this.#frame(t));
  }
}
