// reply-archive: read aloud (朗读全文) on a reply page, which alone loads this script.
//
// The browser's own speech synthesis with a Chinese voice, sentence by sentence (at most
// MAX_CHUNK characters, so long replies are not cut off), pausable; the controls stay
// hidden where the browser cannot speak Chinese.
(function () {
  "use strict";

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

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", wireReadAloud);
  } else {
    wireReadAloud();
  }
})();
