// Step 9's whole story on a new installation: from an empty database the
// first administrator is made on the server's machine; they set up the
// city's own units, calendar and rules and invite its officials; an
// enterprise registers and invites a colleague, who files an appeal; the
// district coordinator routes it to the district's own bureau, whose
// dispatcher names an officer, who replies. Device and server count the
// same deadlines, and every timeline line names people and units.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  ROOT, startServer, launchBrowser, screenshot, signedIn, syncState, fillAppeal, fillEnterprise, perform,
  answerLink, addUnit,
} from './harness.mjs';

const SERVER = process.env.DIRECTLINE_BIN ?? join(ROOT, 'target', 'server', 'directline');
let server;
let browser;

before(async () => {
  server = await startServer();
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

/** The admin's invitation of an official: its one-time link. */
async function invite(admin, { role, org, district, name }) {
  const form = admin.page.getByTestId('invite');
  await form.locator('select[name=role]').selectOption(role);
  if (org) await form.locator('select[name=org]').selectOption(org);
  if (district) await form.locator('select[name=district]').selectOption(district);
  await form.locator('input[name=display_name]').fill(name);
  await form.getByRole('button', { name: '生成邀请链接' }).click();
  await admin.page.getByText(`请发给 ${name}`).waitFor();
  return admin.page.getByTestId('one-time-link').inputValue();
}

test('a new city sets itself up, and an appeal goes from a colleague to a named officer', async () => {
  // Monday 2026-12-07.
  const monday = new Date('2026-12-07T10:00:00+08:00');
  server.setTime(monday);

  // 1. The first administrator, made on the server's machine.
  const made = spawnSync(SERVER, ['--data', server.data, 'admin', 'create', '--login', 'zsj-admin', '--name', '市政数局管理员'],
    { input: '管理员的长密码2026\n', encoding: 'utf8' });
  assert.equal(made.status, 0, made.stdout + made.stderr);
  const admin = await signedIn(browser, server, 'zsj-admin', '管理员的长密码2026');
  for (const who of [admin]) await who.page.clock.setFixedTime(monday);

  // 2. A district bureau and a township of Huiyang.
  await admin.page.goto(`${server.url}admin/directory`);
  assert.match(await addUnit(admin.page, {
    code: 'huiyang-housing', zh: '惠阳区住房和城乡建设局', en: 'Huiyang Housing Bureau', level: 'District', district: 'huiyang', parent: 'housing',
  }), /已添加/);
  assert.match(await addUnit(admin.page, {
    code: 'qiuchang', zh: '秋长街道', en: 'Qiuchang Subdistrict', level: 'Township', district: 'huiyang',
  }), /已添加/);

  // 3. The official 2026 calendar; 2027 provisional; Huiyang replies in 1 working day.
  await admin.page.goto(`${server.url}admin/calendar`);
  const official2026 = readFileSync(join(ROOT, 'domain', 'data', 'calendar-cn.txt'), 'utf8')
    .split('\n').filter((line) => line.startsWith('2026')).join('\n');
  const calendar = admin.page.getByTestId('import-calendar');
  await calendar.locator('input[name=year]').fill('2026');
  await calendar.locator('textarea[name=calendar]').fill(official2026);
  await calendar.locator('button[type=submit]').click();
  await calendar.getByTestId('policy-saved').waitFor();
  await admin.page.locator('[data-year="2027"][data-provisional=true] .provisional').waitFor();
  await admin.page.goto(`${server.url}admin/rules`);
  const rules = admin.page.getByTestId('rule-form');
  await rules.locator('select[name=district]').selectOption('huiyang');
  await rules.locator('input[name=reply]').fill('1');
  await rules.locator('button[type=submit]').click();
  await rules.getByTestId('policy-saved').waitFor();

  // 4. The coordinator and two officers of the new bureau set their passwords.
  await admin.page.goto(`${server.url}admin`);
  const coordinatorLink = await invite(admin, { role: 'Coordinator', district: 'huiyang', name: '惠阳区政数局 周协调' });
  const dispatcherLink = await invite(admin, { role: 'Officer', org: 'huiyang-housing', name: '惠阳住建 陈主任' });
  const officerLink = await invite(admin, { role: 'Officer', org: 'huiyang-housing', name: '惠阳住建 王科员' });
  for (const width of [390, 1280]) await screenshot(admin.page, 'organisation-admin', width);
  const coord = await answerLink(browser, coordinatorLink, { login: 'zhou-huiyang', password: '周协调的密码2026' });
  const dispatcher = await answerLink(browser, dispatcherLink, { login: 'chen-zhujian', password: '陈主任的密码2026' });
  const officer = await answerLink(browser, officerLink, { login: 'wang-zhujian', password: '王科员的密码2026' });

  // 5. An enterprise of Huiyang registers and invites a colleague.
  const ownerContext = await browser.newContext({ locale: 'zh-CN' });
  const owner = { context: ownerContext, page: await ownerContext.newPage() };
  await owner.page.goto(`${server.url}register`);
  await fillEnterprise(owner.page, { uscc: '91441300MA4UQ1BQ2T', district: 'huiyang', name: '惠州市秋长光电有限公司' });
  await owner.page.locator('input[name=contact]').fill('刘经理');
  await owner.page.locator('input[name=phone]').fill('13902220001');
  await owner.page.locator('input[name=login]').fill('qiuchang-guangdian');
  await owner.page.locator('input[name=password]').fill('光电公司的密码2026');
  await owner.page.getByRole('button', { name: '注册并登录' }).click();
  await owner.page.getByRole('heading', { name: '我的诉求' }).waitFor();
  const inviteColleague = owner.page.getByTestId('invite-colleague');
  await inviteColleague.locator('summary').click();
  await inviteColleague.locator('input[name=colleague]').fill('李会计');
  await inviteColleague.getByRole('button', { name: '生成邀请链接' }).click();
  const colleagueLink = await inviteColleague.getByTestId('one-time-link').inputValue();
  const colleague = await answerLink(browser, colleagueLink, { login: 'li-guangdian', password: '李会计的密码2026' });

  // 6. The colleague files; the coordinator routes it to the district's
  // bureau; its dispatcher names 王科员, who replies.
  for (const who of [coord, dispatcher, officer, owner, colleague]) {
    await who.page.clock.setFixedTime(monday);
    await who.page.reload();
    await who.page.getByTestId('account-name').waitFor();
  }
  const title = '秋长厂区临时用电报装久拖';
  await fillAppeal(colleague.page, { title });
  await colleague.page.getByRole('button', { name: '提交诉求' }).click();
  const numbered = colleague.page.locator('.case-card', { hasText: title }).getByText(/HZ-\d{4}-\d{6}/);
  await numbered.waitFor();
  const number = (await numbered.innerText()).match(/HZ-\d{4}-\d{6}/)[0];

  await coord.page.reload();
  await coord.page.locator('.case-card', { hasText: title }).click();
  await perform(coord.page, 'route', { lead_department: 'huiyang-housing', channel: 'online' });
  await syncState(coord.page, 'synced');

  await dispatcher.page.reload();
  await dispatcher.page.locator('.case-card', { hasText: title }).click();
  await dispatcher.page.locator('[data-action=assign]').click();
  await dispatcher.page.getByTestId('assign').locator('select[name=officer] option', { hasText: '王科员' }).waitFor({ state: 'attached' });
  const offered = await dispatcher.page.getByTestId('assign').locator('select[name=officer] option').allInnerTexts();
  assert.deepEqual(offered.sort(), ['惠阳住建 王科员', '惠阳住建 陈主任'].sort(), 'the bureau\'s own officers');
  await perform(dispatcher.page, 'assign', { officer: await userId(dispatcher, '惠阳住建 王科员') });
  await syncState(dispatcher.page, 'synced');

  // 7. Wednesday, the reply not yet in: by Huiyang's rule of 1 working
  // day it was due on Tuesday. The coordinator's device and the server's
  // board both show it red.
  const wednesday = new Date('2026-12-09T10:00:00+08:00');
  server.setTime(wednesday);
  for (const who of [coord, officer, owner]) await who.page.clock.setFixedTime(wednesday);
  await coord.page.goto(server.url);
  await syncState(coord.page, 'synced');
  await coord.page.getByTestId('tabs').getByRole('button', { name: /全部/ }).click();
  const deviceLight = await coord.page.locator('.case-card', { hasText: title }).getAttribute('data-light');
  const board = await (await coord.page.request.get(`${server.url}board/huiyang/2026-12`)).text();
  const row = board.split('<tr').find((r) => r.includes(number));
  assert.ok(row, 'on the board');
  assert.match(row, /惠阳区住房和城乡建设局/);
  assert.equal(deviceLight, 'red');
  assert.equal(row.match(/data-light="(\w+)"/)[1].toLowerCase(), deviceLight, 'the device and the server agree');

  // The named officer finds it in their own list, and replies.
  await officer.page.reload();
  await officer.page.getByTestId('tabs').getByRole('button', { name: /我负责的/ }).click();
  await officer.page.locator('.case-card', { hasText: title }).click();
  await officer.page.getByTestId('responsibility').getByText('惠阳住建 王科员').waitFor();
  await perform(officer.page, 'reply', { text: '已联系供电所,三个工作日内完成临时用电报装。' });
  await syncState(officer.page, 'synced');
  for (const width of [390, 1280]) await screenshot(officer.page, 'organisation-officer', width);

  // 8. The timeline names people and units, never ids.
  await owner.page.reload();
  await owner.page.locator('.case-card', { hasText: title }).click();
  const timeline = owner.page.getByTestId('timeline');
  await timeline.getByText('指定承办人:惠阳住建 王科员').waitFor();
  await timeline.getByText('李会计').first().waitFor();
  await timeline.getByText('惠阳区住房和城乡建设局').first().waitFor();
  const text = await timeline.innerText();
  assert.doesNotMatch(text, /user-|officer-|coord-|invited-|huiyang-housing/, text);
  for (const width of [390, 1280]) await screenshot(owner.page, 'organisation-timeline', width);
  for (const who of [admin, coord, dispatcher, officer, owner, colleague]) await who.context.close();
});

/** The account id of the official named `name`, as the page's device knows it. */
async function userId(who, name) {
  const officials = await who.page.evaluate(async () => (await fetch('/api/officials')).json());
  return officials.find((o) => o.name === name).id;
}
