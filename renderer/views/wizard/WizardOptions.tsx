import type { CatalogImage } from '../../../shared/channels/images';

export interface WizardChoices {
  version: string;
  kernelKey: string;
  rootfsKey: string;
}

/** The setup's choices: Firecracker version, kernel and root filesystem (another architecture's are shown, not offered). */
export function WizardOptions({ choices, onChange, catalog, hostArch, disabled }: { choices: WizardChoices; onChange<K extends keyof WizardChoices>(field: K, value: WizardChoices[K]): void; catalog: CatalogImage[] | undefined; hostArch: string; disabled: boolean }) {
  const images = (kind: 'kernel' | 'rootfs') => (catalog ?? []).filter((i) => i.kind === kind);
  return (
    <div className="wizard-options">
      <label className="field">
        <span className="field-label">Firecracker version</span>
        <input value={choices.version} onChange={(e) => onChange('version', e.target.value)} spellCheck={false} disabled={disabled} />
      </label>
      <label className="field">
        <span className="field-label">Kernel</span>
        <select value={choices.kernelKey} onChange={(e) => onChange('kernelKey', e.target.value)} disabled={disabled}>
          <option value="">Newest for {hostArch}</option>
          {images('kernel').map((i) => (
            <option key={i.key} value={i.key} disabled={!i.compatible}>
              {i.name} ({i.arch}){i.compatible ? '' : ` — built for ${i.arch}, this host is ${hostArch}`}
            </option>
          ))}
        </select>
      </label>
      <label className="field">
        <span className="field-label">Root filesystem</span>
        <select value={choices.rootfsKey} onChange={(e) => onChange('rootfsKey', e.target.value)} disabled={disabled}>
          <option value="">Default for {hostArch}</option>
          {images('rootfs').map((i) => (
            <option key={i.key} value={i.key} disabled={!i.compatible}>
              {i.name} ({i.arch}){i.compatible ? '' : ` — built for ${i.arch}`}
            </option>
          ))}
        </select>
      </label>
    </div>
  );
}
