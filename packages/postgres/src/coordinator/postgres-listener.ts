import { quoteIdentifier } from '../identifiers';

// LISTEN needs a connection of its own for as long as it listens: a pooled connection goes back
// to the pool (and, behind a transaction-mode pooler, to other clients) after each query. This
// keeps one dedicated client, re-LISTENs after it drops, and tells the subscribers when it comes
// back so they can read what they may have missed while it was away.

/**
 * Subscribes to a PostgreSQL notification channel (LISTEN) and answers the unsubscribe.
 * `onResume`, when given, is called each time the subscription is re-established after the
 * connection dropped: notifications sent meanwhile were lost, so the caller re-reads its state.
 */
export type PostgresListen = (
  channel: string,
  onNotify: (payload: string) => void,
  onResume?: () => void,
) => Promise<() => Promise<void>>;

/** The part of `pg`'s `Client` a listener uses: a fresh, not yet connected client. */
export interface PostgresListenClient {
  connect(): Promise<unknown>;
  query(text: string): Promise<unknown>;
  on(event: 'notification', listener: (message: { channel: string; payload?: string }) => void): unknown;
  on(event: 'error', listener: (error: Error) => void): unknown;
  on(event: 'end', listener: () => void): unknown;
  end(): Promise<unknown>;
}

/** Options of {@link createPostgresListener}. */
export interface PostgresListenerOptions {
  /**
   * Makes a new, unconnected client for the dedicated connection; called again after it drops.
   * Connect directly to PostgreSQL (or a session-mode pooler): LISTEN does not survive a
   * transaction-mode pooler.
   * @example () => new pg.Client({ connectionString: process.env.DATABASE_URL })
   */
  createClient: () => PostgresListenClient;
  /** The first wait before reconnecting; doubles on each failure. @default 250 */
  reconnectDelayMs?: number;
  /** The longest wait between reconnection attempts. @default 10_000 */
  maxReconnectDelayMs?: number;
  /** Told about a dropped or refused connection (the listener retries on its own). @default ignored */
  onError?: (error: Error) => void;
}

/** A dedicated LISTEN connection shared by every channel of one process. */
export interface PostgresListener {
  /** Pass it to `createPostgresCoordinator({ listen })`. */
  listen: PostgresListen;
  /** Resolves once every subscribed channel is listened to on a live connection. */
  ready(): Promise<void>;
  /** Whether the connection is up and listening. */
  readonly connected: boolean;
  /** Ends the connection; later `listen` calls reject. */
  close(): Promise<void>;
}

interface Subscription {
  onNotify: (payload: string) => void;
  onResume: (() => void) | undefined;
}

function asError(error: unknown): Error {
  return error instanceof Error ? error : new Error(String(error));
}

/**
 * One dedicated LISTEN connection (a `pg.Client`) for the coordinator's cancel and event
 * notifications, so a cancel sent to any instance reaches the one running the run at once.
 * It connects on the first `listen`, reconnects with backoff when the connection drops (the
 * coordinator's poll covers the gap, and `onResume` re-reads after it), and disconnects when
 * the last channel is unsubscribed.
 *
 * @example
 * const listener = createPostgresListener({ createClient: () => new pg.Client({ connectionString }) });
 * const coordinator = createPostgresCoordinator({ pool, listen: listener.listen });
 */
