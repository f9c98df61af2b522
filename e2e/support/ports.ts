// Ports and URLs of the servers the end-to-end run starts (overridable so runs can sit side by side).
export const APP_PORT = Number(process.env.E2E_APP_PORT ?? 3100);
export const EMULATOR_PORT = Number(process.env.E2E_EMULATOR_PORT ?? 4110);
export const APP_URL = `http://localhost:${APP_PORT}`;
export const EMULATOR_URL = `http://localhost:${EMULATOR_PORT}`;
export const DEMO_LOGIN = { email: "demo@example.com", password: "demo-password" };
export const LOG_DIR = `.data/test-results/e2e-${APP_PORT}`;
export const APP_LOG_FILE = `${LOG_DIR}/app.log`;
/** Requests per minute per organisation slug that the e2e app admits on public endpoints. */
export const E2E_ORG_RATE_LIMIT = 300;
/** The bearer token the e2e app requires on /api/metrics. */
export const E2E_METRICS_TOKEN = "e2e-metrics-token-0123456789";
