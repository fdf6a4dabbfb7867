// CPU milliseconds of this test process (user + system, all its threads). The complexity guards (an input that was
// quadratic took minutes; linear, a second) read this clock, not the wall: a loaded machine, or the suite running two
// files at once, stretches wall time but not the work a parse does. They are guards against a hang, not benchmarks.
export function cpuMs(): number {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
}
