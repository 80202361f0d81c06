// The demo built, served and opened in Chromium on a loopback-only context: how each demo e2e file
// starts. Page errors and console errors are collected, and every request that tried to leave the
// machine is listed in `blocked`, so a test can assert both are empty.
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { launchChromium, loopbackOnlyContext } from './browser';
import { buildDemo, type DemoProcess, startDemo } from './demo-process';

export interface DemoPage {
  demo: DemoProcess;
  browser: Browser;
  context: BrowserContext;
  page: Page;
  /** Requests to anything but 127.0.0.1, refused. */
  blocked: string[];
  /** Uncaught page errors and console errors, in order. */
  pageErrors: string[];
  /** Closes the browser and stops the demo. */
  close(): Promise<void>;
}

export async function openDemoPage(viewport: { width: number; height: number }): Promise<DemoPage> {
  await buildDemo();
  const [demoStart, browserStart] = await Promise.allSettled([startDemo(), launchChromium()]);
  if (demoStart.status === 'rejected' || browserStart.status === 'rejected') {
    // Stop whichever did start before reporting why the other did not.
    if (browserStart.status === 'fulfilled') await browserStart.value.close();
    if (demoStart.status === 'fulfilled') await demoStart.value.stop();
    throw demoStart.status === 'rejected' ? demoStart.reason : (browserStart as PromiseRejectedResult).reason;
  }
  const demo = demoStart.value;
  const browser = browserStart.value;
  const { context, blocked } = await loopbackOnlyContext(browser, { viewport });
  const page = await context.newPage();
  const pageErrors: string[] = [];
  page.on('pageerror', (error) => pageErrors.push(error.message));
  page.on('console', (message) => {
    if (message.type() === 'error') pageErrors.push(message.text());
  });
  return {
    demo,
    browser,
    context,
    page,
    blocked,
    pageErrors,
    async close() {
      await browser.close();
      await demo.stop();
    },
  };
}
