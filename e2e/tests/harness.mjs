// Shared e2e setup: the real server binary serving the real built app,
// driven in Debian's chromium through playwright-core.
import { spawn } from 'node:child_process';
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { before, after } from 'node:test';
import { chromium } from 'playwright-core';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const ARTIFACTS = join(ROOT, 'e2e', 'artifacts');
mkdirSync(ARTIFACTS, { recursive: true });

const SERVER = process.env.DIRECTLINE_BIN ?? join(ROOT, 'target', 'server', 'directline');

/** Starts a server on a free loopback port with a fresh database. */
/** `demo`: demo accounts and cases; `accounts`: the demo accounts only. */
/** `dist`: the built app to serve (the project's `dist/` unless given). */
export async function startServer({ demo = false, accounts = false, dist = join(ROOT, 'dist') } = {}) {
  const data = mkdtempSync(join(tmpdir(), 'directline-e2e-'));
  // The server's clock follows the test's devices when a test moves them
  // (see `setTime`): the server judges device times against its own.
  const clockFile = join(data, 'clock-offset');
  const args = ['--addr', '127.0.0.1:0', '--data', data, '--dist', dist, '--clock-offset-file', clockFile];
  if (demo) args.push('--demo');
  else if (accounts) args.push('--demo-accounts');
  const child = spawn(SERVER, args, { stdio: ['ignore', 'pipe', 'inherit'] });
  const url = await new Promise((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (chunk) => {
      out += chunk;
      const match = out.match(/running at (http:\/\/\S+)/);
      if (match) resolve(match[1]);
    });
    child.on('exit', (code) => reject(new Error(`server exited with ${code} before listening`)));
  });
  return {
    url,
    /** The data directory (for the server's own commands). */
    data,
    /** Moves the server's clock so that it reads `date` now. */
    setTime(date) {
      writeFileSync(clockFile, String(date.getTime() - Date.now()));
    },
    async stop() {
      child.kill('SIGTERM');
      await new Promise((r) => child.once('exit', r));
      rmSync(data, { recursive: true, force: true });
    },
  };
}

/** Registers a server (options as `startServer`) and a browser for the
 * test file, started before its tests and stopped after; returns an object
 * whose `server` and `browser` are set once started. */
export function serverAndBrowser(options) {
  const env = { server: null, browser: null };
  before(async () => {
    env.server = await startServer(options);
    env.browser = await launchBrowser();
  });
  after(async () => {
    await env.browser?.close();
    await env.server?.stop();
  });
  return env;
}

const CHROMIUM = {
  executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
  args: [
    '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync',
  ],
};

export async function launchBrowser() {
  return chromium.launch(CHROMIUM);
}

/** A browser with a real profile in `dir` (not incognito, as installing needs). */
export async function launchProfile(dir) {
  return chromium.launchPersistentContext(dir, { ...CHROMIUM, locale: 'zh-CN' });
}

/** Saves a screenshot at the given width as an artifact: the full page,
 * or what the first screen shows (`fullPage: false`, for long tables). */
export async function screenshot(page, name, width, { fullPage = true } = {}) {
  await page.setViewportSize({ width, height: width < 600 ? 844 : 900 });
  // Let layout settle after the resize before capturing.
  // Scroll to the top so the sticky header sits where a person sees it.
  await page.evaluate(() => new Promise((r) => {
    window.scrollTo(0, 0);
    requestAnimationFrame(() => requestAnimationFrame(r));
  }));
  const path = join(ARTIFACTS, `${name}-${width}.png`);
  await page.screenshot({ path, fullPage });
  return path;
}

/** Asserts nothing on the page is wider than the viewport (no sideways scroll). */
export async function horizontalOverflow(page) {
  return page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
}

export const DEMO_PASSWORD = 'zhitongche2026';

/** A fresh browser context signed in as `login`, its page on the case list. */
export async function signedIn(browser, server, login, password = DEMO_PASSWORD) {
  return signIn(await browser.newContext({ locale: 'zh-CN' }), server, login, password);
}

/** Signs in as `login` in `context`; returns it with its page on the case list. */
export async function signIn(context, server, login, password = DEMO_PASSWORD) {
  const page = await context.newPage();
  await page.goto(`${server.url}signin`);
  await page.locator('input[name=login]').fill(login);
  await page.locator('input[name=password]').fill(password);
  await page.getByRole('button', { name: '登录' }).click();
  // Signed in once the app leaves the form (on a shared device the last
  // person's name shows until then).
  await page.waitForURL((url) => !url.pathname.startsWith('/signin'));
  await page.getByTestId('account-name').waitFor();
  // The service worker must control the page before it can serve it offline.
  await page.evaluate(() => navigator.serviceWorker.ready);
  if (!(await page.evaluate(() => !!navigator.serviceWorker.controller))) {
    await page.reload();
    await page.getByTestId('account-name').waitFor();
  }
  return { context, page };
}

/** The records of `store` in the database of the account signed in on
 * `page`'s device (each account keeps its cases in its own), as the byte
 * lengths of binary values (others as they are). */
export async function storedRecords(page, store) {
  return page.evaluate(readStore, { store, what: 'values' });
}

/** The keys of `store` in the signed-in account's database. */
export async function storedKeys(page, store) {
  return page.evaluate(readStore, { store, what: 'keys' });
}

/** (In the page.) The values (byte arrays as their length) or keys of an
 * account database's store. */
