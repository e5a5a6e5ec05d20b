// One conversation on the chat socket: used by the chat page, the support widget and each
// of an agent's chats. It keeps what the protocol (docs/protocol.md) asks of a client:
// apply frames by seq once, resync after reconnecting, resend pending messages with their
// client_id until acknowledged.
import { LiveSocket, announce, h, newClientId, when } from "./common.js";

const PAGE = 50;
const TYPING_EVERY_MS = 3000;
const TYPING_SHOWN_MS = 4000;
const PLACEHOLDER = /\[(phone|email|handle|link) removed\]/g;
const KIND_WORDS = { phone: "phone number", email: "email address", handle: "external handle", url: "link" };

/** Masked text as nodes: placeholders get their own element so they look like what they are. */
function maskedText(text) {
  const parts = [];
  let last = 0;
  for (const match of text.matchAll(PLACEHOLDER)) {
    parts.push(text.slice(last, match.index));
    parts.push(h("span", { class: "masked", title: "Removed by the gateway" }, match[0]));
    last = match.index + match[0].length;
  }
  parts.push(text.slice(last));
  return parts.filter(Boolean);
}

export class ChatView {
  constructor(root, { conversationId, userId, lastSeq = null, onframe = null }) {
    this.userId = Number(userId);
    this.onframe = onframe;
    this.messages = new Map(); // message id -> {frame, node}
    this.applied = new Set(); // seqs already applied (history pages and live frames mix)
    this.pending = new Map(); // client_id -> {text, node}
    this.highestSeq = 0; // every seq up to here has been applied or asked for
    this.oldestSeq = null; // lowest seq loaded, for scrolling back
    this.hasOlder = false;
    this.readBy = new Map(); // user id -> seq they have read
    this.lastTypingSent = 0;
    this.closed = false;
    this.build(root);
    this.initialLastSeq = lastSeq;
    this.socket = new LiveSocket(`/ws/chat/${conversationId}/`, {
      onopen: () => this.resync(),
      onframe: (frame) => this.receive(frame),
      onstate: (state) => this.showState(state),
      onfinal: (code) => this.final(code),
    });
  }

  build(root) {
    this.presence = h("ul", { class: "presence", "aria-label": "Who is here" });
    this.state = h("span", { class: "conn-state", role: "status" });
    this.list = h("ol", { class: "messages", tabindex: "0", "aria-label": "Messages", "aria-live": "polite" });
    this.older = h("button", { type: "button", class: "link older", hidden: true, onclick: () => this.loadOlder() }, "Load earlier messages");
    this.typing = h("p", { class: "typing", "aria-live": "polite" });
    this.notice = h("p", { class: "notice", role: "alert", hidden: true });
    this.input = h("textarea", { name: "text", rows: "2", maxlength: "4000", required: true, "aria-label": "Message", placeholder: "Write a message" });
    this.sendButton = h("button", { type: "submit" }, "Send");
    this.composer = h("form", { class: "composer", onsubmit: (event) => { event.preventDefault(); this.submit(); } }, this.input, this.sendButton);
    this.input.addEventListener("keydown", (event) => {
      if (event.key === "Enter" && !event.shiftKey) { event.preventDefault(); this.submit(); }
    });
    this.input.addEventListener("input", () => this.sendTyping());
    this.list.addEventListener("scroll", () => { if (this.list.scrollTop < 40) this.loadOlder(); });
    root.append(h("div", { class: "chat-head" }, this.presence, this.state), this.older, this.list, this.typing, this.notice, this.composer);
    document.addEventListener("visibilitychange", () => this.markRead());
  }

  // --- the socket ---------------------------------------------------------------------------

  resync() {
    // The server announces everyone online on every new socket; who left meanwhile is gone.
    this.presence.replaceChildren();
    if (this.oldestSeq === null && this.highestSeq === 0 && this.initialLastSeq) {
      // A fresh page: the last page of messages; older ones come on scrolling back.
      const after = Math.max(0, this.initialLastSeq - PAGE);
      this.oldestSeq = after + 1;
      this.hasOlder = after > 0;
      this.highestSeq = after;
    }
    this.socket.send({ type: "history", after_seq: this.highestSeq, limit: PAGE });
    this.awaitingResync = true;
    for (const [clientId, item] of this.pending) {
      this.socket.send({ type: "message.send", client_id: clientId, text: item.text });
    }
  }

