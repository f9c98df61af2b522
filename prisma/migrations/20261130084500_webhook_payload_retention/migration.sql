-- Webhook payloads of processed events are dropped after WEBHOOK_PAYLOAD_RETENTION_DAYS (issue 12
-- item 8): the row stays (ids, type, times, outcome), its payload becomes NULL.
ALTER TABLE "WebhookEvent" ALTER COLUMN "payload" DROP NOT NULL;
