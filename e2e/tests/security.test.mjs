// The app under its Content-Security-Policy, and markup typed into the
// app's forms — by an enterprise and by a coordinator: it shows as text on
// every screen that shows it, on both devices after sync, and never runs.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { serverAndBrowser, signedIn, syncState, fillAppeal, perform } from './harness.mjs';

const env = serverAndBrowser({ accounts: true });

const TITLE = '<img src=x onerror="window.__pwned=1">厂区围墙';
const DESCRIPTION = '<script>window.__pwned=2</script><svg onload="window.__pwned=3"></svg>围墙倒塌';
const QUESTION = '<iframe srcdoc="<script>parent.__pwned=4</script>"></iframe>请补充<b>红线图</b>';

/** A signed-in page that records CSP violations and any injected script. */
async function watched(login) {
  const { context, page } = await signedIn(env.browser, env.server, login);
  await context.addInitScript(() => {
    window.__violations = [];
    document.addEventListener('securitypolicyviolation', (e) => window.__violations.push(`${e.violatedDirective} ${e.blockedURI}`));
  });
  await page.reload();
  await page.getByTestId('account-name').waitFor();
  return { context, page };
}

async function assertUntouched(page, where) {
  assert.equal(await page.evaluate(() => window.__pwned), undefined, `no injected script ran (${where})`);
  assert.deepEqual(await page.evaluate(() => window.__violations), [], `no CSP violation (${where})`);
}

test('the app shell carries a policy that allows only its own loader', async () => {
  const response = await fetch(env.server.url);
  const policy = response.headers.get('content-security-policy') ?? '';
  assert.match(policy, /script-src 'self' 'wasm-unsafe-eval' 'sha256-[A-Za-z0-9+/]+=*'/);
  assert.match(policy, /object-src 'none'/);
  assert.match(policy, /frame-ancestors 'none'/);
  assert.doesNotMatch(policy, /unsafe-inline/);
});

test('markup typed into an appeal is shown as text on both devices and never runs', async () => {
  const ent = await watched('qiye01');
  await fillAppeal(ent.page, { title: TITLE });
  await ent.page.locator('textarea[name=description]').fill(DESCRIPTION);
  await ent.page.getByRole('button', { name: '提交诉求' }).click();
  const card = ent.page.locator('.case-card', { hasText: '厂区围墙' });
  await card.waitFor();
  assert.ok((await card.innerText()).includes(TITLE), 'the card shows the title as typed');
  await card.getByText(/HZ-\d{4}-\d{6}/).waitFor();
  await syncState(ent.page, 'synced');
  await card.click();
  await ent.page.getByText(DESCRIPTION).waitFor();
  assert.equal(await ent.page.locator('main img[src=x], main svg[onload], main script').count(), 0);
  await assertUntouched(ent.page, 'enterprise');

  const coord = await watched('xietiao-huicheng');
  const theirs = coord.page.locator('.case-card', { hasText: '厂区围墙' });
  await theirs.waitFor();
  assert.ok((await theirs.innerText()).includes(TITLE));
  await theirs.click();
  await coord.page.getByText(DESCRIPTION).waitFor();
  assert.equal(await coord.page.locator('main img[src=x], main svg[onload], main script').count(), 0);
  // The coordinator's own words travel back the same way.
  await perform(coord.page, 'request-info', { question: QUESTION });
  await coord.page.getByText(QUESTION).first().waitFor();
  await syncState(coord.page, 'synced');
  await assertUntouched(coord.page, 'coordinator');
  await ent.page.getByText(QUESTION).first().waitFor();
  assert.equal(await ent.page.locator('main iframe, main b').count(), 0);
  await assertUntouched(ent.page, 'enterprise, after the question arrived');
  await ent.context.close();
  await coord.context.close();
});
