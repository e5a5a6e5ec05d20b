// The moderators' live queue: the feed's first `queue` frame, then flagged cases and
// appeals as they happen; the filter form asks the review API again.
import { LiveSocket, api, announce, h, when } from "./common.js";

const queue = document.getElementById("cases");
const appeals = document.getElementById("appeals");
const filters = document.getElementById("filters");
const status = document.getElementById("dashboard-status");

function caseItem(item, fresh = false) {
  return h("li", { class: `card${fresh ? " fresh" : ""}`, dataset: { case: String(item.id) } },
    h("a", { href: `/moderation/cases/${item.id}/` }, `Case ${item.id}: ${item.user.username}`), " ",
    h("span", { class: `badge severity-${Math.min(item.severity, 5)}` }, `severity ${item.severity}`), " ",
    h("span", { class: "muted" }, `${item.status} · conversation ${item.conversation} · ${when(item.updated_at)}`));
}

function filtered() {
  const params = new URLSearchParams();
  for (const [name, value] of new FormData(filters)) if (value) params.set(name, value);
  return params;
}

function show(cases) {
  queue.replaceChildren(...cases.map((item) => caseItem(item)));
  document.getElementById("cases-empty").hidden = cases.length > 0;
}

filters.addEventListener("submit", async (event) => {
  event.preventDefault();
  try {
    show(await api(`/api/moderation/cases/?${filtered()}`));
  } catch (error) {
    announce(status, error.message, "error");
  }
});

new LiveSocket("/ws/moderation/", {
  onstate: (state) => { document.getElementById("feed-state").textContent = state === "open" ? "Live" : "Reconnecting…"; },
  onframe(frame) {
    if (frame.type === "queue") {
      if ([...filtered()].length) filters.requestSubmit();
      else show(frame.cases);
    } else if (frame.type === "case.flagged") {
      queue.querySelector(`[data-case="${frame.case.id}"]`)?.remove();
      queue.prepend(caseItem(frame.case, true));
      document.getElementById("cases-empty").hidden = true;
      announce(status, `New flagged case ${frame.case.id} (${frame.case.user.username}).`, "warning");
    } else if (frame.type === "appeal.created") {
      appeals.prepend(h("li", { class: "card fresh" }, `Appeal ${frame.appeal.id} by user ${frame.appeal.user}: `, frame.appeal.text));
    }
  },
});

api("/api/moderation/appeals/").then((items) => {
  appeals.append(...items.map((item) => h("li", { class: "card" }, `Appeal ${item.id} by user ${item.user}: `, item.text)));
}).catch((error) => announce(status, error.message, "error"));
