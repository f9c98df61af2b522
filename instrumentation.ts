// Runs once when a Next.js server starts: validate the configuration so a bad value stops start-up
// with one readable message instead of failing on the first request.
export async function register(): Promise<void> {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const { validateConfigurationOrExit } = await import("@/lib/startup");
  validateConfigurationOrExit();
}
