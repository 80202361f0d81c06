import { defaultLabels, type TestPanelLabels } from '../labels';
import { defaultHistoryLabels, type HistoryLabels } from './history-labels';

/** What the history and the compare view read: their own strings and a few of the panel's. */
export type HistoryViewLabels = HistoryLabels & Pick<TestPanelLabels, 'mock' | 'live' | 'metrics'>;

/** The panel's labels with the history's defaults under them (they live in this lazy chunk). */
export function historyViewLabels(labels: TestPanelLabels = defaultLabels): HistoryViewLabels {
  return { ...defaultHistoryLabels, ...labels } as HistoryViewLabels;
}
