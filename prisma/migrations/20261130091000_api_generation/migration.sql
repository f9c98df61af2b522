-- Which OfficeRnD API generation (v1 or v2) an installation uses, why, and since when (issue 11).
ALTER TABLE "Installation" ADD COLUMN "apiGeneration" TEXT;
ALTER TABLE "Installation" ADD COLUMN "apiGenerationReason" TEXT;
ALTER TABLE "Installation" ADD COLUMN "apiGenerationDecidedAt" TIMESTAMP(3);
