// The accessibility check every UI spec runs: axe over the page, serious or critical findings fail.
import AxeBuilder from "@axe-core/playwright";
import { expect, type Page } from "@playwright/test";

/**
 * Logs every finding with its nodes and fails on serious or critical ones. `soft`: the test goes on (and
 * still takes its screenshots) but fails at the end.
 */
export async function expectNoSeriousAxeViolations(
  page: Page,
  name: string,
  { soft = false }: { soft?: boolean } = {},
): Promise<void> {
  const results = await new AxeBuilder({ page }).analyze();
  const blocking = results.violations.filter(
    (violation) => violation.impact === "serious" || violation.impact === "critical",
  );
  const described = results.violations.map(
    (violation) =>
      `${violation.id} (${violation.impact}: ${violation.nodes.map((node) => node.target.join(" ")).join("; ")})`,
  );
  console.log(
    `axe ${name}: ${results.passes.length} rules pass, violations: ${described.join(", ") || "none"}`,
  );
  (soft ? expect.soft : expect)(
    blocking.map((violation) => violation.id),
    `axe ${name}`,
  ).toEqual([]);
}
