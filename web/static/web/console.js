// The agent console: live queue, own chats side by side, canned replies, internal notes,
// transfer, close with a resolution, presence switch. Feed frames: docs/support.md.
import { LiveSocket, api, announce, h, when } from "./common.js";
import { ChatView } from "./chat.js";

const queueList = document.getElementById("queue");
const chatsArea = document.getElementById("my-chats");
const status = document.getElementById("console-status");
const presence = document.getElementById("presence");
const agentChoices = document.getElementById("agent-choices");
const userId = document.body.dataset.userId;
const panes = new Map(); // chat id -> {node, view}
let canned = [];

const feed = new LiveSocket("/ws/support/console/", {
  onframe: receive,
  onstate: (state) => { document.getElementById("feed-state").textContent = state === "open" ? "Live" : "Reconnecting…"; },
  onfinal: () => announce(status, "The console closed: only agents may use it.", "error"),
});

presence.addEventListener("change", () => feed.send({ type: "presence", status: presence.value }));

function receive(frame) {
  switch (frame.type) {
    case "support.snapshot":
      canned = frame.canned || [];
      showStatus(frame.status);
      queueList.replaceChildren(...frame.queue.map(queueItem));
      for (const chat of frame.chats) openPane(chat);
      return emptyQueue();
    case "support.queue.added":
      if (!queueList.querySelector(`[data-chat="${frame.chat.id}"]`)) queueList.append(queueItem(frame.chat));
      return emptyQueue();
    case "support.queue.removed":
      queueList.querySelector(`[data-chat="${frame.chat.id ?? frame.chat}"]`)?.remove();
      return emptyQueue();
    case "support.chat.assigned":
      return openPane(frame.chat);
    case "support.chat.removed":
      return closePane(frame.chat.id ?? frame.chat, frame.reason);
    case "support.status":
      return showStatus(frame);
    case "error":
      return announce(status, frame.detail || frame.code, "error");
    default:
  }
}

function showStatus(state) {
  if (!state) return;
  presence.value = state.presence;
  document.getElementById("load").textContent = `${state.active_chats} of ${state.capacity} chats`;
}

function emptyQueue() {
  document.getElementById("queue-empty").hidden = queueList.children.length > 0;
}

function queueItem(chat) {
  return h("li", { class: "card", dataset: { chat: String(chat.id) } },
    h("strong", {}, chat.subject), " ",
    h("span", { class: "muted" }, `${chat.user?.display_name ?? ""} · waiting since ${when(chat.opened_at)}`),
    chat.first_message ? h("p", { class: "text" }, chat.first_message.text ?? String(chat.first_message)) : null,
    h("button", { type: "button", onclick: () => feed.send({ type: "claim", chat: chat.id }) }, "Claim"));
}

function openPane(chat) {
  if (panes.has(chat.id)) return;
  const room = h("div", { class: "pane-chat" });
  const note = h("input", { name: "note", "aria-label": "Internal note or transfer note", placeholder: "Internal note" });
  const notes = h("ul", { class: "notes", "aria-label": "Internal notes" });
  const target = h("select", { "aria-label": "Transfer to" }, h("option", { value: "" }, "Back to the queue"),
    [...agentChoices.options].map((option) => option.cloneNode(true)));
  const resolution = h("input", { name: "resolution", "aria-label": "Resolution", placeholder: "Resolution", required: true });
  const cannedPicker = h("select", { "aria-label": "Canned reply" }, h("option", { value: "" }, "Canned reply…"),
    canned.map((reply) => h("option", { value: String(reply.id) }, reply.title)));
  const node = h("section", { class: "pane", dataset: { chat: String(chat.id) }, "aria-label": `Chat ${chat.subject}` },
    h("h3", {}, chat.subject, " ", h("span", { class: "muted" }, `with ${chat.user?.display_name ?? ""}`)),
    room,
    h("div", { class: "tools" },
      cannedPicker,
      h("form", { class: "row", onsubmit: (event) => { event.preventDefault(); addNote(chat, note, notes); } },
        note, h("button", { type: "submit" }, "Add note")),
      notes,
      h("form", { class: "row", onsubmit: (event) => { event.preventDefault(); transfer(chat, target, note); } },
        target, h("button", { type: "submit" }, "Transfer")),
      h("form", { class: "row", onsubmit: (event) => { event.preventDefault(); closeChat(chat, resolution); } },
        resolution, h("button", { type: "submit", class: "danger" }, "Close chat"))));
  chatsArea.append(node);
  const view = new ChatView(room, { conversationId: chat.conversation, userId });
  cannedPicker.addEventListener("change", () => {
    const reply = canned.find((item) => String(item.id) === cannedPicker.value);
    if (reply) view.input.value = `${view.input.value}${view.input.value ? " " : ""}${reply.text}`;
    cannedPicker.value = "";
    view.input.focus();
  });
  panes.set(chat.id, { node, view });
  loadNotes(chat, notes);
  document.getElementById("chats-empty").hidden = true;
}

function closePane(chatId, reason) {
  const pane = panes.get(chatId);
  if (!pane) return;
  pane.view.socket.stop();
  pane.node.remove();
  panes.delete(chatId);
  announce(status, `Chat ${chatId} left your console (${reason}).`);
  document.getElementById("chats-empty").hidden = panes.size > 0;
}

async function loadNotes(chat, list) {
  try {
    const notes = await api(`/api/support/chats/${chat.id}/notes/`);
    list.replaceChildren(...notes.map(noteItem));
  } catch (error) {
    announce(status, error.message, "error");
  }
}

function noteItem(note) {
  return h("li", {}, h("span", { class: "muted" }, `${note.author?.display_name ?? note.author ?? ""}: `), note.text);
}

async function addNote(chat, input, list) {
  if (!input.value.trim()) return;
  try {
    list.append(noteItem(await api(`/api/support/chats/${chat.id}/notes/`, { method: "POST", body: { text: input.value } })));
    input.value = "";
  } catch (error) {
    announce(status, error.message, "error");
  }
}

async function transfer(chat, target, note) {
  try {
    await api(`/api/support/chats/${chat.id}/transfer/`, {
      method: "POST", body: { to: target.value ? Number(target.value) : null, note: note.value || "Transferred" },
    });
    note.value = "";
    closePane(chat.id, "transferred");
  } catch (error) {
    announce(status, error.message, "error");
  }
}

async function closeChat(chat, resolution) {
  if (!resolution.value.trim()) { resolution.focus(); return; }
  try {
    await api(`/api/support/chats/${chat.id}/close/`, { method: "POST", body: { resolution: resolution.value } });
    closePane(chat.id, "closed");
  } catch (error) {
    announce(status, error.message, "error");
  }
}
