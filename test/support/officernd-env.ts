// Points the app's configuration at a freshly started emulator (env() is cached, so reset it).
export async function useOfficeRnd(url: string): Promise<void> {
  process.env.OFFICERND_IDENTITY_URL = url;
  process.env.OFFICERND_APP_URL = url;
  const { resetEnvForTests } = await import("@/lib/env");
  resetEnvForTests();
}
