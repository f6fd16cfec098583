// A case's files open offline: after one online sync the department's
// officer opens the enterprise's photo and PDF with no network, and the
// district's leader opens them from the session's agenda in the session
// room. Own files always stay on the device; other people's follow the
// limit the user sets.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import {
  serverAndBrowser, screenshot, signedIn, syncState, fillAppeal, perform, act, storedKeys,
} from './harness.mjs';
import { PHOTO, PDF } from '../fixtures/files.mjs';

const env = serverAndBrowser({ accounts: true });
const sha = (bytes) => createHash('sha256').update(bytes).digest('hex');

/** Opens the case page's link `/api/blobs/<hash>` from `page` (through its
 * service worker, as the link does): status, type and size. */
async function open(page, bytes) {
  return page.evaluate(async (hash) => {
    const response = await fetch(`/api/blobs/${hash}`);
    const body = await response.arrayBuffer();
    const why = response.ok ? '' : new TextDecoder().decode(body);
    return { status: response.status, type: response.headers.get('content-type'), size: body.byteLength, why };
  }, sha(bytes));
}

/** Waits until the files on `page`'s device are, of `files`, those `here`. */
async function onDevice(page, files, here) {
  const want = files.filter((_, i) => here[i]).map(sha).sort().join();
  const names = new Set(files.map(sha));
  for (let i = 0; i < 300; i++) {
    const kept = (await storedKeys(page, 'blobs')).filter((k) => names.has(k)).sort().join();
    if (kept === want) return;
    await page.waitForTimeout(100);
  }
  assert.fail(`the device should hold ${here} of the files`);
}

/** The enterprise files an appeal with a photo and a PDF; the district's
 * coordinator routes it to the land bureau (`channel`: online or session,
 * then on the session's agenda). */
async function appealWithFiles(browser, server, title, channel) {
  const ent = await signedIn(browser, server, 'qiye01');
  await fillAppeal(ent.page, { title, district: 'huicheng' });
  await ent.page.locator('input[name=attachments]').setInputFiles([
    { name: '现场照片.jpg', mimeType: 'image/jpeg', buffer: PHOTO },
    { name: '报装申请.pdf', mimeType: 'application/pdf', buffer: PDF },
  ]);
  await ent.page.getByTestId('attachments').getByText('报装申请.pdf').waitFor();
  await ent.page.getByRole('button', { name: '提交诉求' }).click();
  await ent.page.locator('.case-card', { hasText: title }).getByText(/HZ-\d{4}-\d{6}/).waitFor();
  await syncState(ent.page, 'synced');
  await ent.context.close();

  const coord = await signedIn(browser, server, 'xietiao-huicheng');
  await coord.page.locator('.case-card', { hasText: title }).click();
  await perform(coord.page, 'route', { lead_department: 'natres', channel });
  if (channel === 'session') await perform(coord.page, 'schedule', {});
  await syncState(coord.page, 'synced');
  await coord.context.close();
}

test("a case's photo and PDF open offline for the officer, and for the leader in the session room", async () => {
  const { server, browser } = env;
  const title = '厂区变压器增容报装';
  await appealWithFiles(browser, server, title, 'session');

  // The officer, after one online sync.
  const officer = await signedIn(browser, server, 'bumen-natres');
  await syncState(officer.page, 'synced');
  await onDevice(officer.page, [PHOTO, PDF], [true, true]);
  await officer.page.getByTestId('device-storage').getByText(/本设备存储:已用 [\d.]+ [KMG]B,上限约 [\d.]+ [KMG]B/).waitFor();
  await officer.context.setOffline(true);
  await officer.page.reload();
  await syncState(officer.page, 'offline');
  assert.deepEqual(await open(officer.page, PHOTO), { status: 200, type: 'image/jpeg', size: PHOTO.length, why: '' });
  assert.deepEqual(await open(officer.page, PDF), { status: 200, type: 'application/pdf', size: PDF.length, why: '' });
  const unknown = await open(officer.page, Buffer.from('nowhere'));
  assert.equal(unknown.status, 503, 'a file not on the device says so');
  await officer.context.close();

  // The leader syncs before the session, then in the session room, with no
  // network, goes from the agenda to the case and opens the photo.
  const leader = await signedIn(browser, server, 'lingdao-huicheng');
  await syncState(leader.page, 'synced');
  const agendaPath = await leader.page.getByTestId('sessions').locator('a').first().getAttribute('href');
  await onDevice(leader.page, [PHOTO, PDF], [true, true]);
  await leader.context.setOffline(true);
  await leader.page.goto(new URL(agendaPath, server.url).href);
  await syncState(leader.page, 'offline');
  await leader.page.getByTestId('agenda').getByText(title).click();
  await leader.page.getByTestId('case-file').waitFor();
  const [photo] = await Promise.all([
    leader.context.waitForEvent('page'),
    leader.page.getByRole('link', { name: '现场照片.jpg' }).click(),
  ]);
  await photo.waitForLoadState();
  assert.equal(await photo.evaluate(() => document.contentType), 'image/jpeg');
  await screenshot(leader.page, 'files-offline-session-room', 390);
  assert.deepEqual(await open(leader.page, PDF), { status: 200, type: 'application/pdf', size: PDF.length, why: '' });
  await leader.context.close();
});

