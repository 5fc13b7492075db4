import { useRef } from 'react';
import { useAppStore } from '../../store/context';

/**
 * Copies files from this computer into the open folder: a button that opens the system's file
 * picker (reachable by keyboard, unlike dropping), and the progress of copies under way.
 */
export function UploadButton() {
  const upload = useAppStore((s) => s.workspaces.upload);
  const input = useRef<HTMLInputElement>(null);
  return (
    <>
      <button type="button" className="button button-small" onClick={() => input.current?.click()}>
        Upload files…
      </button>
      <input
        ref={input}
        type="file"
        multiple
        hidden
        aria-label="Files to upload"
        onChange={(event) => {
          const files = [...(event.target.files ?? [])];
          // Cleared, so picking the same file again is a change too.
          event.target.value = '';
          if (files.length > 0) void upload(files);
        }}
      />
    </>
  );
}

export function UploadProgress() {
  const uploads = useAppStore((s) => s.workspaces.uploads);
  return Object.entries(uploads).map(([id, upload]) => (
    <div key={id} className="progress-row">
      <span className="small">Copying {upload.name}</span>
      <progress value={upload.sent} max={Math.max(upload.total, 1)} aria-label={`Copying ${upload.name}`} />
    </div>
  ));
}
