import { useAppStore } from '../../store/context';

/** The boot steps as the backend runs them, while a microVM is being created. */
export function BootSteps() {
  const steps = useAppStore((s) => s.vms.steps);
  if (steps.length === 0) return null;
  return (
    <ol className="step-list" aria-label="Boot steps">
      {steps.map((s) => (
        <li key={s.step} className={`step-${s.status}`}>
          <code>{s.step}</code> {s.status}
        </li>
      ))}
    </ol>
  );
}
