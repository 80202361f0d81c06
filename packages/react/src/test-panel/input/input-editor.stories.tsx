import type { ValidationIssue } from '@agentry/core';
import { checkInput } from '@agentry/core/client/validation';
import type { Meta, StoryObj } from '@storybook/react-vite';
import { useState } from 'react';
import { expect, fn, userEvent, waitFor, within } from 'storybook/test';
import { withPanelRoot } from '../../../../../.storybook/decorators';
import { InputEditor, type InputEditorProps } from './input-editor';

const schema = {
  type: 'object',
  properties: {
    text: { type: 'string', minLength: 1, maxLength: 20_000, description: 'The text to summarize' },
    style: { type: 'string', enum: ['brief', 'detailed'], default: 'brief' },
    language: { type: 'string', enum: ['en', 'fr', 'de', 'es', 'it', 'pt'] },
    maxWords: { type: 'integer', minimum: 10, maximum: 500 },
    includeTitle: { type: 'boolean' },
    tags: { type: 'array', items: { type: 'string', maxLength: 12 } },
    author: {
      type: 'object',
      properties: {
        name: { type: 'string', maxLength: 40 },
        email: { anyOf: [{ type: 'string', format: 'email' }, { type: 'null' }] },
      },
      required: ['name'],
    },
    shape: { anyOf: [{ type: 'string' }, { type: 'object', properties: { kind: { const: 'box' } } }] },
  },
  required: ['text', 'style', 'tags'],
};
const example = JSON.stringify(
  {
    text: 'Agentry runs AI agents in mock and live mode.',
    style: 'brief',
    tags: ['sdk', 'agents'],
    author: { name: 'Ada', email: null },
    shape: 'round',
  },
  null,
  2,
);
const agent = { id: 'story', name: 'Story', inputSchema: schema, modes: ['mock' as const], live: { available: false } };

/** The editor wired like the panel: the text is state, checked against the schema on each change. */
function Harness({ initial, onValueChange, ...props }: Partial<InputEditorProps> & { initial?: string }) {
  const [text, setText] = useState(initial ?? example);
  const check = checkInput(text, agent);
  return (
    <InputEditor
      value={text}
      onValueChange={(next) => {
        onValueChange?.(next);
        setText(next);
      }}
      state={check.state}
      parsed={check.value}
      issues={check.issues as ValidationIssue[]}
      schema={schema}
      resetText={example}
      maxInputBytes={64_000}
      {...props}
    />
  );
}

const meta = {
  title: 'Parts/InputEditor',
  component: Harness,
  decorators: [withPanelRoot],
  args: { onValueChange: fn() },
} satisfies Meta<typeof Harness>;

export default meta;
type Story = StoryObj<typeof meta>;

/** The form from the schema: typing in a field updates the JSON; the enum is a segmented control. */
export const Form: Story = {
  play: async ({ canvasElement, args }) => {
    const canvas = within(canvasElement);
    const text = await canvas.findByRole('textbox', { name: 'text' });
    await userEvent.clear(text);
    await userEvent.type(text, 'Short text');
    await userEvent.click(canvas.getByRole('radio', { name: 'detailed' }));
    await expect(args.onValueChange).toHaveBeenLastCalledWith(expect.stringContaining('"style": "detailed"'));
    await userEvent.click(canvas.getByRole('button', { name: 'JSON' }));
    await expect((canvas.getByRole('textbox', { name: 'Input' }) as HTMLTextAreaElement).value).toContain(
      '"text": "Short text"',
    );
  },
};

/** A union the form cannot lay out: that subtree is JSON, with a note; the rest stays a form. */
export const FallbackSubtree: Story = {
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement);
    await expect(await canvas.findByText('This field takes one of several shapes: edit it as JSON.')).toBeVisible();
  },
};

/** Issues at their fields: an empty required text and a tag that is too long. */
export const ErrorsInline: Story = {
  args: { initial: JSON.stringify({ text: '', style: 'brief', tags: ['a tag that is too long'] }, null, 2) },
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement);
    const text = await canvas.findByRole('textbox', { name: 'text' });
    await expect(text).toHaveAttribute('aria-invalid', 'true');
    await expect(text).toHaveAccessibleDescription(expect.stringContaining('Must not be empty.'));
    await expect(canvas.getByRole('textbox', { name: 'Item 1' })).toHaveAttribute('aria-invalid', 'true');
  },
};

