import { Clock } from "./clock";
import { createDataset, type Dataset, type DatasetSize, type Organization } from "./data/dataset";
import { IdFactory } from "./data/object-id";
import { createRandom } from "./data/prng";
import { FaultStore } from "./http/faults";
import { RateLimiter } from "./http/rate-limiter";
import { RequestLog } from "./http/request-log";
import { IntegrationStore } from "./integrations/integration-store";
import { TokenStore } from "./oauth/token-store";
import { pickRuntimeConfig, type EmulatorOptions, type RuntimeConfig } from "./options";
import { profileBehaviour, type ProfileBehaviour } from "./profiles";
import { WebhookDispatcher } from "./webhooks/dispatcher";
import { SubscriptionStore } from "./webhooks/subscription-store";

/** Everything a reset throws away and rebuilds. */
export type EmulatorState = {
  dataset: Dataset;
  ids: IdFactory;
  tokens: TokenStore;
  integrations: IntegrationStore;
  webhooks: SubscriptionStore;
  dispatcher: WebhookDispatcher;
  tokenLimiter: RateLimiter;
  readLimiter: RateLimiter;
  writeLimiter: RateLimiter;
  /** Drives generated activity, seeded so a run of activity is reproducible. */
  random: () => number;
  /** Webhook deliveries still to drop (POST /_emulator/webhook-drops); Infinity = every one, 0 = none. */
  webhookDrops: number;
  /** Requests answered as OfficeRnD since the last reset (GET /_emulator/requests). */
  requests: RequestLog;
};

export type EmulatorContext = {
  readonly options: EmulatorOptions;
  config: RuntimeConfig;
  readonly clock: Clock;
  readonly faults: FaultStore;
  /** The emulator's base URL as the app and browsers see it; also the organisations' regionUrl. */
  readonly publicUrl: string;
  /** The second listener (the `region` profile's region host): its base URL and local port. */
  readonly region: { url: string; port: number };
  state: EmulatorState;
};

function createState(context: Omit<EmulatorContext, "state">, size: DatasetSize): EmulatorState {
  const { clock } = context;
  const ids = new IdFactory();
  const webhooks = new SubscriptionStore();
  const nowMs = () => clock.nowMs();
  const state: EmulatorState = {
    dataset: createDataset(size),
    ids,
    requests: new RequestLog(),
    tokens: new TokenStore(nowMs),
    integrations: new IntegrationStore(),
    webhooks,
    dispatcher: new WebhookDispatcher({
      clock,
      config: () => context.config,
      subscriptions: (orgSlug) => webhooks.list(orgSlug),
      findSubscription: (id) => webhooks.find(id),
      newId: () => ids.next(clock.nowSeconds()),
      takeDrop: () => {
        if (state.webhookDrops <= 0) return false;
        state.webhookDrops -= 1;
        return true;
      },
    }),
    tokenLimiter: new RateLimiter(() => context.config.tokenRateLimit, nowMs),
    readLimiter: new RateLimiter(() => context.config.readRateLimit, nowMs),
    writeLimiter: new RateLimiter(() => context.config.writeRateLimit, nowMs),
    random: createRandom(size.seed),
    webhookDrops: 0,
  };
  return state;
}

export function createContext(
  options: EmulatorOptions,
  publicUrl: string,
  region: { url: string; port: number } = { url: publicUrl, port: -1 },
): EmulatorContext {
  const base = {
    options,
    config: pickRuntimeConfig(options),
    clock: new Clock(),
    faults: new FaultStore(),
    publicUrl,
    region,
  };
  const context = base as EmulatorContext;
  context.state = createState(context, options);
  return context;
}

/**
 * Back to start-up state (data, tokens, integrations, webhooks, faults, clock, config), optionally re-sized.
 */
export function resetContext(context: EmulatorContext, size: Partial<DatasetSize> = {}): void {
  context.state.dispatcher.stop();
  context.clock.reset();
  context.faults.clear();
  context.config = pickRuntimeConfig(context.options);
  const { seed, members, companies, locations } = context.options;
  context.state = createState(context, { seed, members, companies, locations, ...size });
}

export function newId(context: EmulatorContext): string {
  return context.state.ids.next(context.clock.nowSeconds());
}

export function findOrganization(context: EmulatorContext, slug: string): Organization | undefined {
  return context.state.dataset.organizations.get(slug);
}

/** What the current profile changes (src/profiles.ts). */
export function profile(context: EmulatorContext): ProfileBehaviour {
  return profileBehaviour(context.config.profile);
}

/**
 * The organisations' `regionInfo.regionUrl`: the second listener under the `region` profile, else the public
 * URL.
 */
export function regionUrlOf(context: EmulatorContext): string {
  return profile(context).separateRegion ? context.region.url : context.publicUrl;
}
