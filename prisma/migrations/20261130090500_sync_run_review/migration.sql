-- Mass-delete breaker (issue 13 part 2): what a full pass that stopped before deleting would remove,
-- and how the admin resolved it. A run in that state has status 'needs_review'.
ALTER TABLE "SyncRun" ADD COLUMN "review" JSONB;
