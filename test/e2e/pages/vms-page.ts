import { expect, test } from '@playwright/test';
import type { Locator, Page } from '@playwright/test';

export class VmsPage {
  constructor(readonly page: Page) {}

  row(id: string): Locator {
    return this.page.getByRole('table', { name: 'MicroVMs' }).getByRole('row', { name: id });
  }

  async createVm(id: string): Promise<void> {
    await test.step(`create and boot ${id}`, async () => {
      await this.page.getByRole('button', { name: 'New microVM' }).first().click();
      const dialog = this.page.getByRole('dialog', { name: 'New microVM' });
      await dialog.getByLabel('Id', { exact: true }).fill(id);
      // Only images of the host's architecture are offered.
      await expect(dialog.getByLabel('Kernel')).toContainText('vmlinux');
      await dialog.getByRole('button', { name: 'Create and boot' }).click();
      await expect(dialog).toBeHidden({ timeout: 30_000 });
    });
  }

  console(): Locator {
    return this.page.getByLabel('Console output');
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

  async stop(id: string): Promise<void> {
    await test.step(`stop ${id}`, async () => {
      const row = this.row(id);
      await row.getByRole('button', { name: 'Stop' }).click();
      await row.getByRole('button', { name: 'Stop' }).click(); // the confirmation
      await expect(row).toContainText('Stopped', { timeout: 30_000 });
    });
  }
}
