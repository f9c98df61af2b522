import type { AccountChoice } from "@/lib/accounts/memberships";
import { buttonClass } from "@/components/ui/button";
import { SelectField } from "@/components/ui/field";
import { chooseAccount } from "../actions";

/** Posts to a server action: works without JavaScript, keeps the choice in the URL and remembers it. */
export function AccountSwitcher({
  accounts,
  currentId,
  path,
}: {
  accounts: AccountChoice[];
  currentId: string;
  path: string;
}) {
  return (
    <form action={chooseAccount} className="flex items-end gap-2">
      <input type="hidden" name="path" value={path} />
      <SelectField
        id="account-switcher"
        name="account"
        label="Account"
        defaultValue={currentId}
        options={accounts.map((account) => ({
          value: account.id,
          label: `${account.name} (${account.role})`,
        }))}
        className="mt-1 rounded-md border border-slate-300 bg-white px-3 py-2 text-sm"
      />
      <button type="submit" className={buttonClass("secondary")}>
        Switch
      </button>
    </form>
  );
}