test("own files always stay on the device; other people's follow the user's limit", async () => {
  const { server, browser } = env;
  const title = '园区污水管网接驳';
  await appealWithFiles(browser, server, title, 'online');
  const evidence = Buffer.from('%PDF-1.4 接驳审批意见');

  // The officer answers and resolves, with evidence of their own.
  const { context, page } = await signedIn(browser, server, 'bumen-natres');
  await page.locator('.case-card', { hasText: title }).click();
  await perform(page, 'reply', { text: '已协调排水公司,本周内完成接驳审批。' });
  const form = await act(page, 'resolve');
  await form.locator('input[type=file]').setInputFiles([{ name: '审批意见.pdf', mimeType: 'application/pdf', buffer: evidence }]);
  await form.getByTestId('attachments').getByText('审批意见.pdf').waitFor();
  await perform(page, 'resolve', { summary: '接驳审批已完成。' });
  await syncState(page, 'synced');
  const files = [PHOTO, PDF, evidence];
  await onDevice(page, files, [true, true, true]);

  const panel = page.getByTestId('offline-files');
  await panel.locator('summary').click();
  const tally = panel.getByTestId('files-tally');
  await panel.locator('[data-own="1"][data-others="2"]').waitFor();
  assert.match(await tally.innerText(), /你上传的附件 1 个.*其他人的附件 2 个/s);
  const limit = panel.locator('input[name=file-limit]');
  assert.equal(await limit.inputValue(), '200', 'the default limit is 200 MB');

  // Not a limit: said so, nothing changes.
  await limit.fill('-5');
  await panel.getByRole('button', { name: '保存' }).click();
  await panel.getByRole('alert').getByText('请填写 0 到 100000 之间的整数(单位 MB)').waitFor();
  await screenshot(page, 'files-offline-limit-error', 390);

  // No room for other people's files: they go, the officer's own stays.
  await limit.fill('0');
  await panel.getByRole('button', { name: '保存' }).click();
  await panel.getByTestId('file-limit-saved').waitFor();
  await panel.locator('[data-own="1"][data-others="0"]').waitFor();
  await onDevice(page, files, [false, false, true]);
  await context.setOffline(true);
  await page.reload();
  await syncState(page, 'offline');
  assert.equal((await open(page, PHOTO)).status, 503);
  assert.equal((await open(page, evidence)).status, 200);

  // Room again, online: they come back.
  await context.setOffline(false);
  const again = page.getByTestId('offline-files');
  await again.locator('summary').click();
  assert.equal(await again.locator('input[name=file-limit]').inputValue(), '0', 'the limit is kept');
  await again.locator('input[name=file-limit]').fill('200');
  await again.getByRole('button', { name: '保存' }).click();
  await again.locator('[data-own="1"][data-others="2"]').waitFor();
  await onDevice(page, files, [true, true, true]);
  for (const width of [390, 1280]) await screenshot(page, 'files-offline-limit', width);
  await context.close();
});
