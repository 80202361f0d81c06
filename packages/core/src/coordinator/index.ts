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
