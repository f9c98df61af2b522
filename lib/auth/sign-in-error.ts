/** What the sign-in form says for next-auth's error: a throttled pair gets its own message with the wait. */
export function signInErrorMessage(error: string | null | undefined): string {
  const throttled = /^throttled:(\d+)$/.exec(error ?? "");
  if (!throttled) return "Wrong email or password. Please try again.";
  return `Too many failed sign-ins for this email from your network. Please wait ${describeWait(Number(throttled[1]))} and try again.`;
}

export function describeWait(seconds: number): string {
  if (seconds < 60) return `${seconds} second${seconds === 1 ? "" : "s"}`;
  const minutes = Math.ceil(seconds / 60);
  return `${minutes} minute${minutes === 1 ? "" : "s"}`;
}
