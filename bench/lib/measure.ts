// Figures for the benchmarks' reports.

export function mb(bytes: number): string {
  return `${(bytes / 1024 / 1024).toFixed(0)} MB`;
}

export function perSecond(records: number, ms: number): number {
  return Math.round(records / (ms / 1000));
}
