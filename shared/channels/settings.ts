import { z } from 'zod';
import { channel } from '../channel.js';

const httpUrl = (what: string) =>
  z
    .string()
    .trim()
    .max(2048, { message: `${what} is too long (2048 characters at most).` })
    .refine(
      (value) => {
        try {
          const url = new URL(value);
          return (url.protocol === 'https:' || url.protocol === 'http:') && url.hostname !== '';
        } catch {
          return false;
        }
      },
      { message: `${what} must be an http:// or https:// URL, e.g. https://example.com/mirror.` },
    )
    // A base URL is joined with paths later; one canonical form avoids `//` in every request.
    .transform((value) => value.replace(/\/+$/, ''));

export const themeSchema = z.enum(['system', 'light', 'dark']);
export type Theme = z.infer<typeof themeSchema>;

export const firecrackerVersionSchema = z
  .string()
  .trim()
  .regex(/^v\d{1,3}\.\d{1,3}\.\d{1,3}$/, { message: 'Firecracker version must look like v1.12.0.' });

export const settingsSchema = z.object({
  theme: themeSchema,
  /** Where Firecracker release tarballs are downloaded from (`…/vX.Y.Z/firecracker-vX.Y.Z-ARCH.tgz`). */
  firecrackerReleaseBaseUrl: httpUrl('Firecracker release URL'),
  /** Root of the S3-style bucket that lists kernels and rootfs images. */
  imageBaseUrl: httpUrl('Image catalog URL'),
  /** The Firecracker version the setup wizard installs. */
  firecrackerVersion: firecrackerVersionSchema,
});
export type Settings = z.output<typeof settingsSchema>;

export const defaultSettings: Settings = {
  theme: 'system',
  firecrackerReleaseBaseUrl: 'https://github.com/firecracker-microvm/firecracker/releases/download',
  imageBaseUrl: 'https://s3.amazonaws.com/spec.ccfc.min',
  firecrackerVersion: 'v1.12.0',
};

export const settingsChannels = {
  'settings.get': channel<Settings>()(z.undefined()),
  /** Changes only the fields given; unknown fields are refused rather than silently dropped. */
  'settings.update': channel<Settings>()(settingsSchema.partial().strict()),
  'settings.reset': channel<Settings>()(z.undefined()),
};
