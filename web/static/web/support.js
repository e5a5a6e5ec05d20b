// The support widget on customers' pages: open a chat, see the place in the queue, talk,
// rate after closing, download the transcript.
import { LiveSocket, api, announce, h, newClientId } from "./common.js";
import { ChatView } from "./chat.js";

const widget = document.getElementById("support");
const toggle = document.getElementById("support-toggle");
const panel = document.getElementById("support-panel");
const body = panel.querySelector(".support-body");
const status = panel.querySelector(".support-status");
let current = null; // the chat shown
let view = null;
let feed = null;

toggle.addEventListener("click", () => {
  const opening = panel.hidden;
  panel.hidden = !opening;
  toggle.setAttribute("aria-expanded", String(opening));
  if (opening && !feed) start();
  if (opening) panel.querySelector("input, textarea, button")?.focus();
});

async function start() {
  feed = new LiveSocket("/ws/support/", { onframe: onFeed });
  try {
    const chats = await api("/api/support/chats/");
    const open = chats.find((chat) => chat.status !== "closed");
    if (open) show(open);
    else showForm();
  } catch (error) {
    announce(status, error.message, "error");
  }
}

function showForm() {
  current = null;
  body.replaceChildren();
  const subject = h("input", { name: "subject", required: true, maxlength: "200", id: "support-subject" });
  const text = h("textarea", { name: "text", required: true, rows: "3", id: "support-text" });
  const form = h("form", { class: "stack", onsubmit: async (event) => {
    event.preventDefault();
    try {
      show(await api("/api/support/chats/", { method: "POST", body: { subject: subject.value, text: text.value, client_id: newClientId() } }));
    } catch (error) {
      announce(status, error.message, "error");
    }
  } },
  h("label", { for: "support-subject" }, "Subject"), subject,
  h("label", { for: "support-text" }, "How can we help?"), text,
  h("button", { type: "submit" }, "Start a support chat"));
  body.append(form);
}

function show(chat) {
  current = chat;
  body.replaceChildren();
  describe(chat);
  const room = h("div", { class: "support-chat" });
  body.append(room);
  view?.socket.stop();
  view = new ChatView(room, { conversationId: chat.conversation, userId: document.body.dataset.userId, onframe: onFeed });
  if (chat.status === "closed") ended(chat);
}

function describe(chat) {
  if (chat.status === "queued") {
    const wait = chat.estimate_seconds ? `, about ${Math.ceil(chat.estimate_seconds / 60)} min` : "";
    announce(status, `You are number ${chat.position} in the queue${wait}.`);
  } else if (chat.status === "active") {
    announce(status, `${chat.agent?.display_name ?? "An agent"} is helping you.`);
  } else {
    announce(status, `Chat closed${chat.resolution ? `: ${chat.resolution}` : "."}`);
  }
}

function onFeed(frame) {
  if (!current || (frame.chat !== undefined && (frame.chat?.id ?? frame.chat) !== current.id)) {
    if (frame.type === "support.snapshot" && !current && frame.chats?.length) show(frame.chats[0]);
    return;
  }
  switch (frame.type) {
    case "support.queue.position":
      Object.assign(current, { position: frame.position, estimate_seconds: frame.estimate_seconds });
      return describe(current);
    case "support.agent.joined":
      Object.assign(current, { status: "active", agent: frame.agent });
      return describe(current);
    case "support.agent.left":
      return announce(status, `${frame.agent?.display_name ?? "The agent"} left (${frame.reason}); you keep your place in the queue.`);
    case "support.closed":
      if (current.status === "closed") return;
      Object.assign(current, { status: "closed", resolution: frame.resolution });
      describe(current);
      view?.close("This chat is closed.");
      return ended(current);
    default:
  }
}

function ended(chat) {
  const score = h("select", { name: "score", id: "support-score" },
    [5, 4, 3, 2, 1].map((n) => h("option", { value: String(n) }, `${n} / 5`)));
  const comment = h("input", { name: "comment", id: "support-comment", maxlength: "500" });
  const rating = h("form", { class: "stack rating", onsubmit: async (event) => {
    event.preventDefault();
    try {
      await api(`/api/support/chats/${chat.id}/rating/`, { method: "POST", body: { score: Number(score.value), comment: comment.value } });
      rating.replaceWith(h("p", { class: "done" }, "Thank you for your rating."));
    } catch (error) {
      announce(status, error.message, "error");
    }
  } },
  h("label", { for: "support-score" }, "How did we do?"), score,
  h("label", { for: "support-comment" }, "Comment (optional)"), comment,
  h("button", { type: "submit" }, "Send rating"));
  body.append(rating,
    h("p", {}, h("a", { href: `/api/support/chats/${chat.id}/transcript/?format=text`, download: `support-${chat.id}.txt` }, "Download the transcript")),
    h("button", { type: "button", class: "link", onclick: showForm }, "Start a new chat"));
}

widget.hidden = false;
