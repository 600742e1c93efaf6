// reply-archive: read aloud (朗读全文) on a reply page, which alone loads this script.
//
// The browser's own speech synthesis with a Chinese voice, sentence by sentence (at most
// MAX_CHUNK characters, so long replies are not cut off), pausable. While it reads, the
// controls are a bar fixed to the bottom of the window (the page is padded so that it
// covers no text), and the paragraph being read is highlighted and kept in view. Where the
// browser has no speech synthesis, or no Chinese voice once its voices are known, a short
// message says so in place of the button.
(function () {
  "use strict";

  var VOICE_WAIT = 1000; // ms: browsers list their voices late (then fire voiceschanged)
  var root = typeof document !== "undefined" ? document.documentElement : null;
  var ACTIVE_CLASS = "read-aloud-active";
  var BAR_HEIGHT = "--read-aloud-bar";

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
      var places = sentencePlaces(sentences);
      for (var k = 0; k < sentences.length; k++) {
        chunks.push({ element: elements[j], text: sentences[k], at: places[k] });
      }
    }
    return chunks;
  }

  // Where each sentence starts in its paragraph, as a share of the paragraph's text (0 to 1):
  // in a paragraph taller than the window, about where its line is.
  function sentencePlaces(sentences) {
    var total = 0;
    for (var i = 0; i < sentences.length; i++) total += sentences[i].length;
    var places = [];
    var before = 0;
    for (var j = 0; j < sentences.length; j++) {
      places.push(total ? before / total : 0);
      before += sentences[j].length;
    }
    return places;
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
    this.slot = box.parentElement;
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
    window.addEventListener("resize", function () {
      self.padPage();
    });
    this.showIfSpeakable(false);
    window.setTimeout(function () {
      self.showIfSpeakable(true);
    }, VOICE_WAIT);
    if (typeof this.synth.addEventListener === "function") {
      this.synth.addEventListener("voiceschanged", function () {
        self.showIfSpeakable(true);
      });
    }
  };

  // The button where a Chinese voice exists; else, once the voices are known (`known`), the
  // message that there is none. Until then nothing shows: most voices arrive in a moment.
  ReadAloud.prototype.showIfSpeakable = function (known) {
    var speakable = chineseVoice(this.synth) !== null;
    if (!speakable && this.state !== "idle") this.stop("");
    if (speakable) showButton(this.box);
    else if (known) showUnavailable(this.box);
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
    this.follow(chunk);
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
    var reading = state !== "idle";
    if (reading && this.state === "idle") {
      // The bar leaves the header: its place is kept, so the text does not move.
      this.slot.style.minHeight = this.slot.getBoundingClientRect().height + "px";
    }
    this.state = state;
    this.box.setAttribute("data-state", state);
    this.toggle.textContent = label;
    this.stopButton.hidden = !reading;
    this.status.textContent = message;
    root.classList.toggle(ACTIVE_CLASS, reading);
    if (!reading) this.slot.style.minHeight = "";
    this.padPage();
  };

  // While the bar is shown the page ends (and scrolls into view) above it.
  ReadAloud.prototype.padPage = function () {
    if (this.state === "idle") root.style.removeProperty(BAR_HEIGHT);
    else root.style.setProperty(BAR_HEIGHT, this.box.getBoundingClientRect().height + "px");
  };

  ReadAloud.prototype.mark = function (element) {
    if (this.current === element) return;
    if (this.current) this.current.classList.remove("read-aloud-current");
    this.current = element;
    if (element) element.classList.add("read-aloud-current");
  };

  // The text being read stays in the window, above the bar: a paragraph as a whole when it
  // fits (scrolled to once), else the line of the sentence being read.
  ReadAloud.prototype.follow = function (chunk) {
    var element = chunk.element;
    var box = element.getBoundingClientRect();
    var room = window.innerHeight - this.box.getBoundingClientRect().height;
    var still = window.matchMedia && window.matchMedia("(prefers-reduced-motion: reduce)");
    var behavior = still && still.matches ? "auto" : "smooth";
    var line = parseFloat(window.getComputedStyle(element).lineHeight) || 32;
    if (box.height + 2 * line <= room) {
      if (chunk.at === 0 && typeof element.scrollIntoView === "function") {
        element.scrollIntoView({ block: "nearest", behavior: behavior });
      }
      return;
    }
    var y = box.top + chunk.at * box.height;
    if (y >= line && y + 3 * line <= room) return;
    window.scrollBy({ top: y - Math.max(line, room / 4), behavior: behavior });
  };

  function showButton(box) {
    box.hidden = false;
    box.querySelector(".read-aloud-toggle").hidden = false;
    box.querySelector(".read-aloud-unavailable").hidden = true;
  }

  function showUnavailable(box) {
    box.hidden = false;
    box.querySelector(".read-aloud-toggle").hidden = true;
    box.querySelector(".read-aloud-unavailable").hidden = false;
  }

  function canSpeak() {
    return (
      "speechSynthesis" in window &&
      !!window.speechSynthesis &&
      typeof window.SpeechSynthesisUtterance === "function"
    );
  }

  function wireReadAloud() {
    var boxes = document.querySelectorAll(".read-aloud");
    for (var i = 0; i < boxes.length; i++) {
      var article = boxes[i].closest("article") || document.querySelector("main");
      if (!canSpeak()) showUnavailable(boxes[i]);
      else if (article) new ReadAloud(boxes[i], article, window.speechSynthesis).wire();
    }
  }

  // Node's tests (tests/js/test_readaloud.mjs) load this file for its text helpers.
  if (typeof module === "object" && module.exports) {
    module.exports = { splitSentences: splitSentences, chineseVoice: chineseVoice, MAX_CHUNK: MAX_CHUNK };
    return;
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", wireReadAloud);
  } else {
    wireReadAloud();
  }
})();
