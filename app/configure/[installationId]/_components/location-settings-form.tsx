"use client";

import { startTransition, useActionState, useEffect, useId, useRef, useState, type FormEvent } from "react";
import { Button } from "@/components/ui/button";
import { errorId, FieldError, FieldHint, INPUT_CLASS } from "@/components/ui/field";
import type { FieldMapping } from "@/lib/configuration/field-mapping";
import {
  COMPANY_FIELD_SOURCES,
  formatPropertyList,
  MEMBER_FIELD_SOURCES,
  OFFERED_MEMBER_STATUSES,
  SOURCE_LABELS,
  STATUS_LABELS,
} from "@/lib/configuration/form-options";
import type { FieldErrors } from "@/lib/configuration/validated-action";
import type { LocationSettings } from "@/lib/sync/location-settings";
import { saveLocationSettings } from "../actions";
import { useLiveLocation } from "./live-status";

type Props = {
  installationId: string;
  locationId: string;
  locationName: string;
  isSyncing: boolean;
  settings: LocationSettings;
  fieldMapping: FieldMapping;
  canEdit: boolean;
};

const MAPPING_FIELDS = [
  "member.name",
  "member.email",
  "member.company",
  "member.tags",
  "member.properties",
  "company.name",
  "company.email",
  "company.tags",
  "company.properties",
];

/** A location's sync switch, scope and field mapping; saved together, validated on the server. */
export function LocationSettingsForm({ installationId, locationId, locationName, isSyncing, settings, fieldMapping, canEdit }: Props) {
  const [state, formAction, isPending] = useActionState(saveLocationSettings.bind(null, installationId, locationId), null);
  const id = useId();
  const errors: FieldErrors = state && !state.ok ? state.fieldErrors : {};
  const hasMappingError = MAPPING_FIELDS.some((field) => errors[field]);
  // Open when the admin opened it, and always while one of its fields has an error.
  const [isMappingOpen, setMappingOpen] = useState(false);
  const formRef = useRef<HTMLFormElement>(null);
  const statusRef = useRef<HTMLParagraphElement>(null);
  const isRunActive = useLiveLocation(locationId)?.progress?.group === "active";

  // After a refused save, the first invalid field takes focus (and scrolls into view): in the popup the
  // message would otherwise sit screens away from the field. Other failures focus the message itself.
  useEffect(() => {
    if (!state || state.ok) return;
    const invalid = formRef.current?.querySelector<HTMLElement>('[aria-invalid="true"]');
    const target = invalid ?? statusRef.current;
    target?.focus();
    target?.scrollIntoView({ block: "center" });
  }, [state]);

  // Submitting through a transition keeps what was typed (a form action would reset the fields),
  // so an invalid entry stays visible next to its message. Without JavaScript, `action` still posts.
  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const formData = new FormData(event.currentTarget);
    startTransition(() => formAction(formData));
  }

  const describedBy = (field: string) => (errors[field] ? { "aria-describedby": errorId(`${id}-${field}`) } : {});

  return (
    <form ref={formRef} action={formAction} onSubmit={onSubmit} noValidate aria-label={`Settings for ${locationName}`}>
      <fieldset disabled={!canEdit || isPending} className="space-y-4">
        <label className="flex items-center gap-3 rounded-md bg-slate-50 p-3 ring-1 ring-slate-200">
          <input type="checkbox" name="syncEnabled" defaultChecked={isSyncing} className="size-5 accent-brand-600" />
          <span>
            <span className="block text-sm font-semibold">Sync {locationName}</span>
            <span className="block text-xs text-slate-600">Copy this location&apos;s data to your account and keep it up to date.</span>
          </span>
        </label>

        <fieldset {...describedBy("syncMembers")}>
          <legend className="text-sm font-medium">Sync these records</legend>
          <div className="mt-1 flex flex-wrap gap-x-5 gap-y-1 text-sm">
            <label className="flex items-center gap-2">
              <input
                type="checkbox"
                name="syncMembers"
                defaultChecked={settings.syncMembers}
                aria-invalid={errors.syncMembers ? true : undefined}
                className="size-4 accent-brand-600"
              />{" "}
              Members
            </label>
            <label className="flex items-center gap-2">
              <input type="checkbox" name="syncCompanies" defaultChecked={settings.syncCompanies} className="size-4 accent-brand-600" /> Companies
            </label>
          </div>
          <FieldError id={`${id}-syncMembers`} messages={errors.syncMembers} />
        </fieldset>

        <fieldset {...describedBy("memberStatuses")}>
          <legend className="text-sm font-medium">Only sync members with these statuses</legend>
          <div className="mt-1 flex flex-wrap gap-x-5 gap-y-1 text-sm">
            {OFFERED_MEMBER_STATUSES.map((status) => (
              <label key={status} className="flex items-center gap-2">
                <input
                  type="checkbox"
                  name="memberStatuses"
                  value={status}
                  defaultChecked={(settings.memberStatuses as string[]).includes(status)}
                  aria-invalid={errors.memberStatuses ? true : undefined}
                  className="size-4 accent-brand-600"
                />{" "}
                {STATUS_LABELS[status]}
              </label>
            ))}
          </div>
          <FieldHint>Members in other statuses are not copied, and copies of members who leave these statuses are removed.</FieldHint>
          <FieldError id={`${id}-memberStatuses`} messages={errors.memberStatuses} />
        </fieldset>

        <details
          open={isMappingOpen || hasMappingError}
          onToggle={(event) => setMappingOpen(event.currentTarget.open)}
          className="rounded-md ring-1 ring-slate-200"
        >
          <summary className="cursor-pointer px-3 py-2 text-sm font-medium">Field mapping</summary>
          <div className="grid gap-4 px-3 pb-3 sm:grid-cols-2">
            <MappingGroup
              title="Members"
              prefix="member"
              sources={MEMBER_FIELD_SOURCES}
              values={fieldMapping.member}
              properties={fieldMapping.member.properties}
              id={id}
              errors={errors}
            />
            <MappingGroup
              title="Companies"
              prefix="company"
              sources={COMPANY_FIELD_SOURCES}
              values={fieldMapping.company}
              properties={fieldMapping.company.properties}
              id={id}
              errors={errors}
            />
          </div>
        </details>

        <div className="flex flex-wrap items-center gap-3">
          <Button type="submit">{isPending ? "Saving…" : "Save"}</Button>
          <p ref={statusRef} tabIndex={-1} role="status" className="text-sm" data-testid="settings-status">
            {state?.ok
              ? state.data.changed
                ? state.data.syncQueued && isRunActive
                  ? "Saved. A sync has been queued."
                  : "Saved."
                : "No changes to save."
              : null}
            {state && !state.ok ? <span className="text-red-700">{state.error}</span> : null}
          </p>
        </div>
      </fieldset>
    </form>
  );
}

