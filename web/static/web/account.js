// The account page: suspension notice with the reason, strike history, appeals.
import { api, announce, h, when } from "./common.js";

const status = document.getElementById("account-status");
const notice = document.getElementById("suspension");

function appealForm(target) {
  const text = h("input", { name: "text", required: true, maxlength: "2000", "aria-label": "Why this is wrong", placeholder: "Why this is wrong" });
  return h("form", { class: "row", onsubmit: async (event) => {
    event.preventDefault();
    try {
      await api("/api/account/appeals/", { method: "POST", body: { ...target, text: text.value } });
      announce(status, "Your appeal is in the moderators' queue.");
      load();
    } catch (error) {
      announce(status, error.message, "error");
    }
  } }, text, h("button", { type: "submit" }, "Appeal"));
}

function render(data) {
  const current = data.suspensions.find((s) => !s.lifted_at);
  notice.hidden = !data.suspended;
  if (data.suspended) {
    notice.replaceChildren(h("h2", {}, "Your account is suspended"),
      h("p", {}, `Reason: ${current?.reason || "repeated sharing of contact details"}.`),
      h("p", {}, `Since ${when(current?.started_at)}. You cannot send messages until a moderator lifts it.`),
      current && !data.appeals.some((a) => a.suspension === current.id) ? appealForm({ suspension: current.id }) : h("p", {}, "Your appeal is pending."));
  }
  document.getElementById("points").textContent =
    `${data.active_points} active strike point(s); an account is suspended at ${data.suspend_at}.`;
  const appealed = new Set(data.appeals.map((a) => a.strike).filter(Boolean));
  document.getElementById("strikes").replaceChildren(...(data.strikes.length ? data.strikes.map((s) =>
    h("li", { class: `card${s.active ? "" : " inactive"}` },
      h("strong", {}, s.kinds.join(", ")), ` · ${s.points} point(s)${s.disguised ? " (disguised)" : ""} · ${when(s.created_at)} · `,
      s.active ? `expires ${when(s.expires_at)}` : "no longer counts",
      s.active && !appealed.has(s.id) ? appealForm({ strike: s.id }) : null))
    : [h("li", {}, "No strikes.")]));
  document.getElementById("appeals").replaceChildren(...data.appeals.map((a) =>
    h("li", {}, `${when(a.created_at)}: ${a.status}${a.outcome ? ` (${a.outcome})` : ""} · `, a.text)));
}

async function load() {
  try {
    render(await api("/api/account/strikes/"));
  } catch (error) {
    announce(status, error.message, "error");
  }
}

load();
