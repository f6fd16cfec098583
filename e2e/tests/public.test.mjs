// The public progress page: the enterprise gets its link (and QR code);
// anyone with the link sees the case's current state once an officer's
// update has synced, and nothing of the enterprise's contact data or
// attachments. Prints the page's size against its budget.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { brotliCompressSync, constants } from 'node:zlib';
import { serverAndBrowser, screenshot, horizontalOverflow, signedIn, syncState, fillAppeal, perform } from './harness.mjs';

/** Step 4's budget for the public page: HTML with its CSS, brotli. */
const BUDGET = 15 * 1024;

const env = serverAndBrowser({ accounts: true });

test('the public page follows the case and shows nothing personal', async () => {
  const { server, browser } = env;
  const title = '红星路隔离带影响货车进出(黄女士 0752-2345678)';
  const ent = await signedIn(browser, server, 'qiye01');
  await fillAppeal(ent.page, { title, district: 'huicheng' });
  await ent.page.locator('input[name=attachments]').setInputFiles([
    { name: '现场照片.png', mimeType: 'image/png', buffer: Buffer.from('89504e470d0a1a0a', 'hex') },
  ]);
  await ent.page.getByTestId('attachments').getByText('现场照片.png').waitFor();
  await ent.page.getByRole('button', { name: '提交诉求' }).click();
  const card = ent.page.locator('.case-card', { hasText: title });
  await card.getByText(/HZ-\d{4}-\d{6}/).waitFor();
  await card.click();
  await ent.page.getByTestId('case-file').waitFor();
  const casePath = new URL(ent.page.url()).pathname;

  // The enterprise asks for its link; the page opens without signing in.
  const share = ent.page.getByTestId('public-link');
  await share.getByRole('button').click();
  const href = await share.getByRole('link').getAttribute('href');
  assert.match(href, /^\/p\/[0-9a-f]{64}$/);
  // The QR image may still be on its way: decoding waits for it.
  assert.equal(await share.locator('img.qr').evaluate((img) => img.decode().then(() => img.naturalWidth > 0, () => false)), true, 'QR code drawn');
  const visitor = await browser.newContext({ locale: 'zh-CN', javaScriptEnabled: false });
  const page = await visitor.newPage();
  await page.goto(server.url + href.slice(1));
  await page.getByText('已提交').first().waitFor();
  await page.getByText('(标题待审核后公开)').waitFor();

  // The coordinator routes it and publishes the title without the personal data.
  const coord = await signedIn(browser, server, 'xietiao-huicheng');
  await coord.page.goto(server.url + casePath.slice(1));
  await coord.page.getByTestId('case-file').waitFor();
  await perform(coord.page, 'route', { lead_department: 'natres', channel: 'online' });
  await perform(coord.page, 'publish', { title: '红星路隔离带影响货车进出' });
  await syncState(coord.page, 'synced');

  // The officer answers offline: the public page changes only after the sync.
  const officer = await signedIn(browser, server, 'bumen-natres');
  await officer.page.goto(server.url + casePath.slice(1));
  await officer.page.getByTestId('case-file').waitFor();
  // Officials see whom to call (the enterprise sees its own case without it).
  const call = officer.page.getByTestId('who-to-call');
  await call.getByText('黄女士').waitFor();
  assert.equal(await call.getByRole('link', { name: '07522345678' }).getAttribute('href'), 'tel:07522345678');
  await call.getByText('惠州市禾明电子有限公司').waitFor();
  assert.equal(await ent.page.getByTestId('who-to-call').count(), 0);
  await call.scrollIntoViewIfNeeded();
  await screenshot(officer.page, 'who-to-call', 390);
  // The timeline names who acted, not their ids — offline too.
  await officer.context.setOffline(true);
  await officer.page.reload();
  const timeline = officer.page.getByTestId('timeline');
  await timeline.getByText('惠城区政数局协调员').first().waitFor();
  await timeline.getByText('惠州市禾明电子有限公司').waitFor();
  assert.doesNotMatch(await timeline.innerText(), /coord-|user-ent-/);
  await perform(officer.page, 'reply', { text: '经核查,隔离带将于本月底前开设货车通行口。' });
  await syncState(officer.page, 'saved');
  await page.reload();
  assert.equal(await page.getByText('部门已线上答复').count(), 0, 'not public before the sync');
  await officer.context.setOffline(false);
  await syncState(officer.page, 'synced');
  await page.reload();
  await page.getByText('部门已线上答复').waitFor();
  await page.getByRole('heading', { name: '红星路隔离带影响货车进出' }).waitFor();
  await page.getByText('市自然资源局').first().waitFor();

  const html = await page.content();
  for (const secret of ['黄女士', '2345678', '现场照片', '/api/blobs', '禾明', '隔离带将于本月底前']) {
    assert.ok(!html.includes(secret), `"${secret}" is not on the public page`);
  }
  const response = await page.request.get(server.url + href.slice(1));
  const body = await response.body();
  assert.ok(!body.toString().includes('<script'), 'no script');
  const css = await (await page.request.get(`${server.url}pages.css`)).body();
  const squeeze = (bytes) => brotliCompressSync(bytes, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length;
  const brotli = squeeze(body) + squeeze(css);
  console.log(`public page: ${body.length} B HTML + ${css.length} B CSS raw, ${brotli} B brotli (budget ${BUDGET} B), no script`);
  assert.ok(brotli <= BUDGET, `public page ${brotli} B brotli is within ${BUDGET} B`);

  await visitor.close();
  // Screenshots need script in the page (to settle the layout): a second look, with it on.
  const look = await browser.newContext({ locale: 'zh-CN' });
  const shown = await look.newPage();
  await shown.goto(server.url + href.slice(1));
  for (const width of [390, 1280]) {
    await screenshot(shown, 'public-page', width);
    assert.ok((await horizontalOverflow(shown)) <= 0, `public page fits at ${width}px`);
  }
  // The district's supervision board lists it, under its published title.
  const month = new Date(Date.now() + 8 * 3600e3).toISOString().slice(0, 7);
  await shown.goto(`${server.url}board/huicheng/${month}`);
  const row = shown.locator('tr', { hasText: '红星路隔离带影响货车进出' });
  await row.getByText('市自然资源局').waitFor();
  assert.ok(!(await shown.content()).includes('黄女士'), 'nothing personal on the board');
  for (const width of [390, 1280]) {
    await screenshot(shown, 'board', width);
    assert.ok((await horizontalOverflow(shown)) <= 0, `board fits at ${width}px`);
  }
  await look.close();
  await ent.context.close();
  await coord.context.close();
  await officer.context.close();
});