/** Format, then Ctrl+Z: the exact text before Format comes back (the browser's own undo would not). */
export const UndoFormat: Story = {
  args: { initial: '{"text":"compact","style":"brief","tags":[]}', defaultView: 'json' },
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement);
    const editor = canvas.getByRole('textbox', { name: 'Input' });
    await userEvent.click(canvas.getByRole('button', { name: 'Format' }));
    await expect(editor).toHaveValue('{\n  "text": "compact",\n  "style": "brief",\n  "tags": []\n}');
    editor.focus();
    await userEvent.keyboard('{Control>}z{/Control}');
    await expect(editor).toHaveValue('{"text":"compact","style":"brief","tags":[]}');
  },
};

/** A 1 MB paste: plain text, only the visible line numbers, checked when typing pauses; over the limit it says so. */
export const LargePaste: Story = {
  args: { defaultView: 'json' },
  play: async ({ canvasElement, args }) => {
    const canvas = within(canvasElement);
    const editor = canvas.getByRole('textbox', { name: 'Input' });
    const big = JSON.stringify(
      { text: 'x', style: 'brief', tags: Array.from({ length: 30_000 }, (_, index) => `tag ${index}`.padEnd(28, '·')) },
      null,
      2,
    );
    editor.focus();
    await userEvent.paste(big);
    await waitFor(() => expect(args.onValueChange).toHaveBeenCalled());
    await expect(canvasElement.querySelector('.agentry-jv[data-large]')).not.toBeNull();
    await expect(canvasElement.querySelectorAll('.agentry-jv__gutter > span').length).toBeLessThan(60);
    await expect(await canvas.findByText(/^Too large: the server accepts at most/)).toBeVisible();
    // The textarea then holds the rows around the caret, at the paste's end.
    await waitFor(() => expect(canvasElement.querySelector('.agentry-jv[data-windowed]')).not.toBeNull());
    await expect(editor).toHaveProperty('value', expect.stringContaining(big.slice(-40)));
    await expect((editor as HTMLTextAreaElement).value.length).toBeLessThan(50_000);
  },
};

const megabyte = JSON.stringify({ items: Array.from({ length: 50_000 }, (_, index) => `item ${index}`) }, null, 2);

/**
 * About 1 MB in the JSON view: the textarea holds only the rows around the view, placed at their
 * row with their line numbers; typing in the middle edits the document there; undo, select all.
 */
// A megabyte of JSON is parsed and re-windowed on each change: on a busy CI machine that takes
// longer than waitFor's default second, so these waits allow ten (a ceiling, not a target).
const SLOW = { timeout: 10_000 };

/**
 * Waits until the editor's window stops moving (the same text at two looks 150 ms apart): a
 * scroll can re-window more than once, and a caret placed before the last one lands elsewhere.
 */
async function settled(editor: HTMLTextAreaElement): Promise<void> {
  let last: string | undefined;
  await waitFor(
    () => {
      const same = editor.value === last;
      last = editor.value;
      expect(same).toBe(true);
    },
    { ...SLOW, interval: 150 },
  );
}

/** The JSON view's textarea and its scrolling box, once the large text is windowed. */
async function windowedEditor(canvasElement: HTMLElement): Promise<{ editor: HTMLTextAreaElement; box: HTMLElement }> {
  const editor = within(canvasElement).getByRole('textbox', { name: 'Input' }) as HTMLTextAreaElement;
  const box = canvasElement.querySelector('.agentry-jv') as HTMLElement;
  await waitFor(() => expect(box).toHaveAttribute('data-windowed'), SLOW);
  return { editor, box };
}

/** Scrolls the box to `top` and waits until the window holds `shows` and stops moving. */
async function scrollUntil(box: HTMLElement, editor: HTMLTextAreaElement, top: number, shows: string): Promise<void> {
  box.scrollTop = top;
  await waitFor(() => expect(editor.value).toContain(shows), SLOW);
  await settled(editor);
}

