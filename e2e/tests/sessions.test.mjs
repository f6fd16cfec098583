// A themed cross-district session made by hand: the coordinator makes it
// offline, builds its agenda and invites the enterprise; the enterprise
// answers; on the day the coordinator records who came. Every step reaches
// the others through sync only.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  serverAndBrowser, screenshot, horizontalOverflow, cutOffText, signedIn, syncState, fillAppeal, perform,
} from './harness.mjs';

const env = serverAndBrowser({ accounts: true });

/** `YYYY-MM-DD` in China, `days` from now. */
function chinaDay(days) {
  return new Date(Date.now() + 8 * 3600e3 + days * 86400e3).toISOString().slice(0, 10);
}

test('a coordinator makes a themed session, builds its agenda, invites, and records attendance', async () => {
  const { server, browser } = env;
  const title = '园区用地指标不足影响扩产';
  const ent = await signedIn(browser, server, 'qiye01');
  const coord = await signedIn(browser, server, 'xietiao-huicheng');

  // The enterprise (in Huicheng) files; the coordinator routes it to a session.
  await fillAppeal(ent.page, { title, district: 'huicheng' });
  await ent.page.getByRole('button', { name: '提交诉求' }).click();
  await ent.page.locator('.case-card', { hasText: title }).waitFor();
  await syncState(ent.page, 'synced');
  await coord.page.reload();
  await coord.page.locator('.case-card', { hasText: title }).click();
  await perform(coord.page, 'route', { lead_department: 'natres', channel: 'session' });
  await syncState(coord.page, 'synced');

  // Offline, the coordinator makes a land session for Huicheng and Huiyang.
  await coord.context.setOffline(true);
  await coord.page.goto(server.url);
  await syncState(coord.page, 'offline');
  const day = chinaDay(10);
  const panel = coord.page.getByTestId('sessions');
  await panel.getByText('新建专场或跨县(区)活动').click();
  const form = panel.getByTestId('new-session');
  await form.locator('select[name=theme]').selectOption('cross');
  await form.locator('input[name=day]').fill(day);
  await form.getByRole('button', { name: '建立' }).click();
  await form.getByRole('alert').getByText('跨县(区)专场至少要有两个区县').waitFor();
  await form.locator('select[name=theme]').selectOption('land');
  await form.locator('input[value=huiyang]').check();
  await form.getByRole('button', { name: '建立' }).click();
  await coord.page.getByRole('heading', { name: `用地专场 ${day}(惠城区、惠阳区)` }).waitFor();
  const sessionPath = new URL(coord.page.url()).pathname;
  assert.equal(sessionPath, `/session/special-land-${day}-huicheng.huiyang`);

  // Agenda building: the routed case is offered; added, it is on the agenda.
  await coord.page.getByTestId('candidates').locator('li', { hasText: title }).getByRole('button', { name: '加入' }).click();
  const item = coord.page.getByTestId('agenda').locator('li', { hasText: title });
  await item.getByTestId('invitation').getByText('未邀请').waitFor();
  assert.equal(await coord.page.getByTestId('candidates').getByText(title).count(), 0);

  // Invitations: the place is required, then every uninvited enterprise is invited.
  const invite = coord.page.getByTestId('invite-all');
  await invite.getByRole('button').click();
  await coord.page.getByText('请填写地点与安排。').waitFor();
  await invite.locator('input[name=place]').fill('惠城区政务服务中心三楼会议室,上午9:00');
  await invite.getByRole('button').click();
  await item.getByTestId('invitation').getByText('已邀请 · 未回复').waitFor();
  for (const width of [390, 1280]) {
    await screenshot(coord.page, 'session-themed', width);
    assert.ok((await horizontalOverflow(coord.page)) <= 0, `session page fits at ${width}px`);
    assert.deepEqual(await cutOffText(coord.page), []);
  }

  // Nothing reached the enterprise while the coordinator was offline.
  await ent.page.reload();
  await syncState(ent.page, 'synced');
  assert.equal(await ent.page.getByTestId('invited').count(), 0);
  await coord.context.setOffline(false);
  await syncState(coord.page, 'synced');

  // The enterprise sees the invitation on its list and answers it.
  await ent.page.reload();
  const card = ent.page.locator('.case-card', { hasText: title });
  await card.getByTestId('invited').getByText('惠城区政务服务中心三楼会议室').waitFor();
  await card.click();
  await ent.page.getByTestId('case-file').waitFor();
  await ent.page.getByText('邀请企业参加 用地专场').waitFor();
  await perform(ent.page, 'reply-invitation', { attending: true });
  await syncState(ent.page, 'synced');

  // The Huicheng leader finds the session among theirs, with the case on it.
  const leader = await signedIn(browser, server, 'lingdao-huicheng');
  await leader.page.getByTestId('sessions').getByRole('link', { name: `用地专场 ${day}(惠城区、惠阳区)` }).click();
  await leader.page.getByTestId('agenda').locator('li', { hasText: title }).getByText('已邀请 · 将参加').waitFor();
  assert.equal(await leader.page.getByTestId('invite-all').count(), 0, 'only the coordinator invites');

  // On the day, the coordinator records that the enterprise came.
  server.setTime(new Date(`${day}T09:30:00+08:00`));
  await coord.page.clock.setFixedTime(new Date(`${day}T09:30:00+08:00`));
  await coord.page.reload();
  await item.getByTestId('invitation').getByText('已邀请 · 将参加').waitFor();
  await item.locator('[data-attended=true]').click();
  await item.getByTestId('invitation').getByText('已到场').waitFor();
  await syncState(coord.page, 'synced');
  await ent.page.reload();
  await ent.page.getByText('登记:企业已到场').waitFor();

  // Only the canonical spelling of a session id names a session.
  await coord.page.goto(`${server.url}session/special-land-${day}-huiyang.huicheng`);
  await coord.page.getByText('没有这场现场活动。').waitFor();

  await ent.context.close();
  await coord.context.close();
  await leader.context.close();
});

