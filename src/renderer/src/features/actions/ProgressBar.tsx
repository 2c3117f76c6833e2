import type { Tone } from '../../ui';

/**
 * A progress bar that says its value in words too (`valueText`, read out and shown by the
 * caller): the fill alone is never the only signal.
 */
export function ProgressBar({ value, max, label, valueText, tone = 'info' }: { value: number; max: number; label: string; valueText: string; tone?: Tone }) {
  const share = max > 0 ? Math.min(1, Math.max(0, value / max)) : 0;
  return (
    <div className={`pbar pbar-${tone}`} role="progressbar" aria-label={label} aria-valuemin={0} aria-valuemax={max} aria-valuenow={Math.min(max, Math.max(0, value))} aria-valuetext={valueText}>
      <span className="pbar-fill" style={{ width: `${(share * 100).toFixed(1)}%` }} />
    </div>
  );
}
