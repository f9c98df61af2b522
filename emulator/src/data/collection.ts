import { scanGenerated, type ScanPosition } from "./generated-scan";
import { matchesFilter, type Identified, type RecordFilter } from "./record-filter";
import type { RecordSource } from "./record-source";
import { firstIndexWhere } from "./timeline";

/**
 * Generated records plus an overlay of what changed at run time. The overlay maps an id to its
 * current record, or to null when a generated record was removed; only changes take memory.
 */
export class Collection<T extends Identified> {
  private readonly overlay = new Map<string, T | null>();
  /** Ids of the live records in the overlay, sorted, so scans can merge them with generated ones. */
  private readonly overlayIds: string[] = [];

  constructor(readonly source: RecordSource<T>) {}

  get(id: string): T | undefined {
    const changed = this.overlay.get(id);
    if (changed !== undefined) return changed ?? undefined;
    const index = this.source.indexOf(id);
    return index === undefined ? undefined : this.source.build(index);
  }

  /** Adds a new record; its id must not exist yet. */
  insert(record: T): void {
    if (this.get(record._id)) throw new Error(`duplicate id ${record._id}`);
    this.overlay.set(record._id, record);
    this.addOverlayId(record._id);
  }

  /** Replaces an existing record and returns the previous version. */
  replace(record: T): T {
    const previous = this.get(record._id);
    if (!previous) throw new Error(`no record ${record._id}`);
    if (!this.overlay.get(record._id)) this.addOverlayId(record._id);
    this.overlay.set(record._id, record);
    return previous;
  }

  /** Removes a record and returns it, or undefined when there was none. */
  remove(id: string): T | undefined {
    const previous = this.get(id);
    if (!previous) return undefined;
    if (this.source.indexOf(id) === undefined) this.overlay.delete(id);
    else this.overlay.set(id, null);
    const position = this.overlayPosition(id);
    if (this.overlayIds[position] === id) this.overlayIds.splice(position, 1);
    return previous;
  }

  /** Matching records in id order from a position; lazy, so a page only builds what it returns. */
  *scan(filter: RecordFilter, position: ScanPosition): Generator<T> {
    if (filter.ids) {
      yield* this.scanIds(filter, position);
      return;
    }
    const forward = position.direction === "forward";
    const generated = scanGenerated({
      source: this.source,
      filter,
      position,
      isOverridden: (id) => this.overlay.has(id),
    });
    const changed = this.scanOverlay(filter, position);
    let a = generated.next();
    let b = changed.next();
    while (!a.done || !b.done) {
      const takeGenerated =
        b.done || (!a.done && (forward ? a.value._id < b.value._id : a.value._id > b.value._id));
      if (takeGenerated && !a.done) {
        yield a.value;
        a = generated.next();
      } else if (!b.done) {
        yield b.value;
        b = changed.next();
      }
    }
  }

  /** Number of live records. */
  size(): number {
    let size = this.source.count;
    for (const [id, record] of this.overlay) {
      const isGenerated = this.source.indexOf(id) !== undefined;
      if (isGenerated && record === null) size -= 1;
      if (!isGenerated) size += 1;
    }
    return size;
  }

  /** Live records per location id (records carrying a `location` field). */
  countByLocation(): Map<string, number> {
    const counts = new Map<string, number>();
    const add = (location: unknown, delta: number) => {
      const key = String(location);
      counts.set(key, (counts.get(key) ?? 0) + delta);
    };
    const { count, slotIds } = this.source;
    slotIds.forEach((id, slot) =>
      add(id, count > slot ? Math.floor((count - 1 - slot) / slotIds.length) + 1 : 0),
    );
    for (const [id, record] of this.overlay) {
      const index = this.source.indexOf(id);
      if (index !== undefined) add(slotIds[index % slotIds.length], -1);
      if (record) add((record as Record<string, unknown>).location, 1);
    }
    return counts;
  }

  private *scanIds(filter: RecordFilter, position: ScanPosition): Generator<T> {
    const ids = [...(filter.ids ?? [])].sort();
    if (position.direction === "backward") ids.reverse();
    for (const id of ids) {
      if (position.after !== undefined && id <= position.after) continue;
      if (position.before !== undefined && id >= position.before) continue;
      const record = this.get(id);
      if (record && matchesFilter(record, filter)) yield record;
    }
  }

  private *scanOverlay(filter: RecordFilter, position: ScanPosition): Generator<T> {
    const forward = position.direction === "forward";
    let index = forward
      ? position.after === undefined
        ? 0
        : firstIndexWhere({
            count: this.overlayIds.length,
            test: (i) => (this.overlayIds[i] ?? "") > (position.after ?? ""),
          })
      : (position.before === undefined ? this.overlayIds.length : this.overlayPosition(position.before)) - 1;
    for (; index >= 0 && index < this.overlayIds.length; index += forward ? 1 : -1) {
      const record = this.overlay.get(this.overlayIds[index] ?? "");
      if (record && matchesFilter(record, filter)) yield record;
    }
  }

  private overlayPosition(id: string): number {
    return firstIndexWhere({ count: this.overlayIds.length, test: (i) => (this.overlayIds[i] ?? "") >= id });
  }

  private addOverlayId(id: string): void {
    // Created ids are the newest, so this is usually an append; updated generated ids slot in between.
    const last = this.overlayIds[this.overlayIds.length - 1];
    if (last === undefined || last < id) this.overlayIds.push(id);
    else this.overlayIds.splice(this.overlayPosition(id), 0, id);
  }
}
