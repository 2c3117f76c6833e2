import { createStore } from 'zustand/vanilla';

export type Theme = 'dark' | 'light';

/** Where the choice is remembered (this page's origin only). */
export const THEME_KEY = 'switchboard.theme';

function readSaved(): Theme {
  try {
    return globalThis.localStorage?.getItem(THEME_KEY) === 'light' ? 'light' : 'dark';
  } catch {
    // Storage can be disabled; the dark default is fine.
    return 'dark';
  }
}

function apply(theme: Theme): void {
  if (typeof document !== 'undefined') document.documentElement.dataset.theme = theme;
}

/** Dark by default (a console watched at night), light on request, remembered. */
export const themeStore = createStore<{ theme: Theme; setTheme(t: Theme): void }>()((set) => ({
  theme: readSaved(),
  setTheme(theme) {
    try {
      globalThis.localStorage?.setItem(THEME_KEY, theme);
    } catch {
      // Not remembered, still applied.
    }
    apply(theme);
    set({ theme });
  },
}));

/** Applies the remembered theme to the document (call once before the first render). */
export function applySavedTheme(): void {
  apply(themeStore.getState().theme);
}
