import type { AccountChoice } from "@/lib/accounts/memberships";
import { buttonClass } from "@/components/ui/button";
import { chooseAccount } from "../actions";

/**
 * A form posting to a server action: works without JavaScript, keeps the choice in the URL and remembers it.
 */
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
      <div>
        <label htmlFor="account-switcher" className="block text-sm font-medium">
          Account
        </label>
        <select
          id="account-switcher"
          name="account"
          defaultValue={currentId}
          className="mt-1 rounded-md border border-slate-300 bg-white px-3 py-2 text-sm"
        >
          {accounts.map((account) => (
            <option key={account.id} value={account.id}>
              {account.name} ({account.role})
            </option>
          ))}
        </select>
      </div>
      <button type="submit" className={buttonClass("secondary")}>
        Switch
      </button>
    </form>
  );
}
