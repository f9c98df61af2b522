import type { EmulatorContext } from "../context";
import type { Organization } from "../data/dataset";
import { COMPANY_NOUNS, COMPANY_WORDS, FIRST_NAMES, LAST_NAMES, MEMBER_TAGS } from "../data/names";
import {
  createRecord,
  collectionOf,
  eventTypeOf,
  removeRecord,
  updateRecord,
  type EntityKind,
} from "./mutations";

export type ActivityChange = { eventType: string; kind: EntityKind; id: string };

// One cycle creates, updates and removes a member and a company; `count` changes walk the cycle.
const CYCLE: ReadonlyArray<readonly [EntityKind, "create" | "update" | "remove"]> = [
  ["members", "create"],
  ["members", "update"],
  ["companies", "create"],
  ["companies", "update"],
  ["members", "remove"],
  ["companies", "remove"],
];

const SAMPLE_TRIES = 25;

function choose<T>(random: () => number, items: readonly T[]): T {
  const item = items[Math.floor(random() * items.length)];
  if (item === undefined) throw new Error("choose from an empty list");
  return item;
}

/**
 * A random live record of the kind in one of the locations: sample generated ids, then fall back to a scan.
 */
function pickExisting(
  context: EmulatorContext,
  organization: Organization,
  kind: EntityKind,
  locations: ReadonlySet<string>,
): string | undefined {
  const { random } = context.state;
  const collection = collectionOf(organization, kind);
  const { source } = collection;
  for (let attempt = 0; attempt < SAMPLE_TRIES && source.count > 0; attempt += 1) {
    const record = collection.get(source.idOf(Math.floor(random() * source.count))) as
      { _id: string; location?: unknown } | undefined;
    if (record && locations.has(String(record.location))) return record._id;
  }
  return collection.scan({ locations }, { direction: "forward" }).next().value?._id;
}

function updatedFields({
  kind,
  random,
  nowIso,
}: {
  kind: EntityKind;
  random: () => number;
  nowIso: string;
}): Record<string, unknown> {
  const variant = Math.floor(random() * 3);
  if (kind === "members") {
    if (variant === 0)
      return { phone: `+44 7700 ${String(Math.floor(random() * 1_000_000)).padStart(6, "0")}` };
    if (variant === 1) return { tags: [choose(random, MEMBER_TAGS)] };
    return { name: `${choose(random, FIRST_NAMES)} ${choose(random, LAST_NAMES)}` };
  }
  if (variant === 0) return { description: `Updated at ${nowIso}` };
  if (variant === 1) return { tags: ["enterprise"] };
  return { email: `team.${Math.floor(random() * 1_000_000)}@companies.example` };
}

/**
 * Makes `count` changes in the organisation (restricted to `locationIds` when given), each of which
 * publishes its webhook event. Removals and updates fall back to creations when nothing is left.
 */
export function generateActivity(
  context: EmulatorContext,
  { organization, count, locationIds }: { organization: Organization; count: number; locationIds?: string[] },
): ActivityChange[] {
  const { random } = context.state;
  const allLocations = [...organization.locations.scan({}, { direction: "forward" })].map(
    (location) => location._id,
  );
  const locations = locationIds && locationIds.length > 0 ? locationIds : allLocations;
  const allowed = new Set(locations);
  const changes: ActivityChange[] = [];
  for (let step = 0; step < count; step += 1) {
    const entry = CYCLE[step % CYCLE.length];
    if (!entry) continue;
    const [kind, operation] = entry;
    const existing = operation === "create" ? undefined : pickExisting(context, organization, kind, allowed);
    if (existing && operation === "update") {
      updateRecord(context, {
        organization,
        kind,
        id: existing,
        fields: updatedFields({ kind, random, nowIso: context.clock.nowIso() }),
      });
      changes.push({ eventType: eventTypeOf(kind, "updated"), kind, id: existing });
      continue;
    }
    if (existing && operation === "remove") {
      removeRecord(context, { organization, kind, id: existing });
      changes.push({ eventType: eventTypeOf(kind, "removed"), kind, id: existing });
      continue;
    }
    const location = choose(random, locations);
    const name =
      kind === "members"
        ? `${choose(random, FIRST_NAMES)} ${choose(random, LAST_NAMES)}`
        : `${choose(random, COMPANY_WORDS)} ${choose(random, COMPANY_NOUNS)}`;
    const company =
      kind === "members"
        ? (pickExisting(context, organization, "companies", new Set([location])) ?? null)
        : undefined;
    const record = createRecord(context, {
      organization,
      kind,
      fields: { name, location, ...(company === undefined ? {} : { company }) },
    });
    changes.push({ eventType: eventTypeOf(kind, "created"), kind, id: record._id });
  }
  return changes;
}
