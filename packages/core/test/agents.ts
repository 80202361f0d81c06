import * as z from 'zod';
import { defineAgent } from '../src/index';

/** Agents shared by core tests. */
export const summarize = defineAgent({
  id: 'summarize',
  name: 'Summarizer',
  description: 'Summarizes text',
  input: z.object({ text: z.string().min(1).max(20_000), style: z.enum(['brief', 'detailed']).default('brief') }),
  output: z.object({ summary: z.string(), words: z.number() }),
  model: { provider: 'openai', model: 'gpt-4.1-mini', maxOutputTokens: 512 },
  prompt: ({ text, style }) => [
    { role: 'system', content: `Summarize, ${style}.` },
    { role: 'user', content: text },
  ],
  mock: ({ text }, { pick }) => ({
    summary: `${pick(['In short', 'Briefly', 'Overall'])}: ${text.slice(0, 40)}`,
    words: text.split(/\s+/).length,
  }),
  example: { text: 'Agentry runs agents in mock and live mode.' },
});

export const echo = defineAgent({
  id: 'echo',
  name: 'Echo',
  input: z.object({ message: z.string() }),
  prompt: ({ message }) => message,
  mock: ({ message }) => `You said: ${message}. That is all I have to say about it.`,
});

export const acmeOnly = defineAgent({
  id: 'acme-secret-agent',
  name: 'Acme internal',
  tenantId: 'acme',
  input: z.object({ q: z.string() }),
  prompt: ({ q }) => q,
  mock: { fixtures: [{ match: { q: 'hi' }, output: 'hello acme' }], fallback: () => 'acme fallback' },
});

export const acme = { tenantId: 'acme', userId: 'alice' };
export const globex = { tenantId: 'globex', userId: 'bob' };
