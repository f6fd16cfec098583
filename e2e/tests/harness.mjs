// Shared e2e setup: the real server binary serving the real built app,
// driven in Debian's chromium through playwright-core.
import { spawn } from 'node:child_process';
import { mkdtempSync, mkdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const ARTIFACTS = join(ROOT, 'e2e', 'artifacts');
mkdirSync(ARTIFACTS, { recursive: true });

const SERVER = process.env.DIRECTLINE_BIN ?? join(ROOT, 'target', 'server', 'directline');

/** Starts a server on a free loopback port with a fresh database. */
export async function startServer({ demo = false } = {}) {
  const data = mkdtempSync(join(tmpdir(), 'directline-e2e-'));
  const args = ['--addr', '127.0.0.1:0', '--data', data, '--dist', join(ROOT, 'dist')];
  if (demo) args.push('--demo');
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
    async stop() {
      child.kill('SIGTERM');
      await new Promise((r) => child.once('exit', r));
      rmSync(data, { recursive: true, force: true });
    },
  };
}

export async function launchBrowser() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    args: [
      '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync',
    ],
  });
}

/** Saves a full-page screenshot at the given width as an artifact. */
export async function screenshot(page, name, width) {
  await page.setViewportSize({ width, height: width < 600 ? 844 : 900 });
  // Let layout settle after the resize before capturing.
  // Scroll to the top so the sticky header sits where a person sees it.
  await page.evaluate(() => new Promise((r) => {
    window.scrollTo(0, 0);
    requestAnimationFrame(() => requestAnimationFrame(r));
  }));
  const path = join(ARTIFACTS, `${name}-${width}.png`);
  await page.screenshot({ path, fullPage: true });
  return path;
}

/** Asserts nothing on the page is wider than the viewport (no sideways scroll). */
export async function horizontalOverflow(page) {
  return page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
}
