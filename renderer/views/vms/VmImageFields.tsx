import type { HostImages } from '../../../shared/channels/images';
import { Field } from '../../components/Field';
import { formatSize } from '../../format';
import { defaultDiskMib, DISK_HEADROOM_MIB } from './disk-size';
import { offeredImages } from './vm-draft';

/** Kernel and root filesystem, from the host's installed images of its own architecture. */
export function VmImageFields(props: {
  images: HostImages | undefined;
  kernel: string;
  rootfs: string;
  /** The disk size as typed (MiB); empty means the default. */
  disk: string;
  errors: Record<string, string>;
  onKernel(path: string): void;
  onRootfs(path: string): void;
  onDisk(mib: string): void;
}) {
  const { images } = props;
  const { kernels, rootfses } = offeredImages(images);
  const image = rootfses.find((r) => r.path === props.rootfs);
  return (
    <>
      <Field label="Kernel" hint={images ? `Only kernels whose header says ${images.arch}, from ${images.dir}.` : 'Loading the host’s images…'} error={props.errors.kernel}>
        <select value={props.kernel} onChange={(event) => props.onKernel(event.target.value)}>
          {kernels.length === 0 && <option value="">No {images?.arch ?? ''} kernel installed — run the host setup wizard</option>}
          {kernels.map((k) => (
            <option key={k.path} value={k.path}>
              {k.name}
            </option>
          ))}
        </select>
      </Field>
      <Field label="Root filesystem" error={props.errors.rootfs}>
        <select value={props.rootfs} onChange={(event) => props.onRootfs(event.target.value)}>
          {rootfses.length === 0 && <option value="">No root filesystem installed</option>}
          {rootfses.map((r) => (
            <option key={r.path} value={r.path}>
              {r.name}
            </option>
          ))}
        </select>
      </Field>
      <Field
        label="Disk size (MiB)"
        hint={
          image
            ? `The microVM boots its own copy of ${image.name} (${formatSize(image.sizeBytes)}); the image itself is never written. Empty: ${defaultDiskMib(image.sizeBytes)} MiB, the image plus ${DISK_HEADROOM_MIB} MiB; larger grows the copy’s ext4.`
            : 'The microVM boots its own copy of the image, never the image itself.'
        }
        error={props.errors.diskMib}
      >
        <input value={props.disk} inputMode="numeric" placeholder={image ? String(defaultDiskMib(image.sizeBytes)) : ''} onChange={(event) => props.onDisk(event.target.value)} />
      </Field>
    </>
  );
}
