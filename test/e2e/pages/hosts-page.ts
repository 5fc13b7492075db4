import { expect, test } from '@playwright/test';
import type { Locator, Page } from '@playwright/test';

export interface HostFormValues {
  name: string;
  address: string;
  port: string;
  user: string;
  keyPath?: string;
  password?: boolean;
}

/** The Hosts view: list, add/edit dialog, host-key and password prompts, details. */
export class HostsPage {
  constructor(readonly page: Page) {}

  dialog(name: string | RegExp): Locator {
    return this.page.getByRole('dialog', { name });
  }

  row(label: string): Locator {
    return this.page.getByRole('table', { name: 'Hosts' }).getByRole('row', { name: label });
  }

  async openAddForm(): Promise<Locator> {
    await test.step('open the add-host form', async () => {
      await this.page.getByRole('button', { name: 'Add host' }).first().click();
    });
    return this.dialog('Add a host');
  }

  async fillForm(form: Locator, values: HostFormValues): Promise<void> {
    await test.step(`fill in ${values.name}`, async () => {
      await form.getByLabel('Name', { exact: true }).fill(values.name);
      await form.getByLabel('Address', { exact: true }).fill(values.address);
      await form.getByLabel('Port', { exact: true }).fill(values.port);
      await form.getByLabel('User', { exact: true }).fill(values.user);
      if (values.password) await form.getByRole('radio', { name: 'Password' }).click();
      if (values.keyPath !== undefined) await form.getByLabel('Private key file').fill(values.keyPath);
    });
  }

  async submit(form: Locator): Promise<void> {
    await form.getByRole('button', { name: /^(Add|Save) host$/ }).click();
  }

  /**
   * Adds a test host by key as a new user would, trusts the fingerprint the host really presents,
   * and waits until its page shows the facts of a connected, probed host.
   */
  async addTrustedHost(name: string, host: { address: string; port: number; fingerprint(): Promise<string> }, login: { user: string; keyPath: string }): Promise<void> {
    await test.step(`add ${name} and trust its key`, async () => {
      await this.addHost({ name, address: host.address, port: String(host.port), user: login.user, keyPath: login.keyPath });
      await this.trustKey(await host.fingerprint());
      await expect(this.page.getByRole('region', { name: 'Host facts' })).toBeVisible();
    });
  }

  /** Adds a host; the app then opens its details and connects, which asks to trust its key. */
  async addHost(values: HostFormValues): Promise<void> {
    const form = await this.openAddForm();
    await this.fillForm(form, values);
    await this.submit(form);
    await expect(form).toBeHidden();
  }

  async trustKey(expectedFingerprint: string): Promise<void> {
    await test.step('compare the fingerprint and trust the key', async () => {
      const prompt = this.dialog(/^Trust /);
      await expect(prompt).toBeVisible();
      await expect(prompt.locator('.fingerprint')).toHaveText(expectedFingerprint);
      await prompt.getByRole('button', { name: 'Trust and connect' }).click();
      await expect(prompt).toBeHidden();
    });
  }

  async backToList(): Promise<void> {
    await this.page.getByRole('button', { name: '← All hosts' }).click();
  }

  /** Connects the open host from its page. */
  async connect(): Promise<void> {
    await this.page.getByRole('button', { name: 'Connect', exact: true }).click();
  }

  async disconnect(): Promise<void> {
    await this.page.getByRole('button', { name: 'Disconnect' }).click();
    await expect(this.page.getByRole('button', { name: 'Connect', exact: true })).toBeVisible();
  }

  /** Whether every part of `inner` lies inside `outer` horizontally, and `outer` scrolls nothing sideways. */
  async fitsWithin(inner: Locator, outer: Locator): Promise<boolean> {
    const [a, b] = [await inner.boundingBox(), await outer.boundingBox()];
    const scrolls = await outer.evaluate((el) => el.scrollWidth > el.clientWidth + 1);
    return a !== null && b !== null && a.x >= b.x && a.x + a.width <= b.x + b.width + 0.5 && !scrolls;
  }
}
