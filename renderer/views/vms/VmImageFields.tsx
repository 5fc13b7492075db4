import type { HostImages } from '../../../shared/channels/images';
import { Field } from '../../components/Field';
import { offeredImages } from './vm-draft';

/** Kernel and root filesystem, from the host's installed images of its own architecture. */
export function VmImageFields(props: {
  images: HostImages | undefined;
  kernel: string;
  rootfs: string;
  errors: Record<string, string>;
  onKernel(path: string): void;
  onRootfs(path: string): void;
}) {
  const { images } = props;
  const { kernels, rootfses } = offeredImages(images);
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
    </>
  );
}
