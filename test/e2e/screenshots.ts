import path from 'node:path';
import type { Page } from '@playwright/test';
import { ROOT } from './processes';

/** Screenshots for people to look at: kept in test-results/screenshots/ as artifacts. */
export async function shoot(page: Page, name: string, fullPage = false): Promise<void> {
  await page.screenshot({ path: path.join(ROOT, 'test-results', 'screenshots', `${name}.png`), fullPage });
}
