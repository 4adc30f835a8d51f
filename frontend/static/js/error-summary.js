// An error summary takes focus when the page loads, so screen readers announce it first.
export function init(summary) {
  summary.focus();
}
