import { render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { lazyModule, useLazyModule } from './lazy-parts';

// The setup file loads the real lazy parts up front; these tests look at the moments before,
// and at a chunk that cannot be loaded (an offline page, a deploy that removed the file).

function Probe({ module }: { module: ReturnType<typeof lazyModule<{ text: string }>> }) {
  const loaded = useLazyModule(module);
  return <p>{loaded === undefined ? 'loading' : loaded === 'failed' ? 'failed' : loaded.text}</p>;
}

afterEach(() => {
  vi.doUnmock('./error-copy');
  vi.resetModules();
});

describe('lazy parts', () => {
  it('shows a part once its chunk is here, and loads it once', async () => {
    let finish: (value: { text: string }) => void = () => undefined;
    const importer = vi.fn(() => new Promise<{ text: string }>((resolve) => (finish = resolve)));
    const module = lazyModule(importer);
    const { rerender } = render(<Probe module={module} />);
    expect(screen.getByText('loading')).toBeInTheDocument();
    finish({ text: 'here' });
    expect(await screen.findByText('here')).toBeInTheDocument();
    rerender(<Probe module={module} />);
    expect(importer).toHaveBeenCalledTimes(1);
  });

  it('says when a chunk failed, and tries again on the next load', async () => {
    const importer = vi
      .fn<() => Promise<{ text: string }>>()
      .mockRejectedValueOnce(new Error('Failed to fetch dynamically imported module'))
      .mockResolvedValueOnce({ text: 'second try' });
    const module = lazyModule(importer);
    render(<Probe module={module} />);
    expect(await screen.findByText('failed')).toBeInTheDocument();
    await expect(module.load()).resolves.toEqual({ text: 'second try' });
  });

  it('the error callout waits for its copy, and falls back to the error’s own words without it', async () => {
    vi.resetModules();
    vi.doMock('./error-copy', () => {
      throw new Error('Failed to fetch dynamically imported module');
    });
    const { ErrorCallout } = await import('./error-callout');
    const { container } = render(
      <ErrorCallout
        error={{ code: 'timeout', message: 'm', userMessage: 'The agent took too long.', retryable: true }}
        onRetry={() => undefined}
      />,
    );
    // Nothing half-said while the copy loads.
    expect(container.querySelector('[role="alert"]')).toBeNull();
    const alert = await screen.findByRole('alert');
    expect(alert).toHaveTextContent('The agent took too long.');
    expect(screen.getByRole('button', { name: 'Retry' })).toBeVisible();
  });

  it('uses a describeError label at once, without waiting for the built-in copy', async () => {
    vi.resetModules();
    const { ErrorCallout } = await import('./error-callout');
    render(
      <ErrorCallout
        error={{ code: 'timeout', message: 'm', userMessage: 'u' }}
        labels={{
          ...(await import('./labels')).defaultLabels,
          describeError: () => ({ title: 'Custom', advice: 'Wait.', action: 'none' }),
        }}
      />,
    );
    expect(screen.getByRole('alert')).toHaveTextContent('Custom');
  });
});