type MappingGroupProps = {
  title: string;
  prefix: "member" | "company";
  sources: Record<string, readonly string[]>;
  values: Record<string, unknown>;
  properties: { from: string; to: string }[];
  id: string;
  errors: FieldErrors;
};

function MappingGroup({ title, prefix, sources, values, properties, id, errors }: MappingGroupProps) {
  const propertiesName = `${prefix}.properties`;
  const propertiesId = `${id}-${propertiesName}`;
  return (
    <fieldset className="space-y-2">
      <legend className="pt-2 text-sm font-semibold">{title}: partner field ← OfficeRnD field</legend>
      {Object.entries(sources).map(([field, options]) => {
        const name = `${prefix}.${field}`;
        const fieldId = `${id}-${name}`;
        return (
          <div key={field}>
            <label htmlFor={fieldId} className="block text-sm capitalize">
              {field}
            </label>
            <select
              id={fieldId}
              name={name}
              defaultValue={String(values[field] ?? options[0])}
              className={INPUT_CLASS}
              aria-invalid={errors[name] ? true : undefined}
              aria-describedby={errors[name] ? errorId(fieldId) : undefined}
            >
              {options.map((option) => (
                <option key={option} value={option}>
                  {SOURCE_LABELS[option] ?? option}
                </option>
              ))}
            </select>
            <FieldError id={fieldId} messages={errors[name]} />
          </div>
        );
      })}
      <div>
        <label htmlFor={propertiesId} className="block text-sm">
          Custom properties
        </label>
        <textarea
          id={propertiesId}
          name={propertiesName}
          rows={2}
          defaultValue={formatPropertyList(properties)}
          className={`${INPUT_CLASS} font-mono`}
          aria-invalid={errors[propertiesName] ? true : undefined}
          aria-describedby={errors[propertiesName] ? errorId(propertiesId) : `${propertiesId}-hint`}
        />
        <FieldError id={propertiesId} messages={errors[propertiesName]} />
        <div id={`${propertiesId}-hint`}>
          <FieldHint>One per line: an OfficeRnD property key, or officerndKey=partnerKey.</FieldHint>
        </div>
      </div>
    </fieldset>
  );
}
