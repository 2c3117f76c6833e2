export { applySavedTheme, THEME_KEY, themeStore } from './themeStore';
export type { Theme } from './themeStore';
export { ThemeToggle } from './ThemeToggle';
