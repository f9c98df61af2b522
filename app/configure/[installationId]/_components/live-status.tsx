"use client";

import { useRouter } from "next/navigation";
import { createContext, useContext, useEffect, useRef, useState, type ReactNode } from "react";
import { pollDelayMs, toDate, type LiveLocation, type LiveStatus } from "@/lib/configuration/live-status";

// Keeps the configuration page live: while the page is visible it polls one status route (quicker
// while a run moves) and hands the snapshot to the live leaves (header health, location summaries,
// progress, runs, events). When something the server renders changes (Sync on in OfficeRnD, a
// removal, settings saved elsewhere), it asks for a fresh server render.

type Live = { status: LiveStatus; now: Date; isStale: boolean };

const LiveContext = createContext<Live | null>(null);

export function LiveStatusProvider({
  installationId,
  isPartnerView = false,
  initial,
  children,
}: {
  installationId: string;
  /** Opened from the dashboard (`?as=partner`): the status route reads with the same credential. */
  isPartnerView?: boolean;
  initial: LiveStatus;
  children: ReactNode;
}) {
  const router = useRouter();
  const [status, setStatus] = useState(initial);
  const [isStale, setStale] = useState(false);
  const latest = useRef(initial);

  // A fresh server render (after a save, or a refresh asked for below) brings a newer snapshot.
  useEffect(() => {
    if (initial.now > latest.current.now) {
      latest.current = initial;
      setStatus(initial);
    }
  }, [initial]);

  useEffect(() => {
    const url = `/api/configure/${encodeURIComponent(installationId)}/status${isPartnerView ? "?as=partner" : ""}`;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let isStopped = false;
    let inFlight = false;

    const schedule = (delay: number) => {
      clearTimeout(timer);
      if (!isStopped && document.visibilityState === "visible") timer = setTimeout(() => void poll(), delay);
    };
    const poll = async () => {
      if (inFlight || isStopped) return;
      inFlight = true;
      try {
        const response = await fetch(url, { cache: "no-store" });
        if (response.status === 401 || response.status === 403) {
          // The session ended: polling cannot recover, opening the page from OfficeRnD again can.
          setStale(true);
          isStopped = true;
          return;
        }
        if (response.ok) {
          const next = (await response.json()) as LiveStatus;
          const previous = latest.current;
          if (next.now >= previous.now) {
            latest.current = next;
            setStatus(next);
            if (next.fingerprint !== previous.fingerprint) router.refresh();
          }
        }
      } catch {
        // A network blip: the next tick tries again.
      } finally {
        inFlight = false;
        schedule(pollDelayMs(latest.current));
      }
    };
    const onVisibility = () => {
      if (document.visibilityState === "visible") void poll();
      else clearTimeout(timer);
    };
    document.addEventListener("visibilitychange", onVisibility);
    schedule(pollDelayMs(latest.current));
    return () => {
      isStopped = true;
      clearTimeout(timer);
      document.removeEventListener("visibilitychange", onVisibility);
    };
  }, [isPartnerView, installationId, router]);

  return (
    <LiveContext.Provider value={{ status, now: toDate(status.now) ?? new Date(0), isStale }}>
      {children}
    </LiveContext.Provider>
  );
}

export function useLive(): Live {
  const live = useContext(LiveContext);
  if (!live) throw new Error("useLive() outside LiveStatusProvider");
  return live;
}

export function useLiveLocation(locationId: string): LiveLocation | null {
  return useLive().status.locations.find((location) => location.locationId === locationId) ?? null;
}
