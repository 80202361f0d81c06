/** The TestPanel bundle budget, min+gzip bytes. */
export declare const BUDGET_BYTES: number;
/** Bundles TestPanel + createClient as a host app would and measures it. */
export declare function measureTestPanelBundle(): Promise<{
  minifiedBytes: number;
  gzipBytes: number;
  includesClient: boolean;
  /** Modules that contribute bytes to the initial chunk. */
  inputs: string[];
  /** The chunks loaded on demand (`import()`): file name, the modules in them, min+gzip bytes. */
  lazyChunks: { file: string; inputs: string[]; gzipBytes: number }[];
  byArea: Record<string, number>;
}>;
