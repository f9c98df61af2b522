-- Issue 13 part 1: refused signed GETs, bounded per installation and per slug, for the signature explainer.
CREATE TABLE "RefusedSignedCall" (
    "id" TEXT NOT NULL,
    "installationId" TEXT,
    "orgSlug" TEXT,
    "route" TEXT NOT NULL,
    "reason" TEXT NOT NULL,
    "clockSkewSeconds" INTEGER,
    "candidates" JSONB NOT NULL DEFAULT '[]',
    "nearMiss" TEXT,
    "matchedFingerprint" TEXT,
    "isAuthentic" BOOLEAN NOT NULL DEFAULT false,
    "signedKeys" TEXT[],
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "RefusedSignedCall_pkey" PRIMARY KEY ("id")
);

CREATE INDEX "RefusedSignedCall_installationId_createdAt_idx" ON "RefusedSignedCall"("installationId", "createdAt");
CREATE INDEX "RefusedSignedCall_orgSlug_createdAt_idx" ON "RefusedSignedCall"("orgSlug", "createdAt");
