import { Menu } from 'electron';
import type { MenuItemConstructorOptions } from 'electron';
import { openExternalIfAllowed } from './externalLinks';

export interface MenuOptions {
  /** Development build: adds Reload (CmdOrCtrl+R) and the developer tools. */
  dev: boolean;
  platform: NodeJS.Platform;
}

/** Documentation the Help menu links to (each on the external-link allowlist). */
export const HELP_LINKS: readonly { label: string; url: string }[] = [
  { label: 'Prometheus file_sd Reference', url: 'https://prometheus.io/docs/prometheus/latest/configuration/configuration/#file_sd_config' },
  { label: 'Prometheus HTTP API Reference', url: 'https://prometheus.io/docs/prometheus/latest/querying/api/' },
];

/**
 * The application menu: standard roles only (their shortcuts come with them), so the
 * menu does nothing a page could not already ask for — except Help links, which go
 * through the same allowlist as links in the page.
 */
export function menuTemplate(o: MenuOptions): MenuItemConstructorOptions[] {
  const mac = o.platform === 'darwin';
  const view: MenuItemConstructorOptions[] = [
    ...(o.dev
      ? ([{ role: 'reload', accelerator: 'CmdOrCtrl+R' }, { role: 'forceReload' }, { role: 'toggleDevTools' }, { type: 'separator' }] as MenuItemConstructorOptions[])
      : []),
    { role: 'resetZoom' },
    { role: 'zoomIn' },
    { role: 'zoomOut' },
    { type: 'separator' },
    { role: 'togglefullscreen' },
  ];
  return [
    ...(mac ? [{ role: 'appMenu' } as MenuItemConstructorOptions] : [{ label: 'File', submenu: [{ role: 'quit' }] } as MenuItemConstructorOptions]),
    { role: 'editMenu' },
    { label: 'View', submenu: view },
    { role: 'windowMenu' },
    {
      role: 'help',
      submenu: HELP_LINKS.map(({ label, url }) => ({ label, click: () => void openExternalIfAllowed(url) })),
    },
  ];
}

/** Builds the menu from {@link menuTemplate} and installs it for the app. */
export function installMenu(o: MenuOptions): void {
  Menu.setApplicationMenu(Menu.buildFromTemplate(menuTemplate(o)));
}
