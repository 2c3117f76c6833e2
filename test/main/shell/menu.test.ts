import type { MenuItemConstructorOptions } from 'electron';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { fake, resetFakes } from './fakeElectron';
import { isAllowedExternal } from '../../../src/main/shell/externalLinks';
import { HELP_LINKS, installMenu, menuTemplate } from '../../../src/main/shell/menu';

vi.mock('electron', () => import('./fakeElectron'));

beforeEach(resetFakes);

/** Every item of a template, depth first. */
function items(template: MenuItemConstructorOptions[]): MenuItemConstructorOptions[] {
  return template.flatMap((i) => [i, ...(Array.isArray(i.submenu) ? items(i.submenu) : [])]);
}
const roles = (t: MenuItemConstructorOptions[]) => items(t).map((i) => i.role).filter(Boolean);

describe('menu', () => {
  it('offers Reload (CmdOrCtrl+R) and the developer tools only in development', () => {
    const dev = menuTemplate({ dev: true, platform: 'linux' });
    expect(items(dev).find((i) => i.role === 'reload')?.accelerator).toBe('CmdOrCtrl+R');
    expect(roles(dev)).toContain('toggleDevTools');
    const prod = menuTemplate({ dev: false, platform: 'linux' });
    expect(roles(prod)).not.toContain('reload');
    expect(roles(prod)).not.toContain('forceReload');
    expect(roles(prod)).not.toContain('toggleDevTools');
  });

  it('has full screen, zoom, window and help', () => {
    const r = roles(menuTemplate({ dev: false, platform: 'linux' }));
    for (const role of ['togglefullscreen', 'resetZoom', 'zoomIn', 'zoomOut', 'windowMenu', 'help', 'quit']) expect(r).toContain(role);
    expect(roles(menuTemplate({ dev: false, platform: 'darwin' }))).toContain('appMenu');
  });

  it('opens Help links in the browser, each on the allowlist', () => {
    const help = menuTemplate({ dev: false, platform: 'linux' }).find((i) => i.role === 'help');
    const links = Array.isArray(help?.submenu) ? help.submenu : [];
    expect(links.map((l) => l.label)).toEqual(HELP_LINKS.map((l) => l.label));
    for (const link of links) (link.click as () => void)();
    expect(fake.shell.openExternal.mock.calls.map((c) => c[0])).toEqual(HELP_LINKS.map((l) => l.url));
    for (const { url } of HELP_LINKS) expect(isAllowedExternal(url)).toBe(true);
  });

  it('installs the built menu as the application menu', () => {
    installMenu({ dev: false, platform: 'linux' });
    const top = (t: unknown[] | undefined) => (t as MenuItemConstructorOptions[] | undefined)?.map((i) => i.label ?? i.role);
    expect(top(fake.Menu.applied?.template)).toEqual(['File', 'editMenu', 'View', 'windowMenu', 'help']);
  });
});
