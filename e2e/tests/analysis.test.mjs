// Letters, reminders and analysis, on the demo data: the server issues
// last month's letters when it starts; the enterprise finds them on its
// case page and opens one as a printable A4 letter; the public statistics
// page draws its charts and league table; a coordinator sees deadline
// reminders, the escalation list with how late each case is, and the
// quarterly common-issue report. Screenshots at 390 px and desktop width.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { serverAndBrowser, screenshot, horizontalOverflow, signedIn, syncState, storedKeys } from './harness.mjs';

const env = serverAndBrowser({ demo: true });

test('the enterprise finds its monthly letters on the case page and opens one', async () => {
  const { server, browser } = env;
  const ent = await signedIn(browser, server, 'qiye01');
  // Every case is on the device once synced (the list may still be filling).
  await syncState(ent.page, 'synced');
  const ids = await storedKeys(ent.page, 'docs');
  // Which of its cases were open at the end of last month: the server knows.
  const withLetters = [];
  for (const id of ids) {
    const letters = await ent.page.evaluate(async (id) => (await fetch(`/api/cases/${id}/letters`)).json(), id);
    if (letters.length > 0) withLetters.push({ id, letters });
  }
  assert.ok(withLetters.length > 0, `some of qiye01's ${ids.length} cases have letters`);
  const { id, letters } = withLetters[0];

  await ent.page.goto(`${server.url}case/${id}`);
  const section = ent.page.getByTestId('letters');
  const link = section.getByRole('link').first();
  await link.waitFor();
  assert.equal(await link.getAttribute('href'), letters[0].path);
  const [letter] = await Promise.all([ent.context.waitForEvent('page'), link.click()]);
  await letter.getByRole('heading', { name: '企业诉求办理进度告知函' }).waitFor();
  const text = await letter.locator('main').innerText();
  assert.match(text, /惠州市禾明电子有限公司/, 'addressed to the enterprise');
  assert.match(text, /HZ-\d{4}-\d{6}/, 'names the case');
  for (const width of [390, 1280]) {
    await screenshot(letter, 'letter', width);
    assert.ok((await horizontalOverflow(letter)) <= 0, `the letter fits at ${width}px`);
  }
  const pdf = await letter.pdf({ preferCSSPageSize: true });
  assert.ok(pdf.length > 1000, 'prints');
  // And the enterprise keeps it as a file.
  const [download] = await Promise.all([
    ent.page.waitForEvent('download'),
    section.getByTestId('download-letter').first().click(),
  ]);
  assert.match(download.suggestedFilename(), /^HZ-\d{4}-\d{6}-\d{4}-\d{2}\.html$/);
  const kept = readFileSync(await download.path(), 'utf8');
  assert.match(kept, /企业诉求办理进度告知函/);

  // Another enterprise cannot open it.
  const other = await signedIn(browser, server, 'qiye02');
  const refused = await other.page.request.get(server.url + letters[0].path.slice(1));
  assert.equal(refused.status(), 404);
  assert.ok(!(await refused.text()).includes('禾明'));
  await other.context.close();
  await ent.context.close();
});

test('the statistics page draws its charts and league table', async () => {
  const { server, browser } = env;
  const context = await browser.newContext({ locale: 'zh-CN' });
  const page = await context.newPage();
  await page.goto(`${server.url}stats`);
  await page.getByRole('heading', { name: '部门办理排行榜' }).waitFor();
  assert.equal(await page.locator('svg[role=img]').count(), 6);
  assert.ok((await page.locator('tr[data-department]').count()) > 5, 'departments ranked');
  for (const width of [390, 1280]) {
    await screenshot(page, 'statistics', width);
    assert.ok((await horizontalOverflow(page)) <= 0, `statistics fit at ${width}px`);
  }
  await page.getByRole('link', { name: '惠阳区' }).first().click();
  await page.getByRole('heading', { name: '惠阳区 数据分析' }).waitFor();
  await context.close();
});

test('a coordinator is reminded of deadlines, sees how late overdue work is and the common issues', async () => {
  const { server, browser } = env;
  const coord = await signedIn(browser, server, 'xietiao-huicheng');
  const reminders = coord.page.getByTestId('reminders');
  // Demo appeals waiting for triage are weeks old: overdue reminders first.
  await reminders.locator('li[data-urgency^=Overdue]').first().waitFor();
  assert.match(await reminders.locator('li').first().innerText(), /已超期 \d+ 个工作日/);
  for (const width of [390, 1280]) {
    await screenshot(coord.page, 'reminders', width);
    assert.ok((await horizontalOverflow(coord.page)) <= 0, `reminders fit at ${width}px`);
  }
  await reminders.locator('li a').first().click();
  await coord.page.getByTestId('case-file').waitFor();
  await coord.page.goBack();

  // The escalation list: overdue cases with how many working days late.
  await coord.page.getByTestId('tabs').getByRole('button', { name: /已超期/ }).click();
  const late = coord.page.locator('.case-card .late').first();
  await late.waitFor();
  assert.match(await late.innerText(), /超期 \d+ 个工作日/);

  await coord.page.getByTestId('analysis-links').getByRole('link', { name: '季度共性问题' }).click();
  await coord.page.getByRole('heading', { name: /季度 共性问题分析/ }).waitFor();
  assert.ok((await coord.page.locator('section.group').count()) >= 2, 'alike appeals grouped');
  await coord.context.close();
});
