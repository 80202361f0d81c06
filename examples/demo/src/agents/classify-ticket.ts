import { defineAgent, type ModelSettings } from '@agentry/core';
import { z } from 'zod';

const categories = ['billing', 'bug', 'account', 'feature-request', 'how-to', 'other'] as const;
type Category = (typeof categories)[number];

/** Keyword cues per category, strongest first. The first category with the most hits wins. */
const CUES: Record<Exclude<Category, 'other'>, RegExp> = {
  billing:
    /\b(invoice|invoiced|charge[ds]?|refund|billing|payment|card|subscription|price|pricing|plan|vat|receipt)\b/gi,
  bug: /\b(error|errors|bug|crash(es|ed)?|broken|fails?|failing|500|exception|doesn'?t work|not working|blank|stuck|timeout)\b/gi,
  account: /\b(login|log in|sign in|password|2fa|sso|locked|account|email address|invite|seat|permission)\b/gi,
  'feature-request': /\b(feature|would be (great|nice)|could you add|wish|support for|request|roadmap|integration)\b/gi,
  'how-to': /\b(how (do|can|to)|where (do|can|is)|is it possible|documentation|docs|tutorial|set ?up|configure)\b/gi,
};

const NEGATIVE =
  /\b(angry|frustrat\w*|unacceptable|terrible|awful|disappoint\w*|again|still|worst|ridiculous|cancel|furious|annoy\w*)\b/gi;
const POSITIVE = /\b(thanks|thank you|love|great|awesome|appreciate|happy|excellent|amazing)\b/gi;
const URGENT =
  /\b(urgent|asap|immediately|outage|down|production|all users|locked out|data loss|security|breach|cannot|can'?t)\b/gi;

function hits(text: string, pattern: RegExp): number {
  return text.match(pattern)?.length ?? 0;
}

const ticketInput = z.object({
  subject: z.string().min(1, 'Give the ticket a subject.').max(300),
  body: z.string().min(1, 'Paste the customer message.').max(10_000),
  customerTier: z.enum(['free', 'pro', 'enterprise']).default('pro'),
});

const ticketOutput = z.object({
  category: z.enum(categories),
  priority: z.enum(['low', 'normal', 'high', 'urgent']),
  sentiment: z.enum(['positive', 'neutral', 'negative']),
  confidence: z.number().min(0).max(1),
  suggestedReply: z.string().min(1),
});

type Ticket = z.output<typeof ticketInput>;
type Triage = z.output<typeof ticketOutput>;

const REPLIES: Record<Category, string> = {
  billing:
    "I've looped in our billing team, who will review the charges on your account and reply with a corrected invoice or a refund within one business day.",
  bug: "I've reproduced the steps you described and passed them to engineering with your account details. I'll update you as soon as a fix is scheduled.",
  account:
    "For your security I've sent a verification link to the account owner's email. Once it's confirmed, access will be restored right away.",
  'feature-request':
    "I've added your request to our product board with your use case attached, so the team can weigh it when planning the next cycle.",
  'how-to':
    "Here's how to do it: open Settings → Workspace, choose the option you need, and save. Our guide has screenshots for each step.",
  other: "I've read your message and routed it to the right team. We'll follow up shortly with next steps.",
};

/** A rule-based triage: keyword cues for the category, tone words for sentiment, urgency cues and tier for priority. */
export function triageTicket(ticket: Ticket, pick: <T>(items: readonly T[]) => T): Triage {
  const text = `${ticket.subject}\n${ticket.body}`;
  let category: Category = 'other';
  let best = 0;
  let total = 0;
  for (const candidate of Object.keys(CUES) as Exclude<Category, 'other'>[]) {
    const count = hits(text, CUES[candidate]);
    total += count;
    if (count > best) {
      best = count;
      category = candidate;
    }
  }
  const negative = hits(text, NEGATIVE);
  const positive = hits(text, POSITIVE);
  const sentiment = negative > positive ? 'negative' : positive > negative ? 'positive' : 'neutral';
  const urgency =
    hits(text, URGENT) + (ticket.customerTier === 'enterprise' ? 1 : 0) + (sentiment === 'negative' ? 1 : 0);
  const priority =
    urgency >= 4 ? 'urgent' : urgency >= 2 ? 'high' : urgency >= 1 || category === 'bug' ? 'normal' : 'low';
  const confidence =
    total === 0 ? 0.42 : Math.round(Math.min(0.97, 0.55 + (best / total) * 0.3 + best * 0.03) * 100) / 100;
  const opener =
    sentiment === 'negative'
      ? pick(["I'm sorry for the trouble, and thank you for your patience.", 'I understand how frustrating this is.'])
      : pick(['Thanks for reaching out!', 'Thanks for getting in touch.']);
  return {
    category,
    priority,
    sentiment,
    confidence,
    suggestedReply: `${opener} ${REPLIES[category]}`,
  };
}

/** Triages a support ticket into category, priority and sentiment, with a suggested reply. */
export function createClassifyTicketAgent(model?: ModelSettings) {
  return defineAgent({
    id: 'classify-ticket',
    name: 'Ticket triage',
    description: 'Classifies a support ticket (category, priority, sentiment) and drafts a reply.',
    input: ticketInput,
    output: ticketOutput,
    ...(model ? { model: { ...model, maxOutputTokens: 500 } } : {}),
    prompt: ({ subject, body, customerTier }) => [
      {
        role: 'system',
        content:
          `You triage customer support tickets. Categories: ${categories.join(', ')}. ` +
          'Priority reflects business impact and the customer tier. Confidence is between 0 and 1. ' +
          'The suggested reply is two or three friendly sentences an agent could send as is.',
      },
      { role: 'user', content: `Customer tier: ${customerTier}\nSubject: ${subject}\n\n${body}` },
    ],
    mock: (ticket, { pick }) => triageTicket(ticket, pick),
    example: {
      subject: 'Charged twice for our November invoice',
      body:
        'Hi team, our card was charged twice for invoice INV-2291 this month. This is the second time it has happened ' +
        'and our finance team is frustrated. Can you refund the duplicate payment ASAP?',
      customerTier: 'enterprise',
    },
  });
}
