import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { build, preview, type PreviewServer } from 'vite';
import { expect } from 'vitest';

const ROOT = new URL('../..', import.meta.url).pathname;
export const EXAMPLE_ROWS = 30000;

/**
 * Builds the production site into its own folder (test files run in parallel: each gets one) and
 * serves it with vite preview on 127.0.0.1, a secure context, so WebGPU is exposed.
 */
export async function serveBuild(name: string): Promise<PreviewServer> {
  const outDir = join(tmpdir(), `threat-workbench-${name}`);
  // vitest sets NODE_ENV=test, which would bundle React's development build.
  const env = process.env.NODE_ENV;
  process.env.NODE_ENV = 'production';
  try {
    await build({ root: ROOT, logLevel: 'warn', build: { outDir, emptyOutDir: true } });
  } finally {
    process.env.NODE_ENV = env;
  }
  return preview({ root: ROOT, build: { outDir }, preview: { host: '127.0.0.1', port: 0, strictPort: false }, logLevel: 'warn' });
}

/** Debian's Chromium, headless; --enable-unsafe-webgpu gives the SwiftShader adapter on a machine without a GPU. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-background-networking', '--disable-component-update', '--no-first-run', '--enable-unsafe-webgpu'],
  });
}

export const rows = async (page: Page) => Number(await page.getByTestId('load-report').getAttribute('data-rows', { timeout: 1000 }).catch(() => NaN));

/** Opens the app and waits until the example data is loaded and profiled; collects uncaught page errors. */
export async function openApp(browser: Browser, url: string): Promise<{ page: Page; errors: string[] }> {
  const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(url);
  await expect.poll(() => rows(page), { timeout: 60_000 }).toBe(EXAMPLE_ROWS);
  await page.getByTestId('column-table').waitFor({ timeout: 60_000 });
  return { page, errors };
}
