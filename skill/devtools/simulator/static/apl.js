// A small APL renderer for the components and commands the skill's documents use:
// Container (also data-driven), Text, Frame and TouchWrapper; bind, when, display,
// resources with when blocks; onMount/onPress running Sequential, Parallel, Idle,
// SetValue, SendEvent and user-defined commands, with time from the simulator's clock.
"use strict";

const AplRenderer = (() => {
  const E = typeof AplExpr !== "undefined" ? AplExpr : require("./expr.js");
  const RESOURCE_TYPES = ["colors", "color", "dimensions", "dimension", "numbers", "number",
    "strings", "string", "booleans", "boolean"];
  const ALIGN = { start: "flex-start", end: "flex-end", center: "center", stretch: "stretch",
    baseline: "baseline", spaceBetween: "space-between", spaceAround: "space-around" };
  const DIRECTION = { column: "column", row: "row", columnReverse: "column-reverse",
    rowReverse: "row-reverse" };

  class View {
    /**
     * host: the element standing for the screen; viewport: APL's viewport object;
     * clock: { sleep(ms, token) } in simulated time; onEvent(args, source): a UserEvent.
     */
    constructor(host, viewport, clock, onEvent) {
      this.host = host;
      this.viewport = viewport;
      this.clock = clock;
      this.onEvent = onEvent;
      this.token = { cancelled: true };
      this.instances = [];
    }

    clear() {
      this.token.cancelled = true;
      this.instances = [];
      this.host.replaceChildren();
    }

    show(directive) {
      this.clear();
      const token = { cancelled: false };
      this.token = token;
      this.document = directive.document;
      this.byId = new Map();
      this.resources = this.resourcesOf(directive.document);
      const base = Object.create(null);
      base.Math = E.MATH;
      base.viewport = this.viewport;
      const template = directive.document.mainTemplate || {};
      const scope = Object.create(base);
      for (const name of template.parameters || []) scope[name] = directive.datasources || {};
      const rootItem = template.item || (template.items || [])[0];
      const root = this.inflate(rootItem, scope, null);
      if (root) this.host.append(root.el);
      this.refresh();
      for (const instance of this.instances) {
        const mount = instance.item.onMount;
        if (mount) this.run(mount, instance, instance.scope, token);
      }
      if (directive.document.onMount) this.run(directive.document.onMount, root, scope, token);
    }

    resourcesOf(document) {
      const found = {};
      const ctx = { scope: Object.assign(Object.create(null), { viewport: this.viewport, Math: E.MATH }),
        resource: (n) => found[n] };
      for (const block of document.resources || []) {
        if (block.when !== undefined && !E.truthy(E.value(block.when, ctx))) continue;
        for (const type of RESOURCE_TYPES) Object.assign(found, block[type] || {});
      }
      return found;
    }

    context(scope) {
      return { scope, resource: (name) => E.value(this.resources[name], this.context(scope)) };
    }

    value(raw, scope) {
      return E.value(raw, this.context(scope));
    }

    inflate(item, parentScope, parent) {
      if (!item || (item.when !== undefined && !E.truthy(this.value(item.when, parentScope)))) {
        return null;
      }
      const scope = Object.create(parentScope);
      for (const binding of item.bind || []) {
        scope[binding.name] = this.typed(this.value(binding.value, scope), binding.type);
      }
      const el = document.createElement("div");
      el.className = `apl apl-${item.type}`;
      const instance = { item, scope, el, parent, overrides: {}, binds: new Set((item.bind || []).map((b) => b.name)) };
      this.instances.push(instance);
      if (item.id) this.byId.set(this.value(item.id, scope), instance);
      if (item.type === "TouchWrapper") this.touchable(instance);
      for (const child of this.childrenOf(item, scope)) {
        const made = this.inflate(child.item, child.scope, instance);
        if (made) el.append(made.el);
      }
      return instance;
    }

    childrenOf(item, scope) {
      const templates = [].concat(item.items || item.item || []);
      if (item.type === "Container" && item.data !== undefined) {
        const rows = this.value(item.data, scope) || [];
        return rows.map((row, index) => {
          const inner = Object.create(scope);
          Object.assign(inner, { data: row, index, length: rows.length });
          return { item: this.pick(templates, inner), scope: inner };
        });
      }
      if (item.type === "Container") return templates.map((child) => ({ item: child, scope }));
      return [{ item: this.pick(templates, scope), scope }];
    }

    pick(templates, scope) {
      return templates.find((t) => t.when === undefined || E.truthy(this.value(t.when, scope)));
    }

    typed(value, type) {
      if (type === "number") return Number(value);
      if (type === "boolean") return E.truthy(value);
      if (type === "string") return E.text(value);
      return value;
    }

    touchable(instance) {
      instance.el.tabIndex = 0;
      instance.el.setAttribute("role", "button");
      const press = () => {
        if (instance.item.onPress) this.run(instance.item.onPress, instance, instance.scope, this.token);
      };
      instance.el.addEventListener("click", press);
      instance.el.addEventListener("keydown", (e) => {
        if (e.key === "Enter" || e.key === " ") press();
      });
    }

    prop(instance, name) {
      if (name in instance.overrides) return instance.overrides[name];
      const raw = instance.item[name];
      return raw === undefined ? undefined : this.value(raw, instance.scope);
    }

    refresh() {
      for (const instance of this.instances) this.apply(instance);
    }

    apply(instance) {
      const { el, item } = instance;
      const get = (name) => this.prop(instance, name);
      const style = el.style;
      const display = get("display");
      style.display = display === "none" ? "none" : "flex";
      style.visibility = display === "invisible" ? "hidden" : "";
      style.opacity = get("opacity") ?? "";
      for (const name of ["width", "height", "minWidth", "maxWidth", "minHeight", "maxHeight"]) {
        style[name] = this.dimension(get(name));
      }
      const padding = get("padding");
      for (const side of ["Left", "Right", "Top", "Bottom"]) {
        style[`padding${side}`] = this.dimension(get(`padding${side}`) ?? padding);
      }
      style.flexGrow = get("grow") ?? "";
      style.flexShrink = get("shrink") ?? "";
      style.alignSelf = ALIGN[get("alignSelf")] || "";
      this.spacing(instance, get("spacing"));
      if (get("accessibilityLabel")) el.setAttribute("aria-label", get("accessibilityLabel"));
      const kind = { Container: this.container, Text: this.text, Frame: this.frame }[item.type];
      if (kind) kind.call(this, instance, get);
    }

    spacing(instance, value) {
      const { el, parent } = instance;
      el.style.marginTop = "";
      el.style.marginLeft = "";
      if (!parent || value === undefined || el.previousElementSibling === null) return;
      const row = (this.prop(parent, "direction") || "column").startsWith("row");
      el.style[row ? "marginLeft" : "marginTop"] = this.dimension(value);
    }

    container(instance, get) {
      const style = instance.el.style;
      style.flexDirection = DIRECTION[get("direction")] || "column";
      style.alignItems = ALIGN[get("alignItems")] || "stretch";
      style.justifyContent = ALIGN[get("justifyContent")] || "flex-start";
      style.flexWrap = get("wrap") === "wrap" ? "wrap" : "nowrap";
    }

    frame(instance, get) {
      const style = instance.el.style;
      style.flexDirection = "column";
      style.backgroundColor = get("backgroundColor") || "";
      style.borderRadius = this.dimension(get("borderRadius"));
      const width = this.dimension(get("borderWidth"));
      style.border = width ? `${width} solid ${get("borderColor") || "transparent"}` : "";
    }

    text(instance, get) {
      const { el } = instance;
      const style = el.style;
      let span = el.firstElementChild;
      if (!span) {
        span = document.createElement("span");
        el.append(span);
      }
      span.textContent = E.text(get("text"));
      style.flexDirection = "column";
      style.justifyContent = { center: "center", bottom: "flex-end" }[get("textAlignVertical")] || "flex-start";
      style.fontSize = this.dimension(get("fontSize") ?? 40);
      style.fontWeight = get("fontWeight") || "";
      style.fontStyle = get("fontStyle") || "";
      style.color = get("color") || "#FAFAFA";
      style.textAlign = get("textAlign") === "auto" ? "" : get("textAlign") || "";
      style.lineHeight = get("lineHeight") ? String(get("lineHeight")) : "1.25";
      style.letterSpacing = this.dimension(get("letterSpacing"));
      const lines = get("maxLines");
      span.style.webkitLineClamp = lines ? String(lines) : "";
      span.style.display = lines ? "-webkit-box" : "";
      span.style.webkitBoxOrient = lines ? "vertical" : "";
      span.style.overflow = lines ? "hidden" : "";
    }

    /** An APL dimension in CSS pixels of the screen element (1 dp = 1 CSS px here). */
    dimension(value) {
      if (value === undefined || value === null || value === "" || value === "auto") return "";
      if (typeof value === "number") return `${value}px`;
      const m = /^(-?[\d.]+)\s*(dp|px|vw|vh|%)?$/.exec(String(value).trim());
      if (!m) return "";
      const n = Number(m[1]);
      switch (m[2]) {
        case "px": return `${(n * 160) / this.viewport.dpi}px`;
        case "vw": return `${(n / 100) * this.viewport.width}px`;
        case "vh": return `${(n / 100) * this.viewport.height}px`;
        case "%": return `${n}%`;
        default: return `${n}px`;
      }
    }

    // -- commands -----------------------------------------------------------------------

    async run(commands, source, scope, token) {
      for (const command of [].concat(commands)) {
        if (token.cancelled) return;
        await this.command(command, source, scope, token);
      }
    }

    async command(command, source, scope, token) {
      if (command.when !== undefined && !E.truthy(this.value(command.when, scope))) return;
      const delay = Number(this.value(command.delay, scope) || 0);
      if (delay > 0) await this.clock.sleep(delay, token);
      if (token.cancelled) return;
      const user = (this.document.commands || {})[command.type];
      if (user) return this.userCommand(user, command, source, scope, token);
      switch (command.type) {
        case "Sequential": {
          const times = 1 + Number(this.value(command.repeatCount, scope) || 0);
          for (let n = 0; n < times && !token.cancelled; n += 1) {
            await this.run(command.commands || [], source, scope, token);
          }
          return;
        }
        case "Parallel":
          await Promise.all((command.commands || []).map((c) => this.command(c, source, scope, token)));
          return;
        case "Idle":
          return;
        case "SetValue":
          return this.setValue(command, source, scope);
        case "SendEvent":
          return this.onEvent((command.arguments || []).map((a) => this.value(a, scope)), source);
        default:
          console.warn("APL command not simulated:", command.type);
      }
    }

    async userCommand(definition, command, source, scope, token) {
      const inner = Object.create(scope);
      for (const parameter of definition.parameters || []) {
        const name = typeof parameter === "string" ? parameter : parameter.name;
        const fallback = typeof parameter === "string" ? undefined : parameter.default;
        inner[name] = command[name] !== undefined ? this.value(command[name], scope) : fallback;
      }
      await this.run(definition.commands || [], source, inner, token);
    }

    setValue(command, source, scope) {
      const target = command.componentId ? this.byId.get(this.value(command.componentId, scope)) : source;
      if (!target) return;
      const value = this.value(command.value, scope);
      if (target.binds.has(command.property)) target.scope[command.property] = value;
      else target.overrides[command.property] = value;
      this.refresh();
    }
  }

  return { View };
})();

if (typeof module !== "undefined") module.exports = AplRenderer;
