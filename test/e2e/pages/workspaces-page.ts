import { expect, test } from '@playwright/test';
import type { Locator, Page } from '@playwright/test';

export class WorkspacesPage {
  readonly files: Locator;

  constructor(readonly page: Page) {
    this.files = page.getByRole('list', { name: 'Workspace files' });
  }

  async create(id: string): Promise<WorkspacesPage> {
    await test.step(`create workspace ${id}`, async () => {
      await this.page.getByLabel('New workspace').fill(id);
      await this.page.getByRole('button', { name: 'Create', exact: true }).click();
      await expect(this.page.getByRole('navigation', { name: 'Folder' })).toContainText(id);
    });
    return this;
  }

  newFile(name: string): Promise<WorkspacesPage> {
    return this.newEntry('file', name);
  }

  newFolder(name: string): Promise<WorkspacesPage> {
    return this.newEntry('folder', name);
  }

  private async newEntry(kind: 'file' | 'folder', name: string): Promise<WorkspacesPage> {
    await test.step(`new ${kind} ${name}`, async () => {
      await this.page.getByRole('button', { name: `New ${kind}` }).click();
      await this.page.getByLabel(`New ${kind} name`).fill(name);
      await this.page.getByRole('button', { name: 'Create', exact: true }).last().click();
      await expect(this.files.getByRole('button', { name, exact: true })).toBeVisible();
    });
    return this;
  }

  /** Copies files from this computer with the Upload files… button and the system's file picker. */
  async upload(files: { name: string; mimeType: string; buffer: Buffer }[]): Promise<WorkspacesPage> {
    await test.step(`upload ${files.map((f) => f.name).join(', ')}`, async () => {
      const chooser = this.page.waitForEvent('filechooser');
      await this.page.getByRole('button', { name: 'Upload files…' }).click();
      await (await chooser).setFiles(files);
      for (const file of files) await expect(this.files.getByRole('button', { name: file.name, exact: true })).toBeVisible();
    });
    return this;
  }

  editor(): Locator {
    return this.page.getByLabel('File content');
  }

  async write(text: string): Promise<WorkspacesPage> {
    await test.step('edit and save', async () => {
      await this.editor().fill(text);
      await this.page.getByRole('button', { name: 'Save', exact: true }).click();
      await expect(this.page.getByText('Saved', { exact: true })).toBeVisible();
    });
    return this;
  }

  /** Opens a file, folder or link by its name (a link is labelled "NAME (link)"). */
  async open(name: string): Promise<void> {
    await this.files.getByRole('button', { name: new RegExp(`^${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}( \\(link\\))?$`) }).click();
  }

  async delete(name: string): Promise<void> {
    await test.step(`delete ${name}`, async () => {
      await this.files.getByRole('button', { name: `Delete ${name}` }).click();
      await this.files.getByRole('button', { name: 'Confirm delete' }).click();
      await expect(this.files.getByRole('button', { name, exact: true })).toBeHidden();
    });
  }

  error(): Locator {
    return this.page.getByRole('region', { name: 'Files' }).getByRole('alert');
  }
}
