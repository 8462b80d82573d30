import { mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { build, preview, type PreviewServer } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const ROOT = new URL('../..', import.meta.url).pathname;
const DATASETS = new URL('../../../shared/datasets/', import.meta.url).pathname;
let server: PreviewServer;
let browser: Browser;
let url: string;

beforeAll(async () => {
  await build({ root: ROOT, logLevel: 'warn' });
  server = await preview({ root: ROOT, preview: { host: '127.0.0.1', port: 0, strictPort: false }, logLevel: 'warn' });
  url = server.resolvedUrls!.local[0]!;
  browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-background-networking', '--disable-component-update', '--no-first-run', '--enable-unsafe-webgpu'],
  });
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

async function openApp(): Promise<{ page: Page; errors: string[] }> {
  const page = await browser.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(url);
  return { page, errors };
}

const rows = async (page: Page) => Number(await page.getByTestId('load-report').getAttribute('data-rows'));

async function pick(page: Page, path: string, expectedRows: number): Promise<void> {
  await page.getByTestId('file-input').setInputFiles(path);
  await expect.poll(() => rows(page), { timeout: 60_000 }).toBe(expectedRows);
}

describe('the app in Chromium', () => {
  it('opens with the bundled example data loaded and profiled, off the main thread', async () => {
    const { page, errors } = await openApp();
    await expect.poll(() => page.getByTestId('load-report').textContent(), { timeout: 60_000 }).toMatch(/30,000 rows/);
    await page.getByTestId('column-table').waitFor({ timeout: 60_000 });
    expect(await page.getByTestId('column-table').locator('tbody tr').count()).toBe(15);
    await expect.poll(() => page.getByTestId('class-balance').textContent()).toMatch(/3 classes: benign/);
    await page.getByTestId('correlations').locator('.main-svg').first().waitFor({ timeout: 60_000 });
    await page.getByTestId('column-table').getByText('bytes_out', { exact: true }).click();
    await page.getByTestId('column-plot').locator('.main-svg').first().waitFor({ timeout: 30_000 });
    expect(await page.evaluate(() => crossOriginIsolated)).toBe(true);
    expect(errors).toEqual([]);
    await page.screenshot({ path: join(tmpdir(), 'workbench-app.png'), fullPage: false });
    await page.close();
  });

  it('loads real files through the picker: CSV, headerless NSL-KDD, Parquet; renames and relabels', async () => {
    const { page, errors } = await openApp();
    await expect.poll(() => rows(page), { timeout: 60_000 }).toBe(30000);
    await pick(page, `${DATASETS}cicids2017/CICIDS2017-sample-7class.csv`, 6311);
    await expect.poll(() => page.getByTestId('class-balance').textContent()).toMatch(/7 classes/);

    await pick(page, `${DATASETS}nsl-kdd/KDDTrain+_20Percent.txt`, 25192);
    expect(await page.getByTestId('load-report').textContent()).toMatch(/header no/);
    await page.getByTestId('label-select').selectOption('column_42');
    await expect.poll(() => page.getByTestId('class-balance').textContent(), { timeout: 30_000 }).toMatch(/^2\d classes/);
    const names = Array.from({ length: 43 }, (_, i) => (i === 41 ? 'attack' : i === 42 ? 'difficulty' : `f${i + 1}`)).join(',');
    await page.getByPlaceholder(/duration/).fill(names);
    await page.getByText('Reload with these names').click();
    await expect.poll(() => page.getByTestId('label-select').inputValue(), { timeout: 60_000 }).toBe('attack');

    await pick(page, `${DATASETS}nsl-kdd/KDDTest.parquet`, 22544);
    expect(await page.getByTestId('load-report').textContent()).toMatch(/parquet/);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('a bad file gets an alert naming it, and the earlier data stays', async () => {
    const { page, errors } = await openApp();
    await expect.poll(() => rows(page), { timeout: 60_000 }).toBe(30000);
    const dir = join(tmpdir(), 'workbench-browser');
    mkdirSync(dir, { recursive: true });
    const bad = join(dir, 'garbage.csv');
    writeFileSync(bad, new Uint8Array(2048).map((_, i) => (i * 131) % 256));
    await page.getByTestId('file-input').setInputFiles(bad);
    await expect.poll(() => page.getByRole('alert').textContent(), { timeout: 30_000 }).toMatch(/garbage\.csv: this is binary data/);
    expect(await rows(page)).toBe(30000);
    expect(await page.getByTestId('column-table').locator('tbody tr').count()).toBe(15);
    const empty = join(dir, 'empty.csv');
    writeFileSync(empty, '');
    await page.getByTestId('file-input').setInputFiles(empty);
    await expect.poll(() => page.getByRole('alert').textContent()).toMatch(/empty\.csv: the file is empty/);
    expect(await rows(page)).toBe(30000);
    expect(errors).toEqual([]);
    await page.close();
  });
});
