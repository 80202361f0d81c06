export type { BudgetWindowBounds } from './budget-window';
export { budgetExceededError, budgetWindowBounds, checkBudget } from './budget-window';
export type {
  Budget,
  BudgetWindow,
  Coordinator,
  ExecutionEventEntry,
  InterruptedRun,
  Lease,
  LeaseRequest,
  RunningExecution,
  Settlement,
  Spend,
} from './coordinator';
export type { LocalEventLog, LocalLeases, MemoryCoordinatorOptions, OpenLocalEventLog } from './memory-coordinator';
export { createMemoryCoordinator, localEventLogs, localLeases } from './memory-coordinator';
