import { nestError } from "../http/errors";
import { isEventType } from "../webhooks/event-types";

export type WebhookInput = { url: string; eventTypes: string[]; description: string; isEnabled: boolean };

function isHttpUrl(value: unknown): value is string {
  if (typeof value !== "string") return false;
  try {
    const url = new URL(value);
    return url.protocol === "http:" || url.protocol === "https:";
  } catch {
    return false;
  }
}

/**
 * Validates a webhook registration body the way a NestJS ValidationPipe would, collecting every
 * message. v1 names the flag `enabled`, v2 `isEnabled` (spec §3f); both default to on.
 */
export function parseWebhookBody(
  body: unknown,
  { enabledField }: { enabledField: "enabled" | "isEnabled" },
): WebhookInput {
  const fields =
    typeof body === "object" && body !== null && !Array.isArray(body)
      ? (body as Record<string, unknown>)
      : {};
  const errors: string[] = [];
  if (!isHttpUrl(fields.url)) errors.push("url must be a URL address");
  const eventTypes = fields.eventTypes;
  if (!Array.isArray(eventTypes) || eventTypes.length === 0)
    errors.push("eventTypes must contain at least 1 elements");
  else
    eventTypes.forEach((type, index) =>
      typeof type === "string" && isEventType(type)
        ? undefined
        : errors.push(`eventTypes.${index} must be a valid event type`),
    );
  if (fields.description !== undefined && typeof fields.description !== "string")
    errors.push("description must be a string");
  const enabled = fields[enabledField];
  if (enabled !== undefined && typeof enabled !== "boolean")
    errors.push(`${enabledField} must be a boolean value`);
  if (errors.length > 0) throw nestError(400, errors);
  return {
    url: fields.url as string,
    eventTypes: [...new Set(eventTypes as string[])],
    description: (fields.description as string | undefined) ?? "",
    isEnabled: (enabled as boolean | undefined) ?? true,
  };
}
