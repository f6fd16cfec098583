// Reaching people where they are: a push delivered to the service worker
// (DevTools' ServiceWorker.deliverPushMessage, as a push service would)
// is shown as a notification, and a click opens its case, also with the
// server stopped; the settings keep kinds, quiet hours and e-mail; the
// server's pages in English.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, launchBrowser, signedIn, syncState, screenshot, horizontalOverflow } from './harness.mjs';

let browser;
after(async () => {
  await browser?.close();
});

/** The id DevTools gives the app's service worker registration. */
async function registrationId(cdp, origin) {
  const found = new Promise((resolve) => {
    cdp.on('ServiceWorker.workerRegistrationUpdated', ({ registrations }) => {
      const mine = registrations.find((r) => r.scopeURL.startsWith(origin) && !r.isDeleted);
      if (mine) resolve(mine.registrationId);
    });
  });
  await cdp.send('ServiceWorker.enable');
  return found;
}

/** The notifications the service worker shows now. */
function shownNotifications(page) {
  return page.evaluate(async () => {
    const registration = await navigator.serviceWorker.ready;
    return (await registration.getNotifications()).map((n) => ({ title: n.title, body: n.body, url: n.data.url }));
  });
}

test('a pushed notification is shown; a click opens its case, also with the server stopped', async () => {
  const server = await startServer({ demo: true });
  browser = await launchBrowser();
  const origin = server.url.replace(/\/$/, '');
  const { context, page } = await signedIn(browser, server, 'qiye01');
  await context.grantPermissions(['notifications'], { origin });
  await syncState(page, 'synced');
  const card = page.locator('.case-card').first();
  // Link and title in one read: a late re-read of the list may re-sort it.
  const { path, title } = await card.locator('a').first().evaluate((a) => ({ path: a.getAttribute('href'), title: a.innerText.trim() }));
  assert.match(path, /^\/case\//);

  // What the server would push when a department replies (the payload the
  // push service hands the browser, decrypted).
  const sent = { title: '直通车 · 答复与办结', body: `${title}:部门已答复`, url: path, tag: path, lang: 'zh' };
  const cdp = await context.newCDPSession(page);
  const registration = await registrationId(cdp, origin);
  await cdp.send('ServiceWorker.deliverPushMessage', { origin, registrationId: registration, data: JSON.stringify(sent) });
  await page.waitForFunction(async () => (await (await navigator.serviceWorker.ready).getNotifications()).length > 0);
  assert.deepEqual(await shownNotifications(page), [{ title: sent.title, body: sent.body, url: path }]);
  // The open app shows it too, with a way to the case.
  const banner = page.getByTestId('push-banner');
  await banner.waitFor();
  assert.match(await banner.innerText(), /答复与办结/);
  await screenshot(page, 'notification', 390);
  assert.ok((await horizontalOverflow(page)) <= 0);

  // The server goes away; the person taps the notification.
  await server.stop();
  const [worker] = context.serviceWorkers();
  assert.ok(worker, 'the app has a service worker');
  await worker.evaluate(async () => {
    const [notification] = await self.registration.getNotifications();
    self.dispatchEvent(new NotificationEvent('notificationclick', { notification }));
  });
  await page.waitForURL((url) => url.pathname === path);
  await page.getByTestId('case-file').waitFor();
  assert.match(await page.getByTestId('case-file').innerText(), new RegExp(title.slice(0, 8)));
  assert.deepEqual(await shownNotifications(page), [], 'the notification is closed');
  await screenshot(page, 'notification-opened-offline', 390);
  await context.close();
});

test('settings keep kinds, quiet hours and e-mail; a wrong address is refused with the reason', async () => {
  const server = await startServer({ demo: true });
  browser ??= await launchBrowser();
  try {
    const { context, page } = await signedIn(browser, server, 'bumen-natres');
    await page.getByTestId('settings-link').click();
    const form = page.getByTestId('settings');
    await form.waitFor();
    assert.match(await page.getByTestId('this-device').innerText(), /本设备的通知/);
    await form.locator('input[name=email]').fill('wang at natres');
    await form.getByRole('button', { name: '保存' }).click();
    assert.match(await form.getByRole('alert').innerText(), /电子邮箱“wang at natres”无效|invalid e-mail/);

    await form.locator('input[name=email]').fill('wang@natres.huizhou.gov.cn');
    await form.locator('input[name=kind-BadReview]').uncheck();
    await form.locator('select[name=quiet_from]').selectOption('22');
    await form.locator('select[name=quiet_to]').selectOption('7');
    await form.locator('input[name=digest]').check();
    await form.getByRole('button', { name: '保存' }).click();
    await page.getByTestId('settings-saved').waitFor();
    for (const width of [390, 1280]) {
      await screenshot(page, 'settings', width);
      assert.ok((await horizontalOverflow(page)) <= 0, `fits at ${width}px`);
    }

    // Kept by the server: the page reads them back.
    await page.reload();
    await form.waitFor();
    assert.equal(await form.locator('input[name=email]').inputValue(), 'wang@natres.huizhou.gov.cn');
    assert.equal(await form.locator('input[name=kind-BadReview]').isChecked(), false);
    assert.equal(await form.locator('input[name=kind-Assigned]').isChecked(), true);
    assert.equal(await form.locator('select[name=quiet_from]').inputValue(), '22');
    assert.equal(await form.locator('select[name=quiet_to]').inputValue(), '7');
    assert.equal(await form.locator('input[name=digest]').isChecked(), true);

    // Turning this device's notifications on asks the browser; here it has
    // no push service to reach, and the page says what happened either way.
    await context.grantPermissions(['notifications'], { origin: server.url.replace(/\/$/, '') });
    await page.getByTestId('push-on').click();
    const said = page.getByTestId('this-device').locator('[role=alert], [role=status]');
    await said.waitFor({ timeout: 60_000 });
    assert.ok((await said.innerText()).length > 4);

    // The server's pages in English: the board.
    await page.goto(`${server.url}board?lang=en`);
    await page.getByRole('heading', { name: /Supervision board/ }).waitFor();
    await page.locator('main a').first().click();
    await page.locator('table').waitFor();
    assert.equal(await page.evaluate(() => document.documentElement.lang), 'en');
    await screenshot(page, 'board-en', 390, { fullPage: false });
    assert.ok((await horizontalOverflow(page)) <= 0);
    await context.close();
  } finally {
    await server.stop();
  }
});
