// Ad-hoc: screenshots of each role's home with demo data (not a test).
import { startServer, launchBrowser, screenshot, signedIn, syncState } from './tests/harness.mjs';
const server = await startServer({ demo: true });
const browser = await launchBrowser();
try {
  for (const login of (process.argv[2] ?? 'qiye01,xietiao-boluo,bumen-natres,lingdao-boluo').split(',')) {
    const { page, context } = await signedIn(browser, server, login);
    await syncState(page, 'synced');
    await page.waitForTimeout(1500);
    await screenshot(page, `look-${login}`, 390);
    await screenshot(page, `look-${login}`, 1280);
    const first = page.locator('.case-card a').first();
    if (await first.count()) {
      await first.click();
      await page.getByTestId('case-file').waitFor();
      await screenshot(page, `look-${login}-case`, 390);
    }
    await context.close();
  }
} finally {
  await browser.close();
  await server.stop();
}
