/// <reference lib="dom" />
/**
 * `npm run bench:app`: the app's revision graph at scale, in real Chromium against `stratum serve`.
 * A generated 10,000-revision project (branches, merges, labels; its SQLite database stamped at
 * revision ~9,000) is opened five times; printed are the time from navigation to the first graph
 * row painted, to the applied marks shown, and frame times while scrolling 300 frames at a wheel's
 * speed (120 px, 4 rows per frame) and at a fling's (900 px, a screenful per frame).
 * Targets (issue 4): first paint ≤ 1 s, scroll p95 ≤ 20 ms.
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { branchyGraph } from './generate-projects.ts';
import { median } from './measure-process.ts';
import { ms, table } from './report-table.ts';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const CLI = path.join(REPO, 'electron', 'transports', 'cli', 'main.ts');
const COUNT = 10_000;
const LOADS = 5;
const SCROLL_FRAMES = 300;

function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

const work = mkdtempSync(path.join(os.tmpdir(), 'stratum-bench-app-'));
const env = { ...process.env, STRATUM_DATA_DIR: path.join(work, 'data'), NO_COLOR: '1' };
try {
  console.log('Building the renderer (vite build)…');
  const built = spawnSync(path.join(REPO, 'node_modules', '.bin', 'vite'), ['build', '--logLevel', 'warn'], {
    cwd: REPO,
    stdio: 'inherit',
  });
  if (built.status !== 0) throw new Error('vite build failed');
  const project = path.join(work, 'project');
  console.log(`Generating ${COUNT} revisions…`);
  const { checkpoint } = branchyGraph(project, COUNT, 9_000);
  const stamp = spawnSync(process.execPath, [
    CLI,
    '--project',
    project,
    '--url',
    'sqlite:./bench.db',
    'stamp',
    checkpoint,
  ]);
  if (stamp.status !== 0) throw new Error(`stamp failed: ${stamp.stderr.toString()}`);
  // stratum.json's default environment points the app at the stamped database.
  spawnSync(process.execPath, [
    '-e',
    `const f=${JSON.stringify(path.join(project, 'stratum.json'))};const fs=require('fs');const c=JSON.parse(fs.readFileSync(f));c.environments={local:{url:'sqlite:./bench.db',tag:'local'}};fs.writeFileSync(f,JSON.stringify(c))`,
  ]);

  const server = spawn(process.execPath, [CLI, 'serve', '--project', project, '--port', '0'], { env });
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    server.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /http:\/\/127\.0\.0\.1:\d+\/#token=\S+/.exec(out);
      if (m) resolve(m[0]);
    });
    server.on('exit', (code) => reject(new Error(`serve exited ${code}`)));
  });
  const browser = await chromium.launch({
    executablePath: process.env.STRATUM_CHROMIUM ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking'],
  });
  const paints: number[] = [];
  const marks: number[] = [];
  let frames: number[] = [];
  let wheel: number[] = [];
  let heap = 0;
  let domNodes = 0;
  for (let load = 0; load < LOADS + 1; load++) {
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    await page.addInitScript(() => {
      const w = window as unknown as { __firstRow?: number; __marks?: number };
      new MutationObserver(() => {
        if (w.__firstRow === undefined && document.querySelector('[role=option]'))
          w.__firstRow = performance.now();
        if (w.__marks === undefined && document.querySelector('.conn-dot:not(.unknown)'))
          w.__marks = performance.now();
      }).observe(document, { childList: true, subtree: true, attributes: true });
    });
    await page.goto(url);
    await page.waitForSelector('.conn-dot:not(.unknown)', { timeout: 60_000 });
    const t = await page.evaluate(() => {
      const w = window as unknown as { __firstRow: number; __marks: number };
      return { firstRow: w.__firstRow, marks: w.__marks };
    });
    // The first load warms the server (parse cache, demo folders); it is not counted.
    if (load > 0) {
      paints.push(t.firstRow);
      marks.push(t.marks);
    }
    if (load === LOADS) {
      const scroll = (step: number): Promise<number[]> =>
        page.evaluate(
          async ({ count, px }) => {
            const list = document.querySelector('[role=listbox]') as HTMLElement;
            list.scrollTop = 0;
            await new Promise(requestAnimationFrame);
            const deltas: number[] = [];
            let last = performance.now();
            for (let i = 0; i < count; i++) {
              list.scrollTop += px;
              await new Promise(requestAnimationFrame);
              const now = performance.now();
              deltas.push(now - last);
              last = now;
            }
            return deltas;
          },
          { count: SCROLL_FRAMES, px: step },
        );
      wheel = await scroll(120);
      frames = await scroll(900);
      heap = await page.evaluate(
        () => (performance as unknown as { memory?: { usedJSHeapSize: number } }).memory?.usedJSHeapSize ?? 0,
      );
      domNodes = await page.evaluate(() => document.getElementsByTagName('*').length);
    }
    await page.close();
  }
  await browser.close();
  server.kill('SIGINT');
  console.log(`\nRevision graph, ${COUNT} revisions, browser mode (Chromium), ${LOADS} loads:\n`);
  console.log(
    table(
      ['measure', 'median', 'max', 'target'],
      [
        ['navigation → first graph row painted', ms(median(paints)), ms(Math.max(...paints)), '≤ 1000 ms'],
        ['navigation → applied marks shown', ms(median(marks)), ms(Math.max(...marks)), '—'],
        [
          `scroll frames, 120 px/frame (wheel)`,
          ms(median(wheel)),
          `p95 ${ms(percentile(wheel, 95))}`,
          'p95 ≤ 20 ms',
        ],
        [
          `scroll frames, 900 px/frame (fling)`,
          ms(median(frames)),
          `p95 ${ms(percentile(frames, 95))}`,
          'p95 ≤ 20 ms',
        ],
      ],
    ),
  );
  console.log(`\nDOM elements while scrolling: ${domNodes}; JS heap: ${(heap / 1024 / 1024).toFixed(1)} MiB`);
} finally {
  rmSync(work, { recursive: true, force: true });
}
