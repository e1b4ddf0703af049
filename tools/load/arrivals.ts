/**
 * @module arrivals
 * The open-model schedule of a scenario: when each request is due, computed up front from the
 * arrival rate as k6's arrival-rate executors do (request i starts when the integral of the
 * rate since the start reaches i), so the Node driver and k6 send the same requests at the
 * same times whatever the server answers.
 */
import type { Scenario, Stage } from './scenarios.ts';

export interface Arrival {
  /** Due time, ms after the run starts. */
  atMs: number;
  /** Index of the ramping stage it falls in (0 for a constant rate). */
  stage: number;
}

/** Integration step; arrivals land within it of their exact time. */
const STEP_MS = 1;

/** A ramping schedule as piecewise-linear rate segments, rates per second. */
interface Segment {
  fromPerSecond: number;
  toPerSecond: number;
  durationMs: number;
}

function segments(scenario: Scenario): Segment[] {
  const perSecond = (rate: number) => rate / scenario.timeUnitSeconds;
  if (scenario.executor === 'constant-arrival-rate') {
    const rate = perSecond(scenario.rate);
    return [{ fromPerSecond: rate, toPerSecond: rate, durationMs: scenario.durationSeconds * 1000 }];
  }
  let previous = scenario.startRate;
  return scenario.stages.map((stage: Stage) => {
    const segment = { fromPerSecond: perSecond(previous), toPerSecond: perSecond(stage.target), durationMs: stage.durationSeconds * 1000 };
    previous = stage.target;
    return segment;
  });
}

/**
 * @example
 * arrivals({ executor: 'constant-arrival-rate', rate: 100, timeUnitSeconds: 60, durationSeconds: 60, ... })
 * // → 100 arrivals, 600 ms apart, the first at 0 ms
 */
export function arrivals(scenario: Scenario): Arrival[] {
  const out: Arrival[] = [];
  let startMs = 0;
  // Arrivals owed so far; request n is due when it passes n (request 0 at the very start).
  let owed = 0;
  segments(scenario).forEach((segment, stage) => {
    const slope = (segment.toPerSecond - segment.fromPerSecond) / segment.durationMs;
    for (let t = 0; t < segment.durationMs; t += STEP_MS) {
      const dt = Math.min(STEP_MS, segment.durationMs - t);
      const rateAt = (x: number) => segment.fromPerSecond + slope * x;
      const added = ((rateAt(t) + rateAt(t + dt)) / 2) * (dt / 1000);
      // Every integer the running total passes within this step is one request, placed by
      // linear interpolation inside the step (one due exactly at its end goes in the next).
      while (out.length < owed + added - 1e-9) {
        const fraction = (out.length - owed) / added;
        out.push({ atMs: startMs + t + Math.max(0, fraction) * dt, stage });
      }
      owed += added;
    }
    startMs += segment.durationMs;
  });
  return out;
}

/** A constant rate for `seconds`, as the benchmark offers it at chosen loads. */
export function constantArrivals(perSecond: number, seconds: number): Arrival[] {
  return arrivals({
    executor: 'constant-arrival-rate',
    description: '',
    rate: perSecond,
    timeUnitSeconds: 1,
    durationSeconds: seconds,
    maxInFlight: 1,
    thresholds: {},
  });
}
