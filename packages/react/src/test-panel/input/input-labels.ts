/** The strings of the input side (form and JSON view); part of `TestPanelLabels`, overridable the same way. */
export interface InputLabels {
  /** The view switch. */
  inputView: string;
  formView: string;
  jsonView: string;
  /** Shown on the form when the text is not JSON. */
  formNeedsJson: string;
  /** Notes on a subtree the form shows as JSON. */
  jsonFallback: Record<'union' | 'unsupported' | 'mismatch' | 'any', string>;
  /** A field that is absent: the button that adds it, with its default when it has one. */
  addField: (name: string) => string;
  removeField: (name: string) => string;
  addItem: string;
  removeItem: (index: number) => string;
  moveUp: (index: number) => string;
  moveDown: (index: number) => string;
  item: (index: number) => string;
  showAllItems: (count: number) => string;
  otherFields: string;
  required: string;
  defaultValue: (value: string) => string;
  setNull: string;
  setValue: string;
  isNull: string;
  enterNumber: string;
  /** The JSON view's keyboard help (read by screen readers with the editor). */
  jsonKeys: string;
  /** Announced after Escape: the next Tab leaves the editor. */
  tabLeaves: string;
  undo: string;
  /** A notice after Reset or a restored run replaced the text. */
  replaced: string;
  /** The size counter: the input's bytes against the service's limit. */
  size: (size: string, limit: string | undefined) => string;
  tooLarge: (limit: string) => string;
  /** Shown above ~100 kB: no colours, and checking waits for a pause in typing. */
  largeInput: string;
}

export const defaultInputLabels: InputLabels = {
  inputView: 'Edit as',
  formView: 'Form',
  jsonView: 'JSON',
  formNeedsJson: 'The JSON has a syntax error. Fix it in the JSON view to use the form.',
  jsonFallback: {
    union: 'This field takes one of several shapes: edit it as JSON.',
    unsupported: 'The form cannot show this part of the schema: edit it as JSON.',
    mismatch: 'This value does not match the schema: edit it as JSON.',
    any: 'Any JSON value.',
  },
  addField: (name) => `Add ${name}`,
  removeField: (name) => `Remove ${name}`,
  addItem: 'Add item',
  removeItem: (index) => `Remove item ${index}`,
  moveUp: (index) => `Move item ${index} up`,
  moveDown: (index) => `Move item ${index} down`,
  item: (index) => `Item ${index}`,
  showAllItems: (count) => `Show all ${count} items`,
  otherFields: 'Fields not in the schema',
  required: 'required',
  defaultValue: (value) => `Default: ${value}`,
  setNull: 'Set to null',
  setValue: 'Set a value',
  isNull: 'null',
  enterNumber: 'Enter a number.',
  jsonKeys: 'Tab indents. Press Escape, then Tab, to leave the editor. Ctrl/⌘+Z undoes, also after Format.',
  tabLeaves: 'Tab now leaves the editor.',
  undo: 'Undo',
  replaced: 'The input was replaced.',
  size: (size, limit) => (limit ? `${size} of ${limit}` : size),
  tooLarge: (limit) => `Too large: the server accepts at most ${limit}.`,
  largeInput: 'Large input: no colours; checked when you pause typing.',
};
