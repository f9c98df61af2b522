import { generatedId, generatedIdPrefixTag, indexFromGeneratedId, type GeneratedIdTag } from "./object-id";

/** Id ⇄ index for one generated collection; the id's time part is the record's createdAt. */
export function generatedIdCodec({
  tag,
  count,
  createdAtMsOf,
}: {
  tag: GeneratedIdTag;
  count: number;
  createdAtMsOf: (index: number) => number;
}) {
  const prefixTag = generatedIdPrefixTag(tag);
  const idOf = (index: number) =>
    generatedId({ seconds: Math.floor(createdAtMsOf(index) / 1000), tag: prefixTag, index });
  const indexOf = (id: string): number | undefined => {
    const index = indexFromGeneratedId({ id, tag: prefixTag });
    return index !== undefined && index < count && idOf(index) === id ? index : undefined;
  };
  return { idOf, indexOf };
}