test('a published session is on the calendar; the enterprise signs up there; the coordinator sees the sign-up first', async () => {
  const { server, browser } = env;
  const title = '报名参加用地专场的诉求';
  const ent = await signedIn(browser, server, 'qiye01');
  await fillAppeal(ent.page, { title, district: 'huicheng' });
  await ent.page.getByRole('button', { name: '提交诉求' }).click();
  await ent.page.locator('.case-card', { hasText: title }).waitFor();
  await syncState(ent.page, 'synced');

  // The coordinator makes a land session and publishes it.
  const coord = await signedIn(browser, server, 'xietiao-huicheng');
  const day = chinaDay(12);
  const panel = coord.page.getByTestId('sessions');
  await panel.getByText('新建专场或跨县(区)活动').click();
  const form = panel.getByTestId('new-session');
  await form.locator('select[name=theme]').selectOption('land');
  await form.locator('input[name=day]').fill(day);
  await form.getByRole('button', { name: '建立' }).click();
  await coord.page.getByRole('heading', { name: `用地专场 ${day}(惠城区)` }).waitFor();
  await coord.page.getByTestId('publish-session').getByRole('button', { name: '发布到现场活动日程' }).click();
  await coord.page.getByTestId('published').waitFor();

  // The enterprise finds it on its calendar and signs up with its appeal.
  await ent.page.reload();
  const calendar = ent.page.getByTestId('session-calendar');
  const row = calendar.locator(`li[data-session="special-land-${day}-huicheng"]`);
  await row.waitFor();
  assert.ok(await calendar.locator('li').count() > 1, 'the monthly sessions are there too');
  await row.locator('select[name=sign-up-case]').selectOption({ label: title });
  await row.getByTestId('sign-up').click();
  await row.getByTestId('signed-up').getByText(title).waitFor();
  await syncState(ent.page, 'synced');
  await screenshot(ent.page, 'session-calendar', 390);
  assert.ok((await horizontalOverflow(ent.page)) <= 0);

  // The coordinator's agenda builder lists it first, marked signed up.
  await coord.page.reload();
  await syncState(coord.page, 'synced');
  const first = coord.page.getByTestId('candidates').locator('li').first();
  await first.getByTestId('signed-up').waitFor();
  assert.match(await first.innerText(), new RegExp(title));
  await screenshot(coord.page, 'session-sign-ups', 390);
  await ent.context.close();
  await coord.context.close();
});
