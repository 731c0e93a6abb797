import { CloudError } from "./errors";
import { AdaptiveLimiter } from "./limiter";
import { VirtualClock } from "./virtual-clock";

const throttled = () =>
  new CloudError({
    cloud: "huaweicloud",
    service: "sms",
    operation: "ListTasks",
    httpStatus: 429,
    code: "APIGW.0308",
    detail: "throttled",
    retryable: true,
    retryAfterMs: 1000,
  });

test("paces callers at its rate, first come first served", async () => {
  const clock = new VirtualClock(0);
  const l = new AdaptiveLimiter({ initialRate: 4, minRate: 1, maxRate: 4 }, clock);
  const at: number[] = [];
  await Promise.all(Array.from({ length: 5 }, () => l.run(async () => at.push(clock.now()))));
  expect(at).toEqual([0, 250, 500, 750, 1000]);
});

test("a throttle lowers the pace by a third and pauses every caller for Retry-After plus jitter", async () => {
  const clock = new VirtualClock(0);
  const l = new AdaptiveLimiter({ initialRate: 10, minRate: 1, maxRate: 10 }, clock, () => 1);
  await expect(
    l.run(async () => {
      throw throttled();
    }),
  ).rejects.toThrow("throttled");
  expect(l.stats().rate).toBeCloseTo(10 * (2 / 3));
  const at: number[] = [];
  await Promise.all(Array.from({ length: 2 }, () => l.run(async () => at.push(clock.now()))));
  // 1000 ms of Retry-After and 500 ms of jitter (the random source answers 1).
  expect(at[0]).toBe(1500);
  expect(at[1]).toBeCloseTo(1650);
  // Throttles answered during the pause say nothing new: the pace drops once.
  expect(l.stats()).toMatchObject({ throttled: 1, sent: 3 });
});
