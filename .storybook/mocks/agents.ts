// Sample agents for the stories. Mock answers are deterministic (fixed text, seeded
// provider), so every story renders the same output on every machine.
import { defineAgent } from '@agentry/core';
import * as z from 'zod';

/** A text agent that streams its answer word by word. */
export const summarize = defineAgent({
  id: 'summarize',
  name: 'Summarizer',
  description: 'Summarizes text in one or two sentences.',
  input: z.object({
    text: z.string().min(1).max(2000),
    style: z.enum(['brief', 'detailed']).default('brief'),
  }),
  example: {
    text: 'Agentry runs AI agents in mock and live mode inside multi-tenant apps, with one pipeline for both.',
    style: 'brief',
  },
  model: { provider: 'openai', model: 'gpt-4.1-mini', maxOutputTokens: 512 },
  prompt: ({ text, style }) => [
    { role: 'system', content: `Summarize the user's text. Style: ${style}.` },
    { role: 'user', content: text },
  ],
  mock: ({ text, style }) =>
    style === 'detailed'
      ? `In detail: ${text} The same pipeline validates the input, applies limits, calls the provider, validates the output and records metrics, whichever mode runs.`
      : `In short: ${text.split(' ').slice(0, 12).join(' ')} … one pipeline, mock or live.`,
});

/** A JSON agent without an example: the editor starts from its schema's defaults. */
export const extract = defineAgent({
  id: 'extract',
  name: 'Link extractor',
  description: 'Finds the links on a page.',
  input: z.object({
    url: z.url().default('https://example.com/docs'),
    limit: z.number().int().min(1).max(10).default(3),
  }),
  output: z.object({ links: z.array(z.object({ href: z.string(), title: z.string() })) }),
  model: { provider: 'openai', model: 'gpt-4.1-mini' },
  prompt: ({ url, limit }) => `List up to ${limit} links of ${url}.`,
  mock: ({ url, limit }) => ({
    links: Array.from({ length: limit }, (_, index) => ({
      href: `${url.replace(/\/$/, '')}/page-${index + 1}`,
      title: `Page ${index + 1}`,
    })),
  }),
});

/** About 1 MB of JSON: the output view collapses it behind "Show all". */
export const bigReport = defineAgent({
  id: 'big-report',
  name: 'Usage report',
  description: 'Exports every usage row of the workspace (about 1 MB).',
  input: z.object({ rows: z.number().int().min(1).max(20_000).default(9000) }),
  output: z.object({ rows: z.array(z.object({ id: z.number(), text: z.string() })) }),
  prompt: () => 'Export the usage report.',
  mock: ({ rows }) => ({
    rows: Array.from({ length: rows }, (_, id) => ({ id, text: `row ${id} `.padEnd(100, '·') })),
  }),
});

/** Its mock answers in the wrong shape, so the run fails with `output_invalid`. */
export const classify = defineAgent({
  id: 'classify',
  name: 'Ticket classifier',
  description: 'Sorts a support ticket into a queue.',
  input: z.object({ ticket: z.string().min(1) }),
  example: { ticket: 'I was charged twice this month.' },
  output: z.object({ queue: z.enum(['billing', 'technical', 'sales']), confidence: z.number().min(0).max(1) }),
  model: { provider: 'openai', model: 'gpt-4.1-mini' },
  prompt: ({ ticket }) => ticket,
  // Deliberately wrong: an unknown queue and a confidence above 1.
  mock: () => ({ queue: 'refunds', confidence: 7 }) as never,
});

export const storyAgents = [summarize, extract, bigReport, classify] as const;
