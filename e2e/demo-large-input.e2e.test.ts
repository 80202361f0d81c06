// Issue 16: a 1 MB paste into the demo's TestPanel keeps the page usable, and the refusal says
// what is wrong (the input is too large, and the limit) instead of "Fix the marked fields" with
// nothing marked. Its own demo process: the main demo test counts that server's executions.
import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { launchChromium, loopbackOnlyContext } from './support/browser';
import { buildDemo, type DemoProcess, startDemo } from './support/demo-process';

const poll = <T>(read: () => Promise<T>) => expect.poll(read, { timeout: 20_000, interval: 50 });
const visible = (locator: Locator) => locator.waitFor({ state: 'visible', timeout: 20_000 });
const text = async (locator: Locator) => (await locator.textContent()) ?? '';

/**
 * About 1 MB of JSON the Summarizer's schema accepts: a short text, plus a large extra field. Sent
 * compact it stays under the handler's 1 MiB body limit, so the agent's own limit answers.
 */
function megabyteInput(): string {
  const lines = Array.from({ length: 10_400 }, (_, index) => `line ${index}: ${'lorem ipsum '.repeat(7)}`);
  return JSON.stringify({ text: 'Summarize the attached log.', attachment: lines }, null, 2);
}

/**
 * Pastes `text` over the textarea's content the way the page sees a paste: the value changes and
 * an `insertFromPaste` input event follows. (Typing 1 MB through the browser's editing commands,
 * as `keyboard.insertText` does, takes minutes and is not what a paste costs.)
 */
async function paste(input: Locator, text: string): Promise<void> {
  await input.focus();
  await input.evaluate((element: HTMLTextAreaElement, value: string) => {
    // The prototype's setter: React tracks values set through the element's own property.
    Object.getOwnPropertyDescriptor(HTMLTextAreaElement.prototype, 'value')?.set?.call(element, value);
    element.dispatchEvent(new InputEvent('input', { bubbles: true, inputType: 'insertFromPaste' }));
  }, text);
}

let browser: Browser;
let demo: DemoProcess;
let page: Page;
const pageErrors: string[] = [];

beforeAll(async () => {
  await buildDemo();
  [demo, browser] = await Promise.all([startDemo(), launchChromium()]);
  const { context } = await loopbackOnlyContext(browser, { viewport: { width: 1280, height: 860 } });
  page = await context.newPage();
  page.on('pageerror', (error) => pageErrors.push(error.message));
});

afterAll(async () => {
  await browser?.close();
  await demo?.stop();
});

/** The demo's panel on the Summarizer, in its JSON view: the panel and its input. */
async function openSummarizerJson(): Promise<{ panel: Locator; input: Locator }> {
  await page.goto(demo.url);
  const panel = page.getByRole('region', { name: /^Test panel: / });
  await panel.getByLabel('Agent', { exact: true }).selectOption({ label: 'Summarizer' });
  await visible(page.getByRole('region', { name: 'Test panel: Summarizer' }));
  await panel.getByRole('button', { name: 'JSON', exact: true }).click();
  return { panel, input: panel.getByRole('textbox', { name: 'Input', exact: true }) };
}

