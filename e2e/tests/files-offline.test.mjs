// A case's files open offline: after one online sync the department's
// officer opens the enterprise's photo and PDF with no network, and so does
// the district's leader in the session room.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { serverAndBrowser, screenshot, signedIn, syncState, fillAppeal, perform } from './harness.mjs';

const env = serverAndBrowser({ accounts: true });

// The first bytes of a JPEG and of a PDF, then filler.
const photo = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.alloc(4000, 7)]);
const pdf = Buffer.concat([Buffer.from('%PDF-1.4\n'), Buffer.alloc(6000, 32)]);
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

test("a case's photo and PDF open offline for the officer and the leader after one sync", async () => {
  const { server, browser } = env;
  const ent = await signedIn(browser, server, 'qiye01');
  const title = '厂区变压器增容报装';
  await fillAppeal(ent.page, { title });
  await ent.page.locator('input[name=attachments]').setInputFiles([
    { name: '现场照片.jpg', mimeType: 'image/jpeg', buffer: photo },
    { name: '报装申请.pdf', mimeType: 'application/pdf', buffer: pdf },
  ]);
  await ent.page.getByTestId('attachments').getByText('报装申请.pdf').waitFor();
  await ent.page.getByRole('button', { name: '提交诉求' }).click();
  await ent.page.locator('.case-card', { hasText: title }).getByText(/HZ-\d{4}-\d{6}/).waitFor();
  await syncState(ent.page, 'synced');

  const coord = await signedIn(browser, server, 'xietiao-huicheng');
  await coord.page.locator('.case-card', { hasText: title }).click();
  await perform(coord.page, 'route', { lead_department: 'natres', channel: 'online' });
  await syncState(coord.page, 'synced');

  for (const login of ['bumen-natres', 'lingdao-huicheng']) {
    const { context, page } = await signedIn(browser, server, login);
    await syncState(page, 'synced');
    // The files arrive after the case: wait until both are on the device.
    for (const bytes of [photo, pdf]) {
      await page.waitForFunction(async (hash) => {
        const name = (await indexedDB.databases()).map((d) => d.name).find((n) => n.startsWith('directline-user-'));
        const db = await new Promise((ok) => { const o = indexedDB.open(name); o.onsuccess = () => ok(o.result); });
        const n = await new Promise((ok) => { const r = db.transaction('blobs').objectStore('blobs').count(hash); r.onsuccess = () => ok(r.result); });
        db.close();
        return n === 1;
      }, sha(bytes));
    }
    // What the device holds, and whether the browser keeps it.
    await page.getByTestId('device-storage').getByText(/本设备存储:已用 [\d.]+ [MG]B,上限约 [\d.]+ [MG]B/).waitFor();
    await screenshot(page, `device-storage-${login}`, 390);
    await context.setOffline(true);
    await page.reload();
    await syncState(page, 'offline');
    assert.deepEqual(await open(page, photo), { status: 200, type: 'image/jpeg', size: photo.length, why: '' }, login);
    assert.deepEqual(await open(page, pdf), { status: 200, type: 'application/pdf', size: pdf.length, why: '' }, login);
    const unknown = await open(page, Buffer.from('nowhere'));
    assert.equal(unknown.status, 503, 'a file not on the device says so');
    await context.close();
  }
  for (const who of [ent, coord]) await who.context.close();
});
