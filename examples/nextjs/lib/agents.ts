import { defineAgent } from '@agentry/core';
import { z } from 'zod';

/** Summarizes text. No output schema, so the output is plain text, streamed word by word in mock mode. */
export const summarize = defineAgent({
  id: 'summarize',
  name: 'Summarizer',
  description: 'Condenses text into one or two sentences.',
  input: z.object({
    text: z.string().min(1, 'Paste some text to summarize.').max(20_000),
    style: z.enum(['brief', 'detailed']).default('brief'),
  }),
  model: { provider: 'openai', model: 'gpt-4.1-mini', maxOutputTokens: 300 },
  prompt: ({ text, style }) => [
    { role: 'system', content: `Summarize the text, ${style}. No preamble.` },
    { role: 'user', content: text },
  ],
  // Deterministic: the first two sentences.
  mock: ({ text }) =>
    text
      .split(/(?<=[.!?])\s+/)
      .slice(0, 2)
      .join(' '),
  example: {
    text: 'Agentry runs agents in mock and live mode. Mock mode is deterministic and offline. Live mode calls a real model.',
    style: 'brief',
  },
});

/** Triages a support ticket into structured fields, validated against the output schema. */
export const classifyTicket = defineAgent({
  id: 'classify-ticket',
  name: 'Ticket triage',
  description: 'Classifies a support ticket and drafts a reply.',
  input: z.object({ subject: z.string().min(1), body: z.string().min(1) }),
  output: z.object({
    category: z.enum(['billing', 'bug', 'account', 'other']),
    priority: z.enum(['low', 'normal', 'high']),
    suggestedReply: z.string(),
  }),
  model: { provider: 'openai', model: 'gpt-4.1-mini', maxOutputTokens: 400 },
  prompt: ({ subject, body }) => `Triage this support ticket.\nSubject: ${subject}\n\n${body}`,
  mock: ({ subject, body }) => {
    const text = `${subject} ${body}`.toLowerCase();
    const category: 'billing' | 'bug' | 'account' | 'other' = /invoice|charge|refund/.test(text)
      ? 'billing'
      : /error|crash|broken/.test(text)
        ? 'bug'
        : /login|password/.test(text)
          ? 'account'
          : 'other';
    return {
      category,
      priority: /urgent|asap|down/.test(text) ? ('high' as const) : ('normal' as const),
      suggestedReply: `Thanks for reaching out! We've routed your ${category} question to the right team.`,
    };
  },
  example: { subject: 'Charged twice', body: 'Our card was charged twice for invoice INV-2291. Please refund ASAP.' },
});

export const agents = [summarize, classifyTicket] as const;
