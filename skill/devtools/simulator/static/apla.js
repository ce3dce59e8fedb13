// Plays an APL-for-audio document on the simulator's clock: Speech through the browser's
// speech synthesis, Alexa Sound Library chimes made up with WebAudio, Silence as real
// waiting, Mixer children together. Each part starts where the skill planned it (the
// same estimates the skill uses to keep a response within Alexa's 240 seconds).
"use strict";

const AplaPlayer = (() => {
  const BREAK = /<break time="(\d+)ms"\/>/g;
  const TAG = /<[^>]+>/g;

  function plain(ssml) {
    return ssml.replace(/<break[^>]*>/g, " ").replace(TAG, "").replace(/&lt;/g, "<")
      .replace(/&gt;/g, ">").replace(/&amp;/g, "&").replace(/\s+/g, " ").trim();
  }

  /** The skill's own estimate of how long Alexa takes to say an SSML fragment. */
  function speechMs(ssml, timing) {
    let pauses = 0;
    for (const m of ssml.matchAll(BREAK)) pauses += Number(m[1]);
    const words = ssml.replace(TAG, " ").split(/\s+/).filter(Boolean).length;
    return timing.utteranceMs + words * timing.wordMs + pauses;
  }

  /** Every part of the document with its start (ms into the audio) and length. */
  function schedule(document, timing) {
    const parts = [];
    function walk(item, at, parentMs) {
      switch (item.type) {
        case "Sequencer": {
          let t = at;
          for (const child of item.items || []) t += walk(child, t);
          return t - at;
        }
        case "Mixer": {
          const children = item.items || [];
          const own = children.filter((c) => c.duration !== "trimToParent");
          const ms = Math.max(0, ...own.map((c) => walk(c, at)));
          for (const child of children) if (child.duration === "trimToParent") walk(child, at, ms);
          return ms;
        }
        case "Speech": {
          const ms = speechMs(item.content || "", timing);
          parts.push({ kind: "speech", at, ms, text: plain(item.content || ""),
            quiet: /volume="soft"/.test(item.content || "") });
          return ms;
        }
        case "Silence":
          parts.push({ kind: "silence", at, ms: Number(item.duration) || 0 });
          return Number(item.duration) || 0;
        case "Audio": {
          const ms = parentMs ?? timing.sounds[item.source] ?? 2500;
          parts.push({ kind: "sound", at, ms, source: item.source, under: parentMs !== undefined });
          return ms;
        }
        default:
          return 0;
      }
    }
    const template = document.mainTemplate || {};
    const total = walk(template.item || { type: "Sequencer", items: template.items || [] }, 0);
    parts.sort((a, b) => a.at - b.at);
    return { parts, total };
  }

  /** Alexa Sound Library ids, made up: a bell for chimes, soft noise for a stream. */
  class Sounds {
    constructor() {
      this.context = null;
    }

    ready() {
      if (this.context) return this.context;
      const Context = window.AudioContext || window.webkitAudioContext;
      if (!Context) return null;
      try {
        this.context = new Context();
      } catch (_) {
        return null;
      }
      return this.context;
    }

    play(source, ms) {
      const ctx = this.ready();
      if (!ctx) return () => {};
      if (ctx.state === "suspended") ctx.resume().catch(() => {});
      if (/stream|nature|ambience/.test(source)) return this.stream(ctx, ms);
      const notes = /timer/.test(source) ? [784, 659, 523] : /chime_02/.test(source) ? [659, 988] : [880];
      notes.forEach((f, n) => this.bell(ctx, f, ctx.currentTime + n * 0.35));
      return () => {};
    }

    bell(ctx, frequency, when) {
      for (const [ratio, level] of [[1, 0.22], [2.76, 0.06], [5.4, 0.03]]) {
        const osc = ctx.createOscillator();
        const gain = ctx.createGain();
        osc.frequency.value = frequency * ratio;
        gain.gain.setValueAtTime(0, when);
        gain.gain.linearRampToValueAtTime(level, when + 0.01);
        gain.gain.exponentialRampToValueAtTime(0.0001, when + 2.2);
        osc.connect(gain).connect(ctx.destination);
        osc.start(when);
        osc.stop(when + 2.3);
      }
    }

    stream(ctx, ms) {
      const seconds = Math.min(ms / 1000, 240);
      const buffer = ctx.createBuffer(1, Math.ceil(ctx.sampleRate * 2), ctx.sampleRate);
      const data = buffer.getChannelData(0);
      let last = 0;
      for (let i = 0; i < data.length; i += 1) {
        last = (last + 0.02 * (Math.random() * 2 - 1)) / 1.02;
        data[i] = last * 3;
      }
      const noise = ctx.createBufferSource();
      noise.buffer = buffer;
      noise.loop = true;
      const filter = ctx.createBiquadFilter();
      filter.type = "lowpass";
      filter.frequency.value = 900;
      const gain = ctx.createGain();
      gain.gain.setValueAtTime(0, ctx.currentTime);
      gain.gain.linearRampToValueAtTime(0.05, ctx.currentTime + 2);
      gain.gain.setValueAtTime(0.05, ctx.currentTime + Math.max(2, seconds - 1));
      gain.gain.linearRampToValueAtTime(0, ctx.currentTime + seconds);
      noise.connect(filter).connect(gain).connect(ctx.destination);
      noise.start();
      noise.stop(ctx.currentTime + seconds);
      return () => {
        try {
          noise.stop();
        } catch (_) { /* already stopped */ }
      };
    }
  }

  class Player {
    /** clock: { now(), sleep(ms, token) } in simulated time. */
    constructor(clock, timing) {
      this.clock = clock;
      this.timing = timing;
      this.sounds = new Sounds();
      this.token = { cancelled: true };
      this.stops = [];
    }

    stop() {
      this.token.cancelled = true;
      for (const stop of this.stops) stop();
      this.stops = [];
      if (window.speechSynthesis) window.speechSynthesis.cancel();
    }

    /**
     * Play ``parts`` from a schedule; ``audible`` says whether to make sound (real time)
     * or only keep time (fast-forward). ``onPart`` hears of each part as it starts.
     * Resolves true when it played to the end, false when stopped.
     */
    async play(plan, { audible, onPart }) {
      this.stop();
      const token = { cancelled: false };
      this.token = token;
      const start = this.clock.now();
      for (const part of plan.parts) {
        const wait = start + part.at - this.clock.now();
        if (wait > 0) await this.clock.sleep(wait, token);
        if (token.cancelled) return false;
        if (onPart) onPart(part);
        if (audible) this.sound(part);
      }
      const rest = start + plan.total - this.clock.now();
      if (rest > 0) await this.clock.sleep(rest, token);
      return !token.cancelled;
    }

    sound(part) {
      if (part.kind === "sound") this.stops.push(this.sounds.play(part.source, part.ms));
      if (part.kind === "speech") speak(part.text, part.quiet);
    }
  }

  function speak(text, quiet) {
    if (!window.speechSynthesis || !window.SpeechSynthesisUtterance || !text) return;
    const utterance = new SpeechSynthesisUtterance(text);
    utterance.volume = quiet ? 0.5 : 1;
    utterance.rate = 1.05;
    window.speechSynthesis.speak(utterance);
  }

  return { Player, schedule, speechMs, plain, speak };
})();

if (typeof module !== "undefined") module.exports = AplaPlayer;
