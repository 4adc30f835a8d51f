// The check-in history as inline SVG, drawn with DOM APIs: one small panel per 1–5 measure
// (feeling, sleep, anxiety, cravings), oldest on the left. No library and no inline styles
// (the CSP forbids them): geometry in SVG attributes, colours from CSS classes. The table
// under the chart holds the same answers, for screen readers and for print.
const SVG = "http://www.w3.org/2000/svg";
// Room for 16-unit labels: drawn 288 px wide on a 320 px phone they are still 14 px or more.
const WIDTH = 320;
const PANEL = 122; // height of one panel
const LEFT = 26;
const RIGHT = 12;
const PLOT_TOP = 30;
const PLOT_BOTTOM = 92;
const LOW = 1;
const HIGH = 5;

export function node(name, attributes = {}, text = "") {
  const element = document.createElementNS(SVG, name);
  for (const [attribute, value] of Object.entries(attributes)) {
    element.setAttribute(attribute, String(value));
  }
  if (text) element.textContent = text;
  return element;
}

const yOf = (value) => PLOT_BOTTOM - ((value - LOW) / (HIGH - LOW)) * (PLOT_BOTTOM - PLOT_TOP);

function xOf(index, count) {
  const span = WIDTH - LEFT - RIGHT;
  return count === 1 ? LEFT + span / 2 : LEFT + (index * span) / (count - 1);
}

// Consecutive answered check-ins joined by a line; a skipped answer breaks it.
function runs(points) {
  const found = [];
  let run = [];
  for (const point of points) {
    if (point) run.push(point);
    else if (run.length) {
      found.push(run);
      run = [];
    }
  }
  if (run.length) found.push(run);
  return found;
}

function panel(measure, entries, index, shortDate) {
  const group = node("g", {
    transform: `translate(0 ${index * PANEL})`,
    class: "app-chart__panel",
  });
  group.append(node("text", { x: 0, y: 17, class: "app-chart__title" }, measure.name));
  for (let value = LOW; value <= HIGH; value += 1) {
    const y = yOf(value);
    group.append(
      node("line", { x1: LEFT, x2: WIDTH - RIGHT, y1: y, y2: y, class: "app-chart__grid" }),
    );
    if (value % 2) {
      group.append(
        node(
          "text",
          { x: LEFT - 6, y: y + 5, "text-anchor": "end", class: "app-chart__axis" },
          String(value),
        ),
      );
    }
  }
  const points = entries.map((entry, i) => {
    const value = entry[measure.id];
    return Number.isInteger(value) ? [xOf(i, entries.length), yOf(value)] : null;
  });
  const kind = `app-chart__series--${measure.id}`;
  for (const run of runs(points)) {
    if (run.length > 1) {
      const line = run.map(([x, y]) => `${x.toFixed(1)},${y.toFixed(1)}`).join(" ");
      group.append(
        node("polyline", {
          points: line,
          fill: "none",
          "stroke-width": 2,
          class: `app-chart__line ${kind}`,
        }),
      );
    }
  }
  for (const point of points.filter(Boolean)) {
    group.append(
      node("circle", {
        cx: point[0].toFixed(1),
        cy: point[1].toFixed(1),
        r: 3.5,
        class: `app-chart__point ${kind}`,
      }),
    );
  }
  const first = entries[0];
  const last = entries[entries.length - 1];
  const baseline = PLOT_BOTTOM + 20;
  group.append(
    node("text", { x: LEFT, y: baseline, class: "app-chart__axis" }, shortDate(first.date)),
  );
  if (entries.length > 1) {
    group.append(
      node(
        "text",
        { x: WIDTH - RIGHT, y: baseline, "text-anchor": "end", class: "app-chart__axis" },
        shortDate(last.date),
      ),
    );
  }
  return group;
}

// Draws `entries` (oldest first) into `container`. `measures`: [{id, name}]; `label`: the
// chart's accessible name; `shortDate(iso)`: a date as the axis shows it.
export function drawChart(container, entries, measures, { label, shortDate }) {
  const chart = node("svg", {
    viewBox: `0 0 ${WIDTH} ${PANEL * measures.length}`,
    role: "img",
    "aria-label": label,
    class: "app-chart__svg",
    focusable: "false",
  });
  measures.forEach((measure, i) => chart.append(panel(measure, entries, i, shortDate)));
  container.replaceChildren(chart);
}
