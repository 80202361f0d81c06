// What a history entry is called and how its input is previewed: derived from the record, so
// every run has a name without asking for one.

const collapse = (text: string) => text.replace(/\s+/g, ' ').trim();

function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1).trimEnd()}…`;
}

/** The first non-empty string in `value`, top-level fields before nested ones (in key order); looks at 200 values at most. */
function firstText(value: unknown): string | undefined {
  const queue: unknown[] = [value];
  for (let visited = 0; queue.length > 0 && visited < 200; visited += 1) {
    const next = queue.shift();
    if (typeof next === 'string' && collapse(next) !== '') return collapse(next);
    if (next !== null && typeof next === 'object') queue.push(...Object.values(next));
  }
  return undefined;
}

/**
 * A run's name: the first text in its input (what a person typed, e.g. the ticket to classify),
 * truncated to `max` characters; `undefined` when the input has no text.
 */
export function runName(input: unknown, max = 60): string | undefined {
  const text = firstText(input);
  return text === undefined ? undefined : truncate(text, max);
}

/** The input as one line of compact JSON, truncated to `max` characters. */
export function inputPreview(input: unknown, max = 120): string {
  let text: string;
  try {
    text = JSON.stringify(input) ?? String(input);
  } catch {
    text = String(input);
  }
  return truncate(text, max);
}
