import { expect, test } from '@playwright/test';
import type { Locator, Page } from '@playwright/test';
import { SettingsPage } from './settings-page';

export type NavLabel = 'Hosts' | 'MicroVMs' | 'Images' | 'Workspaces' | 'Settings';

/** The app shell: sidebar navigation, connection status and banners. */
export class AppPage {
  readonly nav: Locator;
  readonly connectionStatus: Locator;

  constructor(readonly page: Page) {
    this.nav = page.getByRole('navigation', { name: 'Main' });
    this.connectionStatus = page.locator('.sidebar-footer').getByRole('status');
  }

  async open(url: string): Promise<AppPage> {
    await test.step(`open ${new URL(url).origin}`, async () => {
      await this.page.goto(url);
      await expect(this.connectionStatus).toHaveText('Backend connected');
    });
    return this;
  }

  heading(): Locator {
    return this.page.getByRole('heading', { level: 1 });
  }

  async goTo(label: NavLabel): Promise<AppPage> {
    await test.step(`go to ${label}`, async () => {
      await this.nav.getByRole('button', { name: label }).click();
      await expect(this.heading()).toHaveText(label);
    });
    return this;
  }

  async openSettings(): Promise<SettingsPage> {
    await this.goTo('Settings');
    return new SettingsPage(this.page);
  }

  alert(): Locator {
    return this.page.getByRole('alert');
  }
}
