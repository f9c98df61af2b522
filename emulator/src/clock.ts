/**
 * The emulator's clock: real time plus an offset. Tests shift it through `POST /_emulator/clock` to
 * expire codes and tokens, move rate-limit windows and date new records without waiting. Signatures
 * on outbound calls use `signingSeconds()` (real time) instead, because the partner checks their
 * timestamps against its own, unshifted clock.
 */
export class Clock {
  private offsetMs = 0;

  nowMs(): number {
    return Date.now() + this.offsetMs;
  }

  nowSeconds(): number {
    return Math.floor(this.nowMs() / 1000);
  }

  nowIso(): string {
    return new Date(this.nowMs()).toISOString();
  }

  /** Real Unix seconds, for the `t=` of signatures the partner verifies. */
  signingSeconds(): number {
    return Math.floor(Date.now() / 1000);
  }

  get offsetSeconds(): number {
    return this.offsetMs / 1000;
  }

  shift(seconds: number): void {
    this.offsetMs += Math.round(seconds * 1000);
  }

  reset(): void {
    this.offsetMs = 0;
  }
}
