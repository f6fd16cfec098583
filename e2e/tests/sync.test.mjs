// Offline-first sync between people: edits made offline survive an offline
// reload, merge when the network is back, and a forbidden change is refused
// to its author only.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, launchBrowser, screenshot, horizontalOverflow, signedIn, syncState, fillAppeal, act, perform, storedRecords } from './harness.mjs';

let server;
let browser;

before(async () => {
  server = await startServer({ accounts: true });
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

/** The enterprise files an appeal in Boluo; the coordinator routes it online
 * to `department`. Returns everyone's pages and the case's path. */
async function fileAndRoute(title, department) {
  const ent = await signedIn(browser, server, 'qiye01');
  await fillAppeal(ent.page, { title, district: 'boluo' });
  await ent.page.getByRole('button', { name: '提交诉求' }).click();
  const card = ent.page.locator('.case-card', { hasText: title });
  await card.waitFor();
  // The server numbers the case on first receipt; the number syncs back.
  await card.getByText(/HZ-\d{4}-\d{6}/).waitFor();
  await card.click();
  await ent.page.getByTestId('case-file').waitFor();
  const path = new URL(ent.page.url()).pathname;

  const coord = await signedIn(browser, server, 'xietiao-huicheng');
  await coord.page.goto(server.url + path.slice(1));
  await perform(coord.page, 'route', { lead_department: department, channel: 'online' });
  await syncState(coord.page, 'synced');
  await ent.page.locator('[data-kind=route]').waitFor();
  return { ent, coord, path };
}

test('two people edit offline, keep their edits across an offline reload, and converge', async () => {
  const { ent, coord, path } = await fileAndRoute('厂区门口隔离带影响货车进出', 'natres');
  const officer = await signedIn(browser, server, 'bumen-natres');
  await officer.page.goto(server.url + path.slice(1));
  await act(officer.page, 'reply');

  await ent.context.setOffline(true);
  await officer.context.setOffline(true);
  await syncState(ent.page, 'offline');
  await syncState(officer.page, 'offline');

  await perform(officer.page, 'reply', { text: '已协调交警部门,隔离带开口方案一周内答复。' });
  await perform(ent.page, 'add-info', { text: '补充:每天早七点至九点货车最集中。' });
  await syncState(officer.page, 'saved');
  // The edit went to IndexedDB as a small change record beside the snapshot.
  const records = (await storedRecords(officer.page, 'changes')).length;
  assert.ok(records >= 1, 'change records beside the snapshot');

  // Offline reloads: the service worker serves the app, IndexedDB the case.
  for (const [who, own, other] of [[officer, '一周内答复', '早七点'], [ent, '早七点', '一周内答复']]) {
    await who.page.reload();
    await who.page.getByTestId('case-file').waitFor();
    const timeline = who.page.getByTestId('timeline');
    await timeline.getByText(own).waitFor();
    assert.equal(await timeline.getByText(other).count(), 0, 'the other edit is not here yet');
    await syncState(who.page, 'saved');
  }
  await screenshot(officer.page, 'case-offline', 390);

  await ent.context.setOffline(false);
  await officer.context.setOffline(false);
  for (const who of [ent, officer, coord]) {
    const timeline = who.page.getByTestId('timeline');
    await timeline.getByText('一周内答复').waitFor();
    await timeline.getByText('早七点').waitFor();
    await syncState(who.page, 'synced');
  }
  const events = async (who) => who.page.locator('[data-testid=timeline] li').allInnerTexts();
  assert.deepEqual(await events(ent), await events(officer), 'both converge to the same case');
  for (const width of [390, 1280]) {
    await screenshot(ent.page, 'case-synced', width);
    assert.ok((await horizontalOverflow(ent.page)) <= 0, `case page fits at ${width}px`);
  }
  for (const who of [ent, coord, officer]) await who.context.close();
});

test('a forbidden change is flagged for its author and never reaches anyone else', async () => {
  const { ent, coord, path } = await fileAndRoute('夹心地拆迁安置问题', 'natres');
  const officer = await signedIn(browser, server, 'bumen-natres');
  await officer.page.goto(server.url + path.slice(1));
  await act(officer.page, 'reply');

  // While the officer is offline, the coordinator gives the case to another
  // department; the officer, not knowing, replies.
  await officer.context.setOffline(true);
  await syncState(officer.page, 'offline');
  await perform(coord.page, 'route', { lead_department: 'housing', channel: 'online' });
  // The re-routing has reached the server once the enterprise has it.
  await ent.page.locator('[data-kind=route]').nth(1).waitFor();
  await perform(officer.page, 'reply', { text: '本局已答复:同意处置方案。' });

  await officer.context.setOffline(false);
  const refused = officer.page.getByTestId('refused');
  await refused.waitFor();
  assert.match(await refused.innerText(), /同意处置方案/);
  assert.match(await refused.innerText(), /您不是该案件的当事方/);
  await syncState(officer.page, 'synced');
  for (const width of [390, 1280]) {
    await screenshot(officer.page, 'case-refused', width);
    assert.ok((await horizontalOverflow(officer.page)) <= 0, `refusal fits at ${width}px`);
  }

  // Everyone else sees the re-routing, never the refused reply.
  for (const who of [ent, coord]) {
    await who.page.reload();
    await who.page.locator('[data-kind=route]').nth(1).waitFor();
    await syncState(who.page, 'synced');
    assert.equal(await who.page.getByText('同意处置方案').count(), 0);
  }
  for (const who of [ent, coord, officer]) await who.context.close();
});
