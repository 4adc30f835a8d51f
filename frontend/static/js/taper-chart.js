// The diary's chart as inline SVG (as check-in-chart.js): each day's symptom total by
// calendar day, a dashed line where each step starts. The table beside it has the numbers.
import { node } from "./check-in-chart.js";
import { addDays, total } from "./taper-signals.js";

const WIDTH = 320;
const HEIGHT = 190;
const LEFT = 30;
const RIGHT = 12;
const TOP = 24;
const BOTTOM = 150;
const HIGH = 24;
const MAX_DAYS = 56; // the last 8 weeks are drawn; the table keeps every day

const yOf = (value) => BOTTOM - (value / HIGH) * (BOTTOM - TOP);

function span(first, last) {
  let count = 1;
  while (addDays(first, count - 1) < last) count += 1;
  return count;
}

// Draws `days` (oldest first) and `steps`; `label` names the chart.
export function drawTaperChart(container, days, steps, { label, stepName, shortDate }) {
  // From the first day or step (at most MAX_DAYS back) to the newest day.
  const last = days[days.length - 1].date;
  const earliest = [days[0].date, ...steps.map((step) => step.date)].sort()[0];
  const limit = addDays(last, -(MAX_DAYS - 1));
  const first = earliest < limit ? limit : earliest;
  const count = span(first, last);
  const xOf = (iso) => {
    const index = span(first, iso) - 1;
    return count === 1 ? (LEFT + WIDTH - RIGHT) / 2 : LEFT + (index * (WIDTH - LEFT - RIGHT)) / (count - 1);
  };
  const chart = node("svg", {
    viewBox: `0 0 ${WIDTH} ${HEIGHT}`,
    role: "img",
    "aria-label": label,
    class: "app-chart__svg",
    focusable: "false",
  });
  for (const value of [0, 6, 12, 18, 24]) {
    const y = yOf(value);
    chart.append(node("line", { x1: LEFT, x2: WIDTH - RIGHT, y1: y, y2: y, class: "app-chart__grid" }));
    chart.append(node("text", { x: LEFT - 6, y: y + 5, "text-anchor": "end", class: "app-chart__axis" }, String(value)));
  }
  steps.forEach((step, i) => {
    if (step.date < first || step.date > last) return;
    const x = xOf(step.date);
    chart.append(node("line", { x1: x, x2: x, y1: TOP - 6, y2: BOTTOM, class: "app-chart__step" }));
    chart.append(node("text", { x: x + 3, y: TOP - 10, class: "app-chart__axis" }, stepName(i)));
  });
  const shown = days.filter((day) => day.date >= first);
  let run = [];
  const runs = [run];
  shown.forEach((day, i) => {
    if (i > 0 && addDays(shown[i - 1].date, 1) !== day.date) runs.push((run = []));
    run.push([xOf(day.date), yOf(total(day))]);
  });
  for (const points of runs.filter((r) => r.length > 1)) {
    const line = points.map(([x, y]) => `${x.toFixed(1)},${y.toFixed(1)}`).join(" ");
    chart.append(node("polyline", { points: line, fill: "none", "stroke-width": 2, class: "app-chart__line app-chart__series--total" }));
  }
  for (const [x, y] of runs.flat()) {
    chart.append(node("circle", { cx: x.toFixed(1), cy: y.toFixed(1), r: 3.5, class: "app-chart__point app-chart__series--total" }));
  }
  const baseline = BOTTOM + 24;
  chart.append(node("text", { x: LEFT, y: baseline, class: "app-chart__axis" }, shortDate(first)));
  if (count > 1) {
    chart.append(node("text", { x: WIDTH - RIGHT, y: baseline, "text-anchor": "end", class: "app-chart__axis" }, shortDate(last)));
  }
  container.replaceChildren(chart);
}
