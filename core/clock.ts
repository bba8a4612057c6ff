/** Where the gateway gets the time: injected everywhere so tests can freeze and move it. */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

/**
 * The offices' and the people's local time (North Rhine-Westphalia): what "today", a month or a
 * time of day means on a page, in a period of figures or for a birth date, whatever the server's
 * own zone is.
 */
export const OFFICE_TIME_ZONE = 'Europe/Berlin';

/** A clock that stands still until told to move; for tests and deterministic replays. */
export class FixedClock implements Clock {
  #ms: number;

  constructor(start: Date | string) {
    this.#ms = new Date(start).getTime();
    if (Number.isNaN(this.#ms)) throw new RangeError('FixedClock needs a valid start time');
  }

  now(): Date {
    return new Date(this.#ms);
  }

  advance(ms: number): void {
    this.#ms += ms;
  }
}
