import { expect, test } from '@playwright/test';
import type { Locator, Page } from '@playwright/test';

/** The MicroVMs view: the list, the New microVM dialog, a VM's page and its console. */
export class VmsPage {
  constructor(readonly page: Page) {}

  table(): Locator {
    return this.page.getByRole('table', { name: 'MicroVMs' });
  }

  row(id: string): Locator {
    return this.table().getByRole('row', { name: id, exact: true });
  }

  /** The rows of the list, header excluded. */
  rows(): Locator {
    return this.table().locator('tbody tr');
  }

  async createVm(id: string, options: { name?: string } = {}): Promise<void> {
    await test.step(`create and boot ${id}`, async () => {
      await this.page.getByRole('button', { name: 'New microVM' }).first().click();
      const dialog = this.page.getByRole('dialog', { name: 'New microVM' });
      await dialog.getByLabel('Id', { exact: true }).fill(id);
      if (options.name !== undefined) await dialog.getByLabel('Name (optional)').fill(options.name);
      // Only images of the host's architecture are offered.
      await expect(dialog.getByLabel('Kernel')).toContainText('vmlinux');
      await dialog.getByRole('button', { name: 'Create and boot' }).click();
      await expect(dialog).toBeHidden({ timeout: 30_000 });
    });
  }

  /** Opens a VM's page from the list. */
  async openVm(id: string): Promise<void> {
    await test.step(`open ${id}`, async () => {
      await this.row(id).getByRole('button').first().click();
      await expect(this.page.getByText(id, { exact: true }).first()).toBeVisible();
    });
  }

  console(): Locator {
    return this.page.getByLabel('Console output');
  }

  consoleStatus(): Locator {
    return this.page.getByRole('status', { name: 'Console status' });
  }

  async typeInConsole(text: string): Promise<void> {
    await test.step(`type ${JSON.stringify(text)} in the console`, async () => {
      await this.console().click();
      await this.page.keyboard.type(text);
      await this.page.keyboard.press('Enter');
    });
  }

  async backToList(): Promise<void> {
    await this.page.getByRole('button', { name: '← All microVMs' }).click();
  }

  /** Clicks Stop and confirms, without waiting for the outcome. */
  async clickStop(id: string): Promise<void> {
    const row = this.row(id);
    await row.getByRole('button', { name: 'Stop' }).click();
    await row.getByRole('button', { name: 'Stop' }).click(); // the confirmation
  }

  async stop(id: string): Promise<void> {
    await test.step(`stop ${id}`, async () => {
      await this.clickStop(id);
      await expect(this.row(id)).toContainText('Stopped', { timeout: 30_000 });
    });
  }

  async delete(id: string): Promise<void> {
    await test.step(`delete ${id}`, async () => {
      await this.row(id).getByRole('button', { name: 'Delete' }).click();
      await this.row(id).getByRole('button', { name: 'Delete' }).click();
      await expect(this.row(id)).toBeHidden({ timeout: 15_000 });
    });
  }

  /** The notice naming hosts that are not connected (their VMs cannot be listed). */
  unlistedHosts(): Locator {
    return this.page.getByRole('region', { name: 'Hosts not connected' });
  }
}
