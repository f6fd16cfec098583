// One case across every role, each step done offline and seen by the next
// person only once it has synced; and a case's light turning yellow then
// red as the clock moves.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, launchBrowser, screenshot, horizontalOverflow, signedIn, syncState, fillAppeal, act, perform } from './harness.mjs';

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

/** Runs `step` with `who` offline; checks `observer` cannot see `proof`
 * (text on the page at `path`) until `who` is back online. */
async function offlineThenSeen(who, step, observer, path, proof) {
  await who.context.setOffline(true);
  await syncState(who.page, 'offline');
  await step();
  await syncState(who.page, 'saved');
  await observer.page.goto(server.url + path.slice(1));
  await syncState(observer.page, 'synced');
  assert.equal(await observer.page.getByText(proof).count(), 0, `"${proof}" is not seen before the sync`);
  await who.context.setOffline(false);
  await syncState(who.page, 'synced');
  await observer.page.getByText(proof).first().waitFor();
}

test('an appeal goes from the enterprise through coordinator, leader and officer and is rated', async () => {
  const title = '项目红线内夹心地无法供地';
  const ent = await signedIn(browser, server, 'qiye01');
  const coord = await signedIn(browser, server, 'xietiao-huicheng');

  // 1. The enterprise files offline, asking for the on-site session.
  await offlineThenSeen(ent, async () => {
    await fillAppeal(ent.page, { title, district: 'boluo' });
    await ent.page.getByRole('button', { name: '提交诉求' }).click();
    await ent.page.locator('.case-card', { hasText: title }).waitFor();
  }, coord, '/', title);
  const card = coord.page.locator('.case-card', { hasText: title });
  await card.getByText(/HZ-\d{4}-\d{6}/).waitFor();
  await card.click();
  await coord.page.getByTestId('case-file').waitFor();
  const path = new URL(coord.page.url()).pathname;

  // 2. The coordinator routes it to the session and puts it on the agenda.
  const leader = await signedIn(browser, server, 'lingdao-huicheng');
  const session = leader.page.getByTestId('sessions').locator('a').first();
  const agendaPath = new URL(await session.getAttribute('href'), server.url).pathname;
  await offlineThenSeen(coord, async () => {
    await perform(coord.page, 'route', { lead_department: 'natres', channel: 'session' });
    await perform(coord.page, 'schedule', {});
  }, leader, agendaPath, title);

  // 3. The leader opens the agenda, then decides in the session room, offline.
  for (const width of [390, 1280]) {
    await screenshot(leader.page, 'journey-agenda', width);
    assert.ok((await horizontalOverflow(leader.page)) <= 0, `agenda fits at ${width}px`);
  }
  await leader.page.getByTestId('agenda').getByText(title).click();
  await leader.page.getByTestId('case-file').waitFor();
  const officer = await signedIn(browser, server, 'bumen-natres');
  await offlineThenSeen(leader, async () => {
    await perform(leader.page, 'decide', {
      lead_leader: 'leader-huicheng',
      lead_department: 'natres',
      milestones: '2026-12-18 拿出供地方案\n2027-01-29 完成供地手续',
    });
    for (const width of [390, 1280]) await screenshot(leader.page, 'journey-decided-offline', width);
  }, officer, path, '惠城区领导');
  await officer.page.getByTestId('deadlines').getByText('拿出供地方案').waitFor();

  // 4. The officer posts progress, ticks the first milestone and resolves, offline.
  await offlineThenSeen(officer, async () => {
    await perform(officer.page, 'progress', { text: '已完成现场踏勘,供地方案报县政府审定。' });
    await perform(officer.page, 'tick', { milestone: 'm1' });
    // The approval letter as evidence, captured on the device while offline.
    const form = await act(officer.page, 'resolve');
    await form.locator('input[type=file]').setInputFiles([
      { name: '用地批复.pdf', mimeType: 'application/pdf', buffer: Buffer.from('%PDF-1.4 用地批复') },
    ]);
    await form.getByTestId('attachments').getByText('用地批复.pdf').waitFor();
    await perform(officer.page, 'resolve', { summary: '夹心地已纳入供地计划,企业已取得用地批复。' });
  }, ent, path, '企业已取得用地批复');
  // The evidence was uploaded once online; the enterprise may open it.
  const evidence = ent.page.locator('[data-kind=resolve] a', { hasText: '附件 1' });
  const href = await evidence.getAttribute('href');
  const body = await ent.page.evaluate(async (url) => {
    for (let i = 0; i < 100; i++) {
      const r = await fetch(url);
      if (r.ok) return r.text();
      await new Promise((ok) => setTimeout(ok, 100));
    }
    return null;
  }, href);
  assert.equal(body, '%PDF-1.4 用地批复');
  assert.match(await ent.page.getByTestId('case-status').innerText(), /已办结/);

  // 5. The enterprise rates it 85 and makes the rating public.
  await offlineThenSeen(ent, async () => {
    const form = await act(ent.page, 'rate');
    await form.locator('[name=score]').fill('85');
    assert.equal(await form.getByTestId('level').innerText(), '满意');
    await perform(ent.page, 'rate', { comment: '满意,少的15分是速度', public: true });
  }, coord, path, '满意,少的15分是速度');
  assert.match(await coord.page.getByTestId('case-status').innerText(), /已评价/);
  assert.match(await coord.page.getByTestId('responsibility').innerText(), /85 · 满意/);
  assert.match(await coord.page.locator('[data-kind=rate]').innerText(), /公开/);
  for (const width of [390, 1280]) {
    await screenshot(coord.page, 'journey-rated', width);
    assert.ok((await horizontalOverflow(coord.page)) <= 0, `rated case fits at ${width}px`);
  }
  for (const who of [ent, coord, leader, officer]) await who.context.close();
});

