import { OpenFromOfficeRnd } from "./_components/open-from-officernd";

export default function ConfigureNotFound() {
  return (
    <OpenFromOfficeRnd
      title="This configuration is not available"
      text="Open the integration's configuration again from OfficeRnD."
    />
  );
}
