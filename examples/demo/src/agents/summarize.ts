import { defineAgent, type ModelSettings } from '@agentry/core';
import { z } from 'zod';

const STOP_WORDS = new Set(
  (
    'a an and are as at be been but by can could did do does for from had has have he her his how i if in into is it its ' +
    'just me more most my no not of on or our out over she so some than that the their them then there these they this ' +
    'those to too up us was we were what when where which while who will with would you your also about after all any ' +
    'because before being both each few only other same should such under very'
  ).split(' '),
);

/** Splits text into sentences, keeping their punctuation. */
function sentences(text: string): string[] {
  // A sentence ends at . ! or ? followed by a space and a capital or digit, so "99.97%" stays whole.
  return text
    .replace(/\s+/g, ' ')
    .split(/(?<=[.!?]["')\]]?)\s+(?=["'(]?[A-Z0-9])/)
    .map((sentence) => sentence.trim())
    .filter((sentence) => sentence.length > 0);
}

function words(text: string): string[] {
  return (text.toLowerCase().match(/[a-z0-9][a-z0-9'-]*/g) ?? []).filter((word) => !STOP_WORDS.has(word));
}

/**
 * An extractive summary: scores each sentence by how often its content words occur in the
 * whole text, keeps the best ones in their original order. Deterministic, offline, and
 * good enough to make the demo feel real.
 */
export function extractiveSummary(text: string, count: number): { picked: string[]; keywords: string[] } {
  const all = sentences(text);
  const frequency = new Map<string, number>();
  for (const word of words(text)) frequency.set(word, (frequency.get(word) ?? 0) + 1);
  const scored = all.map((sentence, index) => {
    const content = words(sentence);
    const score = content.reduce((sum, word) => sum + (frequency.get(word) ?? 0), 0) / Math.max(4, content.length);
    // A light lead bias: opening sentences tend to carry the point.
    return { sentence, index, score: score + (index === 0 ? 0.5 : 0) };
  });
  const picked = [...scored]
    .sort((left, right) => right.score - left.score || left.index - right.index)
    .slice(0, count)
    .sort((left, right) => left.index - right.index)
    .map((entry) => entry.sentence);
  const keywords = [...frequency.entries()]
    .filter(([word, seen]) => seen > 1 && word.length > 3)
    .sort((left, right) => right[1] - left[1] || left[0].localeCompare(right[0]))
    .slice(0, 4)
    .map(([word]) => word);
  return { picked, keywords };
}

/** Summarizes text; plain-text output, streamed word by word. */
export function createSummarizeAgent(model?: ModelSettings) {
  return defineAgent({
    id: 'summarize',
    name: 'Summarizer',
    description: 'Condenses a document, email thread or meeting notes into a short summary.',
    input: z.object({
      text: z.string().min(1, 'Paste some text to summarize.').max(20_000),
      style: z.enum(['brief', 'detailed']).default('brief'),
    }),
    ...(model ? { model: { ...model, maxOutputTokens: 400 } } : {}),
    prompt: ({ text, style }) => [
      {
        role: 'system',
        content:
          style === 'brief'
            ? 'Summarize the text in one or two plain sentences. No preamble.'
            : 'Summarize the text as a one-line overview followed by three to five bullet points starting with "• ". No preamble.',
      },
      { role: 'user', content: text },
    ],
    mock: ({ text, style }, { pick }) => {
      const { picked, keywords } = extractiveSummary(text, style === 'brief' ? 2 : 4);
      if (style === 'brief') return picked.join(' ');
      const [first, ...rest] = picked;
      const lead = pick(['Key points', 'Highlights', 'In short']);
      const topics = keywords.length > 0 ? `\n\nTopics: ${keywords.join(', ')}.` : '';
      return `${first ?? ''}\n\n${lead}:\n${rest.map((sentence) => `• ${sentence}`).join('\n')}${topics}`;
    },
    example: {
      text:
        'The Q3 platform review covered reliability, cost and the roadmap. Checkout availability reached 99.97% after the ' +
        'queue migration, up from 99.82% last quarter. Cloud spend fell 12% because idle staging clusters now shut down ' +
        'at night. Two incidents came from expired certificates; the team will automate renewals before November. ' +
        'Mobile crash rates are flat, and the design system rollout slipped to Q1 because of hiring delays. ' +
        'Leadership approved two extra reliability engineers for next quarter.',
      style: 'brief',
    },
  });
}
