// A case for review: transcript with the masked spans highlighted, the user's strikes and
// suspensions, reveal of the originals (audited by the API) and actions with a reason.
import { api, announce, h, when } from "./common.js";

const root = document.getElementById("case");
const caseId = root.dataset.case;
const status = document.getElementById("case-status");

/** A transcript line with the API's `highlights` spans marked, the rest plain text. */
function highlighted(text, spans) {
  const parts = [];
  let last = 0;
  for (const span of spans) {
    parts.push(text.slice(last, span.start), h("mark", { class: `masked kind-${span.type}` }, text.slice(span.start, span.end)));
    last = span.end;
  }
  parts.push(text.slice(last));
  return parts.filter(Boolean);
}

function table(caption, headings, rows) {
  return h("table", {}, h("caption", {}, caption),
    h("thead", {}, h("tr", {}, headings.map((title) => h("th", { scope: "col" }, title)))),
    h("tbody", {}, rows.length ? rows.map((cells) => h("tr", {}, cells.map((cell) => h("td", {}, cell))))
      : h("tr", {}, h("td", { colspan: String(headings.length) }, "None"))));
}

function render(detail) {
  document.getElementById("case-title").textContent = `Case ${detail.id}: ${detail.user.username}`;
  document.getElementById("case-summary").textContent =
    `${detail.status} · severity ${detail.severity} · conversation ${detail.conversation} · flagged ${when(detail.flagged_at)}`;
  const flagged = new Set(detail.violations.flatMap((v) => v.messages));
  document.getElementById("transcript").replaceChildren(...detail.transcript.map((line) =>
    h("li", { class: flagged.has(line.seq) ? "flagged" : "" },
      h("span", { class: "who" }, `#${line.seq} ${line.sender}`),
      h("p", { class: "text" }, highlighted(line.text, line.highlights)),
      h("span", { class: "meta" }, when(line.created_at)))));
  document.getElementById("violations").replaceChildren(table("Violations",
    ["When", "Kinds", "Disguised", "Action", "Messages", "Conversations with this detail"],
    detail.violations.map((v) => [when(v.created_at), v.kinds.join(", "), v.disguised ? "yes" : "no", v.action,
      v.messages.map((seq) => `#${seq}`).join(" "), String(v.pattern_conversations?.length ?? v.pattern_conversations ?? 0)])));
  document.getElementById("strikes").replaceChildren(
    table("Strike history", ["When", "Kinds", "Points", "Active", "Expires"],
      detail.strikes.map((s) => [when(s.created_at), s.kinds.join(", "), String(s.points), s.active ? "yes" : "no", when(s.expires_at)])),
    table("Suspensions", ["Started", "Reason", "Lifted", "Lift reason"],
      detail.suspensions.map((s) => [when(s.started_at), s.reason, when(s.lifted_at), s.lift_reason || ""])));
}

async function load() {
  try {
    render(await api(`/api/moderation/cases/${caseId}/`));
  } catch (error) {
    announce(status, error.message, "error");
  }
}

document.getElementById("reveal").addEventListener("submit", async (event) => {
  event.preventDefault();
  const reason = event.target.elements.reason.value;
  try {
    const { originals } = await api(`/api/moderation/cases/${caseId}/reveal/`, { method: "POST", body: { reason } });
    // One entry per violation: what was matched, and the original text of each message.
    document.getElementById("originals").replaceChildren(...originals.flatMap((violation) =>
      violation.originals.map((original) => h("li", {},
        h("span", { class: "who" }, `#${original.seq} (${original.reason}) matched “${violation.matched}”: `),
        original.text))));
    announce(status, "Originals revealed; this reveal is in the audit log.");
  } catch (error) {
    announce(status, error.message, "error");
  }
});

document.getElementById("act").addEventListener("submit", async (event) => {
  event.preventDefault();
  const action = event.submitter?.value;
  const reason = event.target.elements.reason.value;
  try {
    await api(`/api/moderation/cases/${caseId}/action/`, { method: "POST", body: { action, reason } });
    announce(status, `Done: ${action}.`);
    event.target.reset();
    load();
  } catch (error) {
    announce(status, error.message, "error");
  }
});

load();
