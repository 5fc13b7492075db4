import { expect, test } from '@playwright/test';
import type { Locator, Page } from '@playwright/test';

/** The Guest card of a VM's page: status, terminals, a command, ports, ssh. */
export class GuestPage {
  constructor(readonly page: Page) {}

  card(): Locator {
    return this.page.getByRole('region', { name: 'Guest', exact: true });
  }

  status(): Locator {
    return this.page.getByRole('status', { name: 'Guest SSH status' });
  }

  terminal(): Locator {
    return this.page.getByLabel('Guest terminal', { exact: true }).locator('visible=true');
  }

  async openTerminal(): Promise<void> {
    await test.step('open a guest terminal', async () => {
      await this.card().getByRole('button', { name: /Open terminal|\+ Terminal/ }).click();
      await expect(this.page.getByRole('status', { name: 'Terminal status' })).toHaveText('Connected', { timeout: 15_000 });
    });
  }

  async typeInTerminal(text: string): Promise<void> {
    await test.step(`type ${JSON.stringify(text)} in the terminal`, async () => {
      await this.terminal().click();
      await this.page.keyboard.type(text);
      await this.page.keyboard.press('Enter');
    });
  }

  async runCommand(command: string): Promise<Locator> {
    await test.step(`run ${command}`, async () => {
      await this.card().getByLabel('Command', { exact: true }).fill(command);
      await this.card().getByRole('button', { name: 'Run', exact: true }).click();
    });
    return this.card().getByLabel(`Command ${command}`);
  }

  async forwardSuggested(port: number): Promise<Locator> {
    await test.step(`forward the guest's port ${port}`, async () => {
      await this.card().getByRole('button', { name: 'Find listening ports' }).click();
      await this.card().getByRole('button', { name: `Forward ${port}`, exact: true }).click();
    });
    return this.card().getByRole('list', { name: 'Forwarded ports' }).getByRole('listitem').filter({ hasText: `guest port ${port}` });
  }

  files(): Locator {
    return this.card().getByRole('region', { name: 'Files', exact: true });
  }

  /** Fills the sync form, ticks "Delete files that exist only in the VM" and syncs: returns the confirm dialog. */
  async syncDeleting(workspacePath: string, guestPath: string): Promise<Locator> {
    await test.step(`sync ${workspacePath} into ${guestPath}, deleting guest-only files`, async () => {
      await this.files().getByLabel('Workspace path', { exact: true }).fill(workspacePath);
      await this.files().getByLabel('Guest path', { exact: true }).fill(guestPath);
      await this.files().getByRole('checkbox', { name: 'Delete files that exist only in the VM' }).check();
      await this.files().getByRole('button', { name: 'Sync into guest' }).click();
    });
    return this.page.getByRole('dialog', { name: /only in the VM\?$/ });
  }

  lastTransfer(): Locator {
    return this.files().getByLabel('sync transfer').first();
  }
}
