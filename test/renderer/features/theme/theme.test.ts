// @vitest-environment jsdom
import { createElement } from 'react';
import { cleanup, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { THEME_KEY, ThemeToggle, themeStore } from '../../../../src/renderer/src/features/theme';

afterEach(cleanup);

describe('theme', () => {
  it('is dark by default; the toggle switches to light, applies it and remembers it', () => {
    expect(themeStore.getState().theme).toBe('dark');
    render(createElement(ThemeToggle));
    fireEvent.click(screen.getByRole('button', { name: 'Switch to light theme' }));
    expect(document.documentElement.dataset.theme).toBe('light');
    expect(localStorage.getItem(THEME_KEY)).toBe('light');
    fireEvent.click(screen.getByRole('button', { name: 'Switch to dark theme' }));
    expect(document.documentElement.dataset.theme).toBe('dark');
    expect(localStorage.getItem(THEME_KEY)).toBe('dark');
  });
});
