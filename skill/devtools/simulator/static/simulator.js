// The simulator page: words in, Alexa's requests out, the answers played and shown.
//
// Words go to /simulator/understand (the skill's own interaction model), become a
// request envelope like Alexa's (session kept as Alexa keeps it, the device's
// interfaces and viewport, the simulated clock as the timestamp) and go to /alexa.
// The answer is spoken (speech synthesis), its APL-for-audio timeline played on the
// simulated clock (chimes, silences), its APL document shown for the chosen device,
// and the microphone opened, reprompted and closed as an Echo would.
"use strict";

(() => {
  const DEVICES = [
    { id: "echo-show-8", name: "Echo Show 8", px: [1280, 800], dpi: 213 },
    { id: "echo-show-5", name: "Echo Show 5", px: [960, 480], dpi: 160 },
    { id: "echo-show-10", name: "Echo Show 10", px: [1280, 800], dpi: 160 },
    { id: "echo-show-15", name: "Echo Show 15", px: [1920, 1080], dpi: 160 },
    { id: "round-hub", name: "Small round hub", px: [480, 480], dpi: 160, round: true },
    { id: "fire-tv", name: "Fire TV", px: [1920, 1080], dpi: 320, tv: true },
    { id: "echo-dot", name: "Echo Dot (no screen)", px: null },
  ];
  const $ = (id) => document.getElementById(id);
  const params = new URLSearchParams(location.search);
  const MIC_WINDOW_MS = Number(params.get("mic")) || 8000;
  // Alexa keeps the microphone open about eight seconds, then reprompts once.

  // -- the simulated clock: real time, or faster while a response's audio plays ----------

  class Clock {
    // Simulated time runs at ``rate`` times real time. Sleepers wake in deadline order,
    // and while one wakes the clock reads exactly its deadline, so a chain of sleeps
    // (an APL countdown, a timeline) never drifts however fast the clock runs.
    constructor(startMs) {
      this.base = startMs;
      this.realBase = performance.now();
      this.rate = 1;
      this.sleepers = [];
      this.logical = null;
      this.timer = null;
    }

    real() {
      return this.base + (performance.now() - this.realBase) * this.rate;
    }

    now() {
      return this.logical ?? this.real();
    }

    setRate(rate) {
      this.base = this.real();
      this.realBase = performance.now();
      this.rate = rate;
      this.schedule();
    }

    sleep(ms, token) {
      return new Promise((resolve) => {
        this.sleepers.push({ at: this.now() + Math.max(0, ms), resolve, token });
        this.schedule();
      });
    }

    schedule() {
      clearTimeout(this.timer);
      if (!this.sleepers.length) return;
      const next = Math.min(...this.sleepers.map((s) => s.at));
      const wait = Math.max(0, (next - this.real()) / this.rate);
      this.timer = setTimeout(() => this.wake(), Math.min(wait, 250));
    }

    wake() {
      const cancelled = this.sleepers.filter((s) => s.token && s.token.cancelled);
      this.sleepers = this.sleepers.filter((s) => !cancelled.includes(s));
      for (const sleeper of cancelled) sleeper.resolve();
      const next = Math.min(...this.sleepers.map((s) => s.at));
      if (this.sleepers.length && next <= this.real()) {
        const due = this.sleepers.filter((s) => s.at === next);
        this.sleepers = this.sleepers.filter((s) => s.at !== next);
        this.logical = next;
        for (const sleeper of due) sleeper.resolve();
        setTimeout(() => {
          this.logical = null;
          this.schedule();
        }, 0);
        return;
      }
      this.schedule();
    }
  }

  const start = params.get("start") ? Date.parse(params.get("start")) : Date.now();
  const clock = new Clock(Number.isNaN(start) ? Date.now() : start);
  const state = {
    timing: null,
    applicationId: "",
    device: DEVICES[0],
    userId: params.get("user") || `amzn1.ask.account.simulator-${Math.random().toString(36).slice(2, 10)}`,
    deviceId: "amzn1.ask.device.simulator",
    sessionId: null,
    attributes: {},
    fresh: false,
    busy: false,
    token: "",
    directive: null,
    turns: 0,
    waiting: { cancelled: true },
  };
  let view = null;
  let player = null;

  // -- the page -------------------------------------------------------------------------

  function setState(name, text) {
    document.body.dataset.state = name;
    $("state-text").textContent = text;
  }

  function viewportOf(device) {
    if (!device.px) return null;
    const [pixelWidth, pixelHeight] = device.px;
    return {
      width: Math.round((pixelWidth * 160) / device.dpi),
      height: Math.round((pixelHeight * 160) / device.dpi),
      pixelWidth,
      pixelHeight,
      dpi: device.dpi,
      shape: device.round ? "round" : "rectangle",
      mode: device.tv ? "tv" : "hub",
      theme: "dark",
    };
  }

  function fitScreen() {
    const viewport = viewportOf(state.device);
    $("bezel").hidden = !viewport;
    $("speaker").hidden = Boolean(viewport);
    if (!viewport) return;
    const stage = $("stage");
    const scale = Math.min((stage.clientWidth - 60) / viewport.width, (stage.clientHeight - 60) / viewport.height, 1);
    const screen = $("screen");
    screen.style.width = `${viewport.width}px`;
    screen.style.height = `${viewport.height}px`;
    screen.style.transform = `scale(${scale})`;
    $("screen-box").style.width = `${viewport.width * scale}px`;
    $("screen-box").style.height = `${viewport.height * scale}px`;
    $("bezel").classList.toggle("round", Boolean(state.device.round));
  }

  function chooseDevice(id) {
    state.device = DEVICES.find((d) => d.id === id) || DEVICES[0];
    const viewport = viewportOf(state.device);
    if (view) view.clear();
    view = viewport ? new AplRenderer.View($("screen"), viewport, clock, touched) : null;
    fitScreen();
    if (view && state.directive) view.show(state.directive);
    else showIdle();
  }

  function showIdle(card) {
    if (!view) return;
    view.clear();
    const idle = document.createElement("div");
    idle.className = "idle";
    idle.textContent = card ? `${card.title}: ${card.content}` : "Closer Together";
    $("screen").append(idle);
  }

  function line(kind, who, parts) {
    const item = document.createElement("li");
    item.className = kind;
    if (who) {
      const label = document.createElement("span");
      label.className = "who";
      label.textContent = who;
      item.append(label);
    }
    for (const [cls, text] of parts) {
      const span = document.createElement("span");
      span.className = cls;
      span.textContent = text;
      item.append(span);
    }
    $("transcript").append(item);
    item.scrollIntoView({ block: "nearest" });
    return item;
  }

  function clockText() {
    const zone = $("zone").value;
    try {
      return new Intl.DateTimeFormat("en-US", { timeZone: zone, weekday: "short", hour: "numeric",
        minute: "2-digit", second: "2-digit" }).format(new Date(clock.now()));
    } catch (_) {
      return new Date(clock.now()).toISOString();
    }
  }

  // -- envelopes, as Alexa sends them ----------------------------------------------------

  function newSession() {
    state.sessionId = `amzn1.echo-api.session.${crypto.randomUUID ? crypto.randomUUID() : Math.random()}`;
    state.attributes = {};
    state.fresh = true;
  }

  function envelope(request) {
    const application = { applicationId: state.applicationId };
    const user = { userId: state.userId };
    const viewport = viewportOf(state.device);
    const device = { deviceId: state.deviceId, supportedInterfaces: {} };
    const context = {
      System: {
        application,
        user,
        device,
        apiEndpoint: `${location.origin}/simulator/api`,
        apiAccessToken: `simulator:${$("zone").value}`,
      },
    };
    if (viewport) {
      device.supportedInterfaces["Alexa.Presentation.APL"] = { runtime: { maxVersion: "2024.1" } };
      context.Viewport = {
        experiences: [{ canRotate: false, canResize: false }],
        mode: viewport.mode.toUpperCase(),
        shape: viewport.shape.toUpperCase(),
        pixelWidth: viewport.pixelWidth,
        pixelHeight: viewport.pixelHeight,
        currentPixelWidth: viewport.pixelWidth,
        currentPixelHeight: viewport.pixelHeight,
        dpi: viewport.dpi,
        touch: viewport.mode === "tv" ? [] : ["SINGLE"],
        keyboard: viewport.mode === "tv" ? ["DIRECTION"] : [],
      };
    }
    const id = crypto.randomUUID ? crypto.randomUUID() : String(Math.random());
    return {
      version: "1.0",
      session: {
        new: state.fresh,
        sessionId: state.sessionId || `amzn1.echo-api.session.${id}`,
        application,
        attributes: { ...state.attributes },
        user,
      },
      context,
      request: {
        requestId: `amzn1.echo-api.request.${id}`,
        timestamp: new Date(clock.now()).toISOString().replace(/\.\d{3}Z$/, "Z"),
        locale: $("locale").value,
        ...request,
      },
    };
  }

  async function send(request) {
    state.busy = true;
    setState("thinking", "Alexa is thinking…");
    let answer;
    try {
      answer = await fetch("/alexa", {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify(envelope(request)),
      });
    } catch (error) {
      line("alexa error", "alexa>", [["line", `(no answer from the skill: ${error})`]]);
      return setState("idle", "The skill did not answer");
    } finally {
      state.fresh = false;
      state.busy = false;
    }
    const body = await answer.json().catch(() => ({}));
    const keys = (answer.headers.get("X-Closer-Keys") || "").split(",").filter(Boolean);
    if (answer.status !== 200) {
      line("alexa error", "alexa>", [["line", `(HTTP ${answer.status}) ${body.error || ""}`]]);
      return setState("idle", "Something went wrong");
    }
    await answered(request, body, keys);
  }

  // -- answers ---------------------------------------------------------------------------

  async function answered(request, body, keys) {
    const response = body.response || {};
    const ended = response.shouldEndSession !== false;
    if (request.type !== "SessionEndedRequest") {
      if (ended) {
        state.sessionId = null;
        state.attributes = {};
      } else {
        state.attributes = body.sessionAttributes || {};
      }
    }
    const directives = response.directives || [];
    const apl = directives.find((d) => d.type === "Alexa.Presentation.APL.RenderDocument");
    const apla = directives.find((d) => d.type === "Alexa.Presentation.APLA.RenderDocument");
    const plan = planOf(response, apla);
    transcribe(response, plan, keys);
    state.turns += 1;
    document.body.dataset.turns = String(state.turns);
    if (apl) {
      state.directive = apl;
      state.token = apl.token;
      if (view) view.show(apl);
    } else if (request.type !== "SessionEndedRequest") {
      state.directive = null;
      showIdle(response.card);
    }
    if (request.type === "SessionEndedRequest") return setState("idle", "Session ended");
    const played = await play(plan);
    if (!played) return;
    if (ended) {
      line("meta", "", [["meta", "(session ended)"]]);
      return setState("idle", "Session ended: your next words start a new one");
    }
    listen(response, 0);
  }

  function planOf(response, apla) {
    const parts = [];
    let total = 0;
    const speech = response.outputSpeech && response.outputSpeech.ssml;
    if (speech) {
      const ms = AplaPlayer.speechMs(speech, state.timing);
      parts.push({ kind: "speech", at: 0, ms, text: AplaPlayer.plain(speech), quiet: false });
      total = ms;
    }
    if (apla) {
      const timed = AplaPlayer.schedule(apla.document, state.timing);
      for (const part of timed.parts) parts.push({ ...part, at: part.at + total });
      total += timed.total;
    }
    return { parts, total };
  }

  function transcribe(response, plan, keys) {
    const lines = plan.parts.map((part) => {
      if (part.kind === "speech") return ["line", part.text];
      if (part.kind === "silence") return ["line cue", `[silence ${minutes(part.ms)}]`];
      return ["line cue", part.under ? "[soft sound under the silence]" : "[chime]"];
    });
    if (!lines.length) lines.push(["line cue", "(no speech)"]);
    if (response.card) lines.push(["line cue", `card: ${response.card.title}: ${response.card.content}`]);
    if (keys.length) lines.push(["keys", `keys: ${keys.join(", ")}`]);
    line("alexa", "alexa>", lines);
  }

  function minutes(ms) {
    const seconds = Math.round(ms / 1000);
    return `${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, "0")}`;
  }

  let playing = 0;

  async function play(plan) {
    if (!plan.parts.length) return true;
    const speed = Number($("speed").value) || 1;
    const audible = speed === 1 && !$("mute").checked;
    const mine = ++playing;
    setState("speaking", speed === 1 ? "Alexa is speaking" : `Alexa is speaking (${speed}× faster)`);
    clock.setRate(speed);
    const began = clock.now();
    const progress = setInterval(() => {
      $("progress-bar").style.width = `${Math.min(100, ((clock.now() - began) / plan.total) * 100)}%`;
    }, 100);
    try {
      return await player.play(plan, { audible, onPart: nowPlaying });
    } finally {
      clearInterval(progress);
      if (mine === playing) {
        clock.setRate(1);
        $("progress-bar").style.width = "0";
        $("now-playing").textContent = "";
      }
    }
  }

  function nowPlaying(part) {
    const text = part.kind === "speech" ? `“${part.text}”`
      : part.kind === "silence" ? `silence, ${minutes(part.ms)}` : "chime";
    $("now-playing").textContent = text;
  }

  function listen(response, reprompts) {
    setState("listening", "Listening… (the mic is open)");
    line("meta", "", [["mic", "● mic open"]]);
    const waiting = { cancelled: false };
    state.waiting = waiting;
    if ($("hold-mic").checked) return;
    clock.sleep(MIC_WINDOW_MS, waiting).then(async () => {
      if (waiting.cancelled) return;
      const reprompt = response.reprompt && response.reprompt.outputSpeech && response.reprompt.outputSpeech.ssml;
      if (reprompt && reprompts === 0) {
        line("alexa", "alexa>", [["line", AplaPlayer.plain(reprompt)], ["meta", " (reprompt)"]]);
        const plan = { parts: [{ kind: "speech", at: 0, ms: AplaPlayer.speechMs(reprompt, state.timing),
          text: AplaPlayer.plain(reprompt) }], total: AplaPlayer.speechMs(reprompt, state.timing) };
        if (await play(plan)) listen(response, 1);
        return;
      }
      line("meta", "", [["meta", "(no answer: the session ends)"]]);
      await send({ type: "SessionEndedRequest", reason: "EXCEEDED_MAX_REPROMPTS" });
      state.sessionId = null;
      state.attributes = {};
    });
  }

  function interrupt() {
    state.waiting.cancelled = true;
    player.stop();
    playing += 1;
    clock.setRate(1);
  }

  // -- what you say and touch --------------------------------------------------------------

  async function say(text) {
    const words = text.trim();
    if (!words || state.busy) return;
    interrupt();
    state.busy = true;
    const entry = line("you", "you>", [["line", words]]);
    let understood;
    try {
      const answer = await fetch("/simulator/understand", {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ text: words, locale: $("locale").value }),
      });
      understood = await answer.json();
    } catch (error) {
      line("meta", "", [["meta", `(could not understand that: ${error})`]]);
      return setState("idle", "Ready");
    } finally {
      state.busy = false;
    }
    const slots = Object.values(understood.slots || {}).map((s) => `${s.name}=${s.value}`).join(" ");
    const heard = understood.launch ? "LaunchRequest" : `${understood.intent} ${slots}`.trim();
    entry.append(Object.assign(document.createElement("span"), { className: "intent", textContent: `  → ${heard}` }));
    if (understood.launch) {
      newSession();
      return send({ type: "LaunchRequest" });
    }
    if (understood.invoked || !state.sessionId) newSession();
    return send({
      type: "IntentRequest",
      dialogState: "COMPLETED",
      intent: { name: understood.intent, confirmationStatus: "NONE", slots: understood.slots || {} },
    });
  }

  function touched(args, source) {
    if (state.busy) return;
    interrupt();
    line("you", "you>", [["line", `(touches the screen: ${args.join(", ")})`]]);
    if (!state.sessionId) newSession();
    send({
      type: "Alexa.Presentation.APL.UserEvent",
      token: state.token,
      arguments: args,
      source: { type: source ? source.item.type : "TouchWrapper", handler: "Press", id: (source && source.item.id) || "" },
    });
  }

  function listenByVoice() {
    const Recognition = window.SpeechRecognition || window.webkitSpeechRecognition;
    if (!Recognition) return;
    $("mic").hidden = false;
    $("mic").addEventListener("click", () => {
      const recognition = new Recognition();
      recognition.lang = $("locale").value;
      recognition.interimResults = false;
      $("mic").classList.add("recording");
      recognition.onresult = (event) => say(event.results[0][0].transcript);
      recognition.onend = () => $("mic").classList.remove("recording");
      recognition.onerror = () => $("mic").classList.remove("recording");
      recognition.start();
    });
  }

  // -- start -------------------------------------------------------------------------------

  async function boot() {
    const config = await (await fetch("/simulator/config")).json();
    state.timing = config.timing;
    state.applicationId = config.applicationId;
    player = new AplaPlayer.Player(clock, state.timing);
    for (const device of DEVICES) $("device").append(new Option(device.name, device.id));
    for (const locale of config.locales) $("locale").append(new Option(locale, locale));
    $("device").value = params.get("device") || DEVICES[0].id;
    $("speed").value = params.get("speed") || "1";
    if (params.get("speed") && $("speed").value !== params.get("speed")) {
      $("speed").append(new Option(`${params.get("speed")}× faster`, params.get("speed")));
      $("speed").value = params.get("speed");
    }
    $("zone").value = params.get("zone") || Intl.DateTimeFormat().resolvedOptions().timeZone || "America/New_York";
    $("mute").checked = params.get("mute") === "1";
    $("hold-mic").checked = params.get("hold") !== "0";
    $("show-keys").checked = params.get("keys") === "1";
    $("transcript").classList.toggle("with-keys", $("show-keys").checked);
    chooseDevice($("device").value);
    $("device").addEventListener("change", () => chooseDevice($("device").value));
    $("show-keys").addEventListener("change", () => $("transcript").classList.toggle("with-keys", $("show-keys").checked));
    $("say").addEventListener("submit", (event) => {
      event.preventDefault();
      const text = $("utterance").value;
      $("utterance").value = "";
      say(text);
    });
    for (const button of document.querySelectorAll(".try")) button.addEventListener("click", () => say(button.textContent));
    $("new-household").addEventListener("click", () => {
      interrupt();
      state.userId = `amzn1.ask.account.simulator-${Math.random().toString(36).slice(2, 10)}`;
      state.sessionId = null;
      line("meta", "", [["meta", "(a new household: nothing remembered)"]]);
      setState("idle", "Ready");
    });
    window.addEventListener("resize", fitScreen);
    setInterval(() => { $("clock").textContent = clockText(); }, 250);
    listenByVoice();
    setState("idle", "Ready: say “open closer together”");
  }

  window.closerSimulator = { say, state, clock };
  boot().catch((error) => setState("idle", `Could not start: ${error}`));
})();
