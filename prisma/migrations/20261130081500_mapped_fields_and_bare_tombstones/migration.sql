-- Field mapping (issue 17): the partner's record as the location's mapping makes it, next to the raw
-- OfficeRnD document in "data". "name" and "email" hold the mapped values; "mapped" the whole record.
ALTER TABLE "Member" ADD COLUMN "mapped" JSONB;
ALTER TABLE "Company" ADD COLUMN "mapped" JSONB;

-- Tombstones keep only ids and times (issue 12 item 8): clear what earlier code kept.
UPDATE "Member" SET "name" = '', "email" = NULL, "status" = NULL,
  "data" = jsonb_build_object('_id', "remoteId", 'modifiedAt', "data"->'modifiedAt')
WHERE "deletedAt" IS NOT NULL;
UPDATE "Company" SET "name" = '', "email" = NULL, "status" = NULL,
  "data" = jsonb_build_object('_id', "remoteId", 'modifiedAt', "data"->'modifiedAt')
WHERE "deletedAt" IS NOT NULL;
UPDATE "SyncedLocation" SET "name" = '',
  "data" = jsonb_build_object('_id', "remoteId", 'modifiedAt', "data"->'modifiedAt')
WHERE "deletedAt" IS NOT NULL;
