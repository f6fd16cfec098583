// The working-day calendar is confirmed only through 2026 (the last year
// whose official arrangement it holds): every official's home page says
// so, and a deadline that falls in 2027 — counted by the statutory
// holidays alone — is marked provisional on the device and on the board.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { serverAndBrowser, screenshot, signedIn, syncState, fillAppeal, perform } from './harness.mjs';

const env = serverAndBrowser({ accounts: true });

test('officials are warned that the calendar ends, and deadlines in 2027 are marked provisional', async () => {
  const { server, browser } = env;
  // Wednesday 2026-12-30: the first deadlines of a case routed today fall
  // in January 2027.
  const now = new Date('2026-12-30T10:00:00+08:00');
  server.setTime(now);
  const ent = await signedIn(browser, server, 'qiye01');
  const coord = await signedIn(browser, server, 'xietiao-huicheng');
  for (const who of [ent, coord]) {
    await who.page.clock.setFixedTime(now);
    await who.page.reload();
  }
  await coord.page.getByTestId('calendar-ending').getByText('工作日历的官方放假安排只到 2026-12-31。请管理员导入 2027 年的安排').waitFor();
  assert.equal(await ent.page.getByTestId('calendar-ending').count(), 0, 'enterprises are not told');

  const title = '园区道路年底封闭施工';
  await fillAppeal(ent.page, { title, district: 'huicheng' });
  await ent.page.getByRole('button', { name: '提交诉求' }).click();
  await ent.page.locator('.case-card', { hasText: title }).getByText(/HZ-\d{4}-\d{6}/).waitFor();
  await syncState(ent.page, 'synced');
  await coord.page.reload();
  await coord.page.locator('.case-card', { hasText: title }).click();
  await perform(coord.page, 'route', { lead_department: 'transport', channel: 'online' });
  await syncState(coord.page, 'synced');
  await coord.page.getByTestId('deadlines').getByText(/2027-01-\d\d\(暂定\)/).first().waitFor();
  await ent.page.locator('.case-card', { hasText: title }).getByText(/期限 2027-01-\d\d\(暂定\)/).waitFor();
  await coord.page.goto(server.url);
  for (const width of [390, 1280]) await screenshot(coord.page, 'calendar-ending', width);

  const board = await coord.page.request.get(`${server.url}board/huicheng/2026-12`);
  assert.equal(board.status(), 200);
  assert.match(await board.text(), /2027-01-\d\d<span class="provisional"[^>]*>\(暂定\)<\/span>/);
  for (const who of [ent, coord]) await who.context.close();
});
