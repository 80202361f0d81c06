// The provider contract, run against the mock provider in mock mode: its failure injection and
// scripted latency play the server. It reports estimated usage and cannot answer every status.
import * as vitest from 'vitest';
import { type ContractReply, describeProviderContract } from '../../testing';
import type { ProviderAdapter } from '../types';
import { type MockFailureOptions, type MockProviderOptions, mockProvider } from './mock-provider';

let script: readonly ContractReply[] = [];
let calls: { signal: AbortSignal }[] = [];

function failureFor(reply: ContractReply, call: number): MockFailureOptions | undefined {
  const onCalls = [call];
  switch (reply.type) {
    case 'error':
      if (reply.status === 401) return { kind: 'auth_failed', onCalls };
      if (reply.status === 429)
        return { kind: 'rate_limit', onCalls, retryAfterMs: (reply.retryAfterSeconds ?? 0) * 1000 };
      return { kind: 'provider_error', onCalls };
    case 'hang':
      return { kind: 'timeout', onCalls };
    case 'stream-error':
      return { kind: 'provider_error', onCalls, at: 'mid-stream' };
    default:
      return undefined;
  }
}

function options(): MockProviderOptions {
  const failures = script.flatMap((reply, index) => failureFor(reply, index + 1) ?? []);
  const answer = script.find((reply) => reply.type === 'text' || reply.type === 'object');
  return {
    failures,
    latency: { firstOutputMs: answer?.firstByteDelayMs ?? 0, chunkMs: answer?.chunkDelayMs ?? 0 },
  };
}

/** The mock provider, with each call and its signal recorded as a server would see them. */
function recordedMockProvider(): ProviderAdapter {
  const provider = mockProvider(options());
  const record = (signal: AbortSignal) => calls.push({ signal });
  return {
    ...provider,
    execute: (request, context) => {
      record(context.signal);
      return provider.execute(request, context);
    },
    stream: (request, context) => {
      record(context.signal);
      return (provider.stream as NonNullable<ProviderAdapter['stream']>)(request, context);
    },
  };
}

describeProviderContract(
  {
    name: 'mock',
    providerId: 'mock',
    model: 'gpt-4.1-mini',
    mode: 'mock',
    supports: { usage: false, statuses: [401, 429, 500, 503] },
    createAdapter: recordedMockProvider,
    script(replies) {
      script = replies;
      calls = [];
    },
    requests: () => calls.map((call) => ({ closed: call.signal.aborted })),
  },
  vitest,
);
