import { OpenFromOfficeRnd } from "./_components/open-from-officernd";

// Credentials for another installation (and unknown ids) end here with a 404; see page.tsx.
export default function ConfigureNotFound() {
  return (
    <OpenFromOfficeRnd
      title="This configuration is not open here"
      text="Your session does not cover this installation. Open its configuration again from OfficeRnD, or sign in with an account it belongs to."
      signInPath="/dashboard"
    />
  );
}
