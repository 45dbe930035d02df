/* One-time form tokens that survive "back": a form page shown again from history sends the token it first had. */
(function () {
  "use strict";
  // Going back re-fetches the page with a new token, while the browser restores what was typed; the
  // history entry's state keeps the first token, so sending again finds the report already filed.
  const inputs = document.querySelectorAll("input[name=submission_token]");
  if (!inputs.length || !window.history || !window.history.replaceState) {
    return;
  }
  const state = window.history.state && typeof window.history.state === "object" ? window.history.state : {};
  const kept = state.submissionTokens || {};
  inputs.forEach(function (input) {
    const key = (input.form && input.form.id) || "form";
    if (kept[key]) {
      input.value = kept[key];
    } else {
      kept[key] = input.value;
    }
  });
  window.history.replaceState(Object.assign({}, state, { submissionTokens: kept }), "");
})();
