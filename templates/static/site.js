// reply-archive: small enhancements; every page works without this script.
//
// Loaded in <head> without `defer`: the reader's saved reading mode is put on <html>
// before the first paint (no flash of small text), and the buttons are wired once the
// document is parsed.
//
// - 大字模式 (the 适老化 reading mode): larger text and higher contrast, one button in the
//   header of every page, remembered across pages. The choice is kept in localStorage (in
//   Chromium every file:// page shares one store too) and, for browsers that give pages
//   opened from disk no shared storage, in window.name, which lives as long as the tab.
// - 朗读全文 (read aloud) on a reply: the browser's own speech synthesis, sentence by
//   sentence, pausable; the controls stay hidden where the browser cannot speak Chinese.
(function () {
  "use strict";

  var root = document.documentElement;
  var STORE_KEY = "reply-archive.reading-mode";
  var NAME_PREFIX = "reply-archive.reading-mode=";
  var READING_CLASS = "reading-mode";

  root.classList.add("js");

  // -- the reading mode ------------------------------------------------------------------

  // This tab's latest choice (window.name) comes first: where each file:// page has its own
  // storage, a page's stored value may be older than the choice made on the last page.
  function savedMode() {
    var name = String(window.name || "");
    if (name.indexOf(NAME_PREFIX) === 0) {
      var value = name.slice(NAME_PREFIX.length);
      if (value === "on" || value === "off") return value;
    }
    try {
      var stored = window.localStorage.getItem(STORE_KEY);
      if (stored === "on" || stored === "off") return stored;
    } catch (e) {
      // No storage: the default.
    }
    return "off";
  }

  function rememberInTab(value) {
    if (!window.name || String(window.name).indexOf(NAME_PREFIX) === 0) {
      window.name = NAME_PREFIX + value;
    }
  }

  function saveMode(value) {
    try {
      window.localStorage.setItem(STORE_KEY, value);
    } catch (e) {
      // No storage (private mode, or file:// in some browsers): window.name still works.
    }
    rememberInTab(value);
  }

  function applyMode(value) {
    var on = value === "on";
    root.classList.toggle(READING_CLASS, on);
    var buttons = document.querySelectorAll(".reading-toggle");
    for (var i = 0; i < buttons.length; i++) {
      buttons[i].setAttribute("aria-pressed", on ? "true" : "false");
    }
  }

  function wireReadingMode() {
    var buttons = document.querySelectorAll(".reading-toggle");
    for (var i = 0; i < buttons.length; i++) {
      buttons[i].addEventListener("click", function () {
        var value = root.classList.contains(READING_CLASS) ? "off" : "on";
        saveMode(value);
        applyMode(value);
      });
    }
    applyMode(savedMode());
    // Another tab changed it, or this page came back from the back/forward cache.
    window.addEventListener("storage", function (event) {
      if (event.key === STORE_KEY && (event.newValue === "on" || event.newValue === "off")) {
        rememberInTab(event.newValue);
        applyMode(event.newValue);
      }
    });
    window.addEventListener("pageshow", function (event) {
      if (event.persisted) applyMode(savedMode());
    });
  }

  applyMode(savedMode());

  // -- read aloud ------------------------------------------------------------------------

  var SENTENCE_END = /[^。！？；!?;]+[。！？；!?;」”’）)]*/g;
  var MAX_CHUNK = 120;

  function chineseVoice(synth) {
    var voices = [];
    try {
      voices = synth.getVoices() || [];
    } catch (e) {
      voices = [];
    }
    var best = null;
    var score = 0;
    for (var i = 0; i < voices.length; i++) {
      var lang = String(voices[i].lang || "").replace("_", "-").toLowerCase();
      if (lang.indexOf("zh") !== 0) continue;
      var s = 1 + (lang === "zh-cn" ? 2 : 0) + (voices[i].localService ? 1 : 0);
      if (s > score) {
        best = voices[i];
        score = s;
      }
    }
    return best;
  }

  // The text to read, in order, as [element, sentence] pairs of at most MAX_CHUNK chars.
  function readingChunks(article) {
    var elements = [];
    var heading = article.querySelector("h1");
    if (heading) elements.push(heading);
    var proposal = article.querySelector(".reply-proposal");
    if (proposal) elements.push(proposal);
    var text = article.querySelector(".reply-text");
    if (text) {
      var blocks = text.querySelectorAll("h2, h3, h4, h5, h6, p, li, th, td, blockquote");
      for (var i = 0; i < blocks.length; i++) {
        var block = blocks[i];
        if (block.closest(".contacts")) continue;
        if (block.querySelector("p, li, h2, h3, h4, h5, h6, table, blockquote")) continue;
        elements.push(block);
      }
    }
    var chunks = [];
    for (var j = 0; j < elements.length; j++) {
      var sentences = splitSentences(elements[j].textContent || "");
      for (var k = 0; k < sentences.length; k++) {
        chunks.push({ element: elements[j], text: sentences[k] });
      }
    }
    return chunks;
  }

  function splitSentences(text) {
    var clean = text.replace(/\s+/g, " ").trim();
    var parts = clean.match(SENTENCE_END) || [];
    var out = [];
    for (var i = 0; i < parts.length; i++) {
      var part = parts[i].trim();
      while (part.length > MAX_CHUNK) {
        var cut = Math.max(part.lastIndexOf("，", MAX_CHUNK), part.lastIndexOf(",", MAX_CHUNK));
        cut = cut > MAX_CHUNK / 3 ? cut + 1 : MAX_CHUNK;
        out.push(part.slice(0, cut));
        part = part.slice(cut).trim();
      }
      if (part) out.push(part);
    }
    return out;
  }

  function ReadAloud(box, article, synth) {
    this.box = box;
    this.article = article;
    this.synth = synth;
    this.toggle = box.querySelector(".read-aloud-toggle");
    this.stopButton = box.querySelector(".read-aloud-stop");
    this.status = box.querySelector(".read-aloud-status");
    this.state = "idle";
    this.chunks = [];
    this.index = 0;
    this.run = 0;
    this.current = null;
  }

  ReadAloud.prototype.wire = function () {
    var self = this;
    this.toggle.addEventListener("click", function () {
      if (self.state === "idle") self.start();
      else if (self.state === "speaking") self.pause();
      else self.resume();
    });
    this.stopButton.addEventListener("click", function () {
      self.stop("已停止朗读");
      self.toggle.focus();
    });
    window.addEventListener("pagehide", function () {
      if (self.state !== "idle") self.stop("");
    });
    this.showIfSpeakable();
    if (typeof this.synth.addEventListener === "function") {
      this.synth.addEventListener("voiceschanged", function () {
        self.showIfSpeakable();
      });
    }
  };

  ReadAloud.prototype.showIfSpeakable = function () {
    var speakable = chineseVoice(this.synth) !== null;
    if (!speakable && this.state !== "idle") this.stop("");
    this.box.hidden = !speakable;
  };

  ReadAloud.prototype.start = function () {
    this.chunks = readingChunks(this.article);
    this.index = 0;
    this.run += 1;
    this.synth.cancel();
    this.show("speaking", "暂停", "正在朗读");
    this.speakNext(this.run);
  };

  ReadAloud.prototype.speakNext = function (run) {
    if (run !== this.run) return;
    if (this.index >= this.chunks.length) {
      this.stop("朗读完毕");
      return;
    }
    var self = this;
    var chunk = this.chunks[this.index];
    var utterance = new window.SpeechSynthesisUtterance(chunk.text);
    utterance.lang = "zh-CN";
    var voice = chineseVoice(this.synth);
    if (voice) utterance.voice = voice;
    utterance.rate = 0.9;
    utterance.onend = function () {
      if (run !== self.run) return;
      self.index += 1;
      self.speakNext(run);
    };
    utterance.onerror = function (event) {
      if (run !== self.run) return;
      var reason = event && event.error;
      if (reason === "interrupted" || reason === "canceled") return;
      self.stop("无法朗读：浏览器的语音合成出错");
    };
    this.mark(chunk.element);
    this.synth.speak(utterance);
  };

  ReadAloud.prototype.pause = function () {
    this.synth.pause();
    this.show("paused", "继续", "已暂停");
  };

  ReadAloud.prototype.resume = function () {
    this.synth.resume();
    this.show("speaking", "暂停", "正在朗读");
  };

  ReadAloud.prototype.stop = function (message) {
    this.run += 1;
    this.synth.cancel();
    this.mark(null);
    this.show("idle", "朗读全文", message);
  };

  ReadAloud.prototype.show = function (state, label, message) {
    this.state = state;
    this.box.setAttribute("data-state", state);
    this.toggle.textContent = label;
    this.stopButton.hidden = state === "idle";
    this.status.textContent = message;
  };

  ReadAloud.prototype.mark = function (element) {
    if (this.current === element) return;
    if (this.current) this.current.classList.remove("read-aloud-current");
    this.current = element;
    if (!element) return;
    element.classList.add("read-aloud-current");
    if (typeof element.scrollIntoView === "function") {
      var still = window.matchMedia && window.matchMedia("(prefers-reduced-motion: reduce)");
      element.scrollIntoView({ block: "nearest", behavior: still && still.matches ? "auto" : "smooth" });
    }
  };

  function wireReadAloud() {
    if (!("speechSynthesis" in window) || !window.speechSynthesis) return;
    if (typeof window.SpeechSynthesisUtterance !== "function") return;
    var boxes = document.querySelectorAll(".read-aloud");
    for (var i = 0; i < boxes.length; i++) {
      var article = boxes[i].closest("article") || document.querySelector("main");
      if (article) new ReadAloud(boxes[i], article, window.speechSynthesis).wire();
    }
  }

  // -- the sections in the header ----------------------------------------------------------

  // On a phone the sections are one row that scrolls sideways (its right end fades out):
  // the current section is shown on arrival, and each section as Tab reaches it.
  var FADE = 40; // px: the faded end of the row, and a little more

  function revealInRow(list, item) {
    if (list.scrollWidth <= list.clientWidth) return;
    var shown = item.getBoundingClientRect();
    var box = list.getBoundingClientRect();
    if (shown.right > box.right - FADE) list.scrollLeft += shown.right - box.right + FADE;
    else if (shown.left < box.left + 8) list.scrollLeft -= box.left + 8 - shown.left;
  }

  function wireSections() {
    var list = document.querySelector(".site-nav ul");
    if (!list) return;
    var current = list.querySelector('[aria-current="page"]');
    if (current) revealInRow(list, current);
    list.addEventListener("focusin", function (event) {
      if (event.target instanceof Element) revealInRow(list, event.target);
    });
  }

  // A printed reply shows all its fields: folded ones are opened for the print, then closed.
  function wirePrinting() {
    var opened = [];
    window.addEventListener("beforeprint", function () {
      var folded = document.querySelectorAll("details.reply-meta-more:not([open])");
      for (var i = 0; i < folded.length; i++) {
        folded[i].open = true;
        opened.push(folded[i]);
      }
    });
    window.addEventListener("afterprint", function () {
      while (opened.length) opened.pop().open = false;
    });
  }

  function ready() {
    wireReadingMode();
    wirePrinting();
    wireSections();
    wireReadAloud();
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", ready);
  } else {
    ready();
  }
})();
