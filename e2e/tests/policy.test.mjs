// The city's organisation, calendar and deadline rules are data its admin
// keeps from the app: a district bureau and a township are added, a year's
// official holiday arrangement imported (the next year stays provisional),
// and one district's reply deadline shortened. A coordinator's device that
// holds a case of that district takes the new rules when it next reaches
// the server: its lights and the server's board agree.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, serverAndBrowser, screenshot, horizontalOverflow, signedIn, syncState, fillAppeal, perform, addUnit } from './harness.mjs';

const env = serverAndBrowser({ accounts: true });

async function fits(page, name) {
  for (const width of [390, 1280]) {
    await screenshot(page, name, width);
    assert.ok((await horizontalOverflow(page)) <= 0, `${name} fits at ${width}px`);
  }
}

test('an admin keeps the organisation, calendar and rules; device and server count alike', async () => {
  const { server, browser } = env;
  // Monday 2026-12-07: a case routed today has its reply due on Thursday
  // by the default rules (3 working days), on Tuesday by 1.
  const monday = new Date('2026-12-07T10:00:00+08:00');
  server.setTime(monday);
  const admin = await signedIn(browser, server, 'admin');
  await admin.page.clock.setFixedTime(monday);

  // The organisation: a district bureau and a township of Huiyang.
  await admin.page.goto(`${server.url}admin/directory`);
  assert.match(await addUnit(admin.page, {
    code: 'huiyang-housing', zh: '惠阳区住房和城乡建设局', en: 'Huiyang Housing Bureau', level: 'District', district: 'huiyang', parent: 'housing',
  }), /已添加 惠阳区住房和城乡建设局/);
  assert.match(await addUnit(admin.page, {
    code: 'qiuchang', zh: '秋长街道', en: 'Qiuchang Subdistrict', level: 'Township', district: 'huiyang',
  }), /已添加 秋长街道/);
  assert.match(await addUnit(admin.page, {
    code: 'natres', zh: '重复', en: 'Twice', level: 'City', district: 'city',
  }), /代码“natres”已被使用/, 'a code is never reused');
  await admin.page.locator('[data-unit=qiuchang]').getByText('镇街').waitFor();
  await admin.page.locator('[data-unit=huiyang-housing]').getByText('市住房和城乡建设局').waitFor();
  // Huiyang's facilities appeals go to its own bureau first.
  const routing = admin.page.getByTestId('set-routing');
  await admin.page.getByText('分办建议').click();
  await routing.locator('select[name=category]').selectOption('facilities');
  await routing.locator('select[name=district]').selectOption('huiyang');
  await routing.locator('select[name=lead]').selectOption('huiyang-housing');
  await routing.locator('input[name=assisting]').fill('qiuchang');
  await routing.locator('button[type=submit]').click();
  await routing.getByTestId('policy-saved').waitFor();
  // A category of the city's own.
  await admin.page.getByText('区县与诉求类别').click();
  const places = admin.page.getByTestId('places');
  const addCategory = places.getByTestId('add-category');
  await addCategory.locator('input[name=code]').fill('talent');
  await addCategory.locator('input[name=name_zh]').fill('人才服务');
  await addCategory.locator('input[name=name_en]').fill('Talent services');
  await addCategory.locator('button[type=submit]').click();
  await places.getByTestId('policy-saved').getByText('已添加 人才服务').waitFor();
  await fits(admin.page, 'admin-directory');

  // A coordinator of Huiyang files an appeal on an enterprise's behalf
  // and routes it to the district's new bureau (the device has the new
  // directory since it signed in).
  const coord = await signedIn(browser, server, 'xietiao-huiyang');
  await coord.page.clock.setFixedTime(monday);
  await coord.page.reload();
  const title = '秋长片区厂房消防验收久拖未办';
  await fillAppeal(coord.page, { title, district: 'huiyang' });
  assert.equal(await coord.page.locator('select[name=category] option[value=talent]').innerText(), '人才服务');
  await coord.page.getByRole('button', { name: '提交诉求' }).click();
  const numbered = coord.page.locator('.case-card', { hasText: title }).getByText(/HZ-\d{4}-\d{6}/);
  await numbered.waitFor();
  const number = (await numbered.innerText()).match(/HZ-\d{4}-\d{6}/)[0];
  await coord.page.locator('.case-card', { hasText: title }).click();
  const route = coord.page.getByTestId('route');
  if (!(await route.isVisible())) await coord.page.locator('[data-action=route]').click();
  const offered = await route.locator('select[name=lead_department] option').allInnerTexts();
  assert.equal(offered[0], '惠阳区住房和城乡建设局', 'the district\'s own units come first');
  assert.equal(await route.locator('select[name=lead_department]').inputValue(), 'huiyang-housing', 'the routing suggestion');
  assert.ok(!offered.some((o) => o.includes('惠东县')), 'another district\'s bureau is not offered');
  await perform(coord.page, 'route', { lead_department: 'huiyang-housing', channel: 'online' });
  await syncState(coord.page, 'synced');
  await coord.page.getByTestId('deadlines').locator('li', { hasText: '2026-12-10' }).waitFor();

  // The calendar: the official 2026 arrangement imported again; 2027 is
  // provisional; a file for the wrong year is refused.
  await admin.page.goto(`${server.url}admin/calendar`);
  await admin.page.locator('[data-year="2027"][data-provisional=true] .provisional').getByText('暂定').waitFor();
  const official2026 = readFileSync(join(ROOT, 'domain', 'data', 'calendar-cn.txt'), 'utf8')
    .split('\n').filter((line) => line.startsWith('2026')).join('\n');
  const importForm = admin.page.getByTestId('import-calendar');
  await importForm.locator('input[name=year]').fill('2027');
  await importForm.locator('textarea[name=calendar]').fill(official2026);
  await importForm.locator('button[type=submit]').click();
  await importForm.getByTestId('policy-refused').getByText('导入的是2027年的日历').waitFor();
  await importForm.locator('input[name=year]').fill('2026');
  await importForm.locator('button[type=submit]').click();
  await importForm.getByTestId('policy-saved').getByText('已导入 2026 年的放假安排').waitFor();
  await admin.page.locator('[data-year="2026"][data-provisional=false]').waitFor();
  await fits(admin.page, 'admin-calendar');

  // The rules: Huiyang replies within 1 working day.
  await admin.page.goto(`${server.url}admin/rules`);
  const rules = admin.page.getByTestId('rule-form');
  await rules.locator('select[name=district]').selectOption('huiyang');
  await rules.locator('input[name=reply]').fill('0');
  await rules.locator('button[type=submit]').click();
  await rules.getByTestId('policy-refused').getByText('答复时限(工作日)应为1到60之间的整数').waitFor();
  await rules.locator('input[name=reply]').fill('1');
  await rules.locator('button[type=submit]').click();
  await rules.getByTestId('policy-saved').waitFor();
  await admin.page.locator('[data-testid=rules] tr[data-district=huiyang]').waitFor();
  await fits(admin.page, 'admin-rules');

  // Wednesday: the coordinator's device takes the new rules when it
  // reaches the server again, and the case is overdue there as on the
  // server's board.
  const wednesday = new Date('2026-12-09T10:00:00+08:00');
  server.setTime(wednesday);
  await coord.page.clock.setFixedTime(wednesday);
  await coord.page.goto(server.url);
  await syncState(coord.page, 'synced');
  await coord.page.getByTestId('tabs').getByRole('button', { name: /已超期/ }).click();
  const card = coord.page.locator('.case-card[data-light=red]', { hasText: title });
  await card.waitFor();
  await card.click();
  await coord.page.getByTestId('deadlines').locator('li[data-light=red]', { hasText: '2026-12-08' }).waitFor();
  const board = await (await coord.page.request.get(`${server.url}board/huiyang/2026-12`)).text();
  const row = board.split('<tr').find((r) => r.includes(number));
  assert.ok(row, 'the case is on the board');
  assert.match(row, /data-light="Red"/);
  assert.match(row, /惠阳区住房和城乡建设局/);
  await admin.context.close();
  await coord.context.close();
});
