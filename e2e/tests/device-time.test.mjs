// A device whose clock is three days behind: the app warns, and when it
// answers a case that is really late, the server flags the times; the case
// shows both, its resolution light is red, and the league table counts it
// late.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { serverAndBrowser, screenshot, signedIn, syncState, fillAppeal, perform } from './harness.mjs';

const env = serverAndBrowser({ accounts: true });

test('a reply from a clock three days behind counts from when the server received it', async () => {
  const { server, browser } = env;
  const at = (day) => new Date(`2026-${day}T10:00:00+08:00`);
  // Monday 2026-11-30: filed and routed online; the resolution is due in
  // 15 working days, Monday 12-21.
  server.setTime(at('11-30'));
  const ent = await signedIn(browser, server, 'qiye01');
  const coord = await signedIn(browser, server, 'xietiao-huicheng');
  const officer = await signedIn(browser, server, 'bumen-housing');
  for (const who of [ent, coord, officer]) await who.page.clock.setFixedTime(at('11-30'));
  const title = '污水管网接驳迟迟未批';
  await fillAppeal(ent.page, { title, district: 'huicheng' });
  await ent.page.getByRole('button', { name: '提交诉求' }).click();
  await ent.page.locator('.case-card', { hasText: title }).getByText(/HZ-\d{4}-\d{6}/).waitFor();
  await coord.page.reload();
  await coord.page.locator('.case-card', { hasText: title }).click();
  await perform(coord.page, 'route', { lead_department: 'housing', channel: 'online' });
  await syncState(coord.page, 'synced');
  await officer.page.reload();
  await officer.page.locator('.case-card', { hasText: title }).waitFor();
  // Connected before the week passes (a PC left on all week): a socket
  // opened after the clock moved would greet the server with the reply
  // already made, which then counts as work done offline.
  await syncState(officer.page, 'synced');
  assert.equal(await officer.page.getByTestId('clock-warning').count(), 0, 'a right clock: no warning');

  // Really Thursday 12-24, past the deadline; the officer's PC says Monday.
  // The app warns as it starts (a second tab: the first stays connected,
  // as a PC left on all week does).
  server.setTime(at('12-24'));
  await officer.page.clock.setFixedTime(at('12-21'));
  const tab = await officer.context.newPage();
  await tab.clock.setFixedTime(at('12-21'));
  await tab.goto(server.url);
  await tab.getByTestId('clock-warning').getByText('本设备时钟比服务器慢约 3 天').waitFor();
  await screenshot(tab, 'device-time-warning', 390);
  await tab.close();
  await officer.page.locator('.case-card', { hasText: title }).click();
  await perform(officer.page, 'reply', { text: '已协调排水公司,本周内完成接驳审批。' });
  await perform(officer.page, 'resolve', { summary: '接驳审批已办结。' });
  await syncState(officer.page, 'synced');

  // The server flagged both times; the officer sees them, and the light.
  const flags = officer.page.getByTestId('time-flag');
  await flags.nth(1).waitFor();
  assert.equal(await flags.count(), 2, 'the reply and the resolution');
  assert.match(await flags.first().innerText(), /设备时间 2026-12-21.*服务器收到于 2026-12-24/s);
  const resolution = officer.page.getByTestId('resolution');
  assert.equal(await resolution.getAttribute('data-light'), 'red');
  assert.match(await resolution.innerText(), /逾期办结.*2026-12-24/s);
  await screenshot(officer.page, 'device-time-flag', 390);
  await screenshot(officer.page, 'device-time-flag-desktop', 1280);

  // The enterprise's page shows the time that counts, without the flag.
  await ent.page.clock.setFixedTime(at('12-24'));
  await ent.page.reload();
  await ent.page.locator('.case-card', { hasText: title }).click();
  await ent.page.getByTestId('resolution').getByText('逾期办结').waitFor();
  assert.equal(await ent.page.getByTestId('time-flag').count(), 0, 'flags are for officials');

  // The league table: housing resolved one case, none on time.
  const stats = await browser.newPage();
  await stats.goto(`${server.url}stats/huicheng?lang=zh-CN`);
  const row = stats.locator('tr[data-department=housing]');
  assert.match(await row.locator('td[data-label=按期办结率]').innerText(), /\(0\/1\)/);
  await stats.close();
  for (const who of [ent, coord, officer]) await who.context.close();
});
