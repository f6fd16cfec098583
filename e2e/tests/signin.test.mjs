// Sign-in needs the network once; the identity then lives on the device.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, launchBrowser, screenshot, horizontalOverflow } from './harness.mjs';

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

test('sign in, keep the identity on the device, sign out', async () => {
  const context = await browser.newContext({ locale: 'zh-CN' });
  const page = await context.newPage();
  await page.goto(server.url);
  await page.getByRole('link', { name: '登录' }).click();
  await page.getByRole('heading', { name: '登录' }).waitFor();

  await page.locator('input[name=login]').fill('qiye01');
  await page.locator('input[name=password]').fill('wrong-password');
  await page.getByRole('button', { name: '登录' }).click();
  await page.getByRole('alert').waitFor();
  assert.match(await page.getByRole('alert').innerText(), /账号或密码错误/);
  for (const width of [390, 1280]) {
    await screenshot(page, 'sign-in', width);
    assert.ok((await horizontalOverflow(page)) <= 0, `sign-in fits at ${width}px`);
  }

  await page.locator('input[name=password]').fill('zhitongche2026');
  await page.getByRole('button', { name: '登录' }).click();
  const name = page.getByTestId('account-name');
  await name.waitFor();
  const enterprise = await name.innerText();
  assert.match(enterprise, /^惠州市.+公司$/);
  const cookies = await context.cookies();
  const session = cookies.find((c) => c.name === 'dl_session');
  assert.ok(session?.httpOnly, 'HttpOnly session cookie');
  assert.equal(session.sameSite, 'Strict');
  await screenshot(page, 'signed-in', 390);

  // With every server call failing, the app still opens as this user.
  await page.route('**/api/**', (route) => route.abort('internetdisconnected'));
  await page.reload();
  await name.waitFor();
  assert.equal(await name.innerText(), enterprise);
  await page.unroute('**/api/**');

  await page.getByRole('button', { name: '退出' }).click();
  await page.getByRole('link', { name: '登录' }).waitFor();
  await page.reload();
  await page.getByRole('link', { name: '登录' }).waitFor();
  assert.equal(await name.count(), 0);
  const status = await page.evaluate(async () => (await fetch('/api/session')).status);
  assert.equal(status, 401, 'the server session ended too');
  await context.close();
});
