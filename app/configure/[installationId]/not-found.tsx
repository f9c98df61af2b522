import { OpenFromOfficeRnd } from "./_components/open-from-officernd";

// Answers a session scoped to another installation (and unknown ids) with 404; see page.tsx.
export default function ConfigureNotFound() {
  return (
    <OpenFromOfficeRnd
      title="This configuration is not open here"
      text="Your configuration session belongs to a different installation. Open the configuration again from OfficeRnD."
    />
  );
}
