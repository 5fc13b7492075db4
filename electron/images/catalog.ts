import type { Arch } from '../../shared/channels/hosts.js';
import type { CatalogImage } from '../../shared/channels/images.js';
import { AppError } from '../app-error.js';
import { imageKindOfName } from './image-names.js';

/** `v1.12.0` → `v1.12`: the bucket keeps one folder per Firecracker minor version. */
function catalogFolder(version: string): string {
  return version.replace(/^(v\d+\.\d+)\..*$/, '$1');
}

/**
 * Lists the CI images of one Firecracker version from an S3-style bucket (ListObjectsV2) for
 * both architectures; the host's own are `compatible`.
 */
export async function fetchCatalog(options: { imageBaseUrl: string; version: string; hostArch: Arch; fetch: typeof fetch; signal?: AbortSignal }): Promise<CatalogImage[]> {
  const images: CatalogImage[] = [];
  for (const arch of ['x86_64', 'aarch64'] as const) {
    const prefix = `firecracker-ci/${catalogFolder(options.version)}/${arch}/`;
    const url = `${options.imageBaseUrl}/?prefix=${encodeURIComponent(prefix)}&list-type=2`;
    let xml: string;
    try {
      const timeout = AbortSignal.timeout(20_000);
      const response = await options.fetch(url, { signal: options.signal ? AbortSignal.any([options.signal, timeout]) : timeout });
      if (!response.ok) throw new Error(`HTTP ${response.status}`);
      xml = await response.text();
    } catch (error) {
      throw new AppError('CATALOG_UNAVAILABLE', `The image catalog at ${options.imageBaseUrl} could not be read: ${(error as Error).message}.`, {
        remedy: 'Check the image catalog URL in Settings, and this computer’s network connection.',
        cause: error,
      });
    }
    for (const item of parseListing(xml)) {
      const name = item.key.slice(item.key.lastIndexOf('/') + 1);
      const kind = imageKindOfName(name);
      if (kind) images.push({ key: item.key, name, arch, kind, sizeBytes: item.size, compatible: arch === options.hostArch });
    }
  }
  return images;
}

/** The `<Contents>` of a ListObjectsV2 answer; the format is simple and fixed, so no XML library. */
function parseListing(xml: string): { key: string; size: number }[] {
  const items: { key: string; size: number }[] = [];
  for (const match of xml.matchAll(/<Contents>([\s\S]*?)<\/Contents>/g)) {
    const key = /<Key>([^<]*)<\/Key>/.exec(match[1]!)?.[1];
    const size = Number(/<Size>(\d+)<\/Size>/.exec(match[1]!)?.[1] ?? NaN);
    if (key && Number.isFinite(size)) items.push({ key: decodeXml(key), size });
  }
  return items;
}

function decodeXml(text: string): string {
  return text.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&apos;/g, "'").replace(/&amp;/g, '&');
}
