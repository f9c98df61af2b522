// Minimal HTML templating: every interpolated value goes through escapeHtml unless marked safe.

const ESCAPES: Record<string, string> = {
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
  '"': "&quot;",
  "'": "&#39;",
};

export type SafeHtml = { readonly html: string };

export function escapeHtml(value: unknown): string {
  return String(value ?? "").replace(/[&<>"']/g, (char) => ESCAPES[char] ?? char);
}

/** Tagged template that escapes values, except arrays of SafeHtml and SafeHtml itself. */
export function html(strings: TemplateStringsArray, ...values: unknown[]): SafeHtml {
  let out = strings[0] ?? "";
  values.forEach((value, index) => {
    const items = Array.isArray(value) ? value : [value];
    out += items
      .map((item) =>
        typeof item === "object" && item !== null && "html" in item
          ? (item as SafeHtml).html
          : escapeHtml(item),
      )
      .join("");
    out += strings[index + 1] ?? "";
  });
  return { html: out };
}

export function page({
  title,
  body,
  styles,
  script,
}: {
  title: string;
  body: SafeHtml;
  styles: string;
  script?: string;
}): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>${styles}</style>
</head>
<body>
${body.html}
${script ? `<script>${script}</script>` : ""}
</body>
</html>`;
}
