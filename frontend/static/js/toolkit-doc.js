// A toolkit document (the prescriber summary or the safety plan) drawn into the page: the
// same drawing for the person's own view and for a shared read-only copy (js/shared-view.js).
// Everything is set as text (never as HTML), so a shared copy cannot carry markup or script.
//   doc = {v: 1, kind, lang, title, made, period?, footer?, sections: [{id, heading, blocks}]}
//   block = {p} | {list: [text]} | {contacts: [{name, phone}]} | {table: {head, rows}}
//         | {chart: {label, start, end, points: [[date, value]], marks: [[date, text]], max}}
const SVG = "http://www.w3.org/2000/svg";

function element(tag, text, className) {
  const made = document.createElement(tag);
  if (text !== undefined) made.textContent = text;
  if (className) made.className = className;
  return made;
}

function svg(tag, attributes, text) {
  const made = document.createElementNS(SVG, tag);
  for (const [name, value] of Object.entries(attributes)) made.setAttribute(name, String(value));
  if (text !== undefined) made.textContent = text;
  return made;
}

export function longDate(iso, lang) {
  const date = iso.length === 10 ? new Date(`${iso}T12:00:00`) : new Date(iso);
  return date.toLocaleDateString(lang, { year: "numeric", month: "long", day: "numeric" });
}

const shortDate = (iso, lang) =>
  new Date(`${iso.slice(0, 10)}T12:00:00`).toLocaleDateString(lang, { day: "numeric", month: "short" });

function table({ head, rows }) {
  const scroll = element("div", undefined, "app-table-scroll");
  const made = element("table", undefined, "app-table");
  const headRow = element("tr");
  headRow.append(...head.map((text) => Object.assign(element("th", text), { scope: "col" })));
  made.append(element("thead"));
  made.tHead.append(headRow);
  const body = element("tbody");
  for (const row of rows) {
    const tr = element("tr");
    row.forEach((text, index) => {
      const cell = element(index === 0 ? "th" : "td", String(text));
      if (index === 0) cell.scope = "row";
      else cell.dataset.label = head[index]; // named on small screens, where rows stack
      tr.append(cell);
    });
    body.append(tr);
  }
  made.append(body);
  scroll.append(made);
  return scroll;
}

function contacts(list) {
  const made = element("ul", undefined, "app-doc__contacts");
  for (const { name, phone } of list) {
    const item = element("li", `${name} `);
    const digits = String(phone || "").replace(/[^+\d]/g, "");
    if (digits) {
      const call = element("a", phone);
      call.href = `tel:${digits}`;
      item.append(call);
    }
    made.append(item);
  }
  return made;
}

// A line of the daily value across the period, with each step marked by a dashed line.
function chart({ label, start, end, points, marks, max }, lang) {
  const [width, height, left, bottom, top] = [360, 200, 30, 24, 18];
  const day = 86400000;
  const from = Date.parse(`${start}T00:00:00Z`);
  const span = Math.max(Date.parse(`${end}T00:00:00Z`) - from, day);
  const x = (iso) => left + ((Date.parse(`${iso}T00:00:00Z`) - from) / span) * (width - left - 8);
  const y = (value) => height - bottom - (value / max) * (height - bottom - top);
  const figure = element("figure", undefined, "app-chart app-doc__chart");
  const drawing = svg("svg", {
    viewBox: `0 0 ${width} ${height}`, class: "app-chart__svg", role: "img", "aria-label": label,
  });
  for (const value of [0, max / 2, max]) {
    drawing.append(svg("line", { x1: left, x2: width - 8, y1: y(value), y2: y(value), class: "app-chart__grid" }));
    drawing.append(svg("text", { x: left - 6, y: y(value) + 4, "text-anchor": "end", class: "app-chart__axis" }, value));
  }
  for (const [date, text] of marks) {
    if (date < start || date > end) continue;
    drawing.append(svg("line", { x1: x(date), x2: x(date), y1: top, y2: height - bottom, class: "app-doc__step" }));
    drawing.append(svg("text", { x: x(date) + 3, y: top - 4, class: "app-chart__axis app-doc__mark" }, text));
  }
  if (points.length) {
    const path = points.map(([date, value]) => `${x(date).toFixed(1)},${y(value).toFixed(1)}`).join(" ");
    drawing.append(svg("polyline", { points: path, class: "app-chart__line app-doc__line" }));
    for (const [date, value] of points) {
      drawing.append(svg("circle", { cx: x(date), cy: y(value), r: 3.5, class: "app-chart__point app-doc__point" }));
    }
  }
  for (const iso of [start, end]) {
    drawing.append(svg("text", { x: x(iso), y: height - 8, "text-anchor": iso === start ? "start" : "end", class: "app-chart__axis" }, shortDate(iso, lang)));
  }
  figure.append(drawing, element("figcaption", label, "app-chart__title"));
  return figure;
}

function block(item, lang) {
  if ("p" in item) return element("p", item.p);
  if ("list" in item) {
    const list = element("ul");
    list.append(...item.list.map((text) => element("li", text)));
    return list;
  }
  if ("contacts" in item) return contacts(item.contacts);
  if ("table" in item) return table(item.table);
  if ("chart" in item) return chart(item.chart, lang);
  return document.createDocumentFragment();
}

// Draws `doc` into `container` (emptied first); `level` is the heading level of its title.
export function renderDoc(doc, container, level = 2) {
  const lang = doc.lang || document.documentElement.lang || "en";
  const parts = [element(`h${level}`, doc.title, "app-doc__title")];
  for (const line of [doc.period, doc.made]) if (line) parts.push(element("p", line, "app-doc__meta"));
  for (const section of doc.sections) {
    const part = element("section", undefined, "app-doc__section");
    part.dataset.section = section.id;
    part.append(element(`h${level + 1}`, section.heading));
    part.append(...section.blocks.map((item) => block(item, lang)));
    parts.push(part);
  }
  if (doc.footer) parts.push(element("p", doc.footer, "app-doc__footer"));
  container.lang = lang;
  container.replaceChildren(...parts);
}
