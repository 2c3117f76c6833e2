import type { RuleCheck } from '../../../../shared/actions';
import { Icon } from '../../ui';
import { RULE_LABEL } from './actionLook';

/** Each guard rail with its verdict in words and an icon (pass / FAIL), and the numbers it judged by. */
export function GuardChecks({ checks, force }: { checks: readonly RuleCheck[]; force: boolean }) {
  return (
    <ul className="checks" aria-label="Guard rails">
      {checks.map((c) => {
        const overridden = !c.ok && c.overridable && force;
        const verdict = c.ok ? 'pass' : overridden ? 'overridden' : 'FAIL';
        return (
          <li key={c.rule} className={`check ${c.ok ? 'is-ok' : overridden ? 'is-forced' : 'is-fail'}`} data-rule={c.rule} data-ok={c.ok ? 'true' : 'false'}>
            <span className={`check-verdict tone-${c.ok ? 'ok' : overridden ? 'warn' : 'bad'}`}>
              <Icon name={c.ok ? 'check' : overridden ? 'warning' : 'down'} size={14} />
              <span>{verdict}</span>
            </span>
            <span className="check-rule">
              {RULE_LABEL[c.rule] ?? c.rule} <code className="muted">{c.rule}</code>
              {!c.ok && c.overridable ? <span className="chip chip-warn">can be forced</span> : null}
            </span>
            <span className="check-msg">{c.message}</span>
          </li>
        );
      })}
    </ul>
  );
}
