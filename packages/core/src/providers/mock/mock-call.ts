// One mock call's seeded randomness, its latency and the context a mock function sees.
import type { MockContext, MockDelay } from '../../agent';
import { hashString, seededRandom, stableStringify } from '../../internal/seeded-random';
import type { TenantContext } from '../../tenant';
import type { ProviderRequest } from '../types';

/** Scripted latency of mock runs. */
export interface MockLatency {
  /** Delay before the first chunk. @default 0 */
  firstOutputMs?: MockDelay;
  /** Delay between chunks. @default 0 */
  chunkMs?: MockDelay;
}

function pickDelay(value: MockDelay | undefined, call: MockCall): number {
  if (value === undefined) return 0;
  if (typeof value === 'number') return value;
  const [min, max] = value;
  return Math.round(min + (max - min) * call.drawLatency());
}

/**
 * What a mock function sees. A class, not an object literal with a `seed` getter: a literal
 * whose getter closes over the call makes V8 build a new hidden class per call, which outlives
 * the call and costs a garbage collection of the old generation (measured: most of a mock run's
 * GC time). `random` and `pick` are own functions, so a mock may destructure them.
 */
class SeededContext implements MockContext {
  readonly #seedOf: () => number;
  readonly random: () => number;
  readonly pick: <T>(items: readonly T[]) => T;
  readonly tenant: TenantContext;

  constructor(seedOf: () => number, draw: () => number, tenant: TenantContext) {
    this.#seedOf = seedOf;
    this.random = draw;
    this.pick = (items) => {
      if (items.length === 0) throw new TypeError('pick() needs at least one item.');
      return items[Math.floor(draw() * items.length)] as (typeof items)[number];
    };
    this.tenant = tenant;
  }

  get seed(): number {
    return this.#seedOf();
  }
}

/**
 * One call's seeded randomness and latency, each made on first use: most mocks (fixed answers,
 * no latency range) never draw a random number, and then nothing here is built. A class, so a
 * call costs one object, not a closure per lazy value.
 */
export class MockCall {
  readonly #providerSeed: number;
  readonly #request: ProviderRequest;
  readonly #tenant: TenantContext;
  #runSeed: number | undefined = undefined;
  #random: (() => number) | undefined = undefined;
  #latencyRandom: (() => number) | undefined = undefined;
  #context: MockContext | undefined = undefined;
  /** What the first output waits, and each later chunk (a scripted step's latency replaces both). */
  firstMs: MockDelay | undefined;
  chunkMs: MockDelay | undefined;

  constructor(providerSeed: number, request: ProviderRequest, tenant: TenantContext, latency: MockLatency) {
    this.#providerSeed = providerSeed;
    this.#request = request;
    this.#tenant = tenant;
    this.firstMs = latency.firstOutputMs;
    this.chunkMs = latency.chunkMs;
  }

  /** The run's seed: hashes the whole input, so it is computed on first use only. */
  seed(): number {
    const request = this.#request;
    this.#runSeed ??= hashString(
      `${this.#providerSeed}:${request.seed ?? ''}:${request.agentId}:${stableStringify(request.input)}`,
    );
    return this.#runSeed;
  }

  draw(): number {
    this.#random ??= seededRandom(this.seed());
    return this.#random();
  }

  drawLatency(): number {
    this.#latencyRandom ??= seededRandom(this.seed() ^ 0x9e3779b9);
    return this.#latencyRandom();
  }

  firstDelay(): number {
    return pickDelay(this.firstMs, this);
  }

  chunkDelay(): number {
    return pickDelay(this.chunkMs, this);
  }

  /** The context a mock function sees, made on first use. */
  context(): MockContext {
    this.#context ??= new SeededContext(
      () => this.seed(),
      () => this.draw(),
      this.#tenant,
    );
    return this.#context;
  }
}
