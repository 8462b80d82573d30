import { mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { build, preview, type PreviewServer } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const ROOT = new URL('../..', import.meta.url).pathname;
const DATASETS = new URL('../../../shared/datasets/', import.meta.url).pathname;
/** Built apart from dist/, so a test run never replaces what `npm start` serves. */
const OUT = join(tmpdir(), 'threat-workbench-browser-test');
const SCRATCH = join(tmpdir(), 'threat-workbench-browser-files');
const EXAMPLE_ROWS = 30000;
const EXAMPLE_COLUMNS = 15;
let server: PreviewServer;
let browser: Browser;
let url: string;

beforeAll(async () => {
  // vitest sets NODE_ENV=test, which would bundle React's development build.
  const env = process.env.NODE_ENV;
  process.env.NODE_ENV = 'production';
  try {
    await build({ root: ROOT, logLevel: 'warn', build: { outDir: OUT, emptyOutDir: true } });
  } finally {
    process.env.NODE_ENV = env;
  }
  server = await preview({ root: ROOT, build: { outDir: OUT }, preview: { host: '127.0.0.1', port: 0, strictPort: false }, logLevel: 'warn' });
  url = server.resolvedUrls!.local[0]!;
  browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-background-networking', '--disable-component-update', '--no-first-run', '--enable-unsafe-webgpu'],
  });
  mkdirSync(SCRATCH, { recursive: true });
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

/** Opens the app and waits until the example data is loaded and profiled; collects uncaught page errors. */
async function openApp(): Promise<{ page: Page; errors: string[] }> {
  const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(url);
  await expect.poll(() => rows(page), { timeout: 60_000 }).toBe(EXAMPLE_ROWS);
  await page.getByTestId('column-table').waitFor({ timeout: 60_000 });
  return { page, errors };
}

const rows = async (page: Page) => Number(await page.getByTestId('load-report').getAttribute('data-rows', { timeout: 1000 }).catch(() => NaN));
const columnRows = (page: Page) => page.getByTestId('column-table').locator('tbody tr').count();
const balance = (page: Page) => page.getByTestId('class-balance').textContent();

async function pick(page: Page, path: string, expectedRows: number): Promise<void> {
  await page.getByTestId('file-input').setInputFiles(path);
  await expect.poll(() => rows(page), { timeout: 60_000 }).toBe(expectedRows);
}

describe('the app in Chromium', { timeout: 120_000 }, () => {
  it('opens with the bundled example data loaded and profiled, off the main thread', async () => {
    const { page, errors } = await openApp();
    expect(await page.getByTestId('load-report').textContent()).toMatch(/30,000 rows/);
    expect(await columnRows(page)).toBe(EXAMPLE_COLUMNS);
    await expect.poll(() => balance(page)).toMatch(/3 classes: benign/);
    await page.getByTestId('correlations').locator('.main-svg').first().waitFor({ timeout: 60_000 });
    await page.getByTestId('column-table').getByText('bytes_out', { exact: true }).click();
    expect(await page.getByTestId('column-detail').textContent()).toMatch(/bytes_out.*p50/);
    await page.getByTestId('column-plot').locator('.main-svg').first().waitFor({ timeout: 30_000 });
    expect(await page.evaluate(() => crossOriginIsolated)).toBe(true);
    await page.screenshot({ path: join(tmpdir(), 'workbench-app.png'), fullPage: false });

    // Another label re-profiles and shows its class balance.
    await page.getByTestId('label-select').selectOption('protocol');
    await expect.poll(() => balance(page), { timeout: 30_000 }).toMatch(/^3 classes: TCP/);
    await page.getByTestId('label-plot').locator('.main-svg').first().waitFor({ timeout: 30_000 });
    expect(errors).toEqual([]);
    await page.close();
  });

  it('loads real files through the picker: CSV, headerless NSL-KDD (renamed, relabelled), Parquet', async () => {
    const { page, errors } = await openApp();
    await pick(page, `${DATASETS}cicids2017/CICIDS2017-sample-7class.csv`, 6311);
    await expect.poll(() => balance(page), { timeout: 30_000 }).toMatch(/7 classes/);
    expect(await columnRows(page)).toBe(78);

    await pick(page, `${DATASETS}nsl-kdd/KDDTrain+_20Percent.txt`, 25192);
    expect(await page.getByTestId('load-report').textContent()).toMatch(/header no/);
    await page.getByTestId('label-select').selectOption('column_42');
    await expect.poll(() => balance(page), { timeout: 30_000 }).toMatch(/^2\d classes/);
    const names = Array.from({ length: 43 }, (_, i) => (i === 41 ? 'attack' : i === 42 ? 'difficulty' : `f${i + 1}`)).join(',');
    await page.getByLabel('column names').fill(names);
    await page.getByText('Reload with these names').click();
    await expect.poll(() => page.getByTestId('label-select').inputValue(), { timeout: 60_000 }).toBe('attack');
    expect(await rows(page)).toBe(25192);

    await pick(page, `${DATASETS}nsl-kdd/KDDTest.parquet`, 22544);
    expect(await page.getByTestId('load-report').textContent()).toMatch(/parquet/);
    await expect.poll(() => balance(page), { timeout: 30_000 }).toMatch(/^38 classes/);
    expect(await page.getByTestId('label-select').inputValue()).toBe('class');
    expect(errors).toEqual([]);
    await page.close();
  });

  it('a bad file gets an alert naming it, and the earlier data stays usable', async () => {
    const { page, errors } = await openApp();
    const bad = join(SCRATCH, 'garbage.csv');
    writeFileSync(bad, new Uint8Array(2048).map((_, i) => (i * 131) % 256));
    await page.getByTestId('file-input').setInputFiles(bad);
    await expect.poll(() => page.getByRole('alert').textContent(), { timeout: 30_000 }).toMatch(/garbage\.csv: this is binary data/);
    expect(await rows(page)).toBe(EXAMPLE_ROWS);
    expect(await columnRows(page)).toBe(EXAMPLE_COLUMNS);

    const empty = join(SCRATCH, 'empty.csv');
    writeFileSync(empty, '');
    await page.getByTestId('file-input').setInputFiles(empty);
    await expect.poll(() => page.getByRole('alert').textContent()).toMatch(/empty\.csv: the file is empty/);
    expect(await rows(page)).toBe(EXAMPLE_ROWS);

    // Still usable: relabelling the earlier table works and clears the alert.
    await page.getByTestId('label-select').selectOption('action');
    await expect.poll(() => balance(page), { timeout: 30_000 }).toMatch(/^4 classes/);
    expect(await page.getByRole('alert').count()).toBe(0);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('a file dropped on the page loads; a big file shows its memory estimate; a cancelled load keeps the earlier data', async () => {
    const { page, errors } = await openApp();
    const zone = page.getByTestId('drop-zone');
    const transfer = await page.evaluateHandle(() => {
      const t = new DataTransfer();
      t.items.add(new File(['src_ip;dst_port;label\n10.0.0.1;22;attack\n10.0.0.2;443;benign\n'], 'dropped.csv', { type: 'text/csv' }));
      return t;
    });
    await zone.dispatchEvent('dragenter', { dataTransfer: transfer });
    await zone.dispatchEvent('drop', { dataTransfer: transfer });
    await expect.poll(() => rows(page), { timeout: 30_000 }).toBe(2);
    expect(await page.getByTestId('load-report').textContent()).toMatch(/dropped\.csv.*delimiter “;”/);

    // A gzip file of 2.4 million rows (made in the page: KDD Cup 99's 494,021 rows now load within
    // a second, before a click on Cancel can land) takes seconds here: long enough to cancel.
    const gzipped = await page.evaluateHandle(async () => {
      const line = '10.0.0.1,443,1234,benign\n'.repeat(100_000);
      const text = new Blob(['ip,port,bytes,label\n', ...Array.from({ length: 24 }, () => line)]);
      const gz = await new Response(text.stream().pipeThrough(new CompressionStream('gzip'))).blob();
      const t = new DataTransfer();
      t.items.add(new File([gz], 'big.csv.gz'));
      return t;
    });
    await zone.dispatchEvent('drop', { dataTransfer: gzipped });
    await page.getByTestId('progress').getByText('Cancel').click({ timeout: 10_000 });
    await expect.poll(() => page.getByTestId('notice').textContent(), { timeout: 30_000 }).toMatch(/cancelled.*dropped\.csv is still loaded/);
    expect(await rows(page)).toBe(2);
    expect(await page.getByRole('alert').count()).toBe(0);

    // A big file (60 MB, made in the page) first says its size and the memory it needs.
    const big = await page.evaluateHandle(() => {
      const line = '10.0.0.1,443,1234,benign\n'.repeat(100_000);
      const t = new DataTransfer();
      t.items.add(new File(['ip,port,bytes,label\n', ...Array.from({ length: 24 }, () => line)], 'big.csv'));
      return t;
    });
    await zone.dispatchEvent('drop', { dataTransfer: big });
    await expect.poll(() => page.getByTestId('notice').textContent(), { timeout: 10_000 }).toMatch(/big\.csv is 5\d\.\d MB; loading it needs about \d+\.\d MB of memory \(this tab.s worker can hold about/);
    await page.getByTestId('progress').getByText('Cancel').click({ timeout: 10_000 });
    await expect.poll(() => page.getByTestId('notice').textContent(), { timeout: 30_000 }).toMatch(/cancelled/);
    expect(await rows(page)).toBe(2);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('after one visit the app works with the network off (the offline cache)', async () => {
    const { page, errors } = await openApp();
    await expect.poll(() => rows(page), { timeout: 60_000 }).toBe(30000);
    await expect.poll(() => page.locator('html').getAttribute('data-offline-ready'), { timeout: 30_000 }).toBe('true');
    await page.context().setOffline(true);
    await page.reload();
    await expect.poll(() => rows(page), { timeout: 60_000 }).toBe(30000);
    await page.getByTestId('column-table').waitFor({ timeout: 60_000 });
    expect(await page.evaluate(() => crossOriginIsolated)).toBe(true);
    expect(errors).toEqual([]);
    await page.close();
  });
});
