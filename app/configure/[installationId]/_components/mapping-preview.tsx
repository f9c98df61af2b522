"use client";

import { useEffect, useRef, useState, useTransition, type RefObject } from "react";
import type { PartnerCompany, PartnerMember } from "@/lib/sync/field-mapping";
import type { MappingPreview as Preview, MappingSample } from "@/lib/configuration/preview-mapping";
import { previewMapping } from "../actions";

const DEBOUNCE_MS = 400;

/**
 * Three real records of the location before and after the mapping in the form, refreshed as the
 * admin changes it (read from our copy on the server; OfficeRnD is not called).
 */
export function MappingPreview({
  installationId,
  locationId,
  formRef,
  isOpen,
}: {
  installationId: string;
  locationId: string;
  formRef: RefObject<HTMLFormElement | null>;
  isOpen: boolean;
}) {
  const [preview, setPreview] = useState<Preview | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [isLoading, startLoading] = useTransition();
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);

  useEffect(() => {
    const form = formRef.current;
    if (!isOpen || !form) return;
    const load = () => {
      startLoading(async () => {
        const result = await previewMapping(installationId, locationId, new FormData(form));
        if (result.ok) {
          setPreview(result.data);
          setProblem(null);
        } else {
          setProblem(result.error);
        }
      });
    };
    const onChange = (event: Event) => {
      const name = (event.target as HTMLInputElement | null)?.name ?? "";
      if (!name.startsWith("member.") && !name.startsWith("company.")) return;
      clearTimeout(timer.current);
      timer.current = setTimeout(load, DEBOUNCE_MS);
    };
    load();
    form.addEventListener("input", onChange);
    form.addEventListener("change", onChange);
    return () => {
      clearTimeout(timer.current);
      form.removeEventListener("input", onChange);
      form.removeEventListener("change", onChange);
    };
  }, [formRef, installationId, locationId, isOpen]);

  if (!isOpen) return null;
  return (
    <section
      aria-label="Preview of the mapping"
      className="space-y-2 px-3 pb-3"
      data-testid="mapping-preview"
      aria-busy={isLoading}
    >
      <h4 className="text-sm font-semibold">Preview with three of your records</h4>
      {problem ? <p className="text-xs text-red-700">{problem}</p> : null}
      {!preview ? (
        <p className="text-xs text-slate-600">Loading records…</p>
      ) : preview.members.length === 0 && preview.companies.length === 0 ? (
        <p className="text-xs text-slate-600">
          No records of this location are held yet: sync it first to preview the mapping.
        </p>
      ) : (
        <>
          <Samples title="Members" samples={preview.members} describe={describeMember} />
          <Samples title="Companies" samples={preview.companies} describe={describeCompany} />
        </>
      )}
    </section>
  );
}

function Samples<T>({
  title,
  samples,
  describe,
}: {
  title: string;
  samples: MappingSample<T>[];
  describe: (record: T) => string;
}) {
  if (samples.length === 0) return null;
  return (
    <div>
      <h5 className="text-xs font-semibold uppercase tracking-wide text-slate-600">{title}</h5>
      <ol className="mt-1 space-y-1.5 text-xs">
        {samples.map((sample) => (
          <li
            key={sample.remoteId}
            className="rounded bg-slate-50 p-2 ring-1 ring-slate-200"
            data-testid="mapping-sample"
          >
            <p>
              <span className="font-semibold">Before:</span>{" "}
              <span data-testid="sample-before">{describe(sample.before)}</span>
            </p>
            <p>
              <span className="font-semibold">After:</span>{" "}
              <span data-testid="sample-after">{describe(sample.after)}</span>
            </p>
            <p className="text-slate-600">
              {sample.changedFields.length === 0
                ? "No change"
                : `Changes: ${sample.changedFields.join(", ")}`}
            </p>
          </li>
        ))}
      </ol>
    </div>
  );
}

function describeMember(member: PartnerMember): string {
  return [
    member.name || "(no name)",
    member.email ?? "no email",
    member.company ?? "no company",
    tagsOf(member.tags),
    propertiesOf(member.properties),
  ]
    .filter(Boolean)
    .join(" · ");
}

function describeCompany(company: PartnerCompany): string {
  return [
    company.name || "(no name)",
    company.email ?? "no email",
    tagsOf(company.tags),
    propertiesOf(company.properties),
  ]
    .filter(Boolean)
    .join(" · ");
}

function tagsOf(tags: string[]): string {
  return tags.length === 0 ? "no tags" : `tags: ${tags.join(", ")}`;
}

function propertiesOf(properties: Record<string, unknown>): string {
  const entries = Object.entries(properties);
  return entries.length === 0
    ? ""
    : entries
        .map(([key, value]) => `${key}=${typeof value === "string" ? value : JSON.stringify(value)}`)
        .join(", ");
}
