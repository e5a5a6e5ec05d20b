// The chat page: one conversation, wired from the data the server put on the page.
import { ChatView } from "./chat.js";

const root = document.getElementById("chat");
new ChatView(root, {
  conversationId: root.dataset.conversation,
  userId: document.body.dataset.userId,
  lastSeq: Number(root.dataset.lastSeq) || null,
});
