import { AgentryError, defineAgent, defineTool, type ModelSettings } from '@agentry/core';
import { z } from 'zod';
import { triageTicket } from './classify-ticket';

/** A support ticket in the fake host app's database. */
interface DemoTicket {
  subject: string;
  body: string;
  customer: string;
  customerTier: 'free' | 'pro' | 'enterprise';
}

/**
 * The host app's tickets, per workspace. A tool reads them by the run's tenant only: Acme's
 * agent asking for a Globex ticket id gets "not found", whatever the model sends.
 */
export const DEMO_TICKETS: Readonly<Record<string, Readonly<Record<string, DemoTicket>>>> = {
  acme: {
    'T-1001': {
      subject: 'Charged twice for our November invoice',
      body: 'Our card was charged twice for invoice INV-2291. Can you refund the duplicate payment?',
      customer: 'Dana from Acme Finance',
      customerTier: 'enterprise',
    },
    'T-1002': {
      subject: 'How do I invite a teammate?',
      body: 'Where can I invite a new teammate to our workspace?',
      customer: 'Lee from Acme Ops',
      customerTier: 'pro',
    },
  },
  globex: {
    'T-2001': {
      subject: 'Globex confidential: project Hammock outage',
      body: 'Production dashboard is down for all users since 9:00. This is urgent.',
      customer: 'Hank Scorpio',
      customerTier: 'enterprise',
    },
  },
};

const ticketIdSchema = z.string().regex(/^T-\d{4}$/, 'Ticket ids look like T-1001.');

/** Looks up a ticket of the run's workspace (never another's: the tenant comes from the pipeline). */
export const lookupTicket = defineTool({
  description: 'Looks up a support ticket of this workspace by id: subject, message, customer and tier.',
  input: z.object({ ticketId: ticketIdSchema }),
  execute: ({ ticketId }, { tenant }) => {
    const ticket = DEMO_TICKETS[tenant.tenantId]?.[ticketId];
    if (!ticket) throw new AgentryError('not_found', `There is no ticket ${ticketId} in this workspace.`);
    return { ticketId, ...ticket };
  },
});

/** Drafts a reply to a ticket of the run's workspace, with the demo's rule-based triage. */
export const draftReply = defineTool({
  description: "Drafts a reply to a ticket of this workspace, in the support team's voice.",
  input: z.object({ ticketId: ticketIdSchema, tone: z.enum(['friendly', 'formal']).default('friendly') }),
  output: z.object({ ticketId: z.string(), category: z.string(), reply: z.string() }),
  execute: ({ ticketId, tone }, { tenant }) => {
    const ticket = DEMO_TICKETS[tenant.tenantId]?.[ticketId];
    if (!ticket) throw new AgentryError('not_found', `There is no ticket ${ticketId} in this workspace.`);
    const triage = triageTicket(ticket, (items) => items[0] as (typeof items)[number]);
    const greeting = tone === 'formal' ? `Dear ${ticket.customer},` : `Hi ${ticket.customer.split(' ')[0]},`;
    return { ticketId, category: triage.category, reply: `${greeting} ${triage.suggestedReply}` };
  },
});

/** Reads a ticket with one tool and drafts the reply with another: a two-tool, three-step agent. */
export function createSupportReplyAgent(model?: ModelSettings) {
  return defineAgent({
    id: 'support-reply',
    name: 'Support reply (tools)',
    description: "Looks up one of this workspace's tickets and drafts a reply, calling two tools.",
    input: z.object({ ticketId: z.string().min(1, 'Give a ticket id, e.g. T-1001.').max(20) }),
    ...(model ? { model: { ...model, maxOutputTokens: 500 } } : {}),
    prompt: ({ ticketId }) => [
      {
        role: 'system',
        content:
          'You help a support agent. Look the ticket up with lookupTicket, then draft a reply with draftReply, ' +
          'then answer with the drafted reply only. If the ticket does not exist, say so.',
      },
      { role: 'user', content: `Draft a reply to ticket ${ticketId}.` },
    ],
    tools: { lookupTicket, draftReply },
    maxSteps: 4,
    mock: {
      steps: ({ ticketId }, history) => {
        const delayMs = [120, 260] as const;
        if (history.step === 0) return { toolCalls: [{ name: 'lookupTicket', args: { ticketId } }], delayMs };
        const looked = history.steps[0]?.toolResults[0];
        if (looked?.error !== undefined) return { text: `I could not find ticket ${ticketId} in this workspace.` };
        if (history.step === 1) return { toolCalls: [{ name: 'draftReply', args: { ticketId } }], delayMs };
        const drafted = history.steps[1]?.toolResults[0]?.output as { reply?: string } | undefined;
        return { text: drafted?.reply ?? 'The draft could not be made.' };
      },
    },
    example: { ticketId: 'T-1001' },
  });
}
