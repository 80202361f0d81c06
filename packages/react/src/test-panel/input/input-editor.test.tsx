import { act, fireEvent, render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import fc from 'fast-check';
import { createRef, useState } from 'react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { expectNoAxeViolations } from '../../../test/axe';
import { createEditHistory } from './edit-history';
import { InputEditor, type InputEditorHandle, type InputEditorProps } from './input-editor';
import { highlightJson, locateIssues } from './json-highlight';

beforeEach(() => {
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
});
afterEach(() => {
  vi.useRealTimers();
});

const schema = { type: 'object', properties: { text: { type: 'string' } }, required: ['text'] };
const example = JSON.stringify({ text: 'Hello' }, null, 2);

/** The editor wired like the panel wires it: the text is state the editor reports changes to. */
function Harness(props: Partial<InputEditorProps> & { initial?: string; onChange?: (text: string) => void }) {
  const [text, setText] = useState(props.initial ?? example);
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {}
  return (
    <>
      <InputEditor
        value={text}
        onValueChange={(next) => {
          props.onChange?.(next);
          setText(next);
        }}
        parsed={parsed}
        state={parsed === undefined ? 'invalid-json' : 'valid'}
        schema={schema}
        resetText={example}
        defaultView="json"
        {...props}
      />
      <button type="button" onClick={() => setText('{ "text": "from a run" }')}>
        Restore a run
      </button>
      <button type="button">After</button>
    </>
  );
}

const editor = () => screen.getByRole('textbox', { name: 'Input' }) as HTMLTextAreaElement;
const setup = () => userEvent.setup({ advanceTimers: vi.advanceTimersByTime });

describe('InputEditor: the JSON view', () => {
  it('undoes Format with Ctrl+Z, back to the exact text, and redoes it', async () => {
    const user = setup();
    render(<Harness initial={'{"text":"a",   "n":1}'} />);
    await user.click(screen.getByRole('button', { name: 'Format' }));
    expect(editor().value).toBe('{\n  "text": "a",\n  "n": 1\n}');
    editor().focus();
    await user.keyboard('{Control>}z{/Control}');
    expect(editor().value).toBe('{"text":"a",   "n":1}');
    await user.keyboard('{Control>}{Shift>}z{/Shift}{/Control}');
    expect(editor().value).toBe('{\n  "text": "a",\n  "n": 1\n}');
  });

  it('indents with Tab and leaves only after Escape, and says so', async () => {
    const user = setup();
    render(<Harness initial="{}" />);
    editor().focus();
    editor().setSelectionRange(1, 1);
    await user.keyboard('{Tab}');
    expect(editor().value).toBe('{  }');
    expect(editor()).toHaveFocus();
    await user.keyboard('{Escape}');
    expect(screen.getByText('Tab now leaves the editor.')).toBeInTheDocument();
    await user.tab();
    expect(editor()).not.toHaveFocus();
    expect(editor()).toHaveAccessibleDescription(/Press Escape, then Tab, to leave the editor/);
  });

  it('keeps the indentation on Enter', async () => {
    const user = setup();
    render(<Harness initial={'{\n  "a": ['} />);
    editor().focus();
    editor().setSelectionRange(editor().value.length, editor().value.length);
    await user.keyboard('{Enter}');
    expect(editor().value).toBe('{\n  "a": [\n    ');
  });

  it('never throws a draft away: Reset and a restored run can be undone', async () => {
    const user = setup();
    render(<Harness initial={'{ "text": "my draft" }'} />);
    await user.click(screen.getByRole('button', { name: 'Reset to example' }));
    expect(editor().value).toBe(example);
    expect(screen.getByRole('status')).toHaveTextContent('The input was replaced.');
    await user.click(screen.getByRole('button', { name: 'Undo' }));
    expect(editor().value).toBe('{ "text": "my draft" }');

    await user.click(screen.getByRole('button', { name: 'Restore a run' }));
    expect(editor().value).toBe('{ "text": "from a run" }');
    await user.click(screen.getByRole('button', { name: 'Undo' }));
    expect(editor().value).toBe('{ "text": "my draft" }');
  });

  it('marks issues in the text and lists them, axe-clean', async () => {
    const { container } = render(
      <Harness
        issues={[{ path: ['text'], code: 'too_small', message: 'Must not be empty.' }]}
        state="schema-invalid"
      />,
    );
    // The field is marked from its key to its value.
    const marked = [...container.querySelectorAll('.agentry-jv__mark')].map((element) => element.textContent);
    expect(marked).toEqual(['"text"', ':', '"Hello"']);
    expect(screen.getByText('Must not be empty.')).toBeInTheDocument();
    expect(editor()).toHaveAttribute('aria-invalid', 'true');
    await expectNoAxeViolations(container);
  });

  it('counts the input against the server limit and says when it is too large', () => {
    const { rerender } = render(<Harness maxInputBytes={64_000} />);
    expect(screen.getByText('16 B of 64.0 kB')).toBeInTheDocument();
    rerender(<Harness maxInputBytes={10} />);
    expect(screen.getByText('Too large: the server accepts at most 10 B.')).toBeInTheDocument();
    expect(screen.getByText('16 B of 10 B')).toHaveAttribute('data-state', 'over');
  });
});

describe('InputEditor: large input', () => {
  const big = JSON.stringify({ text: 'x'.repeat(200_000) });

  it('checks over 100 kB only when typing pauses, or at once when the panel runs (flush)', () => {
    const onChange = vi.fn();
    const handle = createRef<InputEditorHandle>();
    const { container } = render(<Harness initial={big} onChange={onChange} handleRef={handle} />);
    // No colour overlay for large text: the plain textarea with only the visible line numbers.
    expect(container.querySelector('.agentry-jv[data-large]')).not.toBeNull();
    expect(container.querySelector('.agentry-jv__code')).toBeNull();
    fireEvent.change(editor(), { target: { value: `${big} ` } });
    fireEvent.change(editor(), { target: { value: `${big}  ` } });
    expect(onChange).not.toHaveBeenCalled();
    act(() => vi.advanceTimersByTime(300));
    expect(onChange).toHaveBeenCalledTimes(1);
    expect(onChange).toHaveBeenLastCalledWith(`${big}  `);
    fireEvent.change(editor(), { target: { value: big } });
    act(() => handle.current?.flush());
    expect(onChange).toHaveBeenCalledTimes(2);
    expect(screen.getByText(/Large input: no colours; checked when you pause typing\./)).toBeInTheDocument();
  });
});

describe('highlightJson', () => {
  it('shows exactly the text it was given, whatever the text (the overlay must line up)', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string(),
          fc.jsonValue().map((value) => JSON.stringify(value, null, 2)),
          fc.jsonValue().map((value) => JSON.stringify(value)?.slice(0, 17) ?? ''),
        ),
        (text) => {
          const element = document.createElement('pre');
          element.innerHTML = highlightJson(
            text,
            locateIssues(text, [{ path: [0], message: 'x', line: 1, column: 2 }]),
          );
          expect(element.textContent).toBe(`${text}\u200b`);
          expect(element.querySelectorAll('.agentry-jv__line')).toHaveLength(text.split('\n').length);
        },
      ),
    );
  });
});

describe('createEditHistory', () => {
  it('merges quick typing into one step, keeps actions apart, and clears redo on a new edit', () => {
    let now = 0;
    const history = createEditHistory(100, 1e6, () => now);
    const state = (text: string) => ({ text, selectionStart: 0, selectionEnd: 0 });
    history.record(state(''), 'type');
    now += 100;
    history.record(state('a'), 'type');
    now += 2000;
    history.record(state('ab'), 'action');
    expect(history.undo(state('AB'))?.text).toBe('ab');
    expect(history.undo(state('ab'))?.text).toBe('');
    expect(history.undo(state(''))).toBeUndefined();
    expect(history.redo(state(''))?.text).toBe('ab');
    history.record(state('ab'), 'action');
    expect(history.redo(state('x'))).toBeUndefined();
  });
});
