/** The TestPanel bundle budget, min+gzip bytes. */
export declare const BUDGET_BYTES: number;
/** Bundles TestPanel + createClient as a host app would and measures it. */
export declare function measureTestPanelBundle(): Promise<{
  minifiedBytes: number;
  gzipBytes: number;
  includesClient: boolean;
  /** Modules that contribute bytes to the output. */
  inputs: string[];
  byArea: Record<string, number>;
}>;
