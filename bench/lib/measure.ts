// Timing and memory for the benchmark: wall time and the peak resident set size, sampled often.

export type MemorySampler = { stop: () => { peakRssBytes: number } };

export function sampleRss(intervalMs = 20): MemorySampler {
  let peak = process.memoryUsage.rss();
  const timer = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage.rss());
  }, intervalMs);
  timer.unref();
  return {
    stop: () => {
      clearInterval(timer);
      return { peakRssBytes: Math.max(peak, process.memoryUsage.rss()) };
    },
  };
}

export function mb(bytes: number): string {
  return `${(bytes / 1024 / 1024).toFixed(0)} MB`;
}

export function perSecond(records: number, ms: number): number {
  return Math.round(records / (ms / 1000));
}
