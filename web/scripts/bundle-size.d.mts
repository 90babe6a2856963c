export declare const JS_BUDGET_GZIP_BYTES: number;
export declare function measureBundle(dist: string): { files: { name: string; bytes: number; gzip: number }[]; totalGzip: number };
