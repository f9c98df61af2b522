// Pure: is a state-changing request from our own pages? Browsers send Origin on every form POST
// (and Sec-Fetch-Site); either one naming another site is refused. The state cookie is SameSite=Lax,
// so a cross-site POST would lack it anyway: this is the second lock on the door.

type HeaderReader = { get(name: string): string | null };

export function isSameOriginRequest(headers: HeaderReader, appUrl: string): boolean {
  const origin = headers.get("origin");
  if (origin !== null) return origin === new URL(appUrl).origin;
  const site = headers.get("sec-fetch-site");
  return site === null || site === "same-origin" || site === "none";
}
