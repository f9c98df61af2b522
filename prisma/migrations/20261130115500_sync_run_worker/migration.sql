-- Issue 16 §4: which worker last claimed a sync run, and when (scale-out evidence and operations).
ALTER TABLE "SyncRun" ADD COLUMN "workerId" TEXT;
ALTER TABLE "SyncRun" ADD COLUMN "claimedAt" TIMESTAMP(3);
