// An enterprise files an appeal on its device; it survives a reload, and
// the server numbers it once it syncs.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { startServer, launchBrowser, screenshot, horizontalOverflow, signedIn, syncState, fillAppeal, storedRecords } from './harness.mjs';

let server;
let browser;

before(async () => {
  server = await startServer({ accounts: true });
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

test('an appeal filed on the device is still there after a reload, and gets its number', async () => {
  const { context, page } = await signedIn(browser, server, 'qiye01');
  await page.getByRole('heading', { name: '诉求' }).waitFor();
  await page.getByText('本设备上还没有诉求').waitFor();
  assert.equal(await page.locator('#shell').count(), 0, 'the static shell is replaced by the app');

  await fillAppeal(page);
  await page.getByTestId('filing-as').getByText(/有限公司|厂|公司/).waitFor();
  // A photo is taken in; a file over the limit is refused with the reason.
  const photo = Buffer.alloc(3000, 7);
  await page.locator('input[name=attachments]').setInputFiles([
    { name: '现场照片.jpg', mimeType: 'image/jpeg', buffer: photo },
    { name: '全部材料.pdf', mimeType: 'application/pdf', buffer: Buffer.alloc(10 * 1024 * 1024 + 1) },
  ]);
  await page.getByTestId('attachments').getByText('现场照片.jpg').waitFor();
  assert.match(await page.getByRole('alert').innerText(), /文件“全部材料.pdf”超过10MB上限/);
  assert.equal(await page.getByTestId('attachments').getByText('全部材料.pdf').count(), 0);
  for (const width of [390, 1280]) {
    await screenshot(page, 'new-appeal', width);
    assert.ok((await horizontalOverflow(page)) <= 0, `form fits at ${width}px`);
  }
  await page.getByRole('button', { name: '提交诉求' }).click();

  const card = page.locator('.case-card', { hasText: '厂区门口隔离带影响货车进出' });
  await card.waitFor();
  assert.match(await card.innerText(), /已提交/);
  assert.match(await card.innerText(), /周边配套/);
  assert.match(await card.innerText(), /惠城区/, "the registered enterprise's district");

  await card.getByText(/HZ-\d{4}-\d{6}/).waitFor();
  await syncState(page, 'synced');
  // The photo was uploaded once online, under its content hash.
  const hash = createHash('sha256').update(photo).digest('hex');
  const uploaded = await page.evaluate(async (h) => {
    for (let i = 0; i < 100; i++) {
      const r = await fetch(`/api/blobs/${h}`);
      if (r.ok) return (await r.arrayBuffer()).byteLength;
      await new Promise((ok) => setTimeout(ok, 100));
    }
    return 0;
  }, hash);
  assert.equal(uploaded, photo.length);
  await page.reload();
  await card.waitFor();
  assert.match(await card.innerText(), /已提交/);
  assert.match(await card.innerText(), /HZ-\d{4}-\d{6}/);

  // The document itself is in IndexedDB, not only the summary, in the
  // account's own database.
  const stored = await storedRecords(page, 'docs');
  assert.equal(stored.length, 1);
  assert.ok(stored[0] > 100, 'an Automerge document of real size');

  for (const width of [390, 1280]) {
    await screenshot(page, 'case-list', width);
    assert.ok((await horizontalOverflow(page)) <= 0, `list fits at ${width}px`);
  }
  await context.close();
});

test('a draft is kept as a draft, on the device only', async () => {
  const { context, page } = await signedIn(browser, server, 'qiye02');
  await fillAppeal(page, { title: '员工子女入学学位' });
  await page.getByRole('button', { name: '存为草稿' }).click();
  const card = page.locator('.case-card', { hasText: '员工子女入学学位' });
  await card.waitFor();
  assert.match(await card.innerText(), /草稿/);
  assert.match(await card.innerText(), /编号待分配/);
  await context.close();
});

test('a wrong credit code is refused with a clear message and nothing is saved', async () => {
  // A coordinator filing on an enterprise's behalf types its credit code.
  const { context, page } = await signedIn(browser, server, 'xietiao-boluo');
  await fillAppeal(page, { uscc: '91350100M000100Y44' });
  await page.locator('input[name=title]').fill('');
  await page.getByRole('button', { name: '提交诉求' }).click();
  const alert = page.getByRole('alert');
  await alert.waitFor();
  const text = await alert.innerText();
  assert.match(text, /校验位应为“3”/);
  assert.match(text, /诉求标题不能为空/);
  await screenshot(page, 'new-appeal-errors', 390);
  await page.goto(server.url);
  await page.getByText('本设备上还没有诉求').waitFor();
  await context.close();
});

test('switching the language keeps what the enterprise has typed, and the appeal is filed with it', async () => {
  const { context, page } = await signedIn(browser, server, 'qiye02');
  const title = '切换语言前填写的诉求标题';
  await fillAppeal(page, { title });
  await page.locator('select[name=category]').selectOption('financing');
  await page.getByTestId('lang-switch').click();
  await page.getByRole('heading', { name: 'New appeal' }).waitFor();
  // Put back into the redrawn form, each field as it was.
  const field = (selector) => page.locator(selector);
  await page.waitForFunction((t) => document.querySelector('input[name=title]')?.value === t, title);
  assert.equal(await field('input[name=contact]').inputValue(), '黄女士');
  assert.equal(await field('select[name=category]').inputValue(), 'financing');
  assert.match(await field('textarea[name=description]').inputValue(), /隔离绿化带/);
  assert.equal(await field('input[name=wants_session]').isChecked(), true);
  await screenshot(page, 'new-appeal-switched-en', 390);
  // The form's own state has them too: the appeal is filed as typed.
  await page.getByRole('button', { name: 'Submit' }).click();
  const card = page.locator('.case-card', { hasText: title });
  await card.waitFor();
  assert.match(await card.innerText(), /Financing/);
  await context.close();
});