async function readStore({ store, what }) {
  const name = (await indexedDB.databases()).map((d) => d.name).find((n) => n.startsWith('directline-user-'));
  if (!name) return [];
  const db = await new Promise((ok, fail) => {
    const open = indexedDB.open(name);
    open.onsuccess = () => ok(open.result);
    open.onerror = () => fail(open.error);
  });
  const objects = db.transaction(store).objectStore(store);
  const all = what === 'keys' ? objects.getAllKeys() : objects.getAll();
  const values = await new Promise((ok) => { all.onsuccess = () => ok(all.result); });
  db.close();
  return values.map((v) => (v instanceof Uint8Array ? v.length : v));
}

export async function syncState(page, state, timeout = 30_000) {
  await page.locator(`[data-testid=sync-status][data-state=${state}]`).waitFor({ timeout });
}

/** Opens a one-time link (invitation or reset) in a fresh browser and
 * answers it; returns the signed-in context and page. */
export async function answerLink(browser, link, { login, password }) {
  const context = await browser.newContext({ locale: 'zh-CN' });
  const page = await context.newPage();
  await page.goto(link);
  const form = page.getByTestId('accept-link');
  if (login) await form.locator('input[name=login]').fill(login);
  await form.locator('input[name=password]').fill(password);
  await form.locator('input[name=again]').fill(password);
  await form.getByRole('button', { name: '确定并登录' }).click();
  await page.getByTestId('account-name').waitFor();
  return { context, page };
}

/** Fills the admin's add-unit form (at /admin/directory) and submits it;
 * returns the outcome line's text. */
export async function addUnit(page, { code, zh, en, level, district, parent = '' }) {
  const form = page.getByTestId('add-unit');
  await form.locator('input[name=code]').fill(code);
  await form.locator('input[name=name_zh]').fill(zh);
  await form.locator('input[name=name_en]').fill(en);
  await form.locator('select[name=level]').selectOption(level);
  await form.locator('select[name=district]').selectOption(district);
  await form.locator('select[name=parent]').selectOption(parent);
  await form.locator('button[type=submit]').click();
  return form.locator('[data-testid=policy-saved], [data-testid=policy-refused]').innerText();
}

/** Fills the new-appeal form (an enterprise in Boluo unless told). */
/** A registered enterprise files as itself: its profile is not asked again. */
export async function fillAppeal(page, { uscc = '91350100M000100Y43', title = '厂区门口隔离带影响货车进出', district = 'zhongkai' } = {}) {
  await page.getByRole('link', { name: '＋ 反映诉求' }).click();
  await page.getByRole('heading', { name: '反映诉求' }).waitFor();
  if (await page.locator('input[name=enterprise]').count()) await fillEnterprise(page, { uscc, district });
  await page.locator('input[name=contact]').fill('黄女士');
  await page.locator('input[name=phone]').fill('0752-2345678');
  await page.locator('select[name=category]').selectOption('facilities');
  await page.locator('input[name=title]').fill(title);
  await page.locator('textarea[name=description]').fill('红星路中央新建隔离绿化带,每天约30辆次大货车无法进出厂区。');
  await page.locator('input[name=wants_session]').check();
}

/** Fills the enterprise's profile fields (registration, filing on its behalf). */
export async function fillEnterprise(page, { uscc, district, name = '惠州市德晋昌光电科技有限公司' }) {
  await page.locator('input[name=enterprise]').fill(name);
  await page.locator('input[name=uscc]').fill(uscc);
  await page.locator('select[name=district]').selectOption(district);
  await page.locator('input[name=industry]').fill('光电');
}

/** Opens the form of `action` (its chip in the case's action panel) and returns it. */
export async function act(page, action) {
  const form = page.getByTestId(action);
  if (!(await form.isVisible())) await page.locator(`[data-action=${action}]`).click();
  await form.waitFor();
  return form;
}

/** Opens a form, fills `fields` (name → value; booleans tick checkboxes), submits it and waits until it is saved on the device. */
export async function perform(page, action, fields = {}) {
  const form = await act(page, action);
  const saved = page.getByTestId('saved');
  const before = Number((await saved.count()) ? await saved.getAttribute('data-count') : 0);
  for (const [name, value] of Object.entries(fields)) {
    const input = form.locator(`[name=${name}]`);
    const tag = await input.evaluate((el) => el.tagName + (el.type ? ':' + el.type : ''));
    if (tag.startsWith('SELECT')) await input.selectOption(value);
    else if (tag === 'INPUT:checkbox') await input.setChecked(value);
    else await input.fill(String(value));
  }
  await form.locator('button[type=submit]').click();
  await page.locator(`[data-testid=saved][data-count="${before + 1}"]`).waitFor();
}

/** Texts the page cuts off: elements whose content is wider than their box
 * while their overflow is hidden or clipped (ellipsis included). */
export async function cutOffText(page) {
  return page.evaluate(() => [...document.querySelectorAll('body *')]
    .filter((el) => {
      if (['SELECT', 'OPTION', 'INPUT', 'TEXTAREA', 'SCRIPT', 'STYLE'].includes(el.tagName)) return false;
      const style = getComputedStyle(el);
      const clips = ['hidden', 'clip'].includes(style.overflowX) || style.textOverflow === 'ellipsis';
      return clips && el.scrollWidth > el.clientWidth + 1 && el.textContent.trim() !== '';
    })
    .map((el) => el.textContent.trim().slice(0, 40)));
}
