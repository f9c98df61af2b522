// Pure: may an organisation's `regionInfo.regionUrl` be trusted? It receives the organisation's bearer
// token and the popup's return link, so it must be https and a host in OFFICERND_REGION_HOSTS (default
// `*.officernd.com`). OFFICERND_APP_URL's host is trusted too, with its scheme: the emulator's http.

export type RegionCheck = { ok: true; regionUrl: string } | { ok: false; problem: string };

export function hostMatches(hostname: string, pattern: string): boolean {
  const host = hostname.toLowerCase();
  if (pattern.startsWith("*.")) return host.endsWith(pattern.slice(1)) && host.length > pattern.length - 1;
  return host === pattern;
}

export function checkRegionUrl(
  regionUrl: string,
  config: { officerndAppUrl: string; regionHosts: readonly string[] },
): RegionCheck {
  let url: URL;
  try {
    url = new URL(regionUrl);
  } catch {
    return { ok: false, problem: "not a URL" };
  }
  if (url.username || url.password || url.search || url.hash)
    return { ok: false, problem: "carries credentials, a query or a fragment" };
  const officernd = new URL(config.officerndAppUrl);
  const isOfficerndHost = url.hostname === officernd.hostname;
  if (!isOfficerndHost && !config.regionHosts.some((pattern) => hostMatches(url.hostname, pattern))) {
    return { ok: false, problem: `host ${url.hostname} is not in OFFICERND_REGION_HOSTS` };
  }
  const allowsHttp = isOfficerndHost && officernd.protocol === "http:";
  if (url.protocol !== "https:" && !(allowsHttp && url.protocol === "http:"))
    return { ok: false, problem: `scheme ${url.protocol} is not https` };
  return { ok: true, regionUrl: `${url.origin}${url.pathname}`.replace(/\/+$/, "") };
}