  receive(frame) {
    switch (frame.type) {
      case "history": return this.applyHistory(frame);
      case "message": case "message.update": return this.apply(frame);
      case "message.ack": return this.acknowledged(frame);
      case "message.withheld": return this.withheld(frame);
      case "warning": return this.warn(frame);
      case "moderation.warning": return announce(this.notice, `A moderator warns you: ${frame.detail}`, "warning");
      case "typing": return this.showTyping(frame.user);
      case "read": return this.showRead(frame);
      case "presence": return this.showPresence(frame);
      case "suspended": return this.suspend(frame.detail);
      case "error": return this.error(frame);
      default: return this.onframe?.(frame, this);
    }
  }

  applyHistory(frame) {
    const items = frame.messages || [];
    const backwards = this.loadingOlder;
    for (const item of items) this.apply(item, backwards);
    if (backwards) {
      this.loadingOlder = null; // one page asked for exactly the missing range
      return;
    }
    if (frame.has_more && items.length) {
      this.socket.send({ type: "history", after_seq: items[items.length - 1].seq, limit: PAGE });
      return;
    }
    this.awaitingResync = false;
    this.older.hidden = !this.hasOlder;
    this.scrollToEnd();
    this.markRead();
  }

  loadOlder() {
    if (!this.hasOlder || this.loadingOlder || !this.socket.open) return;
    const after = Math.max(0, this.oldestSeq - 1 - PAGE);
    this.loadingOlder = true;
    this.socket.send({ type: "history", after_seq: after, limit: this.oldestSeq - 1 - after });
    this.oldestSeq = after + 1;
    this.hasOlder = after > 0;
    this.older.hidden = !this.hasOlder;
  }

  apply(frame, older = false) {
    if (this.applied.has(frame.seq)) return;
    if (!older && frame.seq > this.highestSeq + 1 && !this.awaitingResync) {
      // A gap the server could not fill live (e.g. after a drop): ask for it.
      this.socket.send({ type: "history", after_seq: this.highestSeq, limit: PAGE });
      this.awaitingResync = true;
    }
    this.applied.add(frame.seq);
    if (!older) this.highestSeq = Math.max(this.highestSeq, frame.seq);
    if (this.oldestSeq === null || frame.seq < this.oldestSeq) this.oldestSeq = frame.seq;
    if (frame.type === "message.update") {
      const known = this.messages.get(frame.id);
      if (known) this.render(known.frame.seq, { ...known.frame, ...frame, seq: known.frame.seq, type: "message" });
      return;
    }
    this.render(frame.seq, frame, older);
    if (!older) {
      this.scrollToEnd();
      this.markRead();
    }
  }

  // --- drawing messages ---------------------------------------------------------------------

  render(seq, frame, older = false) {
    const mine = frame.sender?.id === this.userId;
    const pending = frame.client_id && this.pending.get(frame.client_id);
    const body = frame.deleted ? [h("em", {}, "message deleted")] : maskedText(frame.text);
    const node = h("li", {
      class: ["message", mine ? "mine" : "theirs", frame.redacted ? "redacted" : "", frame.deleted ? "deleted" : ""].join(" ").trim(),
      dataset: { seq: String(seq), id: String(frame.id) },
    },
    h("span", { class: "who" }, frame.sender?.display_name ?? ""),
    h("p", { class: "text" }, body),
    h("span", { class: "meta" }, when(frame.created_at), frame.edited_at ? " · edited" : "", h("span", { class: "receipt" })));
    const known = this.messages.get(frame.id);
    if (known) known.node.replaceWith(node);
    else if (pending) {
      pending.node.replaceWith(node);
      this.pending.delete(frame.client_id);
    } else this.insert(node, seq, older);
    this.messages.set(frame.id, { frame, node });
    this.refreshReceipts();
  }

  insert(node, seq, older) {
    if (older) {
      const before = [...this.list.querySelectorAll("li.message[data-seq]")].find((li) => Number(li.dataset.seq) > seq);
      const height = this.list.scrollHeight;
      this.list.insertBefore(node, before || this.list.querySelector("li.pending"));
      this.list.scrollTop += this.list.scrollHeight - height; // keep the reader's place
      return;
    }
    const firstPending = this.list.querySelector("li.pending");
    this.list.insertBefore(node, firstPending);
  }

  submit() {
    const text = this.input.value;
    if (!text.trim() || this.closed) return;
    const clientId = newClientId();
    const node = h("li", { class: "message mine pending" },
      h("p", { class: "text" }, text), h("span", { class: "meta" }, "sending…"));
    this.list.append(node);
    this.pending.set(clientId, { text, node });
    this.input.value = "";
    this.socket.send({ type: "message.send", client_id: clientId, text });
    this.scrollToEnd();
  }

