"use client";

import { startTransition, useActionState, useEffect, useId, useRef, useState, type FormEvent } from "react";
import { Button } from "@/components/ui/button";
import { errorId, FieldError, FieldHint, INPUT_CLASS } from "@/components/ui/field";
import type { FieldMapping } from "@/lib/sync/field-mapping";
import {
  COMPANY_FIELD_SOURCES,
  formatPropertyList,
  MEMBER_FIELD_SOURCES,
  OFFERED_MEMBER_STATUSES,
  SOURCE_LABELS,
  STATUS_LABELS,
} from "@/lib/sync/form-options";
import type { FieldErrors } from "@/lib/validated-action";
import type { LocationSettings } from "@/lib/sync/location-settings";
import type { SettingsRemovals, StatusCount } from "@/lib/sync/settings-removals";
import type { UpdateLocationResult } from "@/lib/configuration/update-location-settings";
import { saveLocationSettings } from "../actions";
import { useLiveLocation } from "./live-status";
import { MappingPreview } from "./mapping-preview";

type Props = {
  installationId: string;
  locationId: string;
  locationName: string;
  isSyncing: boolean;
  settings: LocationSettings;
  fieldMapping: FieldMapping;
  memberStatusCounts: StatusCount[];
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
export function LocationSettingsForm({
  installationId,
  locationId,
  locationName,
  isSyncing,
  settings,
  fieldMapping,
  memberStatusCounts,
  canEdit,
}: Props) {
  const [state, formAction, isPending] = useActionState(
    saveLocationSettings.bind(null, installationId, locationId),
    null,
  );
  const id = useId();
  const errors: FieldErrors = state && !state.ok ? state.fieldErrors : {};
  const hasMappingError = MAPPING_FIELDS.some((field) => errors[field]);
  // Open when the admin opened it, and always while one of its fields has an error.
  const [isMappingOpen, setMappingOpen] = useState(false);
  const formRef = useRef<HTMLFormElement>(null);
  const statusRef = useRef<HTMLParagraphElement>(null);
  const confirmRef = useRef<HTMLDivElement>(null);
  const isRunActive = useLiveLocation(locationId)?.progress?.group === "active";
  const held = new Map(memberStatusCounts.map((row) => [row.status, row.count]));
  const heldMembers = memberStatusCounts.reduce((sum, row) => sum + row.count, 0);
  // A save that would remove records saved nothing: it asks first (until answered or dismissed).
  const [dismissed, setDismissed] = useState<unknown>(null);
  const removals =
    state?.ok && state.data.needsConfirmation && dismissed !== state ? state.data.needsConfirmation : null;

  // After a refused save, the first invalid field takes focus (and scrolls into view): in the popup the
  // message would otherwise sit screens away from the field. Other failures focus the message itself;
  // a save that needs confirmation focuses the question. Runs once the form is enabled again.
  useEffect(() => {
    if (isPending || !state) return;
    const target = !state.ok
      ? (formRef.current?.querySelector<HTMLElement>('[aria-invalid="true"]') ?? statusRef.current)
      : state.data.needsConfirmation
        ? confirmRef.current
        : null;
    target?.focus();
    target?.scrollIntoView({ block: "center" });
  }, [state, isPending]);

  // The server's values changed (Sync on in OfficeRnD, another save): reset() makes the boxes show the new
  // defaults (a box once clicked ignores its default). Not on the first render: a box ticked before
  // hydration would be reset and the save would then say "No changes to save."
  const serverValues = JSON.stringify([isSyncing, settings, fieldMapping]);
  const appliedServerValues = useRef(serverValues);
  useEffect(() => {
    if (appliedServerValues.current === serverValues) return;
    appliedServerValues.current = serverValues;
    formRef.current?.reset();
  }, [serverValues]);
  // Whether the last save turned this location's sync off: its message then says the data is kept.
  const [isTurningOff, setTurningOff] = useState(false);

  // Submitting through a transition keeps what was typed (a form action would reset the fields),
  // so an invalid entry stays visible next to its message. Without JavaScript, `action` still posts.
  // The submitter rides along: "Remove … and save" sends confirmRemovals.
  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const submitter = (event.nativeEvent as SubmitEvent).submitter;
    const formData = new FormData(event.currentTarget, submitter);
    setTurningOff(isSyncing && !formData.has("syncEnabled"));
    startTransition(() => formAction(formData));
  }

  function keepRecords() {
    setDismissed(state);
    formRef.current?.reset();
  }

  const describedBy = (field: string) =>
    errors[field] ? { "aria-describedby": errorId(`${id}-${field}`) } : {};

  return (
    <form
      ref={formRef}
      action={formAction}
      onSubmit={onSubmit}
      noValidate
      aria-label={`Settings for ${locationName}`}
    >
      <fieldset disabled={!canEdit || isPending} className="space-y-4">
        <label className="flex items-center gap-3 rounded-md bg-slate-50 p-3 ring-1 ring-slate-200">
          <input
            type="checkbox"
            name="syncEnabled"
            defaultChecked={isSyncing}
            className="size-5 accent-brand-600"
          />
          <span>
            <span className="block text-sm font-semibold">Sync {locationName}</span>
            <span className="block text-xs text-slate-600">
              Copy this location&apos;s data to your account and keep it up to date. Turning it off stops the
              updates and keeps the data already copied.
            </span>
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
                aria-describedby={errors.syncMembers ? errorId(`${id}-syncMembers`) : undefined}
                className="size-4 accent-brand-600"
              />{" "}
              Members
            </label>
            <label className="flex items-center gap-2">
              <input
                type="checkbox"
                name="syncCompanies"
                defaultChecked={settings.syncCompanies}
                className="size-4 accent-brand-600"
              />{" "}
              Companies
            </label>
          </div>
          <FieldError id={`${id}-syncMembers`} messages={errors.syncMembers} />
        </fieldset>

        <fieldset {...describedBy("memberStatuses")}>
          <legend className="text-sm font-medium">
            Only sync members with these statuses ({heldMembers.toLocaleString("en-GB")}{" "}
            {heldMembers === 1 ? "member" : "members"} held)
          </legend>
          <div className="mt-1 flex flex-wrap gap-x-5 gap-y-1 text-sm">
            {OFFERED_MEMBER_STATUSES.map((status) => (
              <label key={status} className="flex items-center gap-2">
                <input
                  type="checkbox"
                  name="memberStatuses"
                  value={status}
                  defaultChecked={(settings.memberStatuses as string[]).includes(status)}
                  aria-invalid={errors.memberStatuses ? true : undefined}
                  aria-describedby={errors.memberStatuses ? errorId(`${id}-memberStatuses`) : undefined}
                  className="size-4 accent-brand-600"
                />{" "}
                {STATUS_LABELS[status]} ({(held.get(status) ?? 0).toLocaleString("en-GB")})
              </label>
            ))}
          </div>
          <FieldHint>
            Counts are the members we hold in each status. Members in other statuses are not copied; dropping
            a status removes the members held in it (you are asked first).
          </FieldHint>
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
          <MappingPreview
            installationId={installationId}
            locationId={locationId}
            formRef={formRef}
            isOpen={isMappingOpen || hasMappingError}
          />
        </details>

        {removals ? (
          <div
            ref={confirmRef}
            tabIndex={-1}
            role="group"
            aria-labelledby={`${id}-confirm-title`}
            className="space-y-2 rounded-md bg-red-50 p-3 text-sm text-red-900 ring-1 ring-red-200"
            data-testid="confirm-removal"
          >
            <p id={`${id}-confirm-title`} className="font-semibold">
              Saving removes {describeRemovals(removals)} from your copy of {locationName}.
            </p>
            <ul className="list-disc pl-5">
              {removals.reasons.map((reason) => (
                <li key={reason.reason === "status_dropped" ? `status-${reason.status}` : reason.reason}>
                  {describeReason(reason)}
                </li>
              ))}
            </ul>
            <p>They stay in OfficeRnD. Nothing has been saved yet.</p>
            <div className="flex flex-wrap gap-2">
              <Button type="submit" variant="danger" name="confirmRemovals" value={String(removals.total)}>
                Remove {removals.total.toLocaleString("en-GB")} and save
              </Button>
              <Button type="button" variant="secondary" onClick={keepRecords}>
                Keep them (undo my changes)
              </Button>
            </div>
          </div>
        ) : null}

        <div className="flex flex-wrap items-center gap-3">
          <Button type="submit">{isPending ? "Saving…" : "Save"}</Button>
          <p ref={statusRef} tabIndex={-1} role="status" className="text-sm" data-testid="settings-status">
            {state?.ok && !state.data.needsConfirmation
              ? savedMessage(state.data, isRunActive, isTurningOff ? locationName : null)
              : null}
            {state && !state.ok ? <span className="text-red-700">{state.error}</span> : null}
          </p>
        </div>
      </fieldset>
    </form>
  );
}

