import type { ValidationIssue } from '@agentry/core';
import { parseJsonInput } from '@agentry/core/client/validation';
import type { Meta, StoryObj } from '@storybook/react-vite';
import { useEffect, useState } from 'react';
import { expect, fn, userEvent, within } from 'storybook/test';
import { withPanelRoot } from '../../../../.storybook/decorators';
import { L, literal } from '../../../../.storybook/mocks/play-helpers';
import { JsonInput } from './json-input';

const example = '{\n  "text": "Agentry runs AI agents in mock and live mode.",\n  "style": "brief"\n}';

/** Syntax problems of `text`, as the panel computes them on every keystroke. */
function syntaxIssues(text: string): ValidationIssue[] {
  const parsed = parseJsonInput(text);
  return parsed.ok ? [] : [parsed.issue];
}

const meta = {
  title: 'Parts/JsonInput',
  component: JsonInput,
  decorators: [withPanelRoot],
  args: {
    value: example,
    onValueChange: fn(),
    onFormat: fn(),
    onReset: fn(),
    issueSource: 'client',
    disabled: false,
  },
  argTypes: {
    issueSource: { control: 'inline-radio', options: ['client', 'server'] },
    handleRef: { control: false },
    onKeyDown: { control: false },
  },
  // Controlled: typing updates `value`; without explicit `issues`, syntax errors are computed live.
  render: function Render(args) {
    const [value, setValue] = useState(args.value);
    useEffect(() => setValue(args.value), [args.value]);
    return (
      <JsonInput
        {...args}
        value={value}
        issues={args.issues ?? syntaxIssues(value)}
        onValueChange={(next: string) => {
          args.onValueChange(next);
          setValue(next);
        }}
      />
    );
  },
} satisfies Meta<typeof JsonInput>;

export default meta;
type Story = StoryObj<typeof meta>;

export const Valid: Story = {};

/** Typing broken JSON shows where it broke; the position is a button that moves the caret there. */
export const InvalidSyntax: Story = {
  args: { value: '{\n  "text": "Hello",\n  "style": "brief",\n}' },
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement);
    const textarea = canvas.getByRole('textbox', { name: L.input });
    await expect(textarea).toHaveAttribute('aria-invalid', 'true');
    await userEvent.click(canvas.getByRole('button', { name: L.jsonErrorAt(4, 1) }));
    await expect(textarea).toHaveFocus();
    await expect((textarea as HTMLTextAreaElement).selectionStart).toBe(textarea.textContent?.lastIndexOf('}'));
  },
};

/** Typed live: the error appears while typing and goes away once the JSON is complete. */
export const Typing: Story = {
  args: { value: '' },
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement);
    const textarea = canvas.getByRole('textbox', { name: L.input });
    await userEvent.type(textarea, literal('{ "text": "Hi"'));
    await expect(textarea).toHaveAttribute('aria-invalid', 'true');
    await userEvent.type(textarea, ' }');
    await expect(textarea).not.toHaveAttribute('aria-invalid');
  },
};

/** Schema problems, listed at their JSON paths. */
export const SchemaIssues: Story = {
  args: {
    value: '{\n  "text": "",\n  "style": "long"\n}',
    issues: [
      { path: ['text'], message: 'Too small: expected string to have >=1 characters', code: 'too_small' },
      { path: ['style'], message: 'Invalid option: expected one of "brief"|"detailed"', code: 'invalid_value' },
    ],
  },
};

/** Problems the server found (rules the browser cannot check). */
export const ServerIssues: Story = {
  args: {
    value: '{\n  "text": "Mail me at someone@example.com"\n}',
    issueSource: 'server',
    issues: [{ path: ['text'], message: 'Text must not contain an email address.', code: 'custom' }],
  },
};

/** While a run is active. */
export const Disabled: Story = { args: { disabled: true } };
