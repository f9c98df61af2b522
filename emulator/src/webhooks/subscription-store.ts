import { randomBytes } from "node:crypto";
import { Collection } from "../data/collection";
import { emptySource } from "../data/record-source";

/** A webhook subscription of one organisation, as registered through API v1 or v2. */
export type WebhookSubscription = {
  _id: string;
  orgSlug: string;
  url: string;
  description: string;
  eventTypes: string[];
  secret: string;
  isEnabled: boolean;
  createdAt: string;
  /** The client and (Connect-flow) integration whose token registered it. */
  clientId: string;
  integrationId: string | null;
};

/** v2 shape (spec §3f, [REF-webhooks]). */
export function webhookV2Shape(webhook: WebhookSubscription) {
  return {
    _id: webhook._id,
    url: webhook.url,
    description: webhook.description,
    eventTypes: webhook.eventTypes,
    secret: webhook.secret,
    isEnabled: webhook.isEnabled,
  };
}

/** v1 shape: the legacy API calls the flag `enabled` (spec §3f, [EX-FLEX]). */
export function webhookV1Shape(webhook: WebhookSubscription) {
  return {
    _id: webhook._id,
    url: webhook.url,
    description: webhook.description,
    eventTypes: webhook.eventTypes,
    secret: webhook.secret,
    enabled: webhook.isEnabled,
  };
}

export class SubscriptionStore {
  private readonly byOrg = new Map<string, Collection<WebhookSubscription>>();

  /** The organisation's subscriptions as a pageable collection. */
  collection(orgSlug: string): Collection<WebhookSubscription> {
    let collection = this.byOrg.get(orgSlug);
    if (!collection) {
      collection = new Collection(emptySource<WebhookSubscription>());
      this.byOrg.set(orgSlug, collection);
    }
    return collection;
  }

  create(input: Omit<WebhookSubscription, "secret">): WebhookSubscription {
    const webhook = { ...input, secret: randomBytes(24).toString("hex") };
    this.collection(input.orgSlug).insert(webhook);
    return webhook;
  }

  list(orgSlug?: string): WebhookSubscription[] {
    const slugs = orgSlug === undefined ? [...this.byOrg.keys()] : [orgSlug];
    return slugs.flatMap((slug) => [...this.collection(slug).scan({}, { direction: "forward" })]);
  }

  find(id: string): WebhookSubscription | undefined {
    for (const collection of this.byOrg.values()) {
      const found = collection.get(id);
      if (found) return found;
    }
    return undefined;
  }
}
