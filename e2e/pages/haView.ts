/** Page object: the HA view of a connection (a workspace tab), by role and name. */
import type { Locator, Page } from '@playwright/test';

export class HaViewPage {
  readonly root: Locator;
  readonly servers: Locator;
  readonly timeline: Locator;
  readonly simulateFailover: Locator;
  readonly reconnectNow: Locator;

  constructor(page: Page) {
    this.root = page.getByRole('region', { name: 'HA status' });
    this.servers = this.root.getByRole('table', { name: 'Servers' });
    this.timeline = this.root.getByRole('list', { name: 'Failover timeline' });
    this.simulateFailover = this.root.getByRole('button', { name: 'Simulate failover' });
    this.reconnectNow = this.root.getByRole('button', { name: 'Reconnect now' });
  }

  /** The row of server `n` (1-based) in the servers table. */
  server(n: number): Locator {
    return this.servers.getByRole('row').nth(n);
  }
}
