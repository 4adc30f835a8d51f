// Scoring a self-check on the device: the JavaScript twin of backend/selfcheck/scoring.py.
// Both read the same rules (backend/selfcheck/content/rules.json) and both pass the
// vectors in tests/selfcheck/vectors.json. Answers never leave the phone.

export class InvalidAnswer extends Error {
  constructor(question, reason) {
    super(`${question}: ${reason}`);
    this.question = question;
  }
}

export function maxScore(rules) {
  return rules.questions.reduce(
    (sum, q) => sum + Math.max(...q.options.map((o) => o.points)), 0);
}

function isCounted(question, answers) {
  const condition = question.not_counted_if;
  if (!condition) return true;
  return !condition.answers.includes(answers[condition.question]);
}

// A person taking it as prescribed who notices dependence gets the "dependence" band instead
// of a low one, and its steps (rules.dependence; the same rule as scoring.py).
function showsDependence(dependence, rules, answers) {
  if (!dependence.if.answers.includes(answers[dependence.if.question])) return false;
  return dependence.questions.some((id) => {
    const question = rules.questions.find((q) => q.id === id);
    const option = question?.options.find((o) => o.id === answers[id]);
    return Boolean(option && option.points > 0);
  });
}

// answers: {questionId: optionId}; skipped questions are simply absent.
export function scoreAnswers(rules, answers) {
  const known = new Set(rules.questions.map((q) => q.id));
  for (const id of Object.keys(answers)) {
    if (!known.has(id)) throw new InvalidAnswer(id, "unknown question");
  }
  let total = 0;
  let answered = 0;
  const redFlags = new Set();
  const steps = new Set();
  const signs = [];
  for (const question of rules.questions) {
    const chosen = answers[question.id];
    if (chosen === undefined || chosen === null) continue;
    const option = question.options.find((o) => o.id === chosen);
    if (!option) throw new InvalidAnswer(question.id, `unknown option '${chosen}'`);
    answered += 1;
    if (isCounted(question, answers) && option.points > 0) {
      total += option.points;
      signs.push(question.id);
    }
    if (option.red_flag) redFlags.add(option.red_flag);
    for (const step of option.steps || []) steps.add(step);
  }
  let band = rules.bands[0];
  for (const candidate of rules.bands) {
    if (total >= candidate.min_score) band = candidate;
  }
  const dependence = rules.dependence;
  if (dependence && showsDependence(dependence, rules, answers)) {
    for (const step of dependence.steps) steps.add(step);
    if (dependence.replaces.includes(band.id)) band = dependence.band;
  }
  for (const step of band.steps || []) steps.add(step);
  const flags = rules.red_flags.filter((f) => redFlags.has(f));
  return {
    score: total,
    max_score: maxScore(rules),
    band: band.id,
    red_flags: flags,
    signs,
    steps: rules.steps.filter((s) => steps.has(s)),
    answered,
    crisis: flags.length > 0,
  };
}
