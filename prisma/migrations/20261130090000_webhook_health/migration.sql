-- Webhook delivery health per installation (issue 13 part 3): what the periodic gap check found, when,
-- and the state of our subscription at OfficeRnD.
CREATE TABLE "WebhookHealth" (
    "installationId" TEXT NOT NULL,
    "checkedThrough" JSONB NOT NULL DEFAULT '{}',
    "lastCheckAt" TIMESTAMP(3),
    "lastCheckError" TEXT,
    "missedChanges" INTEGER NOT NULL DEFAULT 0,
    "hasMoreMissed" BOOLEAN NOT NULL DEFAULT false,
    "missedSince" TIMESTAMP(3),
    "lastGapAt" TIMESTAMP(3),
    "lastGapMessage" TEXT,
    "totalMissed" INTEGER NOT NULL DEFAULT 0,
    "healRunIds" TEXT[],
    "subscriptionCheckedAt" TIMESTAMP(3),
    "subscriptionMissingSince" TIMESTAMP(3),
    "subscriptionRecreatedAt" TIMESTAMP(3),
    "subscriptionError" TEXT,
    "updatedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "WebhookHealth_pkey" PRIMARY KEY ("installationId")
);

ALTER TABLE "WebhookHealth" ADD CONSTRAINT "WebhookHealth_installationId_fkey" FOREIGN KEY ("installationId") REFERENCES "Installation"("id") ON DELETE CASCADE ON UPDATE CASCADE;
CREATE INDEX "WebhookHealth_lastCheckAt_idx" ON "WebhookHealth"("lastCheckAt");
