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
}
