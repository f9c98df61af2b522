import { z } from "zod";

// Per-location sync settings, stored as JSON in `InstallationLocation.settings`. The configuration page
// edits them with `locationSettingsSchema`; the sync engine reads them with `parseLocationSettings`,
// which never fails (a bad stored value falls back to the defaults field by field).

/** OfficeRnD member statuses (spec §4, members filter `status`). */
export const MEMBER_STATUSES = [
  "active",
  "former",
  "pending",
  "contact",
  "not_approved",
  "drop-in",
  "lead",
] as const;
export type MemberStatus = (typeof MEMBER_STATUSES)[number];

export const DEFAULT_LOCATION_SETTINGS = {
  syncMembers: true,
  syncCompanies: true,
  memberStatuses: ["active"] as MemberStatus[],
};

export const locationSettingsSchema = z.object({
  syncMembers: z.boolean().default(DEFAULT_LOCATION_SETTINGS.syncMembers),
  syncCompanies: z.boolean().default(DEFAULT_LOCATION_SETTINGS.syncCompanies),
  /** Which member statuses to copy; members in other statuses are left out (and removed if present). */
  memberStatuses: z
    .array(z.enum(MEMBER_STATUSES))
    .min(1, "Choose at least one member status")
    .transform((statuses) => [...new Set(statuses)])
    .default(DEFAULT_LOCATION_SETTINGS.memberStatuses),
});

export type LocationSettings = z.infer<typeof locationSettingsSchema>;

/** Lenient read of a stored value: each field that is missing or invalid takes its default. */
export function parseLocationSettings(value: unknown): LocationSettings {
  const input =
    typeof value === "object" && value !== null && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : {};
  const field = <K extends keyof LocationSettings>(key: K): LocationSettings[K] => {
    const parsed = locationSettingsSchema.shape[key].safeParse(input[key]);
    return (parsed.success ? parsed.data : DEFAULT_LOCATION_SETTINGS[key]) as LocationSettings[K];
  };
  return {
    syncMembers: field("syncMembers"),
    syncCompanies: field("syncCompanies"),
    memberStatuses: field("memberStatuses"),
  };
}
