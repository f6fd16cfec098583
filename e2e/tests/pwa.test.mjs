// The installable app: Chromium's installability check passes (manifest,
// icons, service worker); a new build's worker brings the "new version"
// prompt; with the server stopped, a reload still opens the app and shows
// the cases kept on the device.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { appendFileSync, cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { brotliCompressSync, gzipSync } from 'node:zlib';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT, startServer, launchProfile, screenshot, signIn, syncState, fillAppeal } from './harness.mjs';

test('installable, announces a new build, and opens with the server stopped', async () => {
  // A copy of the build, so the test can publish a "new" one.
  const dist = mkdtempSync(join(tmpdir(), 'directline-dist-'));
  cpSync(join(ROOT, 'dist'), dist, { recursive: true });
  const server = await startServer({ accounts: true, dist });
  const profile = mkdtempSync(join(tmpdir(), 'directline-profile-'));
  const context = await launchProfile(profile);
  let running = true;
  try {
    const ent = await signIn(context, server, 'qiye01');
    const title = '仓库屋顶光伏并网审批';
    await fillAppeal(ent.page, { title, district: 'huicheng' });
    await ent.page.getByRole('button', { name: '提交诉求' }).click();
    await ent.page.locator('.case-card', { hasText: title }).getByText(/HZ-\d{4}-\d{6}/).waitFor();
    await syncState(ent.page, 'synced');

    const cdp = await ent.context.newCDPSession(ent.page);
    const manifest = await cdp.send('Page.getAppManifest');
    assert.deepEqual(manifest.errors, [], 'the manifest parses');
    const { installabilityErrors } = await cdp.send('Page.getInstallabilityErrors');
    assert.deepEqual(installabilityErrors, [], 'Chromium finds the app installable');
    assert.equal(await ent.page.getByTestId('update').count(), 0, 'no prompt without a new build');

    // A new build: its worker differs; the open page learns of it and offers to reload.
    // (The build leaves each file compressed beside it, which the server
    // sends as it is: a new build has new ones.)
    const worker = join(dist, 'sw.js');
    appendFileSync(worker, '\n// a newer build\n');
    writeFileSync(`${worker}.br`, brotliCompressSync(readFileSync(worker)));
    writeFileSync(`${worker}.gz`, gzipSync(readFileSync(worker)));
    await ent.page.evaluate(() => navigator.serviceWorker.getRegistration().then((r) => r.update()));
    const prompt = ent.page.getByTestId('update');
    await prompt.getByText('新版本可用').waitFor();
    await screenshot(ent.page, 'update-prompt', 390);
    await prompt.getByRole('button', { name: '重新加载' }).click();
    await ent.page.locator('.case-card', { hasText: title }).waitFor();
    assert.equal(await ent.page.getByTestId('update').count(), 0, 'the reloaded page runs the new build');

    // The server goes away; the app still opens, with the case from the device.
    await server.stop();
    running = false;
    await ent.page.reload();
    await ent.page.locator('.case-card', { hasText: title }).waitFor();
    await syncState(ent.page, 'offline');
    await screenshot(ent.page, 'server-stopped', 390);
  } finally {
    await context.close();
    if (running) await server.stop();
    rmSync(dist, { recursive: true, force: true });
    rmSync(profile, { recursive: true, force: true });
  }
});
