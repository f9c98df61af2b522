-- Issue 12 item 1: UsedSignature becomes the ledger of every accepted signed-request signature, on
-- every signed route; it records which route saw a signature first, and when.
ALTER TABLE "UsedSignature" ADD COLUMN "route" TEXT;
ALTER TABLE "UsedSignature" ADD COLUMN "seenAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP;
