import { OpenFromOfficeRnd } from "./_components/open-from-officernd";

// 401: no configure session and no partner sign-in; see page.tsx.
export default function ConfigureUnauthorized() {
  return (
    <OpenFromOfficeRnd
      title="Open the configuration from OfficeRnD"
      text="This page needs a link from OfficeRnD, or a partner sign-in. Open the integration's configuration in OfficeRnD."
      signInPath="/dashboard"
    />
  );
}