test('a case routed for an online reply turns yellow, then red, as the clock moves', async () => {
  // Monday 2026-11-30, 10:00 in Huizhou: the reply is due in 3 working days (Thursday).
  const at = (day) => new Date(`2026-${day}T10:00:00+08:00`);
  const ent = await signedIn(browser, server, 'qiye01');
  const coord = await signedIn(browser, server, 'xietiao-huicheng');
  const officer = await signedIn(browser, server, 'bumen-housing');
  server.setTime(at('11-30'));
  for (const who of [ent, coord, officer]) await who.page.clock.setFixedTime(at('11-30'));

  const title = '厂房消防验收迟迟未办';
  await fillAppeal(ent.page, { title, district: 'boluo' });
  await ent.page.getByRole('button', { name: '提交诉求' }).click();
  await ent.page.locator('.case-card', { hasText: title }).getByText(/HZ-\d{4}-\d{6}/).waitFor();
  await coord.page.reload();
  await coord.page.locator('.case-card', { hasText: title }).click();
  await perform(coord.page, 'route', { lead_department: 'housing', channel: 'online' });
  await syncState(coord.page, 'synced');

  const light = async (day) => {
    server.setTime(at(day));
    await officer.page.clock.setFixedTime(at(day));
    await officer.page.goto(server.url);
    const card = officer.page.locator('.case-card', { hasText: title });
    await card.waitFor();
    return card.getAttribute('data-light');
  };
  assert.equal(await light('11-30'), 'green', 'routed today');
  assert.equal(await light('12-01'), 'green', 'two working days left of three');
  assert.equal(await light('12-02'), 'yellow', 'one working day left');
  await screenshot(officer.page, 'light-yellow', 390);
  assert.equal(await light('12-04'), 'red', 'past Thursday');
  await screenshot(officer.page, 'light-red', 390);
  // The case page says which clock ran out, and the coordinator's overdue tab lists it.
  await officer.page.locator('.case-card', { hasText: title }).click();
  const overdue = officer.page.getByTestId('deadlines').locator('li[data-light=red]');
  assert.match(await overdue.innerText(), /线上答复.*2026-12-03/s);
  server.setTime(at('12-04'));
  await coord.page.clock.setFixedTime(at('12-04'));
  await coord.page.goto(server.url);
  await coord.page.getByRole('button', { name: /已超期/ }).click();
  await coord.page.locator('.case-card', { hasText: title }).waitFor();
  for (const who of [ent, coord, officer]) await who.context.close();
});
