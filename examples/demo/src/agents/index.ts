import type { ModelSettings } from '@agentry/core';
import { createClassifyTicketAgent } from './classify-ticket';
import { createExtractInvoiceAgent } from './extract-invoice';
import { createReleaseNotesAgent } from './release-notes';
import { createSummarizeAgent } from './summarize';
import { createSupportReplyAgent } from './support-reply';

export { RELEASE_NOTES_OWNER } from './release-notes';

/**
 * The demo's agents. `model` is the live model when a provider key is set; without it the
 * agents still run in mock mode and the TestPanel shows live as unavailable. `toolModel` is the
 * live model of the tool-using agent: only a provider that can call tools can run it live.
 */
export function createDemoAgents(model?: ModelSettings, toolModel?: ModelSettings) {
  return [
    createSummarizeAgent(model),
    createClassifyTicketAgent(model),
    createExtractInvoiceAgent(model),
    createReleaseNotesAgent(model),
    createSupportReplyAgent(toolModel),
  ] as const;
}
