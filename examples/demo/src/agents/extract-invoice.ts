import { defineAgent, type ModelSettings } from '@agentry/core';
import { z } from 'zod';

const invoiceOutput = z.object({
  vendor: z.string().nullable(),
  invoiceNumber: z.string().nullable(),
  issueDate: z.iso.date().nullable(),
  dueDate: z.iso.date().nullable(),
  currency: z.string().length(3).nullable(),
  lineItems: z.array(z.object({ description: z.string(), amount: z.number() })),
  total: z.number().nullable(),
});

type Invoice = z.output<typeof invoiceOutput>;

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
const SYMBOLS: Record<string, string> = { $: 'USD', '€': 'EUR', '£': 'GBP', '¥': 'JPY' };
const AMOUNT = String.raw`([$€£¥]|USD|EUR|GBP|JPY|CHF)?\s?(\d{1,3}(?:[,\s]\d{3})*(?:\.\d{2})?|\d+(?:\.\d{2})?)\s?(USD|EUR|GBP|JPY|CHF)?`;

function pad(value: number): string {
  return String(value).padStart(2, '0');
}

/** Reads `2026-03-14`, `14/03/2026`, `March 14, 2026` and `14 March 2026` as an ISO date. */
function parseDate(text: string | undefined): string | null {
  if (!text) return null;
  const iso = text.match(/(\d{4})-(\d{2})-(\d{2})/);
  if (iso) return `${iso[1]}-${iso[2]}-${iso[3]}`;
  const numeric = text.match(/(\d{1,2})[./](\d{1,2})[./](\d{4})/);
  if (numeric) return `${numeric[3]}-${pad(Number(numeric[2]))}-${pad(Number(numeric[1]))}`;
  const monthFirst = text.match(/([A-Za-z]{3,9})\.?\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4})/);
  const dayFirst = text.match(/(\d{1,2})(?:st|nd|rd|th)?\s+([A-Za-z]{3,9})\.?,?\s+(\d{4})/);
  const [month, day, year] = monthFirst
    ? [monthFirst[1], monthFirst[2], monthFirst[3]]
    : dayFirst
      ? [dayFirst[2], dayFirst[1], dayFirst[3]]
      : [];
  const monthIndex = month ? MONTHS.indexOf(month.slice(0, 3).toLowerCase()) : -1;
  if (monthIndex < 0 || !day || !year) return null;
  return `${year}-${pad(monthIndex + 1)}-${pad(Number(day))}`;
}

function parseAmount(raw: string): number {
  return Number(raw.replace(/[,\s]/g, ''));
}

/** Pulls invoice fields out of free text with a few forgiving patterns. */
export function extractInvoice(text: string): Invoice {
  const lines = text.split(/\r?\n/).map((line) => line.trim());
  const vendor =
    text.match(/^\s*(?:from|vendor|supplier|bill from)\s*:\s*(.+)$/im)?.[1]?.trim() ??
    lines.find((line) => line.length > 0 && !/invoice/i.test(line)) ??
    null;
  const invoiceNumber = text.match(/invoice\s*(?:no\.?|number|#|id)?\s*[:#]?\s*([A-Z]{0,5}-?\d[\w-]*)/i)?.[1] ?? null;
  const issueDate = parseDate(text.match(/(?:invoice date|issued?(?: on)?|date)\s*:?\s*([^\n]+)/i)?.[1]);
  const dueDate = parseDate(text.match(/(?:due(?: date)?|payable by|pay by)\s*:?\s*([^\n]+)/i)?.[1]);
  const totalMatch = text.match(
    new RegExp(String.raw`(?:total(?: due)?|amount due|balance due)\s*:?\s*${AMOUNT}`, 'i'),
  );
  const lineItems: Invoice['lineItems'] = [];
  for (const line of lines) {
    if (/\b(sub)?total\b|amount due|balance|\btax\b|\bvat\b|due date/i.test(line)) continue;
    const item = line.match(new RegExp(String.raw`^[-•*]?\s*(.+?)\s*(?:[:.…]+|\s-\s|\s{2,}|\t)\s*${AMOUNT}$`));
    if (item?.[1] && item[3] && /[a-z]/i.test(item[1])) {
      lineItems.push({ description: item[1].trim(), amount: parseAmount(item[3]) });
    }
  }
  const symbol = totalMatch?.[1] ?? totalMatch?.[4] ?? text.match(/[$€£¥]|\b(USD|EUR|GBP|JPY|CHF)\b/)?.[0];
  const currency = symbol ? (SYMBOLS[symbol] ?? symbol.toUpperCase()) : null;
  const total = totalMatch?.[2]
    ? parseAmount(totalMatch[2])
    : lineItems.length > 0
      ? Math.round(lineItems.reduce((sum, item) => sum + item.amount, 0) * 100) / 100
      : null;
  return { vendor, invoiceNumber, issueDate, dueDate, currency, lineItems, total };
}

/** Extracts structured invoice fields from an email or pasted invoice text. */
export function createExtractInvoiceAgent(model?: ModelSettings) {
  return defineAgent({
    id: 'extract-invoice',
    name: 'Invoice extractor',
    description: 'Turns a pasted invoice or billing email into structured JSON fields.',
    input: z.object({ text: z.string().min(1, 'Paste the invoice text.').max(20_000) }),
    output: invoiceOutput,
    ...(model ? { model: { ...model, maxOutputTokens: 600 } } : {}),
    prompt: ({ text }) => [
      {
        role: 'system',
        content:
          'Extract the invoice fields. Dates as YYYY-MM-DD, currency as an ISO 4217 code, amounts as numbers. ' +
          'Use null for anything the text does not state.',
      },
      { role: 'user', content: text },
    ],
    mock: ({ text }) => extractInvoice(text),
    example: {
      text: [
        'From: Northwind Cloud Services',
        'Invoice #NW-40718',
        'Invoice date: March 3, 2026',
        'Due date: 2026-04-02',
        '',
        '- Compute (March): $1,240.00',
        '- Object storage: $86.50',
        '- Premium support: $299.00',
        '',
        'Total due: $1,625.50',
      ].join('\n'),
    },
  });
}
