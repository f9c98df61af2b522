// A small reader for the subset of Prisma schema language this project uses, so the drift test can
// compare schema.prisma with the database without Prisma's (unavailable) schema engine.

export type ExpectedColumn = { name: string; type: string; isNullable: boolean; hasDefault: boolean };
export type ExpectedIndex = { columns: string[]; isUnique: boolean; isPrimary: boolean };
export type ExpectedTable = { name: string; columns: ExpectedColumn[]; indexes: ExpectedIndex[] };

const SCALARS: Record<string, string> = {
  String: "text",
  Int: "integer",
  Boolean: "boolean",
  DateTime: "timestamp(3) without time zone",
  Json: "jsonb",
};

function fieldList(attribute: string): string[] {
  const match = /\[([^\]]*)\]/.exec(attribute);
  return match?.[1]?.split(",").map((field) => field.trim()) ?? [];
}

export function parsePrismaSchema(source: string): {
  tables: ExpectedTable[];
  enums: Record<string, string[]>;
} {
  const withoutComments = source.replace(/\/\/.*$/gm, "");
  const enums: Record<string, string[]> = {};
  for (const [, name, body] of withoutComments.matchAll(/enum\s+(\w+)\s*\{([^}]*)\}/g)) {
    enums[name!] = body!
      .split("\n")
      .map((line) => line.trim())
      .filter(Boolean);
  }
  // A block ends at a line holding only "}" (attribute values such as @default("{}") contain braces).
  const blocks = [...withoutComments.matchAll(/model\s+(\w+)\s*\{([\s\S]*?)\n\}/g)];
  const modelNames = new Set(blocks.map(([, name]) => name!));
  const tables = blocks.map(([, name, body]) => {
    const columns: ExpectedColumn[] = [];
    const indexes: ExpectedIndex[] = [];
    for (const raw of body!.split("\n")) {
      const line = raw.trim();
      if (!line) continue;
      if (line.startsWith("@@id"))
        indexes.push({ columns: fieldList(line), isUnique: true, isPrimary: true });
      else if (line.startsWith("@@unique"))
        indexes.push({ columns: fieldList(line), isUnique: true, isPrimary: false });
      else if (line.startsWith("@@index"))
        indexes.push({ columns: fieldList(line), isUnique: false, isPrimary: false });
      if (line.startsWith("@@")) continue;
      const [fieldName, rawType = "", ...rest] = line.split(/\s+/);
      const baseType = rawType.replace(/[?[\]]/g, "");
      if (modelNames.has(baseType)) continue; // relation field: no column
      const attributes = rest.join(" ");
      const isList = rawType.endsWith("[]");
      const scalar = enums[baseType] ? `"${baseType}"` : SCALARS[baseType];
      if (!scalar) throw new Error(`Unsupported type ${rawType} on ${name}.${fieldName}`);
      columns.push({
        name: fieldName!,
        type: isList ? `${scalar}[]` : scalar,
        isNullable: rawType.endsWith("?") || isList,
        hasDefault: /@default\((?!uuid\(\)|cuid\(\))/.test(attributes),
      });
      if (attributes.includes("@id"))
        indexes.push({ columns: [fieldName!], isUnique: true, isPrimary: true });
      if (/@unique\b/.test(attributes))
        indexes.push({ columns: [fieldName!], isUnique: true, isPrimary: false });
    }
    return { name: name!, columns, indexes };
  });
  return { tables, enums };
}
