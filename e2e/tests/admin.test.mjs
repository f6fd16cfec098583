// An admin keeps the officials' accounts from the app: invites an officer
// with a one-time link, who sets a login and password and works; resets a
// password by another link; deactivates the account.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { serverAndBrowser, screenshot, horizontalOverflow, signedIn, fillAppeal, answerLink } from './harness.mjs';

const env = serverAndBrowser({ accounts: true });

async function signInStatus(server, login, password) {
  const r = await fetch(`${server.url}api/session`, {
    method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ login, password }),
  });
  return r.status;
}

test('an admin invites an officer, resets the password and deactivates the account', async () => {
  const { server, browser } = env;
  const admin = await signedIn(browser, server, 'admin');
  await admin.page.getByTestId('admin-link').click();
  const invite = admin.page.getByTestId('invite');
  await invite.locator('select[name=role]').selectOption('Officer');
  await invite.locator('select[name=org]').selectOption('housing');
  await invite.getByRole('button', { name: '生成邀请链接' }).click();
  await admin.page.getByRole('alert').getByText('请填写姓名或称呼').waitFor();
  await invite.locator('input[name=display_name]').fill('陈科长(市住建局)');
  await invite.getByRole('button', { name: '生成邀请链接' }).click();
  const link = await admin.page.getByTestId('one-time-link').inputValue();
  assert.match(link, /^http:\/\/127\.0\.0\.1:\d+\/invite\/[0-9a-f]{64}$/);
  for (const width of [390, 1280]) {
    await screenshot(admin.page, 'admin-accounts', width);
    assert.ok((await horizontalOverflow(admin.page)) <= 0, `fits at ${width}px`);
  }

  // The officer opens the link, picks a login and password, and works.
  const officer = await answerLink(browser, link, { login: 'chen-housing', password: '陈科长的密码2026' });
  await officer.page.getByRole('heading', { name: '部门待办' }).waitFor();
  assert.equal(await officer.page.getByTestId('account-name').innerText(), '陈科长(市住建局)');
  await screenshot(officer.page, 'invited-officer', 390);
  const again = await browser.newContext({ locale: 'zh-CN' });
  const spent = await again.newPage();
  await spent.goto(link);
  await spent.getByRole('alert').getByText('此链接已失效').waitFor();
  await again.close();

  // A reset link: the officer sets a new password; the old one stops working.
  await admin.page.reload();
  const row = admin.page.locator('tr[data-login=chen-housing]');
  await row.getByRole('button', { name: '重置密码链接' }).click();
  await admin.page.getByText('请发给 陈科长(市住建局)').waitFor();
  const reset = await admin.page.getByTestId('one-time-link').inputValue();
  const renewed = await answerLink(browser, reset, { password: '陈科长的新密码2027' });
  await renewed.context.close();
  assert.equal(await signInStatus(server, 'chen-housing', '陈科长的密码2026'), 401);
  assert.equal(await signInStatus(server, 'chen-housing', '陈科长的新密码2027'), 200);

  // Deactivated: no sign-in, and the session open on the officer's device ends.
  await row.getByRole('button', { name: '停用' }).click();
  await row.getByText('已停用').waitFor();
  assert.equal(await signInStatus(server, 'chen-housing', '陈科长的新密码2027'), 401);
  assert.equal(await officer.page.evaluate(async () => (await fetch('/api/session')).status), 401);
  await officer.context.close();
  await admin.context.close();
});

test("an enterprise's registrant invites a colleague, whose appeal the enterprise sees in the colleague's name", async () => {
  const { server, browser } = env;
  const owner = await signedIn(browser, server, 'qiye02');
  const invite = owner.page.getByTestId('invite-colleague');
  await invite.locator('summary').click();
  await invite.locator('input[name=colleague]').fill('李会计');
  await invite.getByRole('button', { name: '生成邀请链接' }).click();
  const link = await invite.getByTestId('one-time-link').inputValue();
  await screenshot(owner.page, 'invite-colleague', 390);

  const colleague = await answerLink(browser, link, { login: 'li-kuaiji', password: '李会计的密码2026' });
  await colleague.page.getByRole('heading', { name: '我的诉求' }).waitFor();
  assert.equal(await colleague.page.getByTestId('invite-colleague').count(), 0, 'colleagues do not invite');
  const title = '同事填报:员工宿舍用电增容';
  // The enterprise's profile comes with the account: not asked again.
  await fillAppeal(colleague.page, { title });
  assert.equal(await colleague.page.locator('input[name=enterprise]').count(), 0);
  await colleague.page.getByRole('button', { name: '提交诉求' }).click();
  await colleague.page.locator('.case-card', { hasText: title }).getByText(/HZ-\d{4}-\d{6}/).waitFor();

  await owner.page.reload();
  await owner.page.locator('.case-card', { hasText: title }).click();
  await owner.page.getByTestId('timeline').getByText('李会计').waitFor();
  for (const who of [owner, colleague]) await who.context.close();
});
