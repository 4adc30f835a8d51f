// The reminder form on /reminders: read it, fill it, check it, and show what is wrong
// (an error summary that takes focus, plus a message by each field, after GOV.UK Frontend).
const TIME = /^([01]\d|2[0-3]):[0-5]\d$/;

export function timeZoneIsKnown(name) {
  if (!name) return false;
  try {
    new Intl.DateTimeFormat("en", { timeZone: name });
    return true;
  } catch {
    return false;
  }
}

// The device's time zone in the box, once, unless something is there already. Asking the
// browser for it starts its time-zone data (about 50 ms on a fast machine, a long task on a
// slow phone: Lighthouse's total blocking time on /reminders, issue 15), so it is done when
// the box comes near the screen or the form is first used, not while the page loads.
function offerDeviceZone(form) {
  if ("zoneOffered" in form.dataset) return;
  form.dataset.zoneOffered = "";
  const input = form.elements.timezone;
  if (!input.value) {
    const zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
    if (timeZoneIsKnown(zone)) input.value = zone;
  }
}

// And every zone the browser knows in the box's list (about 430), built when the person
// first reaches the box.
export function offerTimeZones(form) {
  const input = form.elements.timezone;
  const list = form.querySelector("datalist");
  const offerList = () => {
    if (list.childElementCount) return;
    const zones = Intl.supportedValuesOf ? Intl.supportedValuesOf("timeZone") : [];
    list.replaceChildren(...zones.map((zone) => new Option(zone)));
  };
  for (const event of ["focus", "pointerdown"]) {
    input.addEventListener(event, offerList, { once: true });
  }
  form.addEventListener("focusin", () => offerDeviceZone(form), { once: true });
  if (!("IntersectionObserver" in window)) {
    offerDeviceZone(form);
    return;
  }
  const near = new IntersectionObserver(
    (entries) => {
      if (!entries.some((entry) => entry.isIntersecting)) return;
      near.disconnect();
      offerDeviceZone(form);
    },
    { rootMargin: "100% 0px" },
  );
  near.observe(input);
}

export function readSchedule(form) {
  offerDeviceZone(form); // sent without the box ever coming near the screen
  return {
    days: [...form.querySelectorAll("input[name=days]:checked")].map((input) =>
      Number(input.value),
    ),
    times: [...form.querySelectorAll("input[name=times]")]
      .map((input) => input.value.trim().slice(0, 5))
      .filter(Boolean),
    timezone: form.elements.timezone.value.trim(),
  };
}

export const readMessage = (form) =>
  form.querySelector("input[name=message]:checked")?.value || "checkin";

export function fill(form, schedule, message) {
  for (const input of form.querySelectorAll("input[name=days]")) {
    input.checked = schedule.days.includes(Number(input.value));
  }
  const times = [...schedule.times].sort();
  form.querySelectorAll("input[name=times]").forEach((input, i) => {
    input.value = times[i] || "";
  });
  form.elements.timezone.value = schedule.timezone;
  for (const input of form.querySelectorAll("input[name=message]")) {
    input.checked = input.value === message;
  }
}

// [{field, message}] for everything wrong, [] when the schedule can be sent.
export function problems(schedule, texts) {
  const found = [];
  if (schedule.days.length === 0) found.push({ field: "days", message: texts.no_days });
  if (schedule.times.length === 0) {
    found.push({ field: "times", message: texts.no_time });
  } else if (!schedule.times.every((time) => TIME.test(time))) {
    found.push({ field: "times", message: texts.bad_time });
  } else if (new Set(schedule.times).size !== schedule.times.length) {
    found.push({ field: "times", message: texts.same_time });
  }
  if (!schedule.timezone) found.push({ field: "timezone", message: texts.no_zone });
  else if (!timeZoneIsKnown(schedule.timezone)) {
    found.push({ field: "timezone", message: texts.bad_zone });
  }
  return found;
}

// The fields the API names in a 422 ({errors: {json: {schedule: {times: [...]}}}}).
export function problemsFromServer(body, texts) {
  const errors = body?.errors?.json || body?.errors || {};
  const schedule = errors.schedule || {};
  const found = [];
  const messages = { days: texts.no_days, times: texts.bad_time, timezone: texts.bad_zone };
  for (const [field, message] of Object.entries(messages)) {
    if (schedule[field]) found.push({ field, message });
  }
  if (found.length === 0) found.push({ field: null, message: texts.rejected });
  return found;
}

function fieldFor(root, field) {
  return field && root.querySelector(`#${CSS.escape(field)}`);
}

// The first control of a field (an error summary link moves focus there).
function firstControl(element) {
  return element.matches("input, select") ? element : element.querySelector("input, select");
}

export function showProblems(root, found) {
  clearProblems(root);
  const summary = root.querySelector("[data-error-summary]");
  const list = summary.querySelector("[data-error-list]");
  list.replaceChildren(
    ...found.map(({ field, message }) => {
      const item = document.createElement("li");
      const element = fieldFor(root, field);
      if (element) {
        const link = document.createElement("a");
        link.href = `#${field}`;
        link.textContent = message;
        link.addEventListener("click", (event) => {
          event.preventDefault();
          firstControl(element)?.focus();
          element.scrollIntoView({ block: "center" });
        });
        item.append(link);
        const inline = root.querySelector(`#${CSS.escape(field)}-error`);
        if (inline) {
          inline.textContent = message;
          inline.hidden = false;
          for (const control of element.matches("input")
            ? [element]
            : element.querySelectorAll("input")) {
            control.setAttribute("aria-invalid", "true");
          }
          const described = (element.getAttribute("aria-describedby") || "").split(" ");
          if (!described.includes(inline.id)) {
            element.setAttribute("aria-describedby", [...described, inline.id].join(" ").trim());
          }
        }
      } else {
        item.textContent = message;
      }
      return item;
    }),
  );
  summary.hidden = false;
  summary.focus();
}

export function clearProblems(root) {
  root.querySelector("[data-error-summary]").hidden = true;
  for (const inline of root.querySelectorAll(".app-error[id$='-error']")) {
    inline.hidden = true;
    inline.textContent = "";
  }
  for (const control of root.querySelectorAll("[aria-invalid]")) {
    control.removeAttribute("aria-invalid");
  }
}
