import { AgentryError } from '@agentry/core';
import { render, screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { ErrorCallout } from './error-callout';

describe('ErrorCallout for budget_exceeded', () => {
  it('says when the budget resets, in the reader locale', () => {
    const resetsAt = '2026-01-16T00:00:00.000Z';
    const error = new AgentryError('budget_exceeded', 'Budget spent.', { resetsAt }).toJSON();
    render(<ErrorCallout error={error} />);
    const when = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' }).format(
      new Date(resetsAt),
    );
    expect(screen.getByText(`The budget resets ${when}.`)).toBeInTheDocument();
    expect(screen.getByRole('alert').getAttribute('data-family')).toBe('limit');
  });

  it('keeps the family advice when the reset time is unknown', () => {
    const error = new AgentryError('budget_exceeded', 'Budget spent.').toJSON();
    render(<ErrorCallout error={error} />);
    expect(screen.getByText('Wait a moment, then retry.')).toBeInTheDocument();
  });
});
