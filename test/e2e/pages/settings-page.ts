import { expect, test } from '@playwright/test';
import type { Locator, Page } from '@playwright/test';

export class SettingsPage {
  constructor(readonly page: Page) {}

  field(label: string): Locator {
    return this.page.getByLabel(label, { exact: true });
  }

  async fill(label: string, value: string): Promise<SettingsPage> {
    await test.step(`set ${label} to ${value}`, async () => {
      await this.field(label).fill(value);
    });
    return this;
  }

  async save(): Promise<SettingsPage> {
    await test.step('save settings', async () => {
      await this.page.getByRole('button', { name: 'Save' }).click();
    });
    return this;
  }

  async expectSaved(): Promise<void> {
    await expect(this.page.getByRole('status').filter({ hasText: 'Saved' })).toBeVisible();
  }

  themes(): Locator {
    return this.page.getByRole('radiogroup', { name: 'Theme' });
  }

  /** Moves through the theme choices with the keyboard, from the one chosen now. */
  async stepTheme(key: 'ArrowRight' | 'ArrowLeft' | 'Home' | 'End'): Promise<SettingsPage> {
    await test.step(`press ${key} in the theme choices`, async () => {
      await this.themes().getByRole('radio', { checked: true }).focus();
      await this.page.keyboard.press(key);
    });
    return this;
  }

  async chooseTheme(name: 'System' | 'Light' | 'Dark'): Promise<SettingsPage> {
    await test.step(`choose the ${name} theme`, async () => {
      await this.page.getByRole('radiogroup', { name: 'Theme' }).getByRole('radio', { name }).click();
      await expect(this.page.getByRole('radio', { name })).toHaveAttribute('aria-checked', 'true');
    });
    return this;
  }

  jailCard(): Locator {
    return this.page.getByRole('form', { name: 'Jail' });
  }

  async chooseJailUidMode(name: 'One per microVM' | 'One per host'): Promise<SettingsPage> {
    await test.step(`give jail uids ${name.toLowerCase()}`, async () => {
      await this.jailCard().getByRole('radiogroup', { name: 'Jail uids' }).getByRole('radio', { name }).click();
    });
    return this;
  }

  async applyJail(): Promise<SettingsPage> {
    await test.step('apply the jail settings', async () => {
      await this.jailCard().getByRole('button', { name: 'Apply jail settings' }).click();
    });
    return this;
  }
}
