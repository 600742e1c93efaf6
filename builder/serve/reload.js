// reply-archive serve: reloads the page after a rebuild and shows build errors over it.
// The preview server adds this script to the HTML it sends; it is never in the built site.
(function () {
  "use strict";
  var script = document.currentScript;
  var pageEpoch = script ? script.getAttribute("data-epoch") : null;
  var EVENTS = "/__reply_archive/events";
  var STATE = "/__reply_archive/state.json";
  var HOST_ID = "reply-archive-errors";
  var shownErrors = "[]";
  var dismissed = null;

  function handle(state) {
    if (!state || typeof state.epoch !== "string") return;
    if (pageEpoch !== null && state.epoch !== pageEpoch) {
      location.reload();
      return;
    }
    showErrors(Array.isArray(state.errors) ? state.errors : []);
  }

  function showErrors(errors) {
    var key = JSON.stringify(errors);
    if (key === shownErrors && document.getElementById(HOST_ID)) return;
    shownErrors = key;
    var old = document.getElementById(HOST_ID);
    if (old) old.remove();
    if (errors.length === 0 || key === dismissed) return;
    document.body.appendChild(overlay(errors, key));
  }

  function overlay(errors, key) {
    var host = document.createElement("div");
    host.id = HOST_ID;
    var root = host.attachShadow({ mode: "open" });
    var style = document.createElement("style");
    style.textContent =
      ".box{position:fixed;left:0;right:0;top:0;z-index:2147483647;max-height:60vh;" +
      "overflow:auto;margin:0;padding:1rem 1.25rem;background:#fff;color:#1a1a1a;" +
      "border-bottom:4px solid #b00020;box-shadow:0 2px 12px rgba(0,0,0,.35);" +
      "font:16px/1.5 system-ui,sans-serif}" +
      "h2{margin:0 0 .5rem;font-size:1.1rem;color:#b00020}" +
      "ul{margin:0 0 .75rem;padding-left:1.25rem}li{margin:.25rem 0}" +
      "code{font:14px/1.5 ui-monospace,monospace;white-space:pre-wrap;word-break:break-word}" +
      "button{font:inherit;padding:.25rem .75rem;border:2px solid #1a1a1a;background:#fff;" +
      "color:#1a1a1a;border-radius:4px;cursor:pointer}" +
      "button:focus-visible{outline:3px solid #0b57d0;outline-offset:2px}";
    var box = document.createElement("section");
    box.className = "box";
    box.setAttribute("role", "alert");
    box.setAttribute("aria-labelledby", "title");
    box.setAttribute("lang", "zh-CN");
    var title = document.createElement("h2");
    title.id = "title";
    title.textContent =
      "构建失败（build failed）：显示的是上次成功构建的页面，共 " + errors.length + " 个错误";
    var list = document.createElement("ul");
    errors.forEach(function (error) {
      var item = document.createElement("li");
      var code = document.createElement("code");
      code.textContent = String(error); // text, never markup: messages quote the user's files
      item.appendChild(code);
      list.appendChild(item);
    });
    var note = document.createElement("p");
    note.textContent = "改正后保存文件，此提示会自动消失。";
    var close = document.createElement("button");
    close.type = "button";
    close.textContent = "关闭提示";
    close.addEventListener("click", function () {
      dismissed = key;
      host.remove();
    });
    box.append(title, list, note, close);
    root.append(style, box);
    return host;
  }

  function refresh() {
    fetch(STATE, { cache: "no-store" })
      .then(function (response) {
        return response.json();
      })
      .then(handle, function () {});
  }

  function connect(channel) {
    var source = new EventSource(EVENTS);
    source.addEventListener("error", function () {
      // The browser retries a dropped stream by itself, but not one it closed.
      if (source.readyState === EventSource.CLOSED) {
        setTimeout(function () {
          connect(channel);
        }, 1000);
      }
    });
    source.addEventListener("state", function (event) {
      var state;
      try {
        state = JSON.parse(event.data);
      } catch (error) {
        return;
      }
      if (channel) channel.postMessage(state);
      handle(state);
    });
  }

  // One event stream per browser, not per tab: browsers allow only six connections to a
  // host, and each open preview page would hold one. The tab holding the lock listens and
  // tells the others; when it closes, another tab takes the lock over.
  if (navigator.locks && typeof BroadcastChannel === "function") {
    var channel = new BroadcastChannel("reply-archive-serve");
    channel.onmessage = function (event) {
      handle(event.data);
    };
    navigator.locks.request("reply-archive-serve-events", function () {
      connect(channel);
      return new Promise(function () {}); // held while this page is open
    });
    refresh();
    document.addEventListener("visibilitychange", function () {
      if (document.visibilityState === "visible") refresh();
    });
  } else {
    connect(null);
  }
})();