export function createPostgresListener(options: PostgresListenerOptions): PostgresListener {
  if (typeof options?.createClient !== 'function') {
    throw new TypeError(
      'createPostgresListener: createClient must make a new pg.Client, e.g. () => new pg.Client({ connectionString }).',
    );
  }
  const firstDelay = options.reconnectDelayMs ?? 250;
  const maxDelay = options.maxReconnectDelayMs ?? 10_000;
  const report = (error: unknown) => {
    try {
      options.onError?.(asError(error));
    } catch {
      // A throwing reporter must not stop the reconnection.
    }
  };

  const channels = new Map<string, Set<Subscription>>();
  let client: PostgresListenClient | undefined;
  let listening = false;
  let connecting: Promise<void> | undefined;
  let retryTimer: ReturnType<typeof setTimeout> | undefined;
  let delay = firstDelay;
  let everConnected = false;
  let closed = false;
  let waiters: (() => void)[] = [];

  function settleWaiters(): void {
    if (!listening) return;
    const pending = waiters;
    waiters = [];
    for (const resolve of pending) resolve();
  }

  function dispatch(message: { channel: string; payload?: string }): void {
    for (const subscription of [...(channels.get(message.channel) ?? [])]) {
      try {
        subscription.onNotify(message.payload ?? '');
      } catch (error) {
        report(error);
      }
    }
  }

  function dropped(from: PostgresListenClient, error?: Error): void {
    if (from !== client) return;
    client = undefined;
    listening = false;
    report(error ?? new Error('The LISTEN connection to PostgreSQL ended.'));
    from.end().catch(() => undefined);
    scheduleReconnect();
  }

  function scheduleReconnect(): void {
    if (closed || channels.size === 0 || retryTimer !== undefined) return;
    retryTimer = setTimeout(() => {
      retryTimer = undefined;
      connect().catch(() => undefined);
    }, delay);
    (retryTimer as { unref?: () => void }).unref?.();
    delay = Math.min(delay * 2, maxDelay);
  }

  async function connectOnce(): Promise<void> {
    const next = options.createClient();
    client = next;
    next.on('notification', dispatch);
    next.on('error', (error) => dropped(next, error));
    next.on('end', () => dropped(next));
    try {
      await next.connect();
      for (const channel of channels.keys()) await next.query(`listen ${quoteIdentifier(channel)}`);
    } catch (error) {
      if (client === next) {
        client = undefined;
        next.end().catch(() => undefined);
        report(error);
        scheduleReconnect();
      }
      throw error;
    }
    if (client !== next || closed) {
      // Stopped while connecting: this connection is nobody's.
      await next.end().catch(() => undefined);
      return;
    }
    listening = true;
    delay = firstDelay;
    const resumed = everConnected;
    everConnected = true;
    settleWaiters();
    // Notifications sent while the connection was down are lost: let subscribers re-read.
    if (resumed) {
      for (const subscriptions of channels.values()) {
        for (const subscription of subscriptions) {
          try {
            subscription.onResume?.();
          } catch (error) {
            report(error);
          }
        }
      }
    }
  }

  function connect(): Promise<void> {
    if (connecting === undefined) {
      connecting = connectOnce().finally(() => {
        connecting = undefined;
      });
    }
    return connecting;
  }

  async function unsubscribe(channel: string, subscription: Subscription): Promise<void> {
    const subscriptions = channels.get(channel);
    if (subscriptions === undefined || !subscriptions.delete(subscription) || subscriptions.size > 0) return;
    channels.delete(channel);
    if (channels.size === 0) {
      await stop();
      return;
    }
    if (listening && client !== undefined) {
      await client.query(`unlisten ${quoteIdentifier(channel)}`).catch(() => undefined);
    }
  }

  async function stop(): Promise<void> {
    if (retryTimer !== undefined) clearTimeout(retryTimer);
    retryTimer = undefined;
    const current = client;
    client = undefined;
    listening = false;
    everConnected = false;
    delay = firstDelay;
    await connecting?.catch(() => undefined);
    await current?.end().catch(() => undefined);
  }

  return {
    async listen(channel, onNotify, onResume) {
      if (closed) throw new Error('createPostgresListener: the listener is closed.');
      if (typeof channel !== 'string' || channel === '') throw new TypeError('listen: channel must be a name.');
      const subscription: Subscription = { onNotify, onResume };
      let subscriptions = channels.get(channel);
      const isNew = subscriptions === undefined;
      if (subscriptions === undefined) {
        subscriptions = new Set();
        channels.set(channel, subscriptions);
      }
      subscriptions.add(subscription);
      if (isNew && listening && client !== undefined) {
        const current = client;
        await current.query(`listen ${quoteIdentifier(channel)}`).catch((error: unknown) => {
          // The connection broke under us: the reconnection listens to every channel.
          dropped(current, asError(error));
        });
      } else if (!listening) {
        // A database that is down now does not fail the caller: it falls back on polling.
        await connect().catch(() => undefined);
      }
      return () => unsubscribe(channel, subscription);
    },

    ready() {
      if (listening) return Promise.resolve();
      if (client === undefined && connecting === undefined && retryTimer === undefined) {
        connect().catch(() => undefined);
      }
      return new Promise<void>((resolve) => waiters.push(resolve));
    },

    get connected() {
      return listening;
    },

    async close() {
      closed = true;
      channels.clear();
      await stop();
      // Nobody will connect any more: release whoever waits.
      const pending = waiters;
      waiters = [];
      for (const resolve of pending) resolve();
    },
  };
}
