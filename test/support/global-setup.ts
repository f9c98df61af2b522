import type { TestProject } from "vitest/node";
import { ensureTemplate, ensureTestServer } from "./test-postgres.ts";

declare module "vitest" {
  // Declaration merging with vitest's own interface needs `interface`.
  // eslint-disable-next-line @typescript-eslint/consistent-type-definitions
  export interface ProvidedContext {
    testDatabaseAdminUrl: string;
    testDatabaseTemplate: string;
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const server = await ensureTestServer();
  project.provide("testDatabaseAdminUrl", server.adminUrl);
  project.provide("testDatabaseTemplate", await ensureTemplate(server.adminUrl));
  return server.stop;
}
