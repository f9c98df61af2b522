-- Waiters for OfficeRnD's token endpoint budget, shared by every app instance and worker (issue 11 part 5).
CREATE TABLE "TokenRequestTicket" (
    "id" TEXT NOT NULL,
    "priority" INTEGER NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "heartbeatAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "TokenRequestTicket_pkey" PRIMARY KEY ("id")
);

CREATE INDEX "TokenRequestTicket_heartbeatAt_idx" ON "TokenRequestTicket"("heartbeatAt");
