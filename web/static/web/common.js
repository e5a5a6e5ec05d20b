// Helpers every page shares: building DOM without innerHTML, the JSON API, sockets that
// come back after a network drop. User data only ever reaches the page as textContent.

/** An element with attributes and children (strings become text nodes, never markup). */
export function h(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === false || value === null || value === undefined) continue;
    if (name.startsWith("on")) node.addEventListener(name.slice(2), value);
    else if (name === "dataset") Object.assign(node.dataset, value);
    else node.setAttribute(name, value === true ? "" : String(value));
  }
  node.append(...children.flat().filter((child) => child !== null && child !== undefined));
  return node;
}

function cookie(name) {
  const found = document.cookie.split("; ").find((part) => part.startsWith(`${name}=`));
  return found ? decodeURIComponent(found.slice(name.length + 1)) : "";
}

export class ApiError extends Error {
  constructor(status, code, detail) {
    super(detail || code);
    this.status = status;
    this.code = code;
  }
}

/** Call the JSON API with the session and CSRF token; the decoded answer or an ApiError. */
export async function api(path, { method = "GET", body } = {}) {
  const options = { method, credentials: "same-origin", headers: { Accept: "application/json" } };
  if (method !== "GET") {
    options.headers["X-CSRFToken"] = cookie("csrftoken");
    options.headers["Content-Type"] = "application/json";
    options.body = JSON.stringify(body ?? {});
  }
  let response;
  try {
    response = await fetch(path, options);
  } catch {
    throw new ApiError(0, "network", "The server cannot be reached; try again in a moment.");
  }
  const answer = await response.json().catch(() => ({}));
  if (!response.ok) {
    const error = answer.error || {};
    throw new ApiError(response.status, error.code || "http_error",
      error.detail || `The server answered ${response.status}.`);
  }
  return answer;
}

export function newClientId() {
  return crypto.randomUUID ? crypto.randomUUID()
    : `${Date.now().toString(36)}-${Math.random().toString(36).slice(2)}`;
}

// Close codes after which trying again cannot help: signed out, not allowed, suspended, gone.
const FINAL_CLOSE_CODES = new Set([4401, 4403, 4404]);

/**
 * A WebSocket to this origin that reconnects with backoff after any close the server did
 * not mean as final. `onopen` runs after every (re)connection: that is where a page resyncs.
 */
export class LiveSocket {
  constructor(path, { onopen, onframe, onstate, onfinal } = {}) {
    this.url = `${location.protocol === "https:" ? "wss" : "ws"}://${location.host}${path}`;
    this.handlers = { onopen, onframe, onstate, onfinal };
    this.delay = 500;
    this.stopped = false;
    this.connect();
  }

  connect() {
    this.handlers.onstate?.("connecting");
    const ws = new WebSocket(this.url);
    this.ws = ws;
    ws.addEventListener("open", () => {
      this.delay = 500;
      this.handlers.onstate?.("open");
      this.handlers.onopen?.();
    });
    ws.addEventListener("message", (event) => {
      let frame;
      try { frame = JSON.parse(event.data); } catch { return; }
      this.handlers.onframe?.(frame);
    });
    ws.addEventListener("close", (event) => {
      if (this.ws !== ws || this.stopped) return;
      if (FINAL_CLOSE_CODES.has(event.code)) {
        this.stopped = true;
        this.handlers.onstate?.("closed");
        this.handlers.onfinal?.(event.code);
        return;
      }
      this.handlers.onstate?.("reconnecting");
      setTimeout(() => this.connect(), this.delay);
      this.delay = Math.min(this.delay * 2, 5000);
    });
  }

  get open() {
    return this.ws?.readyState === WebSocket.OPEN;
  }

  /** Send a frame now; false when the socket is down (the caller keeps it for later). */
  send(frame) {
    if (!this.open) return false;
    this.ws.send(JSON.stringify(frame));
    return true;
  }

  stop() {
    this.stopped = true;
    this.ws?.close(1000);
  }
}

/** Show a message in a page's status line (an aria-live region). */
export function announce(target, text, kind = "info") {
  target.textContent = text;
  target.classList.remove("notice-info", "notice-warning", "notice-error");
  target.classList.add("notice", `notice-${kind}`);
  target.hidden = !text;
}

export function when(iso) {
  return iso ? new Date(iso).toLocaleString() : "";
}
