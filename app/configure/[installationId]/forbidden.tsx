import { OpenFromOfficeRnd } from "./_components/open-from-officernd";

// 403: the session (or signed-in user) does not cover this installation; see page.tsx.
export default function ConfigureForbidden() {
  return (
    <OpenFromOfficeRnd
      title="This configuration is not open here"
      text="Your session does not cover this installation. Open its configuration again from OfficeRnD, or sign in with an account it belongs to."
      signInPath="/dashboard"
    />
  );
}
