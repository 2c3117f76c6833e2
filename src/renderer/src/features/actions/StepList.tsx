import type { ActionStep } from '../../../../shared/actions';
import { formatClock } from '../../lib/format';

/** Every step with its time, behind a disclosure (closed by default: the state line says the gist). */
export function StepList({ steps, label, open = false }: { steps: readonly ActionStep[]; label: string; open?: boolean }) {
  if (steps.length === 0) return null;
  return (
    <details className="steps" open={open}>
      <summary>
        Steps ({steps.length}) <span className="muted">· last: {steps[steps.length - 1].what}</span>
      </summary>
      <ol className="step-list" aria-label={label}>
        {steps.map((s, i) => (
          <li key={`${s.at}-${i}`}>
            <time className="step-time" dateTime={new Date(s.at).toISOString()}>
              {formatClock(s.at)}
            </time>
            <span className="step-what">{s.what}</span>
            {s.detail ? (
              <span className="step-detail">
                {Object.entries(s.detail)
                  .map(([k, v]) => `${k}: ${String(v)}`)
                  .join(' · ')}
              </span>
            ) : null}
          </li>
        ))}
      </ol>
    </details>
  );
}
