// Two officers moved a case differently while offline (demo data): the
// case shows both, the coordinator settles it, and everyone sees the result.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, launchBrowser, screenshot, horizontalOverflow, signedIn, syncState, perform } from './harness.mjs';

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

test('a conflict made offline is shown with both options and settled by the coordinator', async () => {
  const coord = await signedIn(browser, server, 'xietiao-boluo');
  await syncState(coord.page, 'synced');
  const card = coord.page.locator('.case-card', { hasText: '存在冲突,待裁定' }).first();
  await card.click();
  const conflict = coord.page.getByTestId('conflict');
  await conflict.waitFor();
  const options = await conflict.locator('li').allInnerTexts();
  assert.equal(options.length, 2, 'both concurrent outcomes are shown');
  assert.match(options.join('\n'), /办结/);
  assert.match(options.join('\n'), /申请延期/);
  const path = new URL(coord.page.url()).pathname;
  for (const width of [390, 1280]) {
    await screenshot(coord.page, 'conflict', width);
    assert.ok((await horizontalOverflow(coord.page)) <= 0, `conflict fits at ${width}px`);
  }
  // The lead department cannot move the case on while it is in conflict.
  const officer = await signedIn(browser, server, 'bumen-natres');
  await officer.page.goto(server.url + path.slice(1));
  await officer.page.getByTestId('conflict').waitFor();
  assert.equal(await officer.page.locator('[data-action=resolve]').count(), 0);

  // The coordinator keeps the extension request.
  const form = await coord.page.locator('[data-action=settle]').click().then(() => coord.page.getByTestId('settle'));
  const extension = await form.locator('select[name=chosen] option', { hasText: '申请延期' }).getAttribute('value');
  await perform(coord.page, 'settle', { chosen: extension });
  await coord.page.getByTestId('conflict').waitFor({ state: 'detached' });
  assert.match(await coord.page.getByTestId('case-status').innerText(), /办理中/);
  // The pending extension now waits on the coordinator's decision.
  await coord.page.locator('[data-action=decide-extension]').waitFor();

  await officer.page.getByTestId('conflict').waitFor({ state: 'detached' });
  await officer.page.locator('[data-kind=settle]').waitFor();
  await coord.context.close();
  await officer.context.close();
});
