// Stopping what an orchestrator (npm run dev, npm test) started: signal handling that survives the same
// Ctrl-C arriving several times, stages stopped in order with a deadline each, and a final sweep that
// SIGKILLs any process still carrying this run's tag (children re-parented to init included).
import { readdirSync, readFileSync } from "node:fs";
import { randomBytes } from "node:crypto";

/** Every process an orchestrator starts inherits this variable; it lists the tags of all enclosing runs. */
export const RUN_TAG_ENV = "OFFICERND_RUN_TAG";

/** A terminal's Ctrl-C reaches npm, the shell and us at once, and npm forwards it again: one press. */
export const DUPLICATE_SIGNAL_MS = 1_000;

/** Claims a tag for this run and exports it to every child started from now on. */
export function claimRunTag(): string {
  const tag = `run-${process.pid}-${randomBytes(4).toString("hex")}`;
  const outer = process.env[RUN_TAG_ENV];
  process.env[RUN_TAG_ENV] = outer ? `${outer},${tag}` : tag;
  return tag;
}

type Tagged = { pid: number; isOwnHelper: boolean };

function statFields(pid: number | "self"): string[] {
  const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  return stat.slice(stat.lastIndexOf(")") + 2).split(" "); // state, ppid, pgrp, …
}

function listTagged(tag: string): Tagged[] {
  let entries: string[];
  try {
    entries = readdirSync("/proc");
  } catch {
    return [];
  }
  const needle = new RegExp(`(?:^|\\0)${RUN_TAG_ENV}=(?:[^\\0]*,)?${tag}(?:,|\\0|$)`);
  const ownGroup = statFields("self")[2];
  const found: Tagged[] = [];
  for (const entry of entries) {
    const pid = Number(entry);
    if (!Number.isInteger(pid) || pid === process.pid) continue;
    try {
      const [state, ppid, pgrp] = statFields(pid);
      if (state === "Z") continue; // exited, awaiting its parent
      if (!needle.test(readFileSync(`/proc/${pid}/environ`, "latin1"))) continue;
      // A helper of this very process (tsx's esbuild service) goes when we exit; not a leftover.
      found.push({ pid, isOwnHelper: Number(ppid) === process.pid && pgrp === ownGroup });
    } catch {
      // gone meanwhile, or not ours to read
    }
  }
  return found;
}

/** Pids of live processes (other than this one) whose environment carries `tag`. Linux only; else []. */
export function findTaggedProcesses(tag: string): number[] {
  return listTagged(tag).map(({ pid }) => pid);
}

/** SIGKILLs every process still carrying `tag`; returns how many there were, this process's helpers aside. */
export function killTagged(tag: string): number {
  const tagged = listTagged(tag);
  for (const { pid } of tagged) {
    try {
      process.kill(pid, "SIGKILL");
    } catch {
      // already gone
    }
  }
  return tagged.filter(({ isOwnHelper }) => !isOwnHelper).length;
}

/**
 * Calls `stop` on the first SIGINT/SIGTERM/SIGHUP and `force` on a later one. Repeats within
 * DUPLICATE_SIGNAL_MS of the first are the same keypress delivered to several processes of the group
 * (or forwarded by npm) and are ignored, so the orchestrator is never killed half-way by its own default
 * handler.
 */
export function onStopSignals(
  stop: (signal: NodeJS.Signals) => void,
  force: (signal: NodeJS.Signals) => void,
): void {
  let firstAt: number | undefined;
  const handle = (signal: NodeJS.Signals) => {
    if (firstAt === undefined) {
      firstAt = Date.now();
      stop(signal);
    } else if (Date.now() - firstAt >= DUPLICATE_SIGNAL_MS) {
      force(signal);
    }
  };
  for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"] as const) process.on(signal, handle);
}

export type Stoppable = { name: string; stop: () => Promise<void>; kill: () => void };

/** Stops each stage's members together, stage after stage; a stage that throws does not block the next. */
export async function stopInOrder(stages: Stoppable[][], log: (line: string) => void): Promise<void> {
  for (const stage of stages) {
    await Promise.all(
      stage.map((member) =>
        member.stop().catch((error: unknown) => {
          log(
            `${member.name} did not stop cleanly: ${error instanceof Error ? error.message : String(error)}`,
          );
          member.kill();
        }),
      ),
    );
  }
}

/** Resolves after `ms`, without keeping the process alive. */
export function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}
