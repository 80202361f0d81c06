import { AgentryError } from '@agentry/core';
import { render, screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { ErrorCallout } from './error-callout';

describe('ErrorCallout for budget_exceeded', () => {
  it('says when the budget resets, in the reader locale, and offers no Retry', () => {
    const resetsAt = '2026-01-16T00:00:00.000Z';
    const error = new AgentryError('budget_exceeded', 'Budget spent.', { resetsAt }).toJSON();
    render(<ErrorCallout error={error} onRetry={() => {}} />);
    const when = new Date(resetsAt).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });
    expect(screen.getByText(`It resets ${when}. Mock runs still work.`)).toBeInTheDocument();
    expect(screen.getByRole('alert').getAttribute('data-family')).toBe('limit');
    expect(screen.queryByRole('button', { name: 'Retry' })).not.toBeInTheDocument();
  });

  it('still says mock runs work when the reset time is unknown', () => {
    const error = new AgentryError('budget_exceeded', 'Budget spent.').toJSON();
    render(<ErrorCallout error={error} />);
    expect(screen.getByText('Mock runs still work.')).toBeInTheDocument();
  });
});
