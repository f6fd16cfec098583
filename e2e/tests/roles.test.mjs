// Each role's main screen with the demo data, in zh-CN and English, at
// phone and desktop width: screenshots saved as artifacts, and nothing
// overflows sideways or is cut off.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, launchBrowser, screenshot, horizontalOverflow, cutOffText, signedIn, syncState } from './harness.mjs';

let server;
let browser;

before(async () => {
  server = await startServer({ demo: true });
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

const ROLES = [
  { login: 'qiye01', zh: '我的诉求', en: 'My appeals' },
  { login: 'xietiao-boluo', zh: '分办台', en: 'Triage desk' },
  { login: 'bumen-natres', zh: '部门待办', en: 'Department inbox' },
  { login: 'lingdao-boluo', zh: '督办诉求', en: 'Cases to supervise' },
  { login: 'admin', zh: '全部诉求', en: 'All cases' },
];

async function check(page, name) {
  for (const width of [390, 1280]) {
    await screenshot(page, name, width);
    assert.ok((await horizontalOverflow(page)) <= 0, `${name} fits at ${width}px`);
    assert.deepEqual(await cutOffText(page), [], `${name}: no text cut off at ${width}px`);
  }
}

for (const { login, zh, en } of ROLES) {
  test(`${login}: main screen in zh-CN and English`, async () => {
    const { context, page } = await signedIn(browser, server, login);
    // The admin's sync fetches every demo case (305), one document at a
    // time into IndexedDB, and shows "synced" between documents: on a busy
    // 2-core machine it takes longer than the default 30 s.
    await syncState(page, 'synced', 120_000);
    await page.getByRole('heading', { name: zh }).waitFor();
    await page.getByTestId('case-list').or(page.getByTestId('no-match')).waitFor();
    await check(page, `role-${login}-zh`);

    await page.getByTestId('lang-switch').click();
    await page.getByRole('heading', { name: en }).waitFor();
    assert.equal(await page.evaluate(() => document.documentElement.lang), 'en');
    assert.match(await page.getByTestId('tabs').innerText(), /All/);
    await syncState(page, 'synced', 120_000);
    assert.match(await page.getByTestId('sync-status').innerText(), /^Synced \d\d:\d\d$/);
    await check(page, `role-${login}-en`);
    // The choice survives a reload.
    await page.reload();
    await page.getByRole('heading', { name: en }).waitFor();
    await page.getByTestId('case-list').or(page.getByTestId('no-match')).waitFor();
    // A case file in English too.
    const first = page.locator('.case-card a').first();
    if (await first.count()) {
      await first.click();
      await page.getByTestId('case-file').waitFor();
      assert.match(await page.getByTestId('case-file').innerText(), /Timeline/);
      // Everyone in the timeline by name (user ids have hyphens; the
      // names arrive from the device's list, then the server's).
      const who = page.getByTestId('timeline').locator('.who');
      await page.waitForFunction(() => {
        const names = [...document.querySelectorAll('[data-testid=timeline] .who')].map((el) => el.innerText);
        return names.length > 0 && names.every((name) => !name.includes('-'));
      }, null, { timeout: 30_000 })
        .catch(async (e) => assert.fail(`names in the timeline: ${await who.allInnerTexts()} (${e.message})`));
      await check(page, `role-${login}-case-en`);
    }
    await context.close();
  });
}
