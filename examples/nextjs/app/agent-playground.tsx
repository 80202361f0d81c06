'use client';

import { createClient } from '@agentry/core/client';
import { TestPanel } from '@agentry/react';
import { useMemo } from 'react';

/**
 * The client half of the page. `createClient` and `<TestPanel>` are browser-safe: this
 * component is server-rendered first, then hydrated, without touching `window` during render.
 */
export function AgentPlayground({ workspace }: { workspace: string }) {
  // Same origin: the browser sends the session cookie; the server derives the tenant from it.
  const client = useMemo(() => createClient({ baseUrl: '/api/agentry' }), []);
  return <TestPanel key={workspace} client={client} defaultMode="mock" />;
}
