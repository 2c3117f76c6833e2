import { useStore } from 'zustand';
import { Icon } from '../../ui/Icon';
import { themeStore } from './themeStore';

/** One button: says what it will switch to. */
export function ThemeToggle() {
  const theme = useStore(themeStore, (s) => s.theme);
  const next = theme === 'dark' ? 'light' : 'dark';
  return (
    <button type="button" className="btn btn-ghost" onClick={() => themeStore.getState().setTheme(next)} aria-label={`Switch to ${next} theme`} title={`Switch to ${next} theme`}>
      <Icon name={next === 'light' ? 'sun' : 'moon'} />
      <span className="btn-label">{next === 'light' ? 'Light' : 'Dark'}</span>
    </button>
  );
}
