import { useAppStore } from '../../store/context';

export function AboutCard() {
  const info = useAppStore((s) => s.app.info);
  if (!info) return null;
  return (
    <section className="card" aria-labelledby="about">
      <h2 id="about">About</h2>
      <dl className="facts">
        <dt>Version</dt>
        <dd>{info.version}</dd>
        <dt>Running as</dt>
        <dd>{info.mode === 'electron' ? 'Desktop app' : 'Browser mode (npm run web)'}</dd>
        <dt>Data folder</dt>
        <dd>
          <code>{info.dataDir}</code>
        </dd>
      </dl>
    </section>
  );
}
