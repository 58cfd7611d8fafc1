/** Page object: one publish view (a workspace tab): its form, results, jobs, sow_delete and library. */
import { expect } from '@playwright/test';
import type { Locator, Page } from '@playwright/test';

export class PublishViewPage {
  readonly form: Locator;
  readonly topic: Locator;
  readonly command: Locator;
  readonly ack: Locator;
  readonly payload: Locator;
  readonly template: Locator;
  readonly sendButton: Locator;
  readonly target: Locator;
  readonly results: Locator;
  readonly nextMessage: Locator;
  readonly jobs: Locator;
  readonly progress: Locator;
  readonly sowDelete: Locator;
  readonly delta: Locator;
  readonly library: Locator;

  /** `root`: the view's tab panel. */
  constructor(
    readonly page: Page,
    readonly root: Locator,
  ) {
    this.form = root.getByRole('form', { name: 'Publish' });
    this.topic = this.form.getByLabel('Topic', { exact: true });
    this.command = this.form.getByLabel('Command');
    this.ack = this.form.getByLabel('Acknowledgement');
    this.payload = this.form.getByRole('textbox', { name: 'Payload' });
    this.template = this.form.getByRole('checkbox', { name: 'Template' });
    this.sendButton = this.form.getByRole('button', { name: 'Send', exact: true });
    this.target = root.getByRole('region', { name: 'Publish target' });
    this.results = root.getByRole('region', { name: 'Send results' });
    this.nextMessage = root.getByRole('region', { name: 'Next message' });
    this.jobs = root.getByRole('region', { name: 'Repeat and bulk publish' });
    this.progress = this.jobs.getByRole('status', { name: 'Publish progress' });
    this.sowDelete = root.getByRole('region', { name: 'SOW delete' });
    this.delta = root.getByRole('region', { name: 'Delta preview' });
    this.library = root.getByRole('complementary', { name: 'Templates and history' });
  }

  /** Replaces the payload editor's text. */
  async setPayload(text: string): Promise<void> {
    await this.payload.focus();
    await this.page.keyboard.press('ControlOrMeta+a');
    await this.page.keyboard.press('Delete');
    await this.page.keyboard.insertText(text);
  }

  /** Fills topic and payload and sends once. */
  async publish(
    topic: string,
    payload: string,
    ack: 'none' | 'processed' | 'persisted' = 'processed',
  ): Promise<void> {
    await this.topic.fill(topic);
    await this.ack.selectOption(ack);
    await this.setPayload(payload);
    await expect(this.sendButton).toBeEnabled();
    await this.sendButton.click();
  }

  /** Starts a repeat run of the payload template. */
  async repeat(count: number, rate: number): Promise<void> {
    await this.jobs.getByLabel('Messages', { exact: true }).fill(String(count));
    await this.jobs.getByLabel(/^Rate/).fill(String(rate));
    await this.jobs.getByRole('button', { name: 'Start repeat' }).click();
  }

  /** Picks a file and publishes it. */
  async bulk(path: string): Promise<void> {
    await this.jobs.getByLabel('File').setInputFiles(path);
    await this.jobs.getByRole('button', { name: 'Publish file' }).click();
  }
}