function savedMessage(result: UpdateLocationResult, isRunActive: boolean, turnedOff: string | null): string {
  if (!result.changed) return "No changes to save.";
  const parts = ["Saved."];
  if (turnedOff)
    parts.push(`Sync is off for ${turnedOff}: the data already copied is kept, and no longer updated.`);
  if (result.removed && result.removed.members + result.removed.companies > 0)
    parts.push(`Removed ${describeRemovals(result.removed)} from the copy.`);
  if (result.remapped && result.remapped.members + result.remapped.companies > 0)
    parts.push(`Re-mapped ${describeRemovals(result.remapped)} already held.`);
  if (result.syncQueued && isRunActive) parts.push("A sync has been queued.");
  return parts.join(" ");
}

function describeRemovals({ members, companies }: { members: number; companies: number }): string {
  const parts = [
    members > 0 ? plural(members, "member", "members") : null,
    companies > 0 ? plural(companies, "company", "companies") : null,
  ];
  return parts.filter(Boolean).join(" and ") || "nothing";
}

function describeReason(reason: SettingsRemovals["reasons"][number]): string {
  if (reason.reason === "members_unticked")
    return `${plural(reason.count, "member", "members")}: Members is unticked`;
  if (reason.reason === "companies_unticked")
    return `${plural(reason.count, "company", "companies")}: Companies is unticked`;
  const label = (STATUS_LABELS as Record<string, string>)[reason.status] ?? reason.status;
  return `${plural(reason.count, "member", "members")} with status ${label}: that status is no longer synced`;
}

function plural(count: number, one: string, many: string): string {
  return `${count.toLocaleString("en-GB")} ${count === 1 ? one : many}`;
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
