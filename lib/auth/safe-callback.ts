/** Only same-origin paths are followed after sign-in or sign-up (no open redirect). */
export function safeCallback(value: string | string[] | undefined, fallback = "/dashboard"): string {
  const candidate = Array.isArray(value) ? value[0] : value;
  return candidate && candidate.startsWith("/") && !candidate.startsWith("//") && !candidate.startsWith("/\\")
    ? candidate
    : fallback;
}