  acknowledged(frame) {
    const item = this.pending.get(frame.client_id);
    if (!item) return;
    item.node.classList.replace("pending", "acked");
    item.node.dataset.id = String(frame.id);
    item.node.querySelector(".meta").textContent =
      frame.redacted ? "sent; contact details removed for the others" : "sent";
    // The broadcast `message` frame replaces this node; until then it is no longer pending.
  }

  withheld(frame) {
    const item = this.pending.get(frame.client_id);
    if (!item) return;
    this.pending.delete(frame.client_id);
    item.node.classList.replace("pending", "withheld");
    item.node.querySelector(".meta").textContent = `not delivered: ${frame.detail}`;
    if (frame.text !== undefined) this.input.value = frame.text;
  }

  warn(frame) {
    const kinds = (frame.types || []).map((kind) => KIND_WORDS[kind] || kind).join(", ");
    const notice = h("li", { class: "inline-notice", role: "status" },
      h("strong", {}, `Removed from your message: ${kinds}. `), frame.detail || "");
    const mine = [...this.list.querySelectorAll("li.message.mine")].pop();
    if (mine) mine.after(notice);
    else this.list.append(notice);
    this.scrollToEnd();
  }

  // --- people ---------------------------------------------------------------------------------

  sendTyping() {
    const now = Date.now();
    if (now - this.lastTypingSent < TYPING_EVERY_MS) return;
    this.lastTypingSent = now;
    this.socket.send({ type: "typing" });
  }

  showTyping(user) {
    this.typing.textContent = `${user.display_name} is typing…`;
    clearTimeout(this.typingTimer);
    this.typingTimer = setTimeout(() => { this.typing.textContent = ""; }, TYPING_SHOWN_MS);
  }

  markRead() {
    if (document.hidden || !this.highestSeq || this.highestSeq <= (this.readSent || 0)) return;
    if (this.socket.send({ type: "read", seq: this.highestSeq })) this.readSent = this.highestSeq;
  }

  showRead(frame) {
    if (frame.user.id === this.userId) return;
    this.readBy.set(frame.user.id, Math.max(frame.seq, this.readBy.get(frame.user.id) || 0));
    this.refreshReceipts();
  }

  refreshReceipts() {
    const seen = Math.max(0, ...this.readBy.values());
    for (const { frame, node } of this.messages.values()) {
      if (frame.sender?.id !== this.userId) continue;
      const receipt = node.querySelector(".receipt");
      receipt.textContent = frame.seq <= seen ? " · read" : "";
    }
  }

  showPresence(frame) {
    const id = `presence-${frame.user.id}`;
    let item = this.presence.querySelector(`[data-user="${frame.user.id}"]`);
    if (!item) {
      item = h("li", { dataset: { user: String(frame.user.id) }, id });
      this.presence.append(item);
    }
    item.className = frame.status;
    item.textContent = `${frame.user.display_name} (${frame.user.role}) · ${frame.status}`;
  }

  // --- trouble ----------------------------------------------------------------------------------

  showState(state) {
    const words = { connecting: "Connecting…", open: "Connected", reconnecting: "Connection lost: reconnecting…", closed: "Disconnected" };
    this.state.textContent = words[state];
    this.state.dataset.state = state;
  }

  error(frame) {
    if (frame.code === "suspended") return this.suspend(frame.detail);
    if (frame.code === "chat_closed") this.close("This chat is closed.");
    announce(this.notice, frame.detail || frame.code, "error");
  }

  suspend(detail) {
    this.close(detail || "Your account is suspended; you can appeal from your account page.");
    this.notice.append(" ", h("a", { href: "/account/" }, "Go to your account"));
  }

  final(code) {
    if (this.closed) return; // the error frame before the close already said why
    const why = { 4401: "You are signed out; sign in again.", 4403: "You cannot use this chat.", 4404: "This conversation does not exist." };
    this.close(why[code] || "The chat closed.");
  }

  /** Stop taking messages, for good, with a reason the user can read. */
  close(reason) {
    this.closed = true;
    this.input.disabled = true;
    this.sendButton.disabled = true;
    announce(this.notice, reason, "error");
  }

  scrollToEnd() {
    this.list.scrollTop = this.list.scrollHeight;
  }
}
