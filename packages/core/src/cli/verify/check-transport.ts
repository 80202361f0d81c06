import { type CheckResult, check } from './checklist';

const LOOPBACK = new Set(['localhost', '127.0.0.1', '[::1]']);

/** HTTPS, or plain HTTP on loopback only: credentials must not cross a network in the clear. */
export function checkTransport(url: URL): CheckResult {
  const title = 'Transport: HTTPS';
  if (url.protocol === 'https:') return check('transport', title, 'pass', `HTTPS to ${url.host}`);
  if (LOOPBACK.has(url.hostname) || url.hostname.startsWith('127.')) {
    return check('transport', title, 'pass', `plain HTTP on loopback (${url.host})`);
  }
  return check('transport', title, 'warn', `plain HTTP to ${url.host}: credentials cross the network unencrypted`, [
    'Serve the endpoint over HTTPS (or verify from inside the private network it is meant for).',
  ]);
}