export const LargeWindow: Story = {
  args: { defaultView: 'json', initial: megabyte },
  play: async ({ canvasElement, args }) => {
    const { editor, box } = await windowedEditor(canvasElement);
    await waitFor(() => expect(editor.value.length).toBeLessThan(20_000), SLOW);
    // Scrolled to the middle, the window follows: the lines there are in the textarea, numbered.
    await scrollUntil(box, editor, box.scrollHeight / 2, '"item 25000"');
    const at = editor.value.indexOf('"item 25000"');
    const line = megabyte.slice(0, megabyte.indexOf('"item 25000"')).split('\n').length;
    const number = [...canvasElement.querySelectorAll('.agentry-jv__gutter > span')].find(
      (span) => span.textContent === String(line),
    );
    if (!number) throw new Error(`No line number ${line} in view.`);
    const rowsAbove = editor.value.slice(0, at).split('\n').length - 1;
    const lineHeight = Number.parseFloat(getComputedStyle(editor).lineHeight);
    const expected = editor.getBoundingClientRect().top + rowsAbove * lineHeight;
    await expect(Math.abs(number.getBoundingClientRect().top - expected)).toBeLessThan(2);

    editor.focus();
    editor.setSelectionRange(at + 1, at + 1);
    await userEvent.keyboard('X');
    const typed = megabyte.replace('"item 25000"', '"Xitem 25000"');
    await waitFor(() => expect(args.onValueChange).toHaveBeenLastCalledWith(typed), SLOW);
    await expect(editor.value.length).toBeLessThan(20_000);

    // Scrolled away in two steps, the window follows the view each time (the caret is outside
    // both windows); the next key goes where the caret was, not where the first window ended.
    await scrollUntil(box, editor, box.scrollHeight / 4, '"item 12500"');
    await scrollUntil(box, editor, 0, '"items"');
    await expect(editor.value).not.toContain('"Xitem 25000"');
    await userEvent.keyboard('Y');
    const both = megabyte.replace('"item 25000"', '"XYitem 25000"');
    await waitFor(() => expect(args.onValueChange).toHaveBeenLastCalledWith(both), SLOW);
    await expect(editor.value).toContain('"XYitem 25000"');

    // Typing more than a second apart is two steps.
    await userEvent.keyboard('{Control>}z{/Control}');
    if ((args.onValueChange as ReturnType<typeof fn> | undefined)?.mock.lastCall?.[0] !== megabyte)
      await userEvent.keyboard('{Control>}z{/Control}');
    await waitFor(() => expect(args.onValueChange).toHaveBeenLastCalledWith(megabyte), SLOW);

    // Select all takes the whole text (copy and paste see it all), also with the caret scrolled
    // out of view; typing then replaces it.
    await scrollUntil(box, editor, box.scrollHeight, '"item 49999"');
    await userEvent.keyboard('{Control>}a{/Control}');
    await expect(editor.value).toBe(megabyte);
    await userEvent.keyboard('x');
    await waitFor(() => expect(args.onValueChange).toHaveBeenLastCalledWith('x'), SLOW);
    await expect(editor).toHaveValue('x');
    await expect(box).not.toHaveAttribute('data-large');
  },
};

/**
 * About 1 MB in the JSON view, the caret scrolled out of the window, then a paste from the
 * browser's menu (no key first): the text goes where the browser put it, and the next key right
 * after it, not back at the caret left outside.
 */
export const LargeWindowPaste: Story = {
  args: { defaultView: 'json', initial: megabyte },
  play: async ({ canvasElement, args }) => {
    const { editor, box } = await windowedEditor(canvasElement);
    await scrollUntil(box, editor, box.scrollHeight / 2, '"item 25000"');
    editor.focus();
    const at = editor.value.indexOf('"item 25000"');
    editor.setSelectionRange(at, at);
    await scrollUntil(box, editor, 0, '"items"');
    await userEvent.paste('Z');
    await waitFor(() => expect(args.onValueChange).toHaveBeenLastCalledWith(expect.stringContaining('Z')), SLOW);
    await userEvent.keyboard('W');
    await waitFor(() => expect(args.onValueChange).toHaveBeenLastCalledWith(expect.stringContaining('ZW')), SLOW);
    await expect(editor.value).toContain('ZW');
  },
};
