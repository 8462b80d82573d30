import { writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { tableToIPC } from 'apache-arrow';
import type { Browser, Page } from 'playwright-core';
import type { PreviewServer } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TrainApi } from '../../src/workers/train-api.ts';
import { loadPath } from '../unit/helpers.ts';
import { EXAMPLE_ROWS, launchChromium, openApp, rows, serveBuild } from './helpers.ts';

const EXAMPLE = new URL('../../public/datasets/example-logs.csv', import.meta.url).pathname;

let server: PreviewServer;
let browser: Browser;
let url: string;

beforeAll(async () => {
  server = await serveBuild('train-test');
  url = server.resolvedUrls!.local[0]!;
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

/** Fills the training form: keys are the fields' test ids without "train-". */
async function settings(page: Page, values: Record<string, string>): Promise<void> {
  for (const [key, value] of Object.entries(values)) {
    const field = page.getByTestId(`train-${key}`);
    if (key === 'model' || key === 'device') await field.selectOption(value);
    else await field.fill(value);
  }
}

/** Clicks Train and waits for a new result card; returns what it carries. */
async function train(page: Page): Promise<{ device: string; accuracy: number; logLoss: number; text: string }> {
  const card = page.getByTestId('train-result');
  const before = (await card.count()) ? await card.getAttribute('data-model-id') : null;
  await page.getByTestId('train-button').click();
  const outcome = async () => {
    const error = page.getByTestId('train-error');
    if (await error.count()) return `failed: ${await error.textContent()}`;
    const id = (await card.count()) ? await card.getAttribute('data-model-id') : null;
    return id !== null && id !== before ? 'done' : 'running';
  };
  await expect.poll(outcome, { timeout: 180_000, interval: 250 }).toBe('done');
  return {
    device: (await card.getAttribute('data-device'))!,
    accuracy: Number(await card.getAttribute('data-accuracy')),
    logLoss: Number(await card.getAttribute('data-log-loss')),
    text: (await card.textContent())!,
  };
}

/** The longest gap (ms) between 10 ms timer ticks on the page's main thread over `ms`. */
const longestStall = (page: Page, ms: number) =>
  page.evaluate(
    (span) =>
      new Promise<number>((resolve) => {
        let last = performance.now();
        let worst = 0;
        const tick = setInterval(() => {
          const now = performance.now();
          worst = Math.max(worst, now - last);
          last = now;
        }, 10);
        setTimeout(() => {
          clearInterval(tick);
          resolve(worst);
        }, span);
      }),
    ms,
  );

describe('training in the app', { timeout: 300_000 }, () => {
  it('trains GBDT on the CPU in the train worker (a round\'s three trees on every core) and shows the evaluation', async () => {
    const { page, errors } = await openApp(browser, url);
    const panel = page.getByTestId('train-panel');
    await panel.waitFor({ timeout: 30_000 });
    expect(await panel.textContent()).toMatch(/label label/);
    await settings(page, { rounds: '20', gbdtDepth: '4', device: 'cpu' });
    const result = await train(page);
    const cores = await page.evaluate(() => Math.min(8, navigator.hardwareConcurrency || 1));
    expect(result.device).toBe(cores > 1 ? `cpu ×${cores}` : 'cpu');
    expect(result.accuracy).toBeGreaterThan(0.7);
    // The same model as one thread in Node.
    const { table } = await loadPath(EXAMPLE);
    const one = await new TrainApi().train(tableToIPC(table, 'stream'), { model: 'gbdt', label: 'label', device: 'cpu', validationShare: 0.2, seed: 0, params: { rounds: 20, maxDepth: 4 } });
    expect(one.device).toBe('cpu');
    expect([result.accuracy, result.logLoss]).toEqual([one.metrics.accuracy, one.metrics.log_loss]);
    expect(result.text).toMatch(/24,000 training rows · 6,000 validation rows \(20 % held out, stratified\)/);
    expect(result.text).toMatch(/rounds 20 · depth 4 · learning rate 0\.1 · seed 0/);
    // Threat classes lead the card; benign is not among them.
    const threats = await page.getByTestId('threat-recall').textContent();
    expect(threats).toMatch(/malicious caught \(recall\).*suspicious caught \(recall\)/);
    expect(threats).not.toMatch(/benign/);
    expect(await page.getByTestId('train-confusion').locator('tbody tr').count()).toBe(3);
    expect(await page.getByTestId('train-per-class').locator('tbody tr').count()).toBe(3);
    await page.getByTestId('train-history').locator('.main-svg').first().waitFor({ timeout: 30_000 });
    await page.getByTestId('train-result').screenshot({ path: join(tmpdir(), 'workbench-train-result.png') });
    expect(errors).toEqual([]);
    await page.close();
  });

  it('grows a random forest on every core in the train worker, the same forest as one thread in Node', async () => {
    const { page, errors } = await openApp(browser, url);
    await page.getByTestId('train-panel').waitFor({ timeout: 30_000 });
    await settings(page, { model: 'rf', trees: '20', rfDepth: '8', device: 'cpu' });
    const result = await train(page);
    const cores = await page.evaluate(() => Math.min(8, navigator.hardwareConcurrency || 1));
    expect(result.device).toBe(cores > 1 ? `cpu ×${cores}` : 'cpu');
    const { table } = await loadPath(EXAMPLE);
    const one = await new TrainApi().train(tableToIPC(table, 'stream'), { model: 'rf', label: 'label', device: 'cpu', validationShare: 0.2, seed: 0, params: { trees: 20, maxDepth: 8 } });
    expect(one.device).toBe('cpu');
    expect([result.accuracy, result.logLoss]).toEqual([one.metrics.accuracy, one.metrics.log_loss]);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('fits logistic regression with half of the rows on a helper thread (shared memory), the same model as one thread in Node', async () => {
    const { page, errors } = await openApp(browser, url);
    await page.getByTestId('train-panel').waitFor({ timeout: 30_000 });
    await settings(page, { model: 'logistic', device: 'cpu' });
    const result = await train(page);
    const cores = await page.evaluate(() => navigator.hardwareConcurrency || 1);
    expect(result.device).toBe(cores > 1 ? 'cpu ×2' : 'cpu');
    const { table } = await loadPath(EXAMPLE);
    const one = await new TrainApi().train(tableToIPC(table, 'stream'), { model: 'logistic', label: 'label', device: 'cpu', validationShare: 0.2, seed: 0, params: { c: 1, maxIterations: 200 } });
    expect(one.device).toBe('cpu');
    expect([result.accuracy, result.logLoss]).toEqual([one.metrics.accuracy, one.metrics.log_loss]);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('shows progress with the losses while the main thread stays free; Cancel returns to idle and the data stays', async () => {
    const { page, errors } = await openApp(browser, url);
    await settings(page, { rounds: '3000', gbdtDepth: '6' });
    await page.getByTestId('train-button').click();
    const progress = page.getByTestId('train-progress');
    await expect
      .poll(() => progress.textContent(), { timeout: 60_000 })
      .toMatch(/round ([3-9]|\d{2,})\/3000 · train loss \d\.\d{4} · validation loss \d\.\d{4}/);
    await page.getByTestId('train-curve').locator('.main-svg').first().waitFor({ timeout: 30_000 });
    expect(await page.getByTestId('train-button').isDisabled()).toBe(true);
    expect(await longestStall(page, 1000)).toBeLessThan(500);

    await page.getByTestId('train-cancel').click();
    await expect.poll(() => page.getByTestId('train-notice').textContent(), { timeout: 10_000 }).toMatch(/Training cancelled; the data is still loaded/);
    expect(await progress.count()).toBe(0);
    expect(await page.getByTestId('train-result').count()).toBe(0);
    expect(await page.getByRole('alert').count()).toBe(0);
    expect(await page.getByTestId('train-button').isEnabled()).toBe(true);
    expect(await rows(page)).toBe(EXAMPLE_ROWS);

    // The worker is usable at once: a short run afterwards finishes.
    await settings(page, { rounds: '3', gbdtDepth: '3' });
    expect((await train(page)).accuracy).toBeGreaterThan(0.7);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('bad input (a single class) shows an alert in the panel, and the data stays usable', async () => {
    const { page, errors } = await openApp(browser, url);
    const dir = join(tmpdir(), 'threat-workbench-train-files');
    mkdirSync(dir, { recursive: true });
    const single = join(dir, 'single-class.csv');
    writeFileSync(single, 'bytes,port,label\n10,22,attack\n20,443,attack\n30,80,attack\n40,22,attack\n');
    await page.getByTestId('file-input').setInputFiles(single);
    await expect.poll(() => rows(page), { timeout: 60_000 }).toBe(4);
    await page.getByTestId('train-panel').waitFor({ timeout: 30_000 });
    await page.getByTestId('train-button').click();
    await expect.poll(() => page.getByTestId('train-panel').getByRole('alert').textContent(), { timeout: 30_000 }).toMatch(/single class \("attack"\)/);
    expect(await rows(page)).toBe(4);
    expect(await page.getByTestId('train-button').isEnabled()).toBe(true);
    // Still usable: another label re-profiles, and a bad setting is refused by name.
    await page.getByTestId('label-select').selectOption('port');
    await expect.poll(() => page.getByTestId('class-balance').textContent(), { timeout: 30_000 }).toMatch(/^3 classes/);
    await settings(page, { rounds: '0' });
    await page.getByTestId('train-button').click();
    await expect.poll(() => page.getByTestId('train-panel').getByRole('alert').textContent(), { timeout: 30_000 }).toMatch(/params\.rounds/);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('trains GBDT on WebGPU (SwiftShader here): the device is the adapter, and the same trees give the CPU run\'s results', async () => {
    const { page, errors } = await openApp(browser, url);
    // SwiftShader is slow: few, shallow rounds.
    await settings(page, { rounds: '5', gbdtDepth: '3', device: 'cpu' });
    const cpu = await train(page);
    expect(cpu.device).toMatch(/^cpu( ×\d+)?$/);
    await settings(page, { device: 'gpu' });
    await expect.poll(() => page.getByTestId('train-gpu-note').textContent(), { timeout: 60_000 }).toMatch(/^Adapter: .+/);
    const gpu = await train(page);
    expect(gpu.device).not.toBe('cpu');
    expect(gpu.device).toMatch(/swiftshader/i);
    expect(gpu.text).not.toMatch(/unavailable|failed/);
    // The same trees, scored by the GPU's prediction kernel (f32) against the CPU's (f64).
    expect(gpu.accuracy).toBe(cpu.accuracy);
    expect(Math.abs(gpu.logLoss - cpu.logLoss)).toBeLessThan(1e-5);
    expect(errors).toEqual([]);
    await page.close();
  });
});