describe('a 1 MB paste into the demo panel', () => {
  test('keeps the editor capped and Run reachable, shows the size against the limit, and the 413 says why', async () => {
    const { panel, input } = await openSummarizerJson();

    const json = megabyteInput();
    expect(json.length).toBeGreaterThan(1_000_000);
    expect(JSON.stringify(JSON.parse(json)).length).toBeLessThan(1_048_576);
    await paste(input, json);
    // The textarea keeps only the rows around the view (here the end, where the caret is): a key
    // then lays out a few thousand characters, not the whole megabyte.
    await poll(() => panel.locator('.agentry-jv[data-windowed]').count()).toBe(1);
    const held = await input.evaluate((element: HTMLTextAreaElement) => element.value);
    expect(held.length).toBeLessThan(50_000);
    expect(json.endsWith(held)).toBe(true);

    // The editor scrolls inside a capped height; the line numbers are drawn for the visible rows only.
    const editor = await panel.locator('.agentry-jv').boundingBox();
    expect(editor?.height ?? Number.POSITIVE_INFINITY).toBeLessThan(900);
    await poll(() => panel.locator('.agentry-jv__gutter span').count()).toBeLessThan(200);
    const run = panel.getByRole('button', { name: 'Run', exact: true });
    const runBox = await run.boundingBox();
    expect((runBox?.y ?? Number.POSITIVE_INFINITY) - (editor?.y ?? 0)).toBeLessThan(1200);

    // The size counter measures the JSON against the server's limit (64 kB in the demo) and warns.
    const size = panel.locator('.agentry-input-editor__size');
    await poll(() => size.getAttribute('data-state')).toBe('over');
    await poll(async () => (await size.textContent()) ?? '').toMatch(/^1(\.\d)? MB of 64(\.\d)? kB$/);
    await visible(panel.getByText(/^Too large: the server accepts at most 64(\.\d)? kB\.$/));

    // The schema accepts it, so Run sends it, and the server's 413 is shown as what it is.
    await run.click();
    const alert = panel.getByRole('alert');
    await visible(alert);
    await poll(() => alert.getAttribute('data-code')).toBe('input_too_large');
    await poll(() => text(alert)).toContain('The input is too large');
    expect(await text(alert)).toMatch(/at most 64(\.\d)? kB/);
    expect(await text(alert)).not.toContain('Fix the marked fields');
    // A retry would fail the same way: none is offered.
    expect(await alert.getByRole('button', { name: 'Retry' }).count()).toBe(0);
    expect(pageErrors).toEqual([]);
  });

  test('a key typed after scrolling far from the caret goes where the caret was (real keys)', async () => {
    const { panel, input } = await openSummarizerJson();
    const json = megabyteInput();
    await paste(input, json);
    const box = panel.locator('.agentry-jv');
    await poll(() => box.getAttribute('data-windowed')).not.toBeNull();
    const held = () => input.evaluate((element: HTMLTextAreaElement) => element.value);
    // Scrolls the editor to a fraction of its height and waits for the window to follow.
    const scrollTo = async (fraction: number, shows: string) => {
      await box.evaluate((element, at) => {
        element.scrollTop = element.scrollHeight * at;
      }, fraction);
      await poll(held).toContain(shows);
      await page.waitForTimeout(300);
    };

    // A click in the middle of the text places the caret; a key types there.
    await scrollTo(0.5, '"line 5200: ');
    const area = await input.boundingBox();
    if (!area) throw new Error('The editor has no box.');
    await page.mouse.click(area.x + 40, area.y + area.height / 2);
    await page.keyboard.type('X');
    const caret = await input.evaluate((element: HTMLTextAreaElement) => element.selectionStart);
    const window = await held();
    const marked = window.slice(0, caret);
    expect(marked.endsWith('X')).toBe(true);

    // Scrolled away in two steps (each re-cuts the window around the view), then typed again:
    // the key lands right after the X, not where either window ended.
    await scrollTo(0.25, '"line 2600: ');
    await scrollTo(0, '"text": "Summarize the attached log."');
    await page.keyboard.type('Y');
    await page.keyboard.press('Control+a');
    const whole = await held();
    expect(whole.length).toBe(json.length + 2);
    expect(whole.split('XY').length).toBe(2);
    expect(whole.replace('XY', '')).toBe(json);
    expect(pageErrors).toEqual([]);
  });

  test('a 1 MB text the schema refuses is marked at its field, and Run sends nothing', async () => {
    const { panel, input } = await openSummarizerJson();
    await paste(input, JSON.stringify({ text: 'word '.repeat(210_000) }));

    const requests: string[] = [];
    page.on('request', (request) => {
      if (request.method() === 'POST') requests.push(request.url());
    });
    await panel.getByRole('button', { name: 'Run', exact: true }).click();
    const issues = panel.locator('.agentry-json__issue');
    await poll(() => issues.count()).toBeGreaterThan(0);
    expect(await text(issues.first())).toContain('$.text');
    expect(await panel.getByRole('alert').count()).toBe(0);
    expect(requests).toEqual([]);
  });
});
